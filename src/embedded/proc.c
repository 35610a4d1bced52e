#include "config.h"

#include "proc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "futex.h"
#include "grant.h"
#include "groups.h"
#include "local.h"
#include "table.h"
#include "tx.h"

enum keeper_state {
    KEEPER_STARTING,
    KEEPER_ATTACHED,    /* holds the slot; waits to be told to leave */
    KEEPER_LEAVING,     /* asked to leave */
    KEEPER_DONE         /* left the slot (or failed to get one) */
};

int proc_is_dead(struct engine_ls *ls, uint32_t slot)
{
    struct seg_proc *proc = proc_at(ls, slot);
    uint32_t word;

    if (shared_load(&proc->state) != PROC_LIVE)
        return 0;
    word = shared_load(robust_mutex_word(&proc->liveness));
    return (word & ROBUST_OWNER_DIED) != 0 || (word & ROBUST_TID_MASK) == 0;
}

void proc_end_lock(struct engine_ls *ls, struct seg_lock *lock)
{
    struct seg_resource *res = resource_at(ls, lock->resource);

    proc_unpost(ls, lock);
    /* As Linux does for a closing process: FORCEUNLOCK|IVVALBLK. */
    grant_unlock_lvb(ls, res, lock, ENGINE_LKF_IVVALBLK);
    queue_del(ls, res, lock);
    lock_free(ls, lock);
    tx_put(ls, &res->nlocks, res->nlocks - 1);
    grant_pending(ls, res);
}

/* Keep a granted lock, with no owner, at its granted mode; its pending
 * conversion goes. */
static void keep_without_owner(struct engine_ls *ls, struct seg_lock *lock)
{
    struct seg_resource *res = resource_at(ls, lock->resource);

    proc_unpost(ls, lock);
    if (lock->state == LOCK_CONVERTING) {
        queue_del(ls, res, lock);
        queue_add(ls, res, lock, QUEUE_GRANT, 0);
    }
    tx_put(ls, &lock->rqmode, (uint32_t)ENGINE_MODE_IV);
    tx_put(ls, &lock->owner, 0);
    grant_pending(ls, res);
}

void proc_release_lock(struct engine_ls *ls, struct seg_lock *lock)
{
    int granted = mode_ok(lock->grmode);

    /* An orphan, or a group lock of a group that lives on (Tru64: a
     * member's death does not release group locks). */
    if (granted && ((lock->flags & ENGINE_LKF_PERSISTENT)
                    || (lock->group != 0
                        && group_lives_on(ls, lock->group, lock->group_perm, lock->owner))))
        keep_without_owner(ls, lock);
    else
        proc_end_lock(ls, lock);
}

/* Release or orphan every lock the process in slot owns, then free the
 * slot.  Each lock is a transaction of its own; a repair after a crash
 * here simply carries on, the slot being still marked live. */
static void vacate_slot(struct engine_ls *ls, uint32_t slot)
{
    struct seg_proc *proc = proc_at(ls, slot);
    uint32_t index, end = lock_blocks_end(ls);

    for (index = 1; index < end && !ls->damaged; index++) {
        struct seg_lock *lock = lock_at(ls, index);

        if (lock->state != LOCK_FREE && lock->owner == slot)
            proc_release_lock(ls, lock);
    }
    /* The group's last member takes the group's locks along. */
    if (proc->group != 0 && !group_lives_on(ls, proc->group, proc->group_perm, slot))
        group_release_locks(ls, proc->group);
    if (ls->damaged)
        return;
    tx_put(ls, &proc->pend_head, 0);
    tx_put(ls, &proc->pend_tail, 0);
    tx_put(ls, &proc->pid, 0);
    tx_put(ls, &proc->group, 0);
    tx_put(ls, &proc->group_perm, 0);
    tx_put(ls, &proc->state, PROC_FREE);
    tx_commit(ls);
}

/* Take a dead process's liveness mutex back into a clean, unlocked state,
 * and wake whoever watched it. */
static void reset_liveness(struct seg_proc *proc)
{
    int rc = pthread_mutex_trylock(&proc->liveness);

    if (rc == EOWNERDEAD) {
        pthread_mutex_consistent(&proc->liveness);
        rc = 0;
    }
    if (rc == 0)
        pthread_mutex_unlock(&proc->liveness);
    futex_wake_all(robust_mutex_word(&proc->liveness));
}

void proc_purge_dead(struct engine_ls *ls)
{
    uint32_t slot;

    for (slot = 1; slot <= ls->max_procs && !ls->damaged; slot++) {
        if (slot != ls->self && proc_is_dead(ls, slot)) {
            vacate_slot(ls, slot);
            reset_liveness(proc_at(ls, slot));
        }
    }
}

int proc_purge_dead_on(struct engine_ls *ls, struct seg_resource *res)
{
    enum queue q;

    for (q = QUEUE_GRANT; q < NQUEUES; q++) {
        struct seg_lock *lock;
        uint32_t next, guard;

        QUEUE_FOREACH(ls, res, q, lock, next, guard) {
            if (lock->owner != 0 && lock->owner != ls->self && proc_is_dead(ls, lock->owner)) {
                proc_purge_dead(ls);
                return 1;
            }
        }
    }
    return 0;
}

static int init_liveness(pthread_mutex_t *mutex)
{
    pthread_mutexattr_t attr;
    int rc;

    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    rc = pthread_mutex_init(mutex, &attr);
    pthread_mutexattr_destroy(&attr);
    return rc;
}

/* Under the mutex, in the keeper: find a free slot and lock its liveness
 * mutex for good.  A slot whose mutex is unusable is re-initialised: it is
 * free, so nobody else can be using it. */
static int claim_slot(struct engine_ls *ls)
{
    uint32_t slot;

    for (slot = 1; slot <= ls->max_procs; slot++) {
        struct seg_proc *proc = proc_at(ls, slot);
        int rc;

        if (proc->state != PROC_FREE)
            continue;
        rc = pthread_mutex_trylock(&proc->liveness);
        if (rc == EOWNERDEAD)
            rc = pthread_mutex_consistent(&proc->liveness);
        else if (rc != 0 && rc != EBUSY && init_liveness(&proc->liveness) == 0)
            rc = pthread_mutex_trylock(&proc->liveness);
        if (rc != 0)
            continue;
        tx_put(ls, &proc->pend_head, 0);
        tx_put(ls, &proc->pend_tail, 0);
        tx_put(ls, &proc->pid, (uint32_t)getpid());
        tx_put(ls, &proc->group, 0);
        tx_put(ls, &proc->group_perm, 0);
        tx_put(ls, &proc->state, PROC_LIVE);
        ls->self = slot;
        ls->doorbell_seen = shared_load(&proc->doorbell);
        return 0;
    }
    return -EUSERS;
}

static void set_keeper_state(struct engine_ls *ls, int state, int error)
{
    pthread_mutex_lock(&ls->keeper_mutex);
    ls->keeper_state = state;
    ls->keeper_error = error;
    pthread_cond_broadcast(&ls->keeper_cond);
    pthread_mutex_unlock(&ls->keeper_mutex);
}

/* The keeper thread: holds this process's slot, and its liveness mutex,
 * for as long as the process is attached; the mutex is marked when the
 * keeper ends, with the process or when asked to leave. */
static void *keeper(void *arg)
{
    struct engine_ls *ls = arg;
    int rc = tx_begin(ls);

    if (rc == 0 && ls->hdr->retired) {
        rc = -ESTALE;           /* removed since it was mapped: see engine.c */
        tx_end(ls);
    } else if (rc == 0) {
        proc_purge_dead(ls);    /* a stale segment is made reusable here */
        rc = claim_slot(ls);
        if (tx_end(ls) != 0 && rc == 0)
            rc = -EIO;
    }
    if (rc != 0) {
        set_keeper_state(ls, KEEPER_DONE, rc);
        return NULL;
    }
    set_keeper_state(ls, KEEPER_ATTACHED, 0);

    pthread_mutex_lock(&ls->keeper_mutex);
    while (ls->keeper_state != KEEPER_LEAVING)
        pthread_cond_wait(&ls->keeper_cond, &ls->keeper_mutex);
    pthread_mutex_unlock(&ls->keeper_mutex);

    if (tx_begin(ls) == 0) {
        vacate_slot(ls, ls->self);
        tx_end(ls);
    }
    /* The liveness mutex is never unlocked: glibc's unlock of a robust
     * mutex follows list links kept in the mutex itself, in shared memory
     * any other process may have scribbled on.  The keeper ends holding
     * it instead, and the kernel marks it "owner died", which it does
     * safely whatever the links say; the slot is free by then, and the
     * next claim takes the mutex over (claim_slot). */
    set_keeper_state(ls, KEEPER_DONE, 0);
    return NULL;
}

int proc_attach(struct engine_ls *ls)
{
    sigset_t all, previous;
    pthread_attr_t attr;
    int rc;

    pthread_mutex_init(&ls->keeper_mutex, NULL);
    pthread_cond_init(&ls->keeper_cond, NULL);
    ls->keeper_state = KEEPER_STARTING;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    /* The keeper takes no signals: they are the application's (its
     * notification signal above all, whose routines must run in one of
     * its own threads).  The thread inherits the mask it is created with. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    rc = pthread_create(&ls->keeper, &attr, keeper, ls);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    pthread_attr_destroy(&attr);
    if (rc != 0)
        return -rc;

    pthread_mutex_lock(&ls->keeper_mutex);
    while (ls->keeper_state == KEEPER_STARTING)
        pthread_cond_wait(&ls->keeper_cond, &ls->keeper_mutex);
    rc = ls->keeper_error;
    pthread_mutex_unlock(&ls->keeper_mutex);
    if (rc != 0)
        pthread_join(ls->keeper, NULL);
    return rc;
}

void proc_detach(struct engine_ls *ls)
{
    set_keeper_state(ls, KEEPER_LEAVING, 0);
    pthread_join(ls->keeper, NULL);
    pthread_cond_destroy(&ls->keeper_cond);
    pthread_mutex_destroy(&ls->keeper_mutex);
}
