/*
 * The Linux engine's lock requests: new locks, conversions and orphan
 * adoption, each one request written to the lockspace device (device.c),
 * or for a group lock to its group's carrier (group.h).
 *
 * What the kernel does not report, this file and dispatch.c keep in each
 * lock's state (linux.h): the granted mode (a completion says "granted",
 * not at what mode: ALTMODE and DEMOTED only qualify the request),
 * whether a request is in flight, and the value block the kernel's copy
 * of the lock holds.
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
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "linux.h"

/* The routine addresses the kernel is given: it hands them back with
 * each callback, which is how dispatch.c tells the two kinds apart.  The
 * engine reads the device itself, so nothing is ever called there: they
 * are constants rather than addresses of code, the same in every process
 * (a group's members read each other's callbacks). */
const void *const linux_completion_tag = (const void *)(uintptr_t)1;
const void *const linux_blocking_tag = (const void *)(uintptr_t)2;

void lock_state_note_request(struct lock_state *st, int mode, uint32_t flags,
                             const struct engine_lksb *lksb)
{
    st->rqmode = mode;
    st->flags = flags;
    st->pending = PENDING_REQUEST;
    if (flags & ENGINE_LKF_VALBLK) {
        memcpy(st->lvb, lksb->lvb, ENGINE_LVB_LEN);
        st->lvb_invalid = (flags & ENGINE_LKF_IVVALBLK) != 0;
    }
}

/* Remember the request in the lock. */
static void note_request(struct linux_lock *lock, int mode, struct engine_lksb *lksb,
                         uint32_t flags, engine_ast_fn *ast, void *astarg,
                         engine_bast_fn *bast)
{
    lock->lksb = lksb;
    lock->ast = ast;
    lock->bast = bast;
    lock->astarg = astarg;
    lock_state_note_request(&lock->st, mode, flags, lksb);
}

/* Send the request with the flags the kernel is to get; 0 or -errno.  The
 * caller holds ls->mutex, so that the completion cannot be dispatched
 * before the lock is in the table.  A new lock gets its ID. */
int linux_send_request(struct linux_ls *ls, struct linux_lock *lock, int mode, uint32_t flags,
                       const void *name, unsigned int namelen)
{
    struct device_request rq = {
        .mode = mode, .flags = (flags & ~ENGINE_LKF_GROUP) | group_flags(ls, lock),
        .lkid = lock->lkid,
        .name = name, .namelen = namelen, .lvb = lock->st.lvb,
        .param = linux_lock_param(lock), .blocking = lock->bast != NULL,
    };
    long rc = device_send(group_fd(ls, lock), &rq);

    if (rc < 0)
        return (int)rc;
    if (!(flags & ENGINE_LKF_CONVERT))
        lock->lkid = (uint32_t)rc;
    lock->st.kernel_valblk = (flags & ENGINE_LKF_VALBLK) != 0;
    return 0;
}

static int new_lock(struct linux_ls *ls, int mode, struct engine_lksb *lksb, uint32_t flags,
                    const void *name, unsigned int namelen,
                    engine_ast_fn *ast, void *astarg, engine_bast_fn *bast)
{
    struct linux_lock *lock = calloc(1, sizeof *lock);
    struct group_entry *entry;
    int rc;

    if (lock == NULL)
        return -ENOMEM;
    lock->st.grmode = ENGINE_MODE_IV;
    note_request(lock, mode, lksb, flags, ast, astarg, bast);
    /* VALBLK whether the caller asked or not: only a request with VALBLK
     * gives the kernel's copy of a lock a value block, without which an
     * unlock with VALBLK would write nothing.  On a new lock it only reads
     * the value, which the caller sees only if it asked (dispatch.c). */
    if (!(flags & ENGINE_LKF_GROUP)) {
        rc = linux_send_request(ls, lock, mode, flags | ENGINE_LKF_VALBLK, name, namelen);
    } else if ((rc = group_new_begin(ls, lock, &entry)) == 0) {
        rc = linux_send_request(ls, lock, mode, flags | ENGINE_LKF_VALBLK, name, namelen);
        group_new_end(ls, lock, entry, name, namelen, rc);
    }
    if (rc != 0) {
        free(lock);
        return rc;
    }
    lksb->lkid = lock->lkid;
    lock_table_insert(ls, lock);
    if (flags & ENGINE_LKF_ORPHAN) {
        /* Adoption completes within the call: the kernel queues no
         * callback for it.  It refused (ENOENT, or EAGAIN for an orphan
         * of another mode) through the call's own result. */
        lock->st.grmode = mode;
        lock->st.pending = PENDING_NONE;
        lock_table_sync(ls, lock);
        lksb->status = 0;
        lksb->flags = 0;
        return ENGINE_DONE;
    }
    /* A group request's completion comes through the carrier. */
    return lock->route == 0 && linux_completed_at_once(ls, lock) ? ENGINE_DONE : 0;
}

/* The lock a call on lkid is about: one of this process's own, or a
 * group lock claimed for it (group_lock_claim: then the table is locked until
 * group_lock_claim_end). */
int linux_lock_for_call(struct linux_ls *ls, uint32_t lkid, struct linux_lock **lock)
{
    *lock = lock_table_find(ls, lkid);
    if (*lock != NULL && (*lock)->route == 0)
        return 0;
    if (ls->group == NULL)
        return -ENOENT;
    return group_lock_claim(ls, lkid, lock);
}

static int convert_lock(struct linux_ls *ls, int mode, struct engine_lksb *lksb,
                        uint32_t flags, engine_ast_fn *ast, void *astarg, engine_bast_fn *bast)
{
    struct linux_lock *lock, before;
    int rc = linux_lock_for_call(ls, lksb->lkid, &lock);

    if (rc != 0)
        return rc;
    if (lock->st.pending != PENDING_NONE)
        rc = -EBUSY;
    else if ((flags & ENGINE_LKF_QUECVT) && !engine_quecvt_allowed(lock->st.grmode, mode))
        rc = -EINVAL;
    if (rc == 0) {
        before = *lock;
        note_request(lock, mode, lksb, flags, ast, astarg, bast);
        rc = linux_send_request(ls, lock, mode, flags, NULL, 0);
        if (rc != 0)
            *lock = before;
    }
    if (lock->route != 0) {
        group_lock_claim_end(ls, lock, rc);
        return rc;
    }
    if (rc != 0)
        return rc;
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
    if (!linux_ls_usable(ls))
        return -ESRCH;
    pthread_mutex_lock(&ls->mutex);
    if (flags & ENGINE_LKF_CONVERT)
        rc = convert_lock(ls, mode, lksb, flags, ast, astarg, bast);
    else if ((flags & ENGINE_LKF_GROUP) && ls->group == NULL)
        rc = -EINVAL;       /* no group to own it */
    else
        rc = new_lock(ls, mode, lksb, flags, name, namelen, ast, astarg, bast);
    pthread_mutex_unlock(&ls->mutex);
    return rc;
}
