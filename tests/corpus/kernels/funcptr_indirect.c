/* Function pointers and indirect calls: a table of operation pointers
 * indexed by data (`call *(%rax,%rdx,8)` or via a register), callbacks
 * passed to generic map/fold/filter helpers, a hand-made vtable for
 * "shape" objects, a function that returns a function pointer, an
 * indirect tail call (`jmp *%rax`), and pointer comparison against known
 * functions.  With -fcf-protection every address-taken function starts
 * with endbr64. */
#include <stdint.h>
#include <stdio.h>

#define N 1024
#define REPS 13000

static volatile uint32_t seed_init = 0xF00DCAFEu;

typedef uint32_t (*binop_fn)(uint32_t, uint32_t);
typedef uint32_t (*unop_fn)(uint32_t);
typedef int (*pred_fn)(uint32_t);

static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_sub(uint32_t a, uint32_t b) { return a - b; }
static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ b; }
static uint32_t op_mul(uint32_t a, uint32_t b) { return a * (b | 1u); }
static uint32_t op_rot(uint32_t a, uint32_t b) { return (a << (b & 31)) | (a >> (-b & 31)); }
static uint32_t op_max(uint32_t a, uint32_t b) { return a > b ? a : b; }

static uint32_t un_inc(uint32_t a) { return a + 1; }
static uint32_t un_hash(uint32_t a) { a ^= a >> 16; a *= 0x7FEB352Du; a ^= a >> 15; return a; }
static uint32_t un_neg(uint32_t a) { return 0u - a; }
static uint32_t un_half(uint32_t a) { return a >> 1; }

static int is_odd(uint32_t a) { return (int)(a & 1u); }
static int is_big(uint32_t a) { return a > 0x80000000u; }

static binop_fn const ops[8] = {op_add, op_sub, op_xor, op_mul, op_rot, op_max, op_add, op_xor};

__attribute__((noinline)) static void map(uint32_t *dst, const uint32_t *src, int n, unop_fn f)
{
    for (int i = 0; i < n; i++) dst[i] = f(src[i]);
}

__attribute__((noinline)) static uint32_t fold(const uint32_t *a, int n, uint32_t init, binop_fn f)
{
    for (int i = 0; i < n; i++) init = f(init, a[i]);
    return init;
}

__attribute__((noinline)) static int filter_count(const uint32_t *a, int n, pred_fn p)
{
    int c = 0;
    for (int i = 0; i < n; i++) c += p(a[i]) != 0;
    return c;
}

__attribute__((noinline)) static unop_fn pick_unop(uint32_t sel)
{
    switch (sel & 3u) {
    case 0: return un_inc;
    case 1: return un_hash;
    case 2: return un_neg;
    default: return un_half;
    }
}

/* indirect tail call */
__attribute__((noinline)) static uint32_t apply_selected(uint32_t sel, uint32_t a, uint32_t b)
{
    return ops[sel & 7u](a, b);
}

/* ---- a tiny object system with a vtable ---- */
typedef struct Shape Shape;
typedef struct {
    int64_t (*area2)(const Shape *);     /* twice the area, integer */
    int64_t (*perimeter)(const Shape *); /* rounded down */
    void (*scale)(Shape *, int32_t);
    const char *name;
} ShapeVT;
struct Shape { const ShapeVT *vt; int32_t a, b, c; };

static int64_t rect_area2(const Shape *s) { return 2LL * s->a * s->b; }
static int64_t rect_perim(const Shape *s) { return 2LL * (s->a + s->b); }
static void rect_scale(Shape *s, int32_t k) { s->a = s->a * k % 1000 + 1; s->b = s->b * k % 1000 + 1; }
static int64_t tri_area2(const Shape *s) { return (int64_t)s->a * s->c; } /* base a, height c */
static int64_t tri_perim(const Shape *s) { return 3LL * s->a; }
static void tri_scale(Shape *s, int32_t k) { s->a = s->a * k % 500 + 1; s->c = s->c * k % 500 + 1; }
static int64_t sq_area2(const Shape *s) { return 2LL * s->a * s->a; }
static int64_t sq_perim(const Shape *s) { return 4LL * s->a; }
static void sq_scale(Shape *s, int32_t k) { s->a = s->a * k % 700 + 1; }

static const ShapeVT rect_vt = {rect_area2, rect_perim, rect_scale, "rect"};
static const ShapeVT tri_vt = {tri_area2, tri_perim, tri_scale, "tri"};
static const ShapeVT sq_vt = {sq_area2, sq_perim, sq_scale, "square"};
static const ShapeVT *const vts[3] = {&rect_vt, &tri_vt, &sq_vt};

static uint32_t src[N], dst[N];
static Shape shapes[64];

int main(void)
{
    uint32_t s = seed_init;
    for (int i = 0; i < N; i++) {
        s = s * 1664525u + 1013904223u;
        src[i] = s;
    }
    for (int i = 0; i < 64; i++) {
        s = s * 1664525u + 1013904223u;
        shapes[i] = (Shape){vts[s % 3u], (int32_t)(s >> 8 & 255) + 1, (int32_t)(s >> 16 & 255) + 1,
                            (int32_t)(s >> 24) + 1};
    }
    uint32_t acc = 0;
    int64_t area = 0, perim = 0;
    int counted = 0, identity_hits = 0;
    for (int r = 0; r < REPS; r++) {
        unop_fn f = pick_unop((uint32_t)r ^ acc);
        if (f == un_hash) identity_hits++;
        map(dst, src, N, f);
        acc += fold(dst, N, (uint32_t)r, ops[(uint32_t)r % 8u]);
        counted += filter_count(dst, N, (r & 1) ? is_odd : is_big);
        for (int i = 0; i < 64; i++) {
            Shape *sh = &shapes[(i * 7 + r) & 63];
            area += sh->vt->area2(sh);
            perim += sh->vt->perimeter(sh);
            if (((uint32_t)(i + r) & 15u) == 0) sh->vt->scale(sh, 3 + (r & 7));
            acc = apply_selected(acc + (uint32_t)i, acc, (uint32_t)area);
        }
        src[r % N] = dst[(r * 31) % N];
    }
    printf("funcptr_indirect: acc=%08x area2=%lld perim=%lld counted=%d hash_picked=%d first=%s\n", acc,
           (long long)area, (long long)perim, counted, identity_hits, shapes[0].vt->name);
    return 0;
}
