/* Sorting: insertion sort and shell sort of pseudo-random keys, checked
 * against each other.  argv[1] scales the number of rounds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 1500

static volatile uint32_t seed = 88172645u;
static uint32_t keys[N], x[N], y[N];

__attribute__((noinline)) static void insertion(uint32_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t k = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > k) { v[j + 1] = v[j]; j--; }
        v[j + 1] = k;
    }
}

__attribute__((noinline)) static void shell(uint32_t *v, int n)
{
    static const int gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
    for (int g = 0; g < 8; g++) {
        int gap = gaps[g];
        for (int i = gap; i < n; i++) {
            uint32_t k = v[i];
            int j = i;
            while (j >= gap && v[j - gap] > k) { v[j] = v[j - gap]; j -= gap; }
            v[j] = k;
        }
    }
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 60;
    uint32_t s = seed;
    uint64_t check = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < N; i++) { s = s * 1664525u + 1013904223u; keys[i] = s >> 8; }
        memcpy(x, keys, sizeof keys);
        memcpy(y, keys, sizeof keys);
        insertion(x, N);
        shell(y, N);
        if (memcmp(x, y, sizeof x) != 0) { puts("mismatch"); return 1; }
        check = check * 31 + x[N / 2] + x[r % N];
    }
    printf("%llu\n", (unsigned long long)check);
    return 0;
}
