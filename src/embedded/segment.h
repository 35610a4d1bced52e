/*
 * Lockspace segments: files in the embedded engine's directory (the
 * embedded_dir setting), one per lockspace, mapped shared.
 *
 * A new segment is built under a temporary name, given its owner, group
 * and mode, and only then linked to its real name, so no process ever maps
 * a half-made segment and the kernel enforces who may open it.  An existing
 * segment is checked before use: its identity, version, size and every
 * layout figure must be exactly what this library would have made.
 */
#ifndef DLM_TRU64_EMBEDDED_SEGMENT_H
#define DLM_TRU64_EMBEDDED_SEGMENT_H

#include <limits.h>

#include "engine.h"
#include "ls.h"
#include "settings.h"

/* Map the lockspace's segment into ls (creating it if the spec says so)
 * and fill in the layout.  0 or a negative errno: -ENOENT (absent),
 * -EACCES (refused by the system), -EIO (not a segment of this version,
 * truncated or inconsistent), -EINVAL (bad name). */
int segment_open(struct engine_ls *ls, const struct engine_ls_spec *spec);
void segment_close(struct engine_ls *ls);

/* The directory of the segments (the embedded_dir setting) and the path of
 * the named lockspace's segment in it: 0, -EINVAL (bad name) or
 * -ENAMETOOLONG. */
int segment_path(const char *name, char dir[SETTING_VALUE_MAX], char path[PATH_MAX]);

#endif
