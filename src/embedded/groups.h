/*
 * Lock groups (engine.h): the embedded engine's side of Tru64 group lock
 * containers.  A group lock names its group in its block; its owner is
 * only the member that manipulated it last, and 0 when none does.  The
 * lockspace mutex is held throughout.
 */
#ifndef DLM_TRU64_EMBEDDED_GROUPS_H
#define DLM_TRU64_EMBEDDED_GROUPS_H

#include <stdint.h>

#include "ls.h"

/* May this process convert, cancel or release lock?  A lock of its own,
 * yes; a group lock of its group, yes, once taken over (0); otherwise
 * -ENOENT, or -EBUSY while another live member has a request in flight
 * on it. */
int group_claim(struct engine_ls *ls, struct seg_lock *lock);

/* Does group live on in this lockspace without the process in slot
 * except: permanent, or with another live member? */
int group_lives_on(struct engine_ls *ls, uint32_t group, uint32_t permanent, uint32_t except);

/* Release every lock of group, each in a transaction of its own (the
 * caller began one; it is committed as it goes). */
void group_release_locks(struct engine_ls *ls, uint32_t group);

int group_join(struct engine_ls *ls, uint32_t group, int permanent);
int group_leave(struct engine_ls *ls);
int group_release(struct engine_ls *ls, uint32_t group);
/* How many locks group holds, or -errno. */
int group_locks(struct engine_ls *ls, uint32_t group);

#endif
