/*
 * Administration of the Linux engine (engine_admin.h).
 *
 * The kernel lists the lockspaces this node has joined under /sys/kernel/dlm;
 * those made from user space have a device, /dev/misc/dlm_NAME, whose
 * owner and mode decide who may open them.  Lockspaces are released with
 * "dlm_tool leave NAME", one release for each creation (linux-dlm.md
 * 1.6.10), so this engine removes none itself.  A listing's picture is
 * the snapshot of the kernel's debugfs dump (debugfs.c), with its gaps.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine_admin.h"
#include "linux.h"

#define SYSFS_DLM       "/sys/kernel/dlm"
#define DEVICE_DIR      "/dev/misc"

static int linux_usable(const char **why)
{
    *why = NULL;
    if (linux_available())
        return 0;
    *why = "the kernel DLM is not running (it needs the dlm module, "
           DEVICE_DIR "/dlm-control and dlm_controld)";
    return -ENOSYS;
}

static int linux_state_location(char *buf, size_t size)
{
    const char *where = "the kernel (lockspaces in " SYSFS_DLM ", devices in " DEVICE_DIR ")";

    return (size_t)snprintf(buf, size, "%s", where) < size ? 0 : -ENAMETOOLONG;
}

static int linux_each_lockspace(engine_ls_visit_fn *visit, void *arg)
{
    struct dirent *entry;
    DIR *listing;
    int rc = 0;

    if (!linux_available())
        return -ENOSYS;
    listing = opendir(SYSFS_DLM);
    if (listing == NULL)
        return errno == ENOENT ? 0 : -errno;
    while (rc == 0 && (entry = readdir(listing)) != NULL) {
        char device[sizeof DEVICE_DIR "/dlm_" + ENGINE_LSNAME_MAXLEN];
        struct stat st;

        /* A lockspace of the kernel's own users (a file system) has no
         * device: it is none of ours. */
        if (engine_lsname_ok(entry->d_name) && entry->d_name[0] != '.'
            && (size_t)snprintf(device, sizeof device, DEVICE_DIR "/dlm_%s", entry->d_name)
                   < sizeof device
            && stat(device, &st) == 0 && S_ISCHR(st.st_mode))
            rc = visit(entry->d_name, &st, arg);
    }
    closedir(listing);
    return rc;
}

/* A process with no locks is invisible to census (which counts the pids
 * of locks), so an ordinary open is a peek. */
static int linux_peek(const char *name, struct engine_ls **ls)
{
    struct engine_ls_spec spec = { .name = name };

    return linux_ls_open(&spec, ls);
}

static int linux_remove(const char *name)
{
    (void)name;
    return -ENOSYS;
}

const struct engine_admin engine_admin_linux = {
    .engine = &engine_linux,
    .usable = linux_usable,
    .state_location = linux_state_location,
    .each_lockspace = linux_each_lockspace,
    .peek = linux_peek,
    .unpeek = linux_ls_close,
    .snapshot = linux_snapshot,
    .snapshot_gaps = SNAPSHOT_NOT_ATOMIC | SNAPSHOT_NODE_LOCAL | SNAPSHOT_NO_LVB_STATE
                     | SNAPSHOT_NO_GROUPS,
    .remove = linux_remove,
};
