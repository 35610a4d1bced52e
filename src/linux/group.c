/*
 * The Linux engine's lock groups (group.h for where things are kept):
 * joining, leaving and releasing a group, and the request paths' side of
 * group locks (claiming one for a call, settling its entry).
 *
 * The rules are the contract's (engine.h) and the embedded engine's
 * (src/embedded/groups.c): one member manipulates a group lock at a
 * time, until it has heard of its request's end; a member's death leaves
 * the group's locks granted, and its request in flight is taken back by
 * the next member that asks for the lock; the last member takes a group's
 * locks along (the carrier closes), unless the group is permanent.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/dlm_device.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "futex.h"
#include "group.h"

static const void *const nobody = (const void *)(uintptr_t)GROUP_ROUTE_NOBODY;

/* --- this process's groups, closed in a forked child ---------------------------- */

static pthread_mutex_t groups_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct linux_group *groups[64];
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* A forked child is no member: were it to keep the carrier or the table
 * open, a group would outlive its members, or a dead member seem alive. */
static void close_in_child(void)
{
    unsigned int i;

    for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        struct linux_group *g = groups[i];

        if (g == NULL)
            continue;
        close(g->carrier_fd);
        close(g->door_fd);
        close(g->table_fd);
        g->carrier_fd = g->door_fd = g->table_fd = -1;
    }
}

static void register_atfork(void)
{
    pthread_atfork(NULL, NULL, close_in_child);
}

static int remember(struct linux_group *g)
{
    unsigned int i;
    int rc = -ENOMEM;

    pthread_once(&atfork_once, register_atfork);
    pthread_mutex_lock(&groups_mutex);
    for (i = 0; i < sizeof groups / sizeof groups[0] && rc != 0; i++)
        if (groups[i] == NULL) {
            groups[i] = g;
            rc = 0;
        }
    pthread_mutex_unlock(&groups_mutex);
    return rc;
}

static void forget(struct linux_group *g)
{
    unsigned int i;

    pthread_mutex_lock(&groups_mutex);
    for (i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (groups[i] == g)
            groups[i] = NULL;
    pthread_mutex_unlock(&groups_mutex);
}

static struct linux_group *group_new(struct linux_ls *ls, uint32_t id, int permanent)
{
    struct linux_group *g = calloc(1, sizeof *g);

    if (g == NULL)
        return NULL;
    g->ls = ls;
    g->pid = getpid();
    g->id = id;
    g->permanent = permanent != 0;
    strcpy(g->name, ls->name);
    g->table_fd = g->carrier_fd = g->door_fd = g->stop_fd = -1;
    return g;
}

static void group_free(struct linux_group *g)
{
    forget(g);
    if (g->carrier_fd >= 0)
        close(g->carrier_fd);
    if (g->door_fd >= 0)
        close(g->door_fd);
    if (g->stop_fd >= 0)
        close(g->stop_fd);
    group_table_close(g);
    free(g);
}

/* --- the request paths ---------------------------------------------------------- */

int group_fd(const struct linux_ls *ls, const struct linux_lock *lock)
{
    return lock->route != 0 ? ls->group->carrier_fd : ls->fd;
}

uint32_t group_flags(const struct linux_ls *ls, const struct linux_lock *lock)
{
    return lock->route != 0 && ls->group->permanent ? ENGINE_LKF_PERSISTENT : 0;
}

static int send_on(int fd, const struct group_entry *entry, int unlock, int mode,
                   uint32_t flags, const void *param)
{
    struct device_request rq = {
        .unlock = unlock, .mode = mode, .flags = flags, .lkid = unlock ? entry->lkid : 0,
        .name = unlock ? NULL : entry->name, .namelen = unlock ? 0 : entry->namelen,
        .lvb = entry->state.lvb, .param = param,
    };

    return (int)device_send(fd, &rq);
}

/* Adopt the orphan an entry names onto fd; its ID, or -errno. */
static int adopt(int fd, const struct group_entry *entry)
{
    return send_on(fd, entry, 0, entry->state.grmode, ENGINE_LKF_ORPHAN | ENGINE_LKF_PERSISTENT,
                   nobody);
}

int group_new_begin(struct linux_ls *ls, struct linux_lock *mirror, struct group_entry **entry)
{
    struct linux_group *g = ls->group;

    group_table_lock(g);
    *entry = group_entry_new(g);
    if (*entry == NULL) {
        group_table_unlock(g);
        return -ENOMEM;
    }
    mirror->route = g->route;
    return 0;
}

void group_new_end(struct linux_ls *ls, struct linux_lock *mirror, struct group_entry *entry,
                   const void *name, unsigned int namelen, int rc)
{
    struct linux_group *g = ls->group;

    /* The table stayed locked: the entry is still free. */
    if (rc == 0) {
        group_entry_use(g, entry, mirror->lkid);
        entry->namelen = namelen;
        memcpy(entry->name, name, namelen);
        entry->state = mirror->st;
        entry->route = g->route;
        entry->unheard = 1;
    }
    group_table_unlock(g);
}

/* A request in flight whose member died: cancel it, as the embedded
 * engine does when it purges a dead process (a new request goes, a
 * conversion reverts), and let the carrier's reader settle it. */
static void take_back_from_dead(struct linux_group *g, struct group_entry *entry)
{
    if (entry->state.pending == PENDING_REQUEST
        && send_on(g->carrier_fd, entry, 1, 0, ENGINE_LKF_CANCEL, nobody) == 0)
        entry->state.pending = PENDING_CANCEL;
    entry->route = 0;
}

/* Claim the entry of lkid, as group_lock_claim, or answer -EINPROGRESS
 * when a request of a dead member's is on its way out (the table
 * unlocked, *settled what the table's count of completions was). */
static int claim_once(struct linux_ls *ls, uint32_t lkid, struct linux_lock **mirror,
                      uint32_t *settled)
{
    struct linux_group *g = ls->group;
    struct linux_lock *m = lock_table_find(ls, lkid);
    struct group_entry *entry;

    group_table_lock(g);
    *settled = g->table->settled;
    entry = group_entry_find(g, lkid);
    if (entry == NULL) {
        /* Released meanwhile, by another member or with the group. */
        if (m != NULL) {
            lock_table_remove(ls, m);
            free(m);
        }
        group_table_unlock(g);
        return -ENOENT;
    }
    if (entry->route != g->route && entry->state.pending != PENDING_NONE
        && (entry->route == 0 || !group_route_live(g, entry->route))) {
        take_back_from_dead(g, entry);
        group_table_unlock(g);
        return -EINPROGRESS;
    }
    if (entry->route != g->route && entry->route != 0
        && (entry->state.pending != PENDING_NONE || entry->unheard)) {
        group_table_unlock(g);
        return -EBUSY;      /* a live member's turn */
    }
    if (m == NULL) {
        m = calloc(1, sizeof *m);
        if (m == NULL) {
            group_table_unlock(g);
            return -ENOMEM;
        }
        m->lkid = lkid;
        m->route = g->route;
        m->ast = g->ast;
        m->bast = g->bast;
        lock_table_insert(ls, m);
    }
    m->st = entry->state;
    *mirror = m;
    return 0;
}

/* How long a dead member's request may take to end. */
#define TAKE_BACK_PATIENCE_MS 2000

int group_lock_claim(struct linux_ls *ls, uint32_t lkid, struct linux_lock **mirror)
{
    long long deadline = linux_now_ms() + TAKE_BACK_PATIENCE_MS;
    struct linux_group *g = ls->group;
    uint32_t settled;
    int rc;

    while ((rc = claim_once(ls, lkid, mirror, &settled)) == -EINPROGRESS) {
        uint32_t *word = &g->table->settled;
        long long left = deadline - linux_now_ms();

        if (left <= 0)
            return -EBUSY;
        /* The cancel's completion is settled by whichever member reads
         * it, perhaps this process's carrier thread. */
        pthread_mutex_unlock(&ls->mutex);
        futex_wait_any(&word, &settled, 1, (int)left);
        pthread_mutex_lock(&ls->mutex);
        if (ls->group != g)
            return -ENOENT;     /* another thread left the group meanwhile */
    }
    return rc;
}

void group_lock_claim_end(struct linux_ls *ls, struct linux_lock *mirror, int rc)
{
    struct linux_group *g = ls->group;
    struct group_entry *entry = group_entry_find(g, mirror->lkid);

    if (rc == 0 && entry != NULL) {
        entry->state = mirror->st;
        entry->route = g->route;
        entry->unheard = 1;
    }
    group_table_unlock(g);
}

void group_heard(struct linux_ls *ls, const struct linux_lock *mirror)
{
    struct linux_group *g = ls->group;
    struct group_entry *entry;

    if (g == NULL)
        return;
    group_table_lock(g);
    entry = group_entry_find(g, mirror->lkid);
    if (entry != NULL && entry->route == mirror->route)
        entry->unheard = 0;
    group_table_unlock(g);
}

void group_settle(struct linux_group *g, const void *buffer, size_t length)
{
    const struct dlm_lock_result *result = buffer;
    struct group_entry *entry = group_entry_find(g, result->lksb.sb_lkid);
    uint32_t sbflags = (unsigned char)result->lksb.sb_flags;

    if (entry == NULL)
        return;
    /* Members waiting for a dead member's request to end look again. */
    __atomic_add_fetch(&g->table->settled, 1, __ATOMIC_SEQ_CST);
    futex_wake_all(&g->table->settled);
    if (lock_state_settle(&entry->state, result->lksb.sb_status, &sbflags,
                          linux_result_lvb(buffer, length)) == SETTLED_END) {
        group_entry_free(g, entry);
        return;
    }
    /* A request its member took back (group_leave) that was granted
     * before the cancel reached it: nobody's, so it goes. */
    if (entry->discard && entry->state.pending == PENDING_NONE
        && send_on(g->carrier_fd, entry, 1, 0, ENGINE_LKF_FORCEUNLOCK, nobody) == 0)
        entry->state.pending = PENDING_UNLOCK;
}

/* --- joining ------------------------------------------------------------------------ */

/* Every entry's lock went with the carrier, or, if the group was
 * permanent, was orphaned by it: adopt these onto the new carrier,
 * forget the others (the table locked). */
static void adopt_orphans(struct linux_group *g, int permanent)
{
    unsigned char adopted[GROUP_LOCKS_MAX];
    struct group_entry *entry = NULL, *next;

    memset(adopted, 0, sizeof adopted);
    while (permanent && (entry = group_entry_next(g, entry)) != NULL) {
        int lkid;

        /* The kernel hands out any orphan of that name and mode. */
        while (!adopted[entry - g->table->entries] && entry->state.grmode != ENGINE_MODE_IV
               && (lkid = adopt(g->carrier_fd, entry)) > 0) {
            struct group_entry *got = group_entry_find(g, (uint32_t)lkid);

            if (got == NULL && (got = group_entry_new(g)) != NULL) {
                *got = *entry;      /* somebody else's orphan: the group's now */
                group_entry_use(g, got, (uint32_t)lkid);
            }
            if (got != NULL)
                adopted[got - g->table->entries] = 1;
        }
    }
    for (entry = group_entry_next(g, NULL); entry != NULL; entry = next) {
        next = group_entry_next(g, entry);
        if (!adopted[entry - g->table->entries]) {
            group_entry_free(g, entry);
            continue;
        }
        entry->state.pending = PENDING_NONE;
        entry->state.rqmode = ENGINE_MODE_IV;
        entry->route = 0;
        entry->unheard = 0;
        entry->discard = 0;
    }
}

/* No member lives: this one opens the group's carrier.  The table may be
 * of an earlier group of that ID, permanent or not. */
static int first_carrier(struct linux_group *g)
{
    char device[PATH_MAX];
    int was_permanent;

    group_table_lock(g);
    was_permanent = g->table->permanent != 0;
    group_table_unlock(g);
    /* A member that died may not have closed its carrier yet, nor the
     * kernel orphaned what it held. */
    if (was_permanent)
        group_table_await_exits(g);
    group_device_path(g, device, sizeof device);
    g->carrier_fd = open(device, O_RDWR | O_CLOEXEC);
    if (g->carrier_fd < 0)
        return linux_errno_result(errno);
    group_table_lock(g);
    adopt_orphans(g, was_permanent);
    g->table->permanent = (uint32_t)g->permanent;
    group_table_unlock(g);
    return 0;
}

/* May this handle make a call about group id?  0, -ESRCH or -EINVAL. */
static int group_call_ok(const struct linux_ls *ls, uint32_t id)
{
    if (!linux_ls_usable(ls))
        return -ESRCH;
    return id != 0 ? 0 : -EINVAL;
}

int linux_group_join(struct engine_ls *els, uint32_t id, int permanent,
                     engine_ast_fn *ast, engine_bast_fn *bast)
{
    struct linux_ls *ls = linux_ls_of(els);
    struct linux_group *g;
    int rc = group_call_ok(ls, id);

    if (rc != 0)
        return rc;
    if (ls->group != NULL)
        return ls->group->id == id ? 0 : -EBUSY;
    g = group_new(ls, id, permanent);
    if (g == NULL)
        return -ENOMEM;
    g->ast = ast;
    g->bast = bast;
    rc = remember(g);
    if (rc == 0)
        rc = group_table_open(g, 1);
    if (rc != 0) {
        group_free(g);
        return rc;
    }
    group_join_lock(g);
    group_table_lock(g);
    rc = group_table_take_slot(g);
    group_table_unlock(g);
    if (rc == 0)
        rc = group_door_open(g);
    if (rc == 0 && (rc = group_carrier_fetch(g)) == -ENOENT)
        rc = first_carrier(g);
    if (rc == 0) {
        pthread_mutex_lock(&ls->mutex);
        ls->group = g;
        pthread_mutex_unlock(&ls->mutex);
        rc = group_carrier_start(g);
    }
    if (rc != 0) {
        pthread_mutex_lock(&ls->mutex);
        ls->group = NULL;
        pthread_mutex_unlock(&ls->mutex);
        group_carrier_stop(g);
        group_table_lock(g);
        group_table_free_slot(g);
        group_table_unlock(g);
    }
    group_join_unlock(g);
    if (rc != 0)
        group_free(g);
    return rc;
}

/* --- leaving --------------------------------------------------------------------- */

/* Drop this process's mirrors of group locks (ls->mutex held). */
static void drop_mirrors(struct linux_ls *ls)
{
    unsigned int i;

    for (i = 0; i < LINUX_LOCK_BUCKETS; i++) {
        struct linux_lock *lock, *next;

        for (lock = ls->buckets[i]; lock != NULL; lock = next) {
            next = lock->next;
            if (lock->route != 0) {
                lock_table_remove(ls, lock);
                free(lock);
            }
        }
    }
}

/* A waiting group request of the leaving member becomes its own lock
 * (Tru64 dlm_glc_detach): asked for anew on its own device, behind those
 * queued meanwhile, and the group's cancelled. */
static void take_back_waiting(struct linux_ls *ls, struct linux_group *g,
                              struct group_entry *entry)
{
    struct linux_lock *mirror = lock_table_find(ls, entry->lkid);
    struct linux_lock *own = mirror != NULL ? calloc(1, sizeof *own) : NULL;

    if (send_on(g->carrier_fd, entry, 1, 0, ENGINE_LKF_CANCEL, nobody) == 0)
        entry->state.pending = PENDING_CANCEL;
    entry->discard = 1;
    entry->route = 0;
    if (own == NULL)
        return;
    own->lksb = mirror->lksb;
    own->ast = mirror->ast;
    own->bast = mirror->bast;
    own->astarg = mirror->astarg;
    own->st = entry->state;
    own->st.grmode = ENGINE_MODE_IV;
    own->st.pending = PENDING_REQUEST;
    if (linux_send_request(ls, own, entry->state.rqmode,
                           (entry->state.flags & ~ENGINE_LKF_GROUP) | ENGINE_LKF_VALBLK,
                           entry->name, entry->namelen) != 0) {
        free(own);
        return;
    }
    own->lksb->lkid = own->lkid;
    lock_table_insert(ls, own);
    lock_table_sync(ls, own);
}

/* Leave the group (its table locked, ls->mutex held); then close it. */
static void depart(struct linux_ls *ls, struct linux_group *g)
{
    int last = !group_others_live(g);

    drop_mirrors(ls);
    group_table_free_slot(g);
    /* The last member's carrier takes their locks along as it closes. */
    if (last && !g->permanent) {
        struct group_entry *entry, *next;

        for (entry = group_entry_next(g, NULL); entry != NULL; entry = next) {
            next = group_entry_next(g, entry);
            group_entry_free(g, entry);
        }
    }
    group_table_unlock(g);
    ls->group = NULL;
    pthread_mutex_unlock(&ls->mutex);
    group_carrier_stop(g);
    group_join_unlock(g);
    group_free(g);
}

int linux_group_leave(struct engine_ls *els)
{
    struct linux_ls *ls = linux_ls_of(els);
    struct linux_group *g;
    struct group_entry *entry = NULL;

    if (!linux_ls_usable(ls))
        return -ESRCH;
    g = ls->group;
    if (g == NULL)
        return -ENOENT;
    group_join_lock(g);
    pthread_mutex_lock(&ls->mutex);
    group_table_lock(g);
    /* The caller cancels its conversions first. */
    while ((entry = group_entry_next(g, entry)) != NULL) {
        if (entry->route == g->route && entry->state.pending == PENDING_REQUEST
            && entry->state.grmode != ENGINE_MODE_IV) {
            group_table_unlock(g);
            pthread_mutex_unlock(&ls->mutex);
            group_join_unlock(g);
            return -EBUSY;
        }
    }
    while ((entry = group_entry_next(g, entry)) != NULL) {
        if (entry->route != g->route)
            continue;
        if (entry->state.pending == PENDING_REQUEST)
            take_back_waiting(ls, g, entry);
        entry->route = 0;
        entry->unheard = 0;
    }
    depart(ls, g);
    return 0;
}

void group_close(struct linux_ls *ls)
{
    struct linux_group *g = ls->group;

    if (g == NULL)
        return;
    if (g->pid != getpid()) {
        /* The child of a fork (whose fork handlers may run before the
         * engine's generation counts the fork): no member, its copies of
         * the group's descriptors close, and nothing shared changes. */
        ls->group = NULL;
        g->thread_started = 0;      /* the parent's */
        group_free(g);
        return;
    }
    group_join_lock(g);
    pthread_mutex_lock(&ls->mutex);
    group_table_lock(g);
    depart(ls, g);
}

/* --- releasing, and looking ------------------------------------------------------ */

/* The group id of lockspace ls, open for a process that need not be a
 * member: the caller's own, or its table with the carrier fetched from a
 * member (carrier_fd stays -1 when none lives).  NULL with *rc set (0:
 * the group has no table, so no locks). */
static struct linux_group *group_from_outside(struct linux_ls *ls, uint32_t id, int *rc)
{
    struct linux_group *g;

    if (ls->group != NULL && ls->group->id == id) {
        *rc = 0;
        return ls->group;
    }
    g = group_new(ls, id, 0);
    if (g == NULL) {
        *rc = -ENOMEM;
        return NULL;
    }
    *rc = group_table_open(g, 0);
    if (*rc == 0) {
        group_join_lock(g);
        /* Releasers are one at a time too: the door's name is theirs. */
        *rc = group_door_open(g);
        if (*rc == 0)
            *rc = group_carrier_fetch(g);
        if (*rc == -ENOENT || *rc == -EAGAIN) {
            /* Its members are gone or going (killed by dlm_glc_destroy):
             * once they have, a permanent group's locks are orphans. */
            group_table_await_exits(g);
            *rc = 0;
        }
        if (*rc == 0)
            return g;
        group_join_unlock(g);
    }
    group_free(g);
    if (*rc == -ENOENT)
        *rc = 0;
    return NULL;
}

static void group_from_outside_end(struct linux_ls *ls, struct linux_group *g)
{
    if (g != ls->group) {
        group_join_unlock(g);
        group_free(g);
    }
}

/* Release every lock of the group's table (locked); 0. */
static int release_entries(struct linux_ls *ls, struct linux_group *g)
{
    struct group_entry *entry, *next;

    for (entry = group_entry_next(g, NULL); entry != NULL; entry = next) {
        next = group_entry_next(g, entry);
        if (g->carrier_fd >= 0) {
            /* Through the carrier, which cannot close meanwhile. */
            send_on(g->carrier_fd, entry, 1, 0, ENGINE_LKF_FORCEUNLOCK, nobody);
        } else if (g->table->permanent && entry->state.grmode != ENGINE_MODE_IV) {
            /* An orphan: the kernel releases one only from an owner. */
            int lkid = adopt(ls->fd, entry);

            if (lkid > 0) {
                struct group_entry adopted = *entry;

                adopted.lkid = (uint32_t)lkid;
                send_on(ls->fd, &adopted, 1, 0, ENGINE_LKF_FORCEUNLOCK, nobody);
            }
        }
        group_entry_free(g, entry);
    }
    return 0;
}

/* How many locks the group's table (locked) has. */
static int count_entries(struct linux_ls *ls, struct linux_group *g)
{
    struct group_entry *entry = NULL;
    int n = 0;

    (void)ls;
    /* With no member left, only a permanent group's orphans remain. */
    if (g->carrier_fd >= 0 || g->table->permanent)
        while ((entry = group_entry_next(g, entry)) != NULL)
            n++;
    return n;
}

/* What visit answers of the table of group id, locked, for a caller
 * that need not be a member; 0 when the group has no table. */
static int on_group_table(struct engine_ls *els, uint32_t id,
                          int (*visit)(struct linux_ls *ls, struct linux_group *g))
{
    struct linux_ls *ls = linux_ls_of(els);
    struct linux_group *g;
    int rc = group_call_ok(ls, id);

    if (rc != 0)
        return rc;
    g = group_from_outside(ls, id, &rc);
    if (g == NULL)
        return rc;
    pthread_mutex_lock(&ls->mutex);
    group_table_lock(g);
    rc = visit(ls, g);
    group_table_unlock(g);
    pthread_mutex_unlock(&ls->mutex);
    group_from_outside_end(ls, g);
    return rc;
}

int linux_group_release(struct engine_ls *ls, uint32_t id)
{
    return on_group_table(ls, id, release_entries);
}

int linux_group_locks(struct engine_ls *ls, uint32_t id)
{
    return on_group_table(ls, id, count_entries);
}

int linux_lock_query(struct engine_ls *els, uint32_t lkid, struct engine_lock_info *lock,
                     struct engine_resource_info *resource)
{
    struct linux_ls *ls = linux_ls_of(els);
    const struct group_entry *entry;
    struct linux_group *g;
    int rc = -ENOENT;

    if (lock == NULL || resource == NULL)
        return -EINVAL;
    if (!linux_ls_usable(ls))
        return -ESRCH;
    pthread_mutex_lock(&ls->mutex);
    g = ls->group;
    if (g != NULL) {
        group_table_lock(g);
        entry = group_entry_find(g, lkid);
        if (entry != NULL) {
            const struct lock_state *st = &entry->state;
            int live = entry->route != 0 && group_route_live(g, entry->route);

            memset(lock, 0, sizeof *lock);
            memset(resource, 0, sizeof *resource);
            lock->lkid = lkid;
            lock->pid = live ? (pid_t)g->table->members[group_route_slot(entry->route)].pid : 0;
            lock->grmode = st->grmode;
            lock->rqmode = st->pending == PENDING_REQUEST ? st->rqmode : ENGINE_MODE_IV;
            lock->queue = st->pending != PENDING_REQUEST ? ENGINE_QUEUE_GRANTED
                          : st->grmode == ENGINE_MODE_IV ? ENGINE_QUEUE_WAITING
                                                         : ENGINE_QUEUE_CONVERTING;
            lock->flags = st->flags;
            lock->group = g->id;
            memcpy(resource->name, entry->name, entry->namelen);
            resource->namelen = entry->namelen;
            memcpy(resource->lvb, st->lvb, ENGINE_LVB_LEN);
            resource->lvb_valid = !st->lvb_invalid;
            rc = 0;
        }
        group_table_unlock(g);
    }
    pthread_mutex_unlock(&ls->mutex);
    return rc;
}
