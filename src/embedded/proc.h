/*
 * Processes attached to a lockspace: their slots, how their death is
 * noticed, and what happens to their locks then; and the notifications
 * (completions, blocking calls) posted to them.
 *
 * Each attached process keeps a robust mutex in its slot locked for as long
 * as it is attached, from a thread of its own (the keeper), which lives
 * exactly as long as the attachment.  When the process dies, at any
 * instruction, the kernel marks that mutex "owner died" and wakes one
 * thread waiting on its futex word.  Waiting processes watch those words
 * with futex_waitv(2) beside their own doorbell, so the death of a process
 * they wait on wakes them at once; whoever notices a death first purges the
 * dead process: its locks are released as by FORCEUNLOCK|IVVALBLK (so the
 * value block of a resource it held in PW or EX becomes invalid), its
 * persistent locks become orphans, and the waiters behind it are granted.
 */
#ifndef DLM_TRU64_EMBEDDED_PROC_H
#define DLM_TRU64_EMBEDDED_PROC_H

#include <stdint.h>

#include "ls.h"

/* Claim a slot for this process (starting its keeper thread) and release
 * it again, purging what this process still holds. */
int proc_attach(struct engine_ls *ls);
void proc_detach(struct engine_ls *ls);

/* Has the process in slot died?  (Read without the mutex: a hint that the
 * holder of the mutex confirms.) */
int proc_is_dead(struct engine_ls *ls, uint32_t slot);

/* Purge every dead process.  Under the mutex. */
void proc_purge_dead(struct engine_ls *ls);

/* Locks die with their process (Linux clears them when its device is
 * closed, at exit): before a request on res is judged, purge the dead
 * processes if one of them still has a lock there, so that the request is
 * neither refused nor queued behind a dead one, nor misses the value
 * block a dead PW or EX holder invalidated.  Only res is looked at, so the
 * cost is that of its queues.  Call it before the transaction changes
 * anything (a purge commits); 1 if it purged, which may free res. */
int proc_purge_dead_on(struct engine_ls *ls, struct seg_resource *res);

/* Remove (or orphan, if persistent) one lock of a process that is going
 * away, and grant what that frees.  Under the mutex. */
void proc_release_lock(struct engine_ls *ls, struct seg_lock *lock);

/* Release lock as if its owner had died, whatever it is. */
void proc_end_lock(struct engine_ls *ls, struct seg_lock *lock);

/* Post a completion (status) or a blocking notification (mode, and the
 * hint of the blocked request) to the owner of lock; drop a lock's
 * pending notifications.  Under the mutex. */
void proc_post_ast(struct engine_ls *ls, struct seg_lock *lock, int status);
void proc_post_bast(struct engine_ls *ls, struct seg_lock *lock, int mode, uint64_t hint);
void proc_unpost(struct engine_ls *ls, struct seg_lock *lock);

/* Wake the processes posted to during the transaction just ended. */
void proc_ring_doorbells(struct engine_ls *ls);

/* engine_ops.wait and engine_ops.dispatch. */
int proc_wait(struct engine_ls *ls, int timeout_ms);
int proc_dispatch(struct engine_ls *ls);

/* engine_ops.wake: ring this process's own doorbell. */
void proc_wake(struct engine_ls *ls);

#endif
