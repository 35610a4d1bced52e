/*
 * Pictures of a namespace's locks (the engine's introspection), taken
 * with room for everything, for the queries, deadlock detection and the
 * container registry.
 */
#ifndef DLM_TRU64_PICTURE_H
#define DLM_TRU64_PICTURE_H

#include "process.h"

/* The resource name (NULL: every resource) of ns with its locks: 0, or
 * a negative engine error (-ENOENT: no such resource, -ENOSYS: the
 * engine cannot show its locks).  picture_free() frees the arrays. */
int picture_take(const struct namespace *ns, const struct resname *name,
                 struct engine_picture *picture);
void picture_free(struct engine_picture *picture);

/* Is this one of the layer's own locks, not a Tru64 caller's?  Only the
 * anchors of persistent resources outlive their process (persist.h). */
static inline int picture_own_lock(const struct engine_lock_info *lock)
{
    return (lock->flags & ENGINE_LKF_PERSISTENT) != 0;
}

#endif
