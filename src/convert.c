/*
 * Conversions: dlm_cvt() (synchronous) and dlm_quecvt() (asynchronous).
 */
#include "config.h"

#include <sys/dlm.h>

#include "lockrec.h"
#include "process.h"
#include "request.h"

#define CONVERT_FLAGS (DLM_NOQUEUE | DLM_SYNCSTS | DLM_NODLCKWT | DLM_NODLCKBLK | \
                       DLM_QUECVT | DLM_VALB | DLM_INVVALBLK)

/* The conversions DLM_QUECVT may queue (Tru64, as Ingres uses it): up from
 * NL, CR, CW or PR, but neither CW to PR nor anything from PW or EX. */
static int quecvt_allowed(dlm_lkmode_t from, dlm_lkmode_t to)
{
    if (from == DLM_CWMODE)
        return to == DLM_PWMODE || to == DLM_EXMODE;
    return from <= DLM_PRMODE && to > from;
}

static dlm_status_t convert(dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode, dlm_valb_t *valb_p,
                            dlm_flags_t flags, callback_arg_t notprm, callback_arg_t hint,
                            blk_callback_t blkrtn, uint_t timeout, cpl_callback_t cplrtn,
                            int async)
{
    struct lockrec *rec;
    dlm_status_t status = DLM_SUCCESS;
    int gone;

    if (lkid_p == NULL || (async && cplrtn == NULL))
        return DLM_EFAULT;
    if (!tru64_mode_ok(rqmode) || (flags & ~CONVERT_FLAGS)
        || ((flags & DLM_VALB) && valb_p == NULL)
        || ((flags & DLM_VALB) && (flags & DLM_INVVALBLK)))
        return DLM_BADPARAM;
    process_lock();
    rec = lockrec_find_for_call(lkid_p);
    if (rec == NULL)
        status = DLM_IVLOCKID;
    else if (!rec->granted || rec->released)
        status = DLM_CVTUNGRANT;
    else if (rec->wait != REQUEST_NONE || rec->unlocking)
        status = DLM_LKBUSY;
    else if ((flags & DLM_QUECVT) && !quecvt_allowed(rec->grmode, rqmode))
        status = DLM_BADPARAM;
    if (status != DLM_SUCCESS) {
        process_unlock();
        return status;
    }

    /* The new routine, argument and hint replace the old, which a
     * conversion that fails restores. */
    rec->saved = 1;
    rec->saved_notprm = rec->notprm;
    rec->saved_hint = rec->hint;
    rec->saved_blkrtn = rec->blkrtn;
    rec->notprm = notprm;
    rec->hint = hint;
    rec->blkrtn = blkrtn;
    rec->cplrtn = cplrtn;
    rec->valb_p = valb_p;
    rec->timeout = timeout;
    rec->flags = flags;
    rec->rqmode = rqmode;
    rec->converting = 1;
    rec->wait = async ? REQUEST_ASYNC : REQUEST_SYNC;
    status = request_submit(rec, timeout, &gone);
    process_unlock();
    return status;
}

dlm_status_t dlm_cvt(dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode, dlm_valb_t *valb_p,
                     dlm_flags_t flags, callback_arg_t notprm, callback_arg_t hint,
                     blk_callback_t blkrtn, uint_t timeout)
{
    return convert(lkid_p, rqmode, valb_p, flags, notprm, hint, blkrtn, timeout, NULL, 0);
}

dlm_status_t dlm_quecvt(dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode, dlm_valb_t *valb_p,
                        dlm_flags_t flags, callback_arg_t notprm, callback_arg_t hint,
                        blk_callback_t blkrtn, uint_t timeout, cpl_callback_t cplrtn)
{
    return convert(lkid_p, rqmode, valb_p, flags, notprm, hint, blkrtn, timeout, cplrtn, 1);
}
