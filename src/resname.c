#include "config.h"

#include "resname.h"

#include <string.h>

#include "sha256.h"

#define DIGEST_MARK 0xffu

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
        struct sha256 ctx;

        sha256_init(&ctx);
        sha256_update(&ctx, parent->bytes, parent->len);
        sha256_update(&ctx, &n, 1);
        sha256_update(&ctx, name, len);
        out->bytes[0] = DIGEST_MARK;
        sha256_final(&ctx, out->bytes + 1);
        out->len = 1 + SHA256_DIGEST_LEN;
    }
}
