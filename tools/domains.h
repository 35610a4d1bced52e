/*
 * The recovery domains whose persistent resources the view shows.
 *
 * A domain has no registry: the library knows it by its name alone, and
 * its resources carry its mark (src/persist.h), of which only a digest
 * of the name is left.  So a domain is listed by its mark, with its
 * resources in the namespaces the view could look into, and, in each,
 * the process collecting it there, if any (dlm_rd_collect until
 * dlm_rd_validate).
 */
#ifndef DLM_TRU64_TOOLS_DOMAINS_H
#define DLM_TRU64_TOOLS_DOMAINS_H

#include <stddef.h>

#include "persist.h"
#include "view.h"

struct rd_resource {
    const struct ns_view *ns;
    const struct resource_entry *entry;
    struct persist_mark mark;
};

/* A domain's resources in one namespace. */
struct rd_part {
    const struct ns_view *ns;
    pid_t collector;            /* 0: nobody collects the domain there */
    const struct rd_resource *resources;
    size_t count;
};

struct rd_domain {
    struct persist_mark mark;
    const struct rd_part *parts;        /* in the view's order of namespaces */
    size_t nparts;
    size_t nresources;
    size_t ninvalid;            /* resources whose value block is invalid */
};

struct rd_list {
    struct rd_domain *at;       /* by mark */
    size_t count;
    struct rd_part *parts;
    struct rd_resource *resources;
};

/* Find the domains in view (gathered with VIEW_LOCKS): 0 or -ENOMEM. */
int domains_gather(const struct view *view, struct rd_list *list);

void domains_free(struct rd_list *list);

#endif
