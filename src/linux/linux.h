/*
 * The Linux engine: the engine contract (engine.h) over the kernel DLM.
 *
 * Which path each operation takes to the kernel:
 *
 *   ls_open/ls_close   libdlm: dlm_open_lockspace, dlm_new_lockspace,
 *                      dlm_close_lockspace                    (lockspace.c)
 *   lock (new/convert) our own lock request on the lockspace device
 *                      (device.c, lockcall.c), a new lock always with
 *                      VALBLK: the kernel gives a lock its value block
 *                      buffer only then, and an unlock can write the
 *                      value block only from that buffer
 *   unlock/cancel      our own unlock request (unlock.c): libdlm's
 *                      dlm_ls_unlock sends 32 uninitialised bytes
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
 *   lock groups        a second open of the lockspace device that the
 *                      group's members share (group.c, group_table.c,
 *                      group_carrier.c)
 *   census, and the    the kernel's debugfs dump, when mounted, read by
 *   administration's   dump.c (debugfs.c); inspect has no picture to give
 *   snapshot
 */
#ifndef DLM_TRU64_LINUX_ENGINE_H
#define DLM_TRU64_LINUX_ENGINE_H

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine.h"

/* What is in flight on a lock, as far as this process knows. */
enum lock_pending {
    PENDING_NONE,
    PENDING_REQUEST,    /* new request or conversion sent, no completion yet */
    PENDING_UNLOCK,     /* unlock sent */
    PENDING_CANCEL      /* cancel sent on top of a pending request */
};

/* What the kernel does not tell about a lock: its granted mode (a
 * completion says "granted", not at what mode), what is in flight, and
 * the value block the kernel's copy of the lock holds, which the kernel
 * stores into the resource on unlock of a PW/EX lock whose latest request
 * carried VALBLK, even when the unlock does not.  Plain data: a group
 * lock's lives in memory its members share (group.h). */
struct lock_state {
    int grmode;                     /* ENGINE_MODE_IV until first granted */
    int rqmode;                     /* mode of the latest request */
    uint32_t flags;                 /* ENGINE_LKF_* of the latest request */
    int kernel_valblk;              /* the kernel got that request with VALBLK */
    enum lock_pending pending;
    char lvb[ENGINE_LVB_LEN];
    int lvb_invalid;
};

/*
 * One lock of this process, or this process's view of a group lock that
 * it manipulates (a mirror of the group's entry, group.h).  Its address
 * is the callback parameter the kernel hands back with every completion
 * and blocking callback of a lock of its own (a group lock's is its
 * route, which names the member), so it lives until the lock's last
 * completion (EUNLOCK, or EAGAIN/ECANCEL of a request that was never
 * granted) or until the lockspace is closed.
 */
struct linux_lock {
    uint32_t lkid;
    struct engine_lksb *lksb;       /* the caller's */
    engine_ast_fn *ast;
    engine_bast_fn *bast;
    void *astarg;
    struct lock_state st;
    uint64_t route;                 /* a group lock's callback parameter; 0: own lock */
    int counted;                    /* counted in ls->interest (table.c) */
    struct linux_lock *next;        /* hash chain */
};

/* The parameter the kernel hands back with the lock's callbacks. */
static inline const void *linux_lock_param(const struct linux_lock *lock)
{
    return lock->route != 0 ? (const void *)(uintptr_t)lock->route : (const void *)lock;
}

#define LINUX_LOCK_BUCKETS 256

struct linux_result;
struct linux_group;

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
    /* The locks whose results may come on the device unasked: with a
     * request or unlock in flight, or a blocking routine.  While there is
     * none, wait() leaves the device alone, so that results the callers
     * read themselves (a request the kernel settles within its write)
     * wake no thread. */
    unsigned long interest;
    /* Results read from the fd before their turn (dispatch.c), oldest
     * first: delivered before anything the fd still holds. */
    struct linux_result *backlog;
    struct linux_result **backlog_tail;

    pthread_mutex_t dispatch_mutex; /* one reader of the fd at a time */
    unsigned int waiters;           /* threads inside wait() */
    unsigned long generation;       /* bumped by wake() and by dispatch */
    int wake_pending;               /* wake() with nobody waiting */
    int wake_signalled;             /* wake_fd holds a count */

    struct linux_group *group;      /* the lock group joined here, or NULL */
};

static inline struct linux_ls *linux_ls_of(struct engine_ls *ls)
{
    return (struct linux_ls *)ls;
}

/* group.c: the contract's lock groups (group.h) */
int linux_group_join(struct engine_ls *ls, uint32_t group, int permanent,
                     engine_ast_fn *ast, engine_bast_fn *bast);
int linux_group_leave(struct engine_ls *ls);
int linux_group_release(struct engine_ls *ls, uint32_t group);
int linux_group_locks(struct engine_ls *ls, uint32_t group);
int linux_lock_query(struct engine_ls *ls, uint32_t lkid, struct engine_lock_info *lock,
                     struct engine_resource_info *resource);

/* lockspace.c */
int linux_available(void);
int linux_ls_open(const struct engine_ls_spec *spec, struct engine_ls **ls);
void linux_ls_close(struct engine_ls *ls);
int linux_ls_usable(const struct linux_ls *ls);
int linux_errno_result(int error);

/* device.c: one request written to a lockspace device in the layout of
 * <linux/dlm_device.h>; the kernel's answer, a new lock's ID (or 0) or a
 * negative errno. */
struct device_request {
    int unlock;                     /* DLM_USER_UNLOCK, else DLM_USER_LOCK */
    int mode;
    uint32_t flags;                 /* the kernel's DLM_LKF_* */
    uint32_t lkid;                  /* of a conversion, unlock or cancel */
    const void *name;               /* of a new lock */
    unsigned int namelen;
    const char *lvb;                /* ENGINE_LVB_LEN bytes, or NULL */
    const void *param;              /* handed back with its callbacks */
    int blocking;                   /* the lock wants blocking callbacks */
};
long device_send(int fd, const struct device_request *request);

/* table.c: the locks of this process by lock ID; the caller holds ls->mutex. */
struct linux_lock *lock_table_find(struct linux_ls *ls, uint32_t lkid);
struct linux_lock *lock_table_find_exact(struct linux_ls *ls, uint32_t lkid, const void *param);
void lock_table_insert(struct linux_ls *ls, struct linux_lock *lock);
void lock_table_remove(struct linux_ls *ls, struct linux_lock *lock);
/* After a change to a lock of the table (and after inserting it): count
 * it in ls->interest or not, waking a waiter when the device is to be
 * watched anew.  A request that may complete within the call is synced
 * after that is known, lest its sending wake a thread for nothing. */
void lock_table_sync(struct linux_ls *ls, struct linux_lock *lock);
void lock_table_free_all(struct linux_ls *ls);

/* lockcall.c: note_request remembers a request in a lock's state. */
void lock_state_note_request(struct lock_state *st, int mode, uint32_t flags,
                             const struct engine_lksb *lksb);
int linux_lock(struct engine_ls *ls, int mode, struct engine_lksb *lksb, uint32_t flags,
               const void *name, unsigned int namelen,
               engine_ast_fn *ast, void *astarg, engine_bast_fn *bast);
/* Send lock's request (its state noted) with these flags to its device,
 * ls->mutex held; 0 or -errno.  A new lock gets its ID. */
int linux_send_request(struct linux_ls *ls, struct linux_lock *lock, int mode, uint32_t flags,
                       const void *name, unsigned int namelen);
/* The lock a call on lkid is about: 0 with *lock one of this process's
 * own, or a group lock claimed for the call (group.h), or -ENOENT/-EBUSY. */
int linux_lock_for_call(struct linux_ls *ls, uint32_t lkid, struct linux_lock **lock);
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
 * 1; else 0, the lock watched from now on (lock_table_sync).  Results of
 * other locks read meanwhile wait in the backlog. */
int linux_completed_at_once(struct linux_ls *ls, struct linux_lock *lock);
/* Apply a completion (the kernel's status and flags) to a lock's state;
 * *sbflags becomes what the caller's status block gets. */
enum settled {
    SETTLED,            /* the caller hears of it */
    SETTLED_END,        /* and it ends the lock */
    SETTLED_UNHEARD     /* the end of a request that a forced unlock
                         * overtook: nobody hears of it (engine.h) */
};
enum settled lock_state_settle(struct lock_state *st, int kernel_status, uint32_t *sbflags,
                               const char *lvb);
/* A result read elsewhere (a group's carrier) for this process: queued to
 * be delivered, the waiters woken; the caller holds ls->mutex.  0 or
 * -ENOMEM. */
int linux_backlog_push(struct linux_ls *ls, const void *result, size_t length);
/* The value block that came with a result, or NULL. */
const char *linux_result_lvb(const void *result, size_t length);
/* Room for one result: the structure, the value block after it, slack
 * (for the files that include <linux/dlm_device.h>). */
#define LINUX_RESULT_ROOM (sizeof(struct dlm_lock_result) + DLM_USER_LVB_LEN + 64)
void linux_backlog_free(struct linux_ls *ls);
int linux_wait(struct engine_ls *ls, int timeout_ms);
int linux_dispatch(struct engine_ls *ls);
void linux_wake(struct engine_ls *ls);
/* The monotonic clock, in milliseconds. */
long long linux_now_ms(void);
/* Let a thread inside wait() go, or the next one; ls->mutex held. */
void linux_wake_locked(struct linux_ls *ls);

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
