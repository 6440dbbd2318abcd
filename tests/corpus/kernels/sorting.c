/* Sorting: libc qsort with comparator callbacks (ints, and structs with a
 * multi-key comparator that is a total order, so the result does not
 * depend on qsort's algorithm), a hand-written quicksort (median of three,
 * insertion sort below a cutoff, recursion on the smaller side), a
 * top-down mergesort with a scratch buffer, and heapsort.  All results are
 * verified sorted and must match each other. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 20000
#define REPS 12

typedef struct { int32_t key; uint16_t group; uint32_t id; } Item;

static volatile uint32_t seed_init = 0xFACEu;
static int32_t base[N], a1[N], a2[N], a3[N], a4[N], tmp[N];
static Item items[N];

static int cmp_int(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    return (a > b) - (a < b);
}

static int cmp_item(const void *pa, const void *pb)
{
    const Item *a = pa, *b = pb;
    if (a->group != b->group) return a->group < b->group ? -1 : 1;
    if (a->key != b->key) return a->key > b->key ? -1 : 1; /* descending key */
    return (a->id > b->id) - (a->id < b->id);               /* unique tie-break */
}

static void insertion_sort(int32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        int32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void swap_i(int32_t *x, int32_t *y)
{
    int32_t t = *x;
    *x = *y;
    *y = t;
}

__attribute__((noinline)) static void quicksort(int32_t *a, int n)
{
    while (n > 16) {
        int mid = n / 2;
        if (a[mid] < a[0]) swap_i(&a[mid], &a[0]);
        if (a[n - 1] < a[0]) swap_i(&a[n - 1], &a[0]);
        if (a[n - 1] < a[mid]) swap_i(&a[n - 1], &a[mid]);
        int32_t pivot = a[mid];
        int i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            swap_i(&a[i], &a[j]);
            i++;
            j--;
        }
        int left = j + 1; /* [0, j] and [j+1, n) */
        if (left < n - left) {
            quicksort(a, left);
            a += left;
            n -= left;
        } else {
            quicksort(a + left, n - left);
            n = left;
        }
    }
    insertion_sort(a, n);
}

__attribute__((noinline)) static void mergesort_rec(int32_t *a, int32_t *scratch, int n)
{
    if (n <= 24) {
        insertion_sort(a, n);
        return;
    }
    int h = n / 2;
    mergesort_rec(a, scratch, h);
    mergesort_rec(a + h, scratch, n - h);
    if (a[h - 1] <= a[h]) return;
    memcpy(scratch, a, sizeof(int32_t) * (size_t)h);
    int i = 0, j = h, k = 0;
    while (i < h && j < n)
        a[k++] = scratch[i] <= a[j] ? scratch[i++] : a[j++];
    while (i < h) a[k++] = scratch[i++];
}

static void sift_down(int32_t *a, int start, int end)
{
    int root = start;
    while (2 * root + 1 <= end) {
        int child = 2 * root + 1;
        if (child + 1 <= end && a[child] < a[child + 1]) child++;
        if (a[root] >= a[child]) return;
        swap_i(&a[root], &a[child]);
        root = child;
    }
}

__attribute__((noinline)) static void heapsort_i(int32_t *a, int n)
{
    for (int start = (n - 2) / 2; start >= 0; start--) sift_down(a, start, n - 1);
    for (int end = n - 1; end > 0; end--) {
        swap_i(&a[0], &a[end]);
        sift_down(a, 0, end - 1);
    }
}

static int is_sorted(const int32_t *a, int n)
{
    for (int i = 1; i < n; i++)
        if (a[i - 1] > a[i]) return 0;
    return 1;
}

static uint64_t weighted(const int32_t *a, int n)
{
    uint64_t h = 0;
    for (int i = 0; i < n; i++) h = h * 1000003u + (uint32_t)a[i];
    return h;
}

int main(void)
{
    uint32_t s = seed_init;
    uint64_t chk = 0, ichk = 0;
    int bad = 0;
    for (int r = 0; r < REPS; r++) {
        for (int i = 0; i < N; i++) {
            s = s * 1664525u + 1013904223u;
            /* r odd: many duplicates; r even: wide range */
            base[i] = (r & 1) ? (int32_t)(s >> 24) - 128 : (int32_t)(s >> 1) - (1 << 30);
            items[i].key = (int32_t)(s >> 20);
            items[i].group = (uint16_t)(s % 17u);
            items[i].id = (uint32_t)i;
        }
        if (r == 2) /* an already sorted input */
            qsort(base, N, sizeof base[0], cmp_int);
        memcpy(a1, base, sizeof base);
        memcpy(a2, base, sizeof base);
        memcpy(a3, base, sizeof base);
        memcpy(a4, base, sizeof base);
        qsort(a1, N, sizeof a1[0], cmp_int);
        quicksort(a2, N);
        mergesort_rec(a3, tmp, N);
        heapsort_i(a4, N);
        qsort(items, N, sizeof items[0], cmp_item);
        if (!is_sorted(a1, N) || memcmp(a1, a2, sizeof a1) || memcmp(a1, a3, sizeof a1) ||
            memcmp(a1, a4, sizeof a1))
            bad++;
        for (int i = 1; i < N; i++)
            if (cmp_item(&items[i - 1], &items[i]) >= 0) { bad++; break; }
        chk = chk * 31u + weighted(a1, N);
        for (int i = 0; i < N; i += 97) ichk = ichk * 131u + items[i].id;
    }
    printf("sorting: chk=%016llx items=%016llx median=%d bad=%d\n", (unsigned long long)chk,
           (unsigned long long)ichk, a1[N / 2], bad);
    return 0;
}
