/* Loops over arrays: prefix sums, a dot product, an integer saxpy and a
 * max-subarray scan.  argv[1] scales the work (repetitions). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 4096

static volatile uint32_t seed = 2463534242u;
static int32_t a[N], b[N];
static int64_t prefix[N];

static uint32_t xorshift(uint32_t *s) { *s ^= *s << 13; *s ^= *s >> 17; *s ^= *s << 5; return *s; }

__attribute__((noinline)) static void prefix_sums(const int32_t *x, int64_t *out, int n)
{
    int64_t acc = 0;
    for (int i = 0; i < n; i++) { acc += x[i]; out[i] = acc; }
}

__attribute__((noinline)) static int64_t dot(const int32_t *x, const int32_t *y, int n)
{
    int64_t acc = 0;
    for (int i = 0; i < n; i++) acc += (int64_t)x[i] * y[i];
    return acc;
}

__attribute__((noinline)) static void saxpy(int32_t k, const int32_t *x, int32_t *y, int n)
{
    for (int i = 0; i < n; i++) y[i] = (int32_t)((uint32_t)k * (uint32_t)x[i] + (uint32_t)y[i]) & 0xFFFF;
}

__attribute__((noinline)) static int64_t max_subarray(const int32_t *x, int n)
{
    int64_t best = x[0], cur = 0;
    for (int i = 0; i < n; i++) {
        cur = cur > 0 ? cur + x[i] : x[i];
        if (cur > best) best = cur;
    }
    return best;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 2000;
    uint32_t s = seed;
    for (int i = 0; i < N; i++) { a[i] = (int32_t)(xorshift(&s) % 2001) - 1000; b[i] = (int32_t)(xorshift(&s) % 101) - 50; }
    uint64_t check = 0;
    for (int r = 0; r < reps; r++) {
        prefix_sums(a, prefix, N);
        check += (uint64_t)prefix[N - 1 - (r % 7)];
        check += (uint64_t)dot(a, b, N);
        saxpy(r % 5 + 1, a, b, N);
        check += (uint64_t)max_subarray(a, N);
        a[r % N] ^= 1;
    }
    printf("%llu\n", (unsigned long long)check);
    return 0;
}
