/*
 * Transactions on a lockspace segment.
 *
 * All changes to shared state are made by the holder of the lockspace's
 * robust mutex, one word at a time through tx_put(), which first records
 * the word's old value in the undo log kept in the segment.  tx_commit()
 * empties the log: the state is then consistent.  If a process dies at any
 * instruction while holding the mutex, the next process to take it gets
 * EOWNERDEAD, replays the log backwards, and so restores the state of the
 * last commit exactly; it then finishes the work a commit may leave pending
 * (the grant pass of seg_header.dirty_resource) and purges dead processes.
 *
 * A long operation (a grant pass over many locks, a dead process's purge)
 * is a series of short transactions, each consistent on its own.
 */
#ifndef DLM_TRU64_EMBEDDED_TX_H
#define DLM_TRU64_EMBEDDED_TX_H

#include <stddef.h>
#include <stdint.h>

#include "ls.h"

/* Take the lockspace mutex, repairing after a dead holder.  0, or -EIO
 * when the segment is damaged beyond repair. */
int tx_begin(struct engine_ls *ls);

/* Change one 32-bit word of the segment, logged. */
void tx_put(struct engine_ls *ls, void *word, uint32_t value);

/* Change len bytes (a multiple of 4), logged word by word. */
void tx_put_bytes(struct engine_ls *ls, void *dst, const void *src, size_t len);

/* Make everything put so far permanent. */
void tx_commit(struct engine_ls *ls);

/* Undo everything put since the last commit. */
void tx_rollback(struct engine_ls *ls);

/* Commit (or, when the transaction saw damage, roll back), release the
 * mutex and ring the doorbells of the processes that were posted to.
 * Returns 0, or -EIO when the transaction was rolled back. */
int tx_end(struct engine_ls *ls);

/* Atomic access to words other processes read without the mutex. */
static inline uint32_t shared_load(const uint32_t *word)
{
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}

#endif
