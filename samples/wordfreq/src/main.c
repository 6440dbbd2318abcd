#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "words.h"

/* wordfreq [--self-test]: counts the words of generated text (or standard input) and prints the ten most frequent. */
int main(int argc, char **argv)
{
    size_t size = 1 << 22;
    char *text = malloc(size);
    size_t n;
    if (argc > 1 && strcmp(argv[1], "--self-test") == 0) n = generate_text(text, size, 20261207);
    else n = fread(text, 1, size - 1, stdin);
    struct table t;
    table_init(&t, 1 << 16);
    size_t words = 0;
    for (int round = 0; round < 8; round++) words += count_words(&t, text, n);
    struct word top[10];
    size_t k = table_top(&t, top, 10);
    printf("%zu words, %zu distinct\n", words, t.used);
    for (size_t i = 0; i < k; i++) printf("%8u %s\n", top[i].count, top[i].text);
    table_free(&t);
    free(text);
    return 0;
}
