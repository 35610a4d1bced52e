/*
 * The embedded engine under kill -9.
 *
 * Workers lock, convert and unlock at random on a few resources, keeping a
 * counter in each resource's value block; a supervisor SIGKILLs them at
 * random moments and starts new ones.  An independent witness in memory of
 * its own (not the engine's) records what every worker believes it holds,
 * and the last counter value written:
 *
 *  - no two workers ever hold incompatible modes on a resource at once;
 *  - a PR, PW or EX grant sees the last value written, unless the engine
 *    reports the block invalid (a PW or EX holder died); the supervisor
 *    holds an NL lock on every resource throughout, so that no resource,
 *    and no value, vanishes with its last worker lock;
 *  - no worker waits for ever;
 *  - at the end no lock, resource or process slot is left behind.
 *
 * DLM_TRU64_TORTURE_KILLS sets the number of kills (default 1000).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "engine_fixture.h"
#include "harness.h"

#define WORKERS         4
#define RESOURCES       3
#define NO_MODE         (-1)

/* The witness: shared by the supervisor and every worker, written only
 * with atomics. */
struct witness {
    uint32_t progress;                  /* operations done, all workers */
    int32_t held[WORKERS][RESOURCES];   /* mode each worker believes it holds */
    uint32_t killed[WORKERS];           /* the supervisor is killing it */
    uint32_t incarnation[WORKERS];      /* bumped each time it is restarted */
    uint32_t last_value[RESOURCES];     /* last counter value written */
    uint32_t incompatible;              /* violations seen */
    uint32_t wrong_value;
    uint32_t stuck;
};

static struct witness *witness;
static const struct engine_ops *ops = &engine_embedded;

static const int compatible[ENGINE_NMODES][ENGINE_NMODES] = {
    { 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1, 0 }, { 1, 1, 1, 0, 0, 0 },
    { 1, 1, 0, 1, 0, 0 }, { 1, 1, 0, 0, 0, 0 }, { 1, 0, 0, 0, 0, 0 },
};

/* The mode another worker believes it holds, or NO_MODE when that belief
 * may be a dead worker's.  The supervisor can kill, reap and restart it
 * between any two of these loads (it sets killed, then resets the belief,
 * bumps the incarnation and clears killed), so a belief counts only if it
 * was read within one incarnation that was not being killed after it. */
static int live_belief(int other, int res)
{
    uint32_t incarnation = __atomic_load_n(&witness->incarnation[other], __ATOMIC_SEQ_CST);
    int theirs = __atomic_load_n(&witness->held[other][res], __ATOMIC_SEQ_CST);

    if (__atomic_load_n(&witness->killed[other], __ATOMIC_SEQ_CST)
        || __atomic_load_n(&witness->incarnation[other], __ATOMIC_SEQ_CST) != incarnation)
        return NO_MODE;
    return theirs;
}

static void believe_held(int worker, int res, int mode)
{
    int other;

    __atomic_store_n(&witness->held[worker][res], mode, __ATOMIC_SEQ_CST);
    if (mode == NO_MODE)
        return;
    for (other = 0; other < WORKERS; other++) {
        int theirs = other != worker ? live_belief(other, res) : NO_MODE;

        if (theirs == NO_MODE)
            continue;
        if (!compatible[theirs][mode]) {
            __atomic_add_fetch(&witness->incompatible, 1, __ATOMIC_SEQ_CST);
            fprintf(stderr, "worker %d holds mode %d on %d while worker %d holds %d\n",
                    worker, mode, res, other, theirs);
        }
    }
}

/* Check the counter the latest grant returned (valid unless the engine
 * said otherwise); return the next value to write. */
static uint32_t check_value(int res, int mode, const struct engine_lksb *lksb, int valid)
{
    uint32_t value, last = __atomic_load_n(&witness->last_value[res], __ATOMIC_SEQ_CST);

    memcpy(&value, lksb->lvb, sizeof value);
    if (mode >= ENGINE_MODE_PR && valid && value != last) {
        __atomic_add_fetch(&witness->wrong_value, 1, __ATOMIC_SEQ_CST);
        fprintf(stderr, "resource %d: value %u, last written %u\n", res, value, last);
    }
    return last + 1;
}

static int request(struct engine_ls *ls, int mode, struct engine_lksb *lksb, uint32_t flags,
                   const char *name)
{
    if (!engine_fixture_request(ls, mode, lksb, flags, name)) {
        __atomic_add_fetch(&witness->stuck, 1, __ATOMIC_SEQ_CST);
        _exit(2);
    }
    return lksb->status;
}

/* One operation: take a lock on a random resource, maybe convert it,
 * update the counter when allowed, release it. */
static void one_operation(struct engine_ls *ls, int worker, unsigned int *seed)
{
    char lvb[ENGINE_LVB_LEN] = { 0 };
    struct engine_lksb lksb = { .lvb = lvb };
    int res = rand_r(seed) % RESOURCES;
    int mode = rand_r(seed) % ENGINE_NMODES;
    char name[16];
    int valid;

    snprintf(name, sizeof name, "res%d", res);
    if (request(ls, mode, &lksb, ENGINE_LKF_VALBLK, name) != 0)
        return;
    believe_held(worker, res, mode);
    valid = !(lksb.flags & ENGINE_SBF_VALNOTVALID);
    check_value(res, mode, &lksb, valid);

    if (rand_r(seed) % 2) {
        int up = mode + 1 + rand_r(seed) % (ENGINE_NMODES - mode);

        /* The witness learns of a grant only after it happens, so a
         * conversion must not make the stale belief claim rights the new
         * mode lacks: CW to PR would (CW conflicts with PR, PR does not). */
        if (mode == ENGINE_MODE_CW && up == ENGINE_MODE_PR)
            up = ENGINE_MODE_PW;
        if (up < ENGINE_NMODES
            && request(ls, up, &lksb, ENGINE_LKF_VALBLK | ENGINE_LKF_CONVERT, name) == 0) {
            believe_held(worker, res, up);
            mode = up;
            valid = !(lksb.flags & ENGINE_SBF_VALNOTVALID);
        }
        /* A refused conversion (EDEADLK) returns no value: the one from
         * the grant before still stands. */
    }
    if (mode >= ENGINE_MODE_PW) {
        uint32_t next = check_value(res, mode, &lksb, valid);

        __atomic_store_n(&witness->last_value[res], next, __ATOMIC_SEQ_CST);
        memcpy(lvb, &next, sizeof next);
        if (rand_r(seed) % 2) {     /* publish by down-conversion */
            believe_held(worker, res, ENGINE_MODE_NL);
            request(ls, ENGINE_MODE_NL, &lksb, ENGINE_LKF_VALBLK | ENGINE_LKF_CONVERT, name);
        }
    }
    believe_held(worker, res, NO_MODE);
    ops->unlock(ls, lksb.lkid, ENGINE_LKF_VALBLK, &lksb, NULL);
    __atomic_add_fetch(&witness->progress, 1, __ATOMIC_SEQ_CST);
}

static void worker_main(int worker, unsigned int seed, int operations)
{
    struct engine_ls *ls;
    int i;

    if (engine_fixture_open(&ls, "torture") != 0)
        _exit(3);
    for (i = 0; i < operations; i++)
        one_operation(ls, worker, &seed);
    ops->ls_close(ls);
    _exit(0);
}

static pid_t start_worker(int worker, unsigned int seed, int operations)
{
    pid_t pid;
    int res;

    for (res = 0; res < RESOURCES; res++)
        __atomic_store_n(&witness->held[worker][res], NO_MODE, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&witness->incarnation[worker], 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&witness->killed[worker], 0, __ATOMIC_SEQ_CST);
    pid = fork();
    if (pid == 0)
        worker_main(worker, seed, operations);
    return pid;
}

/* Wait until the workers have done some more operations, so that the kill
 * lands somewhere in their work; give up after a while (they may all have
 * finished). */
static void let_workers_run(unsigned int operations)
{
    uint32_t target = __atomic_load_n(&witness->progress, __ATOMIC_SEQ_CST) + operations;
    time_t give_up = time(NULL) + 5;

    while (__atomic_load_n(&witness->progress, __ATOMIC_SEQ_CST) < target
           && time(NULL) < give_up)
        sched_yield();
}

static void torture(void)
{
    const char *kills_env = getenv("DLM_TRU64_TORTURE_KILLS");
    int kills = kills_env != NULL ? atoi(kills_env) : 1000;
    unsigned int seed = 12345;
    pid_t pids[WORKERS];
    struct engine_lksb keep[RESOURCES];
    struct engine_census census;
    struct engine_ls *ls;
    int worker, kill_count, status, res, clean_exits = 0;

    witness = mmap(NULL, sizeof *witness, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                   -1, 0);
    CU_ASSERT_FATAL(witness != MAP_FAILED);
    memset(witness, 0, sizeof *witness);
    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "torture"), 0);
    for (res = 0; res < RESOURCES; res++) {
        char name[16];

        snprintf(name, sizeof name, "res%d", res);
        memset(&keep[res], 0, sizeof keep[res]);
        CU_ASSERT_FATAL(engine_fixture_request(ls, ENGINE_MODE_NL, &keep[res], 0, name));
        CU_ASSERT_EQUAL_FATAL(keep[res].status, 0);
    }
    for (worker = 0; worker < WORKERS; worker++)
        pids[worker] = start_worker(worker, (unsigned int)rand_r(&seed), 1000000);

    for (kill_count = 0; kill_count < kills; kill_count++) {
        worker = rand_r(&seed) % WORKERS;
        let_workers_run(1 + (unsigned int)rand_r(&seed) % 20);
        __atomic_store_n(&witness->killed[worker], 1, __ATOMIC_SEQ_CST);
        kill(pids[worker], SIGKILL);
        waitpid(pids[worker], &status, 0);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
            fprintf(stderr, "worker %d ended before its kill: %s %d\n", worker,
                    WIFSIGNALED(status) ? "signal" : "exit status",
                    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        pids[worker] = start_worker(worker, (unsigned int)rand_r(&seed), 1000000);
    }

    /* Last round: every worker finishes a bounded run on its own. */
    for (worker = 0; worker < WORKERS; worker++) {
        __atomic_store_n(&witness->killed[worker], 1, __ATOMIC_SEQ_CST);
        kill(pids[worker], SIGKILL);
        waitpid(pids[worker], &status, 0);
        pids[worker] = start_worker(worker, (unsigned int)rand_r(&seed), 2000);
    }
    for (worker = 0; worker < WORKERS; worker++) {
        waitpid(pids[worker], &status, 0);
        clean_exits += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }

    CU_ASSERT_EQUAL(clean_exits, WORKERS);
    CU_ASSERT_EQUAL(witness->incompatible, 0);
    CU_ASSERT_EQUAL(witness->wrong_value, 0);
    CU_ASSERT_EQUAL(witness->stuck, 0);
    for (res = 0; res < RESOURCES; res++)
        CU_ASSERT_EQUAL(ops->unlock(ls, keep[res].lkid, 0, &keep[res], NULL), ENGINE_DONE);
    CU_ASSERT_EQUAL(ops->census(ls, &census), 0);
    CU_ASSERT_EQUAL(census.locks, 0);
    CU_ASSERT_EQUAL(census.resources, 0);
    CU_ASSERT_EQUAL(census.processes, 1);
    ops->ls_close(ls);
    printf("\n  %d kills, %u operations\n", kills, witness->progress);
    munmap(witness, sizeof *witness);
}

static const struct harness_test tests[] = {
    { "kill -9 at random never breaks exclusion, values or progress", torture },
    { NULL, NULL }
};

static const struct harness_suite suite = { "embedded engine under kill -9", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return engine_fixture_main(suites);
}
