/*
 * The Linux engine's lock requests: new locks, conversions and orphan
 * adoption, each one dlm_ls_lock call.
 *
 * What the kernel does not report, this file and dispatch.c keep in the
 * lock table: the granted mode (a completion says "granted", not at what
 * mode: ALTMODE and DEMOTED only qualify the request), whether a request
 * is in flight, and the value block the kernel's copy of the lock holds.
 *
 * The kernel grants (or refuses, NOQUEUE) a request on a resource this
 * node masters within the write that sends it, queuing the completion on
 * the device before the write returns: such a request completes within
 * the call (ENGINE_DONE), so that DLM_SYNCSTS sees an immediate grant and
 * a refusal is the call's own.  One whose master is another node
 * completes later, through dispatch.
 *
 * Arguments the kernel would refuse with EINVAL are refused here first:
 * the kernel answers some of them with a WARN_ON in its log as well.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <libdlm.h>
#include <stdlib.h>
#include <string.h>

#include "linux.h"

/* The routines the kernel is given: it hands their addresses back with
 * each callback, which is how dispatch.c tells the two kinds apart.  The
 * engine reads the device itself, so nothing ever calls them. */
static void completion_routine(void *arg)
{
    (void)arg;
}

static void blocking_routine(void *arg)
{
    (void)arg;
}

const void *const linux_completion_tag = (const void *)completion_routine;
const void *const linux_blocking_tag = (const void *)blocking_routine;

/* Remember the request in the lock; the kernel's copy of the value block
 * takes the caller's with VALBLK. */
static void note_request(struct linux_lock *lock, int mode, struct engine_lksb *lksb,
                         uint32_t flags, engine_ast_fn *ast, void *astarg,
                         engine_bast_fn *bast)
{
    lock->lksb = lksb;
    lock->ast = ast;
    lock->bast = bast;
    lock->astarg = astarg;
    lock->rqmode = mode;
    lock->flags = flags;
    lock->pending = PENDING_REQUEST;
    lock->klksb.sb_lvbptr = (flags & ENGINE_LKF_VALBLK) ? lksb->lvb : lock->lvb;
    if (flags & ENGINE_LKF_VALBLK) {
        memcpy(lock->lvb, lksb->lvb, ENGINE_LVB_LEN);
        lock->lvb_invalid = (flags & ENGINE_LKF_IVVALBLK) != 0;
    }
}

/* Send the request with the flags the kernel is to get; 0 or -errno.  The
 * caller holds ls->mutex, so that the completion cannot be dispatched
 * before the lock is in the table. */
static int send_request(struct linux_ls *ls, struct linux_lock *lock, int mode, uint32_t flags,
                        const void *name, unsigned int namelen)
{
    errno = 0;
    if (dlm_ls_lock(ls->handle, (uint32_t)mode, (struct dlm_lksb *)&lock->klksb, flags,
                    name, namelen, 0, completion_routine, lock, blocking_routine, NULL) == 0) {
        lock->kernel_valblk = (flags & ENGINE_LKF_VALBLK) != 0;
        return 0;
    }
    return linux_errno_result(errno);
}

static int new_lock(struct linux_ls *ls, int mode, struct engine_lksb *lksb, uint32_t flags,
                    const void *name, unsigned int namelen,
                    engine_ast_fn *ast, void *astarg, engine_bast_fn *bast)
{
    struct linux_lock *lock = calloc(1, sizeof *lock);
    int rc;

    if (lock == NULL)
        return -ENOMEM;
    lock->grmode = ENGINE_MODE_IV;
    note_request(lock, mode, lksb, flags, ast, astarg, bast);
    /* VALBLK whether the caller asked or not: only a request with VALBLK
     * gives the kernel's copy of a lock a value block, without which an
     * unlock with VALBLK would write nothing.  On a new lock it only reads
     * the value, which the caller sees only if it asked (dispatch.c). */
    rc = send_request(ls, lock, mode, flags | ENGINE_LKF_VALBLK, name, namelen);
    if (rc != 0) {
        free(lock);
        return rc;
    }
    lock->lkid = lock->klksb.sb_lkid;
    lksb->lkid = lock->lkid;
    lock_table_insert(ls, lock);
    if (flags & ENGINE_LKF_ORPHAN) {
        /* Adoption completes within the call: the kernel queues no
         * callback for it.  It refused (ENOENT, or EAGAIN for an orphan
         * of another mode) through the call's own result. */
        lock->grmode = mode;
        lock->pending = PENDING_NONE;
        lksb->status = 0;
        lksb->flags = 0;
        return ENGINE_DONE;
    }
    return linux_completed_at_once(ls, lock) ? ENGINE_DONE : 0;
}

static int convert_lock(struct linux_ls *ls, int mode, struct engine_lksb *lksb,
                        uint32_t flags, engine_ast_fn *ast, void *astarg, engine_bast_fn *bast)
{
    struct linux_lock *lock = lock_table_find(ls, lksb->lkid);
    struct linux_lock before;
    int rc;

    if (lock == NULL)
        return -ENOENT;
    if (lock->pending != PENDING_NONE)
        return -EBUSY;
    if ((flags & ENGINE_LKF_QUECVT) && !engine_quecvt_allowed(lock->grmode, mode))
        return -EINVAL;
    before = *lock;
    note_request(lock, mode, lksb, flags, ast, astarg, bast);
    lock->klksb.sb_lkid = lock->lkid;
    rc = send_request(ls, lock, mode, flags, NULL, 0);
    if (rc != 0) {
        *lock = before;
        return rc;
    }
    return linux_completed_at_once(ls, lock) ? ENGINE_DONE : 0;
}

int linux_lock(struct engine_ls *els, int mode, struct engine_lksb *lksb, uint32_t flags,
               const void *name, unsigned int namelen,
               engine_ast_fn *ast, void *astarg, engine_bast_fn *bast)
{
    struct linux_ls *ls = linux_ls_of(els);
    int rc;

    if (!engine_lock_args_ok(mode, lksb, flags, name, namelen))
        return -EINVAL;
    /* The kernel ties each lock to the process that took it: no lock
     * groups here (and its bit is the kernel's TIMEOUT). */
    if (flags & ENGINE_LKF_GROUP)
        return -ENOSYS;
    if (!linux_ls_usable(ls))
        return -ESRCH;
    pthread_mutex_lock(&ls->mutex);
    if (flags & ENGINE_LKF_CONVERT)
        rc = convert_lock(ls, mode, lksb, flags, ast, astarg, bast);
    else
        rc = new_lock(ls, mode, lksb, flags, name, namelen, ast, astarg, bast);
    pthread_mutex_unlock(&ls->mutex);
    return rc;
}
