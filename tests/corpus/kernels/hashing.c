/* Hash functions over a byte buffer: FNV-1a 32 and 64, a table-driven
 * CRC-32 (table built at start-up) checked against a bitwise CRC-32,
 * a Murmur3-style 32-bit block hash (rotates, multiplies, fmix), a
 * 64-bit mixing hash reading 8-byte words (splitmix/fmix64 finalizers),
 * and Adler-32. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BUF_LEN (64 * 1024)
#define REPS 240

static volatile uint32_t seed_init = 0x1234567u;
static uint8_t buf[BUF_LEN];
static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

__attribute__((noinline)) static uint32_t crc32_table(const uint8_t *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

__attribute__((noinline)) static uint32_t crc32_bitwise(const uint8_t *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

__attribute__((noinline)) static uint32_t fnv1a32(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

__attribute__((noinline)) static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint32_t fmix32(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

static inline uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xFF51AFD7ED558CCDull;
    k ^= k >> 33;
    k *= 0xC4CEB9FE1A85EC53ull;
    k ^= k >> 33;
    return k;
}

__attribute__((noinline)) static uint32_t murmur3_32(const uint8_t *p, size_t n, uint32_t seed)
{
    const uint32_t c1 = 0xCC9E2D51u, c2 = 0x1B873593u;
    uint32_t h = seed;
    size_t nblocks = n / 4;
    for (size_t i = 0; i < nblocks; i++) {
        uint32_t k;
        memcpy(&k, p + i * 4, 4);
        k *= c1;
        k = rotl32(k, 15);
        k *= c2;
        h ^= k;
        h = rotl32(h, 13);
        h = h * 5u + 0xE6546B64u;
    }
    const uint8_t *tail = p + nblocks * 4;
    uint32_t k = 0;
    switch (n & 3) {
    case 3: k ^= (uint32_t)tail[2] << 16; /* fall through */
    case 2: k ^= (uint32_t)tail[1] << 8;  /* fall through */
    case 1:
        k ^= tail[0];
        k *= c1;
        k = rotl32(k, 15);
        k *= c2;
        h ^= k;
        break;
    default: break;
    }
    h ^= (uint32_t)n;
    return fmix32(h);
}

__attribute__((noinline)) static uint64_t mix64_hash(const uint8_t *p, size_t n, uint64_t seed)
{
    uint64_t a = seed ^ 0x9E3779B97F4A7C15ull, b = ~seed, c = 0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint64_t x, y;
        memcpy(&x, p + i, 8);
        memcpy(&y, p + i + 8, 8);
        a = rotl64(a ^ (x * 0x87C37B91114253D5ull), 31) * 0x4CF5AD432745937Full;
        b = rotl64(b + y, 27) * 5u + 0x52DCE729u;
        c += a ^ b;
    }
    for (; i < n; i++)
        c = (c ^ p[i]) * 0x100000001B3ull;
    uint64_t z = a + b + c + (uint64_t)n;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull; /* splitmix64 finalizer */
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return fmix64(z ^ (z >> 31));
}

__attribute__((noinline)) static uint32_t adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;
    while (n) {
        size_t chunk = n < 5552 ? n : 5552;
        n -= chunk;
        while (chunk--) {
            a += *p++;
            b += a;
        }
        a %= 65521u;
        b %= 65521u;
    }
    return (b << 16) | a;
}

int main(void)
{
    uint64_t s = seed_init;
    for (size_t i = 0; i < BUF_LEN; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        buf[i] = (uint8_t)(s >> 56);
    }
    crc_init();
    uint32_t crc_check = crc32_bitwise((const uint8_t *)"123456789", 9, 0); /* 0xCBF43926 */

    uint32_t x32 = 0, crc = 0, ad = 0;
    uint64_t x64 = 0;
    int crc_bad = 0;
    for (int r = 0; r < REPS; r++) {
        size_t len = BUF_LEN - (size_t)r * 7;
        const uint8_t *p = buf + (r & 7); /* vary alignment */
        len -= 8;
        x32 ^= fnv1a32(p, len);
        x64 ^= fnv1a64(p, len);
        crc = crc32_table(p, len, crc);
        if ((r & 7) == 0 && crc32_bitwise(p, len, 0) != crc32_table(p, len, 0)) crc_bad++;
        x32 += murmur3_32(p, len, (uint32_t)r);
        x64 += mix64_hash(p, len, (uint64_t)r);
        ad ^= adler32(p, len);
        buf[(size_t)r * 977u % BUF_LEN] ^= (uint8_t)(x32 >> 3);
    }
    printf("hashing: check=%08x crc=%08x x32=%08x x64=%016llx adler=%08x crc_bad=%d\n", crc_check, crc,
           x32, (unsigned long long)x64, ad, crc_bad);
    return 0;
}
