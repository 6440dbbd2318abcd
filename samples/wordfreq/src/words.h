#ifndef WORDS_H
#define WORDS_H
#include <stddef.h>
#include <stdint.h>

/* A word table: open addressing over FNV-1a hashes. */
struct word { char text[32]; uint32_t hash; uint32_t count; };
struct table { struct word *slots; size_t capacity, used; };

uint32_t fnv1a(const char *s, size_t n);
void table_init(struct table *t, size_t capacity);
void table_free(struct table *t);
void table_add(struct table *t, const char *s, size_t n);
size_t table_top(const struct table *t, struct word *out, size_t k);

/* Text generation and tokenizing. */
size_t generate_text(char *buf, size_t size, uint64_t seed);
size_t count_words(struct table *t, const char *text, size_t n);
#endif
