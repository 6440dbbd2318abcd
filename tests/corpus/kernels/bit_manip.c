/* Bit manipulation: __builtin_popcount/clz/ctz/parity/ffs/bswap (libgcc
 * calls or bit tricks at -O2, popcnt/lzcnt/tzcnt with -march=x86-64-v3),
 * rotate idioms that GCC turns into rol/ror, bit reversal, Gray code,
 * software pext/pdep, next-permutation-of-bits, __builtin_mul_overflow,
 * and unsigned __int128 multiply (mulq, 64x64->128) for a wyhash-style
 * mum mix, 128-bit modular multiplication and a 128-bit LCG. */
#include <stdint.h>
#include <stdio.h>

#define REPS 5000000

static volatile uint64_t seed_init = 0x0123456789ABCDEFull;

static inline uint32_t rotl32(uint32_t x, unsigned r) { return (x << (r & 31)) | (x >> (-r & 31)); }
static inline uint64_t rotr64(uint64_t x, unsigned r) { return (x >> (r & 63)) | (x << (-r & 63)); }

__attribute__((noinline)) static uint32_t bitrev32(uint32_t x)
{
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
    return __builtin_bswap32(x);
}

__attribute__((noinline)) static uint64_t soft_pext(uint64_t x, uint64_t mask)
{
    uint64_t r = 0;
    for (uint64_t bb = 1; mask; bb += bb) {
        if (x & mask & -mask) r |= bb;
        mask &= mask - 1;
    }
    return r;
}

__attribute__((noinline)) static uint64_t soft_pdep(uint64_t x, uint64_t mask)
{
    uint64_t r = 0;
    for (uint64_t bb = 1; mask; bb += bb) {
        if (x & bb) r |= mask & -mask;
        mask &= mask - 1;
    }
    return r;
}

static inline uint32_t next_perm(uint32_t v) /* next int with the same popcount */
{
    uint32_t t = v | (v - 1);
    return (t + 1) | (((~t & -~t) - 1) >> (__builtin_ctz(v) + 1));
}

static inline uint64_t mum(uint64_t a, uint64_t b)
{
    unsigned __int128 p = (unsigned __int128)a * b;
    return (uint64_t)p ^ (uint64_t)(p >> 64);
}

__attribute__((noinline)) static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)((unsigned __int128)a * b % m);
}

__attribute__((noinline)) static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
    uint64_t r = 1 % m;
    b %= m;
    while (e) {
        if (e & 1) r = mulmod(r, b, m);
        b = mulmod(b, b, m);
        e >>= 1;
    }
    return r;
}

int main(void)
{
    uint64_t x = seed_init;
    unsigned __int128 lcg = ((unsigned __int128)x << 64) | 0xDEADBEEFull;
    const unsigned __int128 lcg_mul = ((unsigned __int128)0x2360ED051FC65DA4ull << 64) | 0x4385DF649FCCF645ull;
    uint64_t pop = 0, lz = 0, tz = 0, par = 0, fs = 0, rot = 0, rev = 0, gray = 0, dep = 0, mm = 0, ovf = 0;
    uint32_t perm = 0x0000003Fu;
    for (uint32_t i = 0; i < REPS; i++) {
        lcg = lcg * lcg_mul + 1;
        x = (uint64_t)(lcg >> 64);
        uint32_t lo = (uint32_t)x, hi = (uint32_t)(x >> 32);
        pop += (uint64_t)__builtin_popcountll(x) + (uint64_t)__builtin_popcount(lo & hi);
        lz += x ? (uint64_t)__builtin_clzll(x) : 64u;
        lz += lo ? (uint64_t)__builtin_clz(lo) : 32u;
        tz += hi ? (uint64_t)__builtin_ctz(hi) : 32u;
        tz += (x >> 3) ? (uint64_t)__builtin_ctzll(x >> 3) : 64u;
        par += (uint64_t)__builtin_parityll(x) + (uint64_t)__builtin_ffs((int)(hi >> 1));
        fs ^= __builtin_bswap64(x) + __builtin_bswap16((uint16_t)i);
        rot += rotl32(lo, i) ^ rotr64(x, hi);
        rev ^= bitrev32(lo + i);
        gray += (uint64_t)(lo ^ (lo >> 1));
        if ((i & 15) == 0) {
            uint64_t m = 0xF0F0F0F00FF000FFull ^ ((uint64_t)i << 20);
            uint64_t e = soft_pext(x, m);
            dep += e + soft_pdep(e, m);
            perm = next_perm(perm);
            if (perm & 0x80000000u) perm = 0x3Fu;
        }
        mm += mum(x, 0xA0761D6478BD642Full ^ i);
        int32_t prod;
        ovf += __builtin_mul_overflow((int32_t)lo, (int32_t)(hi >> 12), &prod);
        ovf += (uint32_t)prod & 1u;
        if ((i & 255) == 0)
            mm ^= powmod(x | 1u, i + 65537u, 0xFFFFFFFFFFFFFFC5ull); /* largest 64-bit prime */
    }
    printf("bit_manip: pop=%llu lz=%llu tz=%llu par=%llu ovf=%llu perm=%08x\n", (unsigned long long)pop,
           (unsigned long long)lz, (unsigned long long)tz, (unsigned long long)par, (unsigned long long)ovf, perm);
    printf("fs=%016llx rot=%016llx rev=%016llx gray=%llu dep=%016llx mm=%016llx lcg=%016llx\n",
           (unsigned long long)fs, (unsigned long long)rot, (unsigned long long)rev, (unsigned long long)gray,
           (unsigned long long)dep, (unsigned long long)mm, (unsigned long long)(uint64_t)lcg);
    return 0;
}
