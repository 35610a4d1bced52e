/*
 * The embedded engine's introspection: census and the picture of
 * resources and locks that deadlock detection and queries rely on.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "engine_fixture.h"
#include "harness.h"

#define ROOM 16

static const struct engine_ops *ops = &engine_embedded;

struct picture_room {
    struct engine_resource_info resources[ROOM];
    struct engine_lock_info locks[ROOM];
    struct engine_picture picture;
};

static int take_picture(struct engine_ls *ls, const char *name, struct picture_room *room)
{
    room->picture = (struct engine_picture){ room->resources, ROOM, room->locks, ROOM };
    return ops->inspect(ls, name, name != NULL ? (unsigned int)strlen(name) : 0,
                        &room->picture);
}

static void grant(struct engine_ls *ls, int mode, struct engine_lksb *lksb, uint32_t flags,
                  const char *name)
{
    CU_ASSERT_FATAL(engine_fixture_request(ls, mode, lksb, flags, name));
    CU_ASSERT_EQUAL_FATAL(lksb->status, 0);
}

/* Queue without waiting for the grant. */
static void queue(struct engine_ls *ls, int mode, struct engine_lksb *lksb, uint32_t flags,
                  const char *name)
{
    CU_ASSERT_EQUAL_FATAL(ops->lock(ls, mode, lksb, flags, name,
                                    name != NULL ? (unsigned int)strlen(name) : 0,
                                    NULL, NULL, NULL), 0);
}

static void check_lock(const struct engine_lock_info *info, const struct engine_lksb *lksb,
                       enum engine_queue queue, int grmode, int rqmode)
{
    CU_ASSERT_EQUAL(info->lkid, lksb->lkid);
    CU_ASSERT_EQUAL(info->pid, getpid());
    CU_ASSERT_EQUAL(info->queue, queue);
    CU_ASSERT_EQUAL(info->grmode, grmode);
    CU_ASSERT_EQUAL(info->rqmode, rqmode);
    CU_ASSERT_EQUAL(info->resource, 0);
}

static void unlock_all(struct engine_ls *ls, struct engine_lksb *lksbs, int n)
{
    while (n-- > 0)
        ops->unlock(ls, lksbs[n].lkid, ENGINE_LKF_FORCEUNLOCK, &lksbs[n], NULL);
}

static void resource_picture_lists_queues_in_order(void)
{
    struct engine_lksb lksb[4] = { 0 };
    struct picture_room room;
    struct engine_ls *ls;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "queues"), 0);
    grant(ls, ENGINE_MODE_PR, &lksb[0], 0, "r");
    grant(ls, ENGINE_MODE_PR, &lksb[1], 0, "r");
    queue(ls, ENGINE_MODE_EX, &lksb[1], ENGINE_LKF_CONVERT, NULL);
    queue(ls, ENGINE_MODE_CW, &lksb[2], 0, "r");
    grant(ls, ENGINE_MODE_NL, &lksb[3], ENGINE_LKF_NOORDER, "r");

    CU_ASSERT_EQUAL_FATAL(take_picture(ls, "r", &room), 0);
    CU_ASSERT_EQUAL(room.picture.nresources, 1);
    CU_ASSERT_EQUAL_FATAL(room.picture.nlocks, 4);
    CU_ASSERT_EQUAL(room.resources[0].namelen, 1);
    CU_ASSERT_EQUAL(room.resources[0].name[0], 'r');
    /* The NL request was granted at once (NOORDER), after the PR. */
    check_lock(&room.locks[0], &lksb[0], ENGINE_QUEUE_GRANTED, ENGINE_MODE_PR, ENGINE_MODE_IV);
    check_lock(&room.locks[1], &lksb[3], ENGINE_QUEUE_GRANTED, ENGINE_MODE_NL, ENGINE_MODE_IV);
    check_lock(&room.locks[2], &lksb[1], ENGINE_QUEUE_CONVERTING, ENGINE_MODE_PR,
               ENGINE_MODE_EX);
    check_lock(&room.locks[3], &lksb[2], ENGINE_QUEUE_WAITING, ENGINE_MODE_IV, ENGINE_MODE_CW);
    CU_ASSERT(room.locks[3].flags == 0 && room.locks[1].flags == ENGINE_LKF_NOORDER);
    unlock_all(ls, lksb, 4);
    ops->ls_close(ls);
}

static void whole_picture_covers_every_resource(void)
{
    struct engine_lksb lksb[3] = { 0 };
    struct picture_room room;
    struct engine_ls *ls;
    unsigned int i;
    int a_ex = 0, b_nl = 0, b_cr = 0;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "whole"), 0);
    grant(ls, ENGINE_MODE_EX, &lksb[0], 0, "a");
    grant(ls, ENGINE_MODE_NL, &lksb[1], 0, "b");
    grant(ls, ENGINE_MODE_CR, &lksb[2], 0, "b");
    CU_ASSERT_EQUAL_FATAL(take_picture(ls, NULL, &room), 0);
    CU_ASSERT_EQUAL_FATAL(room.picture.nresources, 2);
    CU_ASSERT_EQUAL_FATAL(room.picture.nlocks, 3);
    for (i = 0; i < 3; i++) {
        const struct engine_lock_info *lock = &room.locks[i];
        char resource = (char)room.resources[lock->resource].name[0];

        a_ex += resource == 'a' && lock->grmode == ENGINE_MODE_EX;
        b_nl += resource == 'b' && lock->grmode == ENGINE_MODE_NL;
        b_cr += resource == 'b' && lock->grmode == ENGINE_MODE_CR;
    }
    CU_ASSERT(a_ex == 1 && b_nl == 1 && b_cr == 1);
    unlock_all(ls, lksb, 3);
    CU_ASSERT_EQUAL(take_picture(ls, NULL, &room), 0);
    CU_ASSERT_EQUAL(room.picture.nresources, 0);
    CU_ASSERT_EQUAL(room.picture.nlocks, 0);
    ops->ls_close(ls);
}

static void picture_too_big_reports_the_totals(void)
{
    struct engine_lksb lksb[ROOM + 4];
    struct engine_lock_info locks[2];
    struct engine_picture picture = { NULL, 0, locks, 2 };
    struct engine_ls *ls;
    int i;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "totals"), 0);
    memset(lksb, 0, sizeof lksb);
    for (i = 0; i < ROOM + 4; i++)
        grant(ls, ENGINE_MODE_NL, &lksb[i], 0, "many");
    CU_ASSERT_EQUAL(ops->inspect(ls, "many", 4, &picture), 0);
    CU_ASSERT_EQUAL(picture.nresources, 1);
    CU_ASSERT_EQUAL(picture.nlocks, ROOM + 4);
    CU_ASSERT_EQUAL(locks[0].lkid, lksb[0].lkid);
    CU_ASSERT_EQUAL(locks[1].lkid, lksb[1].lkid);
    unlock_all(ls, lksb, ROOM + 4);
    ops->ls_close(ls);
}

static void picture_reports_value_block_state(void)
{
    char lvb[ENGINE_LVB_LEN];
    struct engine_lksb lksb = { .lvb = lvb }, keep = { 0 };
    struct picture_room room;
    struct engine_ls *ls;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "values"), 0);
    grant(ls, ENGINE_MODE_NL, &keep, 0, "v");  /* keeps the resource in being */
    grant(ls, ENGINE_MODE_EX, &lksb, 0, "v");
    strcpy(lvb, "written");
    grant(ls, ENGINE_MODE_NL, &lksb, ENGINE_LKF_CONVERT | ENGINE_LKF_VALBLK, NULL);
    CU_ASSERT_EQUAL_FATAL(take_picture(ls, "v", &room), 0);
    CU_ASSERT_STRING_EQUAL(room.resources[0].lvb, "written");
    CU_ASSERT_EQUAL(room.resources[0].lvb_seq, 1);
    CU_ASSERT(room.resources[0].lvb_valid);

    grant(ls, ENGINE_MODE_EX, &lksb, ENGINE_LKF_CONVERT, NULL);
    CU_ASSERT_EQUAL(ops->unlock(ls, lksb.lkid, ENGINE_LKF_IVVALBLK, &lksb, NULL), ENGINE_DONE);
    CU_ASSERT_EQUAL_FATAL(take_picture(ls, "v", &room), 0);
    CU_ASSERT(!room.resources[0].lvb_valid);
    unlock_all(ls, &keep, 1);
    ops->ls_close(ls);
}

/* A process that died holds nothing, even before anyone else has touched
 * the lockspace since. */
static void picture_omits_dead_processes(void)
{
    struct engine_lksb mine = { 0 };
    struct picture_room room;
    struct engine_ls *ls;
    int ready[2], status;
    pid_t child;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "dead"), 0);
    grant(ls, ENGINE_MODE_NL, &mine, 0, "d");
    CU_ASSERT_EQUAL_FATAL(pipe(ready), 0);
    child = fork();
    if (child == 0) {
        struct engine_lksb theirs = { 0 };
        struct engine_ls *child_ls;

        if (engine_fixture_open(&child_ls, "dead") != 0
            || !engine_fixture_request(child_ls, ENGINE_MODE_EX, &theirs, 0, "d"))
            _exit(1);
        if (write(ready[1], "x", 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    close(ready[1]);
    CU_ASSERT_EQUAL_FATAL(read(ready[0], &status, 1), 1);
    close(ready[0]);
    CU_ASSERT_EQUAL(take_picture(ls, "d", &room), 0);
    CU_ASSERT_EQUAL(room.picture.nlocks, 2);
    CU_ASSERT_EQUAL(room.locks[1].pid, child);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    CU_ASSERT_EQUAL(take_picture(ls, "d", &room), 0);
    CU_ASSERT_EQUAL_FATAL(room.picture.nlocks, 1);
    CU_ASSERT_EQUAL(room.locks[0].lkid, mine.lkid);
    unlock_all(ls, &mine, 1);
    ops->ls_close(ls);
}

static void inspect_refuses_bad_arguments(void)
{
    struct engine_picture empty = { NULL, 0, NULL, 0 };
    struct engine_picture no_buffer = { NULL, 4, NULL, 0 };
    char long_name[ENGINE_RESNAME_MAXLEN + 1];
    struct engine_ls *ls;

    memset(long_name, 'n', sizeof long_name);
    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "bad"), 0);
    CU_ASSERT_EQUAL(ops->inspect(ls, "none", 4, &empty), -ENOENT);
    CU_ASSERT_EQUAL(ops->inspect(ls, "none", 4, NULL), -EINVAL);
    CU_ASSERT_EQUAL(ops->inspect(ls, NULL, 0, &no_buffer), -EINVAL);
    CU_ASSERT_EQUAL(ops->inspect(ls, "n", 0, &empty), -EINVAL);
    CU_ASSERT_EQUAL(ops->inspect(ls, long_name, sizeof long_name, &empty), -EINVAL);
    CU_ASSERT_EQUAL(ops->census(ls, NULL), -EINVAL);
    ops->ls_close(ls);
}

static const struct harness_test tests[] = {
    { "a resource's picture lists its queues in order", resource_picture_lists_queues_in_order },
    { "the whole picture covers every resource", whole_picture_covers_every_resource },
    { "a picture too big for its room reports the totals", picture_too_big_reports_the_totals },
    { "a picture reports the value block's state", picture_reports_value_block_state },
    { "a picture omits dead processes' locks", picture_omits_dead_processes },
    { "inspect refuses bad arguments", inspect_refuses_bad_arguments },
    { NULL, NULL }
};

static const struct harness_suite suite = { "embedded engine introspection", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return engine_fixture_main(suites);
}
