/*
 * A small JSON writer: values are written in order, and the writer
 * supplies the commas, the indentation and the escaping.  Every string
 * written is ASCII (callers escape names first), so the output is valid
 * UTF-8 by construction.
 */
#ifndef DLM_TRU64_TOOLS_JSON_H
#define DLM_TRU64_TOOLS_JSON_H

#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
    FILE *out;
    unsigned int depth;
    int has_items[JSON_MAX_DEPTH];  /* the open container has a value */
};

void json_init(struct json *json, FILE *out);

/* In an object each value needs its key; in an array (or at the top) the
 * key is NULL. */
void json_object_begin(struct json *json, const char *key);
void json_object_end(struct json *json);
void json_array_begin(struct json *json, const char *key);
void json_array_end(struct json *json);

void json_string(struct json *json, const char *key, const char *value);   /* NULL: null */
void json_uint(struct json *json, const char *key, unsigned long long value);
void json_bool(struct json *json, const char *key, int value);
void json_null(struct json *json, const char *key);

/* A string of the bytes in lower-case hexadecimal. */
void json_hex(struct json *json, const char *key, const unsigned char *bytes, unsigned int len);

/* End the document with a newline. */
void json_finish(struct json *json);

#endif
