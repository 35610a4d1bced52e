/*
 * The embedded engine's lock groups (engine.h), one test per rule: group
 * locks belong to the group, any member takes them over, one member at a
 * time; notifications go to the member that manipulated a lock last; a
 * member's death leaves the group's locks, the last member's death (of a
 * group that is not permanent) takes them along; leaving hands them back
 * to the group.  Between the test process and a peer (engine_actors.h).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "engine_actors.h"
#include "engine_fixture.h"
#include "harness.h"

static const struct engine_ops *ops = &engine_embedded;

#define CONVERT ENGINE_LKF_CONVERT
#define GROUP   ENGINE_LKF_GROUP

/* The pid introspection gives lock lkid of resource name, or -1. */
static pid_t owner_pid(struct engine_ls *ls, const char *name, uint32_t lkid)
{
    struct engine_lock_info info;

    return picture_lock(ls, name, lkid, &info) ? info.pid : -1;
}

static void a_group_lock_needs_a_group(void)
{
    struct engine_ls *ls;
    struct tracked t;

    CU_ASSERT_FATAL(engine_fixture_open(&ls, "grp-none") == 0);
    tracked_init(&t);
    CU_ASSERT_EQUAL(tracked_lock(ls, &t, ENGINE_MODE_EX, GROUP, "r"), -EINVAL);
    CU_ASSERT_EQUAL(ops->group_join(ls, 0, 0, NULL, NULL), -EINVAL);
    CU_ASSERT_EQUAL(ops->group_leave(ls), -ENOENT);
    /* A group lock is no persistent one, nor made by a conversion. */
    CU_ASSERT_EQUAL(ops->group_join(ls, 5, 0, NULL, NULL), 0);
    CU_ASSERT_EQUAL(tracked_lock(ls, &t, ENGINE_MODE_EX, GROUP | ENGINE_LKF_PERSISTENT, "r"),
                    -EINVAL);
    CU_ASSERT_EQUAL(ops->group_join(ls, 6, 0, NULL, NULL), -EBUSY);  /* one group at a time */
    CU_ASSERT_EQUAL(ops->group_join(ls, 5, 0, NULL, NULL), 0);       /* the same again is no change */
    CU_ASSERT_EQUAL(ops->group_leave(ls), 0);
    CU_ASSERT_EQUAL(census_locks(ls), 0);
    ops->ls_close(ls);
}

static void any_member_takes_a_group_lock_over(void)
{
    struct scene s;
    struct tracked t;
    uint32_t lkid;

    scene_open(&s, "grp-takeover");
    tracked_init(&t);
    CU_ASSERT_EQUAL(ops->group_join(s.ls, 7, 0, NULL, NULL), 0);
    CU_ASSERT_EQUAL(peer_group_join(&s.peer, 7, 0), 0);
    CU_ASSERT_FATAL(granted_now(s.ls, &t, ENGINE_MODE_EX, GROUP, "r"));
    lkid = t.lksb.lkid;
    CU_ASSERT_EQUAL(owner_pid(s.ls, "r", lkid), getpid());
    CU_ASSERT_EQUAL(peer_convert_lkid(&s.peer, 0, lkid, ENGINE_MODE_PR, 0), ENGINE_DONE);
    CU_ASSERT_EQUAL(owner_pid(s.ls, "r", lkid), s.peer.pid);
    CU_ASSERT(lock_is(s.ls, "r", lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_PR, ENGINE_MODE_IV));
    /* And back: the test releases what the peer converted last. */
    CU_ASSERT(released(s.ls, &t));
    CU_ASSERT_EQUAL(peer_group_leave(&s.peer), 0);
    CU_ASSERT_EQUAL(ops->group_leave(s.ls), 0);
    scene_close(&s);
}

static void a_non_member_cannot_touch_a_group_lock(void)
{
    struct scene s;
    struct tracked t;

    scene_open(&s, "grp-outsider");
    tracked_init(&t);
    CU_ASSERT_EQUAL(ops->group_join(s.ls, 8, 0, NULL, NULL), 0);
    CU_ASSERT_FATAL(granted_now(s.ls, &t, ENGINE_MODE_EX, GROUP, "r"));
    CU_ASSERT_EQUAL(peer_unlock_lkid(&s.peer, 0, t.lksb.lkid, 0), -ENOENT);
    CU_ASSERT_EQUAL(peer_lock_lkid(&s.peer, 0, t.lksb.lkid, ENGINE_MODE_NL, CONVERT), -ENOENT);
    /* Nor can a member of another group. */
    CU_ASSERT_EQUAL(peer_group_join(&s.peer, 9, 0), 0);
    CU_ASSERT_EQUAL(peer_unlock_lkid(&s.peer, 0, t.lksb.lkid, 0), -ENOENT);
    CU_ASSERT_EQUAL(peer_group_leave(&s.peer), 0);
    CU_ASSERT(lock_is(s.ls, "r", t.lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_EX,
                      ENGINE_MODE_IV));
    CU_ASSERT(released(s.ls, &t));
    CU_ASSERT_EQUAL(ops->group_leave(s.ls), 0);
    scene_close(&s);
}

/* A request of one member in flight: the others wait their turn. */
static void one_member_at_a_time(void)
{
    struct scene s;
    struct tracked blocker, t;

    scene_open(&s, "grp-busy");
    tracked_init(&blocker);
    tracked_init(&t);
    CU_ASSERT_EQUAL(ops->group_join(s.ls, 10, 0, NULL, NULL), 0);
    CU_ASSERT_EQUAL(peer_group_join(&s.peer, 10, 0), 0);
    CU_ASSERT_FATAL(granted_now(s.ls, &blocker, ENGINE_MODE_PR, 0, "r"));
    CU_ASSERT_FATAL(granted_now(s.ls, &t, ENGINE_MODE_NL, GROUP, "r"));
    /* The peer converts it to EX, which waits for the test's PR. */
    CU_ASSERT_EQUAL(peer_convert_lkid(&s.peer, 0, t.lksb.lkid, ENGINE_MODE_EX, 0), 0);
    CU_ASSERT_EQUAL(ops->unlock(s.ls, t.lksb.lkid, 0, &t.lksb, NULL), -EBUSY);
    CU_ASSERT_EQUAL(ops->unlock(s.ls, t.lksb.lkid, ENGINE_LKF_CANCEL, &t.lksb, NULL), -EBUSY);
    CU_ASSERT(released(s.ls, &blocker));
    CU_ASSERT_EQUAL(peer_await(&s.peer, 0, 10000), 0);
    CU_ASSERT(lock_is(s.ls, "r", t.lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_EX,
                      ENGINE_MODE_IV));
    /* Granted, it is anyone's again. */
    CU_ASSERT(released(s.ls, &t));
    CU_ASSERT_EQUAL(peer_group_leave(&s.peer), 0);
    CU_ASSERT_EQUAL(ops->group_leave(s.ls), 0);
    scene_close(&s);
}

static void blocking_routines_go_to_the_member_that_manipulated_last(void)
{
    struct scene s;
    struct tracked t, waiter;
    const struct tracked *peers;

    scene_open(&s, "grp-bast");
    tracked_init(&t);
    tracked_init(&waiter);
    CU_ASSERT_EQUAL(ops->group_join(s.ls, 11, 0, NULL, NULL), 0);
    CU_ASSERT_EQUAL(peer_group_join(&s.peer, 11, 0), 0);
    CU_ASSERT_FATAL(granted_now(s.ls, &t, ENGINE_MODE_PR, GROUP, "r"));
    CU_ASSERT_EQUAL(peer_convert_lkid(&s.peer, 0, t.lksb.lkid, ENGINE_MODE_EX, 0), ENGINE_DONE);
    /* The test's own request, not a group one, is blocked by the group's
     * EX: the peer hears of it, the test's routines do not run. */
    CU_ASSERT_FATAL(queued(s.ls, &waiter, ENGINE_MODE_PR, 0, "r"));
    peers = peer_look(&s.peer, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(peers);
    CU_ASSERT_EQUAL(peers->blocks, 1);
    CU_ASSERT_EQUAL(peers->blocked_mode, ENGINE_MODE_PR);
    CU_ASSERT_EQUAL(tracked_dispatch(s.ls), 0);
    CU_ASSERT_EQUAL(t.blocks, 0);
    CU_ASSERT_EQUAL(peer_unlock_lkid(&s.peer, 0, t.lksb.lkid, 0), ENGINE_DONE);
    CU_ASSERT(completes(s.ls, &waiter, 0));
    CU_ASSERT(released(s.ls, &waiter));
    CU_ASSERT_EQUAL(peer_group_leave(&s.peer), 0);
    CU_ASSERT_EQUAL(ops->group_leave(s.ls), 0);
    scene_close(&s);
}

static void a_members_death_leaves_the_groups_locks(void)
{
    struct scene s;
    struct tracked t;
    uint32_t lkid;

    scene_open(&s, "grp-death");
    tracked_init(&t);
    CU_ASSERT_EQUAL(ops->group_join(s.ls, 12, 0, NULL, NULL), 0);
    CU_ASSERT_EQUAL(peer_group_join(&s.peer, 12, 0), 0);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_EX, GROUP, "r"));
    lkid = s.peer.last.lock.lksb.lkid;
    CU_ASSERT_FATAL(peer_die(&s.peer, SIGKILL) == 0);
    /* Still EX, owned by no process, and the test may release it. */
    CU_ASSERT_EQUAL(tracked_probe(s.ls, ENGINE_MODE_NL, "r"), 1);
    CU_ASSERT_EQUAL(tracked_probe(s.ls, ENGINE_MODE_CR, "r"), 0);
    CU_ASSERT_EQUAL(owner_pid(s.ls, "r", lkid), 0);
    CU_ASSERT_EQUAL(ops->unlock(s.ls, lkid, 0, &t.lksb, NULL), ENGINE_DONE);
    CU_ASSERT_EQUAL(tracked_probe(s.ls, ENGINE_MODE_EX, "r"), 1);
    CU_ASSERT_EQUAL(ops->group_leave(s.ls), 0);
    scene_close(&s);
}

static void the_last_members_death_takes_the_groups_locks(void)
{
    struct scene s;
    struct tracked t;

    scene_open(&s, "grp-last");
    tracked_init(&t);
    CU_ASSERT_EQUAL(peer_group_join(&s.peer, 13, 0), 0);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_EX, GROUP, "r"));
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 1, ENGINE_MODE_NL, GROUP, "r"));
    /* Granted or not, strong or weak, both go with the last member. */
    CU_ASSERT_FATAL(peer_die(&s.peer, SIGKILL) == 0);
    CU_ASSERT_EQUAL(tracked_probe(s.ls, ENGINE_MODE_EX, "r"), 1);
    CU_ASSERT_EQUAL(census_locks(s.ls), 0);
    CU_ASSERT_EQUAL(ops->group_locks(s.ls, 13), 0);
    scene_close(&s);
}

static void a_permanent_group_keeps_its_locks_until_released(void)
{
    struct scene s;

    scene_open(&s, "grp-perm");
    CU_ASSERT_EQUAL(peer_group_join(&s.peer, 14, 1), 0);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_EX, GROUP, "r"));
    CU_ASSERT_FATAL(peer_die(&s.peer, SIGKILL) == 0);
    CU_ASSERT_EQUAL(tracked_probe(s.ls, ENGINE_MODE_CR, "r"), 0);
    /* Counted and released by a process that is no member. */
    CU_ASSERT_EQUAL(ops->group_locks(s.ls, 14), 1);
    CU_ASSERT_EQUAL(ops->group_release(s.ls, 14), 0);
    CU_ASSERT_EQUAL(ops->group_locks(s.ls, 14), 0);
    CU_ASSERT_EQUAL(tracked_probe(s.ls, ENGINE_MODE_EX, "r"), 1);
    CU_ASSERT_EQUAL(census_locks(s.ls), 0);
    scene_close(&s);
}

static void leaving_hands_granted_locks_to_the_group_and_keeps_waiting_ones(void)
{
    struct scene s;
    struct tracked held, waiting, blocker;
    const struct tracked *peers;

    scene_open(&s, "grp-leave");
    tracked_init(&held);
    tracked_init(&waiting);
    tracked_init(&blocker);
    CU_ASSERT_EQUAL(ops->group_join(s.ls, 15, 0, NULL, NULL), 0);
    CU_ASSERT_EQUAL(peer_group_join(&s.peer, 15, 0), 0);
    CU_ASSERT_FATAL(granted_now(s.ls, &blocker, ENGINE_MODE_EX, 0, "w"));
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, GROUP, "h"));
    CU_ASSERT_FATAL(peer_queued(&s.peer, 1, ENGINE_MODE_PR, GROUP, "w"));
    CU_ASSERT_EQUAL(peer_group_leave(&s.peer), 0);
    /* The granted lock is the group's, with no owner; the waiting request
     * is the peer's own: the test may not take it. */
    peers = peer_look(&s.peer, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(peers);
    CU_ASSERT_EQUAL(owner_pid(s.ls, "h", peers->lksb.lkid), 0);
    peers = peer_look(&s.peer, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(peers);
    CU_ASSERT_EQUAL(owner_pid(s.ls, "w", peers->lksb.lkid), s.peer.pid);
    CU_ASSERT_EQUAL(ops->unlock(s.ls, peers->lksb.lkid, ENGINE_LKF_CANCEL, &held.lksb, NULL),
                    -ENOENT);
    CU_ASSERT(released(s.ls, &blocker));
    CU_ASSERT(peer_completes(&s.peer, 1, 0));
    CU_ASSERT(peer_released(&s.peer, 1));
    /* The group's lock, taken over by the test, released. */
    peers = peer_look(&s.peer, 0);
    CU_ASSERT_EQUAL(ops->unlock(s.ls, peers->lksb.lkid, 0, &held.lksb, NULL), ENGINE_DONE);
    CU_ASSERT_EQUAL(ops->group_leave(s.ls), 0);
    scene_close(&s);
}

static void leaving_waits_for_the_callers_conversions(void)
{
    struct scene s;
    struct tracked t;

    scene_open(&s, "grp-leave-cvt");
    tracked_init(&t);
    CU_ASSERT_EQUAL(ops->group_join(s.ls, 16, 0, NULL, NULL), 0);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "r"));
    CU_ASSERT_FATAL(granted_now(s.ls, &t, ENGINE_MODE_NL, GROUP, "r"));
    CU_ASSERT_FATAL(queued(s.ls, &t, ENGINE_MODE_EX, CONVERT, NULL));
    CU_ASSERT_EQUAL(ops->group_leave(s.ls), -EBUSY);
    CU_ASSERT(done_with(tracked_unlock(s.ls, &t, ENGINE_LKF_CANCEL), &t, ENGINE_ECANCEL));
    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT_EQUAL(ops->group_leave(s.ls), 0);
    /* The last member left a group that is not permanent: its lock went. */
    CU_ASSERT_EQUAL(census_locks(s.ls), 0);
    scene_close(&s);
}

static void an_orphan_adoption_never_takes_a_group_lock(void)
{
    struct scene s;
    struct tracked t;

    scene_open(&s, "grp-orphan");
    tracked_init(&t);
    CU_ASSERT_EQUAL(ops->group_join(s.ls, 17, 0, NULL, NULL), 0);
    CU_ASSERT_EQUAL(peer_group_join(&s.peer, 17, 0), 0);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, GROUP, "r"));
    CU_ASSERT_FATAL(peer_die(&s.peer, SIGKILL) == 0);
    CU_ASSERT_EQUAL(tracked_lock(s.ls, &t, ENGINE_MODE_PR,
                                 ENGINE_LKF_PERSISTENT | ENGINE_LKF_ORPHAN, "r"), -ENOENT);
    CU_ASSERT_EQUAL(ops->group_leave(s.ls), 0);     /* the last member: the lock goes */
    CU_ASSERT_EQUAL(census_locks(s.ls), 0);
    scene_close(&s);
}

static void a_query_describes_anyones_lock(void)
{
    struct scene s;
    struct engine_lock_info info;
    struct engine_resource_info res;

    scene_open(&s, "grp-query");
    CU_ASSERT_EQUAL(peer_group_join(&s.peer, 18, 0), 0);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_CW, GROUP, "query"));
    CU_ASSERT_EQUAL(ops->lock_query(s.ls, s.peer.last.lock.lksb.lkid, &info, &res), 0);
    CU_ASSERT_EQUAL(info.pid, s.peer.pid);
    CU_ASSERT_EQUAL(info.grmode, ENGINE_MODE_CW);
    CU_ASSERT_EQUAL(info.group, 18);
    CU_ASSERT_EQUAL(res.namelen, 5);
    CU_ASSERT_EQUAL(memcmp(res.name, "query", 5), 0);
    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT_EQUAL(ops->lock_query(s.ls, s.peer.last.lock.lksb.lkid, &info, &res), -ENOENT);
    CU_ASSERT_EQUAL(ops->lock_query(s.ls, 0, &info, &res), -ENOENT);
    CU_ASSERT_EQUAL(ops->lock_query(s.ls, 1, NULL, &res), -EINVAL);
    CU_ASSERT_EQUAL(peer_group_leave(&s.peer), 0);
    scene_close(&s);
}

static const struct harness_test tests[] = {
    { "a group lock needs a group", a_group_lock_needs_a_group },
    { "any member takes a group lock over", any_member_takes_a_group_lock_over },
    { "a non-member cannot touch a group lock", a_non_member_cannot_touch_a_group_lock },
    { "one member at a time", one_member_at_a_time },
    { "blocking routines go to the member that manipulated last",
      blocking_routines_go_to_the_member_that_manipulated_last },
    { "a member's death leaves the group's locks", a_members_death_leaves_the_groups_locks },
    { "the last member's death takes the group's locks",
      the_last_members_death_takes_the_groups_locks },
    { "a permanent group keeps its locks until released",
      a_permanent_group_keeps_its_locks_until_released },
    { "leaving hands granted locks to the group and keeps waiting ones",
      leaving_hands_granted_locks_to_the_group_and_keeps_waiting_ones },
    { "leaving waits for the caller's conversions", leaving_waits_for_the_callers_conversions },
    { "an orphan adoption never takes a group lock",
      an_orphan_adoption_never_takes_a_group_lock },
    { "a query describes anyone's lock", a_query_describes_anyones_lock },
    { NULL, NULL }
};

static const struct harness_suite suite = { "embedded engine: lock groups", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return engine_fixture_main(suites);
}
