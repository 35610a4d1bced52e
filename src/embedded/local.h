/*
 * This process's own record of its locks (routines, argument, status
 * block), kept in private memory by lock block index.  The lockspace mutex
 * guards it.
 */
#ifndef DLM_TRU64_EMBEDDED_LOCAL_H
#define DLM_TRU64_EMBEDDED_LOCAL_H

#include <stdint.h>

#include "ls.h"

int local_init(struct engine_ls *ls);
void local_destroy(struct engine_ls *ls);

/* The record of lock lkid, or NULL if this process has none. */
struct local_lock *local_find(struct engine_ls *ls, uint32_t lkid);

/* Room for the record of lkid (allocated on first use), or NULL when
 * memory is short. */
struct local_lock *local_reserve(struct engine_ls *ls, uint32_t lkid);

#endif
