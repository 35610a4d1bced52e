/*
 * Administration of the embedded engine (engine_admin.h).
 *
 * Removing a segment must never pull it from under a process that uses
 * it.  The remover holds the lockspace mutex while it looks: a process
 * attaches only under that mutex, so either it is attached already (and
 * the removal is refused), or it attaches later and finds the segment
 * marked retired, and then opens whatever is at the path by then
 * (engine.c).  The mark is logged like any change, so a remover that dies
 * before its commit leaves the segment as it was.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine_admin.h"
#include "proc.h"
#include "segment.h"
#include "tx.h"

static int embedded_usable(const char **why)
{
    char dir[SETTING_VALUE_MAX];
    struct stat st;
    int rc = setting_get(SETTING_EMBEDDED_DIR, dir);

    *why = NULL;
    if (rc != 0) {
        *why = rc == -ENAMETOOLONG ? "the lockspace directory setting is too long"
                                   : "the configuration file cannot be read";
        return rc;
    }
    /* An absent directory is made by the first process that joins. */
    if (stat(dir, &st) != 0)
        return errno == ENOENT ? 0 : -errno;
    if (!S_ISDIR(st.st_mode)) {
        *why = "the lockspace directory is not a directory";
        return -ENOTDIR;
    }
    return 0;
}

static int embedded_state_location(char *buf, size_t size)
{
    char dir[SETTING_VALUE_MAX];
    int rc = setting_get(SETTING_EMBEDDED_DIR, dir);

    if (rc != 0)
        return rc;
    return (size_t)snprintf(buf, size, "%s", dir) < size ? 0 : -ENAMETOOLONG;
}

static int embedded_each_lockspace(engine_ls_visit_fn *visit, void *arg)
{
    char dir[SETTING_VALUE_MAX];
    struct dirent *entry;
    DIR *listing;
    int rc = setting_get(SETTING_EMBEDDED_DIR, dir);

    if (rc != 0)
        return rc;
    listing = opendir(dir);
    if (listing == NULL)
        return errno == ENOENT ? 0 : -errno;
    while (rc == 0 && (entry = readdir(listing)) != NULL) {
        struct stat st;

        /* Segments being made have temporary names beginning with '.',
         * which no lockspace name does. */
        if (!engine_lsname_ok(entry->d_name) || entry->d_name[0] == '.')
            continue;
        if (fstatat(dirfd(listing), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0
            && S_ISREG(st.st_mode))
            rc = visit(entry->d_name, &st, arg);
    }
    closedir(listing);
    return rc;
}

static int embedded_peek(const char *name, struct engine_ls **ls)
{
    struct engine_ls_spec spec = { .name = name };

    return embedded_map(&spec, ls);
}

static unsigned int live_processes(struct engine_ls *ls)
{
    unsigned int live = 0;
    uint32_t slot;

    for (slot = 1; slot <= ls->max_procs; slot++)
        live += proc_at(ls, slot)->state == PROC_LIVE && !proc_is_dead(ls, slot);
    return live;
}

static int embedded_remove(const char *name)
{
    struct engine_ls_spec spec = { .name = name };
    char dir[SETTING_VALUE_MAX], path[PATH_MAX];
    struct engine_ls *ls;
    int rc = segment_path(name, dir, path), end;

    if (rc == 0)
        rc = embedded_map(&spec, &ls);
    if (rc != 0)
        return rc;
    rc = tx_begin(ls);
    if (rc != 0) {
        embedded_unmap(ls);
        return rc;
    }
    /* What the dead left goes first: their locks, and their persistent
     * locks become orphans, which an application may yet adopt. */
    proc_purge_dead(ls);
    if (live_processes(ls) != 0) {
        rc = -EBUSY;
    } else if (ls->hdr->nlocks != 0) {
        rc = -ENOTEMPTY;
    } else {
        tx_put(ls, &ls->hdr->retired, 1);
        if (unlink(path) != 0) {
            rc = -errno;
            tx_rollback(ls);
        }
    }
    end = tx_end(ls);
    embedded_unmap(ls);
    return rc != 0 ? rc : end;
}

const struct engine_admin engine_admin_embedded = {
    .engine = &engine_embedded,
    .usable = embedded_usable,
    .state_location = embedded_state_location,
    .each_lockspace = embedded_each_lockspace,
    .peek = embedded_peek,
    .unpeek = embedded_unmap,
    .snapshot = NULL,           /* inspect's picture is consistent */
    .remove = embedded_remove,
};
