/*
 * Namespaces: dlm_nsjoin(), dlm_nsleave(), dlm_detach().
 *
 * A namespace is an engine lockspace, named and owned as nslockspace.h
 * says, so the kernel itself refuses whoever it does not admit; the
 * checks here only give the refusal its Tru64 status before the engine is
 * asked.
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "deadlock.h"
#include "glc.h"
#include "listener.h"
#include "nslockspace.h"
#include "persist.h"
#include "process.h"
#include "result.h"

#define NSJOIN_FLAGS (DLM_USER | DLM_GROUP | DLM_JOIN_SAME_OK)

static int in_group(gid_t gid)
{
    int n = getgroups(0, NULL), i, member = getegid() == gid;
    gid_t *groups;

    if (member || n <= 0 || (groups = calloc((size_t)n, sizeof *groups)) == NULL)
        return member;
    n = getgroups(n, groups);
    for (i = 0; i < n && !member; i++)
        member = groups[i] == gid;
    free(groups);
    return member;
}

/* Which namespace the arguments name, and may the caller have it? */
static dlm_status_t classify(dlm_nsid_t nsid, dlm_flags_t flags, enum ns_kind *kind)
{
    int root = geteuid() == 0;

    if ((flags & ~NSJOIN_FLAGS) || ((flags & DLM_USER) && (flags & DLM_GROUP)))
        return DLM_BADPARAM;
    if (nsid == 0) {
        *kind = NS_SYSTEM;
        return root ? DLM_SUCCESS : DLM_NOACCESS;
    }
    if (flags & DLM_USER) {
        *kind = NS_USER;
        return root || nsid == geteuid() ? DLM_SUCCESS : DLM_NOACCESS;
    }
    if (flags & DLM_GROUP) {
        *kind = NS_GROUP;
        return root || in_group(nsid) ? DLM_SUCCESS : DLM_NOACCESS;
    }
    return DLM_BADPARAM;        /* a UID or GID, but which? */
}

static struct namespace *find_joined(enum ns_kind kind, dlm_nsid_t nsid)
{
    int i;

    for (i = 0; i < DLM_NSPROCMAX; i++) {
        struct namespace *ns = &process.ns[i];

        if (ns->state == NS_JOINED && ns->kind == kind && ns->nsid == nsid)
            return ns;
    }
    return NULL;
}

static struct namespace *free_slot(void)
{
    int i;

    for (i = 0; i < DLM_NSPROCMAX; i++)
        if (process.ns[i].state == NS_FREE)
            return &process.ns[i];
    return NULL;
}

static dlm_nsp_t handle_of(const struct namespace *ns)
{
    return (dlm_nsp_t)(ns - process.ns) + 1;
}

static dlm_status_t join(struct namespace *ns, enum ns_kind kind, dlm_nsid_t nsid)
{
    struct engine_ls_spec spec;
    char name[NS_LSNAME_SIZE];
    int rc;

    ns->ops = engine_configured(&rc);
    if (ns->ops == NULL)
        return result_of_open(rc);
    ns_lockspace_spec(kind, nsid, name, &spec);
    rc = ns->ops->ls_open(&spec, &ns->ls);
    if (rc != 0)
        return result_of_open(rc);
    ns->kind = kind;
    ns->nsid = nsid;
    ns->nlocks = 0;
    ns->ntimed = 0;
    ns->nqueued = 0;
    ns->searchable = deadlock_possible(ns);
    if (listener_start(ns) != 0) {
        ns->ops->ls_close(ns->ls);
        return DLM_INSFMEM;
    }
    ns->state = NS_JOINED;
    return DLM_SUCCESS;
}

dlm_status_t dlm_nsjoin(dlm_nsid_t nsid, dlm_nsp_t *nsp, dlm_flags_t flags)
{
    struct namespace *ns;
    enum ns_kind kind;
    dlm_status_t status = classify(nsid, flags, &kind);

    if (status != DLM_SUCCESS)
        return status;
    if (nsp == NULL)
        return DLM_EFAULT;
    process_lock();
    ns = find_joined(kind, nsid);
    if (ns != NULL) {
        /* Joined already: the same handle with DLM_JOIN_SAME_OK (Tru64
         * V5.1B), else DLM_ATTACHED and no handle. */
        status = (flags & DLM_JOIN_SAME_OK) ? DLM_SUCCESS : DLM_ATTACHED;
    } else if ((ns = free_slot()) == NULL) {
        status = DLM_TOOMANYNS;
    } else {
        status = join(ns, kind, nsid);
    }
    if (status == DLM_SUCCESS)
        *nsp = handle_of(ns);
    process_unlock();
    return status;
}

/* Leave ns, which has no locks: its listener ends, its lockspace closes. */
static void leave(struct namespace *ns)
{
    ns->state = NS_LEAVING;     /* nobody else may use or take the slot */
    process_unlock();
    listener_stop(ns);
    ns->ops->ls_close(ns->ls);
    process_lock();
    persist_forget_anchors(ns);
    *ns = (struct namespace){ .state = NS_FREE };
}

dlm_status_t dlm_nsleave(dlm_nsp_t *nsp, dlm_flags_t flags)
{
    struct namespace *ns;
    dlm_status_t status = DLM_SUCCESS;

    if (nsp == NULL)
        return DLM_EFAULT;
    if (flags != 0)
        return DLM_BADPARAM;
    process_lock();
    ns = process_namespace(*nsp);
    if (ns == NULL)
        status = DLM_NOTATTACHED;
    else if (glc_uses(ns))
        status = DLM_ATTACHEDGROUP;
    else if (ns->nlocks != 0)
        status = DLM_HASLOCKS;
    else
        leave(ns);
    process_unlock();
    return status;
}

dlm_status_t dlm_detach(void)
{
    dlm_status_t status = DLM_NOTATTACHED;
    int i;

    process_lock();
    for (i = 0; i < DLM_NSPROCMAX; i++) {
        if (process.ns[i].state != NS_JOINED)
            continue;
        if (glc_uses(&process.ns[i])) {
            status = DLM_ATTACHEDGROUP;
            break;
        }
        if (process.ns[i].nlocks != 0) {
            status = DLM_HASLOCKS;
            break;
        }
        status = DLM_SUCCESS;
    }
    if (status == DLM_SUCCESS)
        for (i = 0; i < DLM_NSPROCMAX; i++)
            if (process.ns[i].state == NS_JOINED)
                leave(&process.ns[i]);
    process_unlock();
    return status;
}
