/*
 * The Linux engine's callbacks: the reader of the lockspace device, and
 * wait/wake around it.
 *
 * The kernel queues one result per callback on the process's open device
 * (struct dlm_lock_result of <linux/dlm_device.h>, the value block after
 * it when one comes back); each read(2) returns one.  The engine reads
 * them itself rather than through dlm_dispatch, because libdlm drops the
 * mode a blocking callback carries and the contract passes it on.  The
 * kernel hands back the routine address and argument it was given: the
 * address tells a completion from a blocking callback (lockcall.c), the
 * argument is the lock, found again in the table by ID and address before
 * use (table.c).
 *
 * A request looks for its own completion right after sending it
 * (linux_completed_at_once); what it reads of other locks meanwhile waits
 * in the backlog, which is delivered before anything the fd still holds,
 * so that every lock's results keep their order.  The fd and the backlog
 * are read under ls->mutex; dispatch_mutex keeps one dispatcher at a time.
 *
 * Statuses arrive negated and in the kernel's numbering; the contract's
 * are positive, with ENGINE_ECANCEL its own value.
 */
#include "config.h"

#include <errno.h>
#include <linux/dlm_device.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "group.h"
#include "linux.h"

#define KERNEL_ECANCEL  0x10001     /* DLM_ECANCEL */
#define KERNEL_EUNLOCK  0x10002     /* DLM_EUNLOCK */

#define PUBLIC_SBFLAGS (ENGINE_SBF_DEMOTED | ENGINE_SBF_VALNOTVALID | ENGINE_SBF_ALTMODE)


/* A result read from the device ahead of its delivery (the backlog). */
struct linux_result {
    struct linux_result *next;
    size_t length;
    union {
        struct dlm_lock_result result;
        char bytes[LINUX_RESULT_ROOM];
    } u;
};

/* A dispatch in this thread: routines that dispatch again get nothing
 * (the results they would read belong after the routine running now). */
static __thread int dispatching;

static int engine_status(int kernel_status)
{
    int status = kernel_status < 0 ? -kernel_status : kernel_status;

    switch (status) {
    case KERNEL_ECANCEL:
        return ENGINE_ECANCEL;
    case KERNEL_EUNLOCK:
        return ENGINE_EUNLOCK;
    default:            /* 0, EAGAIN, EDEADLK: the same numbers */
        return status;
    }
}

/* Let the threads inside wait() go ("routines ran", or wake()); the
 * caller holds ls->mutex. */
static void signal_waiters_locked(struct linux_ls *ls, int or_next)
{
    static const uint64_t one = 1;

    ls->generation++;
    if (ls->waiters == 0) {
        if (or_next)
            ls->wake_pending = 1;
    } else if (!ls->wake_signalled) {
        if (write(ls->wake_fd, &one, sizeof one) == (ssize_t)sizeof one)
            ls->wake_signalled = 1;
    }
}

void linux_wake_locked(struct linux_ls *ls)
{
    signal_waiters_locked(ls, 1);
}

static void signal_waiters(struct linux_ls *ls, int or_next)
{
    pthread_mutex_lock(&ls->mutex);
    signal_waiters_locked(ls, or_next);
    pthread_mutex_unlock(&ls->mutex);
}

/* Read one result from the device into buffer (LINUX_RESULT_ROOM bytes); its
 * length, or 0 when none is queued.  The caller holds ls->mutex. */
static size_t read_result(struct linux_ls *ls, char *buffer)
{
    ssize_t n;

    do
        n = read(ls->fd, buffer, LINUX_RESULT_ROOM);
    while (n < 0 && errno == EINTR);
    return n > 0 ? (size_t)n : 0;     /* EAGAIN: nothing more queued */
}

const char *linux_result_lvb(const void *buffer, size_t length)
{
    const struct dlm_lock_result *result = buffer;

    if (result->lvb_offset != 0 && result->lvb_offset >= sizeof *result
        && result->lvb_offset + ENGINE_LVB_LEN <= length)
        return (const char *)buffer + result->lvb_offset;
    return NULL;
}

enum settled lock_state_settle(struct lock_state *st, int kernel_status, uint32_t *sbflags,
                               const char *lvb)
{
    int status = engine_status(kernel_status);

    /* An unlock with FORCEUNLOCK ends the request in flight with the
     * lock, as the embedded engine's does at once: the kernel may still
     * report that request's end (granted, cancelled) before the unlock's. */
    if (st->pending == PENDING_UNLOCK && status != ENGINE_EUNLOCK)
        return SETTLED_UNHEARD;
    *sbflags &= PUBLIC_SBFLAGS;
    if (lvb != NULL) {
        memcpy(st->lvb, lvb, ENGINE_LVB_LEN);
        st->lvb_invalid = (*sbflags & ENGINE_SBF_VALNOTVALID) != 0;
    }
    /* The invalid mark is for requests of the value block only. */
    if (!(st->flags & ENGINE_LKF_VALBLK))
        *sbflags &= ~ENGINE_SBF_VALNOTVALID;
    st->pending = PENDING_NONE;
    switch (status) {
    case 0:
        if (*sbflags & ENGINE_SBF_ALTMODE)
            st->grmode = (st->flags & ENGINE_LKF_ALTPR) ? ENGINE_MODE_PR : ENGINE_MODE_CW;
        else
            st->grmode = st->rqmode;
        return SETTLED;
    case ENGINE_EUNLOCK:
        return SETTLED_END;
    default:            /* EAGAIN, ECANCEL, EDEADLK: a conversion keeps its lock */
        if (*sbflags & ENGINE_SBF_DEMOTED)
            st->grmode = ENGINE_MODE_NL;
        return st->grmode == ENGINE_MODE_IV ? SETTLED_END : SETTLED;
    }
}

/* Record a completion in the lock and the caller's status block; the
 * caller holds ls->mutex.  The lock is freed when this ends it.  0 when
 * nobody is to hear of it. */
static int settle(struct linux_ls *ls, struct linux_lock *lock,
                  const struct dlm_lock_result *result, const char *lvb)
{
    uint32_t sbflags = (unsigned char)result->lksb.sb_flags;
    struct engine_lksb *lksb = lock->lksb;
    enum settled settled = lock_state_settle(&lock->st, result->lksb.sb_status, &sbflags, lvb);

    if (settled == SETTLED_UNHEARD)
        return 0;
    if (lvb != NULL && (lock->st.flags & ENGINE_LKF_VALBLK) && lksb->lvb != NULL)
        memcpy(lksb->lvb, lvb, ENGINE_LVB_LEN);
    lksb->status = engine_status(result->lksb.sb_status);
    lksb->flags = sbflags;
    if (lock->route != 0)
        group_heard(ls, lock);
    if (settled == SETTLED_END) {
        lock_table_remove(ls, lock);
        free(lock);
    } else {
        lock_table_sync(ls, lock);
    }
    return 1;
}

/* A completion: settle it under the mutex, then run the routine without
 * it.  1 when a routine ran. */
static int complete(struct linux_ls *ls, struct linux_lock *lock,
                    const struct dlm_lock_result *result, const char *lvb)
{
    engine_ast_fn *ast = lock->ast;
    void *astarg = lock->astarg;
    int heard = settle(ls, lock, result, lvb);

    pthread_mutex_unlock(&ls->mutex);
    if (!heard || ast == NULL)
        return 0;
    ast(astarg);
    return 1;
}

/* Is this result one of lock's (not of a lock freed before it at the
 * same address, nor of one that had its ID)? */
static int result_of(const struct dlm_lock_result *result, const struct linux_lock *lock)
{
    return result->user_astparam == linux_lock_param(lock) && result->lksb.sb_lkid == lock->lkid;
}

/* One result read from the device (or a group's carrier); 1 when a
 * routine ran. */
static int deliver(struct linux_ls *ls, const char *buffer, size_t length)
{
    const struct dlm_lock_result *result = (const struct dlm_lock_result *)buffer;
    const char *lvb;
    struct linux_lock *lock;

    if (length < sizeof *result)
        return 0;
    lvb = linux_result_lvb(buffer, length);
    pthread_mutex_lock(&ls->mutex);
    lock = lock_table_find_exact(ls, result->lksb.sb_lkid, result->user_astparam);
    if (lock == NULL) {
        pthread_mutex_unlock(&ls->mutex);
        return 0;
    }
    if (result->user_astaddr == linux_completion_tag)
        return complete(ls, lock, result, lvb);
    if (result->user_astaddr == linux_blocking_tag && lock->bast != NULL) {
        engine_bast_fn *bast = lock->bast;
        void *astarg = lock->astarg;
        int mode = result->bast_mode;

        pthread_mutex_unlock(&ls->mutex);
        bast(astarg, mode, 0);      /* the kernel carries no hint */
        return 1;
    }
    pthread_mutex_unlock(&ls->mutex);
    return 0;
}

/* Queue a result last in the backlog; the caller holds ls->mutex. */
static void backlog_append(struct linux_ls *ls, struct linux_result *r)
{
    r->next = NULL;
    *ls->backlog_tail = r;
    ls->backlog_tail = &r->next;
}

int linux_backlog_push(struct linux_ls *ls, const void *result, size_t length)
{
    struct linux_result *r = malloc(sizeof *r);

    if (r == NULL)
        return -ENOMEM;
    r->length = length < LINUX_RESULT_ROOM ? length : LINUX_RESULT_ROOM;
    memcpy(r->u.bytes, result, r->length);
    backlog_append(ls, r);
    signal_waiters_locked(ls, 1);
    return 0;
}

/* Read everything the device has queued into the backlog; the caller
 * holds ls->mutex. */
static void read_ahead(struct linux_ls *ls)
{
    for (;;) {
        struct linux_result *r = malloc(sizeof *r);

        if (r == NULL)
            return;     /* the rest stays queued on the device */
        r->length = read_result(ls, r->u.bytes);
        if (r->length == 0) {
            free(r);
            return;
        }
        backlog_append(ls, r);
    }
}

int linux_completed_at_once(struct linux_ls *ls, struct linux_lock *lock)
{
    struct linux_result **link, *r;
    int completed = 0;

    read_ahead(ls);
    for (link = &ls->backlog; *link != NULL; link = &(*link)->next)
        if ((*link)->length >= sizeof(struct dlm_lock_result)
            && result_of(&(*link)->u.result, lock))
            break;
    r = *link;
    /* Only when the lock's first result is its completion: a blocking
     * callback read before it is delivered before it. */
    if (r != NULL && r->u.result.user_astaddr != linux_completion_tag)
        r = NULL;
    if (r != NULL) {
        *link = r->next;
        if (ls->backlog_tail == &r->next)
            ls->backlog_tail = link;
        completed = settle(ls, lock, &r->u.result, linux_result_lvb(r->u.bytes, r->length));
        free(r);
    }
    /* What was read for others waits in the backlog, which the device's
     * readiness no longer shows: wake a waiter to dispatch it. */
    if (ls->backlog != NULL)
        signal_waiters_locked(ls, 1);
    if (!completed)
        lock_table_sync(ls, lock);
    return completed;
}

void linux_backlog_free(struct linux_ls *ls)
{
    while (ls->backlog != NULL) {
        struct linux_result *r = ls->backlog;

        ls->backlog = r->next;
        free(r);
    }
    ls->backlog_tail = &ls->backlog;
}

/* The next result to deliver, into buffer: the backlog's first, else the
 * device's; its length, or 0 when there is none. */
static size_t next_result(struct linux_ls *ls, char *buffer)
{
    struct linux_result *r;
    size_t length;

    pthread_mutex_lock(&ls->mutex);
    r = ls->backlog;
    if (r == NULL) {
        length = read_result(ls, buffer);
    } else {
        ls->backlog = r->next;
        if (ls->backlog == NULL)
            ls->backlog_tail = &ls->backlog;
        length = r->length;
        memcpy(buffer, r->u.bytes, length);
        free(r);
    }
    pthread_mutex_unlock(&ls->mutex);
    return length;
}

int linux_dispatch(struct engine_ls *els)
{
    struct linux_ls *ls = linux_ls_of(els);
    union {
        struct dlm_lock_result result;
        char bytes[LINUX_RESULT_ROOM];
    } buffer;
    size_t length;
    int ran = 0;

    if (!linux_ls_usable(ls))
        return -ESRCH;
    if (dispatching)
        return 0;
    dispatching = 1;
    pthread_mutex_lock(&ls->dispatch_mutex);
    while ((length = next_result(ls, buffer.bytes)) != 0)
        ran += deliver(ls, buffer.bytes, length);
    pthread_mutex_unlock(&ls->dispatch_mutex);
    dispatching = 0;
    if (ran > 0)
        signal_waiters(ls, 0);
    return ran;
}

void linux_wake(struct engine_ls *els)
{
    struct linux_ls *ls = linux_ls_of(els);

    if (linux_ls_usable(ls))
        signal_waiters(ls, 1);
}

long long linux_now_ms(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int linux_wait(struct engine_ls *els, int timeout_ms)
{
    struct linux_ls *ls = linux_ls_of(els);
    long long deadline = timeout_ms >= 0 ? linux_now_ms() + timeout_ms : 0;
    unsigned long generation;
    int rc = 0, watch;

    if (!linux_ls_usable(ls))
        return -ESRCH;
    pthread_mutex_lock(&ls->mutex);
    if (ls->wake_pending || ls->backlog != NULL) {
        ls->wake_pending = 0;
        pthread_mutex_unlock(&ls->mutex);
        return 0;
    }
    generation = ls->generation;
    ls->waiters++;
    watch = ls->interest != 0;
    pthread_mutex_unlock(&ls->mutex);

    for (;;) {
        /* A negative fd is one poll(2) leaves out. */
        struct pollfd fds[2] = {
            { .fd = watch ? ls->fd : -1, .events = POLLIN },
            { .fd = ls->wake_fd, .events = POLLIN },
        };
        int timeout = -1;
        int n;

        if (timeout_ms >= 0) {
            long long left = deadline - linux_now_ms();

            timeout = left > 0 ? (int)left : 0;
        }
        n = poll(fds, 2, timeout);
        if (n < 0 && errno != EINTR) {
            rc = -errno;
            break;
        }
        if (n < 0 || (fds[0].revents & (POLLIN | POLLERR | POLLHUP)))
            break;      /* a callback is queued (or a signal came) */
        pthread_mutex_lock(&ls->mutex);
        n = n == 0 ? 0 : ls->generation != generation;
        pthread_mutex_unlock(&ls->mutex);
        if (n)
            break;      /* woken */
        if (timeout == 0) {
            rc = -ETIMEDOUT;
            break;
        }
        /* A wake-up meant for the waiters before us, not yet drained. */
        sched_yield();
    }

    pthread_mutex_lock(&ls->mutex);
    if (--ls->waiters == 0 && ls->wake_signalled) {
        uint64_t count;

        if (read(ls->wake_fd, &count, sizeof count) < 0)
            count = 0;
        ls->wake_signalled = 0;
    }
    pthread_mutex_unlock(&ls->mutex);
    return rc;
}
