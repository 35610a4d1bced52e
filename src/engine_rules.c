/*
 * The rules of the engine contract that do not depend on how an engine
 * keeps its locks, written once for every engine: which arguments a call
 * accepts (the combinations Linux refuses in fs/dlm/lock.c,
 * set_lock_args and validate_lock_args), which conversions QUECVT allows,
 * what a lockspace may be called, and whose a handle is after fork(2).
 */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "engine.h"

int engine_lock_args_ok(int mode, const struct engine_lksb *lksb, uint32_t flags,
                        const void *name, unsigned int namelen)
{
    if (lksb == NULL || mode < ENGINE_MODE_NL || mode > ENGINE_MODE_EX
        || (flags & ~ENGINE_LOCK_FLAGS))
        return 0;
    if ((flags & ENGINE_LKF_VALBLK) && lksb->lvb == NULL)
        return 0;
    if ((flags & ENGINE_LKF_NOQUEUE) && (flags & (ENGINE_LKF_CONVDEADLK | ENGINE_LKF_EXPEDITE)))
        return 0;
    if ((flags & ENGINE_LKF_EXPEDITE)
        && (mode != ENGINE_MODE_NL || (flags & (ENGINE_LKF_CONVERT | ENGINE_LKF_QUECVT))))
        return 0;
    if ((flags & ENGINE_LKF_ALTPR) && (flags & ENGINE_LKF_ALTCW))
        return 0;
    if ((flags & ENGINE_LKF_ORPHAN) && !(flags & ENGINE_LKF_PERSISTENT))
        return 0;
    /* A group lock is made a group's when it is made, and outlives its
     * members as the group's, not as an orphan. */
    if ((flags & ENGINE_LKF_GROUP)
        && (flags & (ENGINE_LKF_CONVERT | ENGINE_LKF_PERSISTENT | ENGINE_LKF_ORPHAN)))
        return 0;
    if (!(flags & ENGINE_LKF_CONVERT)) {
        if (flags & (ENGINE_LKF_QUECVT | ENGINE_LKF_CONVDEADLK))
            return 0;
        if (name == NULL || namelen == 0 || namelen > ENGINE_RESNAME_MAXLEN)
            return 0;
    }
    return 1;
}

int engine_unlock_args_ok(const struct engine_lksb *lksb, uint32_t flags)
{
    return lksb != NULL && !(flags & ~ENGINE_UNLOCK_FLAGS)
           && !((flags & ENGINE_LKF_CANCEL) && (flags & ENGINE_LKF_FORCEUNLOCK))
           && !((flags & ENGINE_LKF_VALBLK) && lksb->lvb == NULL);
}

int engine_quecvt_allowed(int from, int to)
{
    /* Bit t of row f: a queued conversion from f to t is allowed (VMS;
     * Linux's __quecvt_compat_matrix): upwards only, and CW/PR sideways. */
    static const unsigned char allowed[ENGINE_NMODES] = {
        0x3e,   /* NL: CR CW PR PW EX */
        0x3c,   /* CR: CW PR PW EX */
        0x38,   /* CW: PR PW EX */
        0x34,   /* PR: CW PW EX */
        0x20,   /* PW: EX */
        0x00,   /* EX: none */
    };

    return from >= ENGINE_MODE_NL && from <= ENGINE_MODE_EX && to >= ENGINE_MODE_NL
           && to <= ENGINE_MODE_EX && ((allowed[from] >> to) & 1);
}

int engine_lsname_ok(const char *name)
{
    size_t len = name != NULL ? strlen(name) : 0;

    /* Names become file and device names: no '/', no leading '.'. */
    return len > 0 && len <= ENGINE_LSNAME_MAXLEN && name[0] != '.'
           && strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
              == len;
}

static unsigned int fork_generation;
static pthread_once_t fork_hook_once = PTHREAD_ONCE_INIT;

static void after_fork_in_child(void)
{
    fork_generation++;
}

static void install_fork_hook(void)
{
    pthread_atfork(NULL, NULL, after_fork_in_child);
}

unsigned int engine_fork_generation(void)
{
    pthread_once(&fork_hook_once, install_fork_hook);
    return fork_generation;
}
