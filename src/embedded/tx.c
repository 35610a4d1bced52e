#include "config.h"

#include "tx.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "futex.h"
#include "grant.h"
#include "proc.h"

/* How long to wait for the mutex before asking whether its holder still
 * exists: a holder that vanished without the kernel's robust-futex cleanup
 * can only mean the segment was overwritten. */
#define MUTEX_PATIENCE_SECONDS 2

/* Only these words are ever logged: the header's allocation state and
 * everything after the header.  An entry pointing anywhere else (at the
 * mutex, the log itself, or outside the mapping) is damage. */
static int loggable(const struct engine_ls *ls, uint64_t offset)
{
    if (offset % 4 != 0 || offset + 4 > ls->size)
        return 0;
    if (offset >= sizeof(struct seg_header))
        return 1;
    return offset >= offsetof(struct seg_header, lock_free)
           && offset < offsetof(struct seg_header, undo_len);
}

static void undo(struct engine_ls *ls)
{
    struct seg_header *hdr = ls->hdr;
    uint32_t n = shared_load(&hdr->undo_len);

    if (n > UNDO_MAX) {         /* a damaged count: replay what can be */
        ls->damaged = 1;
        n = UNDO_MAX;
    }
    while (n-- > 0) {
        const struct undo_entry *entry = &hdr->undo[n];

        if (!loggable(ls, entry->offset)) {
            ls->damaged = 1;
            continue;
        }
        *(uint32_t *)(ls->base + entry->offset) = entry->old;
    }
    __atomic_store_n(&hdr->undo_len, 0, __ATOMIC_RELEASE);
}

void tx_rollback(struct engine_ls *ls)
{
    undo(ls);
    ls->undo_overflow = 0;
}

void tx_commit(struct engine_ls *ls)
{
    __atomic_store_n(&ls->hdr->undo_len, 0, __ATOMIC_RELEASE);
}

void tx_put(struct engine_ls *ls, void *word, uint32_t value)
{
    struct seg_header *hdr = ls->hdr;
    uint32_t *p = word;
    uint32_t n = hdr->undo_len;

    if (*p == value)
        return;
    if (n >= UNDO_MAX) {
        /* A transaction longer than the log is a bug; refuse the write and
         * let tx_end() roll the whole transaction back. */
        ls->undo_overflow = 1;
        return;
    }
    hdr->undo[n].offset = (uint64_t)((uint8_t *)p - ls->base);
    hdr->undo[n].old = *p;
    /* The entry must be complete before the count covers it, and the count
     * must cover it before the word changes. */
    __atomic_store_n(&hdr->undo_len, n + 1, __ATOMIC_RELEASE);
    __atomic_store_n(p, value, __ATOMIC_RELEASE);
}

void tx_put_bytes(struct engine_ls *ls, void *dst, const void *src, size_t len)
{
    uint8_t *to = dst;
    const uint8_t *from = src;
    size_t i;

    for (i = 0; i + 4 <= len; i += 4) {
        uint32_t word;

        memcpy(&word, from + i, 4);
        tx_put(ls, to + i, word);
    }
}

/* A holder recorded in the mutex word that no longer exists.  A word of 0
 * only means the mutex changed hands while we waited: under contention a
 * waiter can be passed over for a long time, and must simply try again. */
static int holder_vanished(struct engine_ls *ls)
{
    uint32_t word = shared_load((uint32_t *)&ls->hdr->mutex);
    pid_t holder = (pid_t)(word & ROBUST_TID_MASK);

    return holder != 0 && kill(holder, 0) != 0 && errno == ESRCH;
}

/* A holder died inside a transaction: put back what it changed, finish
 * the grant pass it may have left, and purge every dead process. */
static void repair(struct engine_ls *ls)
{
    undo(ls);
    grant_finish_pending(ls);
    proc_purge_dead(ls);
}

int tx_begin(struct engine_ls *ls)
{
    /* Uncontended, the mutex is had without reading the clock. */
    int rc = pthread_mutex_trylock(&ls->hdr->mutex);

    for (;;) {
        struct timespec deadline;

        if (rc == EBUSY) {
            clock_gettime(CLOCK_REALTIME, &deadline);
            deadline.tv_sec += MUTEX_PATIENCE_SECONDS;
            rc = pthread_mutex_timedlock(&ls->hdr->mutex, &deadline);
        }
        if (rc == 0 || rc == EOWNERDEAD) {
            ls->damaged = 0;
            ls->undo_overflow = 0;
            if (rc == EOWNERDEAD) {
                repair(ls);
                pthread_mutex_consistent(&ls->hdr->mutex);
            }
            return 0;
        }
        if (rc != ETIMEDOUT || holder_vanished(ls))
            return -EIO;
        rc = EBUSY;
    }
}

int tx_end(struct engine_ls *ls)
{
    int failed = ls->damaged || ls->undo_overflow;

    if (failed)
        tx_rollback(ls);
    else
        tx_commit(ls);
    pthread_mutex_unlock(&ls->hdr->mutex);
    proc_ring_doorbells(ls);
    return failed ? -EIO : 0;
}
