/*
 * New locks, through <sys/dlm.h> only: dlm_lock(), dlm_locktp(),
 * dlm_quelock(), dlm_quelocktp() (reference 2.6, 2.7, 3.2, 4.4-4.6), and
 * what a forked child or many threads see of them.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

static void synchronous_lock_is_granted_with_success(void)
{
    dlm_lkid_t lkid = { 0, 0 };
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "lk-sync", DLM_EXMODE, NULL, 0, 0, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT(lkid.seqn != 0 || lkid.hndl != 0);
    CU_ASSERT(fixture_holds(&lkid, DLM_EXMODE));
    CU_ASSERT_EQUAL(fixture_granted_mode(ns, NULL, "lk-sync"), DLM_EXMODE);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_granted_mode(ns, NULL, "lk-sync"), DLM_NLMODE);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void immediate_grant_with_syncsts_is_synch(void)
{
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "lk-synch", DLM_PRMODE, NULL, DLM_SYNCSTS, 0,
                                      &lkid), DLM_SYNCH);
    CU_ASSERT(fixture_holds(&lkid, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* A grant after a wait is DLM_SUCCESS even with DLM_SYNCSTS.  The agent
 * lets go only when its blocking routine says someone waits, and hears
 * the mode the waiter wants. */
static void synchronous_lock_waits_until_another_process_releases(void)
{
    struct peer holder;
    dlm_lkmode_t blocked = 0;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "lk-wait", DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, "lk-wait", DLM_NLMODE), 1);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, "lk-wait", DLM_CRMODE), 0);
    agent_yield(&holder, 0);
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "lk-wait", DLM_PWMODE, NULL, DLM_SYNCSTS,
                                      FIXTURE_PATIENCE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_answer(&holder, &blocked), DLM_SUCCESS);
    CU_ASSERT_EQUAL(blocked, DLM_PWMODE);
    CU_ASSERT(fixture_holds(&lkid, DLM_PWMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* The holder's blocking routine hears its own notprm and lock ID, the
 * blocked request's hint (NULL on the Linux engine: the kernel carries
 * none) and the mode it asks for. */
static void blocking_routine_hears_the_blocked_request(void)
{
    struct fixture_events events;
    struct peer waiter;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(ns, (uchar_t *)"lk-blk", 6, NULL, &lkid, DLM_PRMODE, NULL, 0,
                                   &events, NULL, fixture_blocked, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&waiter, NULL), DLM_SUCCESS);
    agent_lock_later(&waiter, 0, "lk-blk", DLM_PWMODE, 0, 0x5a5a);
    CU_ASSERT(fixture_await_blocks(&events, 1));
    CU_ASSERT_EQUAL(events.blocked_mode, DLM_PWMODE);
    CU_ASSERT_PTR_EQUAL(events.hint, fixture_hint_heard((callback_arg_t)0x5a5a));
    CU_ASSERT_PTR_EQUAL(events.blk_notprm, &events);
    CU_ASSERT(fixture_same_lkid(&events.blk_lkid, &lkid));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_answer(&waiter, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(events.blocks, 1);
    CU_ASSERT_EQUAL(agent_stop(&waiter), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* A lock without a blocking routine is never told, and a compatible
 * request blocks nobody. */
static void compatible_requests_call_no_blocking_routine(void)
{
    struct fixture_events events;
    struct peer other;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(ns, (uchar_t *)"lk-nblk", 7, NULL, &lkid, DLM_PRMODE, NULL, 0,
                                   &events, NULL, fixture_blocked, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&other, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&other, 0, -1, "lk-nblk", DLM_PRMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&other, 1, -1, "lk-nblk", DLM_CRMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&other), 0);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(events.blocks, 0);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void noqueue_request_not_grantable_is_not_queued(void)
{
    struct peer holder;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "lk-noq", DLM_PWMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "lk-noq", DLM_PRMODE, NULL, DLM_NOQUEUE, 0,
                                      &lkid), DLM_NOTQUEUED);
    /* No lock was left behind. */
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_IVLOCKID);
    /* A compatible one is granted. */
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "lk-noq", DLM_CRMODE, NULL, DLM_NOQUEUE, 0,
                                      &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* The matrix of reference 3.2, between two processes. */
static void modes_conflict_as_the_compatibility_matrix_says(void)
{
    static const int compatible[6][6] = {
        { 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1, 0 }, { 1, 1, 1, 0, 0, 0 },
        { 1, 1, 0, 1, 0, 0 }, { 1, 1, 0, 0, 0, 0 }, { 1, 0, 0, 0, 0, 0 },
    };
    dlm_lkmode_t held, wanted;
    struct peer holder;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    for (held = DLM_NLMODE; held <= DLM_EXMODE; held++) {
        CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "lk-matrix", held, 0, NULL), DLM_SUCCESS);
        for (wanted = DLM_NLMODE; wanted <= DLM_EXMODE; wanted++) {
            int probe = fixture_probe(ns, NULL, "lk-matrix", wanted);

            if (probe != compatible[held - 1][wanted - 1])
                printf("\n    held %d, wanted %d: probe %d ", held, wanted, probe);
            CU_ASSERT_EQUAL(probe, compatible[held - 1][wanted - 1]);
        }
        CU_ASSERT_EQUAL(agent_unlock(&holder, 0, 0, NULL), DLM_SUCCESS);
    }
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Reference 4.6: a new request is granted at once only if nothing waits
 * ahead of it, even when it is compatible with every granted lock. */
static void new_request_waits_behind_a_waiting_one(void)
{
    struct fixture_events waiting;
    struct peer holder;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&waiting, 0, sizeof waiting);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "lk-fifo", DLM_PRMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "lk-fifo", DLM_EXMODE, 0, 0, &waiting, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, "lk-fifo", DLM_PRMODE), 0);
    CU_ASSERT_EQUAL(agent_unlock(&holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&waiting, 1));
    CU_ASSERT_EQUAL(waiting.status, DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* dlm_quelock queues and returns DLM_SUCCESS; the completion routine
 * gets (notprm, the lock's ID, the final status) from dlm_notify. */
static void queued_lock_completes_through_dlm_notify(void)
{
    struct fixture_events events;
    struct peer holder;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "lk-queued", DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "lk-queued", DLM_PRMODE, DLM_SYNCSTS, 0, &events,
                                    &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(events.completions, 0);
    CU_ASSERT_EQUAL(agent_unlock(&holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT_PTR_EQUAL(events.cpl_notprm, &events);
    CU_ASSERT(fixture_same_lkid(&events.cpl_lkid, &lkid));
    CU_ASSERT(fixture_holds(&lkid, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(events.completions, 1);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Choice (reference 9, #7): without DLM_SYNCSTS an immediate grant is
 * still reported by the completion routine, the call saying DLM_SUCCESS. */
static void queued_lock_granted_at_once_still_completes(void)
{
    struct fixture_events events;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "lk-atonce", DLM_EXMODE, 0, 0, &events, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT(fixture_same_lkid(&events.cpl_lkid, &lkid));
    CU_ASSERT(fixture_holds(&lkid, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* With DLM_SYNCSTS an immediate grant is the call's DLM_SYNCH, and no
 * completion routine runs. */
static void queued_lock_granted_at_once_with_syncsts_is_synch_without_completion(void)
{
    struct fixture_events events;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "lk-qsynch", DLM_EXMODE, DLM_SYNCSTS, 0, &events,
                                    &lkid), DLM_SYNCH);
    CU_ASSERT(fixture_holds(&lkid, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(events.completions, 0);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(events.completions, 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* DLM_NOQUEUE refusals of dlm_quelock are the call's status; no
 * completion. */
static void queued_noqueue_refusal_is_returned_without_completion(void)
{
    struct fixture_events events;
    struct peer holder;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "lk-qnoq", DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "lk-qnoq", DLM_CRMODE, DLM_NOQUEUE, 0, &events,
                                    &lkid), DLM_NOTQUEUED);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(events.completions, 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* dlm_locktp and dlm_quelocktp without a transaction or a domain are
 * dlm_lock and dlm_quelock. */
static void transaction_calls_lock_like_the_plain_ones(void)
{
    struct fixture_events events;
    dlm_lkid_t a, b;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_locktp(ns, (uchar_t *)"lk-tp", 5, NULL, &a, DLM_PRMODE, NULL,
                               DLM_SYNCSTS, NULL, NULL, NULL, 0, 0, 0), DLM_SYNCH);
    CU_ASSERT_EQUAL(dlm_quelocktp(ns, (uchar_t *)"lk-tp", 5, NULL, &b, DLM_EXMODE, NULL, 0,
                                  &events, NULL, NULL, 0, fixture_completed, 0, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(dlm_unlock(&a, NULL, 0), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT(fixture_holds(&b, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&b, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Locks of one process conflict with each other like anyone's. */
static void locks_of_one_process_conflict(void)
{
    dlm_lkid_t a, b;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock(ns, NULL, "lk-self", DLM_PWMODE, &a), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "lk-self", DLM_PWMODE, NULL, DLM_NOQUEUE, 0,
                                      &b), DLM_NOTQUEUED);
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "lk-self", DLM_CRMODE, NULL, DLM_NOQUEUE, 0,
                                      &b), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* A process's exit releases its locks. */
static void exit_releases_a_process_s_locks(void)
{
    struct peer holder;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "lk-exit", DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, "lk-exit", DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(fixture_granted_mode(ns, NULL, "lk-exit"), DLM_NLMODE);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* --- fork ----------------------------------------------------------------------- */

struct parent_state {
    dlm_nsp_t ns;
    dlm_lkid_t lkid;
};

struct child_findings {
    dlm_status_t unlock, cvt, cancel, sublock, leave, lock_in_parent_ns, join, probe_ex,
        probe_nl;
};

static void child_of_a_fork(struct peer *self, void *arg)
{
    struct parent_state *parent = arg;
    struct child_findings f;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    f.unlock = dlm_unlock(&parent->lkid, NULL, 0);
    f.cvt = dlm_cvt(&parent->lkid, DLM_NLMODE, NULL, 0, NULL, NULL, NULL, 0);
    f.cancel = dlm_cancel(&parent->lkid, 0);
    f.sublock = fixture_lock(0, &parent->lkid, "kid", DLM_NLMODE, &lkid);
    f.lock_in_parent_ns = fixture_lock(parent->ns, NULL, "lk-fork-other", DLM_NLMODE, &lkid);
    f.leave = dlm_nsleave(&parent->ns, 0);
    f.join = fixture_join(&ns);
    f.probe_ex = fixture_probe(ns, NULL, "lk-fork", DLM_EXMODE);
    f.probe_nl = fixture_probe(ns, NULL, "lk-fork", DLM_NLMODE);
    dlm_nsleave(&ns, 0);
    if (write(self->to_peer, &f, sizeof f) != (ssize_t)sizeof f)
        _exit(1);
}

static void a_forked_child_holds_none_of_its_parent_s_locks(void)
{
    struct parent_state parent;
    struct child_findings f;
    struct peer child;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&parent.ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(parent.ns, NULL, "lk-fork", DLM_EXMODE, &parent.lkid),
                          DLM_SUCCESS);
    CU_ASSERT_FATAL(peer_start(&child, child_of_a_fork, &parent) == 0);
    CU_ASSERT_EQUAL(read(child.from_peer, &f, sizeof f), (ssize_t)sizeof f);
    CU_ASSERT_EQUAL(peer_finish(&child), 0);
    CU_ASSERT_EQUAL(f.unlock, DLM_IVLOCKID);
    CU_ASSERT_EQUAL(f.cvt, DLM_IVLOCKID);
    CU_ASSERT_EQUAL(f.cancel, DLM_IVLOCKID);
    CU_ASSERT_EQUAL(f.sublock, DLM_IVLOCKID);
    CU_ASSERT_EQUAL(f.lock_in_parent_ns, DLM_NOTATTACHED);
    CU_ASSERT_EQUAL(f.leave, DLM_NOTATTACHED);
    CU_ASSERT_EQUAL(f.join, DLM_SUCCESS);
    CU_ASSERT_EQUAL(f.probe_ex, 0);     /* the parent's EX stands */
    CU_ASSERT_EQUAL(f.probe_nl, 1);
    /* And the parent still has it all. */
    CU_ASSERT(fixture_holds(&parent.lkid, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&parent.lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&parent.ns, 0), DLM_SUCCESS);
}

/* --- threads -------------------------------------------------------------------- */

#define THREADS 8
#define ROUNDS 300

struct worker {
    dlm_nsp_t ns;
    int index;
    long *shared;               /* guarded by EX on "lk-threads" */
    int failures;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    char own[16];
    int i;

    snprintf(own, sizeof own, "lk-thread%d", w->index);
    for (i = 0; i < ROUNDS; i++) {
        dlm_lkid_t shared, mine;
        long seen;

        if (fixture_lock(w->ns, NULL, "lk-threads", DLM_EXMODE, &shared) != DLM_SUCCESS) {
            w->failures++;
            continue;
        }
        /* A lost update here would mean two EX holders at once. */
        seen = *(volatile long *)w->shared;
        if (fixture_lock(w->ns, NULL, own, DLM_PWMODE, &mine) != DLM_SUCCESS
            || dlm_unlock(&mine, NULL, 0) != DLM_SUCCESS)
            w->failures++;
        *(volatile long *)w->shared = seen + 1;
        if (dlm_unlock(&shared, NULL, 0) != DLM_SUCCESS)
            w->failures++;
    }
    return NULL;
}

static void threads_lock_and_unlock_concurrently(void)
{
    struct worker workers[THREADS];
    pthread_t threads[THREADS];
    long shared = 0;
    dlm_nsp_t ns;
    int i, failures = 0;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    for (i = 0; i < THREADS; i++) {
        workers[i] = (struct worker){ ns, i, &shared, 0 };
        CU_ASSERT_FATAL(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    for (i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        failures += workers[i].failures;
    }
    CU_ASSERT_EQUAL(failures, 0);
    CU_ASSERT_EQUAL(shared, (long)THREADS * ROUNDS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static const struct harness_test tests[] = {
    { "synchronous lock is granted with DLM_SUCCESS", synchronous_lock_is_granted_with_success },
    { "immediate grant with DLM_SYNCSTS is DLM_SYNCH", immediate_grant_with_syncsts_is_synch },
    { "synchronous lock waits until another process releases",
      synchronous_lock_waits_until_another_process_releases },
    { "blocking routine hears the blocked request", blocking_routine_hears_the_blocked_request },
    { "compatible requests call no blocking routine",
      compatible_requests_call_no_blocking_routine },
    { "DLM_NOQUEUE request not grantable is DLM_NOTQUEUED",
      noqueue_request_not_grantable_is_not_queued },
    { "modes conflict as the compatibility matrix says",
      modes_conflict_as_the_compatibility_matrix_says },
    { "new request waits behind a waiting one", new_request_waits_behind_a_waiting_one },
    { "queued lock completes through dlm_notify", queued_lock_completes_through_dlm_notify },
    { "queued lock granted at once still completes",
      queued_lock_granted_at_once_still_completes },
    { "queued lock granted at once with DLM_SYNCSTS is DLM_SYNCH without completion",
      queued_lock_granted_at_once_with_syncsts_is_synch_without_completion },
    { "queued DLM_NOQUEUE refusal is returned without completion",
      queued_noqueue_refusal_is_returned_without_completion },
    { "dlm_locktp and dlm_quelocktp lock like the plain calls",
      transaction_calls_lock_like_the_plain_ones },
    { "locks of one process conflict", locks_of_one_process_conflict },
    { "exit releases a process's locks", exit_releases_a_process_s_locks },
    { "a forked child holds none of its parent's locks",
      a_forked_child_holds_none_of_its_parent_s_locks },
    { "threads lock and unlock concurrently", threads_lock_and_unlock_concurrently },
    { NULL, NULL }
};

static const struct harness_suite suite = { "locks", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
