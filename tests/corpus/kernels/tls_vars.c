/* Thread-local storage, single-threaded: `static __thread` variables
 * (local-exec in a plain build, local-dynamic `@tlsld` with -fPIC) and
 * externally visible `__thread` variables declared `extern` and defined in
 * this file (local-exec / general-dynamic `@tlsgd` + __tls_get_addr with
 * -fPIC), read and written from several functions, including taking the
 * address of a TLS array element and passing it on. */
#include <stdint.h>
#include <stdio.h>

#define REPS 26000000

extern __thread uint32_t tls_hist[64];
extern __thread uint64_t tls_calls;
extern __thread int tls_depth;

static __thread uint64_t tls_rng = 0x853C49E6748FEA9Bull; /* initialized: .tdata */
static __thread uint32_t tls_last;                         /* zeroed: .tbss */
static __thread uint32_t tls_ring[16];
static __thread unsigned tls_ring_pos;

__thread uint32_t tls_hist[64];
__thread uint64_t tls_calls = 1;
__thread int tls_depth;

static volatile uint64_t seed_init = 0xDA3E39CB94B95BDBull;

__attribute__((noinline)) static uint32_t tls_next(void)
{
    uint64_t x = tls_rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    tls_rng = x;
    tls_calls++;
    return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

__attribute__((noinline)) static void tls_record(uint32_t v)
{
    tls_hist[v & 63u]++;
    tls_ring[tls_ring_pos++ & 15u] = v;
    tls_last = v;
}

__attribute__((noinline)) static void bump(uint32_t *slot, uint32_t by)
{
    *slot += by;
}

__attribute__((noinline)) static uint32_t ring_mix(void)
{
    uint32_t h = tls_last;
    for (int i = 0; i < 16; i++)
        h = (h ^ tls_ring[i]) * 16777619u;
    return h;
}

__attribute__((noinline)) static uint32_t nested(int n)
{
    tls_depth++;
    uint32_t r = tls_next();
    if (n > 0 && (r & 3u) != 0)
        r ^= nested(n - 1) + (uint32_t)tls_depth;
    tls_depth--;
    return r;
}

int main(void)
{
    tls_rng ^= seed_init;
    uint32_t acc = 0;
    for (uint32_t i = 0; i < REPS; i++) {
        uint32_t v = tls_next();
        tls_record(v);
        bump(&tls_hist[(v >> 8) & 63u], 3u); /* address of a TLS element */
        if ((i & 63u) == 0) {
            acc += ring_mix();
            acc ^= nested(8);
        }
    }
    uint32_t hh = 2166136261u;
    for (int i = 0; i < 64; i++)
        hh = (hh ^ tls_hist[i]) * 16777619u;
    printf("tls_vars: acc=%08x hist=%08x calls=%llu last=%08x depth=%d\n", acc, hh,
           (unsigned long long)tls_calls, tls_last, tls_depth);
    return 0;
}
