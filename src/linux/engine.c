/*
 * The Linux engine's operations table (see linux.h for the map).
 */
#include "config.h"

#include "linux.h"

const struct engine_ops engine_linux = {
    .name = "linux",
    .ls_open = linux_ls_open,
    .ls_close = linux_ls_close,
    .lock = linux_lock,
    .unlock = linux_unlock,
    .wait = linux_wait,
    .dispatch = linux_dispatch,
    .wake = linux_wake,
    .census = linux_census,
    .inspect = linux_inspect,
    .group_join = linux_group_join,
    .group_leave = linux_group_leave,
    .group_release = linux_group_release,
    .group_locks = linux_group_locks,
    .lock_query = linux_lock_query,
};
