/*
 * The embedded engine's grant rules, one test per rule, as the Linux DLM
 * has them (fs/dlm/lock.c, after Roy Davis, "VAXcluster Principles",
 * chapter 6): modes and their compatibility, the three queues and their
 * order, the request flags, conversion deadlock, cancel and forced
 * unlock, and the refusal of bad input.
 *
 * Most rules play between the test process and a peer process (see
 * engine_actors.h), taking turns over pipes.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "embedded/layout.h"    /* LKID_*: to forge a stale lock ID */
#include "engine.h"
#include "engine_actors.h"
#include "engine_fixture.h"
#include "harness.h"

static const struct engine_ops *ops = &engine_embedded;

/* The compatibility of a held mode (row) with a requested one (column),
 * written out from the VMS table (Linux __dlm_compat_matrix), not taken
 * from the engine. */
static const int compatible[ENGINE_NMODES][ENGINE_NMODES] = {
    /*         NL CR CW PR PW EX */
    /* NL */ { 1, 1, 1, 1, 1, 1 },
    /* CR */ { 1, 1, 1, 1, 1, 0 },
    /* CW */ { 1, 1, 1, 0, 0, 0 },
    /* PR */ { 1, 1, 0, 1, 0, 0 },
    /* PW */ { 1, 1, 0, 0, 0, 0 },
    /* EX */ { 1, 0, 0, 0, 0, 0 },
};

/* The conversions QUECVT may ask for (Linux __quecvt_compat_matrix):
 * upward ones, and PR to CW. */
static const int quecvt_allowed[ENGINE_NMODES][ENGINE_NMODES] = {
    /*         NL CR CW PR PW EX */
    /* NL */ { 0, 1, 1, 1, 1, 1 },
    /* CR */ { 0, 0, 1, 1, 1, 1 },
    /* CW */ { 0, 0, 0, 1, 1, 1 },
    /* PR */ { 0, 0, 1, 0, 1, 1 },
    /* PW */ { 0, 0, 0, 0, 0, 1 },
    /* EX */ { 0, 0, 0, 0, 0, 0 },
};

#define CONVERT ENGINE_LKF_CONVERT

static void track(struct tracked *t, int n)
{
    while (n-- > 0)
        tracked_init(&t[n]);
}

/* Where lkid stands in the resource's picture (queue by queue, in queue
 * order), or -1. */
static int position(struct engine_ls *ls, const char *name, uint32_t lkid)
{
    uint32_t lkids[16];
    unsigned int i, n = picture_lkids(ls, name, lkids, 16);

    for (i = 0; i < n && i < 16; i++) {
        if (lkids[i] == lkid)
            return (int)i;
    }
    return -1;
}

/* --- Modes and queues ------------------------------------------------------------- */

/* Every held mode against every requested mode, across two processes: a
 * compatible request is granted at once, an incompatible one waits, and
 * is granted when the holder goes. */
static void compatibility_matrix_holds_for_every_pair(void)
{
    struct scene s;
    int held, wanted;

    scene_open(&s, "matrix");
    for (held = ENGINE_MODE_NL; held <= ENGINE_MODE_EX; held++) {
        for (wanted = ENGINE_MODE_NL; wanted <= ENGINE_MODE_EX; wanted++) {
            struct tracked t;
            char name[32];
            int ok;

            snprintf(name, sizeof name, "m%d%d", held, wanted);
            tracked_init(&t);
            CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, held, 0, name));
            if (compatible[held][wanted]) {
                ok = granted_now(s.ls, &t, wanted, 0, name);
                ok = peer_released(&s.peer, 0) && ok;
            } else {
                ok = queued(s.ls, &t, wanted, 0, name)
                     && lock_is(s.ls, name, t.lksb.lkid, ENGINE_QUEUE_WAITING, ENGINE_MODE_IV,
                                wanted);
                ok = peer_released(&s.peer, 0) && ok && completes(s.ls, &t, 0);
            }
            ok = released(s.ls, &t) && ok;
            if (!ok)
                fprintf(stderr, "    held %s, requested %s\n", mode_name(held),
                        mode_name(wanted));
            CU_ASSERT(ok);
        }
    }
    scene_close(&s);
}

/* A granted lock, a conversion and a new request sit on the granted,
 * converting and waiting queues, in that order; the queues are served
 * conversions first. */
static void locks_sit_on_granted_converting_and_waiting_queues(void)
{
    struct tracked convert, wait;
    struct scene s;

    scene_open(&s, "queues");
    track(&convert, 1);
    track(&wait, 1);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "q"));
    CU_ASSERT_FATAL(granted_now(s.ls, &convert, ENGINE_MODE_PR, 0, "q"));
    CU_ASSERT_FATAL(queued(s.ls, &convert, ENGINE_MODE_EX, CONVERT, NULL));
    CU_ASSERT_FATAL(queued(s.ls, &wait, ENGINE_MODE_CR, 0, "q"));

    CU_ASSERT(lock_is(s.ls, "q", s.peer.last.lock.lksb.lkid, ENGINE_QUEUE_GRANTED,
                      ENGINE_MODE_PR, ENGINE_MODE_IV));
    CU_ASSERT(lock_is(s.ls, "q", convert.lksb.lkid, ENGINE_QUEUE_CONVERTING, ENGINE_MODE_PR,
                      ENGINE_MODE_EX));
    CU_ASSERT(lock_is(s.ls, "q", wait.lksb.lkid, ENGINE_QUEUE_WAITING, ENGINE_MODE_IV,
                      ENGINE_MODE_CR));
    CU_ASSERT_EQUAL(position(s.ls, "q", s.peer.last.lock.lksb.lkid), 0);
    CU_ASSERT_EQUAL(position(s.ls, "q", convert.lksb.lkid), 1);
    CU_ASSERT_EQUAL(position(s.ls, "q", wait.lksb.lkid), 2);

    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT(completes(s.ls, &convert, 0));
    CU_ASSERT(wait.pending);                /* CR waits for the EX */
    CU_ASSERT(released(s.ls, &convert));
    CU_ASSERT(completes(s.ls, &wait, 0));
    CU_ASSERT(released(s.ls, &wait));
    scene_close(&s);
}

/* A new request never overtakes a waiting one, even when its mode is
 * compatible with everything granted (VAXcluster 6-4). */
static void new_request_never_overtakes_waiting_ones(void)
{
    struct tracked ex, pr, nl;
    struct scene s;

    scene_open(&s, "fifo");
    track(&ex, 1);
    track(&pr, 1);
    track(&nl, 1);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "f"));
    CU_ASSERT_FATAL(queued(s.ls, &ex, ENGINE_MODE_EX, 0, "f"));
    CU_ASSERT_FATAL(queued(s.ls, &pr, ENGINE_MODE_PR, 0, "f"));   /* PR is compatible */
    CU_ASSERT_FATAL(queued(s.ls, &nl, ENGINE_MODE_NL, 0, "f"));   /* NL with everything */
    CU_ASSERT(position(s.ls, "f", ex.lksb.lkid) < position(s.ls, "f", pr.lksb.lkid));
    CU_ASSERT(position(s.ls, "f", pr.lksb.lkid) < position(s.ls, "f", nl.lksb.lkid));

    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT(completes(s.ls, &ex, 0));
    /* Still in order: NL is compatible with EX but waits behind PR. */
    CU_ASSERT(pr.pending && nl.pending);
    CU_ASSERT(released(s.ls, &ex));
    CU_ASSERT(completes(s.ls, &pr, 0));
    CU_ASSERT(completes(s.ls, &nl, 0));
    CU_ASSERT(released(s.ls, &pr));
    CU_ASSERT(released(s.ls, &nl));
    scene_close(&s);
}

/* A conversion compatible with the other granted locks is granted in
 * place, while new requests wait (VAXcluster 6-3). */
static void conversion_granted_in_place_while_requests_wait(void)
{
    struct tracked convert, wait;
    struct scene s;

    scene_open(&s, "inplace");
    track(&convert, 1);
    track(&wait, 1);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "i"));
    CU_ASSERT_FATAL(granted_now(s.ls, &convert, ENGINE_MODE_CR, 0, "i"));
    CU_ASSERT_FATAL(queued(s.ls, &wait, ENGINE_MODE_EX, 0, "i"));
    CU_ASSERT(granted_now(s.ls, &convert, ENGINE_MODE_PR, CONVERT, NULL));
    CU_ASSERT(lock_is(s.ls, "i", convert.lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_PR,
                      ENGINE_MODE_IV));
    CU_ASSERT(lock_is(s.ls, "i", wait.lksb.lkid, ENGINE_QUEUE_WAITING, ENGINE_MODE_IV,
                      ENGINE_MODE_EX));

    CU_ASSERT(released(s.ls, &convert));
    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT(completes(s.ls, &wait, 0));
    CU_ASSERT(released(s.ls, &wait));
    scene_close(&s);
}

/* Queued conversions are served before waiting requests, even earlier
 * ones (VAXcluster 6-3). */
static void queued_conversions_served_before_waiting_requests(void)
{
    struct tracked convert, wait;
    struct scene s;

    scene_open(&s, "convfirst");
    track(&convert, 1);
    track(&wait, 1);
    CU_ASSERT_FATAL(granted_now(s.ls, &convert, ENGINE_MODE_NL, 0, "c"));
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_EX, 0, "c"));
    CU_ASSERT_FATAL(queued(s.ls, &wait, ENGINE_MODE_PR, 0, "c"));
    CU_ASSERT_FATAL(queued(s.ls, &convert, ENGINE_MODE_EX, CONVERT, NULL));

    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT(completes(s.ls, &convert, 0));
    CU_ASSERT(lock_is(s.ls, "c", wait.lksb.lkid, ENGINE_QUEUE_WAITING, ENGINE_MODE_IV,
                      ENGINE_MODE_PR));
    CU_ASSERT(released(s.ls, &convert));
    CU_ASSERT(completes(s.ls, &wait, 0));
    CU_ASSERT(released(s.ls, &wait));
    scene_close(&s);
}

/* --- Request flags ---------------------------------------------------------------- */

/* QUECVT is allowed for the conversions of the VMS table only; any other
 * is refused with -EINVAL and leaves the lock as it was. */
static void quecvt_allowed_for_listed_conversions_only(void)
{
    struct scene s;
    int from, to;

    scene_open(&s, "quecvt");
    for (from = ENGINE_MODE_NL; from <= ENGINE_MODE_EX; from++) {
        for (to = ENGINE_MODE_NL; to <= ENGINE_MODE_EX; to++) {
            uint32_t flags = CONVERT | ENGINE_LKF_QUECVT;
            struct tracked t;
            char name[32];
            int ok;

            snprintf(name, sizeof name, "q%d%d", from, to);
            tracked_init(&t);
            CU_ASSERT_FATAL(granted_now(s.ls, &t, from, 0, name));
            if (quecvt_allowed[from][to])
                ok = granted_now(s.ls, &t, to, flags, NULL)
                     && lock_is(s.ls, name, t.lksb.lkid, ENGINE_QUEUE_GRANTED, to,
                                ENGINE_MODE_IV);
            else
                ok = tracked_lock(s.ls, &t, to, flags, NULL) == -EINVAL
                     && lock_is(s.ls, name, t.lksb.lkid, ENGINE_QUEUE_GRANTED, from,
                                ENGINE_MODE_IV);
            ok = released(s.ls, &t) && ok;
            if (!ok)
                fprintf(stderr, "    QUECVT from %s to %s\n", mode_name(from), mode_name(to));
            CU_ASSERT(ok);
        }
    }
    scene_close(&s);
}

/* A QUECVT conversion queues behind an earlier conversion even when it is
 * compatible; without QUECVT the same conversion is granted in place. */
static void quecvt_queues_behind_earlier_conversion(void)
{
    struct tracked first, behind, control;
    struct scene s;

    scene_open(&s, "quecvtq");
    track(&first, 1);
    track(&behind, 1);
    track(&control, 1);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "b"));
    CU_ASSERT_FATAL(granted_now(s.ls, &first, ENGINE_MODE_PR, 0, "b"));
    CU_ASSERT_FATAL(granted_now(s.ls, &behind, ENGINE_MODE_NL, 0, "b"));
    CU_ASSERT_FATAL(granted_now(s.ls, &control, ENGINE_MODE_NL, 0, "b"));
    CU_ASSERT_FATAL(queued(s.ls, &first, ENGINE_MODE_EX, CONVERT, NULL));

    CU_ASSERT(queued(s.ls, &behind, ENGINE_MODE_CR, CONVERT | ENGINE_LKF_QUECVT, NULL));
    CU_ASSERT(lock_is(s.ls, "b", behind.lksb.lkid, ENGINE_QUEUE_CONVERTING, ENGINE_MODE_NL,
                      ENGINE_MODE_CR));
    CU_ASSERT(position(s.ls, "b", first.lksb.lkid) < position(s.ls, "b", behind.lksb.lkid));
    CU_ASSERT(granted_now(s.ls, &control, ENGINE_MODE_CR, CONVERT, NULL));
    CU_ASSERT(released(s.ls, &control));

    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT(completes(s.ls, &first, 0));
    CU_ASSERT(behind.pending);              /* CR waits for the EX */
    CU_ASSERT(released(s.ls, &first));
    CU_ASSERT(completes(s.ls, &behind, 0));
    CU_ASSERT(released(s.ls, &behind));
    scene_close(&s);
}

/* EXPEDITE: a new NL request is granted ahead of every queue; with
 * another mode, a conversion, QUECVT or NOQUEUE it is refused (Linux
 * set_lock_args / validate_lock_args). */
static void expedite_grants_nl_ahead_of_queues(void)
{
    static const struct { int mode; uint32_t flags; } refused[] = {
        { ENGINE_MODE_CR, ENGINE_LKF_EXPEDITE },
        { ENGINE_MODE_EX, ENGINE_LKF_EXPEDITE },
        { ENGINE_MODE_NL, ENGINE_LKF_EXPEDITE | ENGINE_LKF_NOQUEUE },
        { ENGINE_MODE_NL, ENGINE_LKF_EXPEDITE | CONVERT },
        { ENGINE_MODE_CR, ENGINE_LKF_EXPEDITE | CONVERT | ENGINE_LKF_QUECVT },
    };
    struct tracked wait, plain, fast, other;
    struct scene s;
    unsigned int i;
    long locks;

    scene_open(&s, "expedite");
    track(&wait, 1);
    track(&plain, 1);
    track(&fast, 1);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_EX, 0, "e"));
    CU_ASSERT_FATAL(queued(s.ls, &wait, ENGINE_MODE_PR, 0, "e"));
    CU_ASSERT(queued(s.ls, &plain, ENGINE_MODE_NL, 0, "e"));
    CU_ASSERT(granted_now(s.ls, &fast, ENGINE_MODE_NL, ENGINE_LKF_EXPEDITE, "e"));

    locks = census_locks(s.ls);
    for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        int converting = (refused[i].flags & CONVERT) != 0;

        tracked_init(&other);
        CU_ASSERT_EQUAL(tracked_lock(s.ls, converting ? &fast : &other, refused[i].mode,
                                     refused[i].flags, converting ? NULL : "e"), -EINVAL);
    }
    CU_ASSERT_EQUAL(census_locks(s.ls), locks);
    CU_ASSERT(lock_is(s.ls, "e", fast.lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_NL,
                      ENGINE_MODE_IV));

    CU_ASSERT(released(s.ls, &fast));
    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT(completes(s.ls, &wait, 0));
    CU_ASSERT(completes(s.ls, &plain, 0));
    CU_ASSERT(released(s.ls, &wait));
    CU_ASSERT(released(s.ls, &plain));
    scene_close(&s);
}

/* NOQUEUE: a request that cannot be granted at once fails with
 * ENGINE_EAGAIN within the call and leaves nothing queued; its lock ID is
 * dead.  That includes a compatible request behind a waiting one, and a
 * conversion, which stays granted at its old mode. */
static void noqueue_fails_at_once_and_queues_nothing(void)
{
    struct tracked refused, wait, keep;
    struct scene s;
    long locks;

    scene_open(&s, "noqueue");
    track(&refused, 1);
    track(&wait, 1);
    track(&keep, 1);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "n"));
    CU_ASSERT_FATAL(granted_now(s.ls, &keep, ENGINE_MODE_NL, 0, "n"));
    locks = census_locks(s.ls);

    CU_ASSERT(done_with(tracked_lock(s.ls, &refused, ENGINE_MODE_EX, ENGINE_LKF_NOQUEUE, "n"),
                        &refused, ENGINE_EAGAIN));
    CU_ASSERT_EQUAL(census_locks(s.ls), locks);
    CU_ASSERT_EQUAL(picture_lkids(s.ls, "n", NULL, 0), 2);
    CU_ASSERT_EQUAL(tracked_unlock(s.ls, &refused, 0), -ENOENT);

    CU_ASSERT(done_with(tracked_lock(s.ls, &keep, ENGINE_MODE_EX,
                                     CONVERT | ENGINE_LKF_NOQUEUE, NULL),
                        &keep, ENGINE_EAGAIN));
    CU_ASSERT(lock_is(s.ls, "n", keep.lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_NL,
                      ENGINE_MODE_IV));

    CU_ASSERT_FATAL(queued(s.ls, &wait, ENGINE_MODE_EX, 0, "n"));
    tracked_init(&refused);
    CU_ASSERT(done_with(tracked_lock(s.ls, &refused, ENGINE_MODE_CR, ENGINE_LKF_NOQUEUE, "n"),
                        &refused, ENGINE_EAGAIN));
    CU_ASSERT_EQUAL(census_locks(s.ls), locks + 1);

    CU_ASSERT_EQUAL(tracked_dispatch(s.ls), 0);
    CU_ASSERT_EQUAL(refused.completions + keep.completions, 0);
    CU_ASSERT(released(s.ls, &keep));
    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT(completes(s.ls, &wait, 0));
    CU_ASSERT(released(s.ls, &wait));
    scene_close(&s);
}

/* How many blocking calls the peer's slot has had; *mode: the mode of the
 * latest. */
static int peer_blocks(struct peer *peer, int slot, int *mode)
{
    const struct tracked *t = peer_look(peer, slot);

    if (t == NULL)
        return -1;
    *mode = t->blocked_mode;
    return t->blocks;
}

/* NOQUEUEBAST: a failed NOQUEUE request still sends blocking calls, with
 * the mode it asked for, to the holders that blocked it - converting ones
 * too (Linux send_blocking_asts_all) - but not to compatible ones;
 * without the flag, nobody is told. */
static void noqueuebast_tells_the_blockers(void)
{
    enum { HOLDER, COMPATIBLE, CONVERTING };
    struct tracked refused;
    struct scene s;
    int mode;

    scene_open(&s, "noqueuebast");
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, HOLDER, ENGINE_MODE_PR, 0, "nb"));
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, COMPATIBLE, ENGINE_MODE_NL, 0, "nb"));
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, CONVERTING, ENGINE_MODE_CR, 0, "nb"));
    CU_ASSERT_FATAL(peer_queued(&s.peer, CONVERTING, ENGINE_MODE_PW, CONVERT, NULL));
    /* The conversion itself blocks on the PR holder, and tells it so. */
    CU_ASSERT_EQUAL(peer_blocks(&s.peer, HOLDER, &mode), 1);
    CU_ASSERT_EQUAL(mode, ENGINE_MODE_PW);

    tracked_init(&refused);
    CU_ASSERT(done_with(tracked_lock(s.ls, &refused, ENGINE_MODE_EX, ENGINE_LKF_NOQUEUE, "nb"),
                        &refused, ENGINE_EAGAIN));
    CU_ASSERT_EQUAL(peer_blocks(&s.peer, HOLDER, &mode), 1);
    CU_ASSERT_EQUAL(peer_blocks(&s.peer, CONVERTING, &mode), 0);

    tracked_init(&refused);
    CU_ASSERT(done_with(tracked_lock(s.ls, &refused, ENGINE_MODE_EX,
                                     ENGINE_LKF_NOQUEUE | ENGINE_LKF_NOQUEUEBAST, "nb"),
                        &refused, ENGINE_EAGAIN));
    CU_ASSERT_EQUAL(peer_blocks(&s.peer, HOLDER, &mode), 2);
    CU_ASSERT_EQUAL(mode, ENGINE_MODE_EX);
    CU_ASSERT_EQUAL(peer_blocks(&s.peer, CONVERTING, &mode), 1);
    CU_ASSERT_EQUAL(mode, ENGINE_MODE_EX);
    CU_ASSERT_EQUAL(s.peer.last.lock.block_pid, s.peer.pid);
    CU_ASSERT_EQUAL(peer_blocks(&s.peer, COMPATIBLE, &mode), 0);
    CU_ASSERT_EQUAL(census_locks(s.ls), 3);

    CU_ASSERT(done_with(peer_unlock(&s.peer, CONVERTING, ENGINE_LKF_CANCEL),
                        &s.peer.last.lock, ENGINE_ECANCEL));
    CU_ASSERT(peer_released(&s.peer, CONVERTING));
    CU_ASSERT(peer_released(&s.peer, COMPATIBLE));
    CU_ASSERT(peer_released(&s.peer, HOLDER));
    scene_close(&s);
}

/* HEADQUE puts a request at the head of the waiting queue, and a
 * conversion at the head of the converting queue: it is served first. */
static void headque_queues_at_the_head(void)
{
    struct tracked tail, head;
    struct scene s;

    scene_open(&s, "headque");
    track(&tail, 1);
    track(&head, 1);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_EX, 0, "hw"));
    CU_ASSERT_FATAL(queued(s.ls, &tail, ENGINE_MODE_EX, 0, "hw"));
    CU_ASSERT_FATAL(queued(s.ls, &head, ENGINE_MODE_PR, ENGINE_LKF_HEADQUE, "hw"));
    CU_ASSERT(position(s.ls, "hw", head.lksb.lkid) < position(s.ls, "hw", tail.lksb.lkid));
    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT(completes(s.ls, &head, 0));
    CU_ASSERT(tail.pending);
    CU_ASSERT(released(s.ls, &head));
    CU_ASSERT(completes(s.ls, &tail, 0));
    CU_ASSERT(released(s.ls, &tail));

    track(&tail, 1);
    track(&head, 1);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "hc"));
    CU_ASSERT_FATAL(granted_now(s.ls, &tail, ENGINE_MODE_NL, 0, "hc"));
    CU_ASSERT_FATAL(granted_now(s.ls, &head, ENGINE_MODE_NL, 0, "hc"));
    CU_ASSERT_FATAL(queued(s.ls, &tail, ENGINE_MODE_EX, CONVERT, NULL));
    CU_ASSERT_FATAL(queued(s.ls, &head, ENGINE_MODE_PW, CONVERT | ENGINE_LKF_HEADQUE, NULL));
    CU_ASSERT(position(s.ls, "hc", head.lksb.lkid) < position(s.ls, "hc", tail.lksb.lkid));
    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT(completes(s.ls, &head, 0));
    CU_ASSERT(tail.pending);
    CU_ASSERT(released(s.ls, &head));
    CU_ASSERT(completes(s.ls, &tail, 0));
    CU_ASSERT(released(s.ls, &tail));
    scene_close(&s);
}

/* NOORDER: a compatible request is granted whatever the order, at once
 * or when it becomes compatible; without it, the same request waits its
 * turn. */
static void noorder_grants_whatever_the_order(void)
{
    struct tracked wait, free_order, in_order, at_once;
    struct scene s;

    scene_open(&s, "noorder");
    track(&wait, 1);
    track(&free_order, 1);
    track(&in_order, 1);
    track(&at_once, 1);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_EX, 0, "o"));
    CU_ASSERT_FATAL(queued(s.ls, &wait, ENGINE_MODE_EX, 0, "o"));
    CU_ASSERT_FATAL(queued(s.ls, &free_order, ENGINE_MODE_PR, ENGINE_LKF_NOORDER, "o"));
    CU_ASSERT_FATAL(queued(s.ls, &in_order, ENGINE_MODE_PR, 0, "o"));
    /* The holder comes down to PR: both PR requests are now compatible,
     * but only the NOORDER one may pass the waiting EX. */
    CU_ASSERT(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, CONVERT, NULL));
    CU_ASSERT(completes(s.ls, &free_order, 0));
    CU_ASSERT(wait.pending && in_order.pending);
    /* A new NOORDER request is granted at once, behind waiters. */
    CU_ASSERT(granted_now(s.ls, &at_once, ENGINE_MODE_CR, ENGINE_LKF_NOORDER, "o"));

    CU_ASSERT(released(s.ls, &at_once));
    CU_ASSERT(released(s.ls, &free_order));
    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT(completes(s.ls, &wait, 0));
    CU_ASSERT(in_order.pending);
    CU_ASSERT(released(s.ls, &wait));
    CU_ASSERT(completes(s.ls, &in_order, 0));
    CU_ASSERT(released(s.ls, &in_order));
    scene_close(&s);
}

/* ALTPR / ALTCW: a request that cannot be granted in its mode is granted
 * in the alternate one if that can be, with ENGINE_SBF_ALTMODE - at once
 * or later; one grantable in its own mode gets that mode. */
static void altpr_altcw_grant_the_alternate_mode(void)
{
    struct tracked alt[4];
    struct scene s;

    scene_open(&s, "altmode");
    track(alt, 4);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "apr"));
    CU_ASSERT(granted_now(s.ls, &alt[0], ENGINE_MODE_EX, ENGINE_LKF_ALTPR, "apr"));
    CU_ASSERT_EQUAL(alt[0].lksb.flags, ENGINE_SBF_ALTMODE);
    CU_ASSERT(lock_is(s.ls, "apr", alt[0].lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_PR,
                      ENGINE_MODE_IV));
    CU_ASSERT(granted_now(s.ls, &alt[1], ENGINE_MODE_CR, ENGINE_LKF_ALTPR, "apr"));
    CU_ASSERT_EQUAL(alt[1].lksb.flags, 0);
    CU_ASSERT(lock_is(s.ls, "apr", alt[1].lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_CR,
                      ENGINE_MODE_IV));

    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 1, ENGINE_MODE_CW, 0, "acw"));
    CU_ASSERT(granted_now(s.ls, &alt[2], ENGINE_MODE_EX, ENGINE_LKF_ALTCW, "acw"));
    CU_ASSERT_EQUAL(alt[2].lksb.flags, ENGINE_SBF_ALTMODE);
    CU_ASSERT(lock_is(s.ls, "acw", alt[2].lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_CW,
                      ENGINE_MODE_IV));

    /* Queued, then granted in the alternate mode once that fits. */
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 2, ENGINE_MODE_EX, 0, "aq"));
    CU_ASSERT_FATAL(queued(s.ls, &alt[3], ENGINE_MODE_PW, ENGINE_LKF_ALTCW, "aq"));
    CU_ASSERT(peer_granted_now(&s.peer, 2, ENGINE_MODE_CW, CONVERT, NULL));
    CU_ASSERT(completes(s.ls, &alt[3], 0));
    CU_ASSERT_EQUAL(alt[3].lksb.flags, ENGINE_SBF_ALTMODE);
    CU_ASSERT(lock_is(s.ls, "aq", alt[3].lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_CW,
                      ENGINE_MODE_IV));

    {
        struct tracked both;

        tracked_init(&both);
        CU_ASSERT_EQUAL(tracked_lock(s.ls, &both, ENGINE_MODE_EX,
                                     ENGINE_LKF_ALTPR | ENGINE_LKF_ALTCW, "apr"), -EINVAL);
    }
    CU_ASSERT(released(s.ls, &alt[0]) && released(s.ls, &alt[1]));
    CU_ASSERT(released(s.ls, &alt[2]) && released(s.ls, &alt[3]));
    CU_ASSERT(peer_released(&s.peer, 0) && peer_released(&s.peer, 1)
              && peer_released(&s.peer, 2));
    scene_close(&s);
}

/* --- Conversion deadlock ---------------------------------------------------------- */

/* Two PR holders both converting to EX: the second would wait for ever
 * on the first, which waits for its PR.  Set up the first (the peer's)
 * and return the test's PR lock in *second. */
static void two_pr_holders_one_converting(struct scene *s, const char *name,
                                          struct tracked *second)
{
    tracked_init(second);
    CU_ASSERT_FATAL(peer_granted_now(&s->peer, 0, ENGINE_MODE_PR, 0, name));
    CU_ASSERT_FATAL(granted_now(s->ls, second, ENGINE_MODE_PR, 0, name));
    CU_ASSERT_FATAL(peer_queued(&s->peer, 0, ENGINE_MODE_EX, CONVERT, NULL));
}

/* Without CONVDEADLK the deadlocking conversion fails with
 * ENGINE_EDEADLK and the lock stays granted at its old mode, still
 * blocking the other conversion (Linux default since 2007). */
static void conversion_deadlock_fails_with_edeadlk(void)
{
    struct tracked second;
    struct scene s;

    scene_open(&s, "edeadlk");
    two_pr_holders_one_converting(&s, "d", &second);
    CU_ASSERT(done_with(tracked_lock(s.ls, &second, ENGINE_MODE_EX, CONVERT, NULL), &second,
                        ENGINE_EDEADLK));
    CU_ASSERT_EQUAL(second.lksb.flags, 0);
    CU_ASSERT(lock_is(s.ls, "d", second.lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_PR,
                      ENGINE_MODE_IV));
    CU_ASSERT(lock_is(s.ls, "d", s.peer.last.lock.lksb.lkid, ENGINE_QUEUE_CONVERTING,
                      ENGINE_MODE_PR, ENGINE_MODE_EX));
    CU_ASSERT_EQUAL(peer_probe(&s.peer, ENGINE_MODE_PW, "d"), 0);

    CU_ASSERT(released(s.ls, &second));
    CU_ASSERT(peer_completes(&s.peer, 0, 0));
    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT_EQUAL(second.completions, 0);
    scene_close(&s);
}

/* With CONVDEADLK the deadlocking lock is demoted to NL instead, which
 * lets the other conversion through; it is granted later, with
 * ENGINE_SBF_DEMOTED. */
static void convdeadlk_demotes_to_nl(void)
{
    struct tracked second;
    struct scene s;

    scene_open(&s, "convdeadlk");
    two_pr_holders_one_converting(&s, "d", &second);
    CU_ASSERT(queued(s.ls, &second, ENGINE_MODE_EX, CONVERT | ENGINE_LKF_CONVDEADLK, NULL));
    CU_ASSERT(lock_is(s.ls, "d", second.lksb.lkid, ENGINE_QUEUE_CONVERTING, ENGINE_MODE_NL,
                      ENGINE_MODE_EX));
    CU_ASSERT(peer_completes(&s.peer, 0, 0));
    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT(completes(s.ls, &second, 0));
    CU_ASSERT(second.lksb.flags & ENGINE_SBF_DEMOTED);
    CU_ASSERT(lock_is(s.ls, "d", second.lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_EX,
                      ENGINE_MODE_IV));
    CU_ASSERT(released(s.ls, &second));
    scene_close(&s);
}

/* --- Cancel and forced unlock ----------------------------------------------------- */

/* Cancelling a waiting request ends it (ENGINE_ECANCEL, within the call):
 * its lock is gone, and the requests behind it move up. */
static void cancel_of_waiting_request_ends_it(void)
{
    struct tracked cancelled, behind;
    struct scene s;
    long locks;

    scene_open(&s, "cancelwait");
    track(&cancelled, 1);
    track(&behind, 1);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "cw"));
    CU_ASSERT_FATAL(queued(s.ls, &cancelled, ENGINE_MODE_EX, 0, "cw"));
    CU_ASSERT_FATAL(queued(s.ls, &behind, ENGINE_MODE_PR, 0, "cw"));
    locks = census_locks(s.ls);

    CU_ASSERT(done_with(tracked_unlock(s.ls, &cancelled, ENGINE_LKF_CANCEL), &cancelled,
                        ENGINE_ECANCEL));
    CU_ASSERT_EQUAL(census_locks(s.ls), locks - 1);
    CU_ASSERT_EQUAL(position(s.ls, "cw", cancelled.lksb.lkid), -1);
    CU_ASSERT_EQUAL(tracked_unlock(s.ls, &cancelled, 0), -ENOENT);
    CU_ASSERT(completes(s.ls, &behind, 0));
    CU_ASSERT_EQUAL(cancelled.completions, 0);

    CU_ASSERT(released(s.ls, &behind));
    CU_ASSERT(peer_released(&s.peer, 0));
    scene_close(&s);
}

/* Cancelling a conversion puts the lock back at its old mode on the
 * granted queue, still usable. */
static void cancel_of_conversion_restores_the_lock(void)
{
    struct tracked t;
    struct scene s;

    scene_open(&s, "cancelconv");
    tracked_init(&t);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "cc"));
    CU_ASSERT_FATAL(granted_now(s.ls, &t, ENGINE_MODE_PR, 0, "cc"));
    CU_ASSERT_FATAL(queued(s.ls, &t, ENGINE_MODE_EX, CONVERT, NULL));

    CU_ASSERT(done_with(tracked_unlock(s.ls, &t, ENGINE_LKF_CANCEL), &t, ENGINE_ECANCEL));
    CU_ASSERT(lock_is(s.ls, "cc", t.lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_PR,
                      ENGINE_MODE_IV));
    CU_ASSERT_EQUAL(peer_probe(&s.peer, ENGINE_MODE_CW, "cc"), 0);  /* PR still held */
    CU_ASSERT(granted_now(s.ls, &t, ENGINE_MODE_NL, CONVERT, NULL));
    CU_ASSERT(granted_now(s.ls, &t, ENGINE_MODE_CR, CONVERT, NULL));
    CU_ASSERT_EQUAL(t.completions, 0);

    CU_ASSERT(released(s.ls, &t));
    CU_ASSERT(peer_released(&s.peer, 0));
    scene_close(&s);
}

/* A cancel that comes after the grant has nothing to cancel: -EBUSY, and
 * the lock stays granted, its completion still due (Tru64 CANCELGRANT). */
static void cancel_after_grant_is_refused(void)
{
    struct tracked t;
    struct scene s;

    scene_open(&s, "cancelrace");
    tracked_init(&t);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_EX, 0, "cr"));
    CU_ASSERT_FATAL(queued(s.ls, &t, ENGINE_MODE_EX, 0, "cr"));
    CU_ASSERT(peer_released(&s.peer, 0));   /* grants t, in this process's absence */

    CU_ASSERT_EQUAL(tracked_unlock(s.ls, &t, ENGINE_LKF_CANCEL), -EBUSY);
    CU_ASSERT(lock_is(s.ls, "cr", t.lksb.lkid, ENGINE_QUEUE_GRANTED, ENGINE_MODE_EX,
                      ENGINE_MODE_IV));
    CU_ASSERT(completes(s.ls, &t, 0));
    CU_ASSERT_EQUAL(t.completions, 1);
    CU_ASSERT_EQUAL(peer_probe(&s.peer, ENGINE_MODE_NL, "cr"), 1);
    CU_ASSERT_EQUAL(peer_probe(&s.peer, ENGINE_MODE_CR, "cr"), 0);   /* EX intact */
    CU_ASSERT(released(s.ls, &t));
    scene_close(&s);
}

/* A plain unlock, or another conversion, of a lock with a request pending
 * is refused (-EBUSY); FORCEUNLOCK releases it all the same, pending conversion or waiting
 * request, and no completion follows. */
static void forceunlock_releases_a_pending_lock(void)
{
    struct tracked converting, waiting, behind;
    struct scene s;

    scene_open(&s, "forceunlock");
    track(&converting, 1);
    track(&waiting, 1);
    track(&behind, 1);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "fu"));
    CU_ASSERT_FATAL(granted_now(s.ls, &converting, ENGINE_MODE_PR, 0, "fu"));
    CU_ASSERT_FATAL(queued(s.ls, &converting, ENGINE_MODE_EX, CONVERT, NULL));
    CU_ASSERT_FATAL(queued(s.ls, &waiting, ENGINE_MODE_EX, 0, "fu"));
    CU_ASSERT_FATAL(queued(s.ls, &behind, ENGINE_MODE_PR, 0, "fu"));

    CU_ASSERT_EQUAL(tracked_unlock(s.ls, &converting, 0), -EBUSY);
    CU_ASSERT_EQUAL(tracked_lock(s.ls, &converting, ENGINE_MODE_PW, CONVERT, NULL), -EBUSY);
    CU_ASSERT(lock_is(s.ls, "fu", converting.lksb.lkid, ENGINE_QUEUE_CONVERTING,
                      ENGINE_MODE_PR, ENGINE_MODE_EX));
    CU_ASSERT(done_with(tracked_unlock(s.ls, &converting, ENGINE_LKF_FORCEUNLOCK), &converting,
                        ENGINE_EUNLOCK));
    CU_ASSERT_EQUAL(position(s.ls, "fu", converting.lksb.lkid), -1);
    CU_ASSERT_EQUAL(tracked_unlock(s.ls, &converting, 0), -ENOENT);
    CU_ASSERT(waiting.pending && behind.pending);

    CU_ASSERT(done_with(tracked_unlock(s.ls, &waiting, ENGINE_LKF_FORCEUNLOCK), &waiting,
                        ENGINE_EUNLOCK));
    CU_ASSERT(completes(s.ls, &behind, 0));     /* nothing ahead of it now */
    CU_ASSERT_EQUAL(converting.completions + waiting.completions, 0);

    CU_ASSERT(released(s.ls, &behind));
    CU_ASSERT(peer_released(&s.peer, 0));
    scene_close(&s);
}

/* --- Bad input -------------------------------------------------------------------- */

#define BAD "bad"
#define MAX_BASELINE_LOCKS 8

/* What the bad calls must leave alone: the test's PR and the peer's CR on
 * one resource, perhaps more locks, and the census. */
struct baseline {
    struct scene s;
    struct tracked held;
    struct engine_lksb held_lksb;
    uint32_t peer_lkid;
    struct engine_census census;
    unsigned int nlocks;
    struct engine_lock_info locks[MAX_BASELINE_LOCKS];
};

static void baseline_open(struct baseline *b, const char *lsname)
{
    memset(b, 0, sizeof *b);
    scene_open(&b->s, lsname);
    tracked_init(&b->held);
    CU_ASSERT_FATAL(granted_now(b->s.ls, &b->held, ENGINE_MODE_PR, 0, BAD));
    CU_ASSERT_FATAL(peer_granted_now(&b->s.peer, 0, ENGINE_MODE_CR, 0, BAD));
    b->peer_lkid = b->s.peer.last.lock.lksb.lkid;
}

/* Note the state to compare with (after any extra locks are taken). */
static void baseline_note(struct baseline *b)
{
    uint32_t lkids[MAX_BASELINE_LOCKS];
    unsigned int i;

    b->held_lksb = b->held.lksb;
    CU_ASSERT_EQUAL_FATAL(ops->census(b->s.ls, &b->census), 0);
    b->nlocks = picture_lkids(b->s.ls, BAD, lkids, MAX_BASELINE_LOCKS);
    CU_ASSERT_FATAL(b->nlocks >= 2 && b->nlocks <= MAX_BASELINE_LOCKS);
    for (i = 0; i < b->nlocks; i++)
        CU_ASSERT_FATAL(picture_lock(b->s.ls, BAD, lkids[i], &b->locks[i]));
}

static int same_lock(const struct engine_lock_info *a, const struct engine_lock_info *b)
{
    return a->lkid == b->lkid && a->pid == b->pid && a->grmode == b->grmode
           && a->rqmode == b->rqmode && a->queue == b->queue && a->flags == b->flags;
}

/* Everything is as noted, and behaves so: the PR still blocks CW and EX
 * and admits PR, in both processes. */
static void baseline_unchanged(struct baseline *b)
{
    struct engine_census census;
    struct engine_lock_info info;
    uint32_t lkids[MAX_BASELINE_LOCKS];
    unsigned int i;

    CU_ASSERT_EQUAL(ops->census(b->s.ls, &census), 0);
    CU_ASSERT(census.locks == b->census.locks && census.resources == b->census.resources
              && census.processes == b->census.processes);
    CU_ASSERT_EQUAL_FATAL(picture_lkids(b->s.ls, BAD, lkids, MAX_BASELINE_LOCKS), b->nlocks);
    for (i = 0; i < b->nlocks; i++) {
        CU_ASSERT_EQUAL(lkids[i], b->locks[i].lkid);
        CU_ASSERT(picture_lock(b->s.ls, BAD, lkids[i], &info) && same_lock(&info, &b->locks[i]));
    }
    CU_ASSERT(b->held.lksb.lkid == b->held_lksb.lkid
              && b->held.lksb.status == b->held_lksb.status
              && b->held.lksb.flags == b->held_lksb.flags && b->held.lksb.lvb == b->held_lksb.lvb);
    CU_ASSERT_EQUAL(b->held.completions + b->held.blocks, 0);

    CU_ASSERT_EQUAL(peer_probe(&b->s.peer, ENGINE_MODE_EX, BAD), 0);
    CU_ASSERT_EQUAL(peer_probe(&b->s.peer, ENGINE_MODE_CW, BAD), 0);
    CU_ASSERT_EQUAL(peer_probe(&b->s.peer, ENGINE_MODE_PR, BAD), 1);
    CU_ASSERT_EQUAL(tracked_probe(b->s.ls, ENGINE_MODE_PW, BAD), 0);
    CU_ASSERT_EQUAL(tracked_probe(b->s.ls, ENGINE_MODE_CR, BAD), 1);
}

static void baseline_close(struct baseline *b)
{
    CU_ASSERT(released(b->s.ls, &b->held));
    CU_ASSERT(peer_released(&b->s.peer, 0));
    scene_close(&b->s);
}

/* Every way to name a lock by ID, refused with -ENOENT. */
static void refuse_lkid(struct engine_ls *ls, uint32_t lkid)
{
    struct engine_lksb lksb = { .lkid = lkid };
    int ok = ops->lock(ls, ENGINE_MODE_PR, &lksb, CONVERT, NULL, 0, NULL, NULL, NULL) == -ENOENT
             && ops->unlock(ls, lkid, 0, &lksb, NULL) == -ENOENT
             && ops->unlock(ls, lkid, ENGINE_LKF_CANCEL, &lksb, NULL) == -ENOENT
             && ops->unlock(ls, lkid, ENGINE_LKF_FORCEUNLOCK, &lksb, NULL) == -ENOENT;

    if (!ok)
        fprintf(stderr, "    lock ID %#x was not refused\n", lkid);
    CU_ASSERT(ok);
}

/* Unknown lock IDs - never issued, released, of a reused block's earlier
 * generation - are refused with -ENOENT by convert, unlock and cancel. */
static void unknown_lock_ids_are_refused(void)
{
    struct tracked reused, gone, current;
    struct baseline b;
    uint32_t stale;

    baseline_open(&b, "badlkid");
    track(&reused, 1);
    track(&gone, 1);
    track(&current, 1);
    /* A lock released, whose block then serves a new lock. */
    CU_ASSERT_FATAL(granted_now(b.s.ls, &reused, ENGINE_MODE_NL, 0, BAD));
    stale = reused.lksb.lkid;
    CU_ASSERT_FATAL(released(b.s.ls, &reused));
    CU_ASSERT_FATAL(granted_now(b.s.ls, &current, ENGINE_MODE_NL, 0, BAD));
    CU_ASSERT_EQUAL_FATAL(current.lksb.lkid & LKID_INDEX_MASK, stale & LKID_INDEX_MASK);
    CU_ASSERT_NOT_EQUAL_FATAL(current.lksb.lkid, stale);
    /* A lock released, whose block is not reused. */
    CU_ASSERT_FATAL(granted_now(b.s.ls, &gone, ENGINE_MODE_NL, 0, BAD));
    CU_ASSERT_FATAL(released(b.s.ls, &gone));
    baseline_note(&b);

    refuse_lkid(b.s.ls, 0);
    refuse_lkid(b.s.ls, 1u << LKID_INDEX_BITS);             /* block 0 */
    refuse_lkid(b.s.ls, 1u << LKID_INDEX_BITS | 1000);      /* never used */
    refuse_lkid(b.s.ls, LKID_INDEX_MASK);                   /* beyond the table */
    refuse_lkid(b.s.ls, UINT32_MAX);
    refuse_lkid(b.s.ls, gone.lksb.lkid);
    refuse_lkid(b.s.ls, stale);
    refuse_lkid(b.s.ls, current.lksb.lkid ^ (1u << (LKID_INDEX_BITS + 3)));
    baseline_unchanged(&b);

    CU_ASSERT(released(b.s.ls, &current));
    baseline_close(&b);
}

/* Modes outside NL..EX are refused with -EINVAL, new or converting. */
static void modes_out_of_range_are_refused(void)
{
    static const int bad_modes[] = { ENGINE_MODE_IV, -2, ENGINE_NMODES, 7, INT_MAX, INT_MIN };
    struct baseline b;
    unsigned int i;

    baseline_open(&b, "badmode");
    baseline_note(&b);
    for (i = 0; i < sizeof bad_modes / sizeof bad_modes[0]; i++) {
        struct tracked t;

        tracked_init(&t);
        CU_ASSERT_EQUAL(tracked_lock(b.s.ls, &t, bad_modes[i], 0, BAD), -EINVAL);
        CU_ASSERT_EQUAL(tracked_lock(b.s.ls, &t, bad_modes[i], 0, "fresh"), -EINVAL);
        CU_ASSERT_EQUAL(tracked_lock(b.s.ls, &b.held, bad_modes[i], CONVERT, NULL), -EINVAL);
    }
    baseline_unchanged(&b);
    baseline_close(&b);
}

/* Flag bits the contract does not define, and unlock-only flags on a
 * lock request (or lock-only ones on an unlock), are refused with
 * -EINVAL. */
static void unknown_flag_bits_are_refused(void)
{
    static const uint32_t bad_lock[] = {
        0x00040000u,    /* Linux's retired LKF_TIMEOUT */
        0x00080000u, 0x40000000u, 0x80000000u, ENGINE_LKF_CANCEL, ENGINE_LKF_FORCEUNLOCK,
    };
    static const uint32_t bad_unlock[] = {
        ENGINE_LKF_NOQUEUE, CONVERT, ENGINE_LKF_QUECVT, ENGINE_LKF_EXPEDITE,
        0x00040000u, 0x80000000u,
    };
    struct baseline b;
    unsigned int i;

    baseline_open(&b, "badflags");
    baseline_note(&b);
    for (i = 0; i < sizeof bad_lock / sizeof bad_lock[0]; i++) {
        struct tracked t;

        tracked_init(&t);
        CU_ASSERT_EQUAL(tracked_lock(b.s.ls, &t, ENGINE_MODE_NL, bad_lock[i], BAD), -EINVAL);
        CU_ASSERT_EQUAL(tracked_lock(b.s.ls, &b.held, ENGINE_MODE_NL, CONVERT | bad_lock[i],
                                     NULL), -EINVAL);
    }
    for (i = 0; i < sizeof bad_unlock / sizeof bad_unlock[0]; i++)
        CU_ASSERT_EQUAL(tracked_unlock(b.s.ls, &b.held, bad_unlock[i]), -EINVAL);
    baseline_unchanged(&b);
    baseline_close(&b);
}

/* Flag combinations Linux refuses (set_lock_args, set_unlock_args) are
 * refused with -EINVAL. */
static void refused_flag_combinations(void)
{
    static const struct { uint32_t flags; const char *name; } bad[] = {
        { ENGINE_LKF_QUECVT, BAD },                     /* QUECVT needs CONVERT */
        { ENGINE_LKF_CONVDEADLK, BAD },                 /* so does CONVDEADLK */
        { ENGINE_LKF_ORPHAN, BAD },                     /* ORPHAN needs PERSISTENT */
        { ENGINE_LKF_ALTPR | ENGINE_LKF_ALTCW, BAD },
        { CONVERT | ENGINE_LKF_NOQUEUE | ENGINE_LKF_CONVDEADLK, NULL },
        { CONVERT | ENGINE_LKF_ALTPR | ENGINE_LKF_ALTCW, NULL },
    };
    struct baseline b;
    unsigned int i;

    baseline_open(&b, "badcombo");
    baseline_note(&b);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tracked fresh, *t = bad[i].name != NULL ? &fresh : &b.held;

        tracked_init(&fresh);
        CU_ASSERT_EQUAL(tracked_lock(b.s.ls, t, ENGINE_MODE_EX, bad[i].flags, bad[i].name),
                        -EINVAL);
    }
    CU_ASSERT_EQUAL(tracked_unlock(b.s.ls, &b.held, ENGINE_LKF_CANCEL | ENGINE_LKF_FORCEUNLOCK),
                    -EINVAL);
    baseline_unchanged(&b);
    baseline_close(&b);
}

/* Resource names of 0 bytes, or more than ENGINE_RESNAME_MAXLEN, or none,
 * are refused with -EINVAL; 1 and ENGINE_RESNAME_MAXLEN bytes of any value
 * are names. */
static void bad_resource_names_are_refused(void)
{
    static const unsigned int bad_lengths[] = { 0, ENGINE_RESNAME_MAXLEN + 1, UINT_MAX };
    char name[ENGINE_RESNAME_MAXLEN + 1];
    struct engine_lksb lksb = { .lvb = NULL };
    struct baseline b;
    unsigned int i;

    baseline_open(&b, "badname");
    baseline_note(&b);
    memset(name, 'b', sizeof name);
    for (i = 0; i < sizeof bad_lengths / sizeof bad_lengths[0]; i++)
        CU_ASSERT_EQUAL(ops->lock(b.s.ls, ENGINE_MODE_NL, &lksb, 0, name, bad_lengths[i], NULL,
                                  NULL, NULL), -EINVAL);
    CU_ASSERT_EQUAL(ops->lock(b.s.ls, ENGINE_MODE_NL, &lksb, 0, NULL, 3, NULL, NULL, NULL),
                    -EINVAL);
    baseline_unchanged(&b);

    memset(name, 0, sizeof name);
    CU_ASSERT_EQUAL(ops->lock(b.s.ls, ENGINE_MODE_EX, &lksb, 0, name, 1, NULL, NULL, NULL),
                    ENGINE_DONE);
    CU_ASSERT_EQUAL(ops->unlock(b.s.ls, lksb.lkid, 0, &lksb, NULL), ENGINE_DONE);
    CU_ASSERT_EQUAL(ops->lock(b.s.ls, ENGINE_MODE_EX, &lksb, 0, name, ENGINE_RESNAME_MAXLEN,
                              NULL, NULL, NULL), ENGINE_DONE);
    CU_ASSERT_EQUAL(ops->unlock(b.s.ls, lksb.lkid, 0, &lksb, NULL), ENGINE_DONE);
    baseline_close(&b);
}

/* No lock status block: refused with -EINVAL, by lock, convert, unlock
 * and cancel alike. */
static void null_lksb_is_refused(void)
{
    struct baseline b;

    baseline_open(&b, "badlksb");
    baseline_note(&b);
    CU_ASSERT_EQUAL(ops->lock(b.s.ls, ENGINE_MODE_NL, NULL, 0, BAD, 3, NULL, NULL, NULL),
                    -EINVAL);
    CU_ASSERT_EQUAL(ops->lock(b.s.ls, ENGINE_MODE_NL, NULL, CONVERT, NULL, 0, NULL, NULL, NULL),
                    -EINVAL);
    CU_ASSERT_EQUAL(ops->unlock(b.s.ls, b.held.lksb.lkid, 0, NULL, NULL), -EINVAL);
    CU_ASSERT_EQUAL(ops->unlock(b.s.ls, b.held.lksb.lkid, ENGINE_LKF_CANCEL, NULL, NULL),
                    -EINVAL);
    CU_ASSERT_EQUAL(ops->unlock(b.s.ls, b.held.lksb.lkid, ENGINE_LKF_FORCEUNLOCK, NULL, NULL),
                    -EINVAL);
    baseline_unchanged(&b);
    baseline_close(&b);
}

/* ENGINE_LKF_VALBLK with no value block buffer: refused with -EINVAL by a
 * new request, a conversion and an unlock. */
static void valblk_without_buffer_is_refused(void)
{
    struct engine_lksb lksb = { .lvb = NULL };
    struct baseline b;

    baseline_open(&b, "badlvb");
    baseline_note(&b);
    CU_ASSERT_EQUAL(ops->lock(b.s.ls, ENGINE_MODE_NL, &lksb, ENGINE_LKF_VALBLK, BAD, 3, NULL,
                              NULL, NULL), -EINVAL);
    lksb.lkid = b.held.lksb.lkid;
    CU_ASSERT_EQUAL(ops->lock(b.s.ls, ENGINE_MODE_NL, &lksb, CONVERT | ENGINE_LKF_VALBLK, NULL,
                              0, NULL, NULL, NULL), -EINVAL);
    CU_ASSERT_EQUAL(ops->unlock(b.s.ls, b.held.lksb.lkid, ENGINE_LKF_VALBLK, &lksb, NULL),
                    -EINVAL);
    baseline_unchanged(&b);
    baseline_close(&b);
}

/* A process cannot convert, unlock or cancel another process's lock:
 * -ENOENT, in both directions. */
static void other_process_lock_is_refused(void)
{
    struct baseline b;

    baseline_open(&b, "badowner");
    baseline_note(&b);
    refuse_lkid(b.s.ls, b.peer_lkid);
    CU_ASSERT_EQUAL(peer_lock_lkid(&b.s.peer, 1, b.held.lksb.lkid, ENGINE_MODE_EX, CONVERT),
                    -ENOENT);
    CU_ASSERT_EQUAL(peer_unlock_lkid(&b.s.peer, 1, b.held.lksb.lkid, 0), -ENOENT);
    CU_ASSERT_EQUAL(peer_unlock_lkid(&b.s.peer, 1, b.held.lksb.lkid, ENGINE_LKF_CANCEL),
                    -ENOENT);
    CU_ASSERT_EQUAL(peer_unlock_lkid(&b.s.peer, 1, b.held.lksb.lkid, ENGINE_LKF_FORCEUNLOCK),
                    -ENOENT);
    baseline_unchanged(&b);
    baseline_close(&b);
}

static const struct harness_test mode_tests[] = {
    { "the compatibility matrix holds for every pair of the six modes",
      compatibility_matrix_holds_for_every_pair },
    { "locks sit on the granted, converting and waiting queues",
      locks_sit_on_granted_converting_and_waiting_queues },
    { "a new request never overtakes waiting ones", new_request_never_overtakes_waiting_ones },
    { "a compatible conversion is granted in place while requests wait",
      conversion_granted_in_place_while_requests_wait },
    { "queued conversions are served before waiting requests",
      queued_conversions_served_before_waiting_requests },
    { NULL, NULL }
};

static const struct harness_test flag_tests[] = {
    { "QUECVT is allowed for the listed conversions only",
      quecvt_allowed_for_listed_conversions_only },
    { "QUECVT queues behind an earlier conversion", quecvt_queues_behind_earlier_conversion },
    { "EXPEDITE grants NL ahead of the queues", expedite_grants_nl_ahead_of_queues },
    { "NOQUEUE fails at once and queues nothing", noqueue_fails_at_once_and_queues_nothing },
    { "NOQUEUEBAST tells the blockers", noqueuebast_tells_the_blockers },
    { "HEADQUE queues at the head", headque_queues_at_the_head },
    { "NOORDER grants whatever the order", noorder_grants_whatever_the_order },
    { "ALTPR and ALTCW grant the alternate mode", altpr_altcw_grant_the_alternate_mode },
    { NULL, NULL }
};

static const struct harness_test deadlock_cancel_tests[] = {
    { "a conversion deadlock fails with EDEADLK", conversion_deadlock_fails_with_edeadlk },
    { "CONVDEADLK demotes to NL", convdeadlk_demotes_to_nl },
    { "cancel of a waiting request ends it", cancel_of_waiting_request_ends_it },
    { "cancel of a conversion restores the lock", cancel_of_conversion_restores_the_lock },
    { "cancel after the grant is refused", cancel_after_grant_is_refused },
    { "FORCEUNLOCK releases a pending lock", forceunlock_releases_a_pending_lock },
    { NULL, NULL }
};

static const struct harness_test bad_input_tests[] = {
    { "unknown lock IDs are refused", unknown_lock_ids_are_refused },
    { "modes out of range are refused", modes_out_of_range_are_refused },
    { "unknown flag bits are refused", unknown_flag_bits_are_refused },
    { "refused flag combinations", refused_flag_combinations },
    { "bad resource names are refused", bad_resource_names_are_refused },
    { "a NULL lock status block is refused", null_lksb_is_refused },
    { "VALBLK without a buffer is refused", valblk_without_buffer_is_refused },
    { "another process's lock is refused", other_process_lock_is_refused },
    { NULL, NULL }
};

static const struct harness_suite modes = { "grant: modes and queues", mode_tests };
static const struct harness_suite flags = { "grant: request flags", flag_tests };
static const struct harness_suite deadlock_cancel = {
    "grant: conversion deadlock, cancel, forced unlock", deadlock_cancel_tests
};
static const struct harness_suite bad_input = { "grant: bad input", bad_input_tests };

int main(void)
{
    static const struct harness_suite *const suites[] = {
        &modes, &flags, &deadlock_cancel, &bad_input, NULL
    };

    return engine_fixture_main(suites);
}
