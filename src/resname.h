/*
 * Resource trees in flat engine names.
 *
 * Tru64 resources form trees: a sublock's resource is a child of its
 * parent lock's resource, so the same name under two parents names two
 * resources (Tru64 "tree-structured" names; VMS parent locks).  Engines
 * know only flat names of up to ENGINE_RESNAME_MAXLEN bytes, so each
 * resource's engine name encodes its whole path from the root.  A root
 * resource's engine name is n name (n, its length, 1..DLM_RESNAMELEN); a
 * child's is
 *
 *   exact form   its parent's engine name followed by n name, while that
 *                fits;
 *   digest form  0xff, the parent's fingerprint (the first
 *                RESNAME_FINGERPRINT_LEN bytes of SHA-256 of its engine
 *                name), then SHA-256 of (parent's engine name, n, name).
 *
 * Read from the left, a name parses one way only (0xff is never a length),
 * so two different paths get different names, up to a SHA-256 collision;
 * and a resource's children are recognised by name alone.
 *
 * The layer keeps resources of its own beside the caller's (persistence
 * guards, recovery collectors): their names begin with 0xfe, which no
 * Tru64 path encodes to, then a byte that says what they are for, then
 * SHA-256 of what they are about.
 */
#ifndef DLM_TRU64_RESNAME_H
#define DLM_TRU64_RESNAME_H

#include "engine.h"

#define RESNAME_FINGERPRINT_LEN 16
/* The length of a digest-form name. */
#define RESNAME_DIGEST_LEN (1 + RESNAME_FINGERPRINT_LEN + 32)

struct resname {
    unsigned char bytes[ENGINE_RESNAME_MAXLEN];
    unsigned int len;
};

/* The engine name of the resource called name (1..DLM_RESNAMELEN bytes,
 * checked by the caller) under parent, or at the root when parent is
 * NULL. */
void resname_child(struct resname *out, const struct resname *parent, const void *name,
                   unsigned int len);

/* The engine name of the layer's own resource of kind (a printable
 * letter) about the len bytes at key. */
void resname_own(struct resname *out, unsigned char kind, const void *key, unsigned int len);

/* The kind of the layer's own resource that an engine name names, or 0
 * when it is no such name (a caller's resource, or another's). */
unsigned char resname_own_kind(const unsigned char *name, unsigned int len);

/* Is child the engine name of a child of parent? */
int resname_is_child(const struct resname *parent, const unsigned char *child,
                     unsigned int len);

/* The fingerprint of an engine name, as a digest-form child of it
 * carries it. */
void resname_fingerprint(const unsigned char *name, unsigned int len,
                         unsigned char out[RESNAME_FINGERPRINT_LEN]);

/* An engine name read back into the path it encodes, for people to see
 * (administration).  The name is
 *   - base bytes of a digest-form name (0 or RESNAME_DIGEST_LEN): an
 *     ancestor whose own name is hashed, or the resource itself when
 *     nothing follows; its parent is the resource whose fingerprint it
 *     carries;
 *   - then nsegments exact-form names, outermost first, at their offsets.
 */
struct resname_reading {
    unsigned int base;
    unsigned int nsegments;
    struct {
        unsigned int offset;
        unsigned int len;
    } segment[ENGINE_RESNAME_MAXLEN / 2];
};

/* 0, or -1 when the bytes are no name resname_child makes. */
int resname_read(const unsigned char *name, unsigned int len, struct resname_reading *out);

#endif
