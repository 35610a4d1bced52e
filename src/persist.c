#include "config.h"

#include "persist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain_index.h"
#include "result.h"
#include "sha256.h"
#include "syslock.h"

static const unsigned char magic[PERSIST_MAGIC_LEN] = { 'd', 'l', 'm', 'P' };

/* Kinds of the layer's own resources (resname_own). */
#define GUARD_KIND 'P'

_Static_assert(PERSIST_DIGEST_LEN <= SHA256_DIGEST_LEN, "a mark holds part of a digest");

void persist_mark_of(const char *name, struct persist_mark *mark)
{
    static const char domain_space[] = "dlm_tru64 recovery domain";
    uint8_t digest[SHA256_DIGEST_LEN];
    struct sha256 ctx;

    sha256_init(&ctx);
    sha256_update(&ctx, domain_space, sizeof domain_space);
    sha256_update(&ctx, name, strlen(name));
    sha256_final(&ctx, digest);
    memcpy(mark->bytes, magic, sizeof magic);
    memcpy(mark->bytes + sizeof magic, digest, PERSIST_DIGEST_LEN);
}

int persist_marked(const char *lvb)
{
    return memcmp(lvb + PERSIST_MARK_OFFSET, magic, sizeof magic) == 0;
}

int persist_marked_by(const char *lvb, const struct persist_mark *mark)
{
    return memcmp(lvb + PERSIST_MARK_OFFSET, mark->bytes, PERSIST_MARK_LEN) == 0;
}

int persist_mark_read(const char *lvb, struct persist_mark *mark)
{
    if (!persist_marked(lvb))
        return 0;
    memcpy(mark->bytes, lvb + PERSIST_MARK_OFFSET, PERSIST_MARK_LEN);
    return 1;
}

/* An NL lock is granted at once whatever the queues hold (EXPEDITE), and
 * reads the value block. */
#define ANCHOR_FLAGS (ENGINE_LKF_EXPEDITE | ENGINE_LKF_VALBLK | ENGINE_LKF_PERSISTENT)

static int take_anchor(struct namespace *ns, struct syslock *anchor, const struct resname *name)
{
    int rc = syslock_request(ns, anchor, ENGINE_MODE_NL, ANCHOR_FLAGS, name);

    return syslock_granted(rc);     /* an NL request is never refused */
}

/* What the mark read by anchor says of a request for the domain of mark;
 * 1 when the resource is not persistent yet. */
static int judge(const struct syslock *anchor, const struct persist_mark *mark,
                 dlm_status_t *status)
{
    if (!persist_marked(anchor->lvb))
        return 1;
    *status = persist_marked_by(anchor->lvb, mark) ? DLM_SUCCESS : DLM_PR_RD_MISMATCH;
    return 0;
}

int persist_anchor(struct namespace *ns, struct syslock *lock, int invalid)
{
    int rc = 0;

    /* A conversion with IVVALBLK marks the value block but writes nothing
     * (fs/dlm set_lvb_lock; the embedded engine alike): an invalid value
     * is written on the way down to PW first. */
    if (invalid)
        rc = syslock_granted(syslock_request(ns, lock, ENGINE_MODE_PW,
                                             ENGINE_LKF_CONVERT | ENGINE_LKF_VALBLK, NULL));
    if (rc == 0)
        rc = syslock_granted(syslock_request(ns, lock, ENGINE_MODE_NL,
                                             ENGINE_LKF_CONVERT | ENGINE_LKF_VALBLK
                                                 | ENGINE_LKF_PERSISTENT
                                                 | (invalid ? ENGINE_LKF_IVVALBLK : 0), NULL));
    return rc;
}

void persist_keep(struct namespace *ns, struct syslock *anchor)
{
    anchor->next = ns->anchors;
    ns->anchors = anchor;
}

/* Under the guard: write the mark, if no lock but NL ones holds the
 * resource (an EX conversion that does not wait proves it), and keep the
 * anchor that wrote it.  The domain's index names the resource first: a
 * marked resource that no entry names would never be recovered, while an
 * entry whose resource has no mark is only passed over.  In a domain
 * invalidated and not recovered since, the value is born invalid (Tru64
 * dlm_rd_detach: "and of resources added while it stays invalid"). */
static dlm_status_t make_persistent(struct namespace *ns, struct syslock *anchor,
                                    const struct resname *name,
                                    const struct persist_mark *mark)
{
    int invalid = 0, rc = syslock_request(ns, anchor, ENGINE_MODE_EX,
                                          ENGINE_LKF_CONVERT | ENGINE_LKF_NOQUEUE
                                              | ENGINE_LKF_VALBLK, NULL);

    if (rc == ENGINE_EAGAIN)
        return DLM_NOT_PR;
    rc = syslock_granted(rc);
    if (rc == 0)
        rc = domain_index_add(ns, mark, name, &invalid);
    if (rc == 0) {
        memcpy(anchor->lvb + PERSIST_MARK_OFFSET, mark->bytes, PERSIST_MARK_LEN);
        rc = persist_anchor(ns, anchor, invalid);
    }
    if (rc != 0)
        return result_of_error(rc);
    persist_keep(ns, anchor);
    return DLM_SUCCESS;
}

/* Under the guard: read the mark again, by a new anchor, and write it if
 * it is still missing. */
static dlm_status_t mark_under_guard(struct namespace *ns, struct syslock *anchor,
                                     const struct resname *name,
                                     const struct persist_mark *mark)
{
    dlm_status_t status;
    int rc = take_anchor(ns, anchor, name);

    if (rc != 0)
        return result_of_error(rc);
    if (judge(anchor, mark, &status))
        status = make_persistent(ns, anchor, name, mark);
    if (ns->anchors != anchor)
        syslock_release(ns, anchor, 0);
    return status;
}

dlm_status_t persist_prepare(struct namespace *ns, const struct resname *name,
                             const struct persist_mark *mark)
{
    struct syslock *anchor = calloc(1, sizeof *anchor), guard = { 0 };
    struct resname guard_name;
    dlm_status_t status;
    int rc;

    if (anchor == NULL)
        return DLM_INSFMEM;
    /* Most requests find the mark there already. */
    rc = take_anchor(ns, anchor, name);
    if (rc == 0 && !judge(anchor, mark, &status)) {
        syslock_release(ns, anchor, 0);
        free(anchor);
        return status;
    }
    if (rc == 0)
        rc = syslock_release(ns, anchor, 0);
    /* Marking is serialised by a guard resource of its own. */
    resname_own(&guard_name, GUARD_KIND, name->bytes, name->len);
    if (rc == 0)
        rc = syslock_request(ns, &guard, ENGINE_MODE_EX, 0, &guard_name);
    if (rc != 0) {
        free(anchor);
        return result_of_error(syslock_granted(rc));
    }
    status = mark_under_guard(ns, anchor, name, mark);
    syslock_release(ns, &guard, 0);
    if (ns->anchors != anchor)
        free(anchor);           /* else the namespace keeps it */
    return status;
}

void persist_forget_anchors(struct namespace *ns)
{
    domain_index_forget(ns);
    while (ns->anchors != NULL) {
        struct syslock *anchor = ns->anchors;

        ns->anchors = anchor->next;
        free(anchor);
    }
}
