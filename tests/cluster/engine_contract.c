/*
 * The engine contract on the kernel DLM: the Linux engine (src/linux/)
 * driven through engine_ops inside QEMU guests (tests/cluster/run.sh).
 *
 *   engine_contract absent   on a machine without the kernel DLM: the
 *                            engine refuses at once, never falls back
 *   engine_contract one      one node: lock, convert, unlock, value blocks,
 *                            immediate completion, NOQUEUE, blocking
 *                            routines, cancel, orphans
 *   engine_contract two      two nodes (DLMT_NODE 1 or 2): contention and
 *                            value blocks across nodes
 *   engine_contract fault    two nodes: a holder killed with SIGKILL
 *
 * The nodes of a scenario meet through marker files in DLMT_SHARED, a
 * directory both guests mount (meeting.h); every wait has a deadline.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "../harness.h"
#include "meeting.h"

#define DEADLINE_MS 30000

static const struct engine_ops *ops = &engine_linux;

/* A lock as a test sees it: its status block and what its routines saw. */
struct tlock {
    struct engine_lksb lksb;
    char lvb[ENGINE_LVB_LEN];
    int completions;
    int basts;
    int bast_mode;
};

static void on_completion(void *arg)
{
    ((struct tlock *)arg)->completions++;
}

static void on_blocking(void *arg, int mode, uint64_t hint)
{
    struct tlock *t = arg;

    CU_ASSERT_EQUAL(hint, 0);   /* the kernel cannot carry one */
    t->basts++;
    t->bast_mode = mode;
}

static long long now_ms(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Wait and dispatch until *counter exceeds seen; 1 if it did in time. */
static int pump_until(struct engine_ls *ls, const int *counter, int seen, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;

    while (*counter <= seen) {
        long long left = deadline - now_ms();

        if (left <= 0)
            return 0;
        ops->wait(ls, left > 200 ? 200 : (int)left);
        ops->dispatch(ls);
    }
    return 1;
}

static void tlock_init(struct tlock *t)
{
    memset(t, 0, sizeof *t);
    t->lksb.lvb = t->lvb;
    t->bast_mode = -2;
}

/* Send a request; the engine's return code. */
static int request(struct engine_ls *ls, int mode, struct tlock *t, uint32_t flags,
                   const char *name)
{
    return ops->lock(ls, mode, &t->lksb, flags, name, (unsigned int)strlen(name),
                     on_completion, t, on_blocking);
}

/* Send a request and wait for its completion; its status, or -1000 - rc
 * when the call failed, or -999 when no completion came in time. */
static int request_wait(struct engine_ls *ls, int mode, struct tlock *t, uint32_t flags,
                        const char *name)
{
    int seen = t->completions;
    int rc = request(ls, mode, t, flags, name);

    if (rc == ENGINE_DONE)
        return t->lksb.status;
    if (rc != 0)
        return -1000 + rc;
    return pump_until(ls, &t->completions, seen, DEADLINE_MS) ? t->lksb.status : -999;
}

static int unlock_wait(struct engine_ls *ls, struct tlock *t, uint32_t flags)
{
    int seen = t->completions;
    int rc = ops->unlock(ls, t->lksb.lkid, flags, &t->lksb, t);

    if (rc == ENGINE_DONE)
        return t->lksb.status;
    if (rc != 0)
        return -1000 + rc;
    return pump_until(ls, &t->completions, seen, DEADLINE_MS) ? t->lksb.status : -999;
}

static struct engine_ls *open_ls(const char *name)
{
    struct engine_ls_spec spec = { name, 0, 0, 0600, 1 };
    struct engine_ls *ls = NULL;
    int rc = ops->ls_open(&spec, &ls);

    if (rc != 0)
        fprintf(stderr, "ls_open(%s): %d\n", name, rc);
    return rc == 0 ? ls : NULL;
}

/* --- absent: no kernel DLM on this machine ------------------------------------- */

static void test_absent_fails_at_once(void)
{
    struct engine_ls_spec spec = { "dlmt_absent", 0, 0, 0600, 1 };
    struct engine_ls *ls = NULL;
    long long started = now_ms();
    int error = 1;

    setenv("DLM_TRU64_ENGINE", "linux", 1);
    CU_ASSERT_PTR_EQUAL(engine_configured(&error), &engine_linux);
    CU_ASSERT_EQUAL(engine_linux.ls_open(&spec, &ls), -ENOSYS);
    CU_ASSERT_PTR_NULL(ls);
    CU_ASSERT(now_ms() - started < 1000);
}

static void test_selection(void)
{
    int error = 1;

    unsetenv("DLM_TRU64_ENGINE");
    setenv("DLM_TRU64_CONFIG", "/nonexistent/dlm_tru64.conf", 1);
    CU_ASSERT_PTR_EQUAL(engine_configured(&error), &engine_embedded);
    CU_ASSERT_EQUAL(error, 0);
    setenv("DLM_TRU64_ENGINE", "linux", 1);
    CU_ASSERT_PTR_EQUAL(engine_configured(&error), &engine_linux);
    setenv("DLM_TRU64_ENGINE", "vms", 1);
    CU_ASSERT_PTR_NULL(engine_configured(&error));
    CU_ASSERT_EQUAL(error, -ENOSYS);
    setenv("DLM_TRU64_ENGINE", "linux", 1);
}

/* --- one node ------------------------------------------------------------------ */

static struct engine_ls *one_ls;

static void test_open(void)
{
    struct engine_ls_spec missing = { "dlmt_missing", 0, 0, 0600, 0 };
    struct engine_ls *ls = NULL;

    CU_ASSERT_EQUAL(ops->ls_open(&missing, &ls), -ENOENT);
    one_ls = open_ls("dlmt_one");
    CU_ASSERT_PTR_NOT_NULL_FATAL(one_ls);
}

static void test_lock_convert_unlock_values(void)
{
    struct tlock keeper, a, reader;
    char garbage_guard[ENGINE_LVB_LEN];

    tlock_init(&keeper);
    tlock_init(&a);
    tlock_init(&reader);
    /* An NL lock keeps the resource, and its value block, alive. */
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_NL, &keeper, 0, "values"), 0);

    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_EX, &a, ENGINE_LKF_VALBLK, "values"), 0);
    CU_ASSERT_NOT_EQUAL(a.lksb.lkid, 0);
    memset(a.lvb, 0, sizeof a.lvb);
    strcpy(a.lvb, "written by convert");
    /* EX -> NL with VALBLK writes the value block. */
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_NL, &a,
                                 ENGINE_LKF_CONVERT | ENGINE_LKF_VALBLK, "values"), 0);
    memset(a.lvb, 0, sizeof a.lvb);
    /* NL -> PR with VALBLK reads it. */
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &a,
                                 ENGINE_LKF_CONVERT | ENGINE_LKF_VALBLK, "values"), 0);
    CU_ASSERT_STRING_EQUAL(a.lvb, "written by convert");
    /* PR -> EX, then an unlock with VALBLK writes it too. */
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_EX, &a,
                                 ENGINE_LKF_CONVERT | ENGINE_LKF_VALBLK, "values"), 0);
    memset(a.lvb, 0, sizeof a.lvb);
    strcpy(a.lvb, "written by unlock");
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &a, ENGINE_LKF_VALBLK), ENGINE_EUNLOCK);

    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &reader, ENGINE_LKF_VALBLK, "values"),
                    0);
    CU_ASSERT_STRING_EQUAL(reader.lvb, "written by unlock");
    CU_ASSERT_EQUAL(reader.lksb.flags & ENGINE_SBF_VALNOTVALID, 0);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &reader, 0), ENGINE_EUNLOCK);

    /* An EX lock whose last request carried VALBLK, unlocked without
     * VALBLK, leaves the value block alone (libdlm's own unlock would
     * store 32 bytes of its stack there). */
    tlock_init(&a);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_EX, &a, ENGINE_LKF_VALBLK, "values"), 0);
    CU_ASSERT_STRING_EQUAL(a.lvb, "written by unlock");
    memcpy(garbage_guard, a.lvb, sizeof garbage_guard);
    memset(a.lvb, 'x', sizeof a.lvb);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &a, 0), ENGINE_EUNLOCK);
    tlock_init(&reader);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &reader, ENGINE_LKF_VALBLK, "values"),
                    0);
    CU_ASSERT_EQUAL(memcmp(reader.lvb, garbage_guard, sizeof garbage_guard), 0);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &reader, 0), ENGINE_EUNLOCK);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &keeper, 0), ENGINE_EUNLOCK);
}

/* An unlock with VALBLK writes the value block even when no request of
 * the lock carried VALBLK (the kernel keeps a value block only for locks
 * that asked for one), and a lock that never asked sees no invalid mark. */
static void test_unlock_writes_value_of_a_lock_that_never_asked(void)
{
    struct tlock keeper, writer, reader;

    tlock_init(&keeper);
    tlock_init(&writer);
    tlock_init(&reader);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_NL, &keeper, 0, "unasked"), 0);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_EX, &writer, 0, "unasked"), 0);
    strcpy(writer.lvb, "written on unlock");
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &writer, ENGINE_LKF_VALBLK), ENGINE_EUNLOCK);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &reader, ENGINE_LKF_VALBLK, "unasked"),
                    0);
    CU_ASSERT_STRING_EQUAL(reader.lvb, "written on unlock");
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &reader, 0), ENGINE_EUNLOCK);

    /* Invalidated: a reader hears it, a lock that did not ask does not. */
    tlock_init(&writer);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PW, &writer, 0, "unasked"), 0);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &writer, ENGINE_LKF_IVVALBLK), ENGINE_EUNLOCK);
    tlock_init(&reader);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &reader, ENGINE_LKF_VALBLK, "unasked"),
                    0);
    CU_ASSERT_NOT_EQUAL(reader.lksb.flags & ENGINE_SBF_VALNOTVALID, 0);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &reader, 0), ENGINE_EUNLOCK);
    tlock_init(&reader);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &reader, 0, "unasked"), 0);
    CU_ASSERT_EQUAL(reader.lksb.flags & ENGINE_SBF_VALNOTVALID, 0);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &reader, 0), ENGINE_EUNLOCK);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &keeper, 0), ENGINE_EUNLOCK);
}

/* On the node that masters the resource, the kernel settles a grantable
 * request, refuses a NOQUEUE one, or releases a lock with nothing in
 * flight, within the call: the engine says so (ENGINE_DONE) and runs no
 * completion routine; a request that must wait completes later. */
static void test_immediate_requests_complete_within_the_call(void)
{
    struct tlock holder, other;
    int seen;

    tlock_init(&holder);
    tlock_init(&other);
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_PR, &holder, 0, "at-once"), ENGINE_DONE);
    CU_ASSERT_EQUAL(holder.lksb.status, 0);
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_EX, &holder, ENGINE_LKF_CONVERT, "at-once"),
                    ENGINE_DONE);
    CU_ASSERT_EQUAL(holder.lksb.status, 0);
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_PR, &other, ENGINE_LKF_NOQUEUE, "at-once"),
                    ENGINE_DONE);
    CU_ASSERT_EQUAL(other.lksb.status, ENGINE_EAGAIN);
    tlock_init(&other);
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_PR, &other, 0, "at-once"), 0);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &holder, 0), ENGINE_EUNLOCK);
    CU_ASSERT(pump_until(one_ls, &other.completions, 0, DEADLINE_MS));
    CU_ASSERT_EQUAL(other.lksb.status, 0);
    /* So does an unlock with nothing in flight and no blocking callback
     * before it (the holder's may have had one). */
    seen = other.completions;
    CU_ASSERT_EQUAL(ops->unlock(one_ls, other.lksb.lkid, 0, &other.lksb, &other), ENGINE_DONE);
    CU_ASSERT_EQUAL(other.lksb.status, ENGINE_EUNLOCK);
    CU_ASSERT_EQUAL(other.completions, seen);
}

/* A forced unlock ends the request in flight with the lock: its caller
 * hears of the unlock only, though the kernel granted the request first
 * (here within the holder's unlock, its completion read but not yet
 * delivered). */
static void test_forced_unlock_overtakes_a_request(void)
{
    struct tlock holder, waiter;

    tlock_init(&holder);
    tlock_init(&waiter);
    /* No blocking routine: the holder's unlock is its next result. */
    CU_ASSERT_EQUAL(ops->lock(one_ls, ENGINE_MODE_PR, &holder.lksb, 0, "overtaken", 9,
                              on_completion, &holder, NULL), ENGINE_DONE);
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_EX, &waiter, 0, "overtaken"), 0);
    CU_ASSERT_EQUAL(ops->unlock(one_ls, holder.lksb.lkid, 0, &holder.lksb, &holder), ENGINE_DONE);
    CU_ASSERT_EQUAL(ops->unlock(one_ls, waiter.lksb.lkid, ENGINE_LKF_FORCEUNLOCK, &waiter.lksb,
                                &waiter), 0);
    CU_ASSERT(pump_until(one_ls, &waiter.completions, 0, DEADLINE_MS));
    CU_ASSERT_EQUAL(waiter.lksb.status, ENGINE_EUNLOCK);
    CU_ASSERT_EQUAL(waiter.completions, 1);
    CU_ASSERT_EQUAL(ops->unlock(one_ls, waiter.lksb.lkid, 0, &waiter.lksb, &waiter), -ENOENT);
}

static void test_noqueue_eagain(void)
{
    struct tlock holder, other;
    uint32_t lkid;

    tlock_init(&holder);
    tlock_init(&other);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_EX, &holder, 0, "noqueue"), 0);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &other, ENGINE_LKF_NOQUEUE, "noqueue"),
                    ENGINE_EAGAIN);
    CU_ASSERT_EQUAL(holder.basts, 0);   /* no NOQUEUEBAST: nobody is blocked */
    lkid = other.lksb.lkid;
    CU_ASSERT_EQUAL(ops->unlock(one_ls, lkid, 0, &other.lksb, &other), -ENOENT);
    /* A failed NOQUEUE conversion keeps the lock at its old mode. */
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_NL, &other, 0, "noqueue"), 0);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &other,
                                 ENGINE_LKF_CONVERT | ENGINE_LKF_NOQUEUE, "noqueue"),
                    ENGINE_EAGAIN);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &other, 0), ENGINE_EUNLOCK);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &holder, 0), ENGINE_EUNLOCK);
}

static void test_blocking_routine_has_mode(void)
{
    struct tlock holder, waiter;
    int seen;

    tlock_init(&holder);
    tlock_init(&waiter);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_EX, &holder, 0, "bast"), 0);
    seen = holder.basts;
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_PR, &waiter, 0, "bast"), 0);
    CU_ASSERT(pump_until(one_ls, &holder.basts, seen, DEADLINE_MS));
    CU_ASSERT_EQUAL(holder.bast_mode, ENGINE_MODE_PR);
    CU_ASSERT_EQUAL(waiter.completions, 0);
    seen = waiter.completions;
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &holder, 0), ENGINE_EUNLOCK);
    CU_ASSERT(pump_until(one_ls, &waiter.completions, seen, DEADLINE_MS));
    CU_ASSERT_EQUAL(waiter.lksb.status, 0);

    /* A stronger request gets its own mode through. */
    tlock_init(&holder);
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_EX, &holder, 0, "bast"), 0);
    CU_ASSERT(pump_until(one_ls, &waiter.basts, 0, DEADLINE_MS));
    CU_ASSERT_EQUAL(waiter.bast_mode, ENGINE_MODE_EX);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &waiter, 0), ENGINE_EUNLOCK);
    CU_ASSERT(pump_until(one_ls, &holder.completions, 0, DEADLINE_MS));
    CU_ASSERT_EQUAL(holder.lksb.status, 0);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &holder, 0), ENGINE_EUNLOCK);
}

static void test_cancel(void)
{
    struct tlock holder, waiter, converter;

    tlock_init(&holder);
    tlock_init(&waiter);
    tlock_init(&converter);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &holder, 0, "cancel"), 0);
    /* Nothing to cancel on a granted, idle lock. */
    CU_ASSERT_EQUAL(ops->unlock(one_ls, holder.lksb.lkid, ENGINE_LKF_CANCEL, &holder.lksb,
                                &holder), -EBUSY);
    /* A waiting request: cancelled, and its lock is gone. */
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_EX, &waiter, 0, "cancel"), 0);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &waiter, ENGINE_LKF_CANCEL), ENGINE_ECANCEL);
    CU_ASSERT_EQUAL(ops->unlock(one_ls, waiter.lksb.lkid, 0, &waiter.lksb, &waiter), -ENOENT);
    /* A conversion: cancelled, and the lock is back at its granted mode. */
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &converter, 0, "cancel"), 0);
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_EX, &converter, ENGINE_LKF_CONVERT, "cancel"),
                    0);
    CU_ASSERT_EQUAL(ops->unlock(one_ls, converter.lksb.lkid, 0, &converter.lksb, &converter),
                    -EBUSY);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &converter, ENGINE_LKF_CANCEL), ENGINE_ECANCEL);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &converter, 0), ENGINE_EUNLOCK);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &holder, 0), ENGINE_EUNLOCK);
}

/* A child takes a persistent and an ordinary EX lock, then dies. */
static pid_t holder_child(const char *ls_name, const char *persistent, const char *plain,
                          int pipe_fd, int linger)
{
    pid_t pid = fork();

    if (pid == 0) {
        struct engine_ls *ls = open_ls(ls_name);
        struct tlock p, q;
        int ok;

        tlock_init(&p);
        tlock_init(&q);
        ok = ls != NULL
             && request_wait(ls, ENGINE_MODE_EX, &p, ENGINE_LKF_PERSISTENT, persistent) == 0
             && request_wait(ls, ENGINE_MODE_EX, &q, ENGINE_LKF_VALBLK, plain) == 0
             /* give the resource a value block: written on the way down */
             && request_wait(ls, ENGINE_MODE_NL, &q, ENGINE_LKF_CONVERT | ENGINE_LKF_VALBLK,
                             plain) == 0
             && request_wait(ls, ENGINE_MODE_EX, &q, ENGINE_LKF_CONVERT | ENGINE_LKF_VALBLK,
                             plain) == 0;
        if (write(pipe_fd, ok ? "y" : "n", 1) != 1)
            _exit(2);
        while (linger)
            pause();
        _exit(ok ? 0 : 1);
    }
    return pid;
}

static void test_persistent_orphan(void)
{
    struct tlock probe, adopt, keeper;
    int fds[2], status;
    char ok = 'n';
    pid_t child;

    /* The kernel drops a resource's value block with its last lock: an NL
     * lock keeps it across the holder's death. */
    tlock_init(&keeper);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_NL, &keeper, 0, "plain"), 0);
    CU_ASSERT_FATAL(pipe(fds) == 0);
    child = holder_child("dlmt_one", "orphan", "plain", fds[1], 0);
    CU_ASSERT_FATAL(child > 0);
    CU_ASSERT_EQUAL(read(fds[0], &ok, 1), 1);
    CU_ASSERT_EQUAL(ok, 'y');
    CU_ASSERT_EQUAL(waitpid(child, &status, 0), child);
    close(fds[0]);
    close(fds[1]);

    /* The ordinary lock died with its process, and with it the value
     * block its EX could have changed... */
    tlock_init(&probe);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_EX, &probe,
                                 ENGINE_LKF_NOQUEUE | ENGINE_LKF_VALBLK, "plain"), 0);
    CU_ASSERT_NOT_EQUAL(probe.lksb.flags & ENGINE_SBF_VALNOTVALID, 0);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &probe, 0), ENGINE_EUNLOCK);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &keeper, 0), ENGINE_EUNLOCK);
    /* ...the persistent one is an orphan, still holding EX. */
    tlock_init(&probe);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &probe, ENGINE_LKF_NOQUEUE, "orphan"),
                    ENGINE_EAGAIN);
    tlock_init(&adopt);
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_PR, &adopt,
                            ENGINE_LKF_PERSISTENT | ENGINE_LKF_ORPHAN, "orphan"), -EAGAIN);
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_EX, &adopt,
                            ENGINE_LKF_PERSISTENT | ENGINE_LKF_ORPHAN, "nothing-here"), -ENOENT);
    CU_ASSERT_EQUAL(request(one_ls, ENGINE_MODE_EX, &adopt,
                            ENGINE_LKF_PERSISTENT | ENGINE_LKF_ORPHAN, "orphan"), ENGINE_DONE);
    CU_ASSERT_EQUAL(adopt.lksb.status, 0);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &adopt, 0), ENGINE_EUNLOCK);
    tlock_init(&probe);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &probe, ENGINE_LKF_NOQUEUE, "orphan"), 0);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &probe, 0), ENGINE_EUNLOCK);
}

static void test_wake(void)
{
    long long started = now_ms();

    ops->wake(one_ls);
    CU_ASSERT_EQUAL(ops->wait(one_ls, 10000), 0);
    CU_ASSERT(now_ms() - started < 5000);
    CU_ASSERT_EQUAL(ops->wait(one_ls, 50), -ETIMEDOUT);
}

static void test_census(void)
{
    struct engine_census census = { 99, 99, 99 };
    struct engine_picture picture = { NULL, 0, NULL, 0 };
    struct tlock a, b;

    tlock_init(&a);
    tlock_init(&b);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &a, 0, "census-1"), 0);
    CU_ASSERT_EQUAL(request_wait(one_ls, ENGINE_MODE_PR, &b, 0, "census-2"), 0);
    harness_system("cat /sys/kernel/debug/dlm/dlmt_one_locks");
    CU_ASSERT_EQUAL(ops->census(one_ls, &census), 0);
    CU_ASSERT_EQUAL(census.locks, 2);
    CU_ASSERT_EQUAL(census.resources, 2);
    CU_ASSERT_EQUAL(census.processes, 1);
    printf("census: %lu locks, %lu resources, %lu processes\n", census.locks,
           census.resources, census.processes);
    CU_ASSERT_EQUAL(ops->inspect(one_ls, NULL, 0, &picture), -ENOSYS);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &a, 0), ENGINE_EUNLOCK);
    CU_ASSERT_EQUAL(unlock_wait(one_ls, &b, 0), ENGINE_EUNLOCK);
}

static void test_close(void)
{
    ops->ls_close(one_ls);
    one_ls = NULL;
}

/* --- two nodes ------------------------------------------------------------------- */

static void test_two_contention_and_values(void)
{
    struct engine_ls *ls;
    struct tlock t;

    ls = open_ls("dlmt_two");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ls);
    tlock_init(&t);
    if (meeting_node() == 1) {
        meeting_mark("n1-open");
        CU_ASSERT_FATAL(meeting_await("n2-open"));
        CU_ASSERT_EQUAL(request_wait(ls, ENGINE_MODE_EX, &t, ENGINE_LKF_VALBLK, "contended"), 0);
        meeting_mark("n1-ex");
        CU_ASSERT_FATAL(meeting_await("n2-queued"));
        /* Node 2's queued PR blocks on our EX: the routine says PR. */
        CU_ASSERT(pump_until(ls, &t.basts, 0, DEADLINE_MS));
        CU_ASSERT_EQUAL(t.bast_mode, ENGINE_MODE_PR);
        memset(t.lvb, 0, sizeof t.lvb);
        strcpy(t.lvb, "from node 1");
        CU_ASSERT_EQUAL(unlock_wait(ls, &t, ENGINE_LKF_VALBLK), ENGINE_EUNLOCK);
        meeting_mark("n1-released");
        CU_ASSERT(meeting_await("n2-done"));
    } else {
        meeting_mark("n2-open");
        CU_ASSERT_FATAL(meeting_await("n1-ex"));
        CU_ASSERT_EQUAL(request_wait(ls, ENGINE_MODE_PR, &t, ENGINE_LKF_NOQUEUE, "contended"),
                        ENGINE_EAGAIN);
        tlock_init(&t);
        CU_ASSERT_EQUAL(request(ls, ENGINE_MODE_PR, &t, ENGINE_LKF_VALBLK, "contended"), 0);
        meeting_mark("n2-queued");
        CU_ASSERT(pump_until(ls, &t.completions, 0, 2 * DEADLINE_MS));
        CU_ASSERT_EQUAL(t.lksb.status, 0);
        CU_ASSERT_STRING_EQUAL(t.lvb, "from node 1");
        CU_ASSERT_EQUAL(unlock_wait(ls, &t, 0), ENGINE_EUNLOCK);
        meeting_mark("n2-done");
    }
    ops->ls_close(ls);
}

/* --- fault: a holder killed -------------------------------------------------------- */

static void test_fault_killed_holder(void)
{
    struct engine_ls *ls;
    struct tlock t, adopt;

    ls = open_ls("dlmt_fault");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ls);
    tlock_init(&t);
    if (meeting_node() == 1) {
        int fds[2], status;
        char ok = 'n';
        pid_t child;

        meeting_mark("n1-open");
        CU_ASSERT_FATAL(meeting_await("n2-open"));
        CU_ASSERT_FATAL(pipe(fds) == 0);
        child = holder_child("dlmt_fault", "kept", "victim", fds[1], 1);
        CU_ASSERT_FATAL(child > 0);
        CU_ASSERT_EQUAL(read(fds[0], &ok, 1), 1);
        CU_ASSERT_EQUAL(ok, 'y');
        meeting_mark("child-holds");
        CU_ASSERT_FATAL(meeting_await("n2-waiting"));
        CU_ASSERT_EQUAL(kill(child, SIGKILL), 0);
        CU_ASSERT_EQUAL(waitpid(child, &status, 0), child);
        CU_ASSERT(WIFSIGNALED(status));
        meeting_mark("child-killed");
        CU_ASSERT_FATAL(meeting_await("n2-saw-orphan"));
        tlock_init(&adopt);
        CU_ASSERT_EQUAL(request(ls, ENGINE_MODE_EX, &adopt,
                                ENGINE_LKF_PERSISTENT | ENGINE_LKF_ORPHAN, "kept"), ENGINE_DONE);
        CU_ASSERT_EQUAL(unlock_wait(ls, &adopt, 0), ENGINE_EUNLOCK);
        meeting_mark("n1-adopted");
        CU_ASSERT(meeting_await("n2-done"));
        close(fds[0]);
        close(fds[1]);
    } else {
        meeting_mark("n2-open");
        CU_ASSERT_FATAL(meeting_await("child-holds"));
        CU_ASSERT_EQUAL(request_wait(ls, ENGINE_MODE_PR, &t, ENGINE_LKF_NOQUEUE, "victim"),
                        ENGINE_EAGAIN);
        tlock_init(&t);
        CU_ASSERT_EQUAL(request(ls, ENGINE_MODE_PR, &t, ENGINE_LKF_VALBLK, "victim"), 0);
        meeting_mark("n2-waiting");
        /* Granted once the holder is killed on the other node; its EX
         * could have changed the value block, now marked invalid. */
        CU_ASSERT(pump_until(ls, &t.completions, 0, 2 * DEADLINE_MS));
        CU_ASSERT_EQUAL(t.lksb.status, 0);
        CU_ASSERT_NOT_EQUAL(t.lksb.flags & ENGINE_SBF_VALNOTVALID, 0);
        CU_ASSERT_EQUAL(unlock_wait(ls, &t, 0), ENGINE_EUNLOCK);
        /* Its persistent lock outlived it, as an orphan. */
        CU_ASSERT_FATAL(meeting_await("child-killed"));
        tlock_init(&t);
        CU_ASSERT_EQUAL(request_wait(ls, ENGINE_MODE_PR, &t, ENGINE_LKF_NOQUEUE, "kept"),
                        ENGINE_EAGAIN);
        meeting_mark("n2-saw-orphan");
        CU_ASSERT_FATAL(meeting_await("n1-adopted"));
        tlock_init(&t);
        CU_ASSERT_EQUAL(request_wait(ls, ENGINE_MODE_PR, &t, ENGINE_LKF_NOQUEUE, "kept"), 0);
        CU_ASSERT_EQUAL(unlock_wait(ls, &t, 0), ENGINE_EUNLOCK);
        meeting_mark("n2-done");
    }
    ops->ls_close(ls);
}

static const struct harness_test absent_tests[] = {
    { "selection: embedded by default, linux, unknown refused", test_selection },
    { "no kernel DLM: ls_open fails at once with ENOSYS", test_absent_fails_at_once },
    { NULL, NULL },
};
static const struct harness_test one_tests[] = {
    { "selection: embedded by default, linux, unknown refused", test_selection },
    { "open: missing without create is ENOENT; create", test_open },
    { "lock, convert, unlock with value blocks", test_lock_convert_unlock_values },
    { "unlock with VALBLK writes the value of a lock that never asked",
      test_unlock_writes_value_of_a_lock_that_never_asked },
    { "immediate requests complete within the call",
      test_immediate_requests_complete_within_the_call },
    { "a forced unlock overtakes the request in flight", test_forced_unlock_overtakes_a_request },
    { "NOQUEUE: EAGAIN, lock gone; failed conversion keeps mode", test_noqueue_eagain },
    { "blocking routine gets the blocked mode", test_blocking_routine_has_mode },
    { "cancel: waiting request, conversion, nothing to cancel", test_cancel },
    { "persistent lock outlives its process; adoption", test_persistent_orphan },
    { "wake and wait timeout", test_wake },
    { "census from debugfs; inspect unavailable", test_census },
    { "close", test_close },
    { NULL, NULL },
};
static const struct harness_test two_tests[] = {
    { "cross-node contention, blocking routine, value block", test_two_contention_and_values },
    { NULL, NULL },
};
static const struct harness_test fault_tests[] = {
    { "SIGKILL of a holder releases its locks on the other node", test_fault_killed_holder },
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    static const struct harness_suite absent = { "linux engine, no kernel DLM", absent_tests };
    static const struct harness_suite one = { "linux engine, one node", one_tests };
    static const struct harness_suite two = { "linux engine, two nodes", two_tests };
    static const struct harness_suite fault = { "linux engine, fault", fault_tests };
    const struct harness_suite *suites[2] = { NULL, NULL };
    const char *which = argc > 1 ? argv[1] : "";

    if (strcmp(which, "absent") == 0)
        suites[0] = &absent;
    else if (strcmp(which, "one") == 0)
        suites[0] = &one;
    else if (strcmp(which, "two") == 0)
        suites[0] = &two;
    else if (strcmp(which, "fault") == 0)
        suites[0] = &fault;
    else {
        fprintf(stderr, "usage: %s absent|one|two|fault\n", argv[0]);
        return 2;
    }
    return harness_run(suites);
}
