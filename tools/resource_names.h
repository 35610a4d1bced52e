/*
 * Tru64 resource names read back from engine names, and written for
 * people.
 *
 * The Tru64 layer names a sublock's resource by its whole path from the
 * root (src/resname.h).  An exact-form name spells every name on the
 * path; a digest-form name keeps only a hash of the resource's own name
 * and the fingerprint of its parent, which is found again among the
 * lockspace's other resources.  A name the Tru64 layer cannot have made
 * (a lockspace used through the engine directly) is shown as the engine's
 * bytes.
 */
#ifndef DLM_TRU64_TOOLS_RESOURCE_NAMES_H
#define DLM_TRU64_TOOLS_RESOURCE_NAMES_H

#include <stdio.h>

#include "engine.h"
#include "resname.h"

enum path_step_kind {
    STEP_NAME,          /* a Tru64 resource name: bytes, len */
    STEP_HASHED,        /* a name kept only as a hash */
    STEP_UNKNOWN,       /* an ancestor that is not in the lockspace */
    STEP_ENGINE         /* not a Tru64 name: the engine's bytes, len */
};

struct path_step {
    enum path_step_kind kind;
    const unsigned char *bytes;
    unsigned int len;
};

/* Deeper paths are cut at the root end (truncated is set).  Exact-form
 * paths have at most ENGINE_RESNAME_MAXLEN / 2 steps. */
#define PATH_MAX_STEPS 64

struct resource_path {
    struct path_step step[PATH_MAX_STEPS];  /* root first */
    unsigned int nsteps;
    int truncated;
};

/* The resources of one picture, and what finding digest-form parents
 * needs (built when first needed). */
struct name_book {
    const struct engine_picture *picture;
    struct fingerprint_entry *prints;
    unsigned int nprints;
    int indexed;
};

void name_book_init(struct name_book *book, const struct engine_picture *picture);
void name_book_free(struct name_book *book);

/* The path of the picture's resource at index. */
void resource_path_of(struct name_book *book, unsigned int index, struct resource_path *path);

/* Write bytes as text: printable ASCII as it is, every other byte, and
 * the bytes that mark or separate ('\\', '/', '<', space), as \xHH. */
void write_escaped(FILE *out, const unsigned char *bytes, unsigned int len);

/* The same into a string (NUL-terminated; 4 * len + 1 bytes). */
void escape_into(char *dst, const unsigned char *bytes, unsigned int len);

/* Write a whole path for people: steps separated by '/', a hashed name as
 * <hashed>, a missing ancestor as <unknown>, an engine name as
 * <engine>BYTES, a cut path beginning with .../ */
void write_path(FILE *out, const struct resource_path *path);

/* Write bytes as lower-case hexadecimal. */
void write_hex(FILE *out, const unsigned char *bytes, unsigned int len);

#endif
