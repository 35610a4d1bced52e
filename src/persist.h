/*
 * Persistent resources (Tru64 DLM_PERSIST): resources that outlive their
 * holders, each in one recovery domain.
 *
 * Both facts live in the lock manager itself, so that every process and
 * every node sees them, and a holder that dies cannot take them along:
 *
 *  - the resource is kept by an anchor: a lock of the layer's own in NL,
 *    ENGINE_LKF_PERSISTENT, which outlives its process as an orphan.  NL
 *    blocks nobody; the resource, and its value block, stay while it does;
 *  - the domain is written in the resource's value block, past the
 *    DLM_VALBLKSIZE longwords that Tru64 callers see (the engine's block
 *    has room for both).  The mark is a magic word and a digest of the
 *    domain's name; a resource without it is not persistent.
 *
 * Every new request reads the value block (the engine copies it on the
 * grant), so an ordinary lock learns that it was granted on a persistent
 * resource, which Tru64 refuses with DLM_IS_PR.  Writes of the value
 * block keep the mark, since a lock's copy of the block holds it from its
 * grant on.
 */
#ifndef DLM_TRU64_PERSIST_H
#define DLM_TRU64_PERSIST_H

#include <sys/dlm.h>

#include "process.h"

#define PERSIST_MARK_OFFSET sizeof(dlm_valb_t)
#define PERSIST_MARK_LEN    (ENGINE_LVB_LEN - PERSIST_MARK_OFFSET)

/* A mark is the magic word, then the first PERSIST_DIGEST_LEN bytes of
 * SHA-256 of "dlm_tru64 recovery domain" (with its NUL) and the domain's
 * name: the digest tells domains apart, and is all that is known of a
 * domain's name without the name. */
#define PERSIST_MAGIC_LEN   4
#define PERSIST_DIGEST_LEN  (PERSIST_MARK_LEN - PERSIST_MAGIC_LEN)

struct persist_mark {
    unsigned char bytes[PERSIST_MARK_LEN];
};

/* The mark of the recovery domain called name. */
void persist_mark_of(const char *name, struct persist_mark *mark);

/* Does the value block lvb (ENGINE_LVB_LEN bytes) carry a mark, this
 * one? */
int persist_marked(const char *lvb);
int persist_marked_by(const char *lvb, const struct persist_mark *mark);

/* The mark that lvb carries: 1 with *mark set, or 0 when it carries
 * none. */
int persist_mark_read(const char *lvb, struct persist_mark *mark);

/* Before a DLM_PERSIST request on the resource name of ns: make it a
 * persistent resource of the domain of mark, unless it is one already.
 * DLM_SUCCESS; DLM_PR_RD_MISMATCH (persistent in another domain);
 * DLM_NOT_PR (in use by locks that are not persistent); or the status of
 * an engine failure. */
dlm_status_t persist_prepare(struct namespace *ns, const struct resname *name,
                             const struct persist_mark *mark);

/* Make lock, granted in EX, the anchor of the value block it writes: an
 * NL lock, ENGINE_LKF_PERSISTENT, whose copy of the block stays in the
 * lock manager with it, an orphan once its process is gone; invalid: the
 * block written is marked invalid.  0 or a negative error. */
int persist_anchor(struct namespace *ns, struct syslock *lock, int invalid);

/* ns keeps anchor, from the heap, until its lockspace closes. */
void persist_keep(struct namespace *ns, struct syslock *anchor);

/* Free the anchors of ns, whose lockspace is closed (they stay in the
 * lock manager as orphans). */
void persist_forget_anchors(struct namespace *ns);

#endif
