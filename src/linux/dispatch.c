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

#include "linux.h"

#define KERNEL_ECANCEL  0x10001     /* DLM_ECANCEL */
#define KERNEL_EUNLOCK  0x10002     /* DLM_EUNLOCK */

#define PUBLIC_SBFLAGS (ENGINE_SBF_DEMOTED | ENGINE_SBF_VALNOTVALID | ENGINE_SBF_ALTMODE)

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

/* Let the threads inside wait() go ("routines ran", or wake()). */
static void signal_waiters(struct linux_ls *ls, int or_next)
{
    static const uint64_t one = 1;

    pthread_mutex_lock(&ls->mutex);
    ls->generation++;
    if (ls->waiters == 0) {
        if (or_next)
            ls->wake_pending = 1;
    } else if (!ls->wake_signalled) {
        if (write(ls->wake_fd, &one, sizeof one) == (ssize_t)sizeof one)
            ls->wake_signalled = 1;
    }
    pthread_mutex_unlock(&ls->mutex);
}

/* A completion: update the table and the caller's status block under the
 * mutex, then run the routine without it.  1 when a routine ran. */
static int complete(struct linux_ls *ls, struct linux_lock *lock,
                    const struct dlm_lock_result *result, const char *lvb)
{
    int status = engine_status(result->lksb.sb_status);
    uint32_t sbflags = (unsigned char)result->lksb.sb_flags & PUBLIC_SBFLAGS;
    struct engine_lksb *lksb = lock->lksb;
    engine_ast_fn *ast = lock->ast;
    void *astarg = lock->astarg;
    int end = 0;

    if (lvb != NULL) {
        memcpy(lock->lvb, lvb, ENGINE_LVB_LEN);
        lock->lvb_invalid = (sbflags & ENGINE_SBF_VALNOTVALID) != 0;
        if ((lock->flags & ENGINE_LKF_VALBLK) && lksb->lvb != NULL)
            memcpy(lksb->lvb, lvb, ENGINE_LVB_LEN);
    }
    /* The invalid mark is for requests of the value block only. */
    if (!(lock->flags & ENGINE_LKF_VALBLK))
        sbflags &= ~ENGINE_SBF_VALNOTVALID;
    switch (status) {
    case 0:
        if (sbflags & ENGINE_SBF_ALTMODE)
            lock->grmode = (lock->flags & ENGINE_LKF_ALTPR) ? ENGINE_MODE_PR : ENGINE_MODE_CW;
        else
            lock->grmode = lock->rqmode;
        break;
    case ENGINE_EUNLOCK:
        end = 1;
        break;
    default:            /* EAGAIN, ECANCEL, EDEADLK: a conversion keeps its lock */
        if (sbflags & ENGINE_SBF_DEMOTED)
            lock->grmode = ENGINE_MODE_NL;
        end = lock->grmode == ENGINE_MODE_IV;
        break;
    }
    lock->pending = PENDING_NONE;
    lksb->status = status;
    lksb->flags = sbflags;
    if (end) {
        lock_table_remove(ls, lock);
        free(lock);
    }
    pthread_mutex_unlock(&ls->mutex);
    if (ast == NULL)
        return 0;
    ast(astarg);
    return 1;
}

/* One result read from the device; 1 when a routine ran. */
static int deliver(struct linux_ls *ls, const char *buffer, size_t length)
{
    const struct dlm_lock_result *result = (const struct dlm_lock_result *)buffer;
    const char *lvb = NULL;
    struct linux_lock *lock;

    if (length < sizeof *result)
        return 0;
    if (result->lvb_offset != 0 && result->lvb_offset >= sizeof *result
        && result->lvb_offset + ENGINE_LVB_LEN <= length)
        lvb = buffer + result->lvb_offset;
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

int linux_dispatch(struct engine_ls *els)
{
    struct linux_ls *ls = linux_ls_of(els);
    union {
        struct dlm_lock_result result;
        char bytes[sizeof(struct dlm_lock_result) + DLM_USER_LVB_LEN + 64];
    } buffer;
    int ran = 0;

    if (!linux_ls_usable(ls))
        return -ESRCH;
    if (dispatching)
        return 0;
    dispatching = 1;
    pthread_mutex_lock(&ls->dispatch_mutex);
    for (;;) {
        ssize_t n = read(ls->fd, buffer.bytes, sizeof buffer.bytes);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;      /* EAGAIN: nothing more queued */
        ran += deliver(ls, buffer.bytes, (size_t)n);
    }
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

static long long now_ms(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int linux_wait(struct engine_ls *els, int timeout_ms)
{
    struct linux_ls *ls = linux_ls_of(els);
    long long deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : 0;
    unsigned long generation;
    int rc = 0;

    if (!linux_ls_usable(ls))
        return -ESRCH;
    pthread_mutex_lock(&ls->mutex);
    if (ls->wake_pending) {
        ls->wake_pending = 0;
        pthread_mutex_unlock(&ls->mutex);
        return 0;
    }
    generation = ls->generation;
    ls->waiters++;
    pthread_mutex_unlock(&ls->mutex);

    for (;;) {
        struct pollfd fds[2] = {
            { .fd = ls->fd, .events = POLLIN },
            { .fd = ls->wake_fd, .events = POLLIN },
        };
        int timeout = -1;
        int n;

        if (timeout_ms >= 0) {
            long long left = deadline - now_ms();

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
