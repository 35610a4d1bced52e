/* F_OFD_SETLK and F_OFD_SETLKW are Linux extensions. */
#define _GNU_SOURCE

#include "subjects.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "child.h"

/* --- Our DLM, through the public API -------------------------------------------- */

dlm_status_t bench_join(dlm_nsp_t *ns)
{
    return dlm_nsjoin(geteuid(), ns, DLM_USER | DLM_JOIN_SAME_OK);
}

unsigned short bench_resname(uchar_t *buf, unsigned int size, const char *tag, unsigned long i)
{
    int n = snprintf((char *)buf, size, "bench.%s.%lu", tag, i);

    return (unsigned short)(n > 0 && (unsigned)n < size ? n : 0);
}

static void count_request(callback_arg_t notprm, callback_arg_t hint, dlm_lkid_t *lkid,
                          dlm_lkmode_t blocked_mode)
{
    struct subject *s = notprm;

    (void)hint;
    (void)lkid;
    (void)blocked_mode;
    s->requested++;
}

static int dlm_open(struct subject *s, unsigned int slot)
{
    s->slot = slot;
    s->namelen = bench_resname(s->name, sizeof s->name, "slot", slot);
    return bench_join(&s->ns) == DLM_SUCCESS ? 0 : -1;
}

static int dlm_lock_ex(struct subject *s)
{
    int sublock = s->parent.seqn != 0 || s->parent.hndl != 0;

    return dlm_lock(sublock ? 0 : s->ns, s->name, s->namelen, sublock ? &s->parent : NULL,
                    &s->lkid, DLM_EXMODE, s->valb ? &s->value : NULL, s->valb ? DLM_VALB : 0,
                    s, NULL, s->want_bast ? count_request : NULL, 0) == DLM_SUCCESS ? 0 : -1;
}

static int dlm_unlock_ex(struct subject *s)
{
    if (s->valb)
        s->value.valblk[0]++;
    return dlm_unlock(&s->lkid, s->valb ? &s->value : NULL, s->valb ? DLM_VALB : 0)
           == DLM_SUCCESS ? 0 : -1;
}

/* The namespace stays joined: other threads of the process may share
 * it, and the process's end leaves it. */
static void dlm_close(struct subject *s)
{
    (void)s;
}

const struct subject_ops subject_dlm = {
    "dlm embedded", "dlm_embedded", dlm_open, dlm_lock_ex, dlm_unlock_ex, dlm_close,
};

/* --- Peers ------------------------------------------------------------------------ */

static char lock_dir[256];

/* The peers' shared memory: one mutex and one rwlock per slot, each on
 * cache lines of its own (two, against the adjacent-line prefetcher), so
 * that slots scale as independent locks do. */
#define LINE_PAIR 128

struct slot_locks {
    _Alignas(LINE_PAIR) pthread_mutex_t mutex;
    _Alignas(LINE_PAIR) pthread_rwlock_t rwlock;
};

struct arena {
    struct slot_locks slot[SUBJECT_SLOTS];
};
static struct arena *arena;

static int open_slot_file(struct subject *s, unsigned int slot)
{
    char path[sizeof lock_dir + 32];

    s->slot = slot;
    snprintf(path, sizeof path, "%s/lock.%u", lock_dir, slot);
    s->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    return s->fd >= 0 ? 0 : -1;
}

static void close_slot_file(struct subject *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

static int ofd_set(struct subject *s, short type, int cmd)
{
    struct flock range = { .l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };

    while (fcntl(s->fd, cmd, &range) != 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

static int ofd_lock(struct subject *s)
{
    return ofd_set(s, F_WRLCK, F_OFD_SETLKW);
}

static int ofd_unlock(struct subject *s)
{
    return ofd_set(s, F_UNLCK, F_OFD_SETLK);
}

const struct subject_ops subject_ofd = {
    "fcntl OFD lock", "fcntl_ofd", open_slot_file, ofd_lock, ofd_unlock, close_slot_file,
};

static int flock_op(struct subject *s, int op)
{
    while (flock(s->fd, op) != 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

static int flock_lock(struct subject *s)
{
    return flock_op(s, LOCK_EX);
}

static int flock_unlock(struct subject *s)
{
    return flock_op(s, LOCK_UN);
}

const struct subject_ops subject_flock = {
    "flock", "flock", open_slot_file, flock_lock, flock_unlock, close_slot_file,
};

static int mutex_open(struct subject *s, unsigned int slot)
{
    s->slot = slot;
    s->mutex = &arena->slot[slot].mutex;
    return 0;
}

static int mutex_lock(struct subject *s)
{
    int rc = pthread_mutex_lock(s->mutex);

    if (rc == EOWNERDEAD)
        rc = pthread_mutex_consistent(s->mutex);
    return rc == 0 ? 0 : -1;
}

static int mutex_unlock(struct subject *s)
{
    return pthread_mutex_unlock(s->mutex) == 0 ? 0 : -1;
}

static void nothing_to_close(struct subject *s)
{
    (void)s;
}

const struct subject_ops subject_mutex = {
    "robust pthread mutex", "pthread_mutex", mutex_open, mutex_lock, mutex_unlock,
    nothing_to_close,
};

static int rwlock_open(struct subject *s, unsigned int slot)
{
    s->slot = slot;
    s->rwlock = &arena->slot[slot].rwlock;
    return 0;
}

static int rwlock_lock(struct subject *s)
{
    return pthread_rwlock_wrlock(s->rwlock) == 0 ? 0 : -1;
}

static int rwlock_unlock(struct subject *s)
{
    return pthread_rwlock_unlock(s->rwlock) == 0 ? 0 : -1;
}

const struct subject_ops subject_rwlock = {
    "pthread rwlock (write)", "pthread_rwlock", rwlock_open, rwlock_lock, rwlock_unlock,
    nothing_to_close,
};

const struct subject_ops *const host_subjects[] = {
    &subject_dlm, &subject_ofd, &subject_flock, &subject_mutex, &subject_rwlock,
};
const unsigned int host_nsubjects = sizeof host_subjects / sizeof host_subjects[0];

int subjects_prepare(const char *dir)
{
    pthread_mutexattr_t mattr;
    pthread_rwlockattr_t rwattr;
    unsigned int i;
    int rc = 0;

    snprintf(lock_dir, sizeof lock_dir, "%s", dir);
    arena = shared_alloc(sizeof *arena);
    if (arena == NULL)
        return -1;
    pthread_mutexattr_init(&mattr);
    pthread_mutexattr_setpshared(&mattr, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&mattr, PTHREAD_MUTEX_ROBUST);
    pthread_rwlockattr_init(&rwattr);
    pthread_rwlockattr_setpshared(&rwattr, PTHREAD_PROCESS_SHARED);
    for (i = 0; i < SUBJECT_SLOTS && rc == 0; i++)
        rc = pthread_mutex_init(&arena->slot[i].mutex, &mattr)
             || pthread_rwlock_init(&arena->slot[i].rwlock, &rwattr);
    pthread_mutexattr_destroy(&mattr);
    pthread_rwlockattr_destroy(&rwattr);
    return rc == 0 ? 0 : -1;
}

void subjects_cleanup(void)
{
    char path[sizeof lock_dir + 32];
    unsigned int i;

    for (i = 0; i < SUBJECT_SLOTS; i++) {
        snprintf(path, sizeof path, "%s/lock.%u", lock_dir, i);
        unlink(path);
    }
    shared_free(arena, sizeof *arena);
    arena = NULL;
}
