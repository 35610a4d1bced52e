/*
 * The grant rules of a VMS-style lock manager, as the Linux kernel DLM
 * implements them (fs/dlm/lock.c, which cites Roy Davis, "VAXcluster
 * Principles", chapter 6): modes and their compatibility, the granted,
 * converting and waiting queues, FIFO order, in-place conversion, QUECVT,
 * EXPEDITE, NOQUEUE, HEADQUE, NOORDER, ALTPR/ALTCW, conversion deadlock,
 * value blocks and blocking notifications.
 *
 * Callers hold the lockspace mutex; every change is a logged store.
 */
#ifndef DLM_TRU64_EMBEDDED_GRANT_H
#define DLM_TRU64_EMBEDDED_GRANT_H

#include "ls.h"

/* Internal lock->sbflags bit: the grant copied the resource's value block
 * into lock->lvb, to be returned to the caller. */
#define SBF_LVB_RETURNED 0x100u

enum grant_outcome {
    OUTCOME_GRANTED,    /* granted at once */
    OUTCOME_QUEUED,     /* waiting (new) or converting */
    OUTCOME_EAGAIN,     /* NOQUEUE and not grantable */
    OUTCOME_EDEADLK     /* conversion deadlock: left granted at its old mode */
};

int modes_compatible(int granted, int requested);

/* A new lock (rqmode set, not on any queue) asks to be granted. */
enum grant_outcome grant_request(struct engine_ls *ls, struct seg_resource *res,
                                 struct seg_lock *lock);

/* A granted lock (rqmode set to the new mode) asks to convert.  A
 * conversion queued after CONVDEADLK demoted the lock (ENGINE_SBF_DEMOTED)
 * may have made others grantable: the caller runs grant_pending(). */
enum grant_outcome grant_convert(struct engine_ls *ls, struct seg_resource *res,
                                 struct seg_lock *lock);

/* Value block of a lock leaving PW or EX (unlock): write or invalidate. */
void grant_unlock_lvb(struct engine_ls *ls, struct seg_resource *res, struct seg_lock *lock,
                      uint32_t flags);

/* Grant what the last change made grantable and send the blocking
 * notifications that are now due.  Commits the caller's transaction first,
 * then commits after each step; marks the resource in the header so that a
 * repair finishes a pass its process did not. */
void grant_pending(struct engine_ls *ls, struct seg_resource *res);

/* Finish the pass recorded in the header, if any (repair). */
void grant_finish_pending(struct engine_ls *ls);

/* Blocking notifications, carrying hint, for the holders (other than
 * blocked, which may be NULL) that a request for mode waits on; with
 * all_queues, for converting locks too (a failed NOQUEUEBAST request). */
void grant_send_blocking(struct engine_ls *ls, struct seg_resource *res,
                         const struct seg_lock *blocked, int mode, uint64_t hint,
                         int all_queues);

#endif
