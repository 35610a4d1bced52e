/*
 * Group lock containers: dlm_glc_create(), dlm_glc_attach(),
 * dlm_glc_detach(), dlm_glc_destroy(), and the group locks that their
 * members share (DLM_GROUP_LOCK).  See glc.h for where things are kept.
 *
 * The registry, a lockspace of the embedded engine shared by the whole
 * machine, holds for each container its facts as group locks of its
 * group, and its members' locks (glc_registry.h says how).  An owned
 * container's creator holds the owner lock in EX, for which every other
 * member queues a request: granted when the creator goes, it tells the
 * member to die (Tru64: "all processes attached to it are killed").
 *
 * A group lock's ID (lockrec.h) names the container's namespace by its
 * place in the container's list, the low bits of the container's ID, and
 * the engine's lock ID, so that every member reads it alike.
 */
#include "config.h"

#include "glc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glc_registry.h"
#include "listener.h"
#include "lockrec.h"
#include "notice.h"
#include "picture.h"
#include "recovery.h"
#include "request.h"
#include "result.h"
#include "syslock.h"

#define GLC_CREATE_FLAGS (DLM_GLC_OWNED | DLM_GLC_PERM)
#define GLC_DESTROY_FLAGS (DLM_GLC_LOCKS | DLM_GLC_FORCE)

/* What a group lock ID says (lockrec.h). */
#define LKID_NS_SHIFT   24
#define LKID_NS_MASK    0x0f000000u
#define LKID_GLC_MASK   0x00ffffffu

static struct namespace registry;       /* NS_FREE until first needed */

/* The process's attachment. */
static struct {
    dlm_glc_id_t id;            /* 0: none */
    struct glc_record record;
    struct namespace *ns[DLM_NSPROCMAX];    /* the container's, in its order */
    struct syslock member;
    struct syslock owner;       /* the creator's EX, or a member's watch */
    int watching;               /* owner is a member's request in flight */
    struct syslock records[1 + DLM_NSPROCMAX];  /* the creator's records */
} attached;

dlm_glc_id_t glc_attached(void)
{
    return attached.id;
}

int glc_uses(const struct namespace *ns)
{
    unsigned int i;

    for (i = 0; attached.id != 0 && i < attached.record.nns; i++)
        if (attached.ns[i] == ns)
            return 1;
    return 0;
}

/* --- the registry ------------------------------------------------------------------- */

static dlm_status_t open_registry(void)
{
    struct engine_ls_spec spec = { GLC_REGISTRY_NAME, geteuid(), getegid(), 0666, 1 };
    int rc;

    if (registry.state == NS_JOINED)
        return DLM_SUCCESS;
    registry = (struct namespace){ .ops = &engine_embedded };
    rc = registry.ops->ls_open(&spec, &registry.ls);
    if (rc != 0)
        return result_of_open(rc);
    if (listener_start(&registry) != 0) {
        registry.ops->ls_close(registry.ls);
        return DLM_INSFMEM;
    }
    registry.state = NS_JOINED;
    return DLM_SUCCESS;
}

/* The value block of the registry resource, or a negative engine error
 * (-ENOENT: none). */
static int read_value(const struct resname *name, char lvb[ENGINE_LVB_LEN])
{
    struct engine_picture picture;
    int rc = picture_take(&registry, name, &picture);

    if (rc == 0)
        memcpy(lvb, picture.resources[0].lvb, ENGINE_LVB_LEN);
    picture_free(&picture);
    return rc;
}

static int read_record(dlm_glc_id_t id, struct glc_record *record)
{
    char lvb[ENGINE_LVB_LEN];
    struct resname name;
    int rc;

    glc_registry_name(&name, GLC_RECORD, id, 0);
    rc = read_value(&name, lvb);
    return rc != 0 ? rc : glc_registry_record(lvb, id, record);
}

/* The joined namespace that the record k of container id names, or
 * NULL. */
static struct namespace *read_namespace(dlm_glc_id_t id, unsigned int k)
{
    struct glc_ns_record ns;
    char lvb[ENGINE_LVB_LEN];
    struct resname name;
    int i;

    glc_registry_name(&name, GLC_NAMESPACE, id, k);
    if (read_value(&name, lvb) != 0 || glc_registry_ns_record(lvb, &ns) != 0)
        return NULL;
    for (i = 0; i < DLM_NSPROCMAX; i++)
        if (process.ns[i].state == NS_JOINED && (uint32_t)process.ns[i].kind == ns.kind
            && process.ns[i].nsid == ns.nsid)
            return &process.ns[i];
    return NULL;
}

/* The live members' process IDs (the first MEMBERS_MAX of them), or a
 * negative engine error. */
#define MEMBERS_MAX 256
static int read_members(dlm_glc_id_t id, pid_t pids[MEMBERS_MAX])
{
    struct engine_picture picture;
    struct resname name;
    int rc;

    glc_registry_name(&name, GLC_MEMBER, id, 0);
    rc = picture_take(&registry, &name, &picture);
    if (rc == 0)
        rc = (int)glc_registry_members(&picture, 0, pids, MEMBERS_MAX);
    picture_free(&picture);
    return rc == -ENOENT ? 0 : rc;
}

/* Write a record: a new group lock in EX, its value written as it is
 * converted down to NL, where it stays for the container's life. */
static int write_record(struct syslock *lock, enum glc_registry_kind kind, dlm_glc_id_t id,
                        unsigned int k, const void *value, size_t len)
{
    struct resname name;
    int rc;

    glc_registry_name(&name, kind, id, k);
    rc = syslock_request(&registry, lock, ENGINE_MODE_EX, ENGINE_LKF_GROUP, &name);
    if (rc != 0)
        return syslock_granted(rc);
    memset(lock->lvb, 0, sizeof lock->lvb);
    memcpy(lock->lvb, value, len);
    rc = syslock_request(&registry, lock, ENGINE_MODE_NL,
                         ENGINE_LKF_CONVERT | ENGINE_LKF_VALBLK, NULL);
    return syslock_granted(rc);
}

/* The next container ID: one past the highest in use (0 is "none"). */
static dlm_glc_id_t next_id(void)
{
    struct engine_picture picture;
    dlm_glc_id_t highest = 0;
    unsigned int i;

    if (picture_take(&registry, NULL, &picture) != 0)
        return 0;
    for (i = 0; i < picture.nresources; i++) {
        const struct engine_resource_info *res = &picture.resources[i];
        struct glc_record record;

        if (glc_registry_kind_of(res->name, res->namelen) == GLC_RECORD
            && glc_registry_record(res->lvb, 0, &record) == 0 && record.id > highest)
            highest = record.id;
    }
    picture_free(&picture);
    return highest + 1;     /* 0 once they ran out */
}

/* --- attaching ------------------------------------------------------------------------ */

/* Told, as a member of an owned container, that its creator is gone. */
static void owner_gone(void *arg)
{
    const struct syslock *watch = arg;

    if (watch->lksb.status == 0)
        kill(getpid(), SIGKILL);
}

/* Leave the engine's groups of what the process joined of the
 * container. */
static void leave_groups(unsigned int nns)
{
    unsigned int i;

    for (i = 0; i < nns; i++)
        attached.ns[i]->ops->group_leave(attached.ns[i]->ls);
    registry.ops->group_leave(registry.ls);
}

static void release_membership(void)
{
    if (attached.watching)
        registry.ops->unlock(registry.ls, attached.owner.lksb.lkid, ENGINE_LKF_CANCEL,
                             &attached.owner.lksb, &attached.owner);
    else if (attached.owner.lksb.lkid != 0)
        syslock_release(&registry, &attached.owner, 0);
    if (attached.member.lksb.lkid != 0)
        syslock_release(&registry, &attached.member, 0);
    /* The records stay the group's (the engine forgets that this process
     * wrote them). */
    leave_groups(attached.record.nns);
    memset(&attached, 0, sizeof attached);
}

/* Join the groups of container id and become one of its members (the
 * creator: its owner too).  attached.record and attached.ns are set. */
static dlm_status_t join(dlm_glc_id_t id, int creator)
{
    int perm = (attached.record.flags & DLM_GLC_PERM) != 0;
    struct resname name;
    unsigned int i;
    int rc;

    /* The registry's group locks are taken over by no unlock. */
    rc = registry.ops->group_join(registry.ls, id, perm, NULL, NULL);
    for (i = 0; rc == 0 && i < attached.record.nns; i++) {
        rc = attached.ns[i]->ops->group_join(attached.ns[i]->ls, id, perm, request_ast,
                                             request_bast);
        if (rc != 0)
            leave_groups(i);
    }
    if (rc != 0) {
        if (i == 0)
            registry.ops->group_leave(registry.ls);
        return result_of_error(rc);
    }
    attached.id = id;
    glc_registry_name(&name, GLC_MEMBER, id, 0);
    rc = syslock_request(&registry, &attached.member, ENGINE_MODE_PR, 0, &name);
    if (rc == 0 && (attached.record.flags & DLM_GLC_OWNED)) {
        glc_registry_name(&name, GLC_OWNER, id, 0);
        if (creator) {
            rc = syslock_request(&registry, &attached.owner, ENGINE_MODE_EX, 0, &name);
        } else {
            attached.owner.lksb.lvb = attached.owner.lvb;
            rc = registry.ops->lock(registry.ls, ENGINE_MODE_PR, &attached.owner.lksb, 0,
                                    name.bytes, name.len, owner_gone, &attached.owner, NULL);
            /* Granted at once: the creator is gone, the container going. */
            rc = rc == ENGINE_DONE ? -ENOENT : rc;
            attached.watching = rc == 0;
        }
    }
    if (rc != 0) {
        release_membership();
        return rc > 0 ? DLM_UNEXPERR : rc == -ENOENT ? DLM_ENOENT : result_of_error(rc);
    }
    return DLM_SUCCESS;
}

/* Write the records of the new container id, as a member of its group. */
static int write_records(dlm_glc_id_t id)
{
    unsigned int k;
    int rc = write_record(&attached.records[0], GLC_RECORD, id, 0, &attached.record,
                          sizeof attached.record);

    for (k = 0; rc == 0 && k < attached.record.nns; k++) {
        struct glc_ns_record ns = { GLC_RECORD_MAGIC, attached.ns[k]->kind,
                                    attached.ns[k]->nsid };

        rc = write_record(&attached.records[1 + k], GLC_NAMESPACE, id, k, &ns, sizeof ns);
    }
    return rc;
}

static dlm_status_t create(dlm_glc_flags_t flags, const dlm_nsp_t *ns_listp, int ns_num,
                           dlm_glc_id_t *idp)
{
    struct syslock allocator = { 0 };
    struct resname name;
    dlm_glc_id_t id;
    dlm_status_t status;
    int i, rc;

    for (i = 0; i < ns_num; i++) {
        attached.ns[i] = process_namespace(ns_listp[i]);
        if (attached.ns[i] == NULL)
            return DLM_NOTATTACHED;
    }
    status = open_registry();
    if (status != DLM_SUCCESS)
        return status;
    attached.record = (struct glc_record){ GLC_RECORD_MAGIC, 0, flags, (uint32_t)getpid(),
                                           geteuid(), (uint32_t)ns_num };
    /* IDs are allocated one creator at a time. */
    glc_registry_name(&name, GLC_ALLOCATOR, 0, 0);
    rc = syslock_request(&registry, &allocator, ENGINE_MODE_EX, 0, &name);
    if (rc != 0)
        return result_of_error(syslock_granted(rc));
    id = attached.record.id = next_id();
    status = id == 0 ? DLM_INSFMEM : join(id, 1);
    if (status == DLM_SUCCESS && (rc = write_records(id)) != 0) {
        /* Half a container is none: its records go, permanent or not. */
        registry.ops->group_release(registry.ls, id);
        release_membership();
        status = result_of_error(rc);
    }
    syslock_release(&registry, &allocator, 0);
    if (status == DLM_SUCCESS)
        *idp = id;
    return status;
}

dlm_status_t dlm_glc_create(dlm_glc_id_t *idp, dlm_glc_flags_t flags,
                            dlm_nsp_t *ns_listp, int ns_num)
{
    dlm_status_t status;

    if (idp == NULL || ns_listp == NULL)
        return DLM_EFAULT;
    if ((flags & ~GLC_CREATE_FLAGS) || (flags & GLC_CREATE_FLAGS) == GLC_CREATE_FLAGS
        || ns_num < 1 || ns_num > DLM_NSPROCMAX)
        return DLM_BADPARAM;
    process_lock();
    if (attached.id != 0) {
        status = DLM_ATTACHED;
    } else {
        status = create(flags, ns_listp, ns_num, idp);
        if (status != DLM_SUCCESS)
            memset(&attached, 0, sizeof attached);
    }
    process_unlock();
    return status;
}

static dlm_status_t attach(dlm_glc_id_t id)
{
    dlm_status_t status = open_registry();
    unsigned int k;
    int rc;

    if (status != DLM_SUCCESS)
        return status;
    rc = read_record(id, &attached.record);
    if (rc != 0)
        return rc == -ENOENT ? DLM_ENOENT : result_of_error(rc);
    for (k = 0; k < attached.record.nns; k++) {
        attached.ns[k] = read_namespace(id, k);
        if (attached.ns[k] == NULL)
            return DLM_NOTATTACHED;
    }
    return join(id, 0);
}

dlm_status_t dlm_glc_attach(dlm_glc_id_t id, dlm_glc_flags_t flags)
{
    dlm_status_t status;

    if (flags != 0)
        return DLM_BADPARAM;
    if (id == 0)
        return DLM_ENOENT;
    process_lock();
    if (attached.id != 0) {
        status = DLM_ATTACHED;
    } else {
        status = attach(id);
        if (status != DLM_SUCCESS)
            memset(&attached, 0, sizeof attached);
    }
    process_unlock();
    return status;
}

/* --- detaching ----------------------------------------------------------------------- */

/* Tru64 dlm_glc_detach: the member's conversions of group locks are
 * cancelled (the locks regranted at their old modes) and its pending
 * notifications of them dropped; granted group locks go back to the
 * container; waiting group requests become the process's own locks. */
static void let_go_of_group_locks(void)
{
    struct lockrec *rec, *next;

    for (rec = lockrec_next(NULL); rec != NULL; rec = lockrec_next(rec))
        if (rec->group && rec->granted && rec->wait != REQUEST_NONE && rec->cancel == CANCEL_NONE)
            request_cancel(rec, CANCEL_BY_CALLER);
    notice_drop_group_notices();
    for (rec = lockrec_next(NULL); rec != NULL; rec = next) {
        next = lockrec_next(rec);
        if (!rec->group)
            continue;
        if (rec->wait == REQUEST_NONE)
            lockrec_free(rec);      /* the container's (or another member's) */
        else if (rec->done)
            rec->released = 1;      /* its cancelled conversion: its waiter frees it */
        else
            rec->group = 0;         /* a waiting request: the process's own now */
    }
}

dlm_status_t dlm_glc_detach(void)
{
    dlm_status_t status = DLM_SUCCESS;

    process_lock();
    if (attached.id == 0)
        status = DLM_NOTATTACHED;
    else if (recovery_group_attached())
        status = DLM_ATTACHED;      /* dlm_rd_detach() the group's domains first */
    if (status == DLM_SUCCESS) {
        let_go_of_group_locks();
        /* An owner's leaving ends its container: the others hear of it
         * and die, and the last takes the container along. */
        release_membership();
    }
    process_unlock();
    return status;
}

/* --- destroying ------------------------------------------------------------------------ */

/* May the caller destroy the container (Tru64: root, its creator, or a
 * process in one of its namespaces)?  Which of its namespaces it joined,
 * into ns (NULL for the others); how many. */
static unsigned int joined_namespaces(dlm_glc_id_t id, const struct glc_record *record,
                                      struct namespace **ns)
{
    unsigned int k, n = 0;

    for (k = 0; k < record->nns; k++) {
        ns[k] = read_namespace(id, k);
        n += ns[k] != NULL;
    }
    return n;
}

/* Does any of the namespaces hold a lock of group id? */
static int has_group_locks(dlm_glc_id_t id, struct namespace *const *ns, unsigned int nns)
{
    unsigned int k;

    for (k = 0; k < nns; k++)
        if (ns[k]->ops->group_locks(ns[k]->ls, id) != 0)
            return 1;       /* or cannot tell: as if it did */
    return 0;
}

/* DLM_GLC_FORCE: kill every member, or none when one cannot be. */
static dlm_status_t kill_members(const pid_t *pids, int n)
{
    int i;

    for (i = 0; i < n; i++)
        if (kill(pids[i], 0) != 0 && errno == EPERM)
            return DLM_KILLFAIL;
    for (i = 0; i < n; i++)
        kill(pids[i], SIGKILL);
    return DLM_SUCCESS;
}

static dlm_status_t destroy(dlm_glc_id_t id, dlm_glc_flags_t flags)
{
    struct namespace *ns[DLM_NSPROCMAX];
    pid_t pids[MEMBERS_MAX];
    struct glc_record record;
    unsigned int joined, k;
    dlm_status_t status = open_registry();
    int rc, members;

    if (status != DLM_SUCCESS)
        return status;
    rc = read_record(id, &record);
    if (rc != 0)
        return rc == -ENOENT ? DLM_ENOENT : result_of_error(rc);
    joined = joined_namespaces(id, &record, ns);
    if (geteuid() != 0 && geteuid() != record.creator_uid && joined == 0)
        return DLM_NOACCESS;
    members = read_members(id, pids);
    if (members < 0)
        return result_of_error(members);
    if (members > 0 && !(flags & DLM_GLC_FORCE))
        return DLM_HASPROCS;
    /* Its locks are released namespace by namespace: all must be joined. */
    if (joined != record.nns)
        return DLM_NOTATTACHED;
    if (!(flags & (DLM_GLC_LOCKS | DLM_GLC_FORCE)) && has_group_locks(id, ns, record.nns))
        return DLM_HASLOCKS;
    status = kill_members(pids, members);
    if (status != DLM_SUCCESS)
        return status;
    for (k = 0; k < record.nns; k++)
        ns[k]->ops->group_release(ns[k]->ls, id);
    registry.ops->group_release(registry.ls, id);
    return DLM_SUCCESS;
}

dlm_status_t dlm_glc_destroy(dlm_glc_id_t id, dlm_glc_flags_t flags)
{
    dlm_status_t status;

    if (flags & ~GLC_DESTROY_FLAGS)
        return DLM_BADPARAM;
    if (id == 0)
        return DLM_ENOENT;
    process_lock();
    /* Its own container a member leaves, rather than destroys. */
    status = attached.id == id ? DLM_ATTACHED : destroy(id, flags);
    process_unlock();
    return status;
}

/* --- group locks ------------------------------------------------------------------------ */

static unsigned int place_of(const struct namespace *ns)
{
    unsigned int k;

    for (k = 0; k < attached.record.nns; k++)
        if (attached.ns[k] == ns)
            return k;
    return 0;
}

void glc_name_lock(struct lockrec *rec)
{
    rec->lkid.seqn = LKID_GROUP_MARK | place_of(rec->ns) << LKID_NS_SHIFT
                     | (attached.id & LKID_GLC_MASK);
    rec->lkid.hndl = rec->lksb.lkid;
}

/* A record for the group lock that another member held, as the engine
 * describes it. */
static struct lockrec *adopt(struct namespace *ns, const dlm_lkid_t *lkid,
                             const struct engine_resource_info *res)
{
    struct lockrec *rec;

    /* Group locks are root locks: the engine name is n name. */
    if (res->namelen < 2 || res->name[0] != res->namelen - 1 || res->name[0] > DLM_RESNAMELEN)
        return NULL;
    rec = lockrec_new(ns);
    if (rec == NULL)
        return NULL;
    rec->group = 1;
    rec->lkid = *lkid;
    rec->lksb.lkid = lkid->hndl;
    memcpy(rec->resname.bytes, res->name, res->namelen);
    rec->resname.len = res->namelen;
    memcpy(rec->name, res->name + 1, res->name[0]);
    rec->namelen = res->name[0];
    return rec;
}

struct lockrec *glc_lockrec(const dlm_lkid_t *lkid)
{
    struct lockrec *rec = lockrec_find(lkid);
    unsigned int k = (lkid->seqn & LKID_NS_MASK) >> LKID_NS_SHIFT;
    struct engine_resource_info res;
    struct engine_lock_info info;
    struct namespace *ns;
    int rc;

    /* Only a group lock the process manipulates no more may have changed
     * hands; a request of its own in flight is its own. */
    if (attached.id == 0 || (rec != NULL && (!rec->group || rec->wait != REQUEST_NONE))
        || (lkid->seqn & LKID_GLC_MASK) != (attached.id & LKID_GLC_MASK)
        || k >= attached.record.nns)
        return rec;
    ns = attached.ns[k];
    rc = ns->ops->lock_query(ns->ls, lkid->hndl, &info, &res);
    if (rc != 0 || info.group != attached.id) {
        /* Released, by another member or with the container. */
        if (rec != NULL)
            lockrec_free(rec);
        return NULL;
    }
    if (rec == NULL && (rec = adopt(ns, lkid, &res)) == NULL)
        return NULL;
    rec->granted = info.grmode != ENGINE_MODE_IV;
    rec->grmode = rec->granted ? tru64_mode_of(info.grmode) : DLM_NOMODE;
    return rec;
}

int glc_in_flight_elsewhere(const struct lockrec *rec)
{
    struct engine_resource_info res;
    struct engine_lock_info info;

    return rec->group && rec->wait == REQUEST_NONE
           && rec->ns->ops->lock_query(rec->ns->ls, rec->lksb.lkid, &info, &res) == 0
           && info.queue != ENGINE_QUEUE_GRANTED;
}

void glc_forget_all(void)
{
    memset(&attached, 0, sizeof attached);
    if (registry.state != NS_FREE)
        registry.ops->ls_close(registry.ls);
    registry = (struct namespace){ .state = NS_FREE };
}
