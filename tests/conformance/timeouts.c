/*
 * Timeouts, through <sys/dlm.h> only (reference 2.6, 2.8, 4.8): in
 * hundredths of a second (choice), 0 waiting forever.  Each test's request
 * waits behind an EX or PR lock that an agent keeps throughout.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

#define NAME "to"
#define SHORT 20                /* hundredths: 0.2 s */

struct scene {
    dlm_nsp_t ns;
    struct peer holder;
    struct fixture_events events;
    struct timespec start;
};

static void set_scene(struct scene *s, dlm_lkmode_t held)
{
    memset(s, 0, sizeof *s);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&s->ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&s->holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_lock(&s->holder, 0, -1, NAME, held, 0, NULL), DLM_SUCCESS);
    clock_gettime(CLOCK_MONOTONIC, &s->start);
}

/* Microseconds since the scene was set. */
static long long microseconds_since(const struct scene *s)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)(now.tv_sec - s->start.tv_sec) * 1000000
           + (now.tv_nsec - s->start.tv_nsec) / 1000;
}

/* Has at least that long (in hundredths of a second) passed since the
 * scene was set?  (Says how long when not.) */
static int elapsed_at_least(const struct scene *s, long hundredths)
{
    long long passed = microseconds_since(s);

    if (passed < hundredths * 10000LL)
        printf("\n    timed out after %lld microseconds, not %ld hundredths of a second ",
               passed, hundredths);
    return passed >= hundredths * 10000LL;
}

/* The holder's lock stands, and nothing else is left on the resource. */
static void end_scene(struct scene *s)
{
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(agent_probe(&s->holder, NAME, DLM_NLMODE), 1);
    CU_ASSERT_EQUAL(agent_unlock(&s->holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_granted_mode(s->ns, NULL, NAME), DLM_NLMODE);
    CU_ASSERT_EQUAL(agent_stop(&s->holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&s->ns, 0), DLM_SUCCESS);
}

static void synchronous_request_times_out(void)
{
    struct scene s;
    dlm_lkid_t lkid;

    set_scene(&s, DLM_EXMODE);
    CU_ASSERT_EQUAL(fixture_lock_with(s.ns, NULL, NAME, DLM_PRMODE, NULL, 0, SHORT, &lkid),
                    DLM_TIMEOUT);
    CU_ASSERT(elapsed_at_least(&s, SHORT));
    /* No lock is left: the namespace can be left once the holder goes. */
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_IVLOCKID);
    end_scene(&s);
}

static void queued_request_completes_with_timeout(void)
{
    struct scene s;
    dlm_lkid_t lkid;

    set_scene(&s, DLM_EXMODE);
    CU_ASSERT_EQUAL(fixture_quelock(s.ns, NULL, NAME, DLM_CRMODE, 0, SHORT, &s.events, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&s.events, 1));
    CU_ASSERT_EQUAL(s.events.status, DLM_TIMEOUT);
    CU_ASSERT(fixture_same_lkid(&s.events.cpl_lkid, &lkid));
    CU_ASSERT(elapsed_at_least(&s, SHORT));
    CU_ASSERT(fixture_is_gone(&lkid));
    end_scene(&s);
}

/* A timed-out conversion leaves its lock granted at the old mode. */
static void timed_out_conversion_keeps_the_old_mode(void)
{
    struct scene s;
    dlm_lkid_t lkid;

    set_scene(&s, DLM_PRMODE);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s.ns, NULL, NAME, DLM_CRMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, SHORT), DLM_TIMEOUT);
    CU_ASSERT(elapsed_at_least(&s, SHORT));
    CU_ASSERT(fixture_holds(&lkid, DLM_CRMODE));
    /* And it converts again as usual. */
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_PRMODE, NULL, DLM_NOQUEUE, NULL, NULL, NULL, 0),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    end_scene(&s);
}

static void timed_out_queued_conversion_completes_with_timeout_at_the_old_mode(void)
{
    struct scene s;
    dlm_lkid_t lkid;

    set_scene(&s, DLM_PRMODE);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s.ns, NULL, NAME, DLM_NLMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quecvt(&lkid, DLM_PWMODE, 0, SHORT, &s.events), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&s.events, 1));
    CU_ASSERT_EQUAL(s.events.status, DLM_TIMEOUT);
    CU_ASSERT_PTR_EQUAL(s.events.cpl_notprm, &s.events);
    CU_ASSERT(fixture_holds(&lkid, DLM_NLMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    end_scene(&s);
}

/* A request granted before its timeout is simply granted, and its
 * timeout never fires later. */
static void a_request_granted_in_time_does_not_time_out(void)
{
    dlm_lkid_t lkid, blocker, later;
    dlm_lkmode_t blocked = 0;
    struct scene s;

    set_scene(&s, DLM_EXMODE);
    agent_yield(&s.holder, 0);
    CU_ASSERT_EQUAL(fixture_lock_with(s.ns, NULL, NAME, DLM_EXMODE, NULL, 0, FIXTURE_PATIENCE,
                                      &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_answer(&s.holder, &blocked), DLM_SUCCESS);
    /* A conversion with a timeout of 1 granted at once; then a request
     * that times out after 2 (behind a lock of the test's own): by its
     * completion the conversion's timeout has long passed. */
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_PRMODE, NULL, 0, NULL, NULL, NULL, 1), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock(s.ns, NULL, "to-later", DLM_EXMODE, &blocker), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(s.ns, NULL, "to-later", DLM_EXMODE, 0, 2, &s.events,
                                    &later), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&s.events, 1));
    CU_ASSERT_EQUAL(s.events.status, DLM_TIMEOUT);
    CU_ASSERT(fixture_holds(&lkid, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&s.holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&s.ns, 0), DLM_SUCCESS);
}

static const struct harness_test tests[] = {
    { "synchronous request times out with DLM_TIMEOUT", synchronous_request_times_out },
    { "queued request completes with DLM_TIMEOUT", queued_request_completes_with_timeout },
    { "timed-out conversion keeps the old mode", timed_out_conversion_keeps_the_old_mode },
    { "timed-out queued conversion completes with DLM_TIMEOUT at the old mode",
      timed_out_queued_conversion_completes_with_timeout_at_the_old_mode },
    { "a request granted in time does not time out",
      a_request_granted_in_time_does_not_time_out },
    { NULL, NULL }
};

static const struct harness_suite suite = { "timeouts", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
