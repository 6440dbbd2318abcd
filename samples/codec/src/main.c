#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "codec.h"

static int usage(void)
{
    fprintf(stderr, "usage: codec --self-test [-v] | --stats | --bench N\n"
                    "  --stats reads stdin and prints its checksums and the size under each coder\n");
    return 2;
}

static uint8_t *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    *len = n;
    return buf;
}

static int stats(void)
{
    size_t len;
    uint8_t *in = read_all(stdin, &len);
    if (!in) return 1;
    size_t cap = len * 2 + 1024;
    uint8_t *out = malloc(cap);
    char *text = malloc(len * 4 / 3 + 8);
    if (!out || !text) return 1;
    printf("bytes   %zu\ncrc32   %08x\ncrc32c  %08x\nadler32 %08x\nfnv1a   %08x\n", len, codec_crc32(0, in, len),
           codec_crc32c_bitwise(0, in, len), codec_adler32(1, in, len), codec_fnv1a32(in, len));
    printf("rle     %zu\n", codec_rle_encode(in, len, out));
    printf("lz77    %zu\n", codec_lz77_encode(in, len, out, cap));
    printf("huffman %zu\n", codec_huffman_encode(in, len, out, cap));
    printf("base64  %zu\n", codec_base64_encode(in, len, text));
    free(in);
    free(out);
    free(text);
    return 0;
}

static int bench(int rounds)
{
    static uint8_t data[1 << 18], coded[(1 << 18) + 4096], plain[1 << 18];
    codec_rng rng;
    codec_rng_seed(&rng, 1);
    codec_fill_text(&rng, data, sizeof data);
    uint32_t fingerprint = 0;
    for (int r = 0; r < rounds; r++) {
        size_t n = codec_lz77_encode(data, sizeof data, coded, sizeof coded);
        size_t m = codec_lz77_decode(coded, n, plain, sizeof plain);
        fingerprint = fingerprint * 31 + codec_crc32(0, plain, m) + (uint32_t)n + codec_adler32(1, coded, n);
        n = codec_huffman_encode(data, sizeof data, coded, sizeof coded);
        fingerprint = fingerprint * 31 + codec_crc32c_bitwise(0, coded, n > 4096 ? 4096 : n);
    }
    printf("bench: %d rounds, fingerprint %08x\n", rounds, fingerprint);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--self-test") == 0)
        return codec_self_test(argc >= 3 && strcmp(argv[2], "-v") == 0) == 0 ? 0 : 1;
    if (argc == 2 && strcmp(argv[1], "--stats") == 0)
        return stats();
    if (argc == 3 && strcmp(argv[1], "--bench") == 0)
        return bench(atoi(argv[2]));
    return usage();
}
