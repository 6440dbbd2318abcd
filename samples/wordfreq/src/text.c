#include <ctype.h>
#include "words.h"

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return *s;
}

/* Zipf-like text over a small syllable alphabet: a few words are very common, most are rare. */
size_t generate_text(char *buf, size_t size, uint64_t seed)
{
    static const char *syllables[] = { "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "qu", "an" };
    uint64_t s = seed | 1;
    size_t n = 0;
    while (n + 16 < size) {
        uint64_t r = next(&s);
        int parts = 1 + (int)(r % 3);
        uint64_t pick = next(&s);
        for (int p = 0; p < parts; p++) {
            const char *syl = syllables[(pick >> (4 * p)) % (1 + (r >> 20) % 12)];
            buf[n++] = syl[0];
            buf[n++] = syl[1];
        }
        buf[n++] = (r & 15) == 0 ? '\n' : ' ';
    }
    buf[n] = 0;
    return n;
}

size_t count_words(struct table *t, const char *text, size_t n)
{
    size_t words = 0, i = 0;
    while (i < n) {
        while (i < n && !isalpha((unsigned char)text[i])) i++;
        size_t start = i;
        while (i < n && isalpha((unsigned char)text[i])) i++;
        if (i > start) { table_add(t, text + start, i - start); words++; }
    }
    return words;
}
