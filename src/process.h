/*
 * What one process holds in the Tru64 layer: the namespaces it joined and
 * the lock records of its locks.  One mutex guards it all; waits for a
 * grant sleep on one condition variable beside it.
 *
 * Completion and blocking routines of the engine run in each namespace's
 * listener thread (listener.h), which takes the same mutex.
 */
#ifndef DLM_TRU64_PROCESS_H
#define DLM_TRU64_PROCESS_H

#include <pthread.h>
#include <stdint.h>

#include <sys/dlm.h>

#include "engine.h"
#include "nslockspace.h"
#include "resname.h"

struct notice;
struct syslock;
struct domain;
struct index_head;

enum ns_state { NS_FREE, NS_JOINED, NS_LEAVING };

struct namespace {
    enum ns_state state;
    enum ns_kind kind;
    dlm_nsid_t nsid;
    const struct engine_ops *ops;
    struct engine_ls *ls;
    unsigned int nlocks;        /* lock records in this namespace */
    pthread_t listener;
    int stopping;               /* the listener is asked to end */
    unsigned int ntimed;        /* records with a deadline */
    unsigned int nqueued;       /* records with a request queued in the engine */
    int searchable;             /* the engine shows its locks to deadlock_search() */
    struct timespec next_search;    /* for deadlocks, while any is queued */
    struct syslock *anchors;    /* of the persistent resources it marked (persist.h) */
    struct index_head *index_heads; /* of the domains' indexes (domain_index.h) */
    struct engine_lksb discarded;   /* of releases nobody waits for (syslock_discard) */
};

/* What a request in flight waits for. */
enum wait_state {
    REQUEST_NONE,               /* nothing in flight */
    REQUEST_SYNC,               /* a thread sleeps in a synchronous call */
    REQUEST_ASYNC               /* the completion routine will be queued */
};

/* Why the engine's answer to a cancellation means what it means. */
enum cancel_reason {
    CANCEL_NONE,
    CANCEL_BY_CALLER,           /* dlm_cancel: DLM_CANCEL */
    CANCEL_BY_TIMEOUT,          /* DLM_TIMEOUT */
    CANCEL_BY_UNLOCK,           /* dlm_unlock of a pending request: DLM_ABORT */
    CANCEL_BY_DEADLOCK          /* chosen to break a deadlock: DLM_DEADLOCK */
};

struct lockrec {
    dlm_lkid_t lkid;            /* its ID (lockrec.h) */
    uint32_t index;             /* its slot in the table of records */
    int group;                  /* a group lock of the process's container (glc.h) */
    struct namespace *ns;
    struct lockrec *parent;
    unsigned int nchildren;     /* sublocks */
    struct resname resname;     /* the engine's name of its resource */
    uchar_t name[DLM_RESNAMELEN]; /* the caller's */
    ushort_t namelen;

    /* The engine's view. */
    struct engine_lksb lksb;
    char lvb[ENGINE_LVB_LEN];
    int granted;                /* granted at least once */
    dlm_lkmode_t grmode;        /* DLM_NOMODE until first granted */
    dlm_lkmode_t rqmode;        /* of the request in flight */

    /* What the owner gave with its latest request. */
    dlm_flags_t flags;
    callback_arg_t notprm;
    callback_arg_t hint;
    blk_callback_t blkrtn;
    cpl_callback_t cplrtn;
    dlm_valb_t *valb_p;         /* where an async completion copies the value */
    struct domain *domain;      /* recovery domain of a DLM_PERSIST lock */
    uint_t timeout;

    /* The request in flight. */
    enum wait_state wait;
    int converting;             /* it is a conversion (else a new lock) */
    int queued;                 /* the engine queued it (counted in nqueued) */
    int released;               /* unlocked while a thread waits on it */
    int unlocking;              /* an engine unlock awaits its completion */
    struct notice *notice;      /* reserved for an asynchronous completion */
    enum cancel_reason cancel;
    struct timespec deadline;   /* tv_sec 0: none */
    int done;                   /* the engine completed it */
    dlm_status_t result;        /* its Tru64 status, once done */
    int saved;                  /* previous notprm/hint/blkrtn kept for a cancel */
    callback_arg_t saved_notprm;
    callback_arg_t saved_hint;
    blk_callback_t saved_blkrtn;
};

struct process {
    pthread_mutex_t mutex;
    pthread_cond_t granted;     /* some synchronous request completed */
    struct namespace ns[DLM_NSPROCMAX];
    int signal;                 /* notification signal, 0: dlm_notify() */
};

extern struct process process;

void process_lock(void);
void process_unlock(void);

/* Sleep, under the mutex, until some request of this process completes
 * (process.granted is broadcast); with a notification signal chosen, run
 * the routines that are due meanwhile instead (see notice.h). */
void process_wait(void);

/* For the notification signal's handler: is the interrupted thread inside
 * the library?  If so the routines are run when it leaves. */
int process_thread_inside(void);

/* The namespace of a handle, or NULL if it is not joined. */
struct namespace *process_namespace(dlm_nsp_t nsp);

/* Tru64 and engine modes (Tru64 counts from NL = 1). */
static inline int engine_mode_of(dlm_lkmode_t mode)
{
    return (int)mode - 1;
}

static inline dlm_lkmode_t tru64_mode_of(int mode)
{
    return (dlm_lkmode_t)(mode + 1);
}

static inline int tru64_mode_ok(dlm_lkmode_t mode)
{
    return mode >= DLM_NLMODE && mode <= DLM_EXMODE;
}

#endif
