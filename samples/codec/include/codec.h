/* codec: checksums, base64, run-length, LZ77 and Huffman coding over byte buffers. */
#ifndef CODEC_H
#define CODEC_H

#include <stddef.h>
#include <stdint.h>

/* checksums.c */
uint32_t codec_crc32(uint32_t crc, const uint8_t *data, size_t len);
uint32_t codec_crc32c_bitwise(uint32_t crc, const uint8_t *data, size_t len);
uint32_t codec_adler32(uint32_t adler, const uint8_t *data, size_t len);
uint32_t codec_fnv1a32(const uint8_t *data, size_t len);

/* base64.c: returns the output length, or (size_t)-1 on malformed input. */
size_t codec_base64_encode(const uint8_t *in, size_t len, char *out);
size_t codec_base64_decode(const char *in, size_t len, uint8_t *out);

/* rle.c: PackBits. The output needs at most len + len/128 + 1 bytes. */
size_t codec_rle_encode(const uint8_t *in, size_t len, uint8_t *out);
size_t codec_rle_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

/* lz77.c: tokens are a flag byte per 8 items; a match is 2 bytes (12-bit distance, 4-bit length-3). */
size_t codec_lz77_encode(const uint8_t *in, size_t len, uint8_t *out, size_t cap);
size_t codec_lz77_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

/* huffman.c: canonical Huffman over bytes, lengths limited to 15 bits. */
void codec_huffman_lengths(const uint32_t freq[256], uint8_t lengths[256]);
size_t codec_huffman_encode(const uint8_t *in, size_t len, uint8_t *out, size_t cap);
size_t codec_huffman_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

/* random.c: a small deterministic generator for test data. */
typedef struct { uint64_t state; } codec_rng;
void codec_rng_seed(codec_rng *rng, uint64_t seed);
uint32_t codec_rng_next(codec_rng *rng);
void codec_fill_text(codec_rng *rng, uint8_t *buf, size_t len);

/* selftest.c: known-answer and round-trip tests; returns the number of failures. */
int codec_self_test(int verbose);

#endif
