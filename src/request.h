/*
 * Requests in flight: handing a new lock or a conversion to the engine,
 * and what happens when the engine completes it - the grant (or failure)
 * recorded, the caller woken or its completion routine queued.  Also the
 * cancellation of a request, by the caller, by its timeout or by an
 * unlock, and the release of a lock.
 *
 * Everything here runs under the process mutex.
 */
#ifndef DLM_TRU64_REQUEST_H
#define DLM_TRU64_REQUEST_H

#include <stdint.h>

#include "process.h"

/* Hand rec's request (rec->rqmode, rec->flags, rec->wait, ...) to the
 * engine, timed out after timeout hundredths of a second (0: never).  For a synchronous request, wait for its end.  Returns the call's
 * status: the final one (synchronous, or completed at once) or
 * DLM_SUCCESS (queued).  On return rec may be gone (*gone set) when the
 * request failed and the lock never existed. */
dlm_status_t request_submit(struct lockrec *rec, uint_t timeout, int *gone);

/* Cancel rec's request in flight: DLM_SUCCESS, or DLM_CANCELGRANT when
 * it was granted first. */
dlm_status_t request_cancel(struct lockrec *rec, enum cancel_reason why);

/* Release rec (and end its request in flight, which completes with
 * DLM_ABORT); valb_p and flags as for dlm_unlock().  rec is gone after. */
dlm_status_t request_release(struct lockrec *rec, dlm_valb_t *valb_p, dlm_flags_t flags);

/* The timers of ns's requests: cancel those whose deadline has passed,
 * search for deadlocks when due; return the milliseconds until the next
 * timer, or -1 if none. */
int request_timers(struct namespace *ns);

/* The engine's routines for every lock of this layer. */
void request_ast(void *tag);
void request_bast(void *tag, int mode, uint64_t hint);

#endif
