/*
 * Recovery domains: dlm_rd_attach(), dlm_rd_detach(), dlm_rd_collect(),
 * dlm_rd_validate().
 *
 * A domain is known by its name alone: its resources carry its mark
 * (persist.h) in whichever namespace they are.  A process attaches to
 * lock them (DLM_PERSIST with the handle) and to recover them.  When a
 * holder in PW or EX dies, the engine marks the value block invalid, and
 * the resource stays, held by its anchor.  Recovery (Tru64): collect the
 * domain's resources whose value blocks are invalid, repair what they
 * protect, validate the collection, which makes their value blocks valid
 * and zero; again while dlm_rd_validate() answers DLM_MORE_TO_RECOVER.
 *
 * Collection and invalidation find the domain's resources through its
 * index (domain_index.h), in every namespace the process has joined.
 *
 * One process collects a domain at a time: the collector holds, in each
 * namespace, an EX lock on the domain's collector resource until it
 * validates.  The lock dies with it, so "if the collecting process dies,
 * the resources become collectable again" (Tru64 dlm_rd_collect) with no
 * further ado.
 */
#include "config.h"

#include "recovery.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain_index.h"
#include "glc.h"
#include "lockrec.h"
#include "result.h"
#include "syslock.h"

#define COLLECTOR_KIND 'C'

struct entry {
    struct namespace *ns;
    struct resname name;
};

struct entries {
    struct entry *at;
    size_t count, room;
};

struct collection {
    dlm_rd_collection_hndl_t handle;
    struct syslock collector[DLM_NSPROCMAX];    /* by namespace slot */
    int collecting[DLM_NSPROCMAX];
    struct entries entries;
};

static struct domain domains[RD_PROCMAX];
static unsigned long collections_made;

struct domain *recovery_domain(dlm_rd_id_t rd_id)
{
    if (rd_id < 1 || rd_id > RD_PROCMAX || !domains[rd_id - 1].attached)
        return NULL;
    return &domains[rd_id - 1];
}

static dlm_rd_id_t handle_of(const struct domain *domain)
{
    return (dlm_rd_id_t)(domain - domains) + 1;
}

void recovery_forget_all(void)
{
    int i;

    for (i = 0; i < RD_PROCMAX; i++) {
        if (domains[i].collection != NULL)
            free(domains[i].collection->entries.at);
        free(domains[i].collection);
        domains[i] = (struct domain){ 0 };
    }
}

/* --- the domain's resources ------------------------------------------------------ */

static int add_entry(struct entries *list, struct namespace *ns, const struct resname *name)
{
    if (list->count == list->room) {
        size_t room = list->room != 0 ? 2 * list->room : 16;
        struct entry *grown = realloc(list->at, room * sizeof *grown);

        if (grown == NULL)
            return -ENOMEM;
        list->at = grown;
        list->room = room;
    }
    list->at[list->count++] = (struct entry){ ns, *name };
    return 0;
}

struct search {
    const struct domain *domain;
    struct namespace *ns;
    int only_invalid;
    struct entries *list;
};

/* A name the domain's index gives: listed if its resource carries the
 * domain's mark (and, only_invalid, its value block is invalid). */
static int consider(const struct resname *name, void *arg)
{
    const struct search *search = arg;
    char lvb[ENGINE_LVB_LEN];
    uint32_t sbflags = 0;
    int rc = syslock_peek(search->ns, name, lvb, &sbflags);

    if (rc != 0 || !persist_marked_by(lvb, &search->domain->mark))
        return rc;
    if (search->only_invalid && !(sbflags & ENGINE_SBF_VALNOTVALID))
        return 0;
    return add_entry(search->list, search->ns, name);
}

/* Add to list the resources of domain in ns (only_invalid: those whose
 * value block is invalid). */
static int find_resources(const struct domain *domain, struct namespace *ns, int only_invalid,
                          struct entries *list)
{
    struct search search = { domain, ns, only_invalid, list };

    return domain_index_scan(ns, &domain->mark, consider, &search);
}

static int find_everywhere(const struct domain *domain, int only_invalid,
                           struct entries *list)
{
    int i, rc = 0;

    for (i = 0; i < DLM_NSPROCMAX && rc == 0; i++)
        if (process.ns[i].state == NS_JOINED)
            rc = find_resources(domain, &process.ns[i], only_invalid, list);
    return rc;
}

/* Does this process hold the resource in a mode that an EX request would
 * wait for, or have a request for it in flight? */
static int held_here(const struct entry *entry)
{
    struct lockrec *rec;

    for (rec = lockrec_next(NULL); rec != NULL; rec = lockrec_next(rec))
        if (rec->ns == entry->ns && rec->resname.len == entry->name.len
            && memcmp(rec->resname.bytes, entry->name.bytes, entry->name.len) == 0
            && (rec->wait != REQUEST_NONE || rec->grmode != DLM_NLMODE))
            return 1;
    return 0;
}

/* Take the resource in EX and release it (engine flags: what the release
 * does to the value block).  valid_zero: write it valid and zero. */
static int rewrite_value(const struct entry *entry, int valid_zero)
{
    struct syslock lock = { 0 };
    int rc = syslock_request(entry->ns, &lock, ENGINE_MODE_EX,
                             valid_zero ? ENGINE_LKF_VALBLK : 0, &entry->name);

    if (rc != 0)
        return syslock_granted(rc);
    /* The mark, past what Tru64 callers see, stays. */
    memset(lock.lvb, 0, PERSIST_MARK_OFFSET);
    return syslock_release(entry->ns, &lock,
                           valid_zero ? ENGINE_LKF_VALBLK : ENGINE_LKF_IVVALBLK);
}

int recovery_group_attached(void)
{
    int i;

    for (i = 0; i < RD_PROCMAX; i++)
        if (domains[i].attached && domains[i].how == DLM_RD_GROUP)
            return 1;
    return 0;
}

/* --- attach and detach --------------------------------------------------------------- */

static struct domain *find_attached(const char *name, dlm_rd_flags_t how)
{
    int i;

    for (i = 0; i < RD_PROCMAX; i++)
        if (domains[i].attached && domains[i].how == how && strcmp(domains[i].name, name) == 0)
            return &domains[i];
    return NULL;
}

static struct domain *free_domain(void)
{
    int i;

    for (i = 0; i < RD_PROCMAX; i++)
        if (!domains[i].attached)
            return &domains[i];
    return NULL;
}

dlm_status_t dlm_rd_attach(char *name, dlm_rd_id_t *rd_id_p, dlm_rd_flags_t attach_flag)
{
    struct domain *domain;
    size_t len;
    dlm_status_t status = DLM_SUCCESS;

    if (name == NULL || rd_id_p == NULL)
        return DLM_EFAULT;
    if (attach_flag != DLM_RD_PROCESS && attach_flag != DLM_RD_GROUP)
        return DLM_BADPARAM;
    len = strnlen(name, DLM_RDNAMELEN + 1);
    if (len == 0)
        return DLM_BADPARAM;
    if (len > DLM_RDNAMELEN)
        return DLM_ENAMETOOLONG;
    process_lock();
    /* A group attachment acts for the caller's group lock container. */
    if (attach_flag == DLM_RD_GROUP && glc_attached() == 0) {
        status = DLM_NO_GROUP;
    } else if (find_attached(name, attach_flag) != NULL) {
        status = DLM_ATTACHED;
    } else if ((domain = free_domain()) == NULL) {
        status = DLM_TOOMANYRD;
    } else {
        *domain = (struct domain){ .attached = 1, .how = attach_flag };
        memcpy(domain->name, name, len);
        persist_mark_of(domain->name, &domain->mark);
        *rd_id_p = handle_of(domain);
    }
    process_unlock();
    return status;
}

/* Say in every namespace joined whether the domain is invalidated. */
static int mark_everywhere(const struct domain *domain, int invalid)
{
    int i, rc = 0;

    for (i = 0; i < DLM_NSPROCMAX && rc == 0; i++)
        if (process.ns[i].state == NS_JOINED)
            rc = domain_index_set_invalid(&process.ns[i], &domain->mark, invalid);
    return rc;
}

/* DLM_RD_INVALIDATE: every value block of the domain invalid, and those
 * of the resources made persistent in it until it is recovered. */
static dlm_status_t invalidate(const struct domain *domain)
{
    struct entries list = { NULL, 0, 0 };
    size_t i;
    int rc = mark_everywhere(domain, 1);

    if (rc == 0)
        rc = find_everywhere(domain, 0, &list);
    for (i = 0; rc == 0 && i < list.count; i++)
        rc = rewrite_value(&list.at[i], 0);
    free(list.at);
    return rc == 0 ? DLM_SUCCESS : result_of_error(rc);
}

dlm_status_t dlm_rd_detach(dlm_rd_id_t rd_id, dlm_rd_flags_t detach_flag)
{
    struct domain *domain;
    dlm_status_t status = DLM_SUCCESS;

    if (detach_flag != 0 && detach_flag != DLM_RD_INVALIDATE)
        return DLM_BADPARAM;
    process_lock();
    domain = recovery_domain(rd_id);
    if (domain == NULL)
        status = DLM_IVRDID;
    else if (domain->nlocks != 0)
        status = DLM_HASLOCKS;
    else if (domain->collection != NULL)
        status = DLM_EINPROGRESS;     /* validate the collection first */
    else if (detach_flag == DLM_RD_INVALIDATE)
        status = invalidate(domain);
    /* The invalidation waited: another thread may have used the domain. */
    if (status == DLM_SUCCESS && (domain->nlocks != 0 || domain->collection != NULL))
        status = DLM_HASLOCKS;
    if (status == DLM_SUCCESS)
        *domain = (struct domain){ 0 };
    process_unlock();
    return status;
}

/* --- collect and validate ------------------------------------------------------------- */

static void stop_collecting(struct collection *c)
{
    int i;

    for (i = 0; i < DLM_NSPROCMAX; i++) {
        if (!c->collecting[i])
            continue;
        syslock_release(&process.ns[i], &c->collector[i], 0);
        process.ns[i].nlocks--;
    }
    free(c->entries.at);
    free(c);
}

void recovery_collector_name(const struct persist_mark *mark, struct resname *name)
{
    resname_own(name, COLLECTOR_KIND, mark->bytes, sizeof mark->bytes);
}

/* Become the domain's collector in every namespace joined: 0, EAGAIN
 * when another process collects it, or a negative engine error. */
static int start_collecting(const struct domain *domain, struct collection *c)
{
    struct resname name;
    int i, rc = 0;

    recovery_collector_name(&domain->mark, &name);
    for (i = 0; i < DLM_NSPROCMAX && rc == 0; i++) {
        struct namespace *ns = &process.ns[i];

        if (ns->state != NS_JOINED)
            continue;
        rc = syslock_request(ns, &c->collector[i], ENGINE_MODE_EX, ENGINE_LKF_NOQUEUE, &name);
        if (rc == 0) {
            c->collecting[i] = 1;
            ns->nlocks++;       /* the namespace stays joined until validated */
        }
    }
    return rc;
}

dlm_status_t dlm_rd_collect(dlm_rd_id_t rd_id, dlm_rd_collection_hndl_t *hndl_p,
                            dlm_rd_flags_t collect_flag)
{
    struct domain *domain;
    struct collection *c = NULL;
    dlm_status_t status = DLM_SUCCESS;
    int rc;

    if (hndl_p == NULL)
        return DLM_EFAULT;
    if (collect_flag != 0)
        return DLM_BADPARAM;
    process_lock();
    domain = recovery_domain(rd_id);
    if (domain == NULL)
        status = DLM_IVRDID;
    else if (domain->collection != NULL)
        status = DLM_EALREADY;
    else if ((c = calloc(1, sizeof *c)) == NULL)
        status = DLM_INSFMEM;
    if (status != DLM_SUCCESS) {
        process_unlock();
        return status;
    }
    rc = start_collecting(domain, c);
    if (rc == 0)
        rc = find_everywhere(domain, 1, &c->entries);
    /* It waited: another thread may have collected meanwhile. */
    if (rc == 0 && (recovery_domain(rd_id) != domain || domain->collection != NULL))
        rc = -EALREADY;
    if (rc == 0) {
        c->handle = (dlm_rd_collection_hndl_t)++collections_made << 8 | (unsigned)rd_id;
        domain->collection = c;
        *hndl_p = c->handle;
    } else {
        stop_collecting(c);
        status = rc == ENGINE_EAGAIN ? DLM_EINPROGRESS
                 : rc == -EALREADY  ? DLM_EALREADY : result_of_error(syslock_granted(rc));
    }
    process_unlock();
    return status;
}

/* Make every collected value block valid and zero; 0 or an engine error. */
static int validate_entries(const struct entries *list)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < list->count; i++)
        if (held_here(&list->at[i]))
            return -EDEADLK;
    for (i = 0; rc == 0 && i < list->count; i++)
        rc = rewrite_value(&list->at[i], 1);
    return rc;
}

dlm_status_t dlm_rd_validate(dlm_rd_id_t rd_id, dlm_rd_collection_hndl_t *hndl_p,
                             dlm_rd_flags_t validate_flag)
{
    struct domain *domain;
    struct collection *c;
    struct entries left = { NULL, 0, 0 };
    dlm_status_t status = DLM_SUCCESS;
    int rc;

    if (hndl_p == NULL)
        return DLM_EFAULT;
    if (validate_flag != 0)
        return DLM_BADPARAM;
    process_lock();
    domain = recovery_domain(rd_id);
    c = domain != NULL ? domain->collection : NULL;
    if (domain == NULL)
        status = DLM_IVRDID;
    else if (c == NULL || c->handle != *hndl_p)
        status = DLM_IVHNDL;
    if (status != DLM_SUCCESS) {
        process_unlock();
        return status;
    }
    /* The collection stays the domain's while its value blocks are
     * rewritten, so that no other thread collects or validates it. */
    rc = validate_entries(&c->entries);
    if (rc == 0) {
        domain->collection = NULL;
        stop_collecting(c);
        /* Tru64: more resources may have lost their values since. */
        rc = find_everywhere(domain, 1, &left);
        if (rc == 0 && left.count != 0)
            status = DLM_MORE_TO_RECOVER;
        else if (rc == 0)
            rc = mark_everywhere(domain, 0);    /* recovered */
        free(left.at);
    }
    if (rc == -EDEADLK)
        status = DLM_HASLOCKS;      /* the caller holds one of them */
    else if (rc != 0)
        status = result_of_error(rc);
    process_unlock();
    return status;
}
