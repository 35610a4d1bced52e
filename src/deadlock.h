/*
 * Deadlock detection for waiting requests and conversions.
 *
 * The engine resolves conversion deadlocks on one resource by itself
 * (EDEADLK); what spans resources and processes is found here, as VMS
 * does: while a process has a request queued, its listener takes a
 * picture of the whole lockspace every DEADLOCK_INTERVAL_MS and builds
 * the wait-for graph between owners: transactions (the trans_id of
 * dlm_locktp() with DLM_TXID_LOCAL or DLM_TXID_GLOBAL; one machine is one
 * member, so the two are alike here) and, for other locks, processes.
 * A request waits for every lock on its resource that holds a mode
 * incompatible with the one it asks for, and for every incompatible
 * request queued ahead of it (grants are in order).  DLM_NODLCKWT takes a
 * request out of the graph as a waiter, DLM_NODLCKBLK a lock as a
 * blocker.
 *
 * The victim of a cycle is the request in it with the highest (process
 * ID, lock ID): a rule every process applies alike to the same cycle, so
 * exactly one of them - the victim's owner, the only one that can cancel
 * it - acts.  The victim completes with DLM_DEADLOCK; a conversion is left
 * granted at its old mode.
 */
#ifndef DLM_TRU64_DEADLOCK_H
#define DLM_TRU64_DEADLOCK_H

#include "process.h"

#define DEADLOCK_INTERVAL_MS 100

/* Can ns be searched: does its engine show its locks? */
int deadlock_possible(const struct namespace *ns);

/* Time the next search of ns. */
void deadlock_arm(struct namespace *ns);

/* Search ns for a cycle through this process, and cancel this process's
 * request if it is the victim.  Under the process mutex. */
void deadlock_search(struct namespace *ns);

#endif
