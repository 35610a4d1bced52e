/*
 * Notifications: the completion and blocking routines owed to this
 * process, queued in the order they arose and run by dlm_notify() or by
 * the handler of the signal chosen with dlm_set_signal().
 *
 * The signal is only a doorbell: signals coalesce, so the handler runs
 * every queued notification, not one per signal (Tru64 could lose
 * blocking notifications "at the signal level"; this queue cannot).  The
 * queue is lock-free, so the handler may run in any thread at any moment;
 * if that thread is inside the library, the routines run as it leaves.
 * While a thread waits in a synchronous call with a signal chosen, it
 * runs the routines itself, as VMS delivers ASTs during $ENQW: a blocking
 * routine may be what ends the wait.  A notice carries copies of everything
 * its routine needs, the lock ID among them: the lkid_p a routine receives
 * points at that copy, valid while the routine runs.
 */
#ifndef DLM_TRU64_NOTICE_H
#define DLM_TRU64_NOTICE_H

#include <sys/dlm.h>

#include "process.h"

struct notice;

/* A completion notice for rec's request, made when the request is (so a
 * completion can never be lost for want of memory); NULL if out of
 * memory.  Posted by notice_post_completion, or dropped. */
struct notice *notice_reserve(void);
void notice_drop(struct notice *notice);

/* Queue rec's completion with status, in the notice reserved for it.
 * Under the process mutex. */
void notice_post_completion(struct notice *notice, const struct lockrec *rec,
                            dlm_status_t status);

/* Queue a blocking notification for rec, which blocks a request for mode
 * that gave hint.  Under the process mutex. */
void notice_post_blocking(const struct lockrec *rec, dlm_lkmode_t mode, callback_arg_t hint);

/* Drop the notifications queued for group locks (the process leaves its
 * container). */
void notice_drop_group_notices(void);

/* Run every queued notification, oldest first; return how many ran.
 * Without the process mutex. */
int notice_deliver(void);
int notice_pending(void);

/* The child of a fork starts with no notifications. */
void notice_forget_all(void);

#endif
