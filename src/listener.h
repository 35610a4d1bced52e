/*
 * A namespace's listener: the thread that waits on the engine for this
 * process's completions and blocking calls, hands them to the requests
 * (request.h), cancels requests whose timeout expires and searches for
 * deadlocks (deadlock.h).  Tru64 had the
 * kernel for this; here each joined namespace has one such thread, with
 * every signal blocked, so that the notification signal always lands in
 * an application thread.
 */
#ifndef DLM_TRU64_LISTENER_H
#define DLM_TRU64_LISTENER_H

#include "process.h"

/* Start ns's listener; 0 or an errno. */
int listener_start(struct namespace *ns);

/* Stop it and wait for it to end.  Without the process mutex. */
void listener_stop(struct namespace *ns);

#endif
