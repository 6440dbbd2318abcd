/* String processing on standard input: splits the text into words, folds
 * case, counts each word in an open-addressing hash table, and reports the
 * most frequent words.  argv[1] says how many times the text is processed. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE 4096
#define MAXW 32

struct entry { char word[MAXW]; uint32_t count; };
static struct entry table[TABLE];
static char text[1 << 16];

static uint32_t fnv(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

__attribute__((noinline)) static void add_word(const char *w, size_t n)
{
    uint32_t h = fnv(w, n) & (TABLE - 1);
    while (table[h].count != 0 && (strncmp(table[h].word, w, n) != 0 || table[h].word[n] != 0)) h = (h + 1) & (TABLE - 1);
    if (table[h].count == 0) { memcpy(table[h].word, w, n); table[h].word[n] = 0; }
    table[h].count++;
}

__attribute__((noinline)) static unsigned split(const char *t, size_t len)
{
    char word[MAXW];
    size_t n = 0;
    unsigned words = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? t[i] : ' ';
        if (isalpha((unsigned char)c)) {
            if (n < MAXW - 1) word[n++] = (char)tolower((unsigned char)c);
        } else if (n > 0) {
            add_word(word, n);
            words++;
            n = 0;
        }
    }
    return words;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 200;
    size_t len = fread(text, 1, sizeof text - 1, stdin);
    unsigned long long words = 0;
    for (int r = 0; r < reps; r++) words += split(text, len);
    unsigned best[3] = {0, 0, 0};
    int where[3] = {-1, -1, -1};
    for (int i = 0; i < TABLE; i++) {
        for (int k = 0; k < 3; k++) {
            if (table[i].count > best[k] || (table[i].count == best[k] && where[k] >= 0 && strcmp(table[i].word, table[where[k]].word) < 0)) {
                for (int m = 2; m > k; m--) { best[m] = best[m - 1]; where[m] = where[m - 1]; }
                best[k] = table[i].count; where[k] = i;
                break;
            }
        }
    }
    printf("%llu words\n", words);
    for (int k = 0; k < 3; k++) if (where[k] >= 0) printf("%s %u\n", table[where[k]].word, best[k]);
    return 0;
}
