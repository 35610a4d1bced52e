/*
 * The Linux engine's introspection, from the kernel's debugfs dumps.
 *
 * The kernel DLM has no query call (DLM_USER_QUERY has no handler).  What
 * it shows is /sys/kernel/debug/dlm/<lockspace>_locks: one line per lock
 * this node knows of, after a header line
 *   id nodeid remid pid xid exflags flags sts grmode rqmode time_ms
 *   r_nodeid r_len r_name
 * It needs debugfs mounted, CONFIG_DLM_DEBUG and read permission (root);
 * without them census is -ENOSYS.
 *
 * census counts from it: locks (the lines), resources (distinct names)
 * and processes (distinct pids of this node's locks).  It is this node's
 * view: a resource mastered elsewhere shows only this node's locks.
 *
 * inspect is -ENOSYS: the dump cannot give the contract's picture.  It has
 * no value block, no value-block sequence or validity, no owner tag, no
 * "has a blocking routine", prints names through %s (a name with a NUL or
 * non-printable bytes does not come back intact), is not taken atomically
 * with respect to the lockspace (each read(2) of the file walks under the
 * kernel's locks anew), and is not a stable interface.  Deadlock detection
 * and queries over this engine keep their own records (linux-dlm.md 3.16).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux.h"

#define DEBUGFS_DLM "/sys/kernel/debug/dlm"

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

int linux_census(struct engine_ls *els, struct engine_census *census)
{
    struct linux_ls *ls = linux_ls_of(els);
    struct seen names = { NULL, 0, 0 }, pids = { NULL, 0, 0 };
    char path[sizeof DEBUGFS_DLM "/_locks" + ENGINE_LSNAME_MAXLEN];
    char line[512];
    unsigned long locks = 0;
    FILE *dump;
    int rc = 0;

    if (census == NULL)
        return -EINVAL;
    if (!linux_ls_usable(ls))
        return -ESRCH;
    snprintf(path, sizeof path, DEBUGFS_DLM "/%s_locks", ls->name);
    dump = fopen(path, "re");
    if (dump == NULL)
        return -ENOSYS;
    /* The header first: refuse a format this code does not know. */
    if (fgets(line, sizeof line, dump) == NULL || strncmp(line, "id nodeid remid pid ", 20) != 0) {
        fclose(dump);
        return -ENOSYS;
    }
    while (rc == 0 && fgets(line, sizeof line, dump) != NULL) {
        unsigned int id, remid, pid;
        int nodeid, offset = 0;
        char *name;

        if (sscanf(line, "%x %d %x %u %*u %*x %*x %*d %*d %*d %*u %*u %*d %n",
                   &id, &nodeid, &remid, &pid, &offset) < 4 || offset == 0) {
            rc = -EIO;
            break;
        }
        name = line + offset;
        name[strcspn(name, "\n")] = '\0';
        locks++;
        rc = seen_add(&names, name);
        if (rc == 0 && nodeid == 0) {
            char key[16];

            snprintf(key, sizeof key, "%u", pid);
            rc = seen_add(&pids, key);
        }
    }
    fclose(dump);
    if (rc == 0) {
        census->locks = locks;
        census->resources = names.count;
        census->processes = pids.count;
    }
    seen_free(&names);
    seen_free(&pids);
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
