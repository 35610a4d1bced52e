#include "config.h"

#include "containers.h"

#include <errno.h>
#include <stdlib.h>

#include "picture.h"

/* The locks of group id in the namespace, or -1 when the view could not
 * look into it or cannot tell group locks. */
static long group_locks_in(const struct view *view, const struct ns_view *ns, dlm_glc_id_t id)
{
    unsigned int i;
    long n = 0;

    if (ns == NULL || ns->error != 0 || ns->picture_error != 0
        || (view->admin->snapshot != NULL && (view->admin->snapshot_gaps & SNAPSHOT_NO_GROUPS)))
        return -1;
    for (i = 0; i < ns->picture.nlocks; i++)
        n += ns->picture.locks[i].group == id;
    return n;
}

/* The namespaces and members of the container whose record c holds:
 * 0, -ENOENT when a namespace's record is missing, or -ENOMEM. */
static int read_container(const struct view *view, const struct engine_picture *registry,
                          struct container *c)
{
    dlm_glc_id_t id = c->record.id;
    struct resname name;
    unsigned int k;
    long at;

    for (k = 0; k < c->record.nns; k++) {
        struct container_ns *ns = &c->ns[k];
        struct glc_ns_record record;
        struct engine_ls_spec spec;

        glc_registry_name(&name, GLC_NAMESPACE, id, k);
        at = view_find_resource(registry, &name);
        if (at < 0 || glc_registry_ns_record(registry->resources[at].lvb, &record) != 0)
            return -ENOENT;
        ns->kind = (enum ns_kind)record.kind;
        ns->nsid = record.nsid;
        ns_lockspace_spec(ns->kind, ns->nsid, ns->name, &spec);
        ns->group_locks = group_locks_in(view, view_namespace(view, ns->kind, ns->nsid), id);
    }
    glc_registry_name(&name, GLC_MEMBER, id, 0);
    at = view_find_resource(registry, &name);
    if (at < 0)
        return 0;       /* none: a permanent container outlives its members */
    c->members = calloc(registry->nlocks + 1, sizeof *c->members);
    if (c->members == NULL)
        return -ENOMEM;
    c->nmembers = glc_registry_members(registry, (unsigned int)at, c->members,
                                       registry->nlocks);
    return 0;
}

static int by_id(const void *a, const void *b)
{
    const struct container *x = a, *y = b;

    return x->record.id < y->record.id ? -1 : x->record.id > y->record.id;
}

int containers_gather(const struct view *view, struct container_list *list)
{
    struct engine_picture registry;
    unsigned int i;
    int rc;

    *list = (struct container_list){ NULL, 0 };
    /* The registry is the embedded engine's, whatever the engine. */
    rc = view_lockspace_picture(engine_admin_of(&engine_embedded), GLC_REGISTRY_NAME,
                                &registry);
    if (rc == -ENOENT)
        return 0;       /* no container was ever made on this machine */
    if (rc != 0)
        return rc;
    list->at = calloc(registry.nresources + 1, sizeof *list->at);
    if (list->at == NULL)
        rc = -ENOMEM;
    for (i = 0; rc == 0 && i < registry.nresources; i++) {
        const struct engine_resource_info *res = &registry.resources[i];
        struct container *c = &list->at[list->count];

        if (glc_registry_kind_of(res->name, res->namelen) != GLC_RECORD
            || glc_registry_record(res->lvb, 0, &c->record) != 0)
            continue;
        rc = read_container(view, &registry, c);
        if (rc == 0)
            list->count++;
        else if (rc == -ENOENT)
            rc = 0;     /* still being made */
    }
    picture_free(&registry);
    if (rc != 0) {
        containers_free(list);
        return rc;
    }
    qsort(list->at, list->count, sizeof *list->at, by_id);
    return 0;
}

void containers_free(struct container_list *list)
{
    size_t i;

    for (i = 0; i < list->count; i++)
        free(list->at[i].members);
    free(list->at);
    *list = (struct container_list){ NULL, 0 };
}
