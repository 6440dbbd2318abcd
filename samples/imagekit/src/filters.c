#include "imagekit.h"

static uint8_t clamp255(int v)
{
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/* 3x3 convolution with edge repetition, rounding to nearest: (sum + divisor/2) / divisor, then clamped. */
static void convolve3(const ik_image *src, ik_image *dst, const int k[9], int divisor)
{
    for (int y = 0; y < src->height; y++) {
        for (int x = 0; x < src->width; x++) {
            int sum = 0;
            for (int j = -1; j <= 1; j++)
                for (int i = -1; i <= 1; i++)
                    sum += k[(j + 1) * 3 + (i + 1)] * ik_get_clamped(src, x + i, y + j);
            int v = sum >= 0 ? (sum + divisor / 2) / divisor : -((-sum + divisor / 2) / divisor);
            dst->pixels[(size_t)y * (size_t)src->width + (size_t)x] = clamp255(v);
        }
    }
}

void ik_box_blur3(const ik_image *src, ik_image *dst)
{
    static const int k[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    convolve3(src, dst, k, 9);
}

void ik_gaussian3(const ik_image *src, ik_image *dst)
{
    static const int k[9] = {1, 2, 1, 2, 4, 2, 1, 2, 1};
    convolve3(src, dst, k, 16);
}

void ik_sharpen(const ik_image *src, ik_image *dst)
{
    static const int k[9] = {0, -1, 0, -1, 5, -1, 0, -1, 0};
    convolve3(src, dst, k, 1);
}

/* |Gx| + |Gy| of the Sobel operator, clamped to 255. */
void ik_sobel(const ik_image *src, ik_image *dst)
{
    for (int y = 0; y < src->height; y++) {
        for (int x = 0; x < src->width; x++) {
            int p[3][3];
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < 3; i++)
                    p[j][i] = ik_get_clamped(src, x + i - 1, y + j - 1);
            int gx = (p[0][2] + 2 * p[1][2] + p[2][2]) - (p[0][0] + 2 * p[1][0] + p[2][0]);
            int gy = (p[2][0] + 2 * p[2][1] + p[2][2]) - (p[0][0] + 2 * p[0][1] + p[0][2]);
            dst->pixels[(size_t)y * (size_t)src->width + (size_t)x] = clamp255((gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy));
        }
    }
}

/* Median of the 3x3 neighbourhood (insertion sort of nine values). */
void ik_median3(const ik_image *src, ik_image *dst)
{
    for (int y = 0; y < src->height; y++) {
        for (int x = 0; x < src->width; x++) {
            uint8_t v[9];
            int n = 0;
            for (int j = -1; j <= 1; j++)
                for (int i = -1; i <= 1; i++) {
                    uint8_t p = ik_get_clamped(src, x + i, y + j);
                    int k = n++;
                    while (k > 0 && v[k - 1] > p) {
                        v[k] = v[k - 1];
                        k--;
                    }
                    v[k] = p;
                }
            dst->pixels[(size_t)y * (size_t)src->width + (size_t)x] = v[4];
        }
    }
}
