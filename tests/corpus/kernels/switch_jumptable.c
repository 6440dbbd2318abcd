/* Dense switch statements: a 24-case operation dispatcher (jump table,
 * `jmp *` through .rodata / .LN table), a switch that only maps values to
 * constants (GCC's switch-conversion into a CSWTCH lookup array), and a
 * switch on character ranges using the GNU `case 'a' ... 'z':` extension.
 * The operation stream comes from an LCG so the indirect jump is
 * unpredictable and cannot be folded at compile time. */
#include <stdint.h>
#include <stdio.h>

#define REPS 6000000

static volatile uint32_t seed_init = 0x2545F491u;

__attribute__((noinline)) static uint32_t dispatch(uint32_t op, uint32_t a, uint32_t b)
{
    switch (op) {
    case 0:  return a + b;
    case 1:  return a - b;
    case 2:  return a ^ b;
    case 3:  return a | (b >> 3);
    case 4:  return a & (b | 0x0F0F0F0Fu);
    case 5:  return a * b;
    case 6:  return a << (b & 31);
    case 7:  return a >> (b & 31);
    case 8:  return (a << 7) | (a >> 25);
    case 9:  return ~a + b;
    case 10: return a + 0x9E3779B9u;
    case 11: return a / ((b & 0xFFu) + 1u);
    case 12: return a % ((b & 0xFFFu) | 1u);
    case 13: return a * 33u + b;
    case 14: return a > b ? a - b : b - a;
    case 15: return a < b ? a : b;
    case 16: return (a & 0xFFFFu) * (b >> 16);
    case 17: return a ^ (a >> 15) ^ (b << 3);
    case 18: return (uint32_t)__builtin_popcount(a) + b;
    case 19: return a + (b & 0x55555555u) * 3u;
    case 20: return (a >> 16) | (b << 16);
    case 21: return a - (b >> 1) + 17u;
    case 22: return (a * 0x85EBCA6Bu) ^ b;
    case 23: return (a | 1u) * (b | 1u);
    default: return a ^ 0xDEADBEEFu;
    }
}

/* Pure value mapping: GCC turns this into a table load (CSWTCH.*). */
__attribute__((noinline)) static int weight_of(unsigned k)
{
    switch (k) {
    case 0:  return 7;
    case 1:  return 3;
    case 2:  return 11;
    case 3:  return 5;
    case 4:  return 2;
    case 5:  return 13;
    case 6:  return 17;
    case 7:  return 1;
    case 8:  return 19;
    case 9:  return 23;
    case 10: return 29;
    case 11: return 31;
    case 12: return 37;
    case 13: return 41;
    case 14: return 43;
    case 15: return 47;
    default: return 0;
    }
}

/* Case ranges (GNU extension) over characters. */
__attribute__((noinline)) static int char_class(unsigned char c)
{
    switch (c) {
    case 'a' ... 'z': return 1;
    case 'A' ... 'Z': return 2;
    case '0' ... '9': return 3;
    case ' ': case '\t': case '\n': return 4;
    case '(': case ')': case '[': case ']': case '{': case '}': return 5;
    case '+': case '-': case '*': case '/': case '%': return 6;
    case '!' : case '?': case '.': case ',': case ';': case ':': return 7;
    default: return 0;
    }
}

int main(void)
{
    uint32_t s = seed_init;
    uint32_t acc = 1u, acc2 = 0u;
    uint64_t wsum = 0, classes[8] = {0};

    for (uint32_t i = 0; i < REPS; i++) {
        s = s * 1664525u + 1013904223u;
        uint32_t op = (s >> 24) % 25u;
        acc = dispatch(op, acc, s ^ i);
        acc2 += acc >> 7;
        wsum += (uint64_t)weight_of((s >> 8) & 15u) * (i & 7u);
        classes[char_class((unsigned char)(s >> 13))]++;
    }

    printf("switch_jumptable: acc=%08x acc2=%08x wsum=%llu\n", acc, acc2,
           (unsigned long long)wsum);
    printf("classes:");
    for (int k = 0; k < 8; k++)
        printf(" %llu", (unsigned long long)classes[k]);
    printf("\n");
    return 0;
}
