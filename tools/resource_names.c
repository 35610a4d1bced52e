#include "config.h"

#include "resource_names.h"

#include <stdlib.h>
#include <string.h>

struct fingerprint_entry {
    unsigned char print[RESNAME_FINGERPRINT_LEN];
    unsigned int index;
};

void name_book_init(struct name_book *book, const struct engine_picture *picture)
{
    *book = (struct name_book){ .picture = picture };
}

void name_book_free(struct name_book *book)
{
    free(book->prints);
    book->prints = NULL;
}

static int by_print(const void *a, const void *b)
{
    return memcmp(((const struct fingerprint_entry *)a)->print,
                  ((const struct fingerprint_entry *)b)->print, RESNAME_FINGERPRINT_LEN);
}

/* Fingerprint every resource once, sorted for bsearch.  Without memory
 * for it every digest-form parent is simply <unknown>. */
static void index_prints(struct name_book *book)
{
    const struct engine_picture *picture = book->picture;
    unsigned int i;

    book->indexed = 1;
    book->prints = calloc(picture->nresources + 1, sizeof *book->prints);
    if (book->prints == NULL)
        return;
    for (i = 0; i < picture->nresources; i++) {
        resname_fingerprint(picture->resources[i].name, picture->resources[i].namelen,
                            book->prints[i].print);
        book->prints[i].index = i;
    }
    book->nprints = picture->nresources;
    qsort(book->prints, book->nprints, sizeof *book->prints, by_print);
}

/* The resource whose fingerprint a digest-form name carries, or -1. */
static long parent_by_print(struct name_book *book, const unsigned char *digest_name)
{
    struct fingerprint_entry key, *found;

    if (!book->indexed)
        index_prints(book);
    if (book->nprints == 0)
        return -1;
    memcpy(key.print, digest_name + 1, RESNAME_FINGERPRINT_LEN);
    found = bsearch(&key, book->prints, book->nprints, sizeof *book->prints, by_print);
    return found != NULL ? (long)found->index : -1;
}

/* Steps are gathered leaf first, then reversed. */
static void push(struct resource_path *path, enum path_step_kind kind,
                 const unsigned char *bytes, unsigned int len)
{
    if (path->nsteps == PATH_MAX_STEPS) {
        path->truncated = 1;
        return;
    }
    path->step[path->nsteps++] = (struct path_step){ kind, bytes, len };
}

void resource_path_of(struct name_book *book, unsigned int index, struct resource_path *path)
{
    const struct engine_picture *picture = book->picture;
    const struct engine_resource_info *res = &picture->resources[index];
    const unsigned char *name = res->name;
    unsigned int len = res->namelen, i;

    path->nsteps = 0;
    path->truncated = 0;
    /* Walk up: the exact-form steps of this name, then, while it begins
     * with a digest-form ancestor, that ancestor's hashed step and the
     * name of its parent.  A cycle (a hash collision) ends at the depth
     * bound. */
    while (!path->truncated) {
        struct resname_reading reading;
        long parent;

        if (resname_read(name, len, &reading) != 0) {
            push(path, STEP_ENGINE, name, len);
            break;
        }
        for (i = reading.nsegments; i-- > 0;)
            push(path, STEP_NAME, name + reading.segment[i].offset, reading.segment[i].len);
        if (reading.base == 0)
            break;
        push(path, STEP_HASHED, NULL, 0);
        parent = parent_by_print(book, name);
        if (parent < 0) {
            push(path, STEP_UNKNOWN, NULL, 0);
            break;
        }
        name = picture->resources[parent].name;
        len = picture->resources[parent].namelen;
    }
    for (i = 0; i < path->nsteps / 2; i++) {
        struct path_step swap = path->step[i];

        path->step[i] = path->step[path->nsteps - 1 - i];
        path->step[path->nsteps - 1 - i] = swap;
    }
}

static int plain(unsigned char byte)
{
    return byte > ' ' && byte <= '~' && byte != '\\' && byte != '/' && byte != '<';
}

void escape_into(char *dst, const unsigned char *bytes, unsigned int len)
{
    static const char hex[] = "0123456789abcdef";
    unsigned int i;

    for (i = 0; i < len; i++) {
        if (plain(bytes[i])) {
            *dst++ = (char)bytes[i];
        } else {
            *dst++ = '\\';
            *dst++ = 'x';
            *dst++ = hex[bytes[i] >> 4];
            *dst++ = hex[bytes[i] & 0xf];
        }
    }
    *dst = '\0';
}

void write_escaped(FILE *out, const unsigned char *bytes, unsigned int len)
{
    char text[4 * ENGINE_RESNAME_MAXLEN + 1];

    escape_into(text, bytes, len <= ENGINE_RESNAME_MAXLEN ? len : ENGINE_RESNAME_MAXLEN);
    fputs(text, out);
}

void write_path(FILE *out, const struct resource_path *path)
{
    unsigned int i;

    if (path->truncated)
        fputs(".../", out);
    for (i = 0; i < path->nsteps; i++) {
        const struct path_step *step = &path->step[i];

        if (i > 0)
            fputc('/', out);
        switch (step->kind) {
        case STEP_NAME:
            write_escaped(out, step->bytes, step->len);
            break;
        case STEP_HASHED:
            fputs("<hashed>", out);
            break;
        case STEP_UNKNOWN:
            fputs("<unknown>", out);
            break;
        case STEP_ENGINE:
            fputs("<engine>", out);
            write_escaped(out, step->bytes, step->len);
            break;
        }
    }
}

void write_hex(FILE *out, const unsigned char *bytes, unsigned int len)
{
    unsigned int i;

    for (i = 0; i < len; i++)
        fprintf(out, "%02x", bytes[i]);
}
