/*
 * engine_ops.census and engine_ops.inspect of the embedded engine.
 */
#ifndef DLM_TRU64_EMBEDDED_INSPECT_H
#define DLM_TRU64_EMBEDDED_INSPECT_H

#include "ls.h"

int inspect_census(struct engine_ls *ls, struct engine_census *census);
int inspect_picture(struct engine_ls *ls, const void *name, unsigned int namelen,
                    struct engine_picture *picture);
/* One lock, whoever holds it, and its resource (-ENOENT: no such lock). */
int inspect_lock(struct engine_ls *ls, uint32_t lkid, struct engine_lock_info *info,
                 struct engine_resource_info *resource);

#endif
