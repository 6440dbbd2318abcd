#include <stdlib.h>
#include <string.h>
#include "imagekit.h"

int ik_create(ik_image *img, int width, int height)
{
    img->width = width;
    img->height = height;
    img->pixels = (width > 0 && height > 0) ? calloc((size_t)width * (size_t)height, 1) : NULL;
    return img->pixels != NULL;
}

void ik_destroy(ik_image *img)
{
    free(img->pixels);
    img->pixels = NULL;
    img->width = img->height = 0;
}

uint8_t ik_get_clamped(const ik_image *img, int x, int y)
{
    if (x < 0) x = 0;
    if (y < 0) y = 0;
    if (x >= img->width) x = img->width - 1;
    if (y >= img->height) y = img->height - 1;
    return img->pixels[(size_t)y * (size_t)img->width + (size_t)x];
}

void ik_fill_pattern(ik_image *img, uint32_t seed)
{
    uint32_t s = seed * 2654435761u + 1;
    for (int y = 0; y < img->height; y++) {
        for (int x = 0; x < img->width; x++) {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            /* a gradient, a few bright squares and some noise */
            int v = (x * 255) / (img->width > 1 ? img->width - 1 : 1) / 2 + (y * 64) / (img->height ? img->height : 1);
            if (((x / 8) + (y / 8)) % 5 == 0) v += 60;
            v += (int)(s % 17) - 8;
            img->pixels[(size_t)y * (size_t)img->width + (size_t)x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

uint32_t ik_checksum(const ik_image *img)
{
    uint32_t h = 0x811C9DC5u;
    uint32_t dims[2] = {(uint32_t)img->width, (uint32_t)img->height};
    const uint8_t *d = (const uint8_t *)dims;
    for (size_t i = 0; i < sizeof dims; i++) h = (h ^ d[i]) * 0x01000193u;
    size_t n = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < n; i++) h = (h ^ img->pixels[i]) * 0x01000193u;
    return h;
}
