/*
 * The Linux engine's lockspaces: availability of the kernel DLM, open and
 * close through libdlm.
 *
 * A lockspace is the kernel's, cluster-wide by name: each node joins it by
 * creating it (dlm_new_lockspace, CAP_SYS_ADMIN), and processes that may
 * not create open it (dlm_open_lockspace, permission on its device).
 * Closing a handle leaves the lockspace in place, as an embedded lockspace
 * stays in place: it goes when an administrator releases it
 * ("dlm_tool leave NAME"), every creation counted.  The locks of a process
 * go when its handle closes (or it dies), except ENGINE_LKF_PERSISTENT
 * ones, which the kernel keeps as orphans.
 *
 * With the DLM absent, libdlm fails with errno left 0, and without udev it
 * waits about ten seconds per call for /dev/misc to appear; so the engine
 * looks first and fails at once with -ENOSYS when the DLM is not running:
 * dlm-control not registered in /proc/misc, no /dev/misc/dlm-control
 * (libdlm opens nothing else: without udev, link /dev/misc to /dev), or
 * no dlm_controld (it sets up /sys/kernel/config/dlm/cluster; the kernel
 * also answers EUNATCH without it).  There is never a fall-back.
 *
 * dlm_new_lockspace blocks, uninterruptibly, while the cluster has no
 * quorum or waits for fencing: that is the kernel DLM's behaviour and the
 * engine does not hide it.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <libdlm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "group.h"
#include "linux.h"

#define CONTROL_DEVICE  "/dev/misc/dlm-control"
#define CLUSTER_CONFIG  "/sys/kernel/config/dlm/cluster"

/* A handle belongs to the process that opened it: a forked child shares
 * the device file with its parent, and with it the parent's locks. */
int linux_ls_usable(const struct linux_ls *ls)
{
    return ls != NULL && ls->opener == engine_fork_generation();
}

int linux_errno_result(int error)
{
    switch (error) {
    case 0:             /* libdlm: no DLM in this kernel */
    case EUNATCH:       /* kernel: no dlm_controld */
        return -ENOSYS;
    case EPERM:
    case EACCES:
        return -EACCES;
    case EINVAL:
    case ENOENT:
    case EBUSY:
    case ENOMEM:
    case EAGAIN:
        return -error;
    default:
        return -EIO;
    }
}

static int misc_registered(void)
{
    FILE *misc = fopen("/proc/misc", "re");
    char line[128];
    int found = 0;

    if (misc == NULL)
        return 0;
    while (!found && fgets(line, sizeof line, misc) != NULL) {
        char *name = strchr(line, ' ');

        found = name != NULL && strcmp(name + 1, "dlm-control\n") == 0;
    }
    fclose(misc);
    return found;
}

int linux_available(void)
{
    struct stat st;

    return misc_registered() && stat(CONTROL_DEVICE, &st) == 0 && S_ISCHR(st.st_mode)
           && stat(CLUSTER_CONFIG, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Join (creating where needed) or open the lockspace; 0 or -errno. */
static int attach(struct linux_ls *ls, const struct engine_ls_spec *spec)
{
    char device[sizeof "/dev/misc/dlm_" + ENGINE_LSNAME_MAXLEN];
    struct stat st;
    int created = 0;

    snprintf(device, sizeof device, "/dev/misc/dlm_%s", spec->name);
    errno = 0;
    if (stat(device, &st) == 0) {
        ls->handle = dlm_open_lockspace(spec->name);
    } else if (spec->create) {
        ls->handle = dlm_new_lockspace(spec->name, spec->mode & 0777, 0);
        created = 1;
    } else {
        return -ENOENT;
    }
    if (ls->handle == NULL)
        return linux_errno_result(errno);
    /* libdlm set the mode on the device; the owner is ours to set. */
    if (created && chown(device, spec->uid, spec->gid) != 0)
        return linux_errno_result(errno);
    ls->fd = dlm_ls_get_fd(ls->handle);
    if (ls->fd < 0)
        return -EIO;
    /* Only this engine reads the fd (libdlm's dispatch thread is never
     * started): reads that find nothing must not block. */
    if (fcntl(ls->fd, F_SETFL, fcntl(ls->fd, F_GETFL) | O_NONBLOCK) != 0)
        return -EIO;
    return 0;
}

int linux_ls_open(const struct engine_ls_spec *spec, struct engine_ls **lsp)
{
    struct linux_ls *ls;
    int rc;

    if (spec == NULL || lsp == NULL || !engine_lsname_ok(spec->name))
        return -EINVAL;
    if (!linux_available())
        return -ENOSYS;
    ls = calloc(1, sizeof *ls);
    if (ls == NULL)
        return -ENOMEM;
    ls->fd = -1;
    ls->backlog_tail = &ls->backlog;
    ls->opener = engine_fork_generation();
    strcpy(ls->name, spec->name);
    pthread_mutex_init(&ls->mutex, NULL);
    pthread_mutex_init(&ls->dispatch_mutex, NULL);
    ls->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    rc = ls->wake_fd < 0 ? -ENOMEM : attach(ls, spec);
    if (rc != 0) {
        linux_ls_close((struct engine_ls *)ls);
        return rc;
    }
    *lsp = (struct engine_ls *)ls;
    return 0;
}

void linux_ls_close(struct engine_ls *els)
{
    struct linux_ls *ls = linux_ls_of(els);

    if (ls == NULL)
        return;
    group_close(ls);
    /* Closing the device releases this process's locks in the kernel (the
     * persistent ones become orphans) and drops its queued callbacks. */
    if (ls->handle != NULL)
        dlm_close_lockspace(ls->handle);
    if (ls->wake_fd >= 0)
        close(ls->wake_fd);
    lock_table_free_all(ls);
    linux_backlog_free(ls);
    pthread_mutex_destroy(&ls->dispatch_mutex);
    pthread_mutex_destroy(&ls->mutex);
    free(ls);
}
