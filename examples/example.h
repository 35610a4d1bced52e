/*
 * example.h - what every example shares: stopping with a clear message at
 * a failure, joining a namespace, and waiting for a notification routine
 * to run.
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

#endif
