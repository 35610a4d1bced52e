/*
 * The Linux engine's introspection, from the kernel's debugfs dump of a
 * lockspace (dump.h): the census, and the snapshot of the administration
 * side (engine_admin.h).
 *
 * The kernel DLM has no query call (DLM_USER_QUERY has no handler).  What
 * it shows is the dump: every lock this node knows of.  It needs debugfs
 * mounted, CONFIG_DLM_DEBUG and read permission (root); without them
 * census and snapshot are -ENOSYS.
 *
 * census counts from it: locks (the lines), resources (distinct names
 * with a lock) and processes (distinct pids of this node's locks).  It is
 * this node's view: a resource mastered elsewhere shows only this node's
 * locks.
 *
 * inspect is -ENOSYS: the dump cannot give the contract's picture.  It has
 * no value-block validity, no owner tag, no "has a blocking routine", is
 * not taken atomically with respect to the lockspace (each read(2) of the
 * file walks under the kernel's locks anew), and is not a stable
 * interface.  Deadlock detection and queries over this engine keep their
 * own records (linux-dlm.md 3.16).  The snapshot is that same dump, for
 * people, who are told what it lacks (snapshot_gaps).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "linux.h"

/* A small open-addressed set of strings (names) or numbers (pids). */
struct seen {
    char **keys;
    size_t capacity, count;
};

static unsigned long hash_of(const char *key)
{
    unsigned long h = 5381;

    while (*key != '\0')
        h = h * 33 + (unsigned char)*key++;
    return h;
}

/* Add key; -ENOMEM when out of memory. */
static int seen_add(struct seen *set, const char *key)
{
    size_t i;

    if (set->count * 2 >= set->capacity) {
        struct seen bigger = { NULL, set->capacity ? set->capacity * 2 : 64, 0 };

        bigger.keys = calloc(bigger.capacity, sizeof *bigger.keys);
        if (bigger.keys == NULL)
            return -ENOMEM;
        for (i = 0; i < set->capacity; i++) {
            if (set->keys[i] != NULL) {
                size_t j = hash_of(set->keys[i]) % bigger.capacity;

                while (bigger.keys[j] != NULL)
                    j = (j + 1) % bigger.capacity;
                bigger.keys[j] = set->keys[i];
                bigger.count++;
            }
        }
        free(set->keys);
        *set = bigger;
    }
    for (i = hash_of(key) % set->capacity; set->keys[i] != NULL; i = (i + 1) % set->capacity)
        if (strcmp(set->keys[i], key) == 0)
            return 0;
    set->keys[i] = strdup(key);
    if (set->keys[i] == NULL)
        return -ENOMEM;
    set->count++;
    return 0;
}

static void seen_free(struct seen *set)
{
    size_t i;

    for (i = 0; i < set->capacity; i++)
        free(set->keys[i]);
    free(set->keys);
}

/* The census's reader, which counts a resource at its locks: the names
 * and pids seen so far, and the count of locks. */
struct counting {
    struct seen names, pids;
    unsigned long locks;
};

static int count_lock(const struct dump_resource *res, const struct dump_lock *lock, void *arg)
{
    struct counting *c = arg;
    char key[2 * ENGINE_RESNAME_MAXLEN + 1];
    unsigned int i;
    int rc;

    /* Names are bytes: the key is their hex. */
    for (i = 0; i < res->namelen; i++)
        snprintf(key + 2 * i, 3, "%02x", res->name[i]);
    key[2 * res->namelen] = '\0';
    c->locks++;
    rc = seen_add(&c->names, key);
    if (rc == 0 && lock->node == 0) {
        snprintf(key, sizeof key, "%u", lock->pid);
        rc = seen_add(&c->pids, key);
    }
    return rc;
}

int linux_census_read(FILE *dump, struct engine_census *census)
{
    static const struct dump_reader counter = { NULL, count_lock };
    struct counting c = { { NULL, 0, 0 }, { NULL, 0, 0 }, 0 };
    int rc = dump_read(dump, &counter, &c);

    if (rc == 0) {
        census->locks = c.locks;
        census->resources = c.names.count;
        census->processes = c.pids.count;
    }
    seen_free(&c.names);
    seen_free(&c.pids);
    return rc;
}

int linux_census(struct engine_ls *els, struct engine_census *census)
{
    struct linux_ls *ls = linux_ls_of(els);
    FILE *dump;
    int rc;

    if (census == NULL)
        return -EINVAL;
    if (!linux_ls_usable(ls))
        return -ESRCH;
    rc = dump_open(ls->name, &dump);
    if (rc != 0)
        return rc;
    rc = linux_census_read(dump, census);
    fclose(dump);
    return rc;
}

/* The snapshot's reader: the picture grows as the dump is read. */
struct assembly {
    struct engine_picture *picture;
    unsigned int room_resources, room_locks;
};

static int grow(void **array, unsigned int *room, size_t size)
{
    unsigned int bigger = *room != 0 ? 2 * *room : 64;
    void *moved = realloc(*array, (size_t)bigger * size);

    if (moved == NULL)
        return -ENOMEM;
    *array = moved;
    *room = bigger;
    return 0;
}

static int add_resource(const struct dump_resource *res, void *arg)
{
    struct assembly *a = arg;
    struct engine_picture *p = a->picture;
    struct engine_resource_info *info;

    if (p->nresources == a->room_resources
        && grow((void **)&p->resources, &a->room_resources, sizeof *p->resources) != 0)
        return -ENOMEM;
    info = &p->resources[p->nresources++];
    memset(info, 0, sizeof *info);
    memcpy(info->name, res->name, res->namelen);
    info->namelen = res->namelen;
    memcpy(info->lvb, res->lvb, sizeof info->lvb);
    /* Whether the value block is valid the dump does not say, and its
     * sequence counts the kernel's stores, not the writers' writes
     * (snapshot_gaps). */
    info->lvb_valid = 1;
    return 0;
}

static int add_lock(const struct dump_resource *res, const struct dump_lock *lock, void *arg)
{
    struct assembly *a = arg;
    struct engine_picture *p = a->picture;
    struct engine_lock_info *info;

    (void)res;
    if (p->nlocks == a->room_locks
        && grow((void **)&p->locks, &a->room_locks, sizeof *p->locks) != 0)
        return -ENOMEM;
    info = &p->locks[p->nlocks++];
    memset(info, 0, sizeof *info);
    info->lkid = lock->lkid;
    info->pid = (pid_t)lock->pid;
    info->node = lock->node;
    info->grmode = lock->grmode;
    info->rqmode = lock->rqmode;
    info->queue = lock->queue;
    /* The kernel's DLM_LKF_* are the contract's bits up to FORCEUNLOCK;
     * its next (TIMEOUT) is the contract's GROUP, which this engine has
     * not. */
    info->flags = lock->exflags & ENGINE_LOCK_FLAGS & ~ENGINE_LKF_GROUP;
    info->resource = p->nresources - 1;     /* announced before its locks */
    return 0;
}

int linux_snapshot_read(FILE *dump, struct engine_picture *picture)
{
    static const struct dump_reader assembler = { add_resource, add_lock };
    struct assembly a = { picture, 0, 0 };
    int rc;

    *picture = (struct engine_picture){ NULL, 0, NULL, 0 };
    rc = dump_read(dump, &assembler, &a);
    if (rc != 0) {
        free(picture->resources);
        free(picture->locks);
        *picture = (struct engine_picture){ NULL, 0, NULL, 0 };
    }
    return rc;
}

int linux_snapshot(struct engine_ls *els, struct engine_picture *picture)
{
    struct linux_ls *ls = linux_ls_of(els);
    FILE *dump;
    int rc;

    if (!linux_ls_usable(ls))
        return -ESRCH;
    rc = dump_open(ls->name, &dump);
    if (rc != 0)
        return rc;
    rc = linux_snapshot_read(dump, picture);
    fclose(dump);
    return rc;
}

int linux_inspect(struct engine_ls *els, const void *name, unsigned int namelen,
                  struct engine_picture *picture)
{
    (void)name;
    (void)namelen;
    if (picture == NULL)
        return -EINVAL;
    if (!linux_ls_usable(linux_ls_of(els)))
        return -ESRCH;
    return -ENOSYS;
}
