/*
 * The embedded engine over the lives of processes and threads: persistent
 * locks outliving their owner as orphans, a lockspace left by processes
 * that all died, many threads at once, a lockspace filled to capacity,
 * and handles used where they do not belong.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "engine_fixture.h"
#include "harness.h"

#define CAPACITY_LOCKS (1u << 20)   /* a new lockspace's, and at least a million */
#define THREADS 8
#define THREAD_ROUNDS 2000

static const struct engine_ops *ops = &engine_embedded;

static unsigned long census_locks(struct engine_ls *ls)
{
    struct engine_census census = { 0, 0, 0 };

    CU_ASSERT_EQUAL(ops->census(ls, &census), 0);
    return census.locks;
}

/* In a child: open the lockspace, take mode on name with flags, and then
 * die as told: exit normally (0) or be killed (1, SIGKILL by the parent
 * once it has said it holds the lock). */
static pid_t holder(const char *space, const char *name, int mode, uint32_t flags, int *ready)
{
    int link[2];
    pid_t pid;

    if (pipe(link) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        struct engine_lksb lksb = { 0 };
        struct engine_ls *ls;
        char ok = 1;

        close(link[0]);
        if (engine_fixture_open(&ls, space) != 0
            || !engine_fixture_request(ls, mode, &lksb, flags, name) || lksb.status != 0)
            ok = 0;
        if (write(link[1], &ok, 1) != 1)
            _exit(1);
        for (;;)
            pause();        /* until killed */
    }
    close(link[1]);
    *ready = 0;
    if (read(link[0], ready, 1) != 1)
        *ready = 0;
    close(link[0]);
    return pid;
}

static void end(pid_t pid)
{
    int status;

    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
}

static void persistent_lock_outlives_its_owner_as_an_orphan(void)
{
    struct engine_lksb adopted = { 0 }, wrong = { 0 };
    struct engine_ls *ls;
    int ready;
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "orphans"), 0);
    pid = holder("orphans", "kept", ENGINE_MODE_PW, ENGINE_LKF_PERSISTENT, &ready);
    CU_ASSERT_FATAL(pid > 0 && ready);
    end(pid);
    /* The owner is gone; its persistent lock stays, and still blocks. */
    CU_ASSERT_EQUAL(census_locks(ls), 1);
    CU_ASSERT_EQUAL(ops->lock(ls, ENGINE_MODE_EX, &wrong, ENGINE_LKF_NOQUEUE, "kept", 4, NULL,
                              NULL, NULL), ENGINE_DONE);
    CU_ASSERT_EQUAL(wrong.status, ENGINE_EAGAIN);

    /* Adopted only in its own mode. */
    CU_ASSERT_EQUAL(ops->lock(ls, ENGINE_MODE_EX, &wrong,
                              ENGINE_LKF_PERSISTENT | ENGINE_LKF_ORPHAN, "kept", 4, NULL, NULL,
                              NULL), -EAGAIN);
    CU_ASSERT_EQUAL(ops->lock(ls, ENGINE_MODE_PW, &adopted,
                              ENGINE_LKF_PERSISTENT | ENGINE_LKF_ORPHAN, "kept", 4, NULL, NULL,
                              NULL), ENGINE_DONE);
    CU_ASSERT_EQUAL(adopted.status, 0);
    CU_ASSERT_EQUAL(ops->unlock(ls, adopted.lkid, 0, &adopted, NULL), ENGINE_DONE);
    CU_ASSERT_EQUAL(census_locks(ls), 0);
    CU_ASSERT_EQUAL(ops->lock(ls, ENGINE_MODE_PW, &adopted,
                              ENGINE_LKF_PERSISTENT | ENGINE_LKF_ORPHAN, "kept", 4, NULL, NULL,
                              NULL), -ENOENT);
    ops->ls_close(ls);
}

/* Nobody had the lockspace open when its users died: the next process
 * to come finds it clean. */
static void lockspace_left_by_the_dead_is_reusable(void)
{
    struct engine_census census;
    struct engine_ls *ls;
    int i, ready;
    pid_t pids[3];

    for (i = 0; i < 3; i++) {
        char name[8];

        snprintf(name, sizeof name, "r%d", i);
        pids[i] = holder("stale", name, ENGINE_MODE_EX, 0, &ready);
        CU_ASSERT_FATAL(pids[i] > 0 && ready);
    }
    for (i = 0; i < 3; i++)
        end(pids[i]);
    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "stale"), 0);
    CU_ASSERT_EQUAL(ops->census(ls, &census), 0);
    CU_ASSERT(census.locks == 0 && census.resources == 0 && census.processes == 1);
    ops->ls_close(ls);
}

/* --- Threads ---------------------------------------------------------------------------- */

struct threads_shared {
    struct engine_ls *ls;
    int inside;                 /* threads holding the shared EX lock now */
    int overlaps;
    int failures;
};

static void *locker(void *arg)
{
    struct threads_shared *shared = arg;
    char own[16];
    int i;

    snprintf(own, sizeof own, "own%lu", (unsigned long)pthread_self() % 100000);
    for (i = 0; i < THREAD_ROUNDS; i++) {
        struct engine_lksb lksb = { 0 }, mine = { 0 };

        if (!engine_fixture_request(shared->ls, ENGINE_MODE_EX, &lksb, 0, "shared")
            || lksb.status != 0) {
            __atomic_add_fetch(&shared->failures, 1, __ATOMIC_SEQ_CST);
            continue;
        }
        if (__atomic_add_fetch(&shared->inside, 1, __ATOMIC_SEQ_CST) != 1)
            __atomic_add_fetch(&shared->overlaps, 1, __ATOMIC_SEQ_CST);
        if (!engine_fixture_request(shared->ls, ENGINE_MODE_PR, &mine, 0, own)
            || mine.status != 0
            || !engine_fixture_request(shared->ls, ENGINE_MODE_EX, &mine, ENGINE_LKF_CONVERT, NULL)
            || ops->unlock(shared->ls, mine.lkid, 0, &mine, NULL) != ENGINE_DONE)
            __atomic_add_fetch(&shared->failures, 1, __ATOMIC_SEQ_CST);
        __atomic_sub_fetch(&shared->inside, 1, __ATOMIC_SEQ_CST);
        if (ops->unlock(shared->ls, lksb.lkid, 0, &lksb, NULL) != ENGINE_DONE)
            __atomic_add_fetch(&shared->failures, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

static void many_threads_share_one_handle(void)
{
    struct threads_shared shared = { NULL, 0, 0, 0 };
    pthread_t threads[THREADS];
    int i;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&shared.ls, "threads"), 0);
    for (i = 0; i < THREADS; i++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&threads[i], NULL, locker, &shared), 0);
    for (i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    CU_ASSERT_EQUAL(shared.overlaps, 0);
    CU_ASSERT_EQUAL(shared.failures, 0);
    CU_ASSERT_EQUAL(census_locks(shared.ls), 0);
    ops->ls_close(shared.ls);
}

/* --- Capacity ---------------------------------------------------------------------------- */

static int lock_numbered(struct engine_ls *ls, unsigned int n, struct engine_lksb *lksb)
{
    char name[16];

    snprintf(name, sizeof name, "c%u", n);
    return ops->lock(ls, ENGINE_MODE_EX, lksb, 0, name, (unsigned int)strlen(name), NULL, NULL,
                     NULL);
}

/* A million locks and more fit; one past the capacity is refused with
 * -ENOMEM, and everything already held stays as it was. */
static void full_lockspace_refuses_without_disturbing(void)
{
    struct engine_lksb *held = calloc(CAPACITY_LOCKS, sizeof *held), extra = { 0 };
    struct engine_lock_info info;
    struct engine_picture picture;
    struct engine_ls *ls;
    unsigned int n, granted = 0;

    CU_ASSERT_FATAL(held != NULL);
    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "capacity"), 0);
    for (n = 0; n < CAPACITY_LOCKS; n++)
        granted += lock_numbered(ls, n, &held[n]) == ENGINE_DONE && held[n].status == 0;
    CU_ASSERT_EQUAL(granted, CAPACITY_LOCKS);
    CU_ASSERT(granted >= 1000000);
    CU_ASSERT_EQUAL(lock_numbered(ls, CAPACITY_LOCKS, &extra), -ENOMEM);
    CU_ASSERT_EQUAL(census_locks(ls), CAPACITY_LOCKS);
    for (n = 0; n < CAPACITY_LOCKS; n += CAPACITY_LOCKS / 16) {
        char name[16];

        snprintf(name, sizeof name, "c%u", n);
        picture = (struct engine_picture){ NULL, 0, &info, 1 };
        CU_ASSERT_EQUAL(ops->inspect(ls, name, (unsigned int)strlen(name), &picture), 0);
        CU_ASSERT(picture.nlocks == 1 && info.lkid == held[n].lkid
                  && info.grmode == ENGINE_MODE_EX);
    }
    for (n = 0; n < CAPACITY_LOCKS; n++)
        ops->unlock(ls, held[n].lkid, 0, &held[n], NULL);
    CU_ASSERT_EQUAL(census_locks(ls), 0);
    ops->ls_close(ls);
    free(held);
}

/* --- Handles where they do not belong ------------------------------------------------------ */

static void lock_id_of_another_lockspace_is_unknown(void)
{
    struct engine_lksb lksb = { 0 }, probe;
    struct engine_ls *a, *b;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&a, "space_a"), 0);
    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&b, "space_b"), 0);
    CU_ASSERT_FATAL(engine_fixture_request(a, ENGINE_MODE_EX, &lksb, 0, "r"));
    probe = lksb;
    CU_ASSERT_EQUAL(ops->unlock(b, lksb.lkid, 0, &probe, NULL), -ENOENT);
    CU_ASSERT_EQUAL(ops->lock(b, ENGINE_MODE_NL, &probe, ENGINE_LKF_CONVERT, NULL, 0, NULL, NULL,
                              NULL), -ENOENT);
    CU_ASSERT_EQUAL(ops->unlock(a, lksb.lkid, 0, &lksb, NULL), ENGINE_DONE);
    ops->ls_close(b);
    ops->ls_close(a);
}

static void forked_child_cannot_use_its_parents_handle(void)
{
    struct engine_ls *ls;
    int status;
    pid_t child;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "forked"), 0);
    child = fork();
    if (child == 0) {
        struct engine_lksb lksb = { 0 };
        struct engine_census census;
        int refused = ops->lock(ls, ENGINE_MODE_EX, &lksb, 0, "r", 1, NULL, NULL, NULL) == -ESRCH
                      && ops->census(ls, &census) == -ESRCH && ops->dispatch(ls) == -ESRCH;

        ops->ls_close(ls);  /* frees only this process's copy */
        _exit(refused ? 0 : 1);
    }
    CU_ASSERT_FATAL(child > 0);
    waitpid(child, &status, 0);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* The parent's attachment is untouched. */
    CU_ASSERT_EQUAL(census_locks(ls), 0);
    ops->ls_close(ls);
}

static const struct harness_test tests[] = {
    { "a persistent lock outlives its owner as an orphan",
      persistent_lock_outlives_its_owner_as_an_orphan },
    { "a lockspace left by the dead is reusable", lockspace_left_by_the_dead_is_reusable },
    { "many threads share one handle", many_threads_share_one_handle },
    { "a full lockspace refuses without disturbing", full_lockspace_refuses_without_disturbing },
    { "a lock ID of another lockspace is unknown", lock_id_of_another_lockspace_is_unknown },
    { "a forked child cannot use its parent's handle",
      forked_child_cannot_use_its_parents_handle },
    { NULL, NULL }
};

static const struct harness_suite suite = { "embedded engine over process lives", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return engine_fixture_main(suites);
}
