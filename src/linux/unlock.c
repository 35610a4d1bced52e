/*
 * The Linux engine's unlock and cancel: one unlock request written to the
 * lockspace device, in the layout of <linux/dlm_device.h>.
 *
 * Not dlm_ls_unlock: libdlm leaves the request's value block
 * uninitialised, and the kernel copies it into its copy of the lock's
 * value block whatever the flags, then into the resource when the lock is
 * PW or EX and its latest request carried VALBLK.  Here the request
 * carries the caller's value block with ENGINE_LKF_VALBLK (so an unlock
 * writes it, as the contract says), and otherwise the value the kernel's
 * copy already holds (kept in the lock table), so that nothing changes;
 * a value block the lock saw marked invalid stays invalid.
 *
 * The kernel answers a cancel with nothing to cancel by success and no
 * callback at all; the lock table knows whether a request is in flight,
 * and such a cancel fails here with -EBUSY, as in the embedded engine.
 * A cancel that reaches the kernel after the grant it meant to stop is
 * also silent: the request's own completion (status 0) is then the answer.
 */
#include "config.h"

#include <errno.h>
#include <linux/dlm_device.h>
#include <string.h>
#include <unistd.h>

#include "linux.h"

_Static_assert(sizeof(struct kernel_lksb) == sizeof(struct dlm_lksb), "dlm_lksb layout");
_Static_assert(DLM_USER_LVB_LEN == ENGINE_LVB_LEN, "value block length");

static int send_unlock(struct linux_ls *ls, struct linux_lock *lock, uint32_t flags,
                       const char *lvb)
{
    struct dlm_write_request request;

    memset(&request, 0, sizeof request);
    request.version[0] = DLM_DEVICE_VERSION_MAJOR;
    request.version[1] = DLM_DEVICE_VERSION_MINOR;
    request.version[2] = DLM_DEVICE_VERSION_PATCH;
    request.cmd = DLM_USER_UNLOCK;
    request.is64bit = sizeof(void *) == 8;
    request.i.lock.flags = flags;
    request.i.lock.lkid = lock->lkid;
    request.i.lock.castparam = lock;
    request.i.lock.castaddr = (void *)linux_completion_tag;
    request.i.lock.bastparam = lock;
    request.i.lock.bastaddr = (void *)linux_blocking_tag;
    request.i.lock.lksb = (struct dlm_lksb *)&lock->klksb;
    memcpy(request.i.lock.lvb, lvb, DLM_USER_LVB_LEN);
    if (write(ls->fd, &request, sizeof request) >= 0)
        return 0;
    return linux_errno_result(errno);
}

static int unlock_locked(struct linux_ls *ls, uint32_t lkid, uint32_t flags,
                         struct engine_lksb *lksb, void *astarg)
{
    struct linux_lock *lock = lock_table_find(ls, lkid);
    enum lock_pending pending;
    const char *lvb;
    int rc;

    if (lock == NULL)
        return -ENOENT;
    if (flags & ENGINE_LKF_CANCEL) {
        if (lock->pending != PENDING_REQUEST)
            return -EBUSY;      /* nothing to cancel, or already going */
        pending = PENDING_CANCEL;
    } else {
        if (lock->pending == PENDING_UNLOCK
            || (lock->pending != PENDING_NONE && !(flags & ENGINE_LKF_FORCEUNLOCK)))
            return -EBUSY;
        pending = PENDING_UNLOCK;
    }
    if (flags & ENGINE_LKF_VALBLK) {
        lvb = lksb->lvb;
    } else {
        lvb = lock->lvb;
        if (lock->kernel_valblk && lock->lvb_invalid)
            flags |= ENGINE_LKF_IVVALBLK;
    }
    rc = send_unlock(ls, lock, flags, lvb);
    if (rc != 0)
        return rc;
    lock->pending = pending;
    lock->lksb = lksb;
    if (astarg != NULL)         /* as the kernel: a NULL argument keeps the old */
        lock->astarg = astarg;
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
