/*
 * engine_ops.census and engine_ops.inspect of the embedded engine.
 */
#ifndef DLM_TRU64_EMBEDDED_INSPECT_H
#define DLM_TRU64_EMBEDDED_INSPECT_H

#include "ls.h"

int inspect_census(struct engine_ls *ls, struct engine_census *census);
int inspect_picture(struct engine_ls *ls, const void *name, unsigned int namelen,
                    struct engine_picture *picture);

#endif
