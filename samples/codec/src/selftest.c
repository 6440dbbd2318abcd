#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "codec.h"

static int failures, checks, verbose_mode;

static void check(int ok, const char *what)
{
    checks++;
    if (!ok) {
        failures++;
        printf("FAIL %s\n", what);
    } else if (verbose_mode) {
        printf("ok   %s\n", what);
    }
}

#define S(x) (const uint8_t *)(x), strlen(x)

static void test_checksums(void)
{
    check(codec_crc32(0, S("123456789")) == 0xCBF43926u, "crc32('123456789') == cbf43926");
    check(codec_crc32(0, S("")) == 0, "crc32('') == 0");
    check(codec_crc32(0, S("The quick brown fox jumps over the lazy dog")) == 0x414FA339u, "crc32(quick brown fox) == 414fa339");
    uint32_t part = codec_crc32(0, S("12345"));
    check(codec_crc32(part, S("6789")) == 0xCBF43926u, "crc32 is incremental");
    check(codec_crc32c_bitwise(0, S("123456789")) == 0xE3069283u, "crc32c('123456789') == e3069283");
    check(codec_adler32(1, S("Wikipedia")) == 0x11E60398u, "adler32('Wikipedia') == 11e60398");
    check(codec_adler32(1, S("")) == 1, "adler32('') == 1");
    check(codec_fnv1a32(S("")) == 0x811C9DC5u, "fnv1a32('') == 811c9dc5");
    check(codec_fnv1a32(S("a")) == 0xE40C292Cu, "fnv1a32('a') == e40c292c");
    check(codec_fnv1a32(S("foobar")) == 0xBF9CF968u, "fnv1a32('foobar') == bf9cf968");

    /* Adler-32 over more than one 5552-byte block against the definition. */
    static uint8_t big[20000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 7 + 3);
    uint64_t a = 1, b = 0;
    for (size_t i = 0; i < sizeof big; i++) { a = (a + big[i]) % 65521; b = (b + a) % 65521; }
    check(codec_adler32(1, big, sizeof big) == (uint32_t)(b << 16 | a), "adler32 of 20000 bytes matches the definition");
}

static void test_base64(void)
{
    static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    char out[64];
    uint8_t back[64];
    for (int i = 0; i < 7; i++) {
        char what[64];
        size_t n = codec_base64_encode(S(plain[i]), out);
        snprintf(what, sizeof what, "base64('%s') == '%s'", plain[i], coded[i]);
        check(n == strlen(coded[i]) && strcmp(out, coded[i]) == 0, what);
        size_t m = codec_base64_decode(coded[i], strlen(coded[i]), back);
        snprintf(what, sizeof what, "unbase64('%s') == '%s'", coded[i], plain[i]);
        check(m == strlen(plain[i]) && memcmp(back, plain[i], m) == 0, what);
    }
    check(codec_base64_decode("Zm9", 3, back) == (size_t)-1, "unbase64 rejects a length not a multiple of 4");
    check(codec_base64_decode("Zm=v", 4, back) == (size_t)-1, "unbase64 rejects data after padding");
    check(codec_base64_decode("Zm9*", 4, back) == (size_t)-1, "unbase64 rejects characters outside the alphabet");
    uint8_t all[256];
    char text[400];
    for (int i = 0; i < 256; i++) all[i] = (uint8_t)i;
    size_t n = codec_base64_encode(all, 256, text);
    uint8_t again[256];
    check(n == 344 && codec_base64_decode(text, n, again) == 256 && memcmp(again, all, 256) == 0, "base64 round trip of every byte value");
}

static void test_rle(void)
{
    uint8_t out[64], back[64];
    size_t n = codec_rle_encode(S("AAAABBBCCD"), out);
    static const uint8_t expect[] = {0xFD, 'A', 0xFE, 'B', 0x02, 'C', 'C', 'D'};
    check(n == sizeof expect && memcmp(out, expect, n) == 0, "rle('AAAABBBCCD') == FD 41 FE 42 02 43 43 44");
    n = codec_rle_encode(S("ABCDE"), out);
    check(n == 6 && out[0] == 4 && memcmp(out + 1, "ABCDE", 5) == 0, "rle('ABCDE') is one literal run");
    check(codec_rle_decode(out, n, back, sizeof back) == 5 && memcmp(back, "ABCDE", 5) == 0, "unrle of a literal run");

    static uint8_t data[5000], coded[5100], plain[5000];
    codec_rng rng;
    codec_rng_seed(&rng, 42);
    for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(codec_rng_next(&rng) % 4 == 0 ? i / 300 : codec_rng_next(&rng));
    n = codec_rle_encode(data, sizeof data, coded);
    check(n <= sizeof data + sizeof data / 128 + 1, "rle output stays within its bound");
    check(codec_rle_decode(coded, n, plain, sizeof plain) == sizeof data && memcmp(plain, data, sizeof data) == 0, "rle round trip of 5000 mixed bytes");
    memset(data, 'z', 1000);
    n = codec_rle_encode(data, 1000, coded);
    check(n == 16, "rle of 1000 equal bytes is 8 runs (16 bytes)");
}

static void test_lz77(void)
{
    static uint8_t data[60000], coded[70000], plain[60000];
    codec_rng rng;
    codec_rng_seed(&rng, 7);
    codec_fill_text(&rng, data, sizeof data);
    size_t n = codec_lz77_encode(data, sizeof data, coded, sizeof coded);
    check(n != (size_t)-1 && n < sizeof data / 2, "lz77 halves text-like data");
    check(codec_lz77_decode(coded, n, plain, sizeof plain) == sizeof data && memcmp(plain, data, sizeof data) == 0, "lz77 round trip of 60000 bytes of text");

    uint8_t small[32];
    n = codec_lz77_encode(S("abcabcabcabc"), small, sizeof small);
    static const uint8_t expect[] = {0x08, 'a', 'b', 'c', 0x00, 0x26};
    check(n == sizeof expect && memcmp(small, expect, n) == 0, "lz77('abcabcabcabc') == 08 61 62 63 00 26");
    check(codec_lz77_encode(data, 1000, small, sizeof small) == (size_t)-1, "lz77 reports a too small output buffer");
    static const uint8_t bad[] = {0x01, 0x00, 0x10};
    check(codec_lz77_decode(bad, sizeof bad, plain, sizeof plain) == (size_t)-1, "lz77 rejects a match before the start");
}

static void test_huffman(void)
{
    uint32_t freq[256] = {0};
    uint8_t lengths[256];
    freq['a'] = 45; freq['b'] = 13; freq['c'] = 12; freq['d'] = 16; freq['e'] = 9; freq['f'] = 5;
    codec_huffman_lengths(freq, lengths);
    check(lengths['a'] == 1 && lengths['b'] == 3 && lengths['c'] == 3 && lengths['d'] == 3 && lengths['e'] == 4 && lengths['f'] == 4,
          "huffman lengths of the CLRS example are 1 3 3 3 4 4");
    uint32_t fib[256] = {0};
    uint32_t x = 1, y = 1;
    for (int s = 0; s < 30; s++) { fib[s] = x; uint32_t t = x + y; x = y; y = t; }
    codec_huffman_lengths(fib, lengths);
    int longest = 0;
    double kraft = 0;
    for (int s = 0; s < 30; s++) { if (lengths[s] > longest) longest = lengths[s]; kraft += 1.0 / (1 << lengths[s]); }
    check(longest <= 15 && kraft <= 1.0, "huffman lengths are limited to 15 bits and satisfy Kraft");

    static uint8_t data[30000], coded[40000], plain[30000];
    codec_rng rng;
    codec_rng_seed(&rng, 99);
    codec_fill_text(&rng, data, sizeof data);
    size_t n = codec_huffman_encode(data, sizeof data, coded, sizeof coded);
    check(n != (size_t)-1 && n < sizeof data * 6 / 10, "huffman saves 40% on text-like data");
    check(codec_huffman_decode(coded, n, plain, sizeof plain) == sizeof data && memcmp(plain, data, sizeof data) == 0, "huffman round trip of 30000 bytes of text");
    memset(data, 'q', 100);
    n = codec_huffman_encode(data, 100, coded, sizeof coded);
    check(n == 4 + 128 + 13 && codec_huffman_decode(coded, n, plain, sizeof plain) == 100 && plain[99] == 'q', "huffman of one symbol uses one bit each");
}

static void test_pipeline(void)
{
    /* LZ77 then Huffman then base64, and back, with the CRC of each stage as a fingerprint. */
    static uint8_t data[20000], lz[24000], hf[30000], back1[30000], back2[24000];
    static char text[41000];
    codec_rng rng;
    codec_rng_seed(&rng, 2024);
    codec_fill_text(&rng, data, sizeof data);
    size_t a = codec_lz77_encode(data, sizeof data, lz, sizeof lz);
    size_t b = codec_huffman_encode(lz, a, hf, sizeof hf);
    size_t c = codec_base64_encode(hf, b, text);
    size_t d = codec_base64_decode(text, c, back1);
    size_t e = codec_huffman_decode(back1, d, back2, sizeof back2);
    size_t f = codec_lz77_decode(back2, e, back1, sizeof back1);
    check(d == b && e == a && f == sizeof data && memcmp(back1, data, sizeof data) == 0, "lz77+huffman+base64 pipeline round trip");
    printf("pipeline: %zu -> lz77 %zu -> huffman %zu -> base64 %zu, crc32 %08x\n", sizeof data, a, b, c, codec_crc32(0, (const uint8_t *)text, c));
}

int codec_self_test(int verbose)
{
    failures = checks = 0;
    verbose_mode = verbose;
    test_checksums();
    test_base64();
    test_rle();
    test_lz77();
    test_huffman();
    test_pipeline();
    printf("self-test: %d checks, %d failures\n", checks, failures);
    return failures;
}
