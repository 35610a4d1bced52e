#include "config.h"

#include "groups.h"

#include <errno.h>

#include "grant.h"
#include "local.h"
#include "proc.h"
#include "table.h"
#include "tx.h"

int group_claim(struct engine_ls *ls, struct seg_lock *lock)
{
    struct seg_proc *self = proc_at(ls, ls->self);

    if (lock->owner == ls->self)
        return 0;
    if (lock->group == 0 || lock->group != self->group)
        return -ENOENT;
    /* One member at a time (Tru64 group locks): a member's request lasts
     * until it has heard of its end. */
    if (lock->owner != 0 && (lock->state != LOCK_GRANTED || (lock->notify & NOTIFY_AST))
        && !proc_is_dead(ls, lock->owner))
        return -EBUSY;
    proc_unpost(ls, lock);
    tx_put(ls, &lock->owner, ls->self);
    return 0;
}

int group_lives_on(struct engine_ls *ls, uint32_t group, uint32_t permanent, uint32_t except)
{
    uint32_t slot;

    if (permanent)
        return 1;
    for (slot = 1; slot <= ls->max_procs; slot++) {
        struct seg_proc *proc = proc_at(ls, slot);

        if (slot != except && proc->state == PROC_LIVE && proc->group == group
            && !proc_is_dead(ls, slot))
            return 1;
    }
    return 0;
}

static void forget_if_mine(struct engine_ls *ls, struct seg_lock *lock)
{
    struct local_lock *local;

    if (lock->owner == ls->self && (local = local_find(ls, lkid_of(ls, lock))) != NULL)
        local->lkid = 0;
}

void group_release_locks(struct engine_ls *ls, uint32_t group)
{
    uint32_t index, end = lock_blocks_end(ls);

    for (index = 1; index < end && !ls->damaged; index++) {
        struct seg_lock *lock = lock_at(ls, index);

        if (lock->state == LOCK_FREE || lock->group != group)
            continue;
        forget_if_mine(ls, lock);
        proc_end_lock(ls, lock);
        tx_commit(ls);
    }
}

int group_join(struct engine_ls *ls, uint32_t group, int permanent)
{
    struct seg_proc *self;
    int rc;

    if (group == 0)
        return -EINVAL;
    rc = tx_begin(ls);
    if (rc != 0)
        return rc;
    self = proc_at(ls, ls->self);
    if (self->group != 0 && self->group != group) {
        rc = -EBUSY;
    } else {
        tx_put(ls, &self->group, group);
        tx_put(ls, &self->group_perm, permanent != 0);
    }
    return tx_end(ls) != 0 ? -EIO : rc;
}

/* Are the caller's group locks all settled (none converting)? */
static int settled(struct engine_ls *ls, uint32_t group)
{
    uint32_t index, end = lock_blocks_end(ls);

    for (index = 1; index < end; index++) {
        struct seg_lock *lock = lock_at(ls, index);

        if (lock->state == LOCK_CONVERTING && lock->owner == ls->self && lock->group == group)
            return 0;
    }
    return 1;
}

int group_leave(struct engine_ls *ls)
{
    struct seg_proc *self;
    uint32_t group, permanent, index, end;
    int rc = tx_begin(ls);

    if (rc != 0)
        return rc;
    self = proc_at(ls, ls->self);
    group = self->group;
    permanent = self->group_perm;
    end = lock_blocks_end(ls);
    if (group == 0 || !settled(ls, group)) {
        tx_end(ls);
        return group == 0 ? -ENOENT : -EBUSY;
    }
    /* Tru64 dlm_glc_detach: granted group locks go back to the group,
     * with no notification left for them; waiting requests become the
     * process's own. */
    for (index = 1; index < end && !ls->damaged; index++) {
        struct seg_lock *lock = lock_at(ls, index);

        if (lock->state == LOCK_FREE || lock->owner != ls->self || lock->group != group)
            continue;
        if (lock->state == LOCK_WAITING) {
            tx_put(ls, &lock->group, 0);
            tx_put(ls, &lock->group_perm, 0);
        } else {
            forget_if_mine(ls, lock);
            proc_unpost(ls, lock);
            tx_put(ls, &lock->owner, 0);
        }
        tx_commit(ls);
    }
    tx_put(ls, &self->group, 0);
    tx_put(ls, &self->group_perm, 0);
    tx_commit(ls);
    if (!group_lives_on(ls, group, permanent, ls->self))
        group_release_locks(ls, group);
    return tx_end(ls);
}

/* Begin a transaction about group, the dead purged first: the locks of a
 * group that died with its last member go with them.  0 or -errno. */
static int begin_on_group(struct engine_ls *ls, uint32_t group)
{
    int rc;

    if (group == 0)
        return -EINVAL;
    rc = tx_begin(ls);
    if (rc == 0)
        proc_purge_dead(ls);
    return rc;
}

int group_release(struct engine_ls *ls, uint32_t group)
{
    int rc = begin_on_group(ls, group);

    if (rc != 0)
        return rc;
    group_release_locks(ls, group);
    return tx_end(ls);
}

int group_locks(struct engine_ls *ls, uint32_t group)
{
    uint32_t index, end;
    int rc = begin_on_group(ls, group), n = 0;

    if (rc != 0)
        return rc;
    end = lock_blocks_end(ls);
    for (index = 1; index < end; index++) {
        const struct seg_lock *lock = lock_at(ls, index);

        n += lock->state != LOCK_FREE && lock->group == group;
    }
    rc = tx_end(ls);
    return rc != 0 ? rc : n;
}
