/*
 * The layer's own engine locks: the locks it takes for itself, beside
 * the caller's, to keep persistent resources alive and to serialise its
 * own bookkeeping in the lock manager (persist.h, recovery.c).  Being
 * engine locks, they are shared with every process and every node of the
 * namespace, and die with their process like any other (except the
 * ENGINE_LKF_PERSISTENT ones, which stay as orphans).
 *
 * Requests wait for their end under the process mutex, as synchronous
 * Tru64 calls do; they have no blocking routine.  A syslock must stay in
 * place while the engine holds its lock: the engine writes its lock
 * status block.
 */
#ifndef DLM_TRU64_SYSLOCK_H
#define DLM_TRU64_SYSLOCK_H

#include <errno.h>

#include "process.h"

struct syslock {
    struct engine_lksb lksb;
    char lvb[ENGINE_LVB_LEN];
    int busy;                   /* a request is with the engine */
    struct syslock *next;       /* in the namespace's list of anchors */
};

/* Take a new lock on name, or with ENGINE_LKF_CONVERT in flags convert
 * lock, and wait: returns the completion status (0 granted, ENGINE_EAGAIN
 * for a refused NOQUEUE request, ...) or a negative engine error. */
int syslock_request(struct namespace *ns, struct syslock *lock, int mode, uint32_t flags,
                    const struct resname *name);

/* A result of syslock_request() for a request that can only be granted
 * or fail: 0, or a negative error (-EIO for a completion status it cannot
 * have, such as a refusal it did not ask to hear of). */
static inline int syslock_granted(int rc)
{
    return rc > 0 ? -EIO : rc;
}

/* Release lock (engine unlock flags) and wait: 0 or a negative error. */
int syslock_release(struct namespace *ns, struct syslock *lock, uint32_t flags);

/* Read the value block of name (ENGINE_LVB_LEN bytes into lvb) and, if
 * sbflags is not NULL, the grant's ENGINE_SBF_* flags, through an NL lock
 * released at once: 0 or a negative error. */
int syslock_peek(struct namespace *ns, const struct resname *name, char *lvb, uint32_t *sbflags);

/* Release the caller's engine lock lkid without waiting for it.  When the
 * release completes later, the lock's own completion routine runs with
 * astarg, so that must be something the routine ignores. */
void syslock_discard(struct namespace *ns, uint32_t lkid, void *astarg);

#endif
