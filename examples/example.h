/*
 * example.h - what every example shares: stopping with a clear message at
 * a status or a lock mode it did not expect, joining a namespace, and
 * waiting for a notification routine to run.
 *
 * Completion and blocking routines run when the library delivers them:
 * from the handler of the signal named with dlm_set_signal(), or inside
 * dlm_notify() for a program that polls.  Either way they only set a flag
 * that the main line waits for.
 */
#ifndef EXAMPLE_H
#define EXAMPLE_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sys/dlm.h>

#define EXAMPLE_SIGNAL  SIGUSR1

/* Go on after a success (DLM_SYNCH is one too); stop at anything else. */
static inline void check(const char *what, dlm_status_t status)
{
    if (status != DLM_SUCCESS && status != DLM_SYNCH) {
        dlm_perror((char *)what, status);
        exit(1);
    }
}

/* Go on only if the call ended exactly as the example says it must. */
static inline void expect(const char *what, dlm_status_t status, dlm_status_t expected)
{
    if (status != expected) {
        fprintf(stderr, "%s: %s (expected %s)\n", what, dlm_sperrno(status),
                dlm_sperrno(expected));
        exit(1);
    }
}

/* Go on only if a lock of ours is granted in that mode (DLM_NOMODE: the
 * lock is gone, or waits for its first grant). */
static inline void expect_mode(const char *what, dlm_lkid_t *lkid, dlm_lkmode_t mode)
{
    static const char *const names[] = {
        "not granted", "granted NL", "granted CR", "granted CW", "granted PR", "granted PW",
        "granted EX"
    };
    dlm_lkmode_t granted = DLM_NOMODE;
    dlm_lkinfo_t info;

    if (dlm_get_lkinfo(lkid, &info) == DLM_SUCCESS)
        granted = info.grmode;
    if (granted != mode) {
        fprintf(stderr, "%s: %s (expected %s)\n", what, names[granted], names[mode]);
        exit(1);
    }
}

/* How notifications arrive: by EXAMPLE_SIGNAL, or only when the program
 * calls dlm_notify(). */
enum { NOTIFY_BY_SIGNAL, NOTIFY_BY_POLLING };

/* Join our user namespace and choose how notifications arrive. */
static inline dlm_nsp_t start(const char *program, int polling)
{
    dlm_nsp_t ns;
    int old;

    check(program, dlm_nsjoin(geteuid(), &ns, DLM_USER | DLM_JOIN_SAME_OK));
    if (!polling)
        check("dlm_set_signal", dlm_set_signal(EXAMPLE_SIGNAL, &old));
    return ns;
}

/* Wait until a routine sets *flag: by the signal (sigsuspend, with the
 * signal blocked between the test and the wait, so that it cannot slip
 * in between), or by calling dlm_notify() when polling. */
static inline void wait_for(volatile sig_atomic_t *flag, int polling)
{
    sigset_t blocked, previous;

    if (polling) {
        while (!*flag)
            dlm_notify();
        return;
    }
    sigemptyset(&blocked);
    sigaddset(&blocked, EXAMPLE_SIGNAL);
    sigprocmask(SIG_BLOCK, &blocked, &previous);
    while (!*flag)
        sigsuspend(&previous);
    sigprocmask(SIG_SETMASK, &previous, NULL);
}

/* What a completion routine saw; the request's notprm points to it. */
struct completion {
    volatile sig_atomic_t done;
    volatile sig_atomic_t status;       /* the request's final dlm_status_t */
};

/* A completion routine: note the final status for the main line. */
static inline void note_completion(callback_arg_t notprm, dlm_lkid_t *lkid, dlm_status_t status)
{
    struct completion *completion = notprm;

    (void)lkid;
    completion->status = status;
    completion->done = 1;
}

#endif
