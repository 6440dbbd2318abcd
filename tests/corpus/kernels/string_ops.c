/* String processing on a generated text: a table-driven tokenizer and
 * strtok_r, in-place reversal of words and of the whole buffer,
 * palindrome tests, substring search three ways (naive, Boyer-Moore-
 * Horspool, libc strstr) that must agree, memchr/strchr/strlen/strcmp/
 * memcmp, ASCII case folding, and a distinct-word count with an
 * open-addressing table of string keys. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TEXT_LEN (48 * 1024)
#define PASSES 50

static volatile uint32_t seed_init = 0xBADC0DEu;
static uint32_t rs;
static char text[TEXT_LEN + 64];
static char work[TEXT_LEN + 64];
static size_t text_len;

static uint32_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 17;
    rs ^= rs << 5;
    return rs;
}

static void gen_text(void)
{
    static const char *const syl[] = {"ka", "lo", "mi", "ne", "ra", "ta", "zu", "ab", "ba", "ol",
                                      "le", "ve", "an", "na", "xo", "ox", "e", "a", "i"};
    static const char seps[] = "  ,.;\n  -";
    size_t n = 0;
    while (n < TEXT_LEN - 32) {
        int nsyl = 1 + (int)(rnd() % 4u);
        for (int k = 0; k < nsyl; k++) {
            const char *s = syl[rnd() % (sizeof syl / sizeof syl[0])];
            size_t l = strlen(s);
            memcpy(text + n, s, l);
            if (rnd() % 11u == 0) text[n] = (char)(text[n] - 'a' + 'A');
            n += l;
        }
        text[n++] = seps[rnd() % (sizeof seps - 1)];
    }
    text[n] = '\0';
    text_len = n;
}

static unsigned char is_delim[256];

static void init_delims(const char *d)
{
    memset(is_delim, 0, sizeof is_delim);
    for (; *d; d++) is_delim[(unsigned char)*d] = 1;
    is_delim[0] = 1;
}

/* Returns the number of tokens; records start/length of each. */
static size_t tokenize(const char *s, size_t n, uint32_t *starts, uint16_t *lens, size_t max)
{
    size_t count = 0, i = 0;
    while (i < n && count < max) {
        while (i < n && is_delim[(unsigned char)s[i]]) i++;
        size_t b = i;
        while (i < n && !is_delim[(unsigned char)s[i]]) i++;
        if (i > b) {
            starts[count] = (uint32_t)b;
            lens[count] = (uint16_t)(i - b);
            count++;
        }
    }
    return count;
}

static void reverse(char *s, size_t n)
{
    for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
        char t = s[i];
        s[i] = s[j];
        s[j] = t;
    }
}

static int is_palindrome(const char *s, size_t n)
{
    for (size_t i = 0; i < n / 2; i++)
        if ((s[i] | 0x20) != (s[n - 1 - i] | 0x20)) return 0;
    return 1;
}

static size_t count_naive(const char *hay, size_t n, const char *pat, size_t m)
{
    size_t c = 0;
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && hay[i + k] == pat[k]) k++;
        c += k == m;
    }
    return c;
}

static size_t count_bmh(const char *hay, size_t n, const char *pat, size_t m)
{
    size_t shift[256];
    for (int i = 0; i < 256; i++) shift[i] = m;
    for (size_t i = 0; i + 1 < m; i++) shift[(unsigned char)pat[i]] = m - 1 - i;
    size_t c = 0, i = 0;
    while (i + m <= n) {
        unsigned char last = (unsigned char)hay[i + m - 1];
        if (last == (unsigned char)pat[m - 1] && memcmp(hay + i, pat, m - 1) == 0) c++;
        i += shift[last];
    }
    return c;
}

static size_t count_libc(const char *hay, const char *pat)
{
    size_t c = 0;
    for (const char *p = strstr(hay, pat); p; p = strstr(p + 1, pat)) c++;
    return c;
}

static void to_lower(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z') s[i] = (char)(s[i] + 32);
}

#define HSLOTS 8192
static const char *hkeys[HSLOTS];
static uint16_t hlens[HSLOTS];

static int insert_word(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)w[i]) * 16777619u;
    for (uint32_t slot = h & (HSLOTS - 1);; slot = (slot + 1) & (HSLOTS - 1)) {
        if (!hkeys[slot]) { hkeys[slot] = w; hlens[slot] = (uint16_t)n; return 1; }
        if (hlens[slot] == n && memcmp(hkeys[slot], w, n) == 0) return 0;
    }
}

static uint32_t starts[TEXT_LEN / 2];
static uint16_t lens[TEXT_LEN / 2];

int main(void)
{
    rs = seed_init;
    gen_text();
    static const char *const pats[] = {"ka", "rata", "lo mi", "ne,", "zuab", "olle", "Ka", "anna", "xoox", "a."};
    uint32_t h = 2166136261u;
    size_t total_tokens = 0, pal = 0, found = 0, distinct = 0, strtok_tokens = 0, dots = 0;
    int disagree = 0;

    for (int pass = 0; pass < PASSES; pass++) {
        memcpy(work, text, text_len + 1);
        init_delims(pass & 1 ? " ,.;\n-" : " \n");
        size_t nt = tokenize(work, text_len, starts, lens, sizeof lens / sizeof lens[0]);
        total_tokens += nt;
        for (size_t t = 0; t < nt; t++) {
            pal += is_palindrome(work + starts[t], lens[t]);
            if ((t + (size_t)pass) % 3 == 0) reverse(work + starts[t], lens[t]);
        }
        if (pass & 2) reverse(work, text_len);
        if (pass & 4) to_lower(work, text_len);

        for (size_t p = 0; p < sizeof pats / sizeof pats[0]; p++) {
            size_t m = strlen(pats[p]);
            size_t a = count_naive(work, text_len, pats[p], m);
            size_t b = count_bmh(work, text_len, pats[p], m);
            size_t c = count_libc(work, pats[p]);
            if (a != b || b != c) disagree++;
            found += a * (p + 1);
        }

        /* strtok_r over the working copy (it writes NULs) */
        char *save = NULL;
        for (char *tok = strtok_r(work, " ,.;\n-", &save); tok; tok = strtok_r(NULL, " ,.;\n-", &save)) {
            strtok_tokens++;
            h = (h ^ (uint32_t)strlen(tok)) * 16777619u;
            if (strchr(tok, 'x')) h ^= 0x55u;
            if (strcmp(tok, "kalo") == 0) h += 7u;
        }

        memset(hkeys, 0, sizeof hkeys);
        memcpy(work, text, text_len + 1);
        to_lower(work, text_len);
        init_delims(" ,.;\n-");
        nt = tokenize(work, text_len, starts, lens, sizeof lens / sizeof lens[0]);
        for (size_t t = 0; t < nt; t++)
            distinct += (size_t)insert_word(work + starts[t], lens[t]);

        for (const char *q = memchr(text, '.', text_len); q; q = memchr(q + 1, '.', text_len - (size_t)(q + 1 - text)))
            dots++;
        for (size_t i = 0; i < text_len; i++) h = (h ^ (unsigned char)work[i]) * 16777619u;
    }
    printf("string_ops: len=%zu tokens=%zu strtok=%zu pal=%zu found=%zu distinct=%zu dots=%zu hash=%08x disagree=%d\n",
           text_len, total_tokens, strtok_tokens, pal, found, distinct, dots, h, disagree);
    return 0;
}
