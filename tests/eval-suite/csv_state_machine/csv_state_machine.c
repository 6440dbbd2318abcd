/* A state machine: a CSV parser (quoted fields, escaped quotes, CRLF) over
 * generated records, summing numeric fields and counting rows and fields.
 * argv[1] scales the number of passes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum state { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED, AFTER_CR };

static char input[1 << 15];
static volatile uint32_t seed = 97u;

static size_t generate(void)
{
    uint32_t s = seed;
    size_t n = 0;
    while (n + 64 < sizeof input) {
        for (int f = 0; f < 5; f++) {
            s = s * 1664525u + 1013904223u;
            if ((s >> 28) < 3) n += (size_t)snprintf(input + n, 40, "\"a,\"\"%u\"\"\"", (s >> 8) % 1000);
            else n += (size_t)snprintf(input + n, 40, "%u", (s >> 8) % 100000);
            input[n++] = f == 4 ? '\r' : ',';
        }
        input[n++] = '\n';
    }
    return n;
}

__attribute__((noinline)) static uint64_t parse(const char *p, size_t n, unsigned *rows, unsigned *fields)
{
    enum state st = FIELD_START;
    uint64_t sum = 0, value = 0;
    int numeric = 1;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        switch (st) {
        case FIELD_START:
            value = 0; numeric = 1;
            if (c == '"') { st = QUOTED; numeric = 0; break; }
            st = UNQUOTED;
            /* fall through */
        case UNQUOTED:
            if (c == ',' || c == '\r' || c == '\n') {
                (*fields)++;
                if (numeric) sum += value;
                st = c == '\r' ? AFTER_CR : FIELD_START;
                if (c == '\n') (*rows)++;
            } else if (c >= '0' && c <= '9') value = value * 10 + (uint64_t)(c - '0');
            else numeric = 0;
            break;
        case QUOTED:
            if (c == '"') st = QUOTE_IN_QUOTED;
            break;
        case QUOTE_IN_QUOTED:
            if (c == '"') st = QUOTED;
            else if (c == ',') { (*fields)++; st = FIELD_START; }
            else if (c == '\r') { (*fields)++; st = AFTER_CR; }
            else st = FIELD_START;
            break;
        case AFTER_CR:
            if (c == '\n') (*rows)++;
            st = FIELD_START;
            break;
        }
    }
    return sum;
}

int main(int argc, char **argv)
{
    int passes = argc > 1 ? atoi(argv[1]) : 400;
    size_t n = generate();
    uint64_t sum = 0;
    unsigned rows = 0, fields = 0;
    for (int r = 0; r < passes; r++) sum += parse(input, n, &rows, &fields);
    printf("%u rows, %u fields, sum %llu\n", rows, fields, (unsigned long long)sum);
    return 0;
}
