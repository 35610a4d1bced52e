/*
 * The group lock containers of this machine, read from the library's
 * registry (src/glc_registry.h) and from the view of their namespaces.
 *
 * The registry is a lockspace of the embedded engine that every process
 * may open, so every container is listed, whoever may open its
 * namespaces; the group locks are counted in those the view could look
 * into.  A container whose records are not all written yet (its creator
 * is still making it) is not listed.
 */
#ifndef DLM_TRU64_TOOLS_CONTAINERS_H
#define DLM_TRU64_TOOLS_CONTAINERS_H

#include <stddef.h>

#include "glc_registry.h"
#include "view.h"

struct container_ns {
    enum ns_kind kind;
    dlm_nsid_t nsid;
    char name[NS_LSNAME_SIZE];  /* its lockspace's */
    long group_locks;           /* locks of the container's group; -1: not known */
};

struct container {
    struct glc_record record;   /* ID, flags, creator */
    struct container_ns ns[DLM_NSPROCMAX];      /* record.nns of them */
    pid_t *members;             /* the live members' process IDs */
    unsigned int nmembers;
};

struct container_list {
    struct container *at;       /* by ID */
    size_t count;
};

/* Read the containers, their group locks counted in view (gathered with
 * VIEW_LOCKS): 0 or a negative errno.  An engine without lock groups has
 * no containers. */
int containers_gather(const struct view *view, struct container_list *list);

void containers_free(struct container_list *list);

#endif
