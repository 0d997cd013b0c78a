#include <stdlib.h>
#include <string.h>

/* A growable byte buffer. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} Buffer;

/* Appends n bytes to the buffer, growing it when full. Returns 0 on success. */
int buffer_append(Buffer *b, const char *bytes, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->len + n) cap *= 2;
        char *data = realloc(b->data, cap);
        if (!data) return -1;
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    return 0;
}
