#include <math.h>
#include "imagekit.h"

/* ITU-R BT.601 luma in fixed point: (77 R + 150 G + 29 B + 128) >> 8. */
void ik_rgb_to_gray(const uint8_t *rgb, int count, uint8_t *gray)
{
    for (int i = 0; i < count; i++) {
        unsigned r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
        gray[i] = (uint8_t)((77 * r + 150 * g + 29 * b + 128) >> 8);
    }
}

void ik_apply_lut(ik_image *img, const uint8_t lut[256])
{
    size_t n = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < n; i++)
        img->pixels[i] = lut[img->pixels[i]];
}

void ik_gamma_lut(double gamma, uint8_t lut[256])
{
    for (int i = 0; i < 256; i++) {
        double v = 255.0 * pow(i / 255.0, gamma) + 0.5;
        lut[i] = (uint8_t)(v > 255.0 ? 255 : (int)v);
    }
}

void ik_threshold(ik_image *img, uint8_t level)
{
    size_t n = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < n; i++)
        img->pixels[i] = img->pixels[i] >= level ? 255 : 0;
}

void ik_histogram(const ik_image *img, uint32_t hist[256])
{
    for (int i = 0; i < 256; i++) hist[i] = 0;
    size_t n = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < n; i++) hist[img->pixels[i]]++;
}

/* Classic histogram equalization: v -> round((cdf(v) - cdf_min) * 255 / (n - cdf_min)). */
void ik_equalize(ik_image *img)
{
    uint32_t hist[256];
    uint8_t lut[256];
    ik_histogram(img, hist);
    uint64_t n = (uint64_t)img->width * (uint64_t)img->height, cdf = 0, cdf_min = 0;
    for (int i = 0; i < 256; i++)
        if (hist[i]) { cdf_min = hist[i]; break; }
    for (int i = 0; i < 256; i++) {
        cdf += hist[i];
        if (n == cdf_min) lut[i] = (uint8_t)i;
        else lut[i] = (uint8_t)(cdf <= cdf_min ? 0 : ((cdf - cdf_min) * 255 + (n - cdf_min) / 2) / (n - cdf_min));
    }
    ik_apply_lut(img, lut);
}

/* Otsu's threshold: the level maximizing the between-class variance (first maximum wins). */
uint8_t ik_otsu_threshold(const ik_image *img)
{
    uint32_t hist[256];
    ik_histogram(img, hist);
    uint64_t total = (uint64_t)img->width * (uint64_t)img->height, sum = 0;
    for (int i = 0; i < 256; i++) sum += (uint64_t)i * hist[i];
    uint64_t weight_b = 0, sum_b = 0;
    double best = -1.0;
    int level = 0;
    for (int t = 0; t < 256; t++) {
        weight_b += hist[t];
        if (weight_b == 0) continue;
        uint64_t weight_f = total - weight_b;
        if (weight_f == 0) break;
        sum_b += (uint64_t)t * hist[t];
        double mean_b = (double)sum_b / (double)weight_b;
        double mean_f = (double)(sum - sum_b) / (double)weight_f;
        double between = (double)weight_b * (double)weight_f * (mean_b - mean_f) * (mean_b - mean_f);
        if (between > best) {
            best = between;
            level = t + 1;
        }
    }
    return (uint8_t)(level > 255 ? 255 : level);
}
