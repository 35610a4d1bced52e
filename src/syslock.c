#include "config.h"

#include "syslock.h"

#include <stdlib.h>

static void syslock_ast(void *arg)
{
    struct syslock *lock = arg;

    process_lock();
    if (lock->discard) {
        free(lock);
    } else {
        lock->busy = 0;
        pthread_cond_broadcast(&process.granted);
    }
    process_unlock();
}

/* Wait for the end of a call that returned rc: the completion status, or
 * the call's own error. */
static int finish(struct syslock *lock, int rc)
{
    if (rc < 0)
        return rc;
    if (rc == 0) {
        lock->busy = 1;
        while (lock->busy)
            process_wait();
    }
    return lock->lksb.status;
}

/* name: NULL for a conversion. */
int syslock_request(struct namespace *ns, struct syslock *lock, int mode, uint32_t flags,
                    const struct resname *name)
{
    lock->lksb.lvb = lock->lvb;
    return finish(lock, ns->ops->lock(ns->ls, mode, &lock->lksb, flags,
                                      name != NULL ? name->bytes : NULL,
                                      name != NULL ? name->len : 0, syslock_ast, lock, NULL));
}

int syslock_release(struct namespace *ns, struct syslock *lock, uint32_t flags)
{
    int rc = finish(lock, ns->ops->unlock(ns->ls, lock->lksb.lkid, flags, &lock->lksb, lock));

    return rc == ENGINE_EUNLOCK ? 0 : rc;
}

void syslock_discard(struct namespace *ns, uint32_t lkid)
{
    struct syslock *lock = calloc(1, sizeof *lock);
    int rc;

    /* Without memory, the lock stays until the process leaves the
     * namespace: nothing is lost but a lock that nobody asked for. */
    if (lock == NULL)
        return;
    lock->lksb.lvb = lock->lvb;
    lock->discard = 1;
    rc = ns->ops->unlock(ns->ls, lkid, 0, &lock->lksb, lock);
    if (rc != 0)
        free(lock);
}
