#include <string.h>
#include "imagekit.h"

int ik_resize_nearest(const ik_image *src, ik_image *dst, int width, int height)
{
    if (!ik_create(dst, width, height)) return 0;
    for (int y = 0; y < height; y++) {
        int sy = (int)(((int64_t)y * src->height) / height);
        for (int x = 0; x < width; x++) {
            int sx = (int)(((int64_t)x * src->width) / width);
            dst->pixels[(size_t)y * (size_t)width + (size_t)x] = src->pixels[(size_t)sy * (size_t)src->width + (size_t)sx];
        }
    }
    return 1;
}

/* Bilinear with pixel centres aligned, 8 fractional bits, edges repeated. */
int ik_resize_bilinear(const ik_image *src, ik_image *dst, int width, int height)
{
    if (!ik_create(dst, width, height)) return 0;
    for (int y = 0; y < height; y++) {
        int fy = (int)((((int64_t)2 * y + 1) * src->height * 256) / (2 * height)) - 128;
        if (fy < 0) fy = 0;
        int y0 = fy >> 8, wy = fy & 255;
        for (int x = 0; x < width; x++) {
            int fx = (int)((((int64_t)2 * x + 1) * src->width * 256) / (2 * width)) - 128;
            if (fx < 0) fx = 0;
            int x0 = fx >> 8, wx = fx & 255;
            int a = ik_get_clamped(src, x0, y0), b = ik_get_clamped(src, x0 + 1, y0);
            int c = ik_get_clamped(src, x0, y0 + 1), d = ik_get_clamped(src, x0 + 1, y0 + 1);
            int top = a * (256 - wx) + b * wx, bottom = c * (256 - wx) + d * wx;
            dst->pixels[(size_t)y * (size_t)width + (size_t)x] = (uint8_t)((top * (256 - wy) + bottom * wy + 32768) >> 16);
        }
    }
    return 1;
}

/* Clockwise: dst(x, y) = src(y, H-1-x). */
int ik_rotate90(const ik_image *src, ik_image *dst)
{
    if (!ik_create(dst, src->height, src->width)) return 0;
    for (int y = 0; y < dst->height; y++)
        for (int x = 0; x < dst->width; x++)
            dst->pixels[(size_t)y * (size_t)dst->width + (size_t)x] =
                src->pixels[(size_t)(src->height - 1 - x) * (size_t)src->width + (size_t)y];
    return 1;
}

void ik_flip_horizontal(ik_image *img)
{
    for (int y = 0; y < img->height; y++) {
        uint8_t *row = img->pixels + (size_t)y * (size_t)img->width;
        for (int i = 0, j = img->width - 1; i < j; i++, j--) {
            uint8_t t = row[i];
            row[i] = row[j];
            row[j] = t;
        }
    }
}

int ik_crop(const ik_image *src, ik_image *dst, int x, int y, int width, int height)
{
    if (x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > src->width || y + height > src->height) return 0;
    if (!ik_create(dst, width, height)) return 0;
    for (int r = 0; r < height; r++)
        memcpy(dst->pixels + (size_t)r * (size_t)width, src->pixels + (size_t)(y + r) * (size_t)src->width + (size_t)x, (size_t)width);
    return 1;
}
