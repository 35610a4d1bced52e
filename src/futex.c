#include "config.h"

#include "futex.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

/* glibc's pthread_mutex_t begins with the futex word (__data.__lock) on
 * every architecture; the robust list the kernel walks points there. */
_Static_assert(offsetof(pthread_mutex_t, __data.__lock) == 0,
               "the robust mutex futex word is not first");

uint32_t *robust_mutex_word(pthread_mutex_t *mutex)
{
    return (uint32_t *)(void *)mutex;
}

void futex_wake_all(uint32_t *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

int futex_wait_any(uint32_t *const *words, const uint32_t *expected, unsigned int n,
                   int timeout_ms)
{
    struct futex_waitv waiters[FUTEX_WAITV_MAX];
    struct timespec deadline, *timeout = NULL;
    unsigned int i;

    if (n > FUTEX_WAITV_MAX)
        n = FUTEX_WAITV_MAX;
    memset(waiters, 0, n * sizeof waiters[0]);
    for (i = 0; i < n; i++) {
        waiters[i].uaddr = (uintptr_t)words[i];
        waiters[i].val = expected[i];
        waiters[i].flags = FUTEX_32;
    }
    if (timeout_ms >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += timeout_ms / 1000;
        deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
        timeout = &deadline;
    }
    if (syscall(SYS_futex_waitv, waiters, n, 0, timeout, CLOCK_MONOTONIC) >= 0)
        return 0;
    switch (errno) {
    case EAGAIN:            /* a word had already changed */
        return 0;
    case ETIMEDOUT:
        return -ETIMEDOUT;
    case EINTR:
        return -EINTR;
    default:
        return -errno;
    }
}
