#include "codec.h"

/* xorshift64* with a fixed seed: the same data on every machine. */
void codec_rng_seed(codec_rng *rng, uint64_t seed)
{
    rng->state = seed ? seed : 0x9E3779B97F4A7C15ull;
}

uint32_t codec_rng_next(codec_rng *rng)
{
    uint64_t x = rng->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng->state = x;
    return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

/* Text-like data: words from a small vocabulary, so that every coder has something to find. */
void codec_fill_text(codec_rng *rng, uint8_t *buf, size_t len)
{
    static const char *words[] = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "compress",
                                  "assembly", "register", "cache", "loop", "branch", "vector", "memory"};
    size_t o = 0;
    while (o < len) {
        const char *w = words[codec_rng_next(rng) % 16];
        while (*w && o < len) buf[o++] = (uint8_t)*w++;
        if (o < len) buf[o++] = (codec_rng_next(rng) % 11 == 0) ? '\n' : ' ';
    }
}
