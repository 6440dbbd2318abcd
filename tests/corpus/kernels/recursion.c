/* Recursion: n-queens by backtracking over arrays and with bitmasks,
 * Ackermann(2..3, small n), naive Fibonacci (two self-calls), Tower of
 * Hanoi, mutually recursive functions, recursive permutation generation,
 * and a recursive integer partition count.  The argument values come from
 * a volatile so nothing folds at compile time. */
#include <stdint.h>
#include <stdio.h>

static volatile int vq = 10, vfib = 31, vack_m = 3, vack_n = 8, vhanoi = 21, vperm = 9, vpart = 70;

static int cols[16];

static int safe(int row, int col)
{
    for (int r = 0; r < row; r++) {
        int c = cols[r];
        if (c == col || c - col == r - row || c - col == row - r) return 0;
    }
    return 1;
}

__attribute__((noinline)) static int queens_array(int row, int n)
{
    if (row == n) return 1;
    int count = 0;
    for (int c = 0; c < n; c++)
        if (safe(row, c)) {
            cols[row] = c;
            count += queens_array(row + 1, n);
        }
    return count;
}

__attribute__((noinline)) static int queens_bits(uint32_t colmask, uint32_t d1, uint32_t d2, uint32_t full)
{
    if (colmask == full) return 1;
    int count = 0;
    uint32_t avail = full & ~(colmask | d1 | d2);
    while (avail) {
        uint32_t bit = avail & -avail;
        avail ^= bit;
        count += queens_bits(colmask | bit, (d1 | bit) << 1, (d2 | bit) >> 1, full);
    }
    return count;
}

__attribute__((noinline)) static uint32_t ackermann(uint32_t m, uint32_t n)
{
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

__attribute__((noinline)) static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint64_t hanoi_sig;

__attribute__((noinline)) static uint64_t hanoi(int n, int from, int to, int via)
{
    if (n == 0) return 0;
    uint64_t moves = hanoi(n - 1, from, via, to);
    hanoi_sig = hanoi_sig * 3u + (uint64_t)(from * 3 + to);
    return moves + 1 + hanoi(n - 1, via, to, from);
}

static int is_odd_r(uint32_t n);
__attribute__((noinline)) static int is_even_r(uint32_t n) { return n == 0 ? 1 : is_odd_r(n - 1); }
__attribute__((noinline)) static int is_odd_r(uint32_t n) { return n == 0 ? 0 : is_even_r(n - 1); }

static uint64_t perm_sig;
static int perm_buf[12];

__attribute__((noinline)) static uint64_t permute(int k, int n)
{
    if (k == n) {
        uint64_t v = 0;
        for (int i = 0; i < n; i++) v = v * 11u + (uint64_t)perm_buf[i];
        perm_sig ^= v * 0x9E3779B97F4A7C15ull;
        return 1;
    }
    uint64_t count = 0;
    for (int i = k; i < n; i++) {
        int t = perm_buf[k]; perm_buf[k] = perm_buf[i]; perm_buf[i] = t;
        count += permute(k + 1, n);
        t = perm_buf[k]; perm_buf[k] = perm_buf[i]; perm_buf[i] = t;
    }
    return count;
}

__attribute__((noinline)) static uint64_t partitions(int n, int max)
{
    if (n == 0) return 1;
    if (n < 0 || max == 0) return 0;
    return partitions(n - max, max) + partitions(n, max - 1);
}

int main(void)
{
    int q = vq;
    int qa = queens_array(0, q);
    int qb = queens_bits(0, 0, 0, (1u << q) - 1u);
    uint32_t ack = ackermann((uint32_t)vack_m, (uint32_t)vack_n) + ackermann(2u, (uint32_t)vack_n * 50u);
    uint32_t f = fib((uint32_t)vfib);
    uint64_t moves = hanoi(vhanoi, 0, 2, 1);
    int parity = is_even_r(10001u + (uint32_t)vq) * 2 + is_odd_r(7777u);
    for (int i = 0; i < vperm; i++) perm_buf[i] = i;
    uint64_t np = permute(0, vperm);
    uint64_t parts = partitions(vpart, vpart);
    printf("recursion: queens(%d)=%d/%d queens(%d)=%d ack=%u fib=%u\n", q, qa, qb, q + 2,
           queens_bits(0, 0, 0, (1u << (q + 2)) - 1u), ack, f);
    printf("hanoi=%llu sig=%016llx parity=%d perms=%llu psig=%016llx partitions=%llu\n",
           (unsigned long long)moves, (unsigned long long)hanoi_sig, parity, (unsigned long long)np,
           (unsigned long long)perm_sig, (unsigned long long)parts);
    return 0;
}
