/* A register-machine bytecode interpreter dispatched with GCC's
 * labels-as-values extension: a static table of `&&label` addresses and
 * `goto *table[op]` after every instruction (threaded dispatch, many
 * `jmp *%reg` sites).  The bytecode program runs a xorshift generator and
 * updates a small memory histogram; it is executed for several seeds. */
#include <stdint.h>
#include <stdio.h>

#define REPS 1500000 /* loop trips of the bytecode program per run */
#define RUNS 4

enum { LI, MOV, ADD, SUB, MUL, XOR, AND, SHL, SHR, ADDI, LOAD, STORE, JNZ, JLT, HALT, NOPS };

typedef struct { uint8_t op, a, b, c; int32_t imm; } Insn;

static volatile uint32_t seed_init = 0x9E3779B9u;
static uint32_t mem[256];

__attribute__((noinline)) static uint32_t run(const Insn *code, uint32_t *r, uint64_t *steps)
{
    static void *const table[NOPS] = {
        [LI] = &&op_li,     [MOV] = &&op_mov,   [ADD] = &&op_add,   [SUB] = &&op_sub,
        [MUL] = &&op_mul,   [XOR] = &&op_xor,   [AND] = &&op_and,   [SHL] = &&op_shl,
        [SHR] = &&op_shr,   [ADDI] = &&op_addi, [LOAD] = &&op_load, [STORE] = &&op_store,
        [JNZ] = &&op_jnz,   [JLT] = &&op_jlt,   [HALT] = &&op_halt,
    };
    const Insn *pc = code;
    uint64_t n = 0;
#define NEXT do { n++; goto *table[pc->op]; } while (0)
    NEXT;
op_li:    r[pc->a] = (uint32_t)pc->imm; pc++; NEXT;
op_mov:   r[pc->a] = r[pc->b]; pc++; NEXT;
op_add:   r[pc->a] = r[pc->b] + r[pc->c]; pc++; NEXT;
op_sub:   r[pc->a] = r[pc->b] - r[pc->c]; pc++; NEXT;
op_mul:   r[pc->a] = r[pc->b] * r[pc->c]; pc++; NEXT;
op_xor:   r[pc->a] = r[pc->b] ^ r[pc->c]; pc++; NEXT;
op_and:   r[pc->a] = r[pc->b] & (uint32_t)pc->imm; pc++; NEXT;
op_shl:   r[pc->a] = r[pc->b] << (pc->imm & 31); pc++; NEXT;
op_shr:   r[pc->a] = r[pc->b] >> (pc->imm & 31); pc++; NEXT;
op_addi:  r[pc->a] = r[pc->b] + (uint32_t)pc->imm; pc++; NEXT;
op_load:  r[pc->a] = mem[r[pc->b] & 255u]; pc++; NEXT;
op_store: mem[r[pc->b] & 255u] = r[pc->a]; pc++; NEXT;
op_jnz:   pc = r[pc->a] ? code + pc->imm : pc + 1; NEXT;
op_jlt:   pc = r[pc->a] < r[pc->b] ? code + pc->imm : pc + 1; NEXT;
op_halt:
#undef NEXT
    *steps += n;
    return r[2];
}

int main(void)
{
    /* r0 = xorshift state, r1 = counter, r2 = accumulator, r3..r6 temps */
    static const Insn prog[] = {
        /* 0 */ {LI, 1, 0, 0, REPS},
        /* 1 */ {LI, 2, 0, 0, 0},
        /* 2 */ {SHL, 3, 0, 0, 13},
        /* 3 */ {XOR, 0, 0, 3, 0},
        /* 4 */ {SHR, 3, 0, 0, 17},
        /* 5 */ {XOR, 0, 0, 3, 0},
        /* 6 */ {SHL, 3, 0, 0, 5},
        /* 7 */ {XOR, 0, 0, 3, 0},
        /* 8 */ {AND, 4, 0, 0, 255},
        /* 9 */ {LOAD, 5, 4, 0, 0},
        /* 10 */ {ADD, 5, 5, 0, 0},
        /* 11 */ {STORE, 5, 4, 0, 0},
        /* 12 */ {MUL, 6, 5, 1, 0},
        /* 13 */ {ADD, 2, 2, 6, 0},
        /* 14 */ {AND, 6, 0, 0, 7},
        /* 15 */ {JLT, 6, 7, 0, 17},   /* r7 == 3: skip the next insn 3/8 of the time */
        /* 16 */ {ADDI, 2, 2, 0, 0x1234},
        /* 17 */ {SUB, 2, 2, 4, 0},
        /* 18 */ {ADDI, 1, 1, 0, -1},
        /* 19 */ {JNZ, 1, 0, 0, 2},
        /* 20 */ {HALT, 0, 0, 0, 0},
    };
    uint64_t steps = 0;
    uint32_t total = 0;
    for (int run_i = 0; run_i < RUNS; run_i++) {
        uint32_t r[8] = {0};
        r[0] = seed_init + (uint32_t)run_i * 0x01000193u;
        r[7] = 3;
        uint32_t res = run(prog, r, &steps);
        total = total * 31u + res;
        printf("run %d: r2=%08x r0=%08x\n", run_i, res, r[0]);
    }
    uint32_t mh = 0;
    for (int i = 0; i < 256; i++)
        mh = (mh ^ mem[i]) * 16777619u;
    printf("computed_goto_vm: total=%08x mem=%08x steps=%llu\n", total, mh,
           (unsigned long long)steps);
    return 0;
}
