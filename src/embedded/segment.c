#include "config.h"

#include "segment.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "settings.h"

struct layout {
    uint32_t max_procs, max_locks, max_resources, hash_buckets;
    uint64_t procs_off, locks_off, resources_off, hash_off, size;
};

static uint64_t align_up(uint64_t n, uint64_t to)
{
    return (n + to - 1) / to * to;
}

/* The one way a layout follows from its capacities: used to build a
 * segment and to check one. */
static void compute_layout(struct layout *l)
{
    uint64_t at = align_up(sizeof(struct seg_header), 64);

    l->procs_off = at;
    at = align_up(at + (uint64_t)(l->max_procs + 1) * sizeof(struct seg_proc), 64);
    l->locks_off = at;
    at = align_up(at + (uint64_t)(l->max_locks + 1) * sizeof(struct seg_lock), 64);
    l->resources_off = at;
    at = align_up(at + (uint64_t)(l->max_resources + 1) * sizeof(struct seg_resource), 64);
    l->hash_off = at;
    at += (uint64_t)l->hash_buckets * sizeof(uint32_t);
    l->size = align_up(at, 4096);
}

static int init_robust_mutex(pthread_mutex_t *mutex)
{
    pthread_mutexattr_t attr;
    int rc;

    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    rc = pthread_mutex_init(mutex, &attr);
    pthread_mutexattr_destroy(&attr);
    return -rc;
}

/* Write a fresh segment's header and process slots; the lock and resource
 * blocks stay zero (FREE) and are handed out in index order. */
static int format_segment(uint8_t *base, const struct layout *l)
{
    struct seg_header *hdr = (struct seg_header *)base;
    struct seg_proc *procs = (struct seg_proc *)(base + l->procs_off);
    uint32_t i;
    int rc;

    hdr->magic = SEG_MAGIC;
    hdr->version = SEG_VERSION;
    hdr->size = l->size;
    hdr->max_procs = l->max_procs;
    hdr->max_locks = l->max_locks;
    hdr->max_resources = l->max_resources;
    hdr->hash_buckets = l->hash_buckets;
    hdr->procs_off = l->procs_off;
    hdr->locks_off = l->locks_off;
    hdr->resources_off = l->resources_off;
    hdr->hash_off = l->hash_off;
    hdr->lock_unused = 1;
    hdr->res_unused = 1;
    rc = init_robust_mutex(&hdr->mutex);
    for (i = 0; rc == 0 && i <= l->max_procs; i++)
        rc = init_robust_mutex(&procs[i].liveness);
    hdr->ready = SEG_READY;
    return rc;
}

/* Build the segment under a temporary name and link it into place.
 * -EEXIST when another process linked one first (use that one). */
static int create_segment(const char *dir, const char *path,
                          const struct engine_ls_spec *spec)
{
    struct layout l = {
        .max_procs = SEG_DEFAULT_PROCS, .max_locks = SEG_DEFAULT_LOCKS,
        .max_resources = SEG_DEFAULT_RESOURCES, .hash_buckets = SEG_DEFAULT_RESOURCES,
    };
    char temp[PATH_MAX];
    uint8_t *base;
    int fd, rc = 0;

    compute_layout(&l);
    if ((size_t)snprintf(temp, sizeof temp, "%s/.new.XXXXXX", dir) >= sizeof temp)
        return -ENAMETOOLONG;
    fd = mkstemp(temp);
    if (fd < 0)
        return -errno;
    if (fchown(fd, spec->uid, spec->gid) != 0 || fchmod(fd, spec->mode & 0777) != 0
        || ftruncate(fd, (off_t)l.size) != 0)
        rc = -errno;
    if (rc == 0) {
        base = mmap(NULL, l.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (base == MAP_FAILED) {
            rc = -errno;
        } else {
            rc = format_segment(base, &l);
            munmap(base, l.size);
        }
    }
    close(fd);
    if (rc == 0 && link(temp, path) != 0)
        rc = -errno;
    unlink(temp);
    return rc;
}

static int check_layout(struct engine_ls *ls, uint64_t file_size)
{
    const struct seg_header *hdr = (const struct seg_header *)ls->base;
    struct layout l;

    if (hdr->magic != SEG_MAGIC || hdr->version != SEG_VERSION || hdr->ready != SEG_READY)
        return -EIO;
    l.max_procs = hdr->max_procs;
    l.max_locks = hdr->max_locks;
    l.max_resources = hdr->max_resources;
    l.hash_buckets = hdr->hash_buckets;
    if (l.max_procs == 0 || l.max_procs > 4096 || l.max_locks == 0
        || l.max_locks > LKID_INDEX_MASK || l.max_resources == 0
        || l.max_resources > (1u << 24) || l.hash_buckets == 0
        || l.hash_buckets > (1u << 24) || (l.hash_buckets & (l.hash_buckets - 1)) != 0)
        return -EIO;
    compute_layout(&l);
    if (l.size != hdr->size || l.size != file_size || l.procs_off != hdr->procs_off
        || l.locks_off != hdr->locks_off || l.resources_off != hdr->resources_off
        || l.hash_off != hdr->hash_off)
        return -EIO;
    ls->hdr = (struct seg_header *)ls->base;
    ls->procs = (struct seg_proc *)(ls->base + l.procs_off);
    ls->locks = (struct seg_lock *)(ls->base + l.locks_off);
    ls->resources = (struct seg_resource *)(ls->base + l.resources_off);
    ls->hash = (uint32_t *)(ls->base + l.hash_off);
    ls->max_procs = l.max_procs;
    ls->max_locks = l.max_locks;
    ls->max_resources = l.max_resources;
    ls->hash_mask = l.hash_buckets - 1;
    return 0;
}

static int map_segment(struct engine_ls *ls, const char *path)
{
    struct stat st;
    int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    int rc;

    if (fd < 0)
        return errno == ELOOP ? -EIO : -errno;
    if (fstat(fd, &st) != 0) {
        rc = -errno;
    } else if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size < sizeof(struct seg_header)) {
        rc = -EIO;
    } else {
        ls->size = (size_t)st.st_size;
        ls->base = mmap(NULL, ls->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        rc = ls->base == MAP_FAILED ? -errno : 0;
        if (rc == 0 && (rc = check_layout(ls, (uint64_t)st.st_size)) != 0) {
            munmap(ls->base, ls->size);
            ls->base = NULL;
        }
        if (rc != 0)
            ls->base = NULL;
    }
    close(fd);
    return rc;
}

int segment_path(const char *name, char dir[SETTING_VALUE_MAX], char path[PATH_MAX])
{
    int rc;

    if (!engine_lsname_ok(name))
        return -EINVAL;
    rc = setting_get(SETTING_EMBEDDED_DIR, dir);
    if (rc != 0)
        return rc;
    if ((size_t)snprintf(path, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX)
        return -ENAMETOOLONG;
    return 0;
}

int segment_open(struct engine_ls *ls, const struct engine_ls_spec *spec)
{
    char dir[SETTING_VALUE_MAX];
    char path[PATH_MAX];
    int rc = segment_path(spec->name, dir, path);

    if (rc != 0)
        return rc;
    rc = map_segment(ls, path);
    if (rc == -ENOENT && spec->create) {
        rc = setting_dir_make(dir);
        if (rc == 0)
            rc = create_segment(dir, path, spec);
        if (rc == 0 || rc == -EEXIST)
            rc = map_segment(ls, path);
    }
    if (rc == 0)
        snprintf(ls->name, sizeof ls->name, "%s", spec->name);
    return rc;
}

void segment_close(struct engine_ls *ls)
{
    if (ls->base != NULL)
        munmap(ls->base, ls->size);
    ls->base = NULL;
}
