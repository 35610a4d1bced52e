#include "config.h"

#include "listener.h"

#include <signal.h>

#include "request.h"

static void *listen(void *arg)
{
    struct namespace *ns = arg;

    for (;;) {
        int timeout_ms;

        process_lock();
        if (ns->stopping) {
            process_unlock();
            return NULL;
        }
        timeout_ms = request_timers(ns);
        process_unlock();
        ns->ops->wait(ns->ls, timeout_ms);
        ns->ops->dispatch(ns->ls);
    }
}

int listener_start(struct namespace *ns)
{
    sigset_t all, previous;
    int rc;

    /* The thread inherits this mask: every signal blocked. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    ns->stopping = 0;
    rc = pthread_create(&ns->listener, NULL, listen, ns);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    return rc;
}

void listener_stop(struct namespace *ns)
{
    process_lock();
    ns->stopping = 1;
    process_unlock();
    ns->ops->wake(ns->ls);
    pthread_join(ns->listener, NULL);
}
