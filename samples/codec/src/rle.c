#include "codec.h"

/* PackBits: a header byte n in 0..127 copies the next n+1 literal bytes; n in 129..255 repeats the next
   byte 257-n times (2..128); 128 is never produced and is skipped by the decoder. Only runs of three or
   more are coded as runs, so the output never exceeds len + len/128 + 1 bytes. */
static int run_starts(const uint8_t *in, size_t len, size_t i)
{
    return i + 2 < len && in[i] == in[i + 1] && in[i] == in[i + 2];
}

size_t codec_rle_encode(const uint8_t *in, size_t len, uint8_t *out)
{
    size_t i = 0, o = 0;
    while (i < len) {
        size_t run = 1;
        while (i + run < len && run < 128 && in[i + run] == in[i])
            run++;
        if (run >= 3) {
            out[o++] = (uint8_t)(257 - run);
            out[o++] = in[i];
            i += run;
            continue;
        }
        size_t start = i, count = 0;
        while (i < len && count < 128) {
            if (run_starts(in, len, i))
                break;
            i++;
            count++;
        }
        out[o++] = (uint8_t)(count - 1);
        for (size_t k = 0; k < count; k++)
            out[o++] = in[start + k];
    }
    return o;
}

size_t codec_rle_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    size_t i = 0, o = 0;
    while (i < len) {
        uint8_t h = in[i++];
        if (h < 128) {
            size_t n = (size_t)h + 1;
            if (i + n > len || o + n > cap) return (size_t)-1;
            for (size_t k = 0; k < n; k++)
                out[o++] = in[i++];
        } else if (h > 128) {
            size_t n = 257 - (size_t)h;
            if (i >= len || o + n > cap) return (size_t)-1;
            for (size_t k = 0; k < n; k++)
                out[o++] = in[i];
            i++;
        }
    }
    return o;
}
