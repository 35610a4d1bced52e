/*
 * What the command shows, gathered from the configured engine: its
 * namespaces (the lockspaces named as src/nslockspace.h names them), their
 * totals and, when asked, their resources and locks.
 *
 * The command looks through the engine's peek handles (engine_admin.h),
 * so it is never counted among a lockspace's processes, and sees only the
 * namespaces the system lets its user open: the same as that user could
 * join.
 *
 * The library keeps locks and resources of its own beside the callers'
 * (resname.h, persist.h): the anchors of persistent resources, the guards
 * and collectors of recovery.  A view lists only the callers' (those are
 * what a user took), and tells which of their resources are persistent.
 */
#ifndef DLM_TRU64_TOOLS_VIEW_H
#define DLM_TRU64_TOOLS_VIEW_H

#include <stddef.h>
#include <sys/types.h>

#include "engine.h"
#include "engine_admin.h"
#include "nslockspace.h"
#include "resname.h"

/* A caller's resource of a picture with its callers' locks
 * (picture.locks[first_lock], nlocks of them, queue by queue); info is
 * picture.resources[resource]. */
struct resource_entry {
    const struct engine_resource_info *info;
    unsigned int resource;
    unsigned int first_lock;
    unsigned int nlocks;
    int persistent;             /* its value block carries a domain's mark */
};

struct ns_view {
    char name[NS_LSNAME_SIZE];
    enum ns_kind kind;
    dlm_nsid_t nsid;
    uid_t uid;                  /* of the lockspace's file or device */
    gid_t gid;
    mode_t mode;                /* permission bits */
    int error;                  /* 0, or why it could not be looked into */
    struct engine_census census;        /* when error is 0 */
    int picture_error;          /* 0, or why there is no picture */
    /* When asked for and both are 0: every resource, but only the
     * callers' locks and the locks of the library's own resources; the
     * engine's inspect picture, or its administration's snapshot with
     * the gaps view->admin->snapshot_gaps says. */
    struct engine_picture picture;
    struct resource_entry *entries;     /* the callers' resources, in name order */
    unsigned int nentries;
};

struct view {
    const struct engine_ops *engine;
    const struct engine_admin *admin;
    struct ns_view *ns;         /* sorted: system, users, groups, by ID */
    size_t count;
};

enum view_depth {
    VIEW_TOTALS,                /* census only */
    VIEW_LOCKS                  /* census and picture */
};

/* The configured engine, if it is usable here: 0, or a negative errno
 * with *why saying what is wrong (NULL if the errno says it). */
int view_open_engine(struct view *view, const char **why);

/* Gather the namespaces (only the one whose lockspace is named only, when
 * not NULL: -ENOENT if it does not exist): 0 or a negative errno.  Errors
 * of single namespaces are kept in them. */
int view_gather(struct view *view, const char *only, enum view_depth depth);

void view_free(struct view *view);

/* The namespace of that kind and ID in the view, or NULL. */
const struct ns_view *view_namespace(const struct view *view, enum ns_kind kind,
                                     dlm_nsid_t nsid);

/* The index of the resource of that engine name in picture, or -1. */
long view_find_resource(const struct engine_picture *picture, const struct resname *name);

/* A picture of every resource and lock of the lockspace called name,
 * looked into through admin: 0 or a negative errno (-ENOENT: there is no
 * such lockspace).  picture_free() frees it. */
int view_lockspace_picture(const struct engine_admin *admin, const char *name,
                           struct engine_picture *picture);

#endif
