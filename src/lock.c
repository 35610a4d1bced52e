/*
 * New locks: dlm_lock(), dlm_locktp() (synchronous), dlm_quelock(),
 * dlm_quelocktp() (asynchronous, with a completion routine); with
 * DLM_PERSIST, on a persistent resource of a recovery domain.
 */
#include "config.h"

#include <string.h>

#include <sys/dlm.h>

#include "glc.h"
#include "lockrec.h"
#include "persist.h"
#include "process.h"
#include "recovery.h"
#include "request.h"
#include "result.h"

#define NEW_LOCK_FLAGS (DLM_NOQUEUE | DLM_SYNCSTS | DLM_NODLCKWT | DLM_NODLCKBLK | \
                        DLM_EXPEDITE | DLM_VALB | DLM_PERSIST | DLM_GROUP_LOCK |    \
                        DLM_TXID_LOCAL | DLM_TXID_GLOBAL)

struct lock_args {
    dlm_nsp_t nsp;
    const uchar_t *resnam;
    ushort_t resnlen;
    const dlm_lkid_t *parid;
    dlm_lkid_t *lkid_p;
    dlm_lkmode_t rqmode;
    dlm_valb_t *valb_p;
    dlm_flags_t flags;
    callback_arg_t notprm;
    callback_arg_t hint;
    blk_callback_t blkrtn;
    uint_t timeout;
    cpl_callback_t cplrtn;      /* NULL: synchronous */
    dlm_trans_id_t trans_id;
    dlm_rd_id_t rd_id;
};

static dlm_status_t check_args(const struct lock_args *a, int async)
{
    if (a->lkid_p == NULL || a->resnam == NULL || (async && a->cplrtn == NULL))
        return DLM_EFAULT;
    if (a->resnlen < 1 || a->resnlen > DLM_RESNAMELEN)
        return DLM_IVBUFLEN;
    if (!tru64_mode_ok(a->rqmode) || (a->flags & ~NEW_LOCK_FLAGS))
        return DLM_BADPARAM;
    if ((a->flags & DLM_VALB) && a->valb_p == NULL)
        return DLM_BADPARAM;
    if ((a->flags & DLM_EXPEDITE) && (a->rqmode != DLM_NLMODE || (a->flags & DLM_NOQUEUE)))
        return DLM_BADPARAM;
    if ((a->flags & DLM_TXID_LOCAL) && (a->flags & DLM_TXID_GLOBAL))
        return DLM_BADPARAM;
    /* Group locks are root locks of the container's, never persistent
     * (choices: the Tru64 record is silent). */
    if ((a->flags & DLM_GROUP_LOCK) && (!lkid_is_zero(a->parid) || (a->flags & DLM_PERSIST)))
        return DLM_BADPARAM;
    return DLM_SUCCESS;
}

/* The recovery domain of a request: a DLM_PERSIST lock's is required; a
 * handle given without it must be valid too. */
static dlm_status_t find_domain(const struct lock_args *a, struct domain **domain)
{
    *domain = NULL;
    if (!(a->flags & DLM_PERSIST) && a->rd_id == 0)
        return DLM_SUCCESS;
    *domain = recovery_domain(a->rd_id);
    if (*domain == NULL)
        return DLM_IVRDID;
    if (!(a->flags & DLM_PERSIST))
        *domain = NULL;         /* a valid handle, and no more than that */
    return DLM_SUCCESS;
}

/* Where the new lock goes: a root resource of the namespace, or a child
 * of a granted parent's resource (nsp 0 then, Tru64 dlm_lock). */
static dlm_status_t place(const struct lock_args *a, struct namespace **ns,
                          struct lockrec **parent)
{
    if (lkid_is_zero(a->parid)) {
        *parent = NULL;
        *ns = process_namespace(a->nsp);
        return *ns != NULL ? DLM_SUCCESS : DLM_NOTATTACHED;
    }
    if (a->nsp != 0)
        return DLM_BADPARAM;
    *parent = lockrec_find(a->parid);
    if (*parent == NULL)
        return DLM_IVLOCKID;
    if ((*parent)->group)
        return DLM_BADPARAM;    /* no sublocks under a group lock */
    if (!(*parent)->granted || (*parent)->released)
        return DLM_PARNOTGRANT;
    *ns = (*parent)->ns;
    return DLM_SUCCESS;
}

/* A DLM_PERSIST request's resource must be a persistent one of its
 * domain (persist.h).  Making it one may wait, and another thread of the
 * process may meanwhile release the parent: the request is placed again
 * after.  The namespace and the domain count the request as a lock
 * meanwhile, so neither is left under it. */
static dlm_status_t prepare_persistent(const struct lock_args *a, struct domain *domain,
                                       struct namespace **ns, struct lockrec **parent)
{
    struct namespace *pinned = *ns;
    struct resname name;
    dlm_status_t status;

    resname_child(&name, *parent != NULL ? &(*parent)->resname : NULL, a->resnam, a->resnlen);
    pinned->nlocks++;
    domain->nlocks++;
    status = persist_prepare(pinned, &name, &domain->mark);
    pinned->nlocks--;
    domain->nlocks--;
    if (status == DLM_SUCCESS)
        status = place(a, ns, parent);
    return status;
}

static dlm_status_t lock_request(const struct lock_args *a, int async)
{
    struct namespace *ns;
    struct lockrec *parent, *rec;
    struct domain *domain;
    dlm_status_t status = check_args(a, async);
    int gone;

    if (status != DLM_SUCCESS)
        return status;
    process_lock();
    status = find_domain(a, &domain);
    if (status == DLM_SUCCESS)
        status = place(a, &ns, &parent);
    if (status == DLM_SUCCESS && domain != NULL)
        status = prepare_persistent(a, domain, &ns, &parent);
    /* A group lock is the process's container's, in one of its
     * namespaces. */
    if (status == DLM_SUCCESS && (a->flags & DLM_GROUP_LOCK) && !glc_uses(ns))
        status = DLM_NO_GROUP;
    if (status == DLM_SUCCESS && (rec = lockrec_new(ns)) == NULL)
        status = DLM_INSFMEM;
    if (status != DLM_SUCCESS) {
        process_unlock();
        return status;
    }
    rec->parent = parent;
    if (parent != NULL)
        parent->nchildren++;
    rec->domain = domain;
    if (domain != NULL)
        domain->nlocks++;
    rec->group = (a->flags & DLM_GROUP_LOCK) != 0;
    resname_child(&rec->resname, parent != NULL ? &parent->resname : NULL, a->resnam,
                  a->resnlen);
    memcpy(rec->name, a->resnam, a->resnlen);
    rec->namelen = a->resnlen;
    rec->timeout = a->timeout;
    rec->grmode = DLM_NOMODE;
    rec->rqmode = a->rqmode;
    rec->flags = a->flags;
    rec->notprm = a->notprm;
    rec->hint = a->hint;
    rec->blkrtn = a->blkrtn;
    rec->cplrtn = a->cplrtn;
    rec->valb_p = a->valb_p;
    rec->wait = async ? REQUEST_ASYNC : REQUEST_SYNC;
    /* Deadlock detection groups a transaction's locks as one owner. */
    if (a->flags & (DLM_TXID_LOCAL | DLM_TXID_GLOBAL))
        rec->lksb.owner_tag = a->trans_id;

    /* The ID is the caller's at once: an asynchronous request may
     * complete before the call returns. */
    *a->lkid_p = rec->lkid;
    status = request_submit(rec, a->timeout, &gone);
    if (gone)
        memset(a->lkid_p, 0, sizeof *a->lkid_p);
    else
        *a->lkid_p = rec->lkid;     /* a group lock's is named by then */
    process_unlock();
    return status;
}

dlm_status_t dlm_lock(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                      dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                      dlm_valb_t *valb_p, dlm_flags_t flags,
                      callback_arg_t notprm, callback_arg_t hint,
                      blk_callback_t blkrtn, uint_t timeout)
{
    return dlm_locktp(nsp, resnam, resnlen, parid, lkid_p, rqmode, valb_p, flags,
                      notprm, hint, blkrtn, timeout, 0, 0);
}

dlm_status_t dlm_locktp(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                        dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                        dlm_valb_t *valb_p, dlm_flags_t flags,
                        callback_arg_t notprm, callback_arg_t hint,
                        blk_callback_t blkrtn, uint_t timeout,
                        dlm_trans_id_t trans_id, dlm_rd_id_t rd_id)
{
    struct lock_args a = { nsp, resnam, resnlen, parid, lkid_p, rqmode, valb_p, flags,
                           notprm, hint, blkrtn, timeout, NULL, trans_id, rd_id };

    return lock_request(&a, 0);
}

dlm_status_t dlm_quelock(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                         dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                         dlm_valb_t *valb_p, dlm_flags_t flags,
                         callback_arg_t notprm, callback_arg_t hint,
                         blk_callback_t blkrtn, uint_t timeout, cpl_callback_t cplrtn)
{
    return dlm_quelocktp(nsp, resnam, resnlen, parid, lkid_p, rqmode, valb_p, flags,
                         notprm, hint, blkrtn, timeout, cplrtn, 0, 0);
}

dlm_status_t dlm_quelocktp(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                           dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                           dlm_valb_t *valb_p, dlm_flags_t flags,
                           callback_arg_t notprm, callback_arg_t hint,
                           blk_callback_t blkrtn, uint_t timeout, cpl_callback_t cplrtn,
                           dlm_trans_id_t trans_id, dlm_rd_id_t rd_id)
{
    struct lock_args a = { nsp, resnam, resnlen, parid, lkid_p, rqmode, valb_p, flags,
                           notprm, hint, blkrtn, timeout, cplrtn, trans_id, rd_id };

    return lock_request(&a, 1);
}
