/* 8- and 16-bit arithmetic that keeps values in partial registers
 * (%al/%cl/%dx..., movzbl/movsbl/movzwl/movswl, byte and word ALU ops,
 * setcc into byte registers): Fletcher-16 and a mod-255 checksum, an
 * 8-bit Galois LFSR and GF(2^8) multiply, uint16 wrapping sums, RGB565
 * pack/unpack and blending, Q15 fixed-point multiply with int16 values,
 * 8-bit saturating arithmetic, and signed char / short sign extension.
 * All narrowing conversions are of in-range values or to unsigned types. */
#include <stdint.h>
#include <stdio.h>

#define LEN 4096
#define REPS 5000

static volatile uint8_t seed_init = 0xA5;
static uint8_t bytes[LEN];
static uint16_t pixels[LEN];
static int16_t samples[LEN];

__attribute__((noinline)) static uint16_t fletcher16(const uint8_t *d, int n)
{
    uint16_t s1 = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        s1 = (uint16_t)((s1 + d[i]) % 255u);
        s2 = (uint16_t)((s2 + s1) % 255u);
    }
    return (uint16_t)(s2 << 8 | s1);
}

__attribute__((noinline)) static uint8_t lfsr8_run(uint8_t state, int steps)
{
    for (int i = 0; i < steps; i++) {
        uint8_t lsb = state & 1u;
        state >>= 1;
        if (lsb) state ^= 0xB8u;
    }
    return state;
}

__attribute__((noinline)) static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t p = 0;
    while (b) {
        if (b & 1u) p ^= a;
        uint8_t hi = a & 0x80u;
        a = (uint8_t)(a << 1);
        if (hi) a ^= 0x1Bu;
        b >>= 1;
    }
    return p;
}

__attribute__((noinline)) static uint16_t wrap_sum16(const uint16_t *p, int n)
{
    uint16_t s = 0;
    for (int i = 0; i < n; i++) s = (uint16_t)(s + (uint16_t)(p[i] ^ (uint16_t)i));
    return s;
}

static inline uint16_t pack565(uint8_t r, uint8_t g, uint8_t b)
{
    return (uint16_t)((r >> 3) << 11 | (g >> 2) << 5 | (b >> 3));
}

__attribute__((noinline)) static void blend565(uint16_t *dst, const uint16_t *src, int n, uint8_t alpha)
{
    for (int i = 0; i < n; i++) {
        uint16_t a = dst[i], b = src[i];
        uint8_t r = (uint8_t)(((a >> 11) * (255u - alpha) + (b >> 11) * alpha) / 255u);
        uint8_t g = (uint8_t)((((a >> 5) & 63u) * (255u - alpha) + ((b >> 5) & 63u) * alpha) / 255u);
        uint8_t bl = (uint8_t)(((a & 31u) * (255u - alpha) + (b & 31u) * alpha) / 255u);
        dst[i] = pack565((uint8_t)(r << 3), (uint8_t)(g << 2), (uint8_t)(bl << 3));
    }
}

__attribute__((noinline)) static int32_t q15_dot(const int16_t *a, int n, int16_t gain)
{
    int32_t acc = 0;
    for (int i = 0; i < n; i++) {
        int16_t v = (int16_t)(((int32_t)a[i] * gain) >> 15); /* |a*gain| < 2^30: in range */
        acc += v;
    }
    return acc;
}

__attribute__((noinline)) static uint8_t sat_ops(const uint8_t *d, int n)
{
    uint8_t x = 0;
    for (int i = 0; i + 1 < n; i++) {
        unsigned s = (unsigned)d[i] + d[i + 1];
        uint8_t sat_add = (uint8_t)(s > 255u ? 255u : s);
        uint8_t sat_sub = d[i] > d[i + 1] ? (uint8_t)(d[i] - d[i + 1]) : 0u;
        uint8_t avg = (uint8_t)((d[i] + d[i + 1] + 1u) >> 1);
        x = (uint8_t)(x + (uint8_t)(sat_add ^ sat_sub) + (uint8_t)(avg >> 2));
        x = (uint8_t)((x << 3) | (x >> 5)); /* 8-bit rotate */
    }
    return x;
}

__attribute__((noinline)) static int32_t sign_ext(const uint8_t *d, int n)
{
    int32_t s = 0;
    for (int i = 0; i + 1 < n; i += 2) {
        signed char c = (signed char)(d[i] & 0x7Fu) - 64;           /* in [-64, 63] */
        short w = (short)((d[i] << 7 | (d[i + 1] & 0x7Fu)) - 16384); /* in [-16384, 16383] */
        s += c * 3 + w / 7 + (c < 0) - (w > 100);
    }
    return s;
}

int main(void)
{
    uint8_t st = seed_init;
    for (int i = 0; i < LEN; i++) {
        st = lfsr8_run(st, 3);
        bytes[i] = (uint8_t)(st ^ (uint8_t)(i * 7));
        pixels[i] = (uint16_t)(bytes[i] * 257u + (uint16_t)i);
        samples[i] = (int16_t)((int)bytes[i] * 200 - 25500);
    }
    uint32_t fl = 0, ws = 0, sx = 0;
    uint8_t gfx = 1, satx = 0, lf = st;
    int64_t q = 0, se = 0;
    for (int r = 0; r < REPS; r++) {
        fl = fl * 31u + fletcher16(bytes, LEN);
        lf = lfsr8_run((uint8_t)(lf | 1u), 500);
        for (int i = 0; i < 64; i++) gfx = (uint8_t)(gf_mul(gfx, bytes[(i + r) & (LEN - 1)]) ^ (uint8_t)i);
        ws += wrap_sum16(pixels, LEN);
        blend565(pixels, pixels + LEN / 2, LEN / 2, (uint8_t)(r * 13));
        q += q15_dot(samples, LEN, (int16_t)((r * 97) % 64000 - 32000));
        satx ^= sat_ops(bytes, LEN);
        se += sign_ext(bytes, LEN);
        bytes[r & (LEN - 1)] = (uint8_t)(bytes[r & (LEN - 1)] + lf);
        sx += (uint32_t)(uint8_t)(satx + gfx) * (uint32_t)(uint16_t)(ws >> 3);
    }
    printf("narrow_int_arith: fletcher=%08x lfsr=%02x gf=%02x wsum=%08x q15=%lld sat=%02x sext=%lld mix=%08x\n",
           fl, lf, gfx, ws, (long long)q, satx, (long long)se, sx);
    return 0;
}
