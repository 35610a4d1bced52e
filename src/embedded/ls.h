/*
 * A process's handle on an embedded lockspace, and the bounds-checked
 * accessors every piece of the engine reads shared memory through.
 */
#ifndef DLM_TRU64_EMBEDDED_LS_H
#define DLM_TRU64_EMBEDDED_LS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine.h"
#include "layout.h"

/* What this process remembers of one of its locks: the routines and the
 * status block live in its own memory, never in the shared segment (which
 * another process could write). */
struct local_lock {
    uint32_t lkid;              /* 0: no lock here */
    engine_ast_fn *ast;
    engine_bast_fn *bast;
    void *astarg;
    struct engine_lksb *lksb;
};

#define LOCAL_CHUNK_BITS 12
#define LOCAL_CHUNK_SIZE (1u << LOCAL_CHUNK_BITS)

struct engine_ls {
    char name[ENGINE_LSNAME_MAXLEN + 1];
    unsigned int fork_generation;   /* of the process that opened it */
    pid_t opener;                   /* that process */

    /* The mapping, and the layout validated when it was opened.  These
     * local copies are what the accessors trust, never the header. */
    uint8_t *base;
    size_t size;
    struct seg_header *hdr;
    struct seg_proc *procs;
    struct seg_lock *locks;
    struct seg_resource *resources;
    uint32_t *hash;
    uint32_t max_procs, max_locks, max_resources, hash_mask;

    uint32_t self;                  /* this process's slot */
    pthread_t keeper;
    pthread_mutex_t keeper_mutex;   /* keeper handshake (local) */
    pthread_cond_t keeper_cond;
    int keeper_state;               /* enum keeper_state in proc.c */
    int keeper_error;

    /* State of the transaction in progress; the lockspace mutex guards it. */
    int damaged;                    /* an index read was out of range */
    int undo_overflow;
    uint32_t *wake;                 /* slots to wake after the mutex, a bitmap */

    /* This process's locks, by lock block index; the mutex guards them. */
    struct local_lock **local;
    uint32_t nchunks;

    uint32_t doorbell_seen;         /* doorbell value at the last dispatch */
};

/* A handle that maps the lockspace's segment (creating it if the spec
 * says so) without attaching this process to it, and its release: the
 * first step of engine_ops.ls_open, and all that administration needs.
 * 0 or a negative errno, as segment_open. */
int embedded_map(const struct engine_ls_spec *spec, struct engine_ls **ls);
void embedded_unmap(struct engine_ls *ls);

static inline struct seg_lock *lock_at(struct engine_ls *ls, uint32_t index)
{
    if (index > ls->max_locks) {
        ls->damaged = 1;
        index = 0;
    }
    return &ls->locks[index];
}

static inline struct seg_resource *resource_at(struct engine_ls *ls, uint32_t index)
{
    if (index > ls->max_resources) {
        ls->damaged = 1;
        index = 0;
    }
    return &ls->resources[index];
}

static inline struct seg_proc *proc_at(struct engine_ls *ls, uint32_t index)
{
    if (index > ls->max_procs) {
        ls->damaged = 1;
        index = 0;
    }
    return &ls->procs[index];
}

static inline uint32_t lock_index(struct engine_ls *ls, const struct seg_lock *lock)
{
    return (uint32_t)(lock - ls->locks);
}

static inline uint32_t resource_index(struct engine_ls *ls, const struct seg_resource *res)
{
    return (uint32_t)(res - ls->resources);
}

static inline uint32_t lkid_of(struct engine_ls *ls, const struct seg_lock *lock)
{
    return (lock->gen & LKID_GEN_MASK) << LKID_INDEX_BITS | lock_index(ls, lock);
}

/* A mode read from shared memory, made safe to index tables with. */
static inline int mode_ok(int32_t mode)
{
    return mode >= ENGINE_MODE_NL && mode <= ENGINE_MODE_EX;
}

#endif
