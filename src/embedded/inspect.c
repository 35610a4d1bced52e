/*
 * Looking at a lockspace without changing it: the census of its blocks
 * and the picture of its resources and locks that deadlock detection and
 * queries work from.  Dead processes are purged first, so that neither
 * reports a lock nobody holds any more.
 */
#include "config.h"

#include "inspect.h"

#include <errno.h>
#include <string.h>

#include "proc.h"
#include "table.h"
#include "tx.h"

static const enum engine_queue public_queue[NQUEUES] = {
    [QUEUE_GRANT] = ENGINE_QUEUE_GRANTED,
    [QUEUE_CONVERT] = ENGINE_QUEUE_CONVERTING,
    [QUEUE_WAIT] = ENGINE_QUEUE_WAITING,
};

int inspect_census(struct engine_ls *ls, struct engine_census *census)
{
    uint32_t slot;
    int rc = tx_begin(ls);

    if (rc != 0)
        return rc;
    proc_purge_dead(ls);
    census->locks = ls->hdr->nlocks;
    census->resources = ls->hdr->nresources;
    census->processes = 0;
    for (slot = 1; slot <= ls->max_procs; slot++)
        census->processes += proc_at(ls, slot)->state == PROC_LIVE;
    return tx_end(ls);
}

static void describe_resource(struct engine_ls *ls, struct seg_resource *res,
                              struct engine_resource_info *info)
{
    uint32_t namelen = res->namelen;

    if (namelen > ENGINE_RESNAME_MAXLEN) {
        ls->damaged = 1;
        namelen = 0;
    }
    memset(info, 0, sizeof *info);
    memcpy(info->name, res->name, namelen);
    info->namelen = namelen;
    memcpy(info->lvb, res->lvb, ENGINE_LVB_LEN);
    info->lvb_valid = !(res->flags & RES_VALNOTVALID);
    info->lvb_seq = res->lvb_seq;
}

static void describe_lock(struct engine_ls *ls, struct seg_lock *lock, enum queue q,
                          unsigned int resource, struct engine_lock_info *info)
{
    info->lkid = lkid_of(ls, lock);
    info->pid = lock->owner != 0 ? (pid_t)proc_at(ls, lock->owner)->pid : 0;
    info->grmode = mode_ok(lock->grmode) ? lock->grmode : ENGINE_MODE_IV;
    info->rqmode = mode_ok(lock->rqmode) ? lock->rqmode : ENGINE_MODE_IV;
    info->queue = public_queue[q];
    info->flags = lock->flags & ~LOCK_HAS_BAST;
    info->has_bast = (lock->flags & LOCK_HAS_BAST) != 0;
    info->owner_tag = (uint64_t)lock->tag_hi << 32 | lock->tag_lo;
    info->group = lock->group;
    info->resource = resource;
}

/* Add one resource and its locks to the picture, counting past its
 * capacities. */
static void picture_add(struct engine_ls *ls, struct seg_resource *res,
                        struct engine_picture *picture, unsigned int *nres,
                        unsigned int *nlocks)
{
    unsigned int resource = *nres;
    enum queue q;

    if (*nres < picture->nresources)
        describe_resource(ls, res, &picture->resources[*nres]);
    ++*nres;
    for (q = 0; q < NQUEUES; q++) {
        struct seg_lock *lock;
        uint32_t next, guard;

        QUEUE_FOREACH(ls, res, q, lock, next, guard) {
            if (*nlocks < picture->nlocks)
                describe_lock(ls, lock, q, resource, &picture->locks[*nlocks]);
            ++*nlocks;
        }
    }
}

int inspect_picture(struct engine_ls *ls, const void *name, unsigned int namelen,
                    struct engine_picture *picture)
{
    unsigned int nres = 0, nlocks = 0;
    int rc = tx_begin(ls), found = 1;

    if (rc != 0)
        return rc;
    proc_purge_dead(ls);
    if (name != NULL) {
        struct seg_resource *res = resource_find(ls, name, namelen);

        if (res != NULL)
            picture_add(ls, res, picture, &nres, &nlocks);
        found = res != NULL;
    } else {
        uint32_t index, end = ls->hdr->res_unused;

        for (index = 1; index < end && index <= ls->max_resources && !ls->damaged; index++) {
            struct seg_resource *res = resource_at(ls, index);

            if (res->in_use)
                picture_add(ls, res, picture, &nres, &nlocks);
        }
    }
    rc = tx_end(ls);
    if (rc != 0)
        return rc;
    picture->nresources = nres;
    picture->nlocks = nlocks;
    return found ? 0 : -ENOENT;
}

int inspect_lock(struct engine_ls *ls, uint32_t lkid, struct engine_lock_info *info,
                 struct engine_resource_info *resource)
{
    static const enum queue queue_of[] = {
        [LOCK_GRANTED] = QUEUE_GRANT,
        [LOCK_CONVERTING] = QUEUE_CONVERT,
        [LOCK_WAITING] = QUEUE_WAIT,
    };
    struct seg_lock *lock;
    int rc = tx_begin(ls), found;

    if (rc != 0)
        return rc;
    proc_purge_dead(ls);
    lock = lock_by_id(ls, lkid);
    found = lock != NULL && lock->state >= LOCK_GRANTED && lock->state <= LOCK_WAITING;
    if (found) {
        describe_lock(ls, lock, queue_of[lock->state], 0, info);
        describe_resource(ls, resource_at(ls, lock->resource), resource);
    }
    rc = tx_end(ls);
    return rc != 0 ? rc : found ? 0 : -ENOENT;
}
