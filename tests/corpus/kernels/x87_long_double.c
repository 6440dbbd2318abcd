/* 80-bit x87 `long double` arithmetic (fld/fstp/fmulp/faddp/fucomip,
 * fild/fistp conversions, fnstcw/fldcw truncation): a long double
 * Mandelbrot, Machin's formula for pi and a series for e, a harmonic sum,
 * libm long double calls (sqrtl, expl, logl, sinl, atan2l), and
 * long double <-> integer / double conversions.  x87 has no fused
 * multiply-add and always computes at 64-bit precision here, so every
 * option set produces the same bits. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define W 320
#define H 240
#define MAXIT 800
#define HARM_TERMS 4000000
#define LIBM_CALLS 150000

static volatile long double vscale = 2.5L;
static volatile int vterms = 40;

__attribute__((noinline)) static uint64_t mandel(long double x0, long double y0, long double step)
{
    uint64_t total = 0, h = 1469598103934665603ull;
    for (int py = 0; py < H; py++) {
        long double ci = y0 + step * py;
        for (int px = 0; px < W; px++) {
            long double cr = x0 + step * px;
            long double zr = 0.0L, zi = 0.0L;
            int it = 0;
            while (it < MAXIT) {
                long double zr2 = zr * zr, zi2 = zi * zi;
                if (zr2 + zi2 > 4.0L) break;
                zi = 2.0L * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                it++;
            }
            total += (uint64_t)it;
            h = (h ^ (uint64_t)it) * 1099511628211ull;
        }
    }
    return total ^ (h << 20);
}

__attribute__((noinline)) static long double arctan_inv(int x, int terms)
{
    /* arctan(1/x) = sum (-1)^k / ((2k+1) x^(2k+1)) */
    long double x2 = (long double)x * x, p = 1.0L / x, sum = 0.0L;
    for (int k = 0; k < terms; k++) {
        long double t = p / (2 * k + 1);
        sum = (k & 1) ? sum - t : sum + t;
        p /= x2;
    }
    return sum;
}

__attribute__((noinline)) static long double series_e(int terms)
{
    long double e = 1.0L, t = 1.0L;
    for (int k = 1; k < terms; k++) {
        t /= k;
        e += t;
    }
    return e;
}

__attribute__((noinline)) static long double harmonic(int n)
{
    long double s = 0.0L;
    for (int k = n; k >= 1; k--)
        s += 1.0L / k;
    return s;
}

__attribute__((noinline)) static long double libm_mix(long double scale, int calls, int64_t *ichk)
{
    long double acc = 0.0L;
    int64_t ic = 0;
    for (int i = 1; i <= calls; i++) {
        long double x = scale * i / calls; /* (0, scale] */
        long double v = sqrtl(x) + expl(-x) + logl(x + 1.0L) + sinl(x * 3.0L) + atan2l(x, 1.5L);
        acc += v;
        ic += (int64_t)(v * 1e6L);            /* long double -> int64 (truncation) */
        ic ^= (int64_t)llrintl(v * 1024.0L);   /* round to nearest */
    }
    *ichk = ic;
    return acc;
}

__attribute__((noinline)) static uint64_t conversions(int n)
{
    uint64_t h = 0;
    long double ld = 0.0L;
    for (int i = 0; i < n; i++) {
        uint64_t u = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
        ld = (long double)u;                       /* exact: 64-bit mantissa */
        double d = (double)(ld / 3.0L);             /* rounds to 53 bits */
        long double back = d;
        uint64_t q = (uint64_t)(ld / 7.0L);         /* long double -> unsigned 64 */
        int32_t s32 = (int32_t)(back / 1e10L) - 800000000;
        h = (h ^ q) * 0x100000001B3ull;
        h ^= (uint64_t)(int64_t)s32 + (uint64_t)(back > ld / 3.0L);
    }
    return h;
}

static void print_ld(const char *name, long double v)
{
    unsigned char b[16] = {0};
    memcpy(b, &v, 10); /* the 80 significant bits; padding is never read */
    uint64_t mant;
    uint16_t se;
    memcpy(&mant, b, 8);
    memcpy(&se, b + 8, 2);
    printf("%-8s %.18Lg  [%04x:%016llx]\n", name, v, se, (unsigned long long)mant);
}

int main(void)
{
    long double scale = vscale;
    int terms = vterms;
    uint64_t m = mandel(-scale + 0.5L, -scale * 0.6L, scale / 160.0L);
    long double pi = 16.0L * arctan_inv(5, terms) - 4.0L * arctan_inv(239, terms);
    long double e = series_e(terms);
    long double hs = harmonic(HARM_TERMS);
    int64_t ichk = 0;
    long double lm = libm_mix(scale, LIBM_CALLS, &ichk);
    uint64_t cv = conversions(terms * 20000);

    printf("x87_long_double: mandel=%016llx ichk=%lld conv=%016llx\n", (unsigned long long)m,
           (long long)ichk, (unsigned long long)cv);
    print_ld("pi", pi);
    print_ld("e", e);
    print_ld("H(n)", hs);
    print_ld("libm", lm);
    return 0;
}
