/* Matrix code: blocked transpose and an integer matrix-vector product on a
 * 256x256 matrix.  argv[1] is the number of rounds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 256
#define B 16

static volatile uint32_t seed = 42u;
static uint32_t m[N][N], t[N][N], v[N], out[N];

__attribute__((noinline)) static void transpose(uint32_t (*restrict src)[N], uint32_t (*restrict dst)[N])
{
    for (int i = 0; i < N; i += B)
        for (int j = 0; j < N; j += B)
            for (int ii = i; ii < i + B; ii++)
                for (int jj = j; jj < j + B; jj++) dst[jj][ii] = src[ii][jj];
}

__attribute__((noinline)) static void matvec(uint32_t (*restrict a)[N], const uint32_t *restrict x, uint32_t *restrict y)
{
    for (int i = 0; i < N; i++) {
        uint32_t acc = 0;
        for (int j = 0; j < N; j++) acc += a[i][j] * x[j];
        y[i] = acc;
    }
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 300;
    uint32_t s = seed;
    for (int i = 0; i < N; i++) { v[i] = i * 7 + 1; for (int j = 0; j < N; j++) { s = s * 1664525u + 1013904223u; m[i][j] = s >> 20; } }
    uint32_t check = 0;
    for (int r = 0; r < rounds; r++) {
        transpose(m, t);
        matvec(t, v, out);
        check = check * 31 + out[r % N];
        v[r % N] ^= out[(r * 7) % N];
    }
    printf("%u\n", check);
    return 0;
}
