#include "config.h"

#include "result.h"

#include <errno.h>

struct mapping {
    int engine;
    dlm_status_t status;
};

static const struct mapping errors[] = {
    { -EINVAL, DLM_BADPARAM },
    { -ENOENT, DLM_IVLOCKID },
    { -EBUSY,  DLM_LKBUSY },
    { -ENOMEM, DLM_INSFMEM },
    { -EACCES, DLM_NOACCESS },
    { -EPERM,  DLM_NOACCESS },
    { -ENOSYS, DLM_ENOSYS },
    { -ESRCH,  DLM_NOTATTACHED },
    { -EUSERS, DLM_INSFMEM },       /* no process slot left in the lockspace */
    { -ENOSPC, DLM_INSFMEM },       /* a recovery domain's index is full */
    { -EIO,    DLM_UNEXPERR },
};

/* Opening a lockspace, which is created where missing: what cannot be
 * found then is no lock but the lock manager's own ground - the embedded
 * engine's lockspace directory (whose parent it never makes, or which is
 * not a directory), the Linux engine's devices.  A setting too long
 * (settings.h) names no engine or directory at all: no lock manager
 * either, as an unknown engine is none; nor does a configuration file
 * that cannot be read (one that only root may read: DLM_NOACCESS). */
static const struct mapping opening[] = {
    { -ENOENT,       DLM_ENOSYS },
    { -ENOTDIR,      DLM_ENOSYS },
    { -ENAMETOOLONG, DLM_ENOSYS },
    { -EISDIR,       DLM_ENOSYS },  /* a configuration file that is a directory */
};

static const struct mapping completions[] = {
    { ENGINE_EAGAIN,  DLM_NOTQUEUED },
    { ENGINE_EDEADLK, DLM_DEADLOCK },
    { ENGINE_EUNLOCK, DLM_SUCCESS },
};

/* A cancelled request reports why it was cancelled (Tru64: DLM_CANCEL
 * after dlm_cancel, DLM_TIMEOUT on expiry, DLM_ABORT when unlocked,
 * DLM_DEADLOCK when chosen as a deadlock's victim). */
static const dlm_status_t cancelled[] = {
    [CANCEL_NONE]       = DLM_CANCEL,
    [CANCEL_BY_CALLER]  = DLM_CANCEL,
    [CANCEL_BY_TIMEOUT] = DLM_TIMEOUT,
    [CANCEL_BY_UNLOCK]  = DLM_ABORT,
    [CANCEL_BY_DEADLOCK] = DLM_DEADLOCK,
};

#define LOOK_UP(table, engine, otherwise) \
    look_up(table, sizeof table / sizeof table[0], engine, otherwise)

static dlm_status_t look_up(const struct mapping *table, size_t n, int engine,
                            dlm_status_t otherwise)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (table[i].engine == engine)
            return table[i].status;
    return otherwise;
}

dlm_status_t result_of_error(int error)
{
    return LOOK_UP(errors, error, DLM_UNEXPERR);
}

dlm_status_t result_of_open(int error)
{
    return LOOK_UP(opening, error, result_of_error(error));
}

dlm_status_t result_of_completion(const struct lockrec *rec, int status, uint32_t sbflags,
                                  int immediate)
{
    /* Only a request that asked for the value block hears of its state. */
    int invalid = (sbflags & ENGINE_SBF_VALNOTVALID) && (rec->flags & DLM_VALB);

    if (status == 0) {
        /* DLM_SYNCSTS: an immediate grant says so (and has no completion). */
        if (immediate && (rec->flags & DLM_SYNCSTS))
            return invalid ? DLM_SYNCVALNOTVALID : DLM_SYNCH;
        return invalid ? DLM_SUCCVALNOTVALID : DLM_SUCCESS;
    }
    if (status == ENGINE_ECANCEL)
        return cancelled[rec->cancel];
    if (status < 0)
        return result_of_error(status);
    return LOOK_UP(completions, status, DLM_UNEXPERR);
}
