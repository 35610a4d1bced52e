#include "config.h"

#include "resname.h"

#include <string.h>

#include <sys/dlm.h>

#include "sha256.h"

#define DIGEST_MARK 0xffu
#define OWN_MARK    0xfeu

_Static_assert(RESNAME_DIGEST_LEN == 1 + RESNAME_FINGERPRINT_LEN + SHA256_DIGEST_LEN,
               "digest-form length");

void resname_fingerprint(const unsigned char *name, unsigned int len,
                         unsigned char out[RESNAME_FINGERPRINT_LEN])
{
    uint8_t digest[SHA256_DIGEST_LEN];
    struct sha256 ctx;

    sha256_init(&ctx);
    sha256_update(&ctx, name, len);
    sha256_final(&ctx, digest);
    memcpy(out, digest, RESNAME_FINGERPRINT_LEN);
}

static void fingerprint(const struct resname *name, uint8_t out[RESNAME_FINGERPRINT_LEN])
{
    resname_fingerprint(name->bytes, name->len, out);
}

void resname_child(struct resname *out, const struct resname *parent, const void *name,
                   unsigned int len)
{
    unsigned int prefix = parent != NULL ? parent->len : 0;
    unsigned char n = (unsigned char)len;

    if (prefix + 1 + len <= ENGINE_RESNAME_MAXLEN) {
        if (parent != NULL)
            memmove(out->bytes, parent->bytes, prefix);
        out->bytes[prefix] = n;
        memcpy(out->bytes + prefix + 1, name, len);
        out->len = prefix + 1 + len;
    } else {
        uint8_t digest[SHA256_DIGEST_LEN], print[RESNAME_FINGERPRINT_LEN];
        struct sha256 ctx;

        fingerprint(parent, print);
        sha256_init(&ctx);
        sha256_update(&ctx, parent->bytes, parent->len);
        sha256_update(&ctx, &n, 1);
        sha256_update(&ctx, name, len);
        sha256_final(&ctx, digest);
        out->bytes[0] = DIGEST_MARK;
        memcpy(out->bytes + 1, print, sizeof print);
        memcpy(out->bytes + 1 + sizeof print, digest, sizeof digest);
        out->len = 1 + sizeof print + sizeof digest;
    }
}

void resname_own(struct resname *out, unsigned char kind, const void *key, unsigned int len)
{
    struct sha256 ctx;

    out->bytes[0] = OWN_MARK;
    out->bytes[1] = kind;
    sha256_init(&ctx);
    sha256_update(&ctx, key, len);
    sha256_final(&ctx, out->bytes + 2);
    out->len = 2 + SHA256_DIGEST_LEN;
}

unsigned char resname_own_kind(const unsigned char *name, unsigned int len)
{
    return len == 2 + SHA256_DIGEST_LEN && name[0] == OWN_MARK ? name[1] : 0;
}

int resname_is_child(const struct resname *parent, const unsigned char *child,
                     unsigned int len)
{
    uint8_t print[RESNAME_FINGERPRINT_LEN];

    if (len > parent->len + 1 && memcmp(child, parent->bytes, parent->len) == 0
        && child[parent->len] != DIGEST_MARK && len == parent->len + 1u + child[parent->len])
        return 1;
    if (len != 1 + RESNAME_FINGERPRINT_LEN + SHA256_DIGEST_LEN || child[0] != DIGEST_MARK)
        return 0;
    fingerprint(parent, print);
    return memcmp(child + 1, print, sizeof print) == 0;
}

int resname_read(const unsigned char *name, unsigned int len, struct resname_reading *out)
{
    unsigned int at = 0;

    out->base = 0;
    out->nsegments = 0;
    if (len == 0 || len > ENGINE_RESNAME_MAXLEN)
        return -1;
    if (name[0] == DIGEST_MARK) {
        if (len < RESNAME_DIGEST_LEN)
            return -1;
        out->base = at = RESNAME_DIGEST_LEN;
    }
    while (at < len) {
        unsigned int n = name[at];

        /* A length is 1..DLM_RESNAMELEN, and the name must fit. */
        if (n == 0 || n > DLM_RESNAMELEN || n > len - at - 1
            || out->nsegments == sizeof out->segment / sizeof out->segment[0])
            return -1;
        out->segment[out->nsegments].offset = at + 1;
        out->segment[out->nsegments].len = n;
        out->nsegments++;
        at += 1 + n;
    }
    return 0;
}
