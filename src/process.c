/*
 * The process's Tru64 state, and what becomes of it across fork(2): the
 * child of a fork owns none of its parent's locks or namespaces (Tru64
 * ties both to the process), so it starts empty.
 */
#include "config.h"

#include "process.h"

#include "lockrec.h"
#include "notice.h"

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
    for (i = 0; i < DLM_NSPROCMAX; i++) {
        if (process.ns[i].state != NS_FREE)
            process.ns[i].ops->ls_close(process.ns[i].ls);
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

void process_lock(void)
{
    pthread_once(&fork_hook_once, install_fork_hook);
    pthread_mutex_lock(&process.mutex);
}

void process_unlock(void)
{
    pthread_mutex_unlock(&process.mutex);
}

struct namespace *process_namespace(dlm_nsp_t nsp)
{
    struct namespace *ns;

    if (nsp < 1 || nsp > DLM_NSPROCMAX)
        return NULL;
    ns = &process.ns[nsp - 1];
    return ns->state == NS_JOINED ? ns : NULL;
}
