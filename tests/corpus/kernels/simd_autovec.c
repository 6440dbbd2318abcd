/* Loops GCC auto-vectorizes (SSE2 at -O2, AVX2 ymm at -O3 -march=x86-64-v3):
 * float axpy-style updates, float division/fabs, int32 multiply-add,
 * uint8 saturating add, int16 widening dot product, min/max/abs selects,
 * int<->float conversion, and an integer reduction.  Value ranges are
 * kept small enough that no signed int operation can overflow.
 * Every float multiply whose result is added is exact (small dyadic
 * operands), so fused multiply-add contraction under -march=x86-64-v3
 * cannot change any result; division is correctly rounded in both scalar
 * and vector form. */
#include <stdint.h>
#include <stdio.h>
#include <math.h>

#define N 4096
#define REPS 10000

static volatile uint32_t seed_init = 77u;

static float fx[N], fy[N], fz[N], fout[N];
static int32_t ia[N], ib[N], ic[N];
static uint8_t ua[N], ub[N], uc[N];
static int16_t sa[N], sb[N];

__attribute__((noinline)) static void axpy(float *restrict out, const float *restrict x,
                                           const float *restrict y, float a, float b, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = a * x[i] + b * y[i] + 0.25f;
}

__attribute__((noinline)) static void div_abs(float *restrict z, const float *restrict x, int n)
{
    /* in place; z >= 0 on entry, so z + 1 >= 1 and the result is again >= 0 */
    for (int i = 0; i < n; i++)
        z[i] = fabsf(x[i] / (z[i] + 1.0f)) + z[i] * 0.5f;
}

__attribute__((noinline)) static void int_madd(int32_t *restrict c, const int32_t *restrict a,
                                               const int32_t *restrict b, int32_t k, int n)
{
    for (int i = 0; i < n; i++)
        c[i] = a[i] * k + (b[i] >> 2) - (a[i] & b[i]);
}

__attribute__((noinline)) static void sat_add_u8(uint8_t *restrict c, const uint8_t *restrict a,
                                                 const uint8_t *restrict b, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned s = (unsigned)a[i] + b[i];
        c[i] = (uint8_t)(s > 255u ? 255u : s);
    }
}

__attribute__((noinline)) static int32_t dot_i16(const int16_t *restrict a, const int16_t *restrict b, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; i++)
        s += (int32_t)a[i] * b[i];
    return s;
}

__attribute__((noinline)) static void minmax_abs(int32_t *restrict c, const int32_t *restrict a,
                                                 const int32_t *restrict b, int n)
{
    for (int i = 0; i < n; i++) {
        int32_t m = a[i] < b[i] ? a[i] : b[i];
        int32_t M = a[i] > b[i] ? a[i] : b[i];
        int32_t d = m - M;
        c[i] = (d < 0 ? -d : d) + (m ^ M);
    }
}

__attribute__((noinline)) static uint32_t to_int_sum(const float *restrict x, int n)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++)
        s += (uint32_t)(int32_t)(x[i] * 64.0f);
    return s;
}

__attribute__((noinline)) static void int_to_float(float *restrict out, const int32_t *restrict a, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = (float)(a[i] & 0xFFFFF) * 0.5f;
}

static uint32_t hash_bytes(const void *p, size_t n, uint32_t h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

int main(void)
{
    uint32_t s = seed_init;
    for (int i = 0; i < N; i++) {
        s = s * 1664525u + 1013904223u;
        fx[i] = (float)((int)(s >> 20) - 2048) / 16.0f; /* |x| <= 128, 4 fraction bits */
        fy[i] = (float)((int)(s >> 8 & 0xFFF) - 2048) / 32.0f;
        fz[i] = (float)(s & 0x3FF);
        ia[i] = (int32_t)(s >> 9) - (1 << 22);
        ib[i] = (int32_t)(s * 2654435761u >> 3) - (1 << 28);
        ua[i] = (uint8_t)(s >> 11);
        ub[i] = (uint8_t)(s >> 19);
        sa[i] = (int16_t)((int)(s >> 20) - 2048); /* |sa*sb| < 2^18: the 4096-term sum fits */
        sb[i] = (int16_t)((int)(s & 0xFF) - 128);
    }

    uint32_t hf = 2166136261u, hi = 2166136261u, hu = 2166136261u;
    uint32_t cvt = 0;
    int64_t dots = 0;
    for (int r = 0; r < REPS; r++) {
        float a = (float)(r & 7) - 3.0f;      /* small integer: a*x exact */
        float b = (float)((r >> 3) & 3) * 0.5f;
        axpy(fout, fx, fy, a, b, N);
        cvt += to_int_sum(fout, N);
        div_abs(fz, fout, N);
        int_madd(ic, ia, ib, (int32_t)(r & 15) - 7, N);
        minmax_abs(ia, ic, ib, N);
        for (int i = 0; i < N; i++) /* keep |ia| < 2^23 so nothing can overflow */
            ia[i] = (ia[i] & 0xFFFFFF) - 0x800000;
        sat_add_u8(uc, ua, ub, N);
        sat_add_u8(ua, uc, ub, N);
        for (int i = 0; i < N; i++)
            ua[i] = (uint8_t)(ua[i] ^ ub[(i + r) & (N - 1)]);
        dots += dot_i16(sa, sb, N);
        sa[r & (N - 1)] = (int16_t)(sa[r & (N - 1)] ^ 0x2A5); /* stays in [-2048, 2047] */
        if ((r & 63) == 0) {
            hf = hash_bytes(fout, sizeof fout, hf);
            hf = hash_bytes(fz, sizeof fz, hf);
            int_to_float(fy, ia, N); /* fy: values < 2^19, exact in float */
            for (int i = 0; i < N; i++)
                fy[i] = fy[i] / 4096.0f;
        }
    }
    hi = hash_bytes(ia, sizeof ia, hi);
    hi = hash_bytes(ic, sizeof ic, hi);
    hu = hash_bytes(ua, sizeof ua, hu);
    hu = hash_bytes(uc, sizeof uc, hu);
    printf("simd_autovec: float=%08x int=%08x u8=%08x cvt=%08x dot=%lld\n", hf, hi, hu, cvt,
           (long long)dots);
    return 0;
}
