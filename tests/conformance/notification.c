/*
 * Notification, through <sys/dlm.h> only: dlm_set_signal() and
 * dlm_notify() (reference 2.4, 2.5, 4.4, 4.5).  Choice (header): until a
 * signal is set, routines wait for dlm_notify().
 */
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <string.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

#define MANY 40

static void setting_a_signal_before_joining_is_not_attached(void)
{
    int old = 12345;

    CU_ASSERT_EQUAL(dlm_set_signal(SIGUSR1, &old), DLM_NOTATTACHED);
    CU_ASSERT_EQUAL(dlm_set_signal(0, NULL), DLM_NOTATTACHED);
    CU_ASSERT_EQUAL(old, 12345);
}

static void bad_signals_are_bad_parameters(void)
{
    static const int bad[] = { -1, SIGKILL, SIGSTOP, NSIG, NSIG + 1, 100000 };
    dlm_nsp_t ns;
    int old = 12345;
    size_t i;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (dlm_set_signal(bad[i], &old) != DLM_BADPARAM)
            printf("\n    signal %d accepted ", bad[i]);
        CU_ASSERT_EQUAL(dlm_set_signal(bad[i], &old), DLM_BADPARAM);
    }
    CU_ASSERT_EQUAL(old, 12345);
    /* Nothing changed: still no signal. */
    CU_ASSERT_EQUAL(dlm_set_signal(0, &old), DLM_SUCCESS);
    CU_ASSERT_EQUAL(old, 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void set_signal_reports_the_previous_signal(void)
{
    dlm_nsp_t ns;
    int old = 12345;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_set_signal(SIGUSR1, &old), DLM_SUCCESS);
    CU_ASSERT_EQUAL(old, 0);
    CU_ASSERT_EQUAL(dlm_set_signal(SIGUSR2, &old), DLM_SUCCESS);
    CU_ASSERT_EQUAL(old, SIGUSR1);
    CU_ASSERT_EQUAL(dlm_set_signal(SIGUSR2, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_set_signal(0, &old), DLM_SUCCESS);
    CU_ASSERT_EQUAL(old, SIGUSR2);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Call dlm_notify() until *counter reaches n (bounded); the sum of what
 * it said it ran. */
static int notify_summing(int *counter, int n)
{
    time_t give_up = time(NULL) + 30;
    int sum = 0;

    while (*(volatile int *)counter < n && time(NULL) < give_up)
        sum += dlm_notify();
    return sum;
}

/* Without a signal, routines wait for dlm_notify(), which runs them and
 * says how many it ran, completions and blocking notifications alike. */
static void dlm_notify_runs_what_is_due_and_counts_it(void)
{
    struct fixture_events events, holder;
    dlm_lkid_t lkid[4];
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    memset(&holder, 0, sizeof holder);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "nt-a", DLM_EXMODE, 0, 0, &events, &lkid[0]),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "nt-b", DLM_EXMODE, 0, 0, &events, &lkid[1]),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "nt-c", DLM_EXMODE, 0, 0, &events, &lkid[2]),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(events.completions, 0);
    CU_ASSERT_EQUAL(notify_summing(&events.completions, 3), 3);
    CU_ASSERT_EQUAL(events.completions, 3);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    /* lkid[0]'s EX blocks a new request: one blocking notification. */
    CU_ASSERT_EQUAL(dlm_cvt(&lkid[0], DLM_EXMODE, NULL, 0, &holder, NULL, fixture_blocked, 0),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "nt-a", DLM_EXMODE, 0, 0, &events, &lkid[3]),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(notify_summing(&holder.blocks, 1), 1);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(holder.blocks, 1);
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 4));
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* With a signal set, a completion runs without dlm_notify(). */
static void a_signal_delivers_a_completion(void)
{
    struct fixture_events events;
    struct peer holder;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_set_signal(SIGUSR1, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "nt-sig", DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "nt-sig", DLM_EXMODE, 0, 0, &events, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_unlock(&holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_signal_count(&events.completions, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(events.completions, 1);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_set_signal(0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* ... and a blocking notification too. */
static void a_signal_delivers_a_blocking_notification(void)
{
    struct fixture_events events;
    struct peer waiter;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_set_signal(SIGUSR2, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(ns, (uchar_t *)"nt-sigblk", 9, NULL, &lkid, DLM_PWMODE, NULL,
                                   0, &events, NULL, fixture_blocked, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&waiter, NULL), DLM_SUCCESS);
    agent_lock_later(&waiter, 0, "nt-sigblk", DLM_CWMODE, 0, 99);
    CU_ASSERT(fixture_signal_count(&events.blocks, 1));
    CU_ASSERT_EQUAL(events.blocked_mode, DLM_CWMODE);
    CU_ASSERT_PTR_EQUAL(events.hint, fixture_hint_heard((callback_arg_t)99));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_answer(&waiter, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_set_signal(0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&waiter), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Signals coalesce; notifications do not.  MANY completions made while
 * the signal is blocked (some granted at once, some on another process's
 * release) all run, each exactly once, once the one pending signal gets
 * through. */
static void many_completions_under_one_signal_each_run_once(void)
{
    struct fixture_events events[2 * MANY];
    dlm_lkid_t lkid[2 * MANY];
    sigset_t usr1, previous;
    struct peer holder;
    char name[16];
    dlm_nsp_t ns;
    int i, total, wrong = 0;

    memset(events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    for (i = 0; i < MANY; i++) {
        snprintf(name, sizeof name, "nt-held%d", i);
        CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, name, DLM_EXMODE, 0, NULL), DLM_SUCCESS);
        CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, name, DLM_PRMODE, 0, 0, &events[i], &lkid[i]),
                        DLM_SUCCESS);
    }
    CU_ASSERT_EQUAL(dlm_set_signal(SIGUSR1, NULL), DLM_SUCCESS);
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, &previous);
    for (i = MANY; i < 2 * MANY; i++) {
        snprintf(name, sizeof name, "nt-free%d", i);
        CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, name, DLM_EXMODE, 0, 0, &events[i], &lkid[i]),
                        DLM_SUCCESS);
    }
    /* The holder's locks all go at once: it ends. */
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    for (i = 0; i < 2 * MANY; i++)
        CU_ASSERT_EQUAL(events[i].completions, 0);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    for (i = 0; i < 2 * MANY; i++)
        CU_ASSERT(fixture_signal_count(&events[i].completions, 1));
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    for (i = 0, total = 0; i < 2 * MANY; i++) {
        total += events[i].completions;
        wrong += events[i].status != DLM_SUCCESS
                 || !fixture_same_lkid(&events[i].cpl_lkid, &lkid[i]);
    }
    CU_ASSERT_EQUAL(total, 2 * MANY);
    CU_ASSERT_EQUAL(wrong, 0);
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_set_signal(0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Setting the signal back to 0 returns to dlm_notify(). */
static void signal_zero_returns_to_polling(void)
{
    struct fixture_events events;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_set_signal(SIGUSR1, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_set_signal(0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "nt-poll", DLM_EXMODE, 0, 0, &events, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(events.completions, 0);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static const struct harness_test tests[] = {
    { "setting a signal before joining is DLM_NOTATTACHED",
      setting_a_signal_before_joining_is_not_attached },
    { "bad signals are DLM_BADPARAM", bad_signals_are_bad_parameters },
    { "dlm_set_signal reports the previous signal", set_signal_reports_the_previous_signal },
    { "dlm_notify runs what is due and counts it", dlm_notify_runs_what_is_due_and_counts_it },
    { "a signal delivers a completion", a_signal_delivers_a_completion },
    { "a signal delivers a blocking notification", a_signal_delivers_a_blocking_notification },
    { "many completions under one signal each run once",
      many_completions_under_one_signal_each_run_once },
    { "signal 0 returns to polling", signal_zero_returns_to_polling },
    { NULL, NULL }
};

static const struct harness_suite suite = { "notification", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
