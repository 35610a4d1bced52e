/*
 * The embedded engine's shared memory: one segment per lockspace, a file
 * mapped by every process that uses the lockspace.
 *
 *   header     identity, capacities, array offsets, the lockspace mutex,
 *              allocation state and the undo log
 *   procs[]    one slot per attached process
 *   locks[]    lock blocks
 *   resources[] resource blocks
 *   hash[]     resource name hash chains
 *
 * Arrays are indexed from 1; element 0 of each is a sink that out-of-range
 * indices are clamped to, so that a damaged segment can never make a
 * process read or write outside the mapping.  Links are indices, never
 * pointers: each process maps the segment at its own address.
 *
 * Everything below the header's mutex is changed only by its holder, and
 * only through the undo log (tx.h), so that a process dying at any
 * instruction leaves the segment restorable.
 */
#ifndef DLM_TRU64_EMBEDDED_LAYOUT_H
#define DLM_TRU64_EMBEDDED_LAYOUT_H

#include <pthread.h>
#include <stdint.h>

#include "engine.h"

#define SEG_MAGIC       0x34365552544d4c44ull   /* "DLMTRU64", little-endian */
#define SEG_VERSION     2u
#define SEG_READY       1u                      /* seg_header.ready once made */

/* A lock ID is a lock block index plus the block's generation, so that a
 * stale ID of a reused block is recognised. */
#define LKID_INDEX_BITS 21
#define LKID_INDEX_MASK ((1u << LKID_INDEX_BITS) - 1)
#define LKID_GEN_MASK   ((1u << (32 - LKID_INDEX_BITS)) - 1)

/* Default capacities of a new lockspace. */
#define SEG_DEFAULT_PROCS       256u
#define SEG_DEFAULT_LOCKS       (1u << 20)
#define SEG_DEFAULT_RESOURCES   (1u << 20)

/* The longest run of logged stores one transaction may make. */
#define UNDO_MAX 256u

enum lock_state {
    LOCK_FREE = 0,
    LOCK_GRANTED,       /* on the grant queue */
    LOCK_CONVERTING,    /* on the convert queue, granted at grmode */
    LOCK_WAITING        /* on the wait queue, never granted */
};

enum queue { QUEUE_GRANT = 0, QUEUE_CONVERT, QUEUE_WAIT, NQUEUES };

/* seg_lock.notify: what the owner has yet to be told. */
#define NOTIFY_AST      0x1u    /* completion: ast_status, sbflags */
#define NOTIFY_BAST     0x2u    /* blocking: bast_mode */
#define NOTIFY_LVB      0x4u    /* the completion returns lvb[] to the caller */

/* seg_lock.flags beyond the request's ENGINE_LKF_* bits. */
#define LOCK_HAS_BAST   0x80000000u /* the owner gave a blocking routine */

struct seg_lock {
    uint32_t state;         /* enum lock_state */
    uint32_t gen;           /* generation, part of the lock ID */
    uint32_t owner;         /* process slot; 0 for an orphan */
    /* A group lock belongs to its lock group, not to its owner: the owner
     * is only the member that manipulated it last (0: none), and any
     * member may take it over (groups.c). */
    uint32_t group;         /* lock group; 0 for a process's own lock */
    uint32_t group_perm;    /* the group outlives its last member */
    uint32_t resource;
    int32_t  grmode;        /* ENGINE_MODE_IV until first granted */
    int32_t  rqmode;
    uint32_t flags;         /* ENGINE_LKF_* of the latest request, LOCK_HAS_BAST */
    uint32_t prev, next;    /* resource queue, or the free list (next) */
    uint32_t pend_next;     /* owner's list of locks with notifications */
    uint32_t pend_prev;
    uint32_t notify;        /* NOTIFY_* */
    int32_t  ast_status;
    uint32_t sbflags;
    int32_t  bast_mode;
    int32_t  highbast;      /* highest mode a bast was sent for since grant */
    uint32_t tag_lo, tag_hi;    /* engine_lksb.owner_tag */
    uint32_t hint_lo, hint_hi;  /* engine_lksb.hint of its latest request */
    uint32_t bast_hint_lo, bast_hint_hi;    /* hint of the blocked request */
    uint8_t  lvb[ENGINE_LVB_LEN];   /* the lock's copy of the value block */
};

#define RES_VALNOTVALID 0x1u

struct seg_resource {
    uint32_t in_use;
    uint32_t hash_next;
    uint32_t namelen;
    uint32_t head[NQUEUES];
    uint32_t tail[NQUEUES];
    uint32_t nlocks;
    uint32_t lvb_seq;
    uint32_t flags;         /* RES_* */
    uint8_t  name[ENGINE_RESNAME_MAXLEN];
    uint8_t  lvb[ENGINE_LVB_LEN];
};

enum proc_state { PROC_FREE = 0, PROC_LIVE };

struct seg_proc {
    /* Held for its whole life by the attached process's keeper thread:
     * robust, so the kernel marks it when the process dies. */
    pthread_mutex_t liveness;
    uint32_t state;         /* enum proc_state */
    uint32_t pid;
    uint32_t doorbell;      /* futex word: bumped when a notification is posted */
    uint32_t pend_head;     /* locks with notifications, a list via pend_next */
    uint32_t pend_tail;
    uint32_t sleepers;      /* threads asleep on the doorbell */
    uint32_t group;         /* lock group it is a member of, 0: none */
    uint32_t group_perm;    /* that group outlives its last member */
};

struct undo_entry {
    uint64_t offset;        /* of the 32-bit word, from the segment start */
    uint32_t old;
    uint32_t pad;
};

struct seg_header {
    /* Written once by the creator, validated by every opener. */
    uint64_t magic;
    uint32_t version;
    uint32_t ready;         /* SEG_READY once the creator has initialised it all */
    uint64_t size;
    uint32_t max_procs, max_locks, max_resources, hash_buckets;
    uint64_t procs_off, locks_off, resources_off, hash_off;

    pthread_mutex_t mutex;  /* robust, process-shared */

    /* Allocation state, changed under the mutex. */
    uint32_t lock_free, lock_unused;        /* free list; first never-used index */
    uint32_t res_free, res_unused;
    uint32_t nlocks, nresources;
    uint32_t dirty_resource;    /* resource whose grant pass is unfinished */
    /* Set by an administrator who removed the segment's file while no
     * live process was attached: a process that mapped it before must
     * attach to whatever is at the path now instead (engine.c). */
    uint32_t retired;

    /* The undo log of the transaction in progress. */
    uint32_t undo_len;
    uint32_t undo_pad;
    struct undo_entry undo[UNDO_MAX];
};

static inline uint64_t lock_hint(const struct seg_lock *lock)
{
    return (uint64_t)lock->hint_hi << 32 | lock->hint_lo;
}

#endif
