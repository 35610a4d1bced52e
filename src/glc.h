/*
 * Group lock containers (Tru64 dlm_glc_*): processes of one machine that
 * own locks together.
 *
 * A container is a lock group of the engine (engine.h) in each of its
 * namespaces, so the engine keeps what must survive any member: group
 * locks stay when a member dies, and go with the last member of a
 * container that is not permanent.  The container's own facts (its
 * flags, creator, namespaces) are kept the same way: as group locks, with
 * the facts in their value blocks, in a lockspace of the embedded engine
 * that every process of the machine shares (GLC IDs are machine-local on
 * Tru64 too).  So a container vanishes with its last member, whoever dies
 * how, and nothing is left to clean up.
 *
 * Callers hold the process mutex.
 */
#ifndef DLM_TRU64_GLC_H
#define DLM_TRU64_GLC_H

#include <sys/dlm.h>

#include "process.h"

/* The container the process is attached to, 0 if none. */
dlm_glc_id_t glc_attached(void);

/* Is ns one of the namespaces of the process's container? */
int glc_uses(const struct namespace *ns);

/* Give rec, a new group lock (ENGINE_LKF_GROUP) that the engine has
 * just made, its group-wide ID. */
void glc_name_lock(struct lockrec *rec);

/* The record of the group lock lkid for a call on it: the member's own,
 * brought up to date, or a new one for a lock another member held; NULL
 * if lkid names no lock of the container. */
struct lockrec *glc_lockrec(const dlm_lkid_t *lkid);

/* Is rec a group lock on which another member has a request in flight?
 * (This member may not cancel it: one member at a time.) */
int glc_in_flight_elsewhere(const struct lockrec *rec);

/* The child of a fork is attached to no container. */
void glc_forget_all(void);

#endif
