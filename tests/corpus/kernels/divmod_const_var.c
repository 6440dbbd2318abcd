/* Integer division and modulo: by constants (magic-number multiply and
 * shift for /3 /7 /10 /1000 /641, signed power-of-two with the rounding
 * fix-up, 64-bit constants), by run-time variables (div/idiv, 32- and
 * 64-bit, signed with negative operands, C truncation semantics), the
 * combined quotient+remainder idiom, unsigned __int128 division (libgcc
 * __udivti3/__umodti3), decimal conversion, gcd, modular exponentiation
 * with a variable modulus, and a base-N digit sum. */
#include <stdint.h>
#include <stdio.h>

#define REPS 1700000

static volatile uint64_t seed_init = 0x9E3779B97F4A7C15ull;

__attribute__((noinline)) static uint64_t const_div_u32(uint32_t x)
{
    return (uint64_t)(x / 3u) + x % 3u + x / 7u + x % 7u + x / 10u + x % 10u + x / 1000u + x % 641u + (x >> 4) / 25u;
}

__attribute__((noinline)) static int64_t const_div_s32(int32_t x)
{
    return (int64_t)(x / 3) + x % 3 + x / 7 + x % 7 + x / 16 + x % 16 + x / -5 + x % 1024 + x / 1000000;
}

__attribute__((noinline)) static uint64_t const_div_u64(uint64_t x)
{
    return x / 10u + x % 10u + x / 1000000007u + x % 1000000007u + x / 0xFFFFFFFFull + (x >> 7) % 60u;
}

__attribute__((noinline)) static int64_t const_div_s64(int64_t x)
{
    return x / 9 + x % 9 + x / 4096 + x % 4096 + x / -1000 + x % 86400;
}

__attribute__((noinline)) static uint32_t var_div_u32(uint32_t a, uint32_t b) { return a / b + (a % b) * 3u; }
__attribute__((noinline)) static int32_t var_div_s32(int32_t a, int32_t b) { return a / b + a % b; }
__attribute__((noinline)) static uint64_t var_div_u64(uint64_t a, uint64_t b) { return a / b ^ a % b; }
__attribute__((noinline)) static int64_t var_div_s64(int64_t a, int64_t b) { return a / b - a % b; }

__attribute__((noinline)) static uint64_t div128(unsigned __int128 a, uint64_t b)
{
    unsigned __int128 q = a / b, r = a % b;
    return (uint64_t)q ^ (uint64_t)(q >> 64) ^ (uint64_t)r;
}

__attribute__((noinline)) static int utoa10(uint64_t v, char *out)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

__attribute__((noinline)) static uint64_t gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

__attribute__((noinline)) static uint32_t powmod32(uint32_t b, uint32_t e, uint32_t m)
{
    uint64_t r = 1 % m, x = b % m;
    while (e) {
        if (e & 1u) r = r * x % m;
        x = x * x % m;
        e >>= 1;
    }
    return (uint32_t)r;
}

__attribute__((noinline)) static uint32_t digit_sum(uint64_t v, uint32_t base)
{
    uint32_t s = 0;
    while (v) {
        s += (uint32_t)(v % base);
        v /= base;
    }
    return s;
}

int main(void)
{
    uint64_t s = seed_init;
    /* signed results are accumulated with wrapping unsigned adds */
    uint64_t a1 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0;
    int64_t a2 = 0;
    uint32_t dig = 0;
    char buf[32];
    for (uint32_t i = 0; i < REPS; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        uint32_t u = (uint32_t)s, v = (uint32_t)(s >> 32);
        int32_t si = (int32_t)(u >> 1) - (int32_t)(v >> 1);                 /* no overflow */
        int64_t sl = (int64_t)(s >> 2) - (int64_t)(s >> 3) * 3;            /* no overflow, both signs */
        a1 += const_div_u32(u);
        a2 += const_div_s32(si);
        a3 += const_div_u64(s);
        a4 += (uint64_t)const_div_s64(sl);
        uint32_t dv = (v >> (v & 31u)) | 1u;                                /* nonzero divisor */
        a5 += var_div_u32(u, dv);
        int32_t sd = (int32_t)(dv >> 1) * ((v & 2u) ? -1 : 1);            /* may be negative */
        if (sd == 0) sd = -3;
        a6 += (uint64_t)(int64_t)var_div_s32(si, sd);
        a7 += var_div_u64(s, (s >> (u & 63u)) | 1u);
        a6 += (uint64_t)var_div_s64(sl, (int64_t)(sd | 1) * 12345);
        if ((i & 7u) == 0) {
            a8 += div128(((unsigned __int128)s << 64) | v, (s >> 9) | 1u);
            a9 += gcd(s | 1u, (uint64_t)u * v + 1u) + powmod32(u, v, dv | 0x10001u);
            dig += digit_sum(s, 2u + (u % 35u)) + (uint32_t)utoa10(s, buf);
            dig += (uint32_t)(buf[0] - '0');
        }
    }
    printf("divmod_const_var: cu32=%llu cs32=%lld cu64=%016llx cs64=%016llx\n", (unsigned long long)a1, (long long)a2,
           (unsigned long long)a3, (unsigned long long)a4);
    printf("vu32=%llu vs=%016llx vu64=%016llx div128=%016llx gcdpow=%016llx digits=%u last=%s\n",
           (unsigned long long)a5, (unsigned long long)a6, (unsigned long long)a7, (unsigned long long)a8,
           (unsigned long long)a9, dig, buf);
    return 0;
}
