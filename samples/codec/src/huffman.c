#include <string.h>
#include "codec.h"

#define MAX_BITS 15

/* Code lengths of an optimal prefix code for freq (0 for absent symbols), by repeatedly merging the two
   lightest subtrees; if the longest code exceeds MAX_BITS the frequencies are flattened and it retries. */
void codec_huffman_lengths(const uint32_t freq[256], uint8_t lengths[256])
{
    uint32_t f[256];
    memcpy(f, freq, sizeof f);
    for (;;) {
        uint64_t weight[511];
        int parent[511], alive[511], nodes = 0, used = 0, last = -1;
        for (int s = 0; s < 256; s++) {
            weight[s] = f[s];
            parent[s] = -1;
            alive[s] = f[s] > 0;
            if (alive[s]) { used++; last = s; }
        }
        memset(lengths, 0, 256);
        if (used == 0) return;
        if (used == 1) { lengths[last] = 1; return; }
        nodes = 256;
        for (int merges = 0; merges < used - 1; merges++) {
            int a = -1, b = -1;
            for (int i = 0; i < nodes; i++) {
                if (!alive[i]) continue;
                if (a < 0 || weight[i] < weight[a]) { b = a; a = i; }
                else if (b < 0 || weight[i] < weight[b]) b = i;
            }
            weight[nodes] = weight[a] + weight[b];
            parent[nodes] = -1;
            alive[nodes] = 1;
            alive[a] = alive[b] = 0;
            parent[a] = parent[b] = nodes;
            nodes++;
        }
        int longest = 0;
        for (int s = 0; s < 256; s++) {
            if (f[s] == 0) continue;
            int depth = 0;
            for (int n = s; parent[n] >= 0; n = parent[n]) depth++;
            lengths[s] = (uint8_t)depth;
            if (depth > longest) longest = depth;
        }
        if (longest <= MAX_BITS) return;
        for (int s = 0; s < 256; s++)
            if (f[s]) f[s] = (f[s] >> 1) | 1;
    }
}

/* Canonical codes: shorter codes first, then by symbol. */
static void canonical_codes(const uint8_t lengths[256], uint16_t codes[256])
{
    uint16_t count[MAX_BITS + 1] = {0}, next[MAX_BITS + 2];
    for (int s = 0; s < 256; s++) count[lengths[s]]++;
    count[0] = 0;
    uint16_t code = 0;
    for (int bits = 1; bits <= MAX_BITS; bits++) {
        code = (uint16_t)((code + count[bits - 1]) << 1);
        next[bits] = code;
    }
    for (int s = 0; s < 256; s++)
        if (lengths[s]) codes[s] = next[lengths[s]]++;
}

size_t codec_huffman_encode(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    uint32_t freq[256] = {0};
    uint8_t lengths[256];
    uint16_t codes[256];
    for (size_t i = 0; i < len; i++) freq[in[i]]++;
    codec_huffman_lengths(freq, lengths);
    canonical_codes(lengths, codes);
    if (cap < 4 + 128) return (size_t)-1;
    size_t o = 0;
    for (int k = 0; k < 4; k++) out[o++] = (uint8_t)(len >> (8 * k));
    for (int s = 0; s < 256; s += 2) out[o++] = (uint8_t)(lengths[s] | lengths[s + 1] << 4);
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        acc = acc << lengths[in[i]] | codes[in[i]];
        bits += lengths[in[i]];
        while (bits >= 8) {
            if (o >= cap) return (size_t)-1;
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
        acc &= (1u << bits) - 1;
    }
    if (bits > 0) {
        if (o >= cap) return (size_t)-1;
        out[o++] = (uint8_t)(acc << (8 - bits));
    }
    return o;
}

size_t codec_huffman_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    if (len < 4 + 128) return (size_t)-1;
    size_t n = (size_t)in[0] | (size_t)in[1] << 8 | (size_t)in[2] << 16 | (size_t)in[3] << 24;
    if (n > cap) return (size_t)-1;
    uint8_t lengths[256];
    for (int s = 0; s < 256; s += 2) {
        lengths[s] = in[4 + s / 2] & 15;
        lengths[s + 1] = in[4 + s / 2] >> 4;
    }
    /* Symbols sorted by (length, symbol) and the first code and index of each length. */
    uint8_t sorted[256];
    int count[MAX_BITS + 1] = {0}, first_index[MAX_BITS + 1], total = 0;
    for (int s = 0; s < 256; s++) count[lengths[s]]++;
    for (int bits = 1; bits <= MAX_BITS; bits++) {
        first_index[bits] = total;
        for (int s = 0; s < 256; s++)
            if (lengths[s] == bits) sorted[total++] = (uint8_t)s;
    }
    size_t i = 4 + 128;
    int bit = 7;
    for (size_t o = 0; o < n; o++) {
        int code = 0, first = 0;
        for (int bits = 1;; bits++) {
            if (bits > MAX_BITS || i >= len) return (size_t)-1;
            code |= (in[i] >> bit) & 1;
            if (--bit < 0) { bit = 7; i++; }
            if (code - first < count[bits]) {
                out[o] = sorted[first_index[bits] + code - first];
                break;
            }
            first = (first + count[bits]) << 1;
            code <<= 1;
        }
    }
    return n;
}
