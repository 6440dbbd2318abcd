/* Structs passed and returned by value, covering each SysV classification:
 * 8-byte INTEGER (rax), two doubles (xmm0:xmm1), INTEGER+SSE (rax+xmm0),
 * 16-byte INTEGER pair (rax:rdx), 24-byte and larger MEMORY (hidden sret
 * pointer, stack copies), plus big struct assignments (rep movs or runs of
 * vector moves) and array-of-struct element copies.  The callees are
 * external and noipa so GCC keeps the ABI shapes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define REPS 2400000

typedef struct { int32_t a, b; } Small8;
typedef struct { double x, y; } Vec2;
typedef struct { int64_t k; double v; } Mixed;
typedef struct { uint64_t lo, hi; } Pair16;
typedef struct { int32_t v[6]; } Mid24;
typedef struct { char name[40]; int32_t id; float score; uint16_t tags[10]; } Record; /* 68 bytes */
typedef struct { uint64_t w[64]; } Big512;
typedef struct { unsigned kind : 3, flags : 5, count : 12, extra : 12; } Bits;

static volatile uint32_t seed_init = 31337u;

__attribute__((noipa)) Small8 small_step(Small8 s, int32_t k)
{
    Small8 r = {s.b ^ k, (int32_t)((uint32_t)s.a + (uint32_t)s.b * 3u)};
    return r;
}

__attribute__((noipa)) Vec2 vec_turn(Vec2 v, double dx)
{
    Vec2 r = {-v.y + dx, v.x * 0.5}; /* all values stay small dyadic: exact */
    return r;
}

__attribute__((noipa)) Mixed mixed_make(int64_t k, Vec2 v)
{
    Mixed m = {k * 3 + (int64_t)v.x, v.y - v.x};
    return m;
}

__attribute__((noipa)) Pair16 mul_wide(uint64_t a, uint64_t b)
{
    unsigned __int128 p = (unsigned __int128)a * b;
    Pair16 r = {(uint64_t)p, (uint64_t)(p >> 64)};
    return r;
}

__attribute__((noipa)) Mid24 mid_rotate(Mid24 m, int32_t add)
{
    Mid24 r;
    for (int i = 0; i < 6; i++)
        r.v[i] = (m.v[(i + 1) % 6] + (add & 0xFF)) & 0x3FFFFFFF; /* bounded */
    return r;
}

__attribute__((noipa)) Record record_update(Record r, int32_t id)
{
    r.id = (r.id + id) & 0xFFFFFF; /* bounded: no signed overflow */
    r.score = r.score * 0.5f + 1.0f; /* r.score * 0.5 is exact */
    r.tags[id & 7] = (uint16_t)(r.tags[id & 7] + (uint16_t)id);
    r.name[id % 39] = (char)('a' + id % 26);
    return r;
}

__attribute__((noipa)) Big512 big_mix(Big512 b, uint64_t k)
{
    for (int i = 0; i < 64; i++)
        b.w[i] = (b.w[i] ^ k) * 0x9E3779B97F4A7C15ull + (uint64_t)i;
    return b;
}

__attribute__((noipa)) uint64_t big_sum(Big512 b)
{
    uint64_t s = 0;
    for (int i = 0; i < 64; i++)
        s += b.w[i] >> (i & 7);
    return s;
}

__attribute__((noipa)) Bits bits_step(Bits b)
{
    Bits r = b;
    r.kind = (b.kind + 1) & 7;
    r.flags ^= b.kind;
    r.count = (b.count + b.flags + 1) & 0xFFF;
    r.extra = (b.extra * 5 + 1) & 0xFFF;
    return r;
}

static Record table[32];
static Big512 bigs[4];

int main(void)
{
    uint32_t seed = seed_init;
    Small8 sm = {(int32_t)seed, 7};
    Vec2 v = {1.0, 2.0};
    Mid24 mid = {{1, 2, 3, 4, 5, 6}};
    Bits bits = {1, 2, 3, 4};
    Big512 big;
    for (int i = 0; i < 64; i++)
        big.w[i] = (uint64_t)seed * (uint64_t)(i + 1);
    for (int i = 0; i < 32; i++) {
        memset(&table[i], 0, sizeof table[i]);
        snprintf(table[i].name, sizeof table[i].name, "record-%02d", i);
        table[i].id = i;
        table[i].score = (float)i;
    }
    for (int i = 0; i < 4; i++)
        bigs[i] = big;

    uint64_t acc = 0, wide = 0;
    int64_t macc = 0;
    double vacc = 0.0;
    for (int r = 0; r < REPS; r++) {
        sm = small_step(sm, r);
        v = vec_turn(v, (double)(r & 3));
        Mixed m = mixed_make(r, v);
        macc += m.k + (int64_t)m.v;
        vacc += v.x - v.y;
        Pair16 p = mul_wide(acc | 1u, (uint64_t)sm.a * 0x2545F4914F6CDD1Dull);
        wide ^= p.hi + p.lo;
        mid = mid_rotate(mid, r);
        table[r & 31] = record_update(table[(r * 7) & 31], r); /* 68-byte copies */
        bits = bits_step(bits);
        if ((r & 15) == 0) {
            bigs[r & 3] = big_mix(bigs[(r >> 4) & 3], (uint64_t)r); /* 512-byte copies */
            acc += big_sum(bigs[(r >> 2) & 3]);
        }
        Record tmp = table[(r + 5) & 31]; /* plain struct assignment */
        acc += (uint64_t)tmp.id + tmp.tags[r & 7] + (uint8_t)tmp.name[r % 39];
    }

    uint32_t h = 2166136261u;
    for (int i = 0; i < 32; i++) {
        const unsigned char *b = (const unsigned char *)&table[i];
        for (size_t k = 0; k < offsetof(Record, tags) + sizeof table[i].tags; k++)
            h = (h ^ b[k]) * 16777619u;
    }
    printf("struct_copy_return: acc=%016llx wide=%016llx small=%d,%d\n", (unsigned long long)acc,
           (unsigned long long)wide, sm.a, sm.b);
    printf("vec=(%.3f,%.3f) vacc=%.3f macc=%lld mid=%d,%d,%d records=%08x bits=%u/%u/%u/%u\n", v.x, v.y,
           vacc, (long long)macc, mid.v[0], mid.v[3], mid.v[5], h, bits.kind, bits.flags, bits.count,
           bits.extra);
    return 0;
}
