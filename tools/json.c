#include "config.h"

#include "json.h"

#include "resource_names.h"

void json_init(struct json *json, FILE *out)
{
    json->out = out;
    json->depth = 0;
    json->has_items[0] = 0;
}

static void write_quoted(FILE *out, const char *text)
{
    fputc('"', out);
    for (; *text != '\0'; text++) {
        unsigned char c = (unsigned char)*text;

        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c > 0x7e)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* Start a value: the comma after the previous one, a new line indented
 * to the depth, and the key. */
static void value_begin(struct json *json, const char *key)
{
    if (json->depth > 0) {
        fputs(json->has_items[json->depth] ? ",\n" : "\n", json->out);
        fprintf(json->out, "%*s", (int)(2 * json->depth), "");
    }
    json->has_items[json->depth] = 1;
    if (key != NULL) {
        write_quoted(json->out, key);
        fputs(": ", json->out);
    }
}

static void container_begin(struct json *json, const char *key, char open)
{
    value_begin(json, key);
    fputc(open, json->out);
    /* Deeper than any document of ours: a programming error, kept safe. */
    if (json->depth + 1 < JSON_MAX_DEPTH)
        json->depth++;
    json->has_items[json->depth] = 0;
}

static void container_end(struct json *json, char close)
{
    int had_items = json->has_items[json->depth];

    if (json->depth > 0)
        json->depth--;
    if (had_items)
        fprintf(json->out, "\n%*s", (int)(2 * json->depth), "");
    fputc(close, json->out);
}

void json_object_begin(struct json *json, const char *key)
{
    container_begin(json, key, '{');
}

void json_object_end(struct json *json)
{
    container_end(json, '}');
}

void json_array_begin(struct json *json, const char *key)
{
    container_begin(json, key, '[');
}

void json_array_end(struct json *json)
{
    container_end(json, ']');
}

void json_string(struct json *json, const char *key, const char *value)
{
    value_begin(json, key);
    if (value != NULL)
        write_quoted(json->out, value);
    else
        fputs("null", json->out);
}

void json_uint(struct json *json, const char *key, unsigned long long value)
{
    value_begin(json, key);
    fprintf(json->out, "%llu", value);
}

void json_bool(struct json *json, const char *key, int value)
{
    value_begin(json, key);
    fputs(value ? "true" : "false", json->out);
}

void json_null(struct json *json, const char *key)
{
    value_begin(json, key);
    fputs("null", json->out);
}

void json_hex(struct json *json, const char *key, const unsigned char *bytes, unsigned int len)
{
    value_begin(json, key);
    fputc('"', json->out);
    write_hex(json->out, bytes, len);
    fputc('"', json->out);
}

void json_finish(struct json *json)
{
    fputc('\n', json->out);
}
