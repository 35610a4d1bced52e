/*
 * Resource and lock blocks: allocation, the resource name hash, and the
 * three queues of a resource.  Every change is a logged store (tx.h); the
 * caller holds the lockspace mutex.
 */
#ifndef DLM_TRU64_EMBEDDED_TABLE_H
#define DLM_TRU64_EMBEDDED_TABLE_H

#include <stdint.h>

#include "ls.h"

/* The resource named name[0..len), or NULL. */
struct seg_resource *resource_find(struct engine_ls *ls, const void *name, unsigned int len);

/* A new, empty resource with a zeroed value block, or NULL when full. */
struct seg_resource *resource_create(struct engine_ls *ls, const void *name, unsigned int len);

/* Free the resource once no lock is left on it. */
void resource_release_if_unused(struct engine_ls *ls, struct seg_resource *res);

/* A fresh lock block with a new generation, or NULL when full. */
struct seg_lock *lock_alloc(struct engine_ls *ls);
void lock_free(struct engine_ls *ls, struct seg_lock *lock);

/* One past the last lock block ever used (0 when the header's count is
 * out of range): the bound of a scan of every lock. */
uint32_t lock_blocks_end(struct engine_ls *ls);

/* The lock named by lkid if it is in use, else NULL. */
struct seg_lock *lock_by_id(struct engine_ls *ls, uint32_t lkid);

/* Queue membership.  queue_add appends (or, with at_head, prepends) the
 * lock and sets its state; queue_del unlinks it from its current queue. */
void queue_add(struct engine_ls *ls, struct seg_resource *res, struct seg_lock *lock,
               enum queue queue, int at_head);
void queue_del(struct engine_ls *ls, struct seg_resource *res, struct seg_lock *lock);

/* Iterate over a queue; the body may move or free the current lock.  The
 * step bound ends the walk of a damaged (cyclic) list. */
#define QUEUE_FOREACH(ls, res, q, lock, next_index, guard)                      \
    for ((guard) = 0, (next_index) = (res)->head[q];                            \
         (next_index) != 0 && (guard)++ <= (ls)->max_locks                      \
         && ((lock) = lock_at(ls, next_index), (next_index) = (lock)->next, 1);)

static inline int queue_empty(const struct seg_resource *res, enum queue q)
{
    return res->head[q] == 0;
}

#endif
