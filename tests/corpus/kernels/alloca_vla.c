/* Variable-size stack allocation: variable-length arrays (1-D, 2-D, VLA
 * parameters `int n, int32_t m[n][n]`, sizeof on a VLA, VLAs of structs
 * and of 32-byte-aligned vectors that force stack realignment), and
 * alloca() in a callee, so frames use a frame pointer and dynamic %rsp
 * adjustments.  Workloads: edit distance with two VLA rows, a sieve in
 * an alloca'd buffer, matrix power with VLA parameters, a per-call
 * histogram struct array. */
#include <alloca.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define REPS 8800

static volatile uint32_t seed_init = 0x600DF00Du;
static uint32_t rs;

static uint32_t rnd(void)
{
    rs = rs * 1664525u + 1013904223u;
    return rs >> 7;
}

__attribute__((noinline)) static int edit_distance(const char *a, int n, const char *b, int m)
{
    int prev[m + 1], cur[m + 1];
    for (int j = 0; j <= m; j++) prev[j] = j;
    for (int i = 1; i <= n; i++) {
        cur[0] = i;
        for (int j = 1; j <= m; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            int best = sub < del ? sub : del;
            cur[j] = best < ins ? best : ins;
        }
        memcpy(prev, cur, sizeof cur); /* sizeof of a VLA */
    }
    return prev[m];
}

__attribute__((noinline)) static uint32_t sieve_alloca(unsigned limit)
{
    unsigned char *comp = alloca(limit + 1);
    memset(comp, 0, limit + 1);
    uint32_t count = 0, sum = 0;
    for (unsigned i = 2; i <= limit; i++) {
        if (comp[i]) continue;
        count++;
        sum += i;
        for (unsigned j = i * i; j <= limit; j += i) comp[j] = 1;
    }
    return count * 65536u + (sum & 0xFFFFu);
}

__attribute__((noinline)) static void mat_mul_vla(int n, uint32_t c[n][n], uint32_t a[n][n], uint32_t b[n][n])
{
    uint32_t t[n][n];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            uint32_t s = 0;
            for (int k = 0; k < n; k++) s += a[i][k] * b[k][j];
            t[i][j] = s;
        }
    memcpy(c, t, sizeof t);
}

__attribute__((noinline)) static uint32_t mat_pow_trace(int n, uint32_t e, uint32_t seed)
{
    uint32_t m[n][n], r[n][n];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            m[i][j] = (seed >> ((i + j) & 15)) & 7u;
            r[i][j] = i == j;
        }
    while (e) {
        if (e & 1) mat_mul_vla(n, r, r, m);
        mat_mul_vla(n, m, m, m);
        e >>= 1;
    }
    uint32_t tr = 0;
    for (int i = 0; i < n; i++) tr += r[i][i];
    return tr;
}

typedef struct { uint16_t key; uint32_t count; } Bucket;

__attribute__((noinline)) static uint32_t histogram_vla(const uint8_t *data, int len, int nb)
{
    Bucket b[nb];
    for (int i = 0; i < nb; i++) b[i] = (Bucket){(uint16_t)i, 0};
    for (int i = 0; i < len; i++) b[data[i] % nb].count++;
    uint32_t h = 0;
    for (int i = 0; i < nb; i++) h = h * 31u + b[i].count * (b[i].key + 1u);
    return h;
}

typedef float v8f __attribute__((vector_size(32)));

__attribute__((noinline)) static float aligned_vla(int n)
{
    v8f acc[n]; /* 32-byte aligned VLA: needs %rsp realignment */
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 8; k++) acc[i][k] = (float)(i + k);
    v8f s = {0};
    for (int i = 0; i < n; i++) s += acc[i];
    return s[0] + s[7];
}

int main(void)
{
    rs = seed_init;
    char a[96], b[96];
    uint8_t data[512];
    uint64_t ed = 0, sv = 0, mp = 0, hv = 0;
    double al = 0.0;
    for (int r = 0; r < REPS; r++) {
        int n = 20 + (int)(rnd() % 70u), m = 20 + (int)(rnd() % 70u);
        for (int i = 0; i < n; i++) a[i] = (char)('a' + rnd() % 4u);
        for (int j = 0; j < m; j++) b[j] = (char)('a' + rnd() % 4u);
        ed += (uint64_t)edit_distance(a, n, b, m);
        sv += sieve_alloca(2000u + rnd() % 6000u);
        mp += mat_pow_trace(3 + (int)(rnd() % 6u), 5u + rnd() % 60u, rnd());
        int len = 64 + (int)(rnd() % 448u);
        for (int i = 0; i < len; i++) data[i] = (uint8_t)rnd();
        hv ^= histogram_vla(data, len, 3 + (int)(rnd() % 60u));
        al += aligned_vla(1 + (int)(rnd() % 30u));
    }
    printf("alloca_vla: edit=%llu sieve=%llu matpow=%llu hist=%016llx aligned=%.1f\n", (unsigned long long)ed,
           (unsigned long long)sv, (unsigned long long)mp, (unsigned long long)hv, al);
    return 0;
}
