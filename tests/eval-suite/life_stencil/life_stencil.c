/* A stencil: Conway's game of life on a torus, byte cells, two buffers.
 * argv[1] is the number of generations. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define W 128
#define H 96

static volatile uint32_t seed = 1234567u;
static uint8_t grid[2][H][W];

__attribute__((noinline)) static void step(uint8_t (*restrict from)[W], uint8_t (*restrict to)[W])
{
    for (int y = 0; y < H; y++) {
        int up = (y + H - 1) % H, down = (y + 1) % H;
        for (int x = 0; x < W; x++) {
            int l = (x + W - 1) % W, r = (x + 1) % W;
            int n = from[up][l] + from[up][x] + from[up][r] + from[y][l] + from[y][r] + from[down][l] + from[down][x] + from[down][r];
            to[y][x] = (uint8_t)(n == 3 || (n == 2 && from[y][x]));
        }
    }
}

int main(int argc, char **argv)
{
    int gens = argc > 1 ? atoi(argv[1]) : 400;
    uint32_t s = seed;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) { s = s * 1103515245u + 12345u; grid[0][y][x] = (s >> 16) % 3 == 0; }
    int cur = 0;
    for (int g = 0; g < gens; g++) { step(grid[cur], grid[1 - cur]); cur = 1 - cur; }
    unsigned alive = 0, hash = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) { alive += grid[cur][y][x]; hash = hash * 33 + grid[cur][y][x]; }
    printf("%u alive, hash %u\n", alive, hash);
    return 0;
}
