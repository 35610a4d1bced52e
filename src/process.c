/*
 * The process's Tru64 state, and what becomes of it across fork(2): the
 * child of a fork owns none of its parent's locks or namespaces (Tru64
 * ties both to the process), so it starts empty.
 */
#include "config.h"

#include "process.h"

#include <signal.h>

#include "glc.h"
#include "lockrec.h"
#include "notice.h"
#include "recovery.h"

struct process process = {
    .mutex = PTHREAD_MUTEX_INITIALIZER,
    .granted = PTHREAD_COND_INITIALIZER,
};

static pthread_once_t fork_hook_once = PTHREAD_ONCE_INIT;

static void before_fork(void)
{
    pthread_mutex_lock(&process.mutex);
}

static void after_fork_in_parent(void)
{
    pthread_mutex_unlock(&process.mutex);
}

/* Only this thread exists in the child: the listeners did not follow, and
 * the engine handles belong to the parent (the engine refuses them here). */
static void after_fork_in_child(void)
{
    int i;

    lockrec_forget_all();
    recovery_forget_all();
    glc_forget_all();
    for (i = 0; i < DLM_NSPROCMAX; i++) {
        if (process.ns[i].state != NS_FREE)
            process.ns[i].ops->ls_close(process.ns[i].ls);
        persist_forget_anchors(&process.ns[i]);
        process.ns[i] = (struct namespace){ .state = NS_FREE };
    }
    notice_forget_all();
    pthread_mutex_init(&process.mutex, NULL);
    pthread_cond_init(&process.granted, NULL);
}

static void install_fork_hook(void)
{
    pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

/* Is this thread inside the library, holding the mutex?  The signal
 * handler must not run routines then (a routine may call the library,
 * which would wait for the mutex this thread holds): it leaves them for
 * process_unlock(). */
#define SIGNAL_SAFE_TLS __attribute__((tls_model("initial-exec")))   /* no allocation */
static __thread int inside SIGNAL_SAFE_TLS;
static __thread volatile sig_atomic_t deferred SIGNAL_SAFE_TLS;

int process_thread_inside(void)
{
    if (inside)
        deferred = 1;
    return inside;
}

void process_lock(void)
{
    pthread_once(&fork_hook_once, install_fork_hook);
    pthread_mutex_lock(&process.mutex);
    inside = 1;
}

void process_unlock(void)
{
    int signal = process.signal;

    inside = 0;
    pthread_mutex_unlock(&process.mutex);
    if (deferred) {
        deferred = 0;
        if (signal != 0)
            raise(signal);
    }
}

void process_wait(void)
{
    if (process.signal != 0 && notice_pending()) {
        process_unlock();
        notice_deliver();
        process_lock();
    } else {
        pthread_cond_wait(&process.granted, &process.mutex);
    }
}

struct namespace *process_namespace(dlm_nsp_t nsp)
{
    struct namespace *ns;

    if (nsp < 1 || nsp > DLM_NSPROCMAX)
        return NULL;
    ns = &process.ns[nsp - 1];
    return ns->state == NS_JOINED ? ns : NULL;
}
