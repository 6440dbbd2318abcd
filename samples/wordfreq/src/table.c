#include <stdlib.h>
#include <string.h>
#include "words.h"

uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 16777619u; }
    return h;
}

void table_init(struct table *t, size_t capacity)
{
    t->slots = calloc(capacity, sizeof *t->slots);
    t->capacity = capacity;
    t->used = 0;
}

void table_free(struct table *t) { free(t->slots); t->slots = NULL; }

void table_add(struct table *t, const char *s, size_t n)
{
    if (n >= sizeof t->slots[0].text) n = sizeof t->slots[0].text - 1;
    uint32_t h = fnv1a(s, n);
    size_t i = h & (t->capacity - 1);
    for (;;) {
        struct word *w = &t->slots[i];
        if (w->count == 0) {
            memcpy(w->text, s, n);
            w->text[n] = 0;
            w->hash = h;
            w->count = 1;
            t->used++;
            return;
        }
        if (w->hash == h && strncmp(w->text, s, n) == 0 && w->text[n] == 0) { w->count++; return; }
        i = (i + 1) & (t->capacity - 1);
    }
}

static int better(const struct word *a, const struct word *b)
{
    if (a->count != b->count) return a->count > b->count;
    return strcmp(a->text, b->text) < 0;
}

size_t table_top(const struct table *t, struct word *out, size_t k)
{
    size_t have = 0;
    for (size_t i = 0; i < t->capacity; i++) {
        const struct word *w = &t->slots[i];
        if (w->count == 0) continue;
        size_t at = have < k ? have++ : k;
        if (at == k && !better(w, &out[k - 1])) continue;
        if (at == k) at = k - 1;
        while (at > 0 && better(w, &out[at - 1])) { out[at] = out[at - 1]; at--; }
        out[at] = *w;
    }
    return have;
}
