/*
 * Queries: dlm_get_lkinfo() (one of the caller's locks) and
 * dlm_get_rsbinfo() (a resource of a namespace the caller joined).
 *
 * Lock IDs name this process's records, so dlm_get_lkinfo() reaches the
 * caller's own locks only: Tru64 let the superuser query any process's
 * lock, which lock IDs that are private to a process cannot express.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "lockrec.h"
#include "picture.h"
#include "process.h"
#include "result.h"

static usr_lk_states_t state_of(const struct lockrec *rec)
{
    if (rec->wait == REQUEST_NONE)
        return rec->granted ? GRANTED : INTRANSIT;
    return rec->granted ? CONVERTING : WAITING;
}

dlm_status_t dlm_get_lkinfo(dlm_lkid_t *lkid_p, dlm_lkinfo_t *lkinfo)
{
    struct lockrec *rec;
    dlm_status_t status = DLM_SUCCESS;

    if (lkid_p == NULL || lkinfo == NULL)
        return DLM_EFAULT;
    process_lock();
    rec = lockrec_find_for_call(lkid_p);
    if (rec == NULL) {
        status = DLM_IVLOCKID;
    } else {
        memset(lkinfo, 0, sizeof *lkinfo);
        memcpy(lkinfo->resnam, rec->name, rec->namelen);
        lkinfo->resnlen = rec->namelen;
        if (rec->parent != NULL)
            lkinfo->parlkid = rec->parent->lkid;
        lkinfo->rqmode = rec->wait != REQUEST_NONE ? rec->rqmode : rec->grmode;
        lkinfo->valb = rec->valb_p;
        lkinfo->flags = rec->flags;
        lkinfo->notprm = rec->notprm;
        lkinfo->hint = rec->hint;
        lkinfo->blkrtn = rec->blkrtn;
        lkinfo->timeout = rec->timeout;
        lkinfo->cplrtn = rec->cplrtn;
        lkinfo->sig = process.signal;
        lkinfo->grmode = rec->granted ? rec->grmode : DLM_NOMODE;
        lkinfo->lkstate = state_of(rec);
        lkinfo->lk_pid = getpid();
    }
    process_unlock();
    return status;
}

static dlm_lkmode_t stronger(dlm_lkmode_t held, int engine_mode)
{
    dlm_lkmode_t mode = engine_mode == ENGINE_MODE_IV ? DLM_NOMODE : tru64_mode_of(engine_mode);

    return mode > held ? mode : held;
}

/* The queues' most restrictive modes and the counts (Tru64 RSB fields).
 * Modes that may be held together are ordered NL < CR < CW|PR < PW < EX,
 * and CW and PR never are, so "most restrictive" is the highest number. */
static void summarise(const struct engine_picture *picture, dlm_rsbinfo_t *info)
{
    unsigned int i;

    info->ggmode = info->cvtqmode = info->wtqmode = DLM_NOMODE;
    for (i = 0; i < picture->nlocks; i++) {
        const struct engine_lock_info *lock = &picture->locks[i];

        if (picture_own_lock(lock))
            continue;
        info->lckcnt++;
        info->blkastcnt += lock->has_bast != 0;
        if (lock->queue == ENGINE_QUEUE_WAITING)
            info->wtqmode = stronger(info->wtqmode, lock->rqmode);
        else
            info->ggmode = stronger(info->ggmode, lock->grmode);
        if (lock->queue == ENGINE_QUEUE_CONVERTING)
            info->cvtqmode = stronger(info->cvtqmode, lock->rqmode);
    }
    for (i = 0; i < picture->nlocks; i++)
        info->ggcnt += !picture_own_lock(&picture->locks[i])
                       && picture->locks[i].queue != ENGINE_QUEUE_WAITING
                       && tru64_mode_of(picture->locks[i].grmode) == info->ggmode;
}

static unsigned int count_children(const struct namespace *ns, const struct resname *parent)
{
    struct engine_picture all;
    unsigned int i, n = 0;

    if (picture_take(ns, NULL, &all) != 0)
        return 0;
    for (i = 0; i < all.nresources; i++)
        n += resname_is_child(parent, all.resources[i].name, all.resources[i].namelen);
    picture_free(&all);
    return n;
}

dlm_status_t dlm_get_rsbinfo(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                             dlm_rsbinfo_t *rsbinfo, dlm_lkid_t *par_lkid)
{
    struct namespace *ns;
    struct lockrec *parent = NULL;
    struct engine_picture picture;
    struct resname name;
    int rc;

    if (resnam == NULL || rsbinfo == NULL)
        return DLM_EFAULT;
    if (resnlen < 1 || resnlen > DLM_RESNAMELEN)
        return DLM_IVBUFLEN;
    process_lock();
    if (!lkid_is_zero(par_lkid)) {
        parent = lockrec_find(par_lkid);
        ns = parent != NULL ? parent->ns : NULL;
    } else {
        ns = process_namespace(nsp);
    }
    if (ns == NULL) {
        process_unlock();
        return parent == NULL && !lkid_is_zero(par_lkid) ? DLM_IVLOCKID : DLM_NOTATTACHED;
    }
    resname_child(&name, parent != NULL ? &parent->resname : NULL, resnam, resnlen);
    rc = picture_take(ns, &name, &picture);
    if (rc != 0) {
        process_unlock();
        return rc == -ENOENT ? DLM_ENOENT : result_of_error(rc);
    }
    memset(rsbinfo, 0, sizeof *rsbinfo);
    rsbinfo->vbstatus = (short)(picture.resources[0].lvb_valid != 0);
    rsbinfo->vbseqnum = picture.resources[0].lvb_seq;
    memcpy(&rsbinfo->valb, picture.resources[0].lvb, sizeof rsbinfo->valb);
    summarise(&picture, rsbinfo);
    picture_free(&picture);
    rsbinfo->subrescnt = count_children(ns, &name);
    process_unlock();
    return DLM_SUCCESS;
}
