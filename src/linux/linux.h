/*
 * The Linux engine: the engine contract (engine.h) over the kernel DLM.
 *
 * Which path each operation takes to the kernel:
 *
 *   ls_open/ls_close   libdlm: dlm_open_lockspace, dlm_new_lockspace,
 *                      dlm_close_lockspace                    (lockspace.c)
 *   lock (new/convert) libdlm: dlm_ls_lock, a new lock always with
 *                      VALBLK: the kernel gives a lock its value block
 *                      buffer only then, and an unlock can write the
 *                      value block only from that buffer   (lockcall.c)
 *   unlock/cancel      our own unlock request on the lockspace device, with
 *                      the UAPI layout of <linux/dlm_device.h> (unlock.c):
 *                      libdlm's dlm_ls_unlock sends 32 uninitialised bytes
 *                      as the value block, which the kernel stores into the
 *                      resource when the lock is PW/EX and its last request
 *                      carried VALBLK; it also cannot write a value block
 *                      on unlock at all.
 *   completions and    our own reader of the lockspace fd (dispatch.c):
 *   blocking callbacks libdlm's dlm_dispatch reads the blocked mode the
 *                      kernel delivers with each blocking callback and
 *                      throws it away (its bast type is void (*)(void *)),
 *                      while the contract hands it to the blocking routine.
 *                      A request the kernel completed within its write
 *                      (its result already queued when the write returns)
 *                      completes within the engine's call (ENGINE_DONE).
 *   wait/wake          poll(2) on the lockspace fd and an eventfd
 *   census, and the    the kernel's debugfs dump, when mounted, read by
 *   administration's   dump.c (debugfs.c); inspect has no picture to give
 *   snapshot
 *
 * <libdlm.h> and <linux/dlm_device.h> both define struct dlm_lksb, so each
 * translation unit includes one of them only.  This header includes
 * neither: the lock status block the kernel fills is declared here with the
 * same layout, and each side checks the layout at compile time.
 */
#ifndef DLM_TRU64_LINUX_ENGINE_H
#define DLM_TRU64_LINUX_ENGINE_H

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine.h"

/* The kernel's (and libdlm's) struct dlm_lksb, layout for layout. */
struct kernel_lksb {
    int      sb_status;
    uint32_t sb_lkid;
    char     sb_flags;
    char    *sb_lvbptr;
};

/* What is in flight on a lock, as far as this process knows. */
enum lock_pending {
    PENDING_NONE,
    PENDING_REQUEST,    /* new request or conversion sent, no completion yet */
    PENDING_UNLOCK,     /* unlock sent */
    PENDING_CANCEL      /* cancel sent on top of a pending request */
};

/*
 * One lock of this process.  Its address is the callback parameter the
 * kernel hands back with every completion and blocking callback, so it
 * lives until the lock's last completion (EUNLOCK, or EAGAIN/ECANCEL of a
 * request that was never granted) or until the lockspace is closed.
 */
struct linux_lock {
    struct kernel_lksb klksb;       /* the kernel's copy: given to libdlm */
    uint32_t lkid;
    struct engine_lksb *lksb;       /* the caller's */
    engine_ast_fn *ast;
    engine_bast_fn *bast;
    void *astarg;
    int grmode;                     /* ENGINE_MODE_IV until first granted */
    int rqmode;                     /* mode of the latest request */
    uint32_t flags;                 /* ENGINE_LKF_* of the latest request */
    int kernel_valblk;              /* the kernel got that request with VALBLK */
    enum lock_pending pending;
    /* The value block as the kernel's copy for this lock holds it: what
     * the kernel stores into the resource on unlock of a PW/EX lock whose
     * latest request carried VALBLK, even when the unlock does not. */
    char lvb[ENGINE_LVB_LEN];
    int lvb_invalid;
    struct linux_lock *next;        /* hash chain */
};

#define LINUX_LOCK_BUCKETS 256

struct linux_result;

struct linux_ls {
    void *handle;                   /* libdlm's dlm_lshandle_t */
    int fd;                         /* the lockspace device, O_NONBLOCK */
    int wake_fd;                    /* eventfd: wake() and "routines ran" */
    unsigned int opener;            /* fork generation of the opener: a forked
                                     * child may not use the handle */
    char name[ENGINE_LSNAME_MAXLEN + 1];

    pthread_mutex_t mutex;          /* the lock table, reads of the fd, the
                                     * backlog and wait bookkeeping */
    struct linux_lock *buckets[LINUX_LOCK_BUCKETS];
    unsigned long nlocks;
    /* Results read from the fd before their turn (dispatch.c), oldest
     * first: delivered before anything the fd still holds. */
    struct linux_result *backlog;
    struct linux_result **backlog_tail;

    pthread_mutex_t dispatch_mutex; /* one reader of the fd at a time */
    unsigned int waiters;           /* threads inside wait() */
    unsigned long generation;       /* bumped by wake() and by dispatch */
    int wake_pending;               /* wake() with nobody waiting */
    int wake_signalled;             /* wake_fd holds a count */
};

static inline struct linux_ls *linux_ls_of(struct engine_ls *ls)
{
    return (struct linux_ls *)ls;
}

/* lockspace.c */
int linux_available(void);
int linux_ls_open(const struct engine_ls_spec *spec, struct engine_ls **ls);
void linux_ls_close(struct engine_ls *ls);
int linux_ls_usable(const struct linux_ls *ls);
int linux_errno_result(int error);

/* table.c: the locks of this process by lock ID; the caller holds ls->mutex. */
struct linux_lock *lock_table_find(struct linux_ls *ls, uint32_t lkid);
struct linux_lock *lock_table_find_exact(struct linux_ls *ls, uint32_t lkid, const void *lock);
void lock_table_insert(struct linux_ls *ls, struct linux_lock *lock);
void lock_table_remove(struct linux_ls *ls, struct linux_lock *lock);
void lock_table_free_all(struct linux_ls *ls);

/* lockcall.c */
int linux_lock(struct engine_ls *ls, int mode, struct engine_lksb *lksb, uint32_t flags,
               const void *name, unsigned int namelen,
               engine_ast_fn *ast, void *astarg, engine_bast_fn *bast);
/* The two routine addresses the kernel hands back, telling a completion
 * from a blocking callback; never called. */
extern const void *const linux_completion_tag;
extern const void *const linux_blocking_tag;

/* unlock.c */
int linux_unlock(struct engine_ls *ls, uint32_t lkid, uint32_t flags,
                 struct engine_lksb *lksb, void *astarg);

/* dispatch.c */
/* Right after lock's request was sent, ls->mutex held: if the kernel has
 * already queued its completion, take it in (no routine runs) and return
 * 1; else 0.  Results of other locks read meanwhile wait in the backlog. */
int linux_completed_at_once(struct linux_ls *ls, struct linux_lock *lock);
void linux_backlog_free(struct linux_ls *ls);
int linux_wait(struct engine_ls *ls, int timeout_ms);
int linux_dispatch(struct engine_ls *ls);
void linux_wake(struct engine_ls *ls);

/* debugfs.c; the _read forms take a dump already open (dump.h). */
int linux_census(struct engine_ls *ls, struct engine_census *census);
int linux_census_read(FILE *dump, struct engine_census *census);
int linux_inspect(struct engine_ls *ls, const void *name, unsigned int namelen,
                  struct engine_picture *picture);
/* The administration's snapshot (engine_admin.h): 0 or a negative
 * errno; picture_free() frees the picture. */
int linux_snapshot(struct engine_ls *ls, struct engine_picture *picture);
int linux_snapshot_read(FILE *dump, struct engine_picture *picture);

#endif
