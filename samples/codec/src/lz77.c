#include <string.h>
#include "codec.h"

#define WINDOW 4096
#define MIN_MATCH 3
#define MAX_MATCH 18
#define HASH_BITS 12
#define MAX_CHAIN 32

static uint32_t hash3(const uint8_t *p)
{
    return ((uint32_t)p[0] * 2654435761u ^ (uint32_t)p[1] * 40503u ^ p[2]) >> (32 - HASH_BITS) & ((1u << HASH_BITS) - 1);
}

/* Longest match for in[pos..] among earlier positions on the hash chain, within the window. */
static size_t longest_match(const uint8_t *in, size_t len, size_t pos, const int32_t *head, const int32_t *prev, size_t *distance)
{
    size_t best = 0;
    int32_t cand = head[hash3(in + pos)];
    size_t limit = len - pos < MAX_MATCH ? len - pos : MAX_MATCH;
    for (int chain = 0; cand >= 0 && chain < MAX_CHAIN; chain++) {
        size_t d = pos - (size_t)cand;
        if (d > WINDOW)
            break;
        size_t n = 0;
        while (n < limit && in[(size_t)cand + n] == in[pos + n])
            n++;
        if (n > best) {
            best = n;
            *distance = d;
            if (n == limit)
                break;
        }
        cand = prev[(size_t)cand % WINDOW];
    }
    return best;
}

size_t codec_lz77_encode(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    static int32_t head[1 << HASH_BITS];
    static int32_t prev[WINDOW];
    memset(head, 0xFF, sizeof head);
    size_t o = 0, pos = 0, flag_at = 0;
    int item = 8;
    while (pos < len) {
        if (item == 8) {
            if (o >= cap) return (size_t)-1;
            flag_at = o;
            out[o++] = 0;
            item = 0;
        }
        size_t distance = 0, n = 0;
        if (pos + MIN_MATCH <= len)
            n = longest_match(in, len, pos, head, prev, &distance);
        size_t step;
        if (n >= MIN_MATCH) {
            if (o + 2 > cap) return (size_t)-1;
            out[flag_at] |= (uint8_t)(1u << item);
            out[o++] = (uint8_t)((distance - 1) >> 4);
            out[o++] = (uint8_t)(((distance - 1) & 15) << 4 | (n - MIN_MATCH));
            step = n;
        } else {
            if (o + 1 > cap) return (size_t)-1;
            out[o++] = in[pos];
            step = 1;
        }
        for (size_t k = 0; k < step; k++, pos++) {
            if (pos + MIN_MATCH <= len) {
                uint32_t h = hash3(in + pos);
                prev[pos % WINDOW] = head[h];
                head[h] = (int32_t)pos;
            }
        }
        item++;
    }
    return o;
}

size_t codec_lz77_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    size_t i = 0, o = 0;
    while (i < len) {
        uint8_t flags = in[i++];
        for (int item = 0; item < 8 && i < len; item++) {
            if (flags & (1u << item)) {
                if (i + 2 > len) return (size_t)-1;
                size_t distance = ((size_t)in[i] << 4 | in[i + 1] >> 4) + 1;
                size_t n = (size_t)(in[i + 1] & 15) + MIN_MATCH;
                i += 2;
                if (distance > o || o + n > cap) return (size_t)-1;
                for (size_t k = 0; k < n; k++, o++)
                    out[o] = out[o - distance];
            } else {
                if (o >= cap) return (size_t)-1;
                out[o++] = in[i++];
            }
        }
    }
    return o;
}
