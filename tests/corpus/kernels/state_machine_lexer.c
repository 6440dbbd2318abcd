/* An explicit-state lexer (enum state + `switch (state)` per character)
 * feeding a switch-dispatched shunting-yard evaluator: the classic
 * interpreter/state-machine shape.  The program text is generated from an
 * LCG: statements `name = expr;`, decimal and hex literals, identifiers,
 * parentheses, binary operators, `<<`/`>>`, and `# comments`. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TEXT_SIZE (200 * 1024)
#define PASSES 120

static volatile uint32_t seed_init = 20240601u;
static uint32_t rng_state;
static char text[TEXT_SIZE + 256];
static size_t text_len;

static uint32_t rnd(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

static void emit(const char *s)
{
    size_t n = strlen(s);
    memcpy(text + text_len, s, n);
    text_len += n;
}

static void gen_expr(int depth)
{
    char buf[32];
    uint32_t r = rnd();
    if (depth == 0 || r % 4 == 0) {
        switch (rnd() % 3) {
        case 0: snprintf(buf, sizeof buf, "%u", rnd() % 100000u); break;
        case 1: snprintf(buf, sizeof buf, "0x%X", rnd() & 0xFFFFu); break;
        default: snprintf(buf, sizeof buf, "%c%u", 'a' + (int)(rnd() % 26u), rnd() % 10u); break;
        }
        emit(buf);
        return;
    }
    static const char *const ops[] = {" + ", " - ", " * ", " / ", " % ", " & ", " | ", " ^ ", " << ", " >> "};
    if (r % 3 == 0) emit("(");
    gen_expr(depth - 1);
    emit(ops[rnd() % 10u]);
    gen_expr(depth - 1);
    if (r % 3 == 0) emit(")");
}

static void gen_text(void)
{
    char buf[32];
    text_len = 0;
    while (text_len < TEXT_SIZE - 4096) {
        if (rnd() % 7 == 0) emit("# a comment line with (parens) and 123 numbers\n");
        snprintf(buf, sizeof buf, "%c%u = ", 'a' + (int)(rnd() % 26u), rnd() % 10u);
        emit(buf);
        gen_expr(1 + (int)(rnd() % 5u));
        emit(";\n");
    }
    text[text_len] = '\0';
}

/* ---------------- evaluator ---------------- */
enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR, OP_LPAREN };

static uint32_t vars[260];
static uint32_t vstack[512];
static int opstack[512];
static int vsp, osp;
static int assign_target;
static uint64_t n_tokens, n_stmts;

static int prec(int op)
{
    switch (op) {
    case OP_MUL: case OP_DIV: case OP_MOD: return 5;
    case OP_ADD: case OP_SUB: return 4;
    case OP_SHL: case OP_SHR: return 3;
    case OP_AND: return 2;
    case OP_XOR: return 1;
    case OP_OR: return 0;
    default: return -1;
    }
}

static void apply(int op)
{
    uint32_t b = vstack[--vsp];
    uint32_t a = vstack[vsp - 1];
    uint32_t r;
    switch (op) {
    case OP_ADD: r = a + b; break;
    case OP_SUB: r = a - b; break;
    case OP_MUL: r = a * b; break;
    case OP_DIV: r = b ? a / b : a; break;
    case OP_MOD: r = b ? a % b : a; break;
    case OP_AND: r = a & b; break;
    case OP_OR:  r = a | b; break;
    case OP_XOR: r = a ^ b; break;
    case OP_SHL: r = a << (b & 31u); break;
    case OP_SHR: r = a >> (b & 31u); break;
    default: r = a; break;
    }
    vstack[vsp - 1] = r;
}

static void push_operand(uint32_t v) { vstack[vsp++] = v; }

static void push_operator(int op)
{
    while (osp > 0 && opstack[osp - 1] != OP_LPAREN && prec(opstack[osp - 1]) >= prec(op))
        apply(opstack[--osp]);
    opstack[osp++] = op;
}

static void close_paren(void)
{
    while (osp > 0 && opstack[osp - 1] != OP_LPAREN)
        apply(opstack[--osp]);
    if (osp > 0) osp--;
}

static void end_statement(void)
{
    while (osp > 0) {
        int op = opstack[--osp];
        if (op != OP_LPAREN) apply(op);
    }
    if (assign_target >= 0 && vsp == 1)
        vars[assign_target] = vstack[0];
    vsp = osp = 0;
    assign_target = -1;
    n_stmts++;
}

static int var_index(const char *s, size_t n)
{
    int idx = s[0] - 'a';
    if (n > 1) idx = idx * 10 + (s[1] - '0');
    return idx;
}

/* ---------------- lexer state machine ---------------- */
enum State { S_START, S_NUM, S_ZERO, S_HEX, S_IDENT, S_COMMENT, S_LT, S_GT };

static void run_text(void)
{
    enum State st = S_START;
    uint32_t num = 0;
    size_t tok_start = 0;
    int pending_ident = -1; /* identifier seen at statement start */
    int at_stmt_start = 1;
    vsp = osp = 0;
    assign_target = -1;

    for (size_t i = 0; i <= text_len; i++) {
        unsigned char c = (unsigned char)text[i];
    again:
        switch (st) {
        case S_START:
            switch (c) {
            case '0': num = 0; st = S_ZERO; break;
            case '1' ... '9': num = c - '0'; st = S_NUM; break;
            case 'a' ... 'z': tok_start = i; st = S_IDENT; break;
            case '#': st = S_COMMENT; break;
            case '<': st = S_LT; break;
            case '>': st = S_GT; break;
            case '+': push_operator(OP_ADD); n_tokens++; break;
            case '-': push_operator(OP_SUB); n_tokens++; break;
            case '*': push_operator(OP_MUL); n_tokens++; break;
            case '/': push_operator(OP_DIV); n_tokens++; break;
            case '%': push_operator(OP_MOD); n_tokens++; break;
            case '&': push_operator(OP_AND); n_tokens++; break;
            case '|': push_operator(OP_OR); n_tokens++; break;
            case '^': push_operator(OP_XOR); n_tokens++; break;
            case '(': opstack[osp++] = OP_LPAREN; n_tokens++; break;
            case ')': close_paren(); n_tokens++; break;
            case '=':
                if (pending_ident >= 0) { assign_target = pending_ident; vsp = 0; }
                pending_ident = -1; n_tokens++;
                break;
            case ';': end_statement(); at_stmt_start = 1; n_tokens++; break;
            default: break; /* whitespace, NUL */
            }
            break;
        case S_ZERO:
            if (c == 'x' || c == 'X') { st = S_HEX; break; }
            st = S_NUM;
            goto again;
        case S_NUM:
            if (c >= '0' && c <= '9') { num = num * 10u + (c - '0'); break; }
            push_operand(num); n_tokens++;
            st = S_START;
            goto again;
        case S_HEX:
            switch (c) {
            case '0' ... '9': num = num * 16u + (c - '0'); break;
            case 'a' ... 'f': num = num * 16u + (c - 'a' + 10); break;
            case 'A' ... 'F': num = num * 16u + (c - 'A' + 10); break;
            default:
                push_operand(num); n_tokens++;
                st = S_START;
                goto again;
            }
            break;
        case S_IDENT:
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) break;
            {
                int idx = var_index(text + tok_start, i - tok_start);
                if (at_stmt_start) { pending_ident = idx; at_stmt_start = 0; }
                else push_operand(vars[idx]);
                n_tokens++;
            }
            st = S_START;
            goto again;
        case S_COMMENT:
            if (c == '\n' || c == '\0') st = S_START;
            break;
        case S_LT:
            if (c == '<') { push_operator(OP_SHL); n_tokens++; st = S_START; break; }
            st = S_START;
            goto again;
        case S_GT:
            if (c == '>') { push_operator(OP_SHR); n_tokens++; st = S_START; break; }
            st = S_START;
            goto again;
        }
    }
}

int main(void)
{
    rng_state = seed_init;
    gen_text();
    uint32_t h = 2166136261u;
    for (int pass = 0; pass < PASSES; pass++) {
        for (int v = 0; v < 260; v++)
            vars[v] = (uint32_t)v * 2654435761u + (uint32_t)pass;
        run_text();
        for (int v = 0; v < 260; v++)
            h = (h ^ vars[v]) * 16777619u;
    }
    printf("state_machine_lexer: text=%zu tokens=%llu stmts=%llu hash=%08x\n", text_len,
           (unsigned long long)n_tokens, (unsigned long long)n_stmts, h);
    return 0;
}
