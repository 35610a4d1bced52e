/*
 * The embedded engine: the engine contract (engine.h) over lockspace
 * segments shared by the processes of one machine.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grant.h"
#include "groups.h"
#include "inspect.h"
#include "local.h"
#include "proc.h"
#include "segment.h"
#include "table.h"
#include "tx.h"

#define PUBLIC_SBFLAGS (ENGINE_SBF_DEMOTED | ENGINE_SBF_VALNOTVALID | ENGINE_SBF_ALTMODE)

/* A handle belongs to the process that opened it: after fork(2) the child
 * has no slot of its own, so its copies of the parent's handles refuse. */
static int handle_usable(const struct engine_ls *ls)
{
    return ls != NULL && ls->fork_generation == engine_fork_generation();
}

int embedded_map(const struct engine_ls_spec *spec, struct engine_ls **lsp)
{
    struct engine_ls *ls = calloc(1, sizeof *ls);
    int rc;

    if (ls == NULL)
        return -ENOMEM;
    ls->fork_generation = engine_fork_generation();
    ls->opener = getpid();
    rc = segment_open(ls, spec);
    if (rc == 0) {
        ls->wake = calloc(ls->max_procs / 32 + 1, sizeof *ls->wake);
        rc = ls->wake == NULL ? -ENOMEM : local_init(ls);
    }
    if (rc != 0) {
        embedded_unmap(ls);
        return rc;
    }
    *lsp = ls;
    return 0;
}

void embedded_unmap(struct engine_ls *ls)
{
    local_destroy(ls);
    free(ls->wake);
    segment_close(ls);
    free(ls);
}

/* How many times to look again at the path when the segment mapped there
 * was retired meanwhile: only an administrator's removal in that very
 * moment makes one look needed. */
#define RETIRED_RETRIES 8

static int embedded_ls_open(const struct engine_ls_spec *spec, struct engine_ls **lsp)
{
    int attempt, rc = -ESTALE;

    if (spec == NULL || lsp == NULL)
        return -EINVAL;
    for (attempt = 0; rc == -ESTALE && attempt < RETIRED_RETRIES; attempt++) {
        rc = embedded_map(spec, lsp);
        if (rc == 0 && (rc = proc_attach(*lsp)) != 0)
            embedded_unmap(*lsp);
    }
    return rc == -ESTALE ? -EIO : rc;
}

static void embedded_ls_close(struct engine_ls *ls)
{
    if (ls == NULL)
        return;
    /* In a forked child only the memory goes: the slot is the parent's.
     * Asked by process ID, since a fork hook of the caller's may run
     * before the one that counts generations. */
    if (ls->opener == getpid())
        proc_detach(ls);
    embedded_unmap(ls);
}

/* Record what the caller gave, in the lock block and in this process's
 * own records. */
static int remember_request(struct engine_ls *ls, struct seg_lock *lock, int mode,
                            struct engine_lksb *lksb, uint32_t flags,
                            engine_ast_fn *ast, void *astarg, engine_bast_fn *bast)
{
    uint32_t lkid = lkid_of(ls, lock);
    struct local_lock *local = local_reserve(ls, lkid);

    if (local == NULL)
        return -ENOMEM;
    *local = (struct local_lock){ lkid, ast, bast, astarg, lksb };
    tx_put(ls, &lock->rqmode, (uint32_t)mode);
    tx_put(ls, &lock->flags, flags | (bast != NULL ? LOCK_HAS_BAST : 0));
    tx_put(ls, &lock->sbflags, 0);
    tx_put(ls, &lock->tag_lo, (uint32_t)lksb->owner_tag);
    tx_put(ls, &lock->tag_hi, (uint32_t)(lksb->owner_tag >> 32));
    tx_put(ls, &lock->hint_lo, (uint32_t)lksb->hint);
    tx_put(ls, &lock->hint_hi, (uint32_t)(lksb->hint >> 32));
    if (flags & ENGINE_LKF_VALBLK)
        tx_put_bytes(ls, lock->lvb, lksb->lvb, ENGINE_LVB_LEN);
    return 0;
}

static void forget_local(struct engine_ls *ls, uint32_t lkid)
{
    struct local_lock *local = local_find(ls, lkid);

    if (local != NULL)
        local->lkid = 0;
}

/* Tell the caller of a request that completed within the call. */
static void complete_now(struct seg_lock *lock, struct engine_lksb *lksb, int status)
{
    lksb->status = status;
    lksb->flags = lock->sbflags & PUBLIC_SBFLAGS;
    if (status == 0 && (lock->sbflags & SBF_LVB_RETURNED) && lksb->lvb != NULL)
        memcpy(lksb->lvb, lock->lvb, ENGINE_LVB_LEN);
}

/* Adopt the orphan of the same mode on the resource (Linux: LKF_ORPHAN). */
static int adopt_orphan(struct engine_ls *ls, struct seg_resource *res, int mode,
                        struct engine_lksb *lksb, uint32_t flags,
                        engine_ast_fn *ast, void *astarg, engine_bast_fn *bast)
{
    struct seg_lock *lock;
    uint32_t next, guard;
    int other_mode = 0;

    QUEUE_FOREACH(ls, res, QUEUE_GRANT, lock, next, guard) {
        if (lock->owner != 0 || lock->group != 0)     /* a group's lock is no orphan */
            continue;
        if (lock->grmode != mode) {
            other_mode = 1;
            continue;
        }
        if (remember_request(ls, lock, mode, lksb, flags & ~ENGINE_LKF_VALBLK, ast, astarg,
                             bast) != 0)
            return -ENOMEM;
        tx_put(ls, &lock->rqmode, (uint32_t)ENGINE_MODE_IV);
        tx_put(ls, &lock->owner, ls->self);
        lksb->lkid = lkid_of(ls, lock);
        lksb->status = 0;
        lksb->flags = 0;
        return ENGINE_DONE;
    }
    return other_mode ? -EAGAIN : -ENOENT;
}

static int new_lock(struct engine_ls *ls, int mode, struct engine_lksb *lksb, uint32_t flags,
                    const void *name, unsigned int namelen,
                    engine_ast_fn *ast, void *astarg, engine_bast_fn *bast)
{
    struct seg_resource *res = resource_find(ls, name, namelen);
    struct seg_proc *self = proc_at(ls, ls->self);
    struct seg_lock *lock;
    enum grant_outcome outcome;

    /* The purge may free the resource, if only the dead held it. */
    if (res != NULL && proc_purge_dead_on(ls, res))
        res = resource_find(ls, name, namelen);

    if (flags & ENGINE_LKF_ORPHAN)
        return res != NULL ? adopt_orphan(ls, res, mode, lksb, flags, ast, astarg, bast)
                           : -ENOENT;
    if ((flags & ENGINE_LKF_GROUP) && self->group == 0)
        return -EINVAL;
    if (res == NULL && (res = resource_create(ls, name, namelen)) == NULL)
        return -ENOMEM;
    lock = lock_alloc(ls);
    if (lock == NULL || remember_request(ls, lock, mode, lksb, flags, ast, astarg, bast) != 0) {
        tx_rollback(ls);
        return -ENOMEM;
    }
    tx_put(ls, &lock->owner, ls->self);
    if (flags & ENGINE_LKF_GROUP) {
        tx_put(ls, &lock->group, self->group);
        tx_put(ls, &lock->group_perm, self->group_perm);
    }
    tx_put(ls, &lock->resource, resource_index(ls, res));
    tx_put(ls, &res->nlocks, res->nlocks + 1);
    lksb->lkid = lkid_of(ls, lock);

    outcome = grant_request(ls, res, lock);
    switch (outcome) {
    case OUTCOME_GRANTED:
        complete_now(lock, lksb, 0);
        return ENGINE_DONE;
    case OUTCOME_QUEUED:
        grant_send_blocking(ls, res, lock, mode, lksb->hint, 0);
        return 0;
    default:    /* OUTCOME_EAGAIN: the lock ends here */
        complete_now(lock, lksb, ENGINE_EAGAIN);
        forget_local(ls, lksb->lkid);
        lock_free(ls, lock);
        tx_put(ls, &res->nlocks, res->nlocks - 1);
        if (flags & ENGINE_LKF_NOQUEUEBAST)
            grant_send_blocking(ls, res, NULL, mode, lksb->hint, 1);
        resource_release_if_unused(ls, res);
        return ENGINE_DONE;
    }
}

static int convert_lock(struct engine_ls *ls, int mode, struct engine_lksb *lksb,
                        uint32_t flags, engine_ast_fn *ast, void *astarg, engine_bast_fn *bast)
{
    struct seg_lock *lock = lock_by_id(ls, lksb->lkid);
    struct seg_resource *res;
    int rc = lock != NULL ? group_claim(ls, lock) : -ENOENT;

    if (rc != 0)
        return rc;
    if (lock->state != LOCK_GRANTED)
        return -EBUSY;
    if ((flags & ENGINE_LKF_QUECVT) && !engine_quecvt_allowed(lock->grmode, mode))
        return -EINVAL;
    res = resource_at(ls, lock->resource);
    proc_purge_dead_on(ls, res);
    if (remember_request(ls, lock, mode, lksb, flags, ast, astarg, bast) != 0)
        return -ENOMEM;

    switch (grant_convert(ls, res, lock)) {
    case OUTCOME_GRANTED:
        complete_now(lock, lksb, 0);
        grant_pending(ls, res);
        return ENGINE_DONE;
    case OUTCOME_QUEUED:
        grant_send_blocking(ls, res, lock, lock->rqmode, lksb->hint, 0);
        if (lock->sbflags & ENGINE_SBF_DEMOTED)
            grant_pending(ls, res);
        return 0;
    case OUTCOME_EDEADLK:
        complete_now(lock, lksb, ENGINE_EDEADLK);
        return ENGINE_DONE;
    default:    /* OUTCOME_EAGAIN: still granted at its old mode */
        complete_now(lock, lksb, ENGINE_EAGAIN);
        if (flags & ENGINE_LKF_NOQUEUEBAST)
            grant_send_blocking(ls, res, lock, mode, lksb->hint, 1);
        return ENGINE_DONE;
    }
}

static int embedded_lock(struct engine_ls *ls, int mode, struct engine_lksb *lksb,
                         uint32_t flags, const void *name, unsigned int namelen,
                         engine_ast_fn *ast, void *astarg, engine_bast_fn *bast)
{
    int rc, result;

    if (!engine_lock_args_ok(mode, lksb, flags, name, namelen))
        return -EINVAL;
    if (!handle_usable(ls))
        return -ESRCH;
    rc = tx_begin(ls);
    if (rc != 0)
        return rc;
    if (flags & ENGINE_LKF_CONVERT)
        result = convert_lock(ls, mode, lksb, flags, ast, astarg, bast);
    else
        result = new_lock(ls, mode, lksb, flags, name, namelen, ast, astarg, bast);
    if (result < 0)
        tx_rollback(ls);
    rc = tx_end(ls);
    return rc != 0 ? rc : result;
}

/* Take back a waiting request or a conversion (Linux: LKF_CANCEL). */
static int cancel_request(struct engine_ls *ls, struct seg_lock *lock, struct engine_lksb *lksb)
{
    struct seg_resource *res = resource_at(ls, lock->resource);

    if (lock->state == LOCK_GRANTED)
        return -EBUSY;      /* nothing to cancel: the grant came first */
    proc_unpost(ls, lock);
    queue_del(ls, res, lock);
    lksb->status = ENGINE_ECANCEL;
    lksb->flags = 0;
    if (lock->state == LOCK_CONVERTING) {
        queue_add(ls, res, lock, QUEUE_GRANT, 0);
        tx_put(ls, &lock->rqmode, (uint32_t)ENGINE_MODE_IV);
    } else {
        forget_local(ls, lkid_of(ls, lock));
        lock_free(ls, lock);
        tx_put(ls, &res->nlocks, res->nlocks - 1);
    }
    grant_pending(ls, res);
    return ENGINE_DONE;
}

static int release_lock(struct engine_ls *ls, struct seg_lock *lock, uint32_t flags,
                        struct engine_lksb *lksb)
{
    struct seg_resource *res = resource_at(ls, lock->resource);

    if (lock->state != LOCK_GRANTED && !(flags & ENGINE_LKF_FORCEUNLOCK))
        return -EBUSY;
    if (flags & ENGINE_LKF_VALBLK)
        tx_put_bytes(ls, lock->lvb, lksb->lvb, ENGINE_LVB_LEN);
    grant_unlock_lvb(ls, res, lock, flags);
    proc_unpost(ls, lock);
    queue_del(ls, res, lock);
    lock_free(ls, lock);
    tx_put(ls, &res->nlocks, res->nlocks - 1);
    forget_local(ls, lkid_of(ls, lock));
    lksb->status = ENGINE_EUNLOCK;
    lksb->flags = 0;
    grant_pending(ls, res);
    return ENGINE_DONE;
}

static int embedded_unlock(struct engine_ls *ls, uint32_t lkid, uint32_t flags,
                           struct engine_lksb *lksb, void *astarg)
{
    struct seg_lock *lock;
    int rc, result;

    (void)astarg;       /* completion is immediate: no routine runs */
    if (!engine_unlock_args_ok(lksb, flags))
        return -EINVAL;
    if (!handle_usable(ls))
        return -ESRCH;
    rc = tx_begin(ls);
    if (rc != 0)
        return rc;
    lock = lock_by_id(ls, lkid);
    result = lock != NULL ? group_claim(ls, lock) : -ENOENT;
    if (result == 0)
        result = (flags & ENGINE_LKF_CANCEL) ? cancel_request(ls, lock, lksb)
                                             : release_lock(ls, lock, flags, lksb);
    if (result < 0)
        tx_rollback(ls);
    rc = tx_end(ls);
    return rc != 0 ? rc : result;
}

static int embedded_wait(struct engine_ls *ls, int timeout_ms)
{
    return handle_usable(ls) ? proc_wait(ls, timeout_ms) : -ESRCH;
}

static int embedded_dispatch(struct engine_ls *ls)
{
    return handle_usable(ls) ? proc_dispatch(ls) : -ESRCH;
}

static void embedded_wake(struct engine_ls *ls)
{
    if (handle_usable(ls))
        proc_wake(ls);
}

static int embedded_census(struct engine_ls *ls, struct engine_census *census)
{
    if (census == NULL)
        return -EINVAL;
    return handle_usable(ls) ? inspect_census(ls, census) : -ESRCH;
}

static int embedded_inspect(struct engine_ls *ls, const void *name, unsigned int namelen,
                            struct engine_picture *picture)
{
    if (picture == NULL || (picture->nresources != 0 && picture->resources == NULL)
        || (picture->nlocks != 0 && picture->locks == NULL)
        || (name != NULL && (namelen == 0 || namelen > ENGINE_RESNAME_MAXLEN)))
        return -EINVAL;
    return handle_usable(ls) ? inspect_picture(ls, name, namelen, picture) : -ESRCH;
}

static int embedded_group_join(struct engine_ls *ls, uint32_t group, int permanent,
                               engine_ast_fn *ast, engine_bast_fn *bast)
{
    (void)ast;      /* unlocks and cancels complete within the call */
    (void)bast;
    return handle_usable(ls) ? group_join(ls, group, permanent) : -ESRCH;
}

static int embedded_group_leave(struct engine_ls *ls)
{
    return handle_usable(ls) ? group_leave(ls) : -ESRCH;
}

static int embedded_group_release(struct engine_ls *ls, uint32_t group)
{
    return handle_usable(ls) ? group_release(ls, group) : -ESRCH;
}

static int embedded_group_locks(struct engine_ls *ls, uint32_t group)
{
    return handle_usable(ls) ? group_locks(ls, group) : -ESRCH;
}

static int embedded_lock_query(struct engine_ls *ls, uint32_t lkid, struct engine_lock_info *lock,
                               struct engine_resource_info *resource)
{
    if (lock == NULL || resource == NULL)
        return -EINVAL;
    return handle_usable(ls) ? inspect_lock(ls, lkid, lock, resource) : -ESRCH;
}

const struct engine_ops engine_embedded = {
    .name = "embedded",
    .ls_open = embedded_ls_open,
    .ls_close = embedded_ls_close,
    .lock = embedded_lock,
    .unlock = embedded_unlock,
    .wait = embedded_wait,
    .dispatch = embedded_dispatch,
    .wake = embedded_wake,
    .census = embedded_census,
    .inspect = embedded_inspect,
    .group_join = embedded_group_join,
    .group_leave = embedded_group_leave,
    .group_release = embedded_group_release,
    .group_locks = embedded_group_locks,
    .lock_query = embedded_lock_query,
};
