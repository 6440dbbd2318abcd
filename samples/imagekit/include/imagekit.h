/* imagekit: 8-bit grayscale image kernels (filters, colour, geometry, statistics). */
#ifndef IMAGEKIT_H
#define IMAGEKIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int width, height;
    uint8_t *pixels; /* row-major, width * height bytes */
} ik_image;

/* image.c */
int ik_create(ik_image *img, int width, int height);
void ik_destroy(ik_image *img);
uint8_t ik_get_clamped(const ik_image *img, int x, int y); /* edges repeat */
void ik_fill_pattern(ik_image *img, uint32_t seed);       /* deterministic test pattern */
uint32_t ik_checksum(const ik_image *img);                 /* FNV-1a over size and pixels */

/* filters.c: dst must have src's size. */
void ik_box_blur3(const ik_image *src, ik_image *dst);
void ik_gaussian3(const ik_image *src, ik_image *dst);
void ik_sobel(const ik_image *src, ik_image *dst);
void ik_sharpen(const ik_image *src, ik_image *dst);
void ik_median3(const ik_image *src, ik_image *dst);

/* color.c */
void ik_rgb_to_gray(const uint8_t *rgb, int count, uint8_t *gray);
void ik_apply_lut(ik_image *img, const uint8_t lut[256]);
void ik_gamma_lut(double gamma, uint8_t lut[256]);
void ik_threshold(ik_image *img, uint8_t level);
void ik_histogram(const ik_image *img, uint32_t hist[256]);
void ik_equalize(ik_image *img);
uint8_t ik_otsu_threshold(const ik_image *img);

/* geometry.c: dst is created by the call (destroy it afterwards). */
int ik_resize_nearest(const ik_image *src, ik_image *dst, int width, int height);
int ik_resize_bilinear(const ik_image *src, ik_image *dst, int width, int height);
int ik_rotate90(const ik_image *src, ik_image *dst);
void ik_flip_horizontal(ik_image *img);
int ik_crop(const ik_image *src, ik_image *dst, int x, int y, int width, int height);

#endif
