#include "config.h"

#include "request.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "deadlock.h"
#include "glc.h"
#include "lockrec.h"
#include "notice.h"
#include "persist.h"
#include "result.h"
#include "syslock.h"

/* Tru64 timeouts count hundredths of a second. */
#define TIMEOUT_UNIT_NS 10000000L

static void now(struct timespec *ts)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
}

static void set_deadline(struct lockrec *rec, uint_t timeout)
{
    struct timespec *at = &rec->deadline;
    long long ns;

    now(at);
    ns = at->tv_nsec + (long long)(timeout % 100) * TIMEOUT_UNIT_NS;
    at->tv_sec += timeout / 100 + ns / 1000000000L;
    at->tv_nsec = ns % 1000000000L;
    rec->ns->ntimed++;
}

static void clear_deadline(struct lockrec *rec)
{
    if (rec->deadline.tv_sec != 0) {
        rec->deadline.tv_sec = 0;
        rec->ns->ntimed--;
    }
}

/* A new lock granted on a persistent resource without DLM_PERSIST is
 * refused (Tru64 DLM_IS_PR): it ends at once, as if never granted. */
static int refused_as_persistent(const struct lockrec *rec, int status)
{
    return status == 0 && !rec->granted && !(rec->flags & DLM_PERSIST)
           && persist_marked(rec->lvb);
}

/* Record the end of rec's request and return its Tru64 status. */
static dlm_status_t conclude(struct lockrec *rec, int status, uint32_t sbflags, int immediate)
{
    dlm_status_t result = result_of_completion(rec, status, sbflags, immediate);

    clear_deadline(rec);
    if (rec->queued) {
        rec->queued = 0;
        rec->ns->nqueued--;
    }
    if (refused_as_persistent(rec, status)) {
        /* When the release completes, request_ast gets rec's tag and
         * finds no record, or one whose request is over: it does
         * nothing. */
        syslock_discard(rec->ns, rec->lksb.lkid, lockrec_tag(rec));
        result = DLM_IS_PR;
    } else if (status == 0) {
        rec->grmode = rec->rqmode;
        rec->granted = 1;
        if ((rec->flags & DLM_VALB) && rec->valb_p != NULL)
            memcpy(rec->valb_p, rec->lvb, sizeof(dlm_valb_t));
        rec->saved = 0;         /* the new routine and argument stand */
    }
    rec->cancel = CANCEL_NONE;
    return result;
}

/* A conversion that did not happen leaves the blocking routine, its
 * argument and the hint as they were (Tru64 dlm_cancel: the lock is as it
 * was) - once its own completion, which takes the conversion's argument,
 * is on its way. */
static void restore_routines(struct lockrec *rec)
{
    if (rec->saved) {
        rec->notprm = rec->saved_notprm;
        rec->hint = rec->saved_hint;
        rec->blkrtn = rec->saved_blkrtn;
        rec->saved = 0;
    }
}

/* The request ended later than its call: wake the caller, or queue the
 * completion routine.  A new lock that was never granted ends with it. */
static void completed(struct lockrec *rec, int status, uint32_t sbflags)
{
    dlm_status_t result = conclude(rec, status, sbflags, 0);

    if (rec->wait == REQUEST_SYNC) {
        restore_routines(rec);
        rec->done = 1;
        rec->result = result;
        pthread_cond_broadcast(&process.granted);
        return;
    }
    rec->wait = REQUEST_NONE;
    notice_post_completion(rec->notice, rec, result);
    rec->notice = NULL;
    restore_routines(rec);
    if (!rec->granted)
        lockrec_free(rec);
}

/* A synchronous caller's wait for the end of its request. */
static dlm_status_t wait_for(struct lockrec *rec, int *gone)
{
    dlm_status_t result;

    while (!rec->done)
        process_wait();
    result = rec->result;
    rec->done = 0;
    rec->wait = REQUEST_NONE;
    if (rec->released || !rec->granted) {
        lockrec_free(rec);
        *gone = 1;
    }
    return result;
}

/* The engine completed the request within the call.  An asynchronous
 * request still gets its completion routine, except for a refusal (of
 * DLM_NOQUEUE, or DLM_IS_PR) and a grant reported as DLM_SYNCH: those the
 * call returns (Tru64 dlm_quelock). */
static dlm_status_t completed_at_once(struct lockrec *rec, int *gone)
{
    int status = rec->lksb.status;
    dlm_status_t result = conclude(rec, status, rec->lksb.flags, 1);
    int returned = rec->wait == REQUEST_SYNC || status == ENGINE_EAGAIN || result == DLM_IS_PR
                   || result == DLM_SYNCH || result == DLM_SYNCVALNOTVALID;

    if (rec->wait == REQUEST_ASYNC) {
        if (returned)
            notice_drop(rec->notice);
        else
            notice_post_completion(rec->notice, rec, result);
        rec->notice = NULL;
    }
    restore_routines(rec);
    rec->wait = REQUEST_NONE;
    if (!rec->granted) {
        lockrec_free(rec);
        *gone = 1;
    }
    return returned ? result : DLM_SUCCESS;
}

/* The Tru64 flags the engine acts on, and their engine names. */
static const struct {
    dlm_flags_t tru64;
    uint32_t engine;
} flag_map[] = {
    { DLM_NOQUEUE,   ENGINE_LKF_NOQUEUE },
    { DLM_EXPEDITE,  ENGINE_LKF_EXPEDITE },
    { DLM_QUECVT,    ENGINE_LKF_QUECVT },
    { DLM_INVVALBLK, ENGINE_LKF_IVVALBLK },
    { DLM_VALB,      ENGINE_LKF_VALBLK },
    { DLM_NODLCKWT,  ENGINE_LKF_NODLCKWT },
    { DLM_NODLCKBLK, ENGINE_LKF_NODLCKBLK },
};

static uint32_t engine_flags_of(dlm_flags_t flags)
{
    uint32_t engine = 0;
    size_t i;

    for (i = 0; i < sizeof flag_map / sizeof flag_map[0]; i++)
        if (flags & flag_map[i].tru64)
            engine |= flag_map[i].engine;
    return engine;
}

dlm_status_t request_submit(struct lockrec *rec, uint_t timeout, int *gone)
{
    struct namespace *ns = rec->ns;
    uint32_t engine_flags = engine_flags_of(rec->flags);
    int rc;

    *gone = 0;
    if (rec->wait == REQUEST_ASYNC && (rec->notice = notice_reserve()) == NULL) {
        rc = -ENOMEM;
    } else {
        if (rec->flags & DLM_VALB)
            memcpy(rec->lvb, rec->valb_p, sizeof(dlm_valb_t));
        /* A new lock reads the value block, whose mark tells a
         * persistent resource (persist.h). */
        engine_flags |= rec->converting ? ENGINE_LKF_CONVERT : ENGINE_LKF_VALBLK;
        if (rec->group && !rec->converting)
            engine_flags |= ENGINE_LKF_GROUP;
        rec->lksb.hint = (uint64_t)(uintptr_t)rec->hint;
        rc = ns->ops->lock(ns->ls, engine_mode_of(rec->rqmode), &rec->lksb, engine_flags,
                           rec->resname.bytes, rec->resname.len, request_ast,
                           lockrec_tag(rec), rec->blkrtn != NULL ? request_bast : NULL);
    }
    if (rc < 0) {
        notice_drop(rec->notice);
        rec->notice = NULL;
        rec->wait = REQUEST_NONE;
        conclude(rec, rc, 0, 1);
        restore_routines(rec);
        if (!rec->granted) {
            lockrec_free(rec);
            *gone = 1;
        }
        return result_of_error(rc);
    }
    if (rec->group && !rec->converting)
        glc_name_lock(rec);     /* the engine gave it its ID */
    if (rc == ENGINE_DONE)
        return completed_at_once(rec, gone);
    rec->queued = 1;
    if (timeout != 0)
        set_deadline(rec, timeout);
    /* The listener times its wait anew: for the deadlock search, which
     * the first queued request starts where the engine shows its locks,
     * or for the timeout. */
    if (ns->nqueued++ == 0 && ns->searchable)
        deadlock_arm(ns);
    if ((ns->nqueued == 1 && ns->searchable) || timeout != 0)
        ns->ops->wake(ns->ls);
    return rec->wait == REQUEST_SYNC ? wait_for(rec, gone) : DLM_SUCCESS;
}

dlm_status_t request_cancel(struct lockrec *rec, enum cancel_reason why)
{
    struct namespace *ns = rec->ns;
    int rc = ns->ops->unlock(ns->ls, rec->lksb.lkid, ENGINE_LKF_CANCEL, &rec->lksb,
                             lockrec_tag(rec));

    if (rc == -EBUSY) {
        clear_deadline(rec);        /* its grant is on the way */
        return DLM_CANCELGRANT;
    }
    if (rc < 0)
        return result_of_error(rc);
    rec->cancel = why;
    if (rc == ENGINE_DONE)
        completed(rec, ENGINE_ECANCEL, 0);
    return DLM_SUCCESS;
}

dlm_status_t request_release(struct lockrec *rec, dlm_valb_t *valb_p, dlm_flags_t flags)
{
    struct namespace *ns = rec->ns;
    int pending = rec->wait != REQUEST_NONE;
    uint32_t engine_flags = engine_flags_of(flags) | (pending ? ENGINE_LKF_FORCEUNLOCK : 0);
    dlm_status_t result;
    int rc;

    if (rec->nchildren != 0)
        return DLM_SUBLOCKS;
    if (rec->unlocking || rec->released)
        return DLM_LKBUSY;
    if (flags & DLM_VALB)
        memcpy(rec->lvb, valb_p, sizeof(dlm_valb_t));
    rc = ns->ops->unlock(ns->ls, rec->lksb.lkid, engine_flags, &rec->lksb, lockrec_tag(rec));
    if (rc < 0)
        return result_of_error(rc);
    if (rc == 0) {
        rec->unlocking = 1;
        while (rec->unlocking)
            process_wait();
    }
    if (pending) {
        /* The request it had in flight ends with DLM_ABORT. */
        rec->cancel = CANCEL_BY_UNLOCK;
        result = conclude(rec, ENGINE_ECANCEL, 0, 0);
        if (rec->wait == REQUEST_SYNC) {
            rec->done = 1;
            rec->result = result;
            rec->released = 1;      /* its waiter frees it */
            pthread_cond_broadcast(&process.granted);
            return DLM_SUCCESS;
        }
        notice_post_completion(rec->notice, rec, result);
        rec->notice = NULL;
    }
    lockrec_free(rec);
    return DLM_SUCCESS;
}

/* Milliseconds from from to at, rounded up: a wait that long never ends
 * before at.  0 or less once at has come. */
static long long ms_until(const struct timespec *at, const struct timespec *from)
{
    long long ns = (long long)(at->tv_sec - from->tv_sec) * 1000000000LL
                   + (at->tv_nsec - from->tv_nsec);

    return ns <= 0 ? 0 : (ns + 999999) / 1000000;
}

/* Cancel the requests whose deadline has passed; return the milliseconds
 * until the next one, or -1 if none. */
static long long expire(struct namespace *ns, const struct timespec *t)
{
    struct lockrec *rec, *next;
    long long soonest = -1;

    if (ns->ntimed == 0)
        return -1;
    for (rec = lockrec_next(NULL); rec != NULL; rec = next) {
        long long left;

        next = lockrec_next(rec);
        if (rec->ns != ns || rec->deadline.tv_sec == 0 || rec->cancel != CANCEL_NONE)
            continue;
        left = ms_until(&rec->deadline, t);
        if (left <= 0)
            request_cancel(rec, CANCEL_BY_TIMEOUT);
        else if (soonest < 0 || left < soonest)
            soonest = left;
    }
    return soonest;
}

static long long sooner(long long a, long long b)
{
    return a < 0 || (b >= 0 && b < a) ? b : a;
}

int request_timers(struct namespace *ns)
{
    struct timespec t;
    long long soonest;

    now(&t);
    soonest = expire(ns, &t);
    if (ns->nqueued != 0 && ns->searchable) {
        if (ms_until(&ns->next_search, &t) <= 0) {
            deadlock_search(ns);
            deadlock_arm(ns);
        }
        soonest = sooner(soonest, ms_until(&ns->next_search, &t));
    }
    if (soonest > 0x7fffffff)
        soonest = 0x7fffffff;
    return soonest < 0 ? -1 : (int)soonest;
}

void request_ast(void *tag)
{
    struct lockrec *rec;

    process_lock();
    rec = lockrec_untag(tag);
    if (rec != NULL) {
        if (rec->lksb.status == ENGINE_EUNLOCK) {
            rec->unlocking = 0;
            pthread_cond_broadcast(&process.granted);
        } else if (rec->wait != REQUEST_NONE && !rec->done && !rec->released) {
            completed(rec, rec->lksb.status, rec->lksb.flags);
        }
    }
    process_unlock();
}

void request_bast(void *tag, int mode, uint64_t hint)
{
    struct lockrec *rec;

    process_lock();
    rec = lockrec_untag(tag);
    if (rec != NULL && rec->granted && rec->blkrtn != NULL)
        notice_post_blocking(rec, tru64_mode_of(mode), (callback_arg_t)(uintptr_t)hint);
    process_unlock();
}
