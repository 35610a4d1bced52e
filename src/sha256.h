/*
 * SHA-256 (FIPS 180-4), for naming deep resource trees: a digest stands in
 * for a resource path too long for the engine's names.
 */
#ifndef DLM_TRU64_SHA256_H
#define DLM_TRU64_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32

struct sha256 {
    uint32_t state[8];
    uint64_t length;            /* bytes hashed so far */
    uint8_t block[64];
    size_t used;                /* bytes waiting in block */
};

void sha256_init(struct sha256 *ctx);
void sha256_update(struct sha256 *ctx, const void *data, size_t len);
void sha256_final(struct sha256 *ctx, uint8_t digest[SHA256_DIGEST_LEN]);

#endif
