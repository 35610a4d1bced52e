/*
 * Ending locks and requests, through <sys/dlm.h> only: dlm_unlock() and
 * dlm_cancel() (reference 2.10, 2.11, 4.4).
 */
#include <pthread.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

/* Each test holds "uc" in the agent (slot 0) in mode held, and has the
 * test's own lock ready in mode mine (or none when 0). */
struct scene {
    dlm_nsp_t ns;
    struct peer holder;
    dlm_lkid_t mine;
    struct fixture_events events;
};

static void set_scene(struct scene *s, dlm_lkmode_t held, dlm_lkmode_t mine)
{
    memset(s, 0, sizeof *s);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&s->ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&s->holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_lock(&s->holder, 0, -1, "uc", held, 0, NULL), DLM_SUCCESS);
    if (mine != 0)
        CU_ASSERT_EQUAL_FATAL(dlm_lock(s->ns, (uchar_t *)"uc", 2, NULL, &s->mine, mine, NULL,
                                       0, &s->events, NULL, fixture_blocked, 0), DLM_SUCCESS);
}

static void end_scene(struct scene *s)
{
    CU_ASSERT_EQUAL(agent_stop(&s->holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&s->ns, 0), DLM_SUCCESS);
}

static void unlock_releases_the_lock_and_its_id(void)
{
    dlm_lkid_t lkid, stale;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "uc-release", DLM_EXMODE, &lkid), DLM_SUCCESS);
    stale = lkid;
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_granted_mode(ns, NULL, "uc-release"), DLM_NLMODE);
    CU_ASSERT_EQUAL(dlm_unlock(&stale, NULL, 0), DLM_IVLOCKID);
    /* A new lock does not revive the stale ID. */
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "uc-release", DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT(!fixture_same_lkid(&lkid, &stale));
    CU_ASSERT_EQUAL(dlm_unlock(&stale, NULL, 0), DLM_IVLOCKID);
    CU_ASSERT(fixture_holds(&lkid, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Reference 2.10: unlocking a request still waiting dequeues it; its
 * completion routine gets DLM_ABORT. */
static void unlocking_a_waiting_request_completes_it_with_abort(void)
{
    struct scene s;
    dlm_lkid_t lkid;

    set_scene(&s, DLM_EXMODE, 0);
    CU_ASSERT_EQUAL(fixture_quelock(s.ns, NULL, "uc", DLM_PRMODE, 0, 0, &s.events, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&s.events, 1));
    CU_ASSERT_EQUAL(s.events.status, DLM_ABORT);
    CU_ASSERT(fixture_same_lkid(&s.events.cpl_lkid, &lkid));
    CU_ASSERT(fixture_is_gone(&lkid));
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(s.events.completions, 1);
    /* The holder's lock is not affected. */
    CU_ASSERT_EQUAL(fixture_probe(s.ns, NULL, "uc", DLM_CRMODE), 0);
    end_scene(&s);
}

/* The same for a conversion: the lock goes, the conversion ends with
 * DLM_ABORT. */
static void unlocking_a_converting_lock_completes_the_conversion_with_abort(void)
{
    struct scene s;

    set_scene(&s, DLM_PRMODE, DLM_PRMODE);
    CU_ASSERT_EQUAL(fixture_quecvt(&s.mine, DLM_EXMODE, 0, 0, &s.events), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&s.mine, NULL, 0), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&s.events, 1));
    CU_ASSERT_EQUAL(s.events.status, DLM_ABORT);
    CU_ASSERT(fixture_is_gone(&s.mine));
    CU_ASSERT_EQUAL(agent_unlock(&s.holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_granted_mode(s.ns, NULL, "uc"), DLM_NLMODE);
    end_scene(&s);
}

/* A thread waiting in dlm_lock() hears DLM_ABORT when another thread
 * unlocks its request. */
struct blocked_call {
    dlm_nsp_t ns;
    volatile dlm_lkid_t lkid;
    dlm_status_t status;
};

static void *lock_and_wait(void *arg)
{
    struct blocked_call *call = arg;

    call->status = dlm_lock(call->ns, (uchar_t *)"uc", 2, NULL, (dlm_lkid_t *)&call->lkid,
                            DLM_EXMODE, NULL, 0, NULL, NULL, NULL, FIXTURE_PATIENCE);
    return NULL;
}

/* Wait (bounded) until the waiting thread's lock ID is known (the ID is
 * the caller's before the request waits) and names a lock; into *lkid. */
static int id_known(struct blocked_call *call, dlm_lkid_t *lkid)
{
    time_t give_up = time(NULL) + 30;

    do {
        lkid->seqn = call->lkid.seqn;
        lkid->hndl = call->lkid.hndl;
        if ((lkid->seqn != 0 || lkid->hndl != 0) && !fixture_is_gone(lkid))
            return 1;
        poll(NULL, 0, 1);
    } while (time(NULL) < give_up);
    return 0;
}

static void unlocking_a_synchronous_request_ends_its_wait_with_abort(void)
{
    struct blocked_call call;
    pthread_t thread;
    dlm_lkid_t lkid;
    struct scene s;

    set_scene(&s, DLM_EXMODE, 0);
    memset(&call, 0, sizeof call);
    call.ns = s.ns;
    CU_ASSERT_FATAL(pthread_create(&thread, NULL, lock_and_wait, &call) == 0);
    CU_ASSERT(id_known(&call, &lkid));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    pthread_join(thread, NULL);
    CU_ASSERT_EQUAL(call.status, DLM_ABORT);
    CU_ASSERT(fixture_is_gone(&lkid));
    end_scene(&s);
}

/* Reference 2.11: a cancelled conversion completes with DLM_CANCEL and
 * its lock is back at its old mode, with its old blocking routine and
 * notprm; the completion itself is the conversion's (its notprm). */
static void cancelled_conversion_completes_with_cancel_at_the_old_mode(void)
{
    struct fixture_events conversion;
    struct peer waiter;
    struct scene s;

    memset(&conversion, 0, sizeof conversion);
    set_scene(&s, DLM_PRMODE, DLM_PRMODE);
    CU_ASSERT_EQUAL(fixture_quecvt(&s.mine, DLM_EXMODE, 0, 0, &conversion), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cancel(&s.mine, 0), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&conversion, 1));
    CU_ASSERT_EQUAL(conversion.status, DLM_CANCEL);
    CU_ASSERT_PTR_EQUAL(conversion.cpl_notprm, &conversion);
    CU_ASSERT(fixture_same_lkid(&conversion.cpl_lkid, &s.mine));
    CU_ASSERT_EQUAL(s.events.completions, 0);
    CU_ASSERT(fixture_holds(&s.mine, DLM_PRMODE));
    /* The old notprm is back: a blocked request is told to it. */
    CU_ASSERT_EQUAL_FATAL(agent_start(&waiter, NULL), DLM_SUCCESS);
    agent_lock_later(&waiter, 0, "uc", DLM_EXMODE, 0, 0);
    CU_ASSERT(fixture_await_blocks(&s.events, 1));
    CU_ASSERT_EQUAL(conversion.blocks, 0);
    CU_ASSERT_EQUAL(dlm_unlock(&s.mine, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_unlock(&s.holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_answer(&waiter, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&waiter), 0);
    end_scene(&s);
}

/* A synchronous conversion cancelled from another thread returns
 * DLM_CANCEL, the lock at its old mode. */
struct blocked_conversion {
    dlm_lkid_t lkid;
    dlm_status_t status;
};

static void *convert_and_wait(void *arg)
{
    struct blocked_conversion *c = arg;

    c->status = dlm_cvt(&c->lkid, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, FIXTURE_PATIENCE);
    return NULL;
}

static void cancelled_synchronous_conversion_returns_cancel(void)
{
    struct blocked_conversion c;
    pthread_t thread;
    struct scene s;
    time_t give_up;
    dlm_status_t status = DLM_CANCELGRANT;

    set_scene(&s, DLM_PRMODE, DLM_PRMODE);
    c.lkid = s.mine;
    c.status = -1;
    CU_ASSERT_FATAL(pthread_create(&thread, NULL, convert_and_wait, &c) == 0);
    /* Until the conversion is in flight, there is nothing to cancel:
     * DLM_CANCELGRANT.  Bounded. */
    give_up = time(NULL) + 30;
    while ((status = dlm_cancel(&s.mine, 0)) == DLM_CANCELGRANT && time(NULL) < give_up)
        poll(NULL, 0, 1);
    CU_ASSERT_EQUAL(status, DLM_SUCCESS);
    pthread_join(thread, NULL);
    CU_ASSERT_EQUAL(c.status, DLM_CANCEL);
    CU_ASSERT(fixture_holds(&s.mine, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&s.mine, NULL, 0), DLM_SUCCESS);
    end_scene(&s);
}

static void cancelling_a_waiting_request_without_cancelwaitok_is_cancelwait(void)
{
    struct scene s;
    dlm_lkid_t lkid;

    set_scene(&s, DLM_EXMODE, 0);
    CU_ASSERT_EQUAL(fixture_quelock(s.ns, NULL, "uc", DLM_PRMODE, 0, 0, &s.events, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cancel(&lkid, 0), DLM_CANCELWAIT);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    /* The request stands and is granted in its turn. */
    CU_ASSERT_EQUAL(agent_unlock(&s.holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&s.events, 1));
    CU_ASSERT_EQUAL(s.events.status, DLM_SUCCESS);
    CU_ASSERT(fixture_holds(&lkid, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    end_scene(&s);
}

static void cancelling_a_waiting_request_with_cancelwaitok_completes_with_cancel(void)
{
    struct scene s;
    dlm_lkid_t lkid;

    set_scene(&s, DLM_EXMODE, 0);
    CU_ASSERT_EQUAL(fixture_quelock(s.ns, NULL, "uc", DLM_PRMODE, 0, 0, &s.events, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cancel(&lkid, DLM_CANCELWAITOK), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&s.events, 1));
    CU_ASSERT_EQUAL(s.events.status, DLM_CANCEL);
    CU_ASSERT(fixture_same_lkid(&s.events.cpl_lkid, &lkid));
    /* The lock never existed. */
    CU_ASSERT(fixture_is_gone(&lkid));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_IVLOCKID);
    CU_ASSERT_EQUAL(dlm_nsleave(&s.ns, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&s.holder), 0);
}

/* Nothing in flight: it was granted. */
static void cancelling_a_granted_lock_is_cancelgrant(void)
{
    struct fixture_events events;
    struct scene s;

    memset(&events, 0, sizeof events);
    set_scene(&s, DLM_PRMODE, DLM_PRMODE);
    CU_ASSERT_EQUAL(dlm_cancel(&s.mine, 0), DLM_CANCELGRANT);
    CU_ASSERT_EQUAL(dlm_cancel(&s.mine, DLM_CANCELWAITOK), DLM_CANCELGRANT);
    /* Also after a conversion that was granted. */
    CU_ASSERT_EQUAL(fixture_quecvt(&s.mine, DLM_CRMODE, 0, 0, &events), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(dlm_cancel(&s.mine, 0), DLM_CANCELGRANT);
    CU_ASSERT(fixture_holds(&s.mine, DLM_CRMODE));
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(events.completions, 1);
    CU_ASSERT_EQUAL(dlm_unlock(&s.mine, NULL, 0), DLM_SUCCESS);
    end_scene(&s);
}

static const struct harness_test tests[] = {
    { "dlm_unlock releases the lock and its ID", unlock_releases_the_lock_and_its_id },
    { "unlocking a waiting request completes it with DLM_ABORT",
      unlocking_a_waiting_request_completes_it_with_abort },
    { "unlocking a converting lock completes the conversion with DLM_ABORT",
      unlocking_a_converting_lock_completes_the_conversion_with_abort },
    { "unlocking a synchronous request ends its wait with DLM_ABORT",
      unlocking_a_synchronous_request_ends_its_wait_with_abort },
    { "cancelled conversion completes with DLM_CANCEL at the old mode",
      cancelled_conversion_completes_with_cancel_at_the_old_mode },
    { "cancelled synchronous conversion returns DLM_CANCEL",
      cancelled_synchronous_conversion_returns_cancel },
    { "cancelling a waiting request without DLM_CANCELWAITOK is DLM_CANCELWAIT",
      cancelling_a_waiting_request_without_cancelwaitok_is_cancelwait },
    { "cancelling a waiting request with DLM_CANCELWAITOK completes with DLM_CANCEL",
      cancelling_a_waiting_request_with_cancelwaitok_completes_with_cancel },
    { "cancelling a granted lock is DLM_CANCELGRANT", cancelling_a_granted_lock_is_cancelgrant },
    { NULL, NULL }
};

static const struct harness_suite suite = { "unlock and cancel", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
