#include "config.h"

#include "domains.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "recovery.h"

static int looked_into(const struct ns_view *ns)
{
    return ns->error == 0 && ns->picture_error == 0;
}

/* The persistent resources of the view, or -ENOMEM. */
static int find_resources(const struct view *view, struct rd_list *list, size_t *count)
{
    size_t i, n = 0;
    unsigned int e;

    for (i = 0; i < view->count; i++)
        for (e = 0; looked_into(&view->ns[i]) && e < view->ns[i].nentries; e++)
            n += view->ns[i].entries[e].persistent;
    list->resources = calloc(n + 1, sizeof *list->resources);
    if (list->resources == NULL)
        return -ENOMEM;
    *count = 0;
    for (i = 0; i < view->count; i++) {
        const struct ns_view *ns = &view->ns[i];

        for (e = 0; looked_into(ns) && e < ns->nentries; e++) {
            struct rd_resource *r = &list->resources[*count];

            if (!ns->entries[e].persistent)
                continue;
            r->ns = ns;
            r->entry = &ns->entries[e];
            persist_mark_read(r->entry->info->lvb, &r->mark);
            ++*count;
        }
    }
    return 0;
}

/* By mark, then in the view's order (namespaces, then names): the
 * pointers are into the view's arrays, which are in that order. */
static int by_mark(const void *a, const void *b)
{
    const struct rd_resource *x = a, *y = b;
    int order = memcmp(x->mark.bytes, y->mark.bytes, sizeof x->mark.bytes);

    if (order != 0)
        return order;
    if (x->ns != y->ns)
        return x->ns < y->ns ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* The process that holds the domain's collector resource in ns, or 0. */
static pid_t collector_in(const struct ns_view *ns, const struct persist_mark *mark)
{
    struct resname name;
    unsigned int i;
    long at;

    recovery_collector_name(mark, &name);
    at = view_find_resource(&ns->picture, &name);
    for (i = 0; at >= 0 && i < ns->picture.nlocks; i++)
        if (ns->picture.locks[i].resource == (unsigned int)at
            && ns->picture.locks[i].queue == ENGINE_QUEUE_GRANTED)
            return ns->picture.locks[i].pid;
    return 0;
}

static int same_mark(const struct persist_mark *a, const struct persist_mark *b)
{
    return memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

int domains_gather(const struct view *view, struct rd_list *list)
{
    size_t n, nparts = 0, i;
    int rc;

    *list = (struct rd_list){ NULL, 0, NULL, NULL };
    rc = find_resources(view, list, &n);
    if (rc == 0) {
        list->parts = calloc(n + 1, sizeof *list->parts);
        list->at = calloc(n + 1, sizeof *list->at);
        if (list->parts == NULL || list->at == NULL)
            rc = -ENOMEM;
    }
    if (rc != 0) {
        domains_free(list);
        return rc;
    }
    qsort(list->resources, n, sizeof *list->resources, by_mark);
    /* Runs of one mark make a domain, runs of one namespace in it a
     * part. */
    for (i = 0; i < n; i++) {
        const struct rd_resource *r = &list->resources[i];
        struct rd_domain *domain = list->count > 0 ? &list->at[list->count - 1] : NULL;
        struct rd_part *part = nparts > 0 ? &list->parts[nparts - 1] : NULL;

        if (domain == NULL || !same_mark(&domain->mark, &r->mark)) {
            domain = &list->at[list->count++];
            domain->mark = r->mark;
            domain->parts = &list->parts[nparts];
            part = NULL;
        }
        if (part == NULL || part->ns != r->ns) {
            part = &list->parts[nparts++];
            part->ns = r->ns;
            part->collector = collector_in(r->ns, &r->mark);
            part->resources = r;
            domain->nparts++;
        }
        part->count++;
        domain->nresources++;
        domain->ninvalid += !r->entry->info->lvb_valid;
    }
    return 0;
}

void domains_free(struct rd_list *list)
{
    free(list->at);
    free(list->parts);
    free(list->resources);
    *list = (struct rd_list){ NULL, 0, NULL, NULL };
}
