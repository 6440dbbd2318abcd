/* Variadic functions: a printf-like formatter of our own (va_list passed to
 * a v-function, va_arg of int/long/long long/size_t/double/char * and a struct,
 * flags, width, precision, %f done with integer math), va_copy to walk
 * the arguments twice, a va_list passed by pointer to a helper, and
 * sum-of-ints / sum-of-doubles functions (the %al vector-register count
 * and the register save area in the prologue).  Our output is checked
 * against snprintf for every line and hashed. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define REPS 75000

static volatile unsigned seed_init = 4242u;

typedef struct { int x, y; } Pt;

typedef struct {
    char *buf;
    size_t cap, len;
} Out;

static void put_c(Out *o, char c)
{
    if (o->len + 1 < o->cap) o->buf[o->len] = c;
    o->len++;
}

static void put_field(Out *o, const char *s, size_t n, int width, int left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;
    if (!left && pad == '0' && n > 0 && (s[0] == '-' || s[0] == '+')) {
        put_c(o, *s++);
        n--;
    }
    if (!left) while (fill-- > 0) put_c(o, pad);
    while (n--) put_c(o, *s++);
    if (left) while (fill-- > 0) put_c(o, ' ');
}

static size_t utoa_base(char *end, unsigned long long v, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t n = 0;
    do {
        *--end = digits[v % base];
        v /= base;
        n++;
    } while (v);
    return n;
}

/* Consumes one conversion's worth of arguments from *ap. */
static void format_one(Out *o, char conv, int lng, int width, int prec, int left, char pad, va_list *ap)
{
    char tmp[80];
    char *end = tmp + sizeof tmp;
    size_t n;
    switch (conv) {
    case 'd': {
        long long v = lng == 2 ? va_arg(*ap, long long) : lng == 1 ? va_arg(*ap, long) : va_arg(*ap, int);
        unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
        n = utoa_base(end, mag, 10, 0);
        if (v < 0) { *(end - n - 1) = '-'; n++; }
        put_field(o, end - n, n, width, left, pad);
        break;
    }
    case 'u': case 'x': case 'X': case 'o': {
        unsigned long long v = lng == 3 ? va_arg(*ap, size_t)
                             : lng == 2 ? va_arg(*ap, unsigned long long)
                             : lng == 1 ? va_arg(*ap, unsigned long)
                                        : va_arg(*ap, unsigned);
        unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
        n = utoa_base(end, v, base, conv == 'X');
        put_field(o, end - n, n, width, left, pad);
        break;
    }
    case 'c':
        tmp[0] = (char)va_arg(*ap, int);
        put_field(o, tmp, 1, width, left, ' ');
        break;
    case 's': {
        const char *s = va_arg(*ap, const char *);
        size_t len = strlen(s);
        if (prec >= 0 && (size_t)prec < len) len = (size_t)prec;
        put_field(o, s, len, width, left, ' ');
        break;
    }
    case 'f': {
        double d = va_arg(*ap, double);
        if (prec < 0) prec = 6;
        int neg = signbit(d) != 0;
        double scale = 1.0;
        for (int i = 0; i < prec; i++) scale *= 10.0;
        unsigned long long q = (unsigned long long)llround(fabs(d) * scale);
        unsigned long long ip = q / (unsigned long long)scale, fp = q % (unsigned long long)scale;
        char *p = end;
        for (int i = 0; i < prec; i++) { *--p = (char)('0' + fp % 10); fp /= 10; }
        if (prec > 0) *--p = '.';
        p -= utoa_base(p, ip, 10, 0);
        if (neg) *--p = '-';
        put_field(o, p, (size_t)(end - p), width, left, pad);
        break;
    }
    case 'P': { /* our extension: a Pt passed by value through the varargs */
        Pt pt = va_arg(*ap, Pt);
        int k = snprintf(tmp, sizeof tmp, "(%d,%d)", pt.x, pt.y);
        put_field(o, tmp, (size_t)k, width, left, ' ');
        break;
    }
    default:
        put_c(o, conv);
        break;
    }
}

static int my_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
    Out o = {buf, cap, 0};
    va_list aq;
    va_copy(aq, ap);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') { put_c(&o, *f); continue; }
        f++;
        int left = 0, width = 0, prec = -1, lng = 0;
        char pad = ' ';
        for (;; f++) {
            if (*f == '-') left = 1;
            else if (*f == '0') pad = '0';
            else break;
        }
        while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
        if (*f == '.') {
            prec = 0;
            f++;
            while (*f >= '0' && *f <= '9') prec = prec * 10 + (*f++ - '0');
        }
        if (*f == 'z') { lng = 3; f++; }
        while (*f == 'l') { lng++; f++; }
        if (*f == '%') { put_c(&o, '%'); continue; }
        format_one(&o, *f, lng, width, prec, left, pad, &aq);
    }
    va_end(aq);
    if (o.cap) o.buf[o.len < o.cap ? o.len : o.cap - 1] = '\0';
    return (int)o.len;
}

__attribute__((noinline)) static int my_format(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = my_vformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

/* Walks the list twice through va_copy: count of positives, then sum. */
__attribute__((noinline)) static long sum_ints(int count, ...)
{
    va_list ap, ap2;
    va_start(ap, count);
    va_copy(ap2, ap);
    long pos = 0, sum = 0;
    for (int i = 0; i < count; i++) pos += va_arg(ap, int) > 0;
    for (int i = 0; i < count; i++) sum += va_arg(ap2, int);
    va_end(ap2);
    va_end(ap);
    return sum * 16 + pos;
}

/* Mixed integer / double arguments: needs the xmm save area. */
__attribute__((noinline)) static double sum_mixed(int count, ...)
{
    va_list ap;
    va_start(ap, count);
    double s = 0.0;
    for (int i = 0; i < count; i++) {
        int k = va_arg(ap, int);
        double d = va_arg(ap, double);
        s += d * 2.0 + (double)k; /* d*2 is exact: no fma difference */
    }
    va_end(ap);
    return s;
}

int main(void)
{
    static const char *const words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
    char mine[256], ref[256];
    unsigned s = seed_init;
    uint32_t h = 2166136261u;
    long isum = 0;
    double dsum = 0.0;
    int mismatches = 0;
    for (int i = 0; i < REPS; i++) {
        s = s * 1103515245u + 12345u;
        int a = (int)(s >> 4) - (1 << 26);
        unsigned long long b = (unsigned long long)s * 0x9E3779B97F4A7C15ull;
        double d = (double)((int)(s >> 12) - 500000) / 16.0; /* exact in binary and decimal */
        const char *w = words[s % 8u];
        size_t z = s % 1000u;
        Pt pt = {(int)(s & 255u) - 128, (int)(s >> 24)};
        int n1 = my_format(mine, sizeof mine, "[%d|%-8s|%08x|%llu|%.4f|%c|%zu|%5.3s|%lX|%o|%%]",
                           a, w, s, b, d, 'A' + (int)(s % 26u), z, w, (unsigned long)b, s & 0777u);
        int n2 = snprintf(ref, sizeof ref, "[%d|%-8s|%08x|%llu|%.4f|%c|%zu|%5.3s|%lX|%o|%%]",
                          a, w, s, b, d, 'A' + (int)(s % 26u), z, w, (unsigned long)b, s & 0777u);
        if (n1 != n2 || strcmp(mine, ref) != 0) mismatches++;
        for (int k = 0; k < n1; k++) h = (h ^ (unsigned char)mine[k]) * 16777619u;
        n1 = my_format(mine, sizeof mine, "%P %-12P|%012d|%-6d|%ld", pt, pt, -a, a & 0xFFF, (long)a * 7);
        for (int k = 0; k < n1; k++) h = (h ^ (unsigned char)mine[k]) * 16777619u;
        isum += sum_ints(6, a & 0xFF, -(a & 0x7F), (int)(s & 15u), 3, -2, (int)(s >> 28));
        dsum += sum_mixed(3, 1, d, (int)(s & 7u), 0.5, -4, d / 8.0);
    }
    my_format(mine, sizeof mine, "last: %s %d %.3f %P", words[s % 8u], (int)(s % 1000u), dsum / 1024.0, (Pt){3, -4});
    printf("varargs_format: hash=%08x isum=%ld dsum=%.4f mismatches=%d\n", h, isum, dsum, mismatches);
    printf("%s\n", mine);
    return 0;
}
