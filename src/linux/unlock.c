/*
 * The Linux engine's unlock and cancel: one unlock request written to the
 * lockspace device (device.c), or for a group lock to its carrier.
 *
 * Not dlm_ls_unlock: libdlm leaves the request's value block
 * uninitialised, and the kernel copies it into its copy of the lock's
 * value block whatever the flags, then into the resource when the lock is
 * PW or EX and its latest request carried VALBLK.  Here the request
 * carries the caller's value block with ENGINE_LKF_VALBLK (so an unlock
 * writes it, as the contract says), and otherwise the value the kernel's
 * copy already holds (kept in the lock's state), so that nothing changes;
 * a value block the lock saw marked invalid stays invalid.
 *
 * The kernel answers a cancel with nothing to cancel by success and no
 * callback at all; the lock table knows whether a request is in flight,
 * and such a cancel fails here with -EBUSY, as in the embedded engine.
 * A cancel that reaches the kernel after the grant it meant to stop is
 * also silent: the request's own completion (status 0) is then the answer.
 *
 * An unlock of a lock with nothing in flight, on a resource this node
 * masters, is settled by the kernel within its write, as a request is
 * (lockcall.c): it completes within the call (ENGINE_DONE), sparing the
 * caller a wait for the listener.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "group.h"
#include "linux.h"

static int send_unlock(struct linux_ls *ls, struct linux_lock *lock, uint32_t flags,
                       const char *lvb)
{
    struct device_request rq = {
        .unlock = 1, .flags = flags, .lkid = lock->lkid, .lvb = lvb,
        .param = linux_lock_param(lock),
    };
    long rc = device_send(group_fd(ls, lock), &rq);

    return rc < 0 ? (int)rc : 0;
}

static int unlock_locked(struct linux_ls *ls, uint32_t lkid, uint32_t flags,
                         struct engine_lksb *lksb, void *astarg)
{
    struct linux_lock *lock;
    enum lock_pending pending = PENDING_UNLOCK;
    const char *lvb;
    int at_once = 0, rc = linux_lock_for_call(ls, lkid, &lock);

    if (rc != 0)
        return rc;
    if (flags & ENGINE_LKF_CANCEL) {
        if (lock->st.pending != PENDING_REQUEST)
            rc = -EBUSY;        /* nothing to cancel, or already going */
        pending = PENDING_CANCEL;
    } else if (lock->st.pending == PENDING_UNLOCK
               || (lock->st.pending != PENDING_NONE && !(flags & ENGINE_LKF_FORCEUNLOCK))) {
        rc = -EBUSY;
    }
    if (flags & ENGINE_LKF_VALBLK) {
        lvb = lksb->lvb;
    } else {
        lvb = lock->st.lvb;
        if (lock->st.kernel_valblk && lock->st.lvb_invalid)
            flags |= ENGINE_LKF_IVVALBLK;
    }
    if (rc == 0) {
        /* With nothing in flight, the lock's next completion is this
         * one's own. */
        at_once = lock->st.pending == PENDING_NONE && pending == PENDING_UNLOCK
                  && lock->route == 0;
        rc = send_unlock(ls, lock, flags, lvb);
    }
    if (rc == 0) {
        lock->st.pending = pending;
        lock->lksb = lksb;
        if (astarg != NULL)     /* as the kernel: a NULL argument keeps the old */
            lock->astarg = astarg;
    }
    if (lock->route != 0) {
        group_lock_claim_end(ls, lock, rc);
        return rc;
    }
    if (rc != 0)
        return rc;
    if (at_once)
        return linux_completed_at_once(ls, lock) ? ENGINE_DONE : 0;    /* done: freed */
    lock_table_sync(ls, lock);
    return 0;
}

int linux_unlock(struct engine_ls *els, uint32_t lkid, uint32_t flags,
                 struct engine_lksb *lksb, void *astarg)
{
    struct linux_ls *ls = linux_ls_of(els);
    int rc;

    if (!engine_unlock_args_ok(lksb, flags))
        return -EINVAL;
    if (!linux_ls_usable(ls))
        return -ESRCH;
    pthread_mutex_lock(&ls->mutex);
    rc = unlock_locked(ls, lkid, flags, lksb, astarg);
    pthread_mutex_unlock(&ls->mutex);
    return rc;
}
