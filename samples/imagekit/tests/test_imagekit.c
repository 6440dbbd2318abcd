/* Known-answer and property tests of libimagekit; prints one line per failure, checksums of a larger
   pipeline, and a summary. Exit code 0 only if every check passes. */
#include <stdio.h>
#include <string.h>
#include "imagekit.h"

static int checks, failures;

static void check(int ok, const char *what)
{
    checks++;
    if (!ok) {
        failures++;
        printf("FAIL %s\n", what);
    }
}

static int make(ik_image *img, int w, int h, const uint8_t *pixels)
{
    if (!ik_create(img, w, h)) return 0;
    memcpy(img->pixels, pixels, (size_t)w * (size_t)h);
    return 1;
}

static int equals(const ik_image *img, int w, int h, const uint8_t *pixels)
{
    return img->width == w && img->height == h && memcmp(img->pixels, pixels, (size_t)w * (size_t)h) == 0;
}

static void test_color(void)
{
    static const uint8_t rgb[] = {255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 10, 20, 30};
    uint8_t gray[6];
    ik_rgb_to_gray(rgb, 6, gray);
    static const uint8_t expect[] = {255, 77, 149, 29, 0, 18};
    check(memcmp(gray, expect, 6) == 0, "rgb_to_gray: white red green blue black (10,20,30)");

    uint8_t lut[256];
    ik_gamma_lut(1.0, lut);
    int identity = 1;
    for (int i = 0; i < 256; i++) identity &= lut[i] == i;
    check(identity, "gamma 1.0 is the identity");
    ik_gamma_lut(2.0, lut);
    check(lut[0] == 0 && lut[128] == 64 && lut[255] == 255, "gamma 2.0: 0->0, 128->64, 255->255");

    ik_image img;
    static const uint8_t px[] = {0, 10, 10, 255};
    make(&img, 2, 2, px);
    uint32_t hist[256];
    ik_histogram(&img, hist);
    check(hist[0] == 1 && hist[10] == 2 && hist[255] == 1 && hist[1] == 0, "histogram of {0,10,10,255}");
    ik_equalize(&img);
    static const uint8_t eq[] = {0, 170, 170, 255};
    check(equals(&img, 2, 2, eq), "equalize {0,10,10,255} -> {0,170,170,255}");
    ik_threshold(&img, 171);
    static const uint8_t th[] = {0, 0, 0, 255};
    check(equals(&img, 2, 2, th), "threshold at 171");
    ik_destroy(&img);

    static const uint8_t bimodal[] = {20, 200, 20, 200, 200, 20, 200, 20};
    make(&img, 4, 2, bimodal);
    check(ik_otsu_threshold(&img) == 21, "otsu of {20,200} equally often is 21");
    ik_destroy(&img);
}

static void test_filters(void)
{
    ik_image src, dst;
    static const uint8_t impulse9[] = {0, 0, 0, 0, 9, 0, 0, 0, 0};
    static const uint8_t ones[] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    make(&src, 3, 3, impulse9);
    ik_create(&dst, 3, 3);
    ik_box_blur3(&src, &dst);
    check(equals(&dst, 3, 3, ones), "box blur of a centred 9 (edges repeated) is all ones");
    ik_destroy(&src);

    static const uint8_t impulse[] = {0, 0, 0, 0, 10, 0, 0, 0, 0};
    static const uint8_t sharp[] = {0, 0, 0, 0, 50, 0, 0, 0, 0};
    make(&src, 3, 3, impulse);
    ik_sharpen(&src, &dst);
    check(equals(&dst, 3, 3, sharp), "sharpen of a centred 10 is a centred 50");
    static const uint8_t zeros[9] = {0};
    ik_median3(&src, &dst);
    check(equals(&dst, 3, 3, zeros), "median removes a single bright pixel");
    ik_destroy(&src);
    ik_destroy(&dst);

    static const uint8_t edge[] = {0, 0, 100, 100, 0, 0, 100, 100};
    static const uint8_t sobel[] = {0, 255, 255, 0, 0, 255, 255, 0};
    make(&src, 4, 2, edge);
    ik_create(&dst, 4, 2);
    ik_sobel(&src, &dst);
    check(equals(&dst, 4, 2, sobel), "sobel of a vertical edge");
    ik_destroy(&src);
    ik_destroy(&dst);

    uint8_t flat[64];
    memset(flat, 77, sizeof flat);
    make(&src, 8, 8, flat);
    ik_create(&dst, 8, 8);
    void (*filters[])(const ik_image *, ik_image *) = {ik_box_blur3, ik_gaussian3, ik_sharpen, ik_median3};
    for (int f = 0; f < 4; f++) {
        ik_sharpen(&src, &dst);
        filters[f](&src, &dst);
        check(equals(&dst, 8, 8, flat), "filters keep a flat image flat");
    }
    ik_sobel(&src, &dst);
    check(dst.pixels[0] == 0 && dst.pixels[63] == 0, "sobel of a flat image is zero");
    ik_destroy(&src);
    ik_destroy(&dst);
}

static void test_geometry(void)
{
    ik_image src, dst;
    static const uint8_t two[] = {1, 2, 3, 4};
    static const uint8_t four[] = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};
    make(&src, 2, 2, two);
    ik_resize_nearest(&src, &dst, 4, 4);
    check(equals(&dst, 4, 4, four), "nearest 2x2 -> 4x4 duplicates pixels");
    ik_destroy(&src);
    ik_destroy(&dst);

    static const uint8_t ramp[] = {0, 255};
    static const uint8_t ramp4[] = {0, 64, 191, 255};
    make(&src, 2, 1, ramp);
    ik_resize_bilinear(&src, &dst, 4, 1);
    check(equals(&dst, 4, 1, ramp4), "bilinear {0,255} -> {0,64,191,255}");
    ik_destroy(&src);
    ik_destroy(&dst);

    static const uint8_t tall[] = {1, 2, 3, 4, 5, 6};
    static const uint8_t wide[] = {5, 3, 1, 6, 4, 2};
    make(&src, 2, 3, tall);
    ik_rotate90(&src, &dst);
    check(equals(&dst, 3, 2, wide), "rotate90 clockwise of a 2x3 image");
    ik_destroy(&dst);
    ik_flip_horizontal(&src);
    static const uint8_t flipped[] = {2, 1, 4, 3, 6, 5};
    check(equals(&src, 2, 3, flipped), "flip horizontal");
    check(ik_crop(&src, &dst, 1, 1, 1, 2) && dst.pixels[0] == 3 && dst.pixels[1] == 5, "crop a 1x2 window");
    ik_destroy(&dst);
    check(!ik_crop(&src, &dst, 1, 1, 2, 2), "crop outside the image fails");
    ik_destroy(&src);
}

static void test_pattern(void)
{
    ik_image img, a, b, c, d;
    ik_create(&img, 97, 61);
    ik_fill_pattern(&img, 12345);
    uint32_t original = ik_checksum(&img);
    ik_rotate90(&img, &a);
    ik_rotate90(&a, &b);
    ik_rotate90(&b, &c);
    ik_rotate90(&c, &d);
    check(ik_checksum(&d) == original, "four rotations are the identity");
    ik_destroy(&a); ik_destroy(&b); ik_destroy(&c); ik_destroy(&d);
    ik_flip_horizontal(&img);
    ik_flip_horizontal(&img);
    check(ik_checksum(&img) == original, "two flips are the identity");

    /* A longer pipeline; its checksums are what test replay compares between builds. */
    ik_create(&a, img.width, img.height);
    ik_gaussian3(&img, &a);
    ik_create(&b, img.width, img.height);
    ik_sobel(&a, &b);
    ik_median3(&b, &a);
    printf("pattern %08x gaussian+sobel+median %08x", original, ik_checksum(&a));
    ik_equalize(&a);
    uint8_t level = ik_otsu_threshold(&a);
    ik_threshold(&a, level);
    printf(" equalized+otsu(%u) %08x", level, ik_checksum(&a));
    ik_resize_bilinear(&img, &c, 50, 150);
    ik_resize_nearest(&c, &d, 13, 7);
    printf(" resized %08x %08x\n", ik_checksum(&c), ik_checksum(&d));
    uint32_t hist[256];
    ik_histogram(&a, hist);
    check(hist[0] + hist[255] == (uint32_t)(a.width * a.height), "a thresholded image has two levels");
    ik_destroy(&a); ik_destroy(&b); ik_destroy(&c); ik_destroy(&d); ik_destroy(&img);
}

int main(void)
{
    test_color();
    test_filters();
    test_geometry();
    test_pattern();
    printf("imagekit tests: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
