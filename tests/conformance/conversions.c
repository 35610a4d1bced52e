/*
 * Conversions, through <sys/dlm.h> only: dlm_cvt() and dlm_quecvt()
 * (reference 2.8, 2.9, 4.6).
 */
#include <stdio.h>
#include <string.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

static void conversion_goes_up_and_down(void)
{
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "cv-updown", DLM_NLMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, 0), DLM_SUCCESS);
    CU_ASSERT(fixture_holds(&lkid, DLM_EXMODE));
    CU_ASSERT_EQUAL(fixture_granted_mode(ns, NULL, "cv-updown"), DLM_EXMODE);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_CRMODE, NULL, 0, NULL, NULL, NULL, 0), DLM_SUCCESS);
    CU_ASSERT(fixture_holds(&lkid, DLM_CRMODE));
    CU_ASSERT_EQUAL(fixture_granted_mode(ns, NULL, "cv-updown"), DLM_CRMODE);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_NLMODE, NULL, 0, NULL, NULL, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_granted_mode(ns, NULL, "cv-updown"), DLM_NLMODE);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void immediate_conversion_with_syncsts_is_synch(void)
{
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "cv-synch", DLM_CRMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_PWMODE, NULL, DLM_SYNCSTS, NULL, NULL, NULL, 0),
                    DLM_SYNCH);
    CU_ASSERT(fixture_holds(&lkid, DLM_PWMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* The conversion waits until the other holder lets go, and that holder's
 * blocking routine hears the mode it wants. */
static void conversion_waits_until_another_process_releases(void)
{
    dlm_lkmode_t blocked = 0;
    struct peer holder;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "cv-wait", DLM_PRMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "cv-wait", DLM_PRMODE, &lkid), DLM_SUCCESS);
    agent_yield(&holder, 0);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_EXMODE, NULL, DLM_SYNCSTS, NULL, NULL, NULL,
                            FIXTURE_PATIENCE), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_answer(&holder, &blocked), DLM_SUCCESS);
    CU_ASSERT_EQUAL(blocked, DLM_EXMODE);
    CU_ASSERT(fixture_holds(&lkid, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Reference 4.6: a conversion compatible with the other granted locks is
 * granted at once even while new requests wait (a new request would not
 * be). */
static void conversion_is_granted_while_new_requests_wait(void)
{
    struct fixture_events waiting;
    dlm_lkid_t converter, waiter;
    struct peer holder;
    dlm_nsp_t ns;

    memset(&waiting, 0, sizeof waiting);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "cv-jump", DLM_PRMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "cv-jump", DLM_NLMODE, &converter),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "cv-jump", DLM_EXMODE, 0, 0, &waiting, &waiter),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, "cv-jump", DLM_PRMODE), 0);
    CU_ASSERT_EQUAL(dlm_cvt(&converter, DLM_PRMODE, NULL, DLM_NOQUEUE, NULL, NULL, NULL, 0),
                    DLM_SUCCESS);
    CU_ASSERT(fixture_holds(&converter, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(waiting.completions, 0);
    /* Both PR holders go: the waiter is granted. */
    CU_ASSERT_EQUAL(dlm_unlock(&converter, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_unlock(&holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&waiting, 1));
    CU_ASSERT_EQUAL(waiting.status, DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&waiter, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void queued_conversion_completes_through_dlm_notify(void)
{
    struct fixture_events events;
    struct peer holder;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "cv-queued", DLM_PRMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "cv-queued", DLM_PRMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quecvt(&lkid, DLM_EXMODE, DLM_SYNCSTS, 0, &events), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT(fixture_holds(&lkid, DLM_PRMODE) == 0);     /* converting, not settled */
    CU_ASSERT_EQUAL(agent_unlock(&holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT_PTR_EQUAL(events.cpl_notprm, &events);
    CU_ASSERT(fixture_same_lkid(&events.cpl_lkid, &lkid));
    CU_ASSERT(fixture_holds(&lkid, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void queued_conversion_granted_at_once_with_syncsts_is_synch_without_completion(void)
{
    struct fixture_events events;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "cv-qsynch", DLM_NLMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quecvt(&lkid, DLM_EXMODE, DLM_SYNCSTS, 0, &events), DLM_SYNCH);
    CU_ASSERT(fixture_holds(&lkid, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(events.completions, 0);
    /* Without DLM_SYNCSTS the same grant completes. */
    CU_ASSERT_EQUAL(fixture_quecvt(&lkid, DLM_NLMODE, 0, 0, &events), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT(fixture_holds(&lkid, DLM_NLMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void noqueue_conversion_not_grantable_is_not_queued_and_keeps_the_mode(void)
{
    struct peer holder;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "cv-noq", DLM_PRMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "cv-noq", DLM_CRMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_PWMODE, NULL, DLM_NOQUEUE, NULL, NULL, NULL, 0),
                    DLM_NOTQUEUED);
    CU_ASSERT(fixture_holds(&lkid, DLM_CRMODE));
    CU_ASSERT_EQUAL(agent_unlock(&holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_granted_mode(ns, NULL, "cv-noq"), DLM_CRMODE);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* DLM_QUECVT (reference 4.6, Ingres' Tru64 table): allowed from NL, CR,
 * CW (to PW, EX) and PR upwards. */
static const dlm_lkmode_t quecvt_allowed[][2] = {
    { DLM_NLMODE, DLM_CRMODE }, { DLM_NLMODE, DLM_CWMODE }, { DLM_NLMODE, DLM_PRMODE },
    { DLM_NLMODE, DLM_PWMODE }, { DLM_NLMODE, DLM_EXMODE }, { DLM_CRMODE, DLM_CWMODE },
    { DLM_CRMODE, DLM_PRMODE }, { DLM_CRMODE, DLM_PWMODE }, { DLM_CRMODE, DLM_EXMODE },
    { DLM_CWMODE, DLM_PWMODE }, { DLM_CWMODE, DLM_EXMODE }, { DLM_PRMODE, DLM_PWMODE },
    { DLM_PRMODE, DLM_EXMODE },
};

/* ... and refused (DLM_BADPARAM) for CW to PR and anything from PW or EX.
 * Choice: a down-conversion or a conversion to the same mode needs no
 * queueing and is refused too. */
static const dlm_lkmode_t quecvt_refused[][2] = {
    { DLM_CWMODE, DLM_PRMODE }, { DLM_PWMODE, DLM_EXMODE }, { DLM_PWMODE, DLM_NLMODE },
    { DLM_PWMODE, DLM_PRMODE }, { DLM_PWMODE, DLM_PWMODE }, { DLM_EXMODE, DLM_EXMODE },
    { DLM_EXMODE, DLM_NLMODE }, { DLM_EXMODE, DLM_PWMODE }, { DLM_PRMODE, DLM_CRMODE },
    { DLM_CRMODE, DLM_NLMODE }, { DLM_NLMODE, DLM_NLMODE },
};

/* Lock at from, convert with DLM_QUECVT to to; the status; the lock is
 * left at the mode expect. */
static dlm_status_t quecvt_pair(dlm_nsp_t ns, dlm_lkmode_t from, dlm_lkmode_t to,
                                dlm_lkmode_t expect)
{
    dlm_status_t status;
    dlm_lkid_t lkid;

    if (fixture_lock(ns, NULL, "cv-quecvt", from, &lkid) != DLM_SUCCESS)
        return -1;
    status = dlm_cvt(&lkid, to, NULL, DLM_QUECVT, NULL, NULL, NULL, FIXTURE_PATIENCE);
    if (!fixture_holds(&lkid, expect))
        status = -2;
    dlm_unlock(&lkid, NULL, 0);
    return status;
}

static void quecvt_is_allowed_on_its_pairs(void)
{
    dlm_nsp_t ns;
    size_t i;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    for (i = 0; i < sizeof quecvt_allowed / sizeof quecvt_allowed[0]; i++) {
        dlm_status_t status = quecvt_pair(ns, quecvt_allowed[i][0], quecvt_allowed[i][1],
                                          quecvt_allowed[i][1]);

        if (status != DLM_SUCCESS)
            printf("\n    %d to %d: %d ", quecvt_allowed[i][0], quecvt_allowed[i][1], status);
        CU_ASSERT_EQUAL(status, DLM_SUCCESS);
    }
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void quecvt_is_a_bad_parameter_on_other_pairs(void)
{
    dlm_nsp_t ns;
    size_t i;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    for (i = 0; i < sizeof quecvt_refused / sizeof quecvt_refused[0]; i++) {
        dlm_status_t status = quecvt_pair(ns, quecvt_refused[i][0], quecvt_refused[i][1],
                                          quecvt_refused[i][0]);

        if (status != DLM_BADPARAM)
            printf("\n    %d to %d: %d ", quecvt_refused[i][0], quecvt_refused[i][1], status);
        CU_ASSERT_EQUAL(status, DLM_BADPARAM);
    }
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* A DLM_QUECVT conversion queues behind one already waiting; a plain one
 * compatible with the granted locks is granted ahead of it. */
static void quecvt_queues_behind_earlier_conversions(void)
{
    struct fixture_events first, second;
    dlm_lkid_t a, b, c;
    struct peer holder;
    dlm_nsp_t ns;

    memset(&first, 0, sizeof first);
    memset(&second, 0, sizeof second);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "cv-order", DLM_PRMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "cv-order", DLM_NLMODE, &a), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "cv-order", DLM_NLMODE, &b), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "cv-order", DLM_NLMODE, &c), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quecvt(&a, DLM_EXMODE, 0, 0, &first), DLM_SUCCESS);
    /* With DLM_QUECVT, CR waits behind the EX conversion ... */
    CU_ASSERT_EQUAL(fixture_quecvt(&b, DLM_CRMODE, DLM_QUECVT, 0, &second), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(second.completions, 0);
    /* ... without, it is granted at once. */
    CU_ASSERT_EQUAL(dlm_cvt(&c, DLM_CRMODE, NULL, DLM_NOQUEUE, NULL, NULL, NULL, 0),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&c, DLM_NLMODE, NULL, 0, NULL, NULL, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_unlock(&holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&first, 1));
    CU_ASSERT_EQUAL(first.status, DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(second.completions, 0);
    CU_ASSERT_EQUAL(dlm_unlock(&a, NULL, 0), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&second, 1));
    CU_ASSERT_EQUAL(second.status, DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void converting_a_lock_not_granted_is_cvtungrant(void)
{
    struct fixture_events events;
    struct peer holder;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "cv-ungrant", DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "cv-ungrant", DLM_PRMODE, 0, 0, &events, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_NLMODE, NULL, 0, NULL, NULL, NULL, 0), DLM_CVTUNGRANT);
    CU_ASSERT_EQUAL(fixture_quecvt(&lkid, DLM_EXMODE, 0, 0, &events), DLM_CVTUNGRANT);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    /* The request stands and is granted in its turn. */
    CU_ASSERT_EQUAL(agent_unlock(&holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT(fixture_holds(&lkid, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Choice (reference 9, #10): a conversion of a lock with a conversion
 * already in flight is DLM_LKBUSY. */
static void converting_a_lock_already_converting_is_lkbusy(void)
{
    struct fixture_events events;
    struct peer holder;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "cv-busy", DLM_PRMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "cv-busy", DLM_PRMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quecvt(&lkid, DLM_EXMODE, 0, 0, &events), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_NLMODE, NULL, 0, NULL, NULL, NULL, 0), DLM_LKBUSY);
    CU_ASSERT_EQUAL(fixture_quecvt(&lkid, DLM_NLMODE, 0, 0, &events), DLM_LKBUSY);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(agent_unlock(&holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT(fixture_holds(&lkid, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* The conversion's notprm and blocking routine replace the lock's. */
static void conversion_replaces_notprm_and_blocking_routine(void)
{
    struct fixture_events before, after;
    struct peer waiter;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&before, 0, sizeof before);
    memset(&after, 0, sizeof after);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(ns, (uchar_t *)"cv-replace", 10, NULL, &lkid, DLM_NLMODE,
                                   NULL, 0, &before, NULL, fixture_blocked, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_EXMODE, NULL, 0, &after, NULL, fixture_blocked, 0),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&waiter, NULL), DLM_SUCCESS);
    agent_lock_later(&waiter, 0, "cv-replace", DLM_CRMODE, 0, 7);
    CU_ASSERT(fixture_await_blocks(&after, 1));
    CU_ASSERT_EQUAL(after.blocked_mode, DLM_CRMODE);
    CU_ASSERT_EQUAL(before.blocks, 0);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_answer(&waiter, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&waiter), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Does lkid keep the routine, argument and hint it was given first? */
static int keeps_its_routines(const dlm_lkid_t *lkid, struct fixture_events *notprm,
                              callback_arg_t hint)
{
    dlm_lkid_t copy = *lkid;
    dlm_lkinfo_t info;

    return dlm_get_lkinfo(&copy, &info) == DLM_SUCCESS && info.notprm == notprm
           && info.hint == hint && info.blkrtn == fixture_blocked;
}

/* Reference 2.11: a conversion that does not happen leaves the lock as it
 * was - its notprm, hint and blocking routine too - whether it is refused
 * at once, times out or is cancelled. */
static void failed_conversion_keeps_notprm_hint_and_blocking_routine(void)
{
    static char old_hint, new_hint;
    struct fixture_events old_events, conversion;
    struct peer holder;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&old_events, 0, sizeof old_events);
    memset(&conversion, 0, sizeof conversion);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "cv-keep", DLM_PRMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(ns, (uchar_t *)"cv-keep", 7, NULL, &lkid, DLM_PRMODE, NULL,
                                   0, &old_events, &old_hint, fixture_blocked, 0), DLM_SUCCESS);

    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_EXMODE, NULL, DLM_NOQUEUE, &conversion, &new_hint, NULL,
                            0), DLM_NOTQUEUED);
    CU_ASSERT(keeps_its_routines(&lkid, &old_events, &old_hint));

    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_EXMODE, NULL, 0, &conversion, &new_hint, NULL, 1),
                    DLM_TIMEOUT);
    CU_ASSERT(keeps_its_routines(&lkid, &old_events, &old_hint));

    CU_ASSERT_EQUAL(dlm_quecvt(&lkid, DLM_EXMODE, NULL, 0, &conversion, &new_hint, NULL, 0,
                               fixture_completed), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cancel(&lkid, 0), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&conversion, 1));
    CU_ASSERT_EQUAL(conversion.status, DLM_CANCEL);
    CU_ASSERT(keeps_its_routines(&lkid, &old_events, &old_hint));

    CU_ASSERT(fixture_holds(&lkid, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static const struct harness_test tests[] = {
    { "conversion goes up and down", conversion_goes_up_and_down },
    { "immediate conversion with DLM_SYNCSTS is DLM_SYNCH",
      immediate_conversion_with_syncsts_is_synch },
    { "conversion waits until another process releases",
      conversion_waits_until_another_process_releases },
    { "conversion is granted while new requests wait",
      conversion_is_granted_while_new_requests_wait },
    { "queued conversion completes through dlm_notify",
      queued_conversion_completes_through_dlm_notify },
    { "queued conversion granted at once with DLM_SYNCSTS is DLM_SYNCH without completion",
      queued_conversion_granted_at_once_with_syncsts_is_synch_without_completion },
    { "DLM_NOQUEUE conversion not grantable is DLM_NOTQUEUED and keeps the mode",
      noqueue_conversion_not_grantable_is_not_queued_and_keeps_the_mode },
    { "DLM_QUECVT is allowed on its pairs", quecvt_is_allowed_on_its_pairs },
    { "DLM_QUECVT is DLM_BADPARAM on other pairs", quecvt_is_a_bad_parameter_on_other_pairs },
    { "DLM_QUECVT queues behind earlier conversions", quecvt_queues_behind_earlier_conversions },
    { "converting a lock not granted is DLM_CVTUNGRANT",
      converting_a_lock_not_granted_is_cvtungrant },
    { "converting a lock already converting is DLM_LKBUSY",
      converting_a_lock_already_converting_is_lkbusy },
    { "conversion replaces notprm and blocking routine",
      conversion_replaces_notprm_and_blocking_routine },
    { "failed conversion keeps notprm, hint and blocking routine",
      failed_conversion_keeps_notprm_hint_and_blocking_routine },
    { NULL, NULL }
};

static const struct harness_suite suite = { "conversions", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
