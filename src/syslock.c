#include "config.h"

#include "syslock.h"

#include <string.h>

static void syslock_ast(void *arg)
{
    struct syslock *lock = arg;

    process_lock();
    lock->busy = 0;
    pthread_cond_broadcast(&process.granted);
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

int syslock_peek(struct namespace *ns, const struct resname *name, char *lvb, uint32_t *sbflags)
{
    struct syslock reader = { 0 };
    /* An NL request is granted at once whatever the queues hold. */
    int rc = syslock_request(ns, &reader, ENGINE_MODE_NL, ENGINE_LKF_EXPEDITE | ENGINE_LKF_VALBLK,
                             name);

    if (rc != 0)
        return syslock_granted(rc);
    memcpy(lvb, reader.lvb, ENGINE_LVB_LEN);
    if (sbflags != NULL)
        *sbflags = reader.lksb.flags;
    return syslock_release(ns, &reader, 0);
}

void syslock_discard(struct namespace *ns, uint32_t lkid, void *astarg)
{
    /* Nobody waits for the release or reads its status block, which the
     * engine may write long after this returns (the Linux engine, when
     * another node masters the resource): one block of the namespace
     * takes them all.  A failed release leaves the lock until the process
     * leaves the namespace: nothing is lost but a lock nobody asked for. */
    ns->ops->unlock(ns->ls, lkid, 0, &ns->discarded, astarg);
}
