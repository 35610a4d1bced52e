/*
 * The few futex operations the engines need, on 32-bit words in shared
 * memory (the embedded engine's segment, the Linux engine's group
 * tables), and the robust-mutex word layout the kernel defines
 * (Documentation/locking/robust-futex-ABI.rst).
 */
#ifndef DLM_TRU64_FUTEX_H
#define DLM_TRU64_FUTEX_H

#include <pthread.h>
#include <stdint.h>

#define ROBUST_WAITERS      0x80000000u
#define ROBUST_OWNER_DIED   0x40000000u
#define ROBUST_TID_MASK     0x3fffffffu

#define FUTEX_WAITV_MAX     128

/* The futex word of a robust pthread mutex: glibc keeps it first. */
uint32_t *robust_mutex_word(pthread_mutex_t *mutex);

/* Wake every thread waiting on word. */
void futex_wake_all(uint32_t *word);

/* Sleep until one of words[i] differs from expected[i], a wake-up, or the
 * timeout (ms, -1: none).  0, or -ETIMEDOUT, or -EINTR. */
int futex_wait_any(uint32_t *const *words, const uint32_t *expected, unsigned int n,
                   int timeout_ms);

#endif
