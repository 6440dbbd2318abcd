/* Deterministic workload generator for the development suite (binary media).
 * Built by make-suite.sh with `gcc -O2 gen.c -lm`; writes to stdout.
 *
 *   gen wav SECONDS RATE CHANNELS SEED   16-bit PCM WAV, synthetic music (notes, harmonics, noise, drums)
 *   gen raw SECONDS RATE CHANNELS SEED   the same samples without a header (s16le)
 *   gen ppm W H SEED                     binary PPM: gradients, shapes, texture and noise
 *   gen pgm W H SEED                     the same, grey
 *   gen pbm W H SEED                     binary PBM: text-like glyph rows, circles and polygons
 *   gen y4m W H FRAMES SEED              YUV4MPEG2 4:2:0, moving shapes over a moving background
 *   gen gif W H FRAMES SEED              animated GIF (256-colour palette, LZW)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rs;
static uint64_t rnd(void) { /* splitmix64 */
    uint64_t z = (rs += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double urand(void) { return (rnd() >> 11) * (1.0 / 9007199254740992.0); }
static int irand(int n) { return (int)(rnd() % (uint64_t)n); }

static void put16(FILE *f, int v) { fputc(v & 255, f); fputc((v >> 8) & 255, f); }
static void put32(FILE *f, uint32_t v) { put16(f, v & 0xffff); put16(f, v >> 16); }

/* ---------------- audio ---------------- */
static void audio(int seconds, int rate, int ch, int header) {
    long n = (long)seconds * rate;
    if (header) {
        fwrite("RIFF", 1, 4, stdout); put32(stdout, 36 + n * ch * 2);
        fwrite("WAVEfmt ", 1, 8, stdout); put32(stdout, 16); put16(stdout, 1); put16(stdout, ch);
        put32(stdout, rate); put32(stdout, rate * ch * 2); put16(stdout, ch * 2); put16(stdout, 16);
        fwrite("data", 1, 4, stdout); put32(stdout, n * ch * 2);
    }
    static const int scale[] = {0, 2, 4, 5, 7, 9, 11, 12, 14, 16};
    double ph[4][6] = {{0}}, fr[4] = {220, 330, 440, 165}, amp[4] = {0}, env[4] = {0};
    long next[4] = {0, 0, 0, 0}, drum = 0;
    double drumenv = 0, lp = 0;
    short *buf = malloc(sizeof(short) * ch * 4096);
    long k = 0;
    for (long i = 0; i < n; i++) {
        for (int v = 0; v < 4; v++) {
            if (i >= next[v]) {
                int note = scale[irand(10)] + 12 * (v == 3 ? -1 : irand(2));
                fr[v] = 220.0 * pow(2.0, note / 12.0);
                amp[v] = 0.12 + 0.1 * urand();
                env[v] = 1.0;
                next[v] = i + rate / 8 + irand(rate / 2);
            }
            env[v] *= 0.99993;
        }
        if (i >= drum) { drumenv = 1.0; drum = i + rate / 4 + (irand(2) ? rate / 4 : 0); }
        drumenv *= 0.9992;
        double noise = urand() * 2 - 1;
        lp = lp * 0.9 + noise * 0.1;
        double s[2] = {0, 0};
        for (int v = 0; v < 4; v++) {
            double x = 0;
            for (int h = 0; h < 6; h++) {
                ph[v][h] += 2 * M_PI * fr[v] * (h + 1) / rate;
                if (ph[v][h] > 2 * M_PI) ph[v][h] -= 2 * M_PI;
                x += sin(ph[v][h]) / (h + 1.5);
            }
            x *= amp[v] * env[v];
            s[0] += x * (0.3 + 0.15 * v);
            s[1] += x * (0.9 - 0.15 * v);
        }
        double d = drumenv * (lp * 2.0 + 0.4 * sin(i * 0.02));
        for (int c = 0; c < ch; c++) {
            double y = (s[c & 1] + d * 0.5 + noise * 0.003) * 20000.0;
            if (y > 32767) y = 32767;
            if (y < -32768) y = -32768;
            buf[k++] = (short)lrint(y);
        }
        if (k == (long)ch * 4096) { fwrite(buf, 2, k, stdout); k = 0; }
    }
    fwrite(buf, 2, k, stdout);
    free(buf);
}

/* ---------------- images ---------------- */
typedef struct { int kind, x, y, a, b, c[3]; } shape;

static unsigned char *image(int w, int h, int frame, int nshapes, shape *sh) {
    unsigned char *p = malloc((size_t)w * h * 3);
    double fx = 2 * M_PI / w, fy = 2 * M_PI / h;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned char *q = p + ((size_t)y * w + x) * 3;
            double t = frame * 0.05;
            q[0] = (unsigned char)(128 + 90 * sin(x * fx * 1.5 + t) * cos(y * fy * 0.7));
            q[1] = (unsigned char)(128 + 80 * sin((x + y) * fx * 0.8 - t));
            q[2] = (unsigned char)(100 + 60 * cos(y * fy * 2.0 + t) + 30 * sin(x * fx * 5));
        }
    for (int i = 0; i < nshapes; i++) {
        shape *s = &sh[i];
        int cx = s->x + frame * ((i % 7) - 3), cy = s->y + frame * ((i % 5) - 2);
        int x0 = cx - s->a, x1 = cx + s->a, y0 = cy - s->b, y1 = cy + s->b;
        if (x0 < 0) x0 = 0;
        if (y0 < 0) y0 = 0;
        if (x1 > w) x1 = w;
        if (y1 > h) y1 = h;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++) {
                double dx = (double)(x - cx) / s->a, dy = (double)(y - cy) / s->b;
                int in = s->kind == 0 ? dx * dx + dy * dy < 1 : s->kind == 1 ? 1 : fabs(dx) + fabs(dy) < 1;
                if (!in) continue;
                unsigned char *q = p + ((size_t)y * w + x) * 3;
                for (int c = 0; c < 3; c++) {
                    int v = s->c[c] + (s->kind == 1 ? ((x ^ y) & 8) * 3 : 0);
                    q[c] = (unsigned char)(v > 255 ? 255 : v);
                }
            }
    }
    for (size_t i = 0; i < (size_t)w * h * 3; i++) {
        int v = p[i] + irand(9) - 4;
        p[i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
    return p;
}

static shape *shapes(int w, int h, int n) {
    shape *sh = malloc(sizeof(shape) * n);
    for (int i = 0; i < n; i++) {
        sh[i].kind = irand(3);
        sh[i].x = irand(w); sh[i].y = irand(h);
        sh[i].a = 4 + irand(w / 8 + 1); sh[i].b = 4 + irand(h / 8 + 1);
        for (int c = 0; c < 3; c++) sh[i].c[c] = irand(256);
    }
    return sh;
}

static void pbm(int w, int h) {
    int bw = (w + 7) / 8;
    unsigned char *p = calloc((size_t)bw * h, 1);
#define SET(x, y) do { int X_ = (x), Y_ = (y); if (X_ >= 0 && X_ < w && Y_ >= 0 && Y_ < h) p[(size_t)Y_ * bw + X_ / 8] |= 0x80 >> (X_ % 8); } while (0)
    /* text-like rows of glyphs: each glyph is a random 5x7 bitmap scaled */
    unsigned char glyph[64][7];
    for (int g = 0; g < 64; g++)
        for (int r = 0; r < 7; r++) glyph[g][r] = (unsigned char)(rnd() & 0x1f);
    int sc = 3;
    for (int y = 20; y + 7 * sc < h * 2 / 3; y += 10 * sc)
        for (int x = 20; x + 6 * sc < w - 20; x += 6 * sc) {
            if (irand(7) == 0) continue; /* spaces */
            int g = irand(64);
            for (int r = 0; r < 7; r++)
                for (int c = 0; c < 5; c++)
                    if (glyph[g][r] & (1 << c))
                        for (int a = 0; a < sc; a++)
                            for (int b = 0; b < sc; b++) SET(x + c * sc + b, y + r * sc + a);
        }
    /* circles and filled polygons-ish blobs in the lower third */
    for (int i = 0; i < 300; i++) {
        int cx = irand(w), cy = h * 2 / 3 + irand(h / 3), r = 5 + irand(w / 30 + 1);
        int ring = irand(2);
        for (int y = cy - r; y <= cy + r; y++)
            for (int x = cx - r; x <= cx + r; x++) {
                int d = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                if (d <= r * r && (!ring || d >= (r - 3) * (r - 3))) SET(x, y);
            }
    }
    printf("P4\n%d %d\n", w, h);
    fwrite(p, 1, (size_t)bw * h, stdout);
    free(p);
}

/* ---------------- GIF (LZW) ---------------- */
static unsigned char gbuf[256];
static int gbn;
static uint32_t gacc;
static int gbits;
static void gflush(void) { if (gbn) { fputc(gbn, stdout); fwrite(gbuf, 1, gbn, stdout); gbn = 0; } }
static void gput(int code, int size) {
    gacc |= (uint32_t)code << gbits; gbits += size;
    while (gbits >= 8) { gbuf[gbn++] = gacc & 255; gacc >>= 8; gbits -= 8; if (gbn == 255) gflush(); }
}
static void gif_frame(const unsigned char *idx, int n) {
    /* LZW with a hash table, min code size 8 */
    static int codes[4096 * 256];
    int clear = 256, eoi = 257, next = 258, size = 9;
    memset(codes, -1, sizeof codes);
    fputc(8, stdout);
    gacc = 0; gbits = 0; gbn = 0;
    gput(clear, size);
    int cur = idx[0];
    for (int i = 1; i < n; i++) {
        int k = idx[i];
        int *slot = &codes[cur * 256 + k];
        if (*slot >= 0) { cur = *slot; continue; }
        gput(cur, size);
        if (next < 4096) {
            *slot = next++;
            if (next > (1 << size) && size < 12) size++;
        } else {
            gput(clear, size);
            memset(codes, -1, sizeof codes);
            next = 258; size = 9;
        }
        cur = k;
    }
    gput(cur, size);
    gput(eoi, size);
    if (gbits) { gbuf[gbn++] = gacc & 255; gacc = 0; gbits = 0; }
    gflush();
    fputc(0, stdout);
}
static void gif(int w, int h, int frames) {
    shape *sh = shapes(w, h, 30);
    fwrite("GIF89a", 1, 6, stdout); put16(stdout, w); put16(stdout, h);
    fputc(0xF7, stdout); fputc(0, stdout); fputc(0, stdout);
    for (int i = 0; i < 256; i++) { fputc((i >> 5) * 36, stdout); fputc(((i >> 2) & 7) * 36, stdout); fputc((i & 3) * 85, stdout); }
    fwrite("\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00", 1, 19, stdout);
    unsigned char *idx = malloc((size_t)w * h);
    for (int f = 0; f < frames; f++) {
        unsigned char *p = image(w, h, f, 30, sh);
        for (size_t i = 0; i < (size_t)w * h; i++)
            idx[i] = (unsigned char)((p[3 * i] >> 5) << 5 | (p[3 * i + 1] >> 5) << 2 | (p[3 * i + 2] >> 6));
        fwrite("\x21\xF9\x04\x04\x05\x00\x00\x00", 1, 8, stdout);
        fputc(0x2C, stdout); put16(stdout, 0); put16(stdout, 0); put16(stdout, w); put16(stdout, h); fputc(0, stdout);
        gif_frame(idx, w * h);
        free(p);
    }
    fputc(0x3B, stdout);
    free(idx); free(sh);
}

static void y4m(int w, int h, int frames) {
    shape *sh = shapes(w, h, 25);
    printf("YUV4MPEG2 W%d H%d F25:1 Ip A1:1 C420jpeg\n", w, h);
    unsigned char *y = malloc((size_t)w * h), *u = malloc((size_t)w * h / 4), *v = malloc((size_t)w * h / 4);
    for (int f = 0; f < frames; f++) {
        unsigned char *p = image(w, h, f, 25, sh);
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++) {
                unsigned char *q = p + ((size_t)j * w + i) * 3;
                y[j * w + i] = (unsigned char)((66 * q[0] + 129 * q[1] + 25 * q[2] + 128) / 256 + 16);
            }
        for (int j = 0; j < h / 2; j++)
            for (int i = 0; i < w / 2; i++) {
                unsigned char *q = p + ((size_t)(2 * j) * w + 2 * i) * 3;
                u[j * (w / 2) + i] = (unsigned char)((-38 * q[0] - 74 * q[1] + 112 * q[2] + 128) / 256 + 128);
                v[j * (w / 2) + i] = (unsigned char)((112 * q[0] - 94 * q[1] - 18 * q[2] + 128) / 256 + 128);
            }
        printf("FRAME\n");
        fwrite(y, 1, (size_t)w * h, stdout); fwrite(u, 1, (size_t)w * h / 4, stdout); fwrite(v, 1, (size_t)w * h / 4, stdout);
        free(p);
    }
    free(y); free(u); free(v); free(sh);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: gen wav|raw|ppm|pgm|pbm|y4m|gif ...\n"); return 2; }
    const char *k = argv[1];
    int a = argc > 2 ? atoi(argv[2]) : 0, b = argc > 3 ? atoi(argv[3]) : 0, c = argc > 4 ? atoi(argv[4]) : 0;
    int d = argc > 5 ? atoi(argv[5]) : 0;
    if (!strcmp(k, "wav") || !strcmp(k, "raw")) { rs = (uint64_t)d; audio(a, b, c, k[0] == 'w'); }
    else if (!strcmp(k, "ppm") || !strcmp(k, "pgm")) {
        rs = (uint64_t)c;
        shape *sh = shapes(a, b, 40);
        unsigned char *p = image(a, b, 0, 40, sh);
        if (k[1] == 'p') { printf("P6\n%d %d\n255\n", a, b); fwrite(p, 1, (size_t)a * b * 3, stdout); }
        else {
            printf("P5\n%d %d\n255\n", a, b);
            for (size_t i = 0; i < (size_t)a * b; i++) putchar((p[3 * i] * 77 + p[3 * i + 1] * 150 + p[3 * i + 2] * 29) >> 8);
        }
        free(p); free(sh);
    }
    else if (!strcmp(k, "pbm")) { rs = (uint64_t)c; pbm(a, b); }
    else if (!strcmp(k, "y4m")) { rs = (uint64_t)d; y4m(a, b, c); }
    else if (!strcmp(k, "gif")) { rs = (uint64_t)d; gif(a, b, c); }
    else { fprintf(stderr, "gen: unknown kind %s\n", k); return 2; }
    return fflush(stdout) != 0;
}
