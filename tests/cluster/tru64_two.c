/*
 * The Tru64 API across two nodes of a kernel DLM cluster: one process on
 * each node (tests/cluster/run.sh boots the guests), using <sys/dlm.h> and
 * the conformance suites' fixture only, on the Linux engine.
 *
 *   tru64_two two        contention with blocking and completion routines,
 *                        value blocks both ways, sublocks, timeouts, a
 *                        deadlock across the nodes, a persistent resource
 *                        outliving the process that wrote it, and one
 *                        recovered on node 2 after its holder on node 1
 *                        was killed, a group lock of a container of node 1
 *   tru64_two poweroff   node 1 holds locks that node 2 waits for, and is
 *                        powered off: what node 2 is then granted
 *
 * The nodes meet through marker files (meeting.h).  In "two" they run the
 * same tests in step: each test is a side for node 1 and one for node 2,
 * which wait for each other at its end, and names resources of its own.
 * In "poweroff" each node runs a suite of its own.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"
#include "conformance/fixture.h"
#include "meeting.h"

/* A timeout (hundredths of a second) a test expects to run out. */
#define SHORT 50

/* Run this node's side of a test in the caller's namespace, then wait for
 * the other node to end its side. */
static void sides(const char *step, void (*on_node1)(dlm_nsp_t), void (*on_node2)(dlm_nsp_t))
{
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    if (meeting_node() == 1)
        on_node1(ns);
    else
        on_node2(ns);
    CU_ASSERT(meeting_both(step));
}

/* A synchronous root lock whose blocking routine records into events. */
static dlm_status_t lock_watched(dlm_nsp_t ns, const char *name, dlm_lkmode_t mode,
                                 struct fixture_events *events, dlm_lkid_t *lkid)
{
    return dlm_lock(ns, (uchar_t *)name, (ushort_t)strlen(name), NULL, lkid, mode, NULL, 0,
                    events, NULL, fixture_blocked, FIXTURE_PATIENCE);
}

/* Down-convert a watched lock, writing value into the resource. */
static dlm_status_t write_down(dlm_lkid_t *lkid, dlm_lkmode_t mode, dlm_valb_t *value,
                               struct fixture_events *events)
{
    return dlm_cvt(lkid, mode, value, DLM_VALB, events, NULL, fixture_blocked, 0);
}

/* --- Contention: blocking and completion routines -------------------------------- */

static void contention_on_node1(dlm_nsp_t ns)
{
    struct fixture_events events = { 0 };
    dlm_lkid_t held;

    CU_ASSERT_EQUAL_FATAL(lock_watched(ns, "contended", DLM_EXMODE, &events, &held),
                          DLM_SUCCESS);
    meeting_mark("n1-holds-contended");
    CU_ASSERT_FATAL(meeting_await("n2-queued-contended"));
    /* Node 2's PR request waits for our EX: we hear of it, and of its
     * mode. */
    CU_ASSERT_FATAL(fixture_await_blocks(&events, 1));
    CU_ASSERT_EQUAL(events.blocked_mode, DLM_PRMODE);
    CU_ASSERT(fixture_same_lkid(&events.blk_lkid, &held));
    meeting_mark("n1-heard-contended");
    CU_ASSERT_FATAL(meeting_await("n2-still-waiting-contended"));
    CU_ASSERT_EQUAL(dlm_unlock(&held, NULL, 0), DLM_SUCCESS);
}

static void contention_on_node2(dlm_nsp_t ns)
{
    struct fixture_events events = { 0 };
    dlm_lkid_t lkid;

    CU_ASSERT_FATAL(meeting_await("n1-holds-contended"));
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "contended", DLM_PRMODE, NULL, DLM_NOQUEUE, 0,
                                      &lkid), DLM_NOTQUEUED);
    CU_ASSERT_EQUAL_FATAL(fixture_quelock(ns, NULL, "contended", DLM_PRMODE, 0, 0, &events,
                                          &lkid), DLM_SUCCESS);
    meeting_mark("n2-queued-contended");
    /* Node 1 still holds EX once it has heard of us: nothing completed. */
    CU_ASSERT_FATAL(meeting_await("n1-heard-contended"));
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(events.completions, 0);
    meeting_mark("n2-still-waiting-contended");
    /* Its release completes our request. */
    CU_ASSERT_FATAL(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT(fixture_same_lkid(&events.cpl_lkid, &lkid));
    CU_ASSERT(fixture_holds(&lkid, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
}

static void contention(void)
{
    sides("contention", contention_on_node1, contention_on_node2);
}

/* --- Value blocks, written on one node and read on the other ----------------------- */

static void values_on_node1(dlm_nsp_t ns)
{
    dlm_valb_t mine = fixture_value(1), theirs = fixture_value(2), read;
    dlm_lkid_t lkid;

    /* Written on the way down to NL, whose lock keeps the resource (and
     * its value block) while node 2 comes and goes. */
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "values", DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_NLMODE, &mine, DLM_VALB, NULL, NULL, NULL, 0),
                    DLM_SUCCESS);
    meeting_mark("n1-wrote-values");
    CU_ASSERT_FATAL(meeting_await("n2-wrote-values"));
    memset(&read, 0, sizeof read);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_PRMODE, &read, DLM_VALB, NULL, NULL, NULL,
                            FIXTURE_PATIENCE), DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&read, &theirs));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
}

static void values_on_node2(dlm_nsp_t ns)
{
    dlm_valb_t mine = fixture_value(2), theirs = fixture_value(1), read;
    dlm_lkid_t lkid;

    CU_ASSERT_FATAL(meeting_await("n1-wrote-values"));
    memset(&read, 0, sizeof read);
    CU_ASSERT_EQUAL_FATAL(fixture_lock_with(ns, NULL, "values", DLM_PRMODE, &read, DLM_VALB,
                                            FIXTURE_PATIENCE, &lkid), DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&read, &theirs));
    /* Written on unlock from EX. */
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, FIXTURE_PATIENCE),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, &mine, DLM_VALB), DLM_SUCCESS);
    meeting_mark("n2-wrote-values");
}

static void values(void)
{
    sides("values", values_on_node1, values_on_node2);
}

/* --- Sublocks: resource trees span the nodes ---------------------------------------- */

static void sublocks_on_node1(dlm_nsp_t ns)
{
    dlm_lkid_t tree_a, kid, tree_c;

    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "tree-a", DLM_CRMODE, &tree_a), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(0, &tree_a, "kid", DLM_EXMODE, &kid), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "tree-c", DLM_EXMODE, &tree_c), DLM_SUCCESS);
    meeting_mark("n1-holds-trees");
    CU_ASSERT_FATAL(meeting_await("n2-probed-trees"));
    CU_ASSERT_EQUAL(dlm_unlock(&tree_c, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&kid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&tree_a, NULL, 0), DLM_SUCCESS);
}

static void sublocks_on_node2(dlm_nsp_t ns)
{
    struct fixture_events events = { 0 };
    dlm_lkid_t tree_a, tree_b, kid, tree_c;

    CU_ASSERT_FATAL(meeting_await("n1-holds-trees"));
    /* "kid" under tree-b is not node 1's "kid" under tree-a... */
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "tree-b", DLM_CRMODE, &tree_b), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_with(0, &tree_b, "kid", DLM_EXMODE, NULL, DLM_NOQUEUE, 0, &kid),
                    DLM_SUCCESS);
    /* ...but "kid" under tree-a is, whichever node's lock the parent is. */
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "tree-a", DLM_CRMODE, &tree_a), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(0, &tree_a, "kid", DLM_NLMODE), 1);
    CU_ASSERT_EQUAL(fixture_probe(0, &tree_a, "kid", DLM_CRMODE), 0);
    /* A parent lock waiting behind node 1's EX takes no sublocks yet. */
    CU_ASSERT_EQUAL_FATAL(fixture_quelock(ns, NULL, "tree-c", DLM_PRMODE, 0, 0, &events,
                                          &tree_c), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock(0, &tree_c, "kid", DLM_NLMODE, &kid), DLM_PARNOTGRANT);
    meeting_mark("n2-probed-trees");
    CU_ASSERT_FATAL(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock(0, &tree_c, "kid", DLM_NLMODE, &kid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
}

static void sublocks(void)
{
    sides("sublocks", sublocks_on_node1, sublocks_on_node2);
}

/* --- Timeouts ------------------------------------------------------------------------ */

static void timeouts_on_node1(dlm_nsp_t ns)
{
    dlm_lkid_t held;

    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "timed", DLM_EXMODE, &held), DLM_SUCCESS);
    meeting_mark("n1-holds-timed");
    CU_ASSERT_FATAL(meeting_await("n2-timed-out"));
    CU_ASSERT(fixture_holds(&held, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&held, NULL, 0), DLM_SUCCESS);
}

static void timeouts_on_node2(dlm_nsp_t ns)
{
    struct fixture_events events = { 0 };
    dlm_lkid_t lkid;

    CU_ASSERT_FATAL(meeting_await("n1-holds-timed"));
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "timed", DLM_PRMODE, NULL, 0, SHORT, &lkid),
                    DLM_TIMEOUT);
    CU_ASSERT(fixture_is_gone(&lkid));
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "timed", DLM_PRMODE, 0, SHORT, &events, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_TIMEOUT);
    CU_ASSERT(fixture_is_gone(&lkid));
    /* A conversion that times out keeps its lock at the old mode. */
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "timed", DLM_NLMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, SHORT), DLM_TIMEOUT);
    CU_ASSERT(fixture_holds(&lkid, DLM_NLMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    meeting_mark("n2-timed-out");
}

static void timeouts(void)
{
    sides("timeouts", timeouts_on_node1, timeouts_on_node2);
}

/* --- A deadlock across the nodes ------------------------------------------------------ */

/* Each node holds one resource and asks for the other's.  The Linux
 * engine does not search for deadlocks (README, "The Linux engine"): the
 * cycle stands until node 1's request times out, and nobody hears
 * DLM_DEADLOCK; node 1 then lets go, and node 2's request, with a
 * timeout far longer, is granted. */
static void deadlock_on_node1(dlm_nsp_t ns)
{
    struct fixture_events events = { 0 };
    dlm_lkid_t first, second;

    CU_ASSERT_EQUAL_FATAL(lock_watched(ns, "dl-first", DLM_EXMODE, &events, &first),
                          DLM_SUCCESS);
    meeting_mark("n1-holds-first");
    CU_ASSERT_FATAL(meeting_await("n2-wants-first"));
    CU_ASSERT_FATAL(fixture_await_blocks(&events, 1));  /* node 2 waits for us */
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "dl-second", DLM_EXMODE, NULL, 0, SHORT,
                                      &second), DLM_TIMEOUT);
    CU_ASSERT_EQUAL(dlm_unlock(&first, NULL, 0), DLM_SUCCESS);
}

static void deadlock_on_node2(dlm_nsp_t ns)
{
    struct fixture_events events = { 0 };
    dlm_lkid_t first, second;

    CU_ASSERT_FATAL(meeting_await("n1-holds-first"));
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "dl-second", DLM_EXMODE, &second),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_quelock(ns, NULL, "dl-first", DLM_EXMODE, 0, FIXTURE_PATIENCE,
                                          &events, &first), DLM_SUCCESS);
    meeting_mark("n2-wants-first");
    CU_ASSERT_FATAL(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&first, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&second, NULL, 0), DLM_SUCCESS);
}

static void deadlock(void)
{
    sides("deadlock", deadlock_on_node1, deadlock_on_node2);
}

/* --- A persistent resource outlives its writer ------------------------------------------ */

static const char two_domain[] = "rd-two";
#define PERSISTENT_SEED 3

/* A process of node 1, started afresh: make "pr-two" persistent, write
 * its value, and exit.  Its anchor stays in the kernel as an orphan. */
static void write_persistent_and_exit(struct peer *self)
{
    dlm_valb_t value = fixture_value(PERSISTENT_SEED);
    dlm_rd_id_t rd = 0;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    int written = fixture_join(&ns) == DLM_SUCCESS
                  && dlm_rd_attach((char *)two_domain, &rd, DLM_RD_PROCESS) == DLM_SUCCESS
                  && fixture_lock_persistent(ns, "pr-two", DLM_EXMODE, NULL, rd, &lkid)
                         == DLM_SUCCESS
                  && dlm_unlock(&lkid, &value, DLM_VALB) == DLM_SUCCESS
                  && dlm_rd_detach(rd, 0) == DLM_SUCCESS && dlm_nsleave(&ns, 0) == DLM_SUCCESS;

    peer_send(self, written);
}

static void persistent_on_node1(dlm_nsp_t ns)
{
    struct peer writer;

    (void)ns;
    CU_ASSERT_EQUAL_FATAL(peer_start_fresh(&writer, "writer"), 0);
    CU_ASSERT_EQUAL(peer_receive(&writer), 1);
    CU_ASSERT_EQUAL(peer_finish(&writer), 0);
    meeting_mark("n1-writer-exited");
}

static void persistent_on_node2(dlm_nsp_t ns)
{
    dlm_valb_t read, written = fixture_value(PERSISTENT_SEED);
    dlm_rd_id_t rd = 0, other = 0;
    dlm_lkid_t lkid;

    CU_ASSERT_FATAL(meeting_await("n1-writer-exited"));
    CU_ASSERT_EQUAL_FATAL(dlm_rd_attach((char *)two_domain, &rd, DLM_RD_PROCESS), DLM_SUCCESS);
    memset(&read, 0, sizeof read);
    CU_ASSERT_EQUAL(fixture_lock_persistent(ns, "pr-two", DLM_PRMODE, &read, rd, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&read, &written));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    /* Persistent on this node too, and in its domain only. */
    CU_ASSERT_EQUAL(fixture_lock(ns, NULL, "pr-two", DLM_NLMODE, &lkid), DLM_IS_PR);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_attach("rd-other", &other, DLM_RD_PROCESS), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_persistent(ns, "pr-two", DLM_NLMODE, NULL, other, &lkid),
                    DLM_PR_RD_MISMATCH);
    CU_ASSERT_EQUAL(dlm_rd_detach(other, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_SUCCESS);
}

static void persistent(void)
{
    sides("persistent", persistent_on_node1, persistent_on_node2);
}

static const char lost_domain[] = "rd-two-lost";
static const char lost_name[] = "pr-two-lost";

/* A process of node 1, started afresh: make pr-two-lost persistent, hold
 * it in PW with a value it wrote, say so, and wait to be killed. */
static void hold_persistent_until_killed(struct peer *self)
{
    dlm_valb_t value = fixture_value(PERSISTENT_SEED + 1);
    dlm_rd_id_t rd = 0;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    int holding = fixture_join(&ns) == DLM_SUCCESS
                  && dlm_rd_attach((char *)lost_domain, &rd, DLM_RD_PROCESS) == DLM_SUCCESS
                  && fixture_lock_persistent(ns, lost_name, DLM_EXMODE, NULL, rd, &lkid)
                         == DLM_SUCCESS
                  && dlm_cvt(&lkid, DLM_PWMODE, &value, DLM_VALB, 0, 0, NULL, 0) == DLM_SUCCESS;

    peer_send(self, holding);
    peer_receive(self);         /* until killed */
}

static void recovery_on_node1(dlm_nsp_t ns)
{
    struct peer holder;

    (void)ns;
    CU_ASSERT_EQUAL_FATAL(peer_start_fresh(&holder, "holder"), 0);
    CU_ASSERT_EQUAL_FATAL(peer_receive(&holder), 1);
    kill(holder.pid, SIGKILL);
    peer_finish(&holder);
    meeting_mark("n1-holder-killed");
}

/* Node 2 learns of the resource through the domain's index that node 1
 * wrote, and recovers it. */
static void recovery_on_node2(dlm_nsp_t ns)
{
    static const dlm_valb_t zero;
    dlm_rd_collection_hndl_t collection;
    dlm_rd_id_t rd = 0;
    dlm_lkid_t lkid;
    dlm_valb_t read;

    CU_ASSERT_FATAL(meeting_await("n1-holder-killed"));
    CU_ASSERT_EQUAL_FATAL(dlm_rd_attach((char *)lost_domain, &rd, DLM_RD_PROCESS), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_persistent(ns, lost_name, DLM_PRMODE, &read, rd, &lkid),
                    DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    memset(&read, 0xee, sizeof read);
    CU_ASSERT_EQUAL(fixture_lock_persistent(ns, lost_name, DLM_PRMODE, &read, rd, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&read, &zero));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_SUCCESS);
}

static void recovery(void)
{
    sides("recovery", recovery_on_node1, recovery_on_node2);
}

/* --- Power-off of node 1 ----------------------------------------------------------- */

/*
 * Node 1 holds PW locks, each with a value it wrote, on three resources
 * that node 2 waits for, and a persistent resource of its own making; the
 * harness powers node 1 off when it asks (its marker power-off-node1),
 * then says so (powered-off-node1).  Once corosync has dropped node 1 and
 * the DLM has recovered (fencing is disabled), node 2's requests are
 * granted.  What they find depends on who mastered a resource (the kernel
 * DLM makes the first node to ask for a resource its master) and, for a
 * persistent one, on whose anchor keeps it (persist.h: an NL lock of the
 * process that made the resource persistent):
 *
 *   pw-mastered-on-2   node 2 asked first: the master survives, purges
 *                      node 1's PW and marks the value block invalid
 *   pw-mastered-on-1   node 1 asked first: node 2, which has only a
 *                      waiting request there, rebuilds the resource
 *                      without a value block; its request is granted as
 *                      if the value were valid, and the value is gone
 *   pr-anchored-on-2   persistent, made so by node 2: kept, its value
 *                      invalid, and recovered on node 2 (collect and
 *                      validate find it through the domain's index)
 *   pr-anchored-on-1   persistent, made so by node 1: its anchor dies with
 *                      node 1, and node 2 finds an ordinary resource
 *
 * (On Tru64 every value block would be invalid and both persistent
 * resources kept: README, "The Linux engine", says what differs.)
 */
static const char poweroff_domain[] = "rd-poweroff";
enum { SEED_ON_2 = 11, SEED_ON_1 = 12, SEED_KEPT = 13, SEED_LOST = 14 };

/* Node failure takes corosync's token timeout and the DLM's recovery:
 * longer than any healthy request, so a patience of its own. */
#define RECOVERY_SECONDS 180

static int await_recovery(const int *counter, int n)
{
    time_t give_up = time(NULL) + RECOVERY_SECONDS;

    for (dlm_notify(); *(const volatile int *)counter < n; dlm_notify()) {
        if (time(NULL) > give_up)
            return 0;
        poll(NULL, 0, 50);
    }
    return 1;
}

/* A PW lock that node 1 holds, with the value it wrote, and what its
 * blocking routine hears. */
struct held {
    const char *name;
    int persistent;
    unsigned int seed;
    dlm_lkid_t lkid;
    struct fixture_events events;
};

static struct held on_2 = { .name = "pw-mastered-on-2", .seed = SEED_ON_2 };
static struct held on_1 = { .name = "pw-mastered-on-1", .seed = SEED_ON_1 };
static struct held kept = { .name = "pr-anchored-on-2", .persistent = 1, .seed = SEED_KEPT };

/* Take EX (in the domain rd when persistent) and write the value on the
 * way down to PW. */
static void hold_pw(dlm_nsp_t ns, dlm_rd_id_t rd, struct held *h)
{
    dlm_valb_t value = fixture_value(h->seed);

    CU_ASSERT_EQUAL_FATAL(dlm_locktp(ns, (uchar_t *)h->name, (ushort_t)strlen(h->name), NULL,
                                     &h->lkid, DLM_EXMODE, NULL, h->persistent ? DLM_PERSIST : 0,
                                     &h->events, NULL, fixture_blocked, FIXTURE_PATIENCE, 0,
                                     h->persistent ? rd : 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(write_down(&h->lkid, DLM_PWMODE, &value, &h->events), DLM_SUCCESS);
}

static void node1_holds_pw_locks_with_values(void)
{
    dlm_valb_t lost_value = fixture_value(SEED_LOST);
    dlm_rd_id_t rd = 0;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_attach((char *)poweroff_domain, &rd, DLM_RD_PROCESS),
                          DLM_SUCCESS);
    hold_pw(ns, rd, &on_1);
    CU_ASSERT_EQUAL_FATAL(fixture_lock_persistent(ns, "pr-anchored-on-1", DLM_EXMODE, NULL, rd,
                                                  &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_unlock(&lkid, &lost_value, DLM_VALB), DLM_SUCCESS);
    CU_ASSERT_FATAL(meeting_await("n2-took-first"));
    hold_pw(ns, rd, &on_2);
    hold_pw(ns, rd, &kept);
    meeting_mark("n1-holds");
}

static void node1_hears_node2_and_is_powered_off(void)
{
    struct held *const waited_for[] = { &on_2, &on_1, &kept };
    size_t i;

    CU_ASSERT_FATAL(meeting_await("n2-waiting"));
    for (i = 0; i < sizeof waited_for / sizeof waited_for[0]; i++) {
        CU_ASSERT_FATAL(fixture_await_blocks(&waited_for[i]->events, 1));
        CU_ASSERT_EQUAL(waited_for[i]->events.blocked_mode, DLM_PRMODE);
    }
    /* What this node printed is all it will print. */
    fflush(stdout);
    meeting_mark("power-off-node1");
    /* The harness ends the guest here, before its marker saying so can
     * be seen: still running means it did not. */
    meeting_await("powered-off-node1");
    CU_FAIL("node 1 still runs after asking to be powered off");
}

/* Node 2: a request waiting for one of node 1's locks, and its outcome. */
struct waiter {
    const struct held *for_lock;
    dlm_lkid_t lkid;
    dlm_valb_t read;
    struct fixture_events events;
};

static dlm_nsp_t survivor_ns;
static dlm_rd_id_t survivor_rd;
static dlm_lkid_t keeper;       /* node 2's NL lock on pw-mastered-on-2 */
static struct waiter wait_on_2 = { .for_lock = &on_2 }, wait_on_1 = { .for_lock = &on_1 },
                     wait_kept = { .for_lock = &kept };

/* Queue a PR request with DLM_VALB for the resource of w's lock. */
static void queue_reader(struct waiter *w)
{
    const struct held *h = w->for_lock;

    memset(&w->read, 0xee, sizeof w->read);
    CU_ASSERT_EQUAL_FATAL(dlm_quelocktp(survivor_ns, (uchar_t *)h->name,
                                        (ushort_t)strlen(h->name), NULL, &w->lkid, DLM_PRMODE,
                                        &w->read, DLM_VALB | (h->persistent ? DLM_PERSIST : 0),
                                        &w->events, NULL, NULL, 0, fixture_completed, 0,
                                        h->persistent ? survivor_rd : 0), DLM_SUCCESS);
}

/* Was w granted with the invalid value node 1 left? */
static int granted_stale(const struct waiter *w)
{
    dlm_valb_t written = fixture_value(w->for_lock->seed);

    return w->events.status == DLM_SUCCVALNOTVALID && fixture_same_value(&w->read, &written)
           && fixture_holds(&w->lkid, DLM_PRMODE);
}

static void node2_takes_two_resources_first(void)
{
    dlm_lkid_t lkid;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&survivor_ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_attach((char *)poweroff_domain, &survivor_rd, DLM_RD_PROCESS),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(survivor_ns, NULL, on_2.name, DLM_NLMODE, &keeper),
                          DLM_SUCCESS);
    /* Our anchor keeps it persistent once our own lock is gone. */
    CU_ASSERT_EQUAL_FATAL(fixture_lock_persistent(survivor_ns, kept.name, DLM_NLMODE, NULL,
                                                  survivor_rd, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    meeting_mark("n2-took-first");
}

static void node2_waits_for_node1(void)
{
    dlm_valb_t lost_value = fixture_value(SEED_LOST), read;
    dlm_lkid_t lkid;

    CU_ASSERT_FATAL(meeting_await("n1-holds"));
    /* pr-anchored-on-1 is persistent while node 1 lives. */
    CU_ASSERT_EQUAL(fixture_lock(survivor_ns, NULL, "pr-anchored-on-1", DLM_NLMODE, &lkid),
                    DLM_IS_PR);
    memset(&read, 0, sizeof read);
    CU_ASSERT_EQUAL(fixture_lock_persistent(survivor_ns, "pr-anchored-on-1", DLM_PRMODE, &read,
                                            survivor_rd, &lkid), DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&read, &lost_value));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    queue_reader(&wait_on_2);
    queue_reader(&wait_on_1);
    queue_reader(&wait_kept);
    meeting_mark("n2-waiting");
}

static void node2_is_granted_once_node1_is_gone(void)
{
    CU_ASSERT_FATAL(meeting_await("powered-off-node1"));
    CU_ASSERT_FATAL(await_recovery(&wait_on_2.events.completions, 1));
    CU_ASSERT_FATAL(await_recovery(&wait_on_1.events.completions, 1));
    CU_ASSERT_FATAL(await_recovery(&wait_kept.events.completions, 1));
}

static void a_value_block_mastered_here_is_invalid(void)
{
    CU_ASSERT(granted_stale(&wait_on_2));
    CU_ASSERT_EQUAL(dlm_unlock(&wait_on_2.lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&keeper, NULL, 0), DLM_SUCCESS);
}

/* The kernel's limit (README): the value block of a resource that the
 * failed node mastered, and where this node only had a request waiting,
 * is lost, and the grant does not say so. */
static void a_value_block_mastered_on_node1_is_lost_unannounced(void)
{
    dlm_valb_t written = fixture_value(SEED_ON_1);

    CU_ASSERT_EQUAL(wait_on_1.events.status, DLM_SUCCESS);
    CU_ASSERT(!fixture_same_value(&wait_on_1.read, &written));
    CU_ASSERT(fixture_holds(&wait_on_1.lkid, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&wait_on_1.lkid, NULL, 0), DLM_SUCCESS);
}

/* Persistent still, its value invalid until recovered or written again. */
static void a_persistent_resource_anchored_here_is_kept(void)
{
    dlm_lkid_t lkid;

    CU_ASSERT(granted_stale(&wait_kept));
    CU_ASSERT_EQUAL(fixture_lock(survivor_ns, NULL, kept.name, DLM_NLMODE, &lkid), DLM_IS_PR);
    CU_ASSERT_EQUAL(dlm_unlock(&wait_kept.lkid, NULL, 0), DLM_SUCCESS);
}

/* The domain's index, written on both nodes and rebuilt by the kernel
 * from this node's copies where node 1 mastered it, still names the
 * resource: collected here, validated (valid and zero), written again. */
static void the_kept_resource_is_recovered_here(void)
{
    static const dlm_valb_t zero;
    dlm_valb_t rewritten = fixture_value(SEED_KEPT + 100), read;
    dlm_rd_collection_hndl_t collection;
    dlm_lkid_t lkid;

    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(survivor_rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_validate(survivor_rd, &collection, 0), DLM_SUCCESS);
    memset(&read, 0xee, sizeof read);
    CU_ASSERT_EQUAL(fixture_lock_persistent(survivor_ns, kept.name, DLM_EXMODE, &read,
                                            survivor_rd, &lkid), DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&read, &zero));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, &rewritten, DLM_VALB), DLM_SUCCESS);
    memset(&read, 0, sizeof read);
    CU_ASSERT_EQUAL(fixture_lock_persistent(survivor_ns, kept.name, DLM_PRMODE, &read,
                                            survivor_rd, &lkid), DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&read, &rewritten));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
}

/* An ordinary resource now: a lock without DLM_PERSIST is granted. */
static void a_persistent_resource_anchored_on_node1_is_lost(void)
{
    dlm_lkid_t lkid;

    CU_ASSERT_EQUAL(fixture_lock_with(survivor_ns, NULL, "pr-anchored-on-1", DLM_EXMODE, NULL,
                                      DLM_NOQUEUE, 0, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_detach(survivor_rd, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&survivor_ns, 0), DLM_SUCCESS);
}

/* A process of node 1, started afresh: attach to the container whose ID
 * it is sent, say how that went, and wait to be killed. */
static void attach_and_wait(struct peer *self)
{
    dlm_glc_id_t id = (dlm_glc_id_t)peer_receive(self);
    dlm_nsp_t ns;

    peer_send(self, fixture_join(&ns) == DLM_SUCCESS && dlm_glc_attach(id, 0) == DLM_SUCCESS);
    peer_receive(self);
}

/* Containers are machine-local: to node 2 a group lock is node 1's lock,
 * which outlives a member's death and goes with the last member. */
static void container_on_node1(dlm_nsp_t ns)
{
    struct peer member;
    dlm_glc_id_t id;
    dlm_lkid_t lkid;
    int status;

    CU_ASSERT_EQUAL_FATAL(dlm_glc_create(&id, 0, &ns, 1), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(peer_start_fresh(&member, "member"), 0);
    peer_send(&member, (int)id);
    CU_ASSERT_EQUAL_FATAL(peer_receive(&member), 1);
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "glc-two", DLM_EXMODE, NULL, DLM_GROUP_LOCK,
                                      FIXTURE_PATIENCE, &lkid), DLM_SUCCESS);
    kill(member.pid, SIGKILL);
    CU_ASSERT(waitpid(member.pid, &status, 0) == member.pid && WIFSIGNALED(status));
    close(member.to_peer);
    close(member.from_peer);
    meeting_mark("n1-member-killed");
    CU_ASSERT_FATAL(meeting_await("n2-refused"));
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_SUCCESS);
    meeting_mark("n1-container-gone");
}

static void container_on_node2(dlm_nsp_t ns)
{
    dlm_lkid_t lkid;

    CU_ASSERT_FATAL(meeting_await("n1-member-killed"));
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, "glc-two", DLM_CRMODE), 0);
    meeting_mark("n2-refused");
    CU_ASSERT_FATAL(meeting_await("n1-container-gone"));
    CU_ASSERT_EQUAL(fixture_lock(ns, NULL, "glc-two", DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
}

static void container(void)
{
    sides("container", container_on_node1, container_on_node2);
}

/* --- The programs ------------------------------------------------------------------------- */

static const struct peer_role roles[] = {
    { "writer", write_persistent_and_exit },
    { "holder", hold_persistent_until_killed },
    { "member", attach_and_wait },
    { NULL, NULL }
};

static const struct harness_test two_tests[] = {
    { "contention: node 1's blocking routine, node 2's completion", contention },
    { "value blocks written on one node are read on the other", values },
    { "sublocks: one child name under two parents is two resources; DLM_PARNOTGRANT",
      sublocks },
    { "a request on node 2 times out while node 1 holds", timeouts },
    { "a deadlock across the nodes: no DLM_DEADLOCK, a timeout ends it", deadlock },
    { "a persistent resource keeps its value after its writer exits", persistent },
    { "a holder killed on node 1 leaves its resource to node 2's recovery", recovery },
    { "a group lock of node 1 holds node 2 off until its container goes", container },
    { NULL, NULL }
};

static const struct harness_test powered_off_tests[] = {
    { "node 1 holds PW locks with the values it wrote", node1_holds_pw_locks_with_values },
    { "node 1 hears of node 2's requests and is powered off",
      node1_hears_node2_and_is_powered_off },
    { NULL, NULL }
};

static const struct harness_test survivor_tests[] = {
    { "node 2 takes two resources first (it masters them)", node2_takes_two_resources_first },
    { "node 2 waits for node 1's locks", node2_waits_for_node1 },
    { "node 2's requests are granted once node 1 is gone", node2_is_granted_once_node1_is_gone },
    { "a PW value block mastered here is reported invalid",
      a_value_block_mastered_here_is_invalid },
    { "a PW value block mastered on node 1 is lost, unannounced",
      a_value_block_mastered_on_node1_is_lost_unannounced },
    { "a persistent resource anchored here is kept, its value invalid",
      a_persistent_resource_anchored_here_is_kept },
    { "the kept resource is recovered here: collect, validate",
      the_kept_resource_is_recovered_here },
    { "a persistent resource anchored on node 1 is lost",
      a_persistent_resource_anchored_on_node1_is_lost },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    static const struct harness_suite two = { "the Tru64 API on two nodes", two_tests };
    static const struct harness_suite powered_off = { "power-off: node 1, powered off",
                                                      powered_off_tests };
    static const struct harness_suite survivor = { "power-off: node 2, the survivor",
                                                   survivor_tests };
    const struct harness_suite *suites[2] = { NULL, NULL };
    const char *which = argc > 1 ? argv[1] : "";
    int role = peer_play_role(roles);

    if (role >= 0)
        return role;
    /* Only the kernel DLM shares locks between the nodes. */
    setenv("DLM_TRU64_ENGINE", "linux", 1);
    if (strcmp(which, "two") == 0)
        suites[0] = &two;
    else if (strcmp(which, "poweroff") == 0)
        suites[0] = meeting_node() == 1 ? &powered_off : &survivor;
    else {
        fprintf(stderr, "usage: %s two|poweroff\n", argv[0]);
        return 2;
    }
    return harness_run(suites);
}
