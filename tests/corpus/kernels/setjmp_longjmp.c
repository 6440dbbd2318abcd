/* Non-local exits: a recursive-descent expression parser that reports
 * errors (bad token, division by zero, too deep) with longjmp from deep
 * inside the recursion to a setjmp in the driver; nested handlers
 * (an inner setjmp that catches some errors and rethrows the others to the
 * outer jmp_buf); volatile locals that are modified between setjmp and
 * longjmp and read afterwards. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define EXPRS 120000

enum { ERR_NONE, ERR_SYNTAX, ERR_DIV0, ERR_DEPTH, ERR_RANGE };

static jmp_buf *cur_handler;
static const char *src;
static int depth;
static unsigned long long n_throws, n_div0_caught;

static volatile uint32_t seed_init = 0x5EEDu;

__attribute__((noreturn, noinline)) static void fail(int code)
{
    n_throws++;
    longjmp(*cur_handler, code);
}

static int64_t parse_expr(void);

static int64_t parse_atom(void)
{
    if (++depth > 40) fail(ERR_DEPTH);
    int64_t v;
    if (*src == '(') {
        src++;
        v = parse_expr();
        if (*src != ')') fail(ERR_SYNTAX);
        src++;
    } else if (*src == '-') {
        src++;
        v = -parse_atom();
    } else if (*src >= '0' && *src <= '9') {
        v = 0;
        while (*src >= '0' && *src <= '9') v = v * 10 + (*src++ - '0');
        if (v > 100000) fail(ERR_RANGE);
    } else {
        fail(ERR_SYNTAX);
    }
    depth--;
    return v;
}

static int64_t parse_term(void)
{
    int64_t v = parse_atom();
    while (*src == '*' || *src == '/' || *src == '%') {
        char op = *src++;
        int64_t r = parse_atom();
        if (op == '*') {
            if (__builtin_mul_overflow(v, r, &v) || v > 1000000000000LL || v < -1000000000000LL)
                fail(ERR_RANGE);
        } else {
            if (r == 0) fail(ERR_DIV0);
            v = op == '/' ? v / r : v % r;
        }
    }
    return v;
}

static int64_t parse_expr(void)
{
    int64_t v = parse_term();
    while (*src == '+' || *src == '-') {
        char op = *src++;
        int64_t r = parse_term();
        v = op == '+' ? v + r : v - r;
        if (v > 1000000000000LL || v < -1000000000000LL) fail(ERR_RANGE);
    }
    return v;
}

/* Inner handler: swallows ERR_DIV0 (result 0), rethrows everything else. */
__attribute__((noinline)) static int64_t eval_lenient(const char *text, jmp_buf *outer)
{
    jmp_buf inner;
    volatile int64_t partial = -1;
    jmp_buf *volatile saved = cur_handler;
    int code = setjmp(inner);
    if (code == 0) {
        cur_handler = &inner;
        src = text;
        depth = 0;
        partial = 0;
        int64_t v = parse_expr();
        if (*src != '\0') fail(ERR_SYNTAX);
        partial = v;
        cur_handler = saved;
        return partial;
    }
    cur_handler = saved;
    if (code == ERR_DIV0) { /* partial is 0: set after setjmp, before the parse started */
        n_div0_caught++;
        return partial;
    }
    cur_handler = outer;
    fail(code); /* rethrow */
}

static char buf[256];
static uint32_t rs;

static uint32_t rnd(void)
{
    rs = rs * 1103515245u + 12345u;
    return rs >> 8;
}

static size_t gen(size_t pos, int d)
{
    if (pos > sizeof buf - 40) return pos;
    uint32_t r = rnd();
    if (d > 6 || r % 5 == 0) {
        pos += (size_t)snprintf(buf + pos, sizeof buf - pos, "%u", rnd() % (r % 97 == 0 ? 1000000u : 100u));
        return pos;
    }
    if (r % 41 == 0) { buf[pos++] = '?'; return pos; } /* syntax error */
    if (r % 7 == 0) {
        buf[pos++] = '(';
        pos = gen(pos, d + 1);
        if (r % 53 != 0) buf[pos++] = ')';
        return pos;
    }
    if (r % 11 == 0) {
        buf[pos++] = '-';
        return gen(pos, d + 1);
    }
    pos = gen(pos, d + 1);
    buf[pos++] = "+-*/%+-*"[rnd() % 8];
    return gen(pos, d + 1);
}

/* Outer handler: returns ERR_NONE and stores the value, or the error code. */
__attribute__((noinline)) static int run_one(const char *text, int64_t *out)
{
    jmp_buf outer;
    int code = setjmp(outer);
    if (code == 0) {
        cur_handler = &outer;
        *out = eval_lenient(text, &outer);
    }
    return code;
}

int main(void)
{
    rs = seed_init;
    unsigned counts[5] = {0};
    int64_t sum = 0;
    for (int i = 0; i < EXPRS; i++) {
        size_t n = gen(0, 0);
        buf[n] = '\0';
        if (i % 997 == 0) { /* occasionally very deep nesting */
            memset(buf, '(', 60);
            strcpy(buf + 60, "1");
        }
        int64_t v = 0;
        int code = run_one(buf, &v);
        counts[code]++;
        if (code == ERR_NONE) sum += v;
    }
    printf("setjmp_longjmp: sum=%lld ok=%u syntax=%u div0_caught=%llu depth=%u range=%u throws=%llu\n",
           (long long)sum, counts[ERR_NONE], counts[ERR_SYNTAX], n_div0_caught, counts[ERR_DEPTH],
           counts[ERR_RANGE], n_throws);
    return 0;
}
