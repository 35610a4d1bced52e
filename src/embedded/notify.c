/*
 * Notifications: a lock with something to tell its owner sits on the
 * owner's pending list in the segment, with the facts in the lock block
 * (NOTIFY_*).  Posting bumps the owner's doorbell, a futex word; the owner
 * sleeps on it in proc_wait() and collects the list in proc_dispatch(),
 * which runs the routines from its private records (local.h) after
 * releasing the mutex.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "futex.h"
#include "grant.h"
#include "local.h"
#include "proc.h"
#include "table.h"
#include "tx.h"

/* Routines collected under the mutex, run after it. */
#define DISPATCH_BATCH 64

struct pending_call {
    engine_ast_fn *ast;
    engine_bast_fn *bast;
    void *astarg;
    int mode;
    uint64_t hint;
};

static void enqueue(struct engine_ls *ls, struct seg_lock *lock, uint32_t what)
{
    struct seg_proc *proc = proc_at(ls, lock->owner);
    uint32_t index = lock_index(ls, lock);

    if (lock->notify == 0) {
        tx_put(ls, &lock->pend_next, 0);
        tx_put(ls, &lock->pend_prev, proc->pend_tail);
        if (proc->pend_tail != 0)
            tx_put(ls, &lock_at(ls, proc->pend_tail)->pend_next, index);
        else
            tx_put(ls, &proc->pend_head, index);
        tx_put(ls, &proc->pend_tail, index);
    }
    tx_put(ls, &lock->notify, lock->notify | what);
    /* The doorbell is not logged: ringing it for a posting that is then
     * rolled back costs the owner one spurious wake-up, nothing more. */
    __atomic_add_fetch(&proc->doorbell, 1, __ATOMIC_SEQ_CST);
    __atomic_or_fetch(&ls->wake[lock->owner / 32], 1u << (lock->owner % 32), __ATOMIC_RELAXED);
}

void proc_post_ast(struct engine_ls *ls, struct seg_lock *lock, int status)
{
    if (lock->owner == 0)
        return;         /* orphans hear nothing */
    tx_put(ls, &lock->ast_status, (uint32_t)status);
    enqueue(ls, lock, NOTIFY_AST | (lock->sbflags & SBF_LVB_RETURNED ? NOTIFY_LVB : 0));
}

void proc_post_bast(struct engine_ls *ls, struct seg_lock *lock, int mode, uint64_t hint)
{
    if (lock->owner == 0)
        return;
    tx_put(ls, &lock->bast_mode, (uint32_t)mode);
    tx_put(ls, &lock->bast_hint_lo, (uint32_t)hint);
    tx_put(ls, &lock->bast_hint_hi, (uint32_t)(hint >> 32));
    enqueue(ls, lock, NOTIFY_BAST);
}

void proc_unpost(struct engine_ls *ls, struct seg_lock *lock)
{
    struct seg_proc *proc;

    if (lock->notify == 0)
        return;
    proc = proc_at(ls, lock->owner);
    if (lock->pend_prev != 0)
        tx_put(ls, &lock_at(ls, lock->pend_prev)->pend_next, lock->pend_next);
    else
        tx_put(ls, &proc->pend_head, lock->pend_next);
    if (lock->pend_next != 0)
        tx_put(ls, &lock_at(ls, lock->pend_next)->pend_prev, lock->pend_prev);
    else
        tx_put(ls, &proc->pend_tail, lock->pend_prev);
    tx_put(ls, &lock->notify, 0);
}

void proc_ring_doorbells(struct engine_ls *ls)
{
    uint32_t word, nwords = ls->max_procs / 32 + 1;

    /* Rung after the mutex is released, while another thread of this
     * process may already be posting again: hence the atomics. */
    for (word = 0; word < nwords; word++) {
        uint32_t bits;

        /* Most transactions mark nobody: a plain look spares the locked
         * exchange.  A bit set after the look is rung by its setter, whose
         * own tx_end comes here too. */
        if (__atomic_load_n(&ls->wake[word], __ATOMIC_RELAXED) == 0)
            continue;
        bits = __atomic_exchange_n(&ls->wake[word], 0, __ATOMIC_RELAXED);

        while (bits != 0) {
            uint32_t bit = (uint32_t)__builtin_ctz(bits);
            struct seg_proc *proc = proc_at(ls, word * 32 + bit);

            bits &= bits - 1;
            /* Only a sleeper needs the system call (see proc_wait). */
            if (__atomic_load_n(&proc->sleepers, __ATOMIC_SEQ_CST) != 0)
                futex_wake_all(&proc->doorbell);
        }
    }
}

/* The futex words to sleep on: this process's doorbell, and the liveness
 * word of every other live process, marked so that the kernel wakes a
 * watcher when that process dies.  Returns how many, or 0 when a watched
 * process is already dead. */
static unsigned int watch_list(struct engine_ls *ls, uint32_t **words, uint32_t *expected)
{
    struct seg_proc *self = proc_at(ls, ls->self);
    unsigned int n = 0;
    uint32_t slot;

    words[n] = &self->doorbell;
    expected[n++] = ls->doorbell_seen;
    for (slot = 1; slot <= ls->max_procs && n < FUTEX_WAITV_MAX; slot++) {
        struct seg_proc *proc = proc_at(ls, slot);
        uint32_t *word = robust_mutex_word(&proc->liveness);
        uint32_t value;

        if (slot == ls->self || shared_load(&proc->state) != PROC_LIVE)
            continue;
        value = shared_load(word);
        if ((value & ROBUST_OWNER_DIED) || (value & ROBUST_TID_MASK) == 0)
            return 0;
        if (!(value & ROBUST_WAITERS)) {
            uint32_t marked = value | ROBUST_WAITERS;

            if (!__atomic_compare_exchange_n(word, &value, marked, 0,
                                             __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
                return 0;   /* it changed under us: look again */
            value = marked;
        }
        words[n] = word;
        expected[n++] = value;
    }
    return n;
}

int proc_wait(struct engine_ls *ls, int timeout_ms)
{
    struct seg_proc *self = proc_at(ls, ls->self);
    uint32_t *words[FUTEX_WAITV_MAX];
    uint32_t expected[FUTEX_WAITV_MAX];
    unsigned int n;
    int rc;

    __atomic_add_fetch(&self->sleepers, 1, __ATOMIC_SEQ_CST);
    /* A posting after this load sees sleepers != 0 and wakes us; one
     * before it changed the doorbell, and we do not sleep. */
    if (shared_load(&self->doorbell) != ls->doorbell_seen) {
        rc = 0;
    } else {
        n = watch_list(ls, words, expected);
        rc = n == 0 ? 0 : futex_wait_any(words, expected, n, timeout_ms);
    }
    __atomic_sub_fetch(&self->sleepers, 1, __ATOMIC_SEQ_CST);
    return rc == -EINTR ? 0 : rc;
}

/* Under the mutex: take up to DISPATCH_BATCH notifications off this
 * process's list, complete the status blocks, and note the routines. */
static unsigned int collect(struct engine_ls *ls, struct pending_call *calls)
{
    struct seg_proc *self = proc_at(ls, ls->self);
    unsigned int n = 0;

    while (self->pend_head != 0 && n + 2 <= DISPATCH_BATCH && !ls->damaged) {
        struct seg_lock *lock = lock_at(ls, self->pend_head);
        uint32_t what = lock->notify;
        struct local_lock *local = local_find(ls, lkid_of(ls, lock));

        proc_unpost(ls, lock);
        if (local == NULL || lock->owner != ls->self)
            continue;
        if (what & NOTIFY_AST) {
            struct engine_lksb *lksb = local->lksb;

            lksb->status = lock->ast_status;
            lksb->flags = lock->sbflags & (ENGINE_SBF_DEMOTED | ENGINE_SBF_VALNOTVALID
                                           | ENGINE_SBF_ALTMODE);
            if ((what & NOTIFY_LVB) && lksb->lvb != NULL)
                memcpy(lksb->lvb, lock->lvb, ENGINE_LVB_LEN);
            if (local->ast != NULL)
                calls[n++] = (struct pending_call){ local->ast, NULL, local->astarg, 0, 0 };
        }
        if ((what & NOTIFY_BAST) && local->bast != NULL)
            calls[n++] = (struct pending_call){
                NULL, local->bast, local->astarg, lock->bast_mode,
                (uint64_t)lock->bast_hint_hi << 32 | lock->bast_hint_lo };
    }
    return n;
}

void proc_wake(struct engine_ls *ls)
{
    struct seg_proc *self = proc_at(ls, ls->self);

    __atomic_add_fetch(&self->doorbell, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&self->sleepers, __ATOMIC_SEQ_CST) != 0)
        futex_wake_all(&self->doorbell);
}

int proc_dispatch(struct engine_ls *ls)
{
    struct pending_call calls[DISPATCH_BATCH];
    unsigned int n, i;
    int ran = 0, rc;

    do {
        rc = tx_begin(ls);
        if (rc != 0)
            return rc;
        proc_purge_dead(ls);
        ls->doorbell_seen = shared_load(&proc_at(ls, ls->self)->doorbell);
        n = collect(ls, calls);
        rc = tx_end(ls);
        if (rc != 0)
            return rc;
        for (i = 0; i < n; i++) {
            if (calls[i].ast != NULL)
                calls[i].ast(calls[i].astarg);
            else
                calls[i].bast(calls[i].astarg, calls[i].mode, calls[i].hint);
        }
        ran += (int)n;
    } while (n + 2 > DISPATCH_BATCH);
    /* The routines just run may have finished what another thread of this
     * process waits for, and that thread may be asleep on the doorbell
     * already (the notification was collected here, not by it): ring the
     * doorbell once more so that every sleeper looks again. */
    if (ran > 0)
        proc_wake(ls);
    return ran;
}
