/*
 * Ending locks and requests: dlm_unlock() and dlm_cancel().
 */
#include "config.h"

#include <sys/dlm.h>

#include "glc.h"
#include "lockrec.h"
#include "process.h"
#include "request.h"

#define UNLOCK_FLAGS (DLM_DEQALL | DLM_VALB | DLM_INVVALBLK)

/* Is rec below root in the lock tree (root NULL: anywhere)? */
static int descends_from(const struct lockrec *rec, const struct lockrec *root)
{
    const struct lockrec *up;

    if (root == NULL)
        return 1;
    for (up = rec->parent; up != NULL; up = up->parent)
        if (up == root)
            return 1;
    return 0;
}

/* DLM_DEQALL: release every lock below root (or every lock of the
 * process), leaves first, pass after pass. */
static dlm_status_t release_all_below(const struct lockrec *root)
{
    dlm_status_t status = DLM_SUCCESS;
    int released;

    do {
        struct lockrec *rec, *next;

        released = 0;
        for (rec = lockrec_next(NULL); rec != NULL; rec = next) {
            dlm_status_t one;

            dlm_lkid_t next_id;

            next = lockrec_next(rec);
            /* All the process's locks: not its container's. */
            if (rec == root || rec->nchildren != 0 || rec->released || rec->unlocking
                || !descends_from(rec, root) || (root == NULL && rec->group))
                continue;
            /* The release may wait, and other threads free records
             * meanwhile: find the next one again by its ID. */
            if (next != NULL)
                next_id = next->lkid;
            one = request_release(rec, NULL, 0);
            if (one != DLM_SUCCESS && status == DLM_SUCCESS)
                status = one;
            released += one == DLM_SUCCESS;
            if (next != NULL && (next = lockrec_find(&next_id)) == NULL)
                next = lockrec_next(NULL);
        }
    } while (released != 0);
    return status;
}

dlm_status_t dlm_unlock(dlm_lkid_t *lkid_p, dlm_valb_t *valb_p, dlm_flags_t flags)
{
    struct lockrec *rec = NULL;
    dlm_status_t status;

    /* A value block is written or invalidated by the release of one lock:
     * DLM_DEQALL releases any number, so neither goes with it. */
    if ((flags & ~UNLOCK_FLAGS) || ((flags & DLM_VALB) && (flags & DLM_INVVALBLK))
        || ((flags & DLM_DEQALL) && (flags & (DLM_VALB | DLM_INVVALBLK))))
        return DLM_BADPARAM;
    if ((flags & DLM_VALB) && valb_p == NULL)
        return DLM_BADPARAM;
    if (lkid_is_zero(lkid_p) && !(flags & DLM_DEQALL))
        return lkid_p == NULL ? DLM_EFAULT : DLM_IVLOCKID;
    process_lock();
    if (!lkid_is_zero(lkid_p) && (rec = lockrec_find_for_call(lkid_p)) == NULL)
        status = DLM_IVLOCKID;
    else if (flags & DLM_DEQALL)
        status = release_all_below(rec);
    else
        status = request_release(rec, valb_p, flags);
    process_unlock();
    return status;
}

dlm_status_t dlm_cancel(dlm_lkid_t *lkid_p, dlm_flags_t flags)
{
    struct lockrec *rec;
    dlm_status_t status;

    if (lkid_p == NULL)
        return DLM_EFAULT;
    if (flags & ~DLM_CANCELWAITOK)
        return DLM_BADPARAM;
    process_lock();
    rec = lockrec_find_for_call(lkid_p);
    if (rec == NULL)
        status = DLM_IVLOCKID;
    else if (glc_in_flight_elsewhere(rec))
        status = DLM_LKBUSY;
    else if (rec->wait == REQUEST_NONE || rec->done || rec->released)
        status = DLM_CANCELGRANT;   /* nothing in flight: it was granted */
    else if (!rec->granted && !(flags & DLM_CANCELWAITOK))
        status = DLM_CANCELWAIT;
    else if (rec->cancel != CANCEL_NONE)
        status = DLM_SUCCESS;       /* being cancelled already */
    else
        status = request_cancel(rec, CANCEL_BY_CALLER);
    process_unlock();
    return status;
}
