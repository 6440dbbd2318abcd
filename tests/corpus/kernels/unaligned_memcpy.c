/* Unaligned loads and stores through memcpy (GCC turns fixed-size memcpy
 * into single mov/movq/movdqu instructions): little-endian u16/u32/u64
 * reads at arbitrary byte offsets, big-endian reads via __builtin_bswap,
 * 16-byte copies and block swaps, a packed-struct view of a record, writing fields back
 * at odd offsets, overlapping memmove, and parsing a generated binary
 * TLV (type-length-value) stream. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BUF 65536
#define REPS 650

static volatile uint32_t seed_init = 0x51A7E5u;
static uint8_t buf[BUF + 64];
static uint8_t out[BUF + 64];

static inline uint16_t ld16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t ld32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t ld64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint32_t ld32be(const uint8_t *p) { return __builtin_bswap32(ld32(p)); }
static inline uint64_t ld64be(const uint8_t *p) { return __builtin_bswap64(ld64(p)); }
static inline void st32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void st64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

typedef struct __attribute__((packed)) {
    uint8_t tag;
    uint32_t id;
    uint16_t flags;
    uint64_t stamp;
    int32_t delta;
} PackedRec; /* 19 bytes, fields misaligned */

__attribute__((noinline)) static uint64_t scan_words(const uint8_t *p, size_t n, size_t stride)
{
    uint64_t h = 0;
    for (size_t i = 0; i + 8 <= n; i += stride)
        h = (h ^ ld64(p + i)) * 0x100000001B3ull + ld32(p + i + 1) + ld16(p + i + 3);
    return h;
}

__attribute__((noinline)) static uint64_t scan_be(const uint8_t *p, size_t n)
{
    uint64_t h = 0;
    for (size_t i = 0; i + 8 <= n; i += 5)
        h += ld64be(p + i) ^ ld32be(p + i + 2);
    return h;
}

__attribute__((noinline)) static void copy16_odd(uint8_t *dst, const uint8_t *src, size_t n)
{
    for (size_t i = 0; i + 16 <= n; i += 16) {
        uint8_t tmp[16];
        memcpy(tmp, src + i, 16);
        tmp[0] ^= (uint8_t)i;
        memcpy(dst + i, tmp, 16);
    }
}

/* Swap 16-byte blocks at odd offsets: plain 16-byte memcpy (movdqu/movups). */
__attribute__((noinline)) static void swap16(uint8_t *p, size_t n, size_t dist)
{
    for (size_t i = 1; i + dist + 16 <= n; i += 16 + dist) {
        uint8_t a[16], b[16];
        memcpy(a, p + i, 16);
        memcpy(b, p + i + dist, 16);
        memcpy(p + i, b, 16);
        memcpy(p + i + dist, a, 16);
    }
}

__attribute__((noinline)) static uint64_t packed_records(uint8_t *p, size_t n)
{
    uint64_t h = 0;
    for (size_t off = 3; off + sizeof(PackedRec) <= n; off += sizeof(PackedRec) * 3) {
        PackedRec r;
        memcpy(&r, p + off, sizeof r);
        h += r.tag + (uint64_t)r.id * 3u + r.flags + (r.stamp >> 5) + (uint64_t)(int64_t)r.delta;
        r.id ^= (uint32_t)h;
        r.delta = (int32_t)(r.flags & 0x7FFF) - 100;
        memcpy(p + off, &r, sizeof r);
    }
    return h;
}

__attribute__((noinline)) static uint64_t parse_tlv(const uint8_t *p, size_t n, unsigned *records)
{
    uint64_t h = 0;
    size_t i = 0;
    unsigned count = 0;
    while (i + 3 <= n) {
        uint8_t type = p[i];
        uint16_t len = ld16(p + i + 1);
        if (i + 3 + len > n) break;
        const uint8_t *v = p + i + 3;
        switch (type & 3u) {
        case 0: if (len >= 4) h += ld32(v); break;
        case 1: if (len >= 8) h ^= ld64(v); break;
        case 2: if (len >= 4) h = h * 31u + ld32be(v); break;
        default: for (uint16_t k = 0; k < len; k++) h += v[k]; break;
        }
        count++;
        i += 3u + len;
    }
    *records = count;
    return h;
}

static size_t build_tlv(uint8_t *p, size_t cap, uint32_t s)
{
    size_t i = 0;
    for (;;) {
        s = s * 1664525u + 1013904223u;
        uint16_t len = (uint16_t)(s >> 28) + 1u; /* 1..16 */
        if (i + 3u + len > cap) break;
        p[i] = (uint8_t)(s >> 8);
        memcpy(p + i + 1, &len, 2);
        for (uint16_t k = 0; k < len; k++) p[i + 3 + k] = (uint8_t)(s >> (k & 15));
        i += 3u + len;
    }
    return i;
}

int main(void)
{
    uint32_t s = seed_init;
    for (size_t i = 0; i < BUF + 64; i++) {
        s = s * 1103515245u + 12345u;
        buf[i] = (uint8_t)(s >> 16);
    }
    uint64_t h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0;
    unsigned recs = 0;
    for (int r = 0; r < REPS; r++) {
        size_t off = (size_t)r % 13u;
        h1 += scan_words(buf + off, BUF - 16, 3 + (size_t)(r & 3));
        h2 ^= scan_be(buf + 1 + off, BUF - 16);
        copy16_odd(out + 7, buf + off, BUF);
        h3 += ld64(out + 7 + (size_t)r * 101u % (BUF - 8));
        swap16(out, BUF, 21 + (size_t)(r & 7));
        h4 += packed_records(out + 1, BUF);
        memmove(out + 3, out + 1, 4096); /* overlapping, forwards */
        memmove(out + 1, out + 5, 4096); /* overlapping, backwards */
        st32(buf + 1 + (size_t)r * 37u, (uint32_t)h1);
        st64(buf + 3 + (size_t)r * 53u, h2);
        size_t tl = build_tlv(out, BUF, s + (uint32_t)r);
        unsigned n = 0;
        h5 += parse_tlv(out, tl, &n);
        recs += n;
    }
    printf("unaligned_memcpy: le=%016llx be=%016llx copy=%016llx packed=%016llx tlv=%016llx records=%u size=%zu\n",
           (unsigned long long)h1, (unsigned long long)h2, (unsigned long long)h3, (unsigned long long)h4,
           (unsigned long long)h5, recs, sizeof(PackedRec));
    return 0;
}
