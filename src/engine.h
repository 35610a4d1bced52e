/*
 * The engine contract: what the Tru64 layer needs from a lock manager, and
 * all it may use of one.
 *
 * It is shaped after the Linux DLM (libdlm's dlm_ls_* calls) so that the
 * Linux engine implements it call for call, and the embedded engine holds
 * itself to the same semantics:
 *
 *  - a lockspace holds resources named by 1..ENGINE_RESNAME_MAXLEN opaque
 *    bytes; each resource has a 32-byte value block and three queues
 *    (granted, converting, waiting);
 *  - engine_lock() asks for a new lock or, with ENGINE_LKF_CONVERT, converts
 *    one; engine_unlock() releases or, with ENGINE_LKF_CANCEL, cancels;
 *  - a request completes asynchronously: the lock's completion routine runs
 *    with lksb->status set (0 granted, or ENGINE_EAGAIN, ENGINE_EDEADLK,
 *    ENGINE_ECANCEL, ENGINE_EUNLOCK) and lksb->flags holding ENGINE_SBF_*;
 *    a call may instead complete at once and say so (ENGINE_DONE), in which
 *    case no completion routine runs;
 *  - a granted lock that blocks another request gets its blocking routine,
 *    called with the mode the blocked request wants and its hint;
 *  - routines run only in the owning process, from engine_dispatch();
 *  - locks die with their process, except ENGINE_LKF_PERSISTENT ones,
 *    which become orphans of the lockspace until adopted (ENGINE_LKF_ORPHAN);
 *  - lock groups: processes that join a group share its group
 *    locks (ENGINE_LKF_GROUP), which any member may convert, cancel or
 *    release, and which outlive their members' deaths while the group
 *    lives (Tru64 group lock containers).
 *
 * Modes and flags have the numeric values of <linux/dlmconstants.h>, so the
 * Linux engine passes them through unchanged.  Resource trees (Tru64
 * sublocks) are not the engine's business: the Tru64 layer encodes the
 * parent path into the name.
 */
#ifndef DLM_TRU64_ENGINE_H
#define DLM_TRU64_ENGINE_H

#include <stdint.h>
#include <sys/types.h>

#define ENGINE_RESNAME_MAXLEN   64
#define ENGINE_LVB_LEN          32
#define ENGINE_LSNAME_MAXLEN    64

/* Lock modes, weakest first.  ENGINE_MODE_IV: no mode. */
enum engine_mode {
    ENGINE_MODE_IV = -1,
    ENGINE_MODE_NL = 0,
    ENGINE_MODE_CR = 1,
    ENGINE_MODE_CW = 2,
    ENGINE_MODE_PR = 3,
    ENGINE_MODE_PW = 4,
    ENGINE_MODE_EX = 5
};
#define ENGINE_NMODES 6

/* The VMS compatibility matrix: may a lock be granted mode requested
 * while another holds mode granted?  (Both valid modes.) */
static inline int engine_modes_compatible(int granted, int requested)
{
    /* Bit r of row g: requested mode r is compatible with granted g. */
    static const unsigned char rows[ENGINE_NMODES] = {
        0x3f,   /* NL: everything */
        0x1f,   /* CR: all but EX */
        0x07,   /* CW: NL CR CW */
        0x0b,   /* PR: NL CR PR */
        0x03,   /* PW: NL CR */
        0x01,   /* EX: NL */
    };

    return (rows[granted] >> requested) & 1;
}

/* Request flags (the Linux DLM_LKF_* values). */
#define ENGINE_LKF_NOQUEUE      0x00000001u /* fail with EAGAIN rather than wait */
#define ENGINE_LKF_CANCEL       0x00000002u /* engine_unlock: cancel the pending request */
#define ENGINE_LKF_CONVERT      0x00000004u /* engine_lock: convert lksb->lkid */
#define ENGINE_LKF_VALBLK       0x00000008u /* read / write the value block via lksb->lvb */
#define ENGINE_LKF_QUECVT       0x00000010u /* conversion queues behind earlier ones */
#define ENGINE_LKF_IVVALBLK     0x00000020u /* mark the value block invalid */
#define ENGINE_LKF_CONVDEADLK   0x00000040u /* break a conversion deadlock by demotion */
#define ENGINE_LKF_PERSISTENT   0x00000080u /* survive the owner as an orphan */
#define ENGINE_LKF_NODLCKWT     0x00000100u /* waiter ignored by deadlock detection */
#define ENGINE_LKF_NODLCKBLK    0x00000200u /* blocker ignored by deadlock detection */
#define ENGINE_LKF_EXPEDITE     0x00000400u /* new NL request granted ahead of queues */
#define ENGINE_LKF_NOQUEUEBAST  0x00000800u /* a failed NOQUEUE request blocks the holders */
#define ENGINE_LKF_HEADQUE      0x00001000u /* queue at the head, not the tail */
#define ENGINE_LKF_NOORDER      0x00002000u /* grant when compatible, whatever the order */
#define ENGINE_LKF_ORPHAN       0x00004000u /* with PERSISTENT: adopt an orphan */
#define ENGINE_LKF_ALTPR        0x00008000u /* may be granted in PR instead */
#define ENGINE_LKF_ALTCW        0x00010000u /* may be granted in CW instead */
#define ENGINE_LKF_FORCEUNLOCK  0x00020000u /* unlock even while a request is pending */
#define ENGINE_LKF_GROUP        0x00040000u /* new lock owned by the caller's lock group */

/* The flags engine_lock and engine_unlock accept. */
#define ENGINE_LOCK_FLAGS   (ENGINE_LKF_NOQUEUE | ENGINE_LKF_CONVERT | ENGINE_LKF_VALBLK |     \
                             ENGINE_LKF_QUECVT | ENGINE_LKF_IVVALBLK | ENGINE_LKF_CONVDEADLK | \
                             ENGINE_LKF_PERSISTENT | ENGINE_LKF_NODLCKWT |                     \
                             ENGINE_LKF_NODLCKBLK | ENGINE_LKF_EXPEDITE |                      \
                             ENGINE_LKF_NOQUEUEBAST | ENGINE_LKF_HEADQUE |                     \
                             ENGINE_LKF_NOORDER | ENGINE_LKF_ORPHAN | ENGINE_LKF_ALTPR |       \
                             ENGINE_LKF_ALTCW | ENGINE_LKF_GROUP)
#define ENGINE_UNLOCK_FLAGS (ENGINE_LKF_CANCEL | ENGINE_LKF_VALBLK | ENGINE_LKF_IVVALBLK |     \
                             ENGINE_LKF_FORCEUNLOCK)

/* Completion statuses beyond 0 (granted). */
#define ENGINE_EAGAIN           11          /* NOQUEUE request not grantable */
#define ENGINE_EDEADLK          35          /* conversion deadlock, lock reverted */
#define ENGINE_ECANCEL          125         /* request cancelled */
#define ENGINE_EUNLOCK          0x10002     /* lock released */

/* lksb->flags on completion. */
#define ENGINE_SBF_DEMOTED      0x01        /* granted mode lowered to NL (CONVDEADLK) */
#define ENGINE_SBF_VALNOTVALID  0x02        /* the value block is marked invalid */
#define ENGINE_SBF_ALTMODE      0x04        /* granted in the ALTPR/ALTCW mode */

/* Returned by engine_lock/engine_unlock when the request completed within
 * the call: lksb is final and no completion routine will run. */
#define ENGINE_DONE             1

/* The lock status block, owned by the caller for the lock's whole life. */
struct engine_lksb {
    int      status;    /* completion status */
    uint32_t lkid;      /* lock ID, set by engine_lock for new locks */
    uint32_t flags;     /* ENGINE_SBF_* */
    char    *lvb;       /* ENGINE_LVB_LEN bytes, needed with ENGINE_LKF_VALBLK */
    /* Set by the caller of engine_lock: locks with the same nonzero tag
     * have one owner for deadlock detection (a Tru64 transaction), the
     * others are owned by their process.  Reported by inspect. */
    uint64_t owner_tag;
    /* Set by the caller of engine_lock: handed to the blocking routines
     * of the locks this request waits for (Tru64's hint).  An engine that
     * cannot carry it hands them 0. */
    uint64_t hint;
};

typedef void engine_ast_fn(void *astarg);
typedef void engine_bast_fn(void *astarg, int blocked_mode, uint64_t hint);

/* How to open a lockspace.  With create set, a missing lockspace is made,
 * owned by uid:gid with the given permission mode; the system then refuses
 * whoever that mode does not admit. */
struct engine_ls_spec {
    const char *name;   /* 1..ENGINE_LSNAME_MAXLEN of [A-Za-z0-9_.-] */
    uid_t uid;
    gid_t gid;
    mode_t mode;
    int create;
};

struct engine_ls;

/* Introspection: a consistent picture of the locks of one resource or of
 * the whole lockspace, for deadlock detection and queries. */
enum engine_queue {
    ENGINE_QUEUE_GRANTED,
    ENGINE_QUEUE_CONVERTING,    /* granted at grmode, waiting for rqmode */
    ENGINE_QUEUE_WAITING        /* never granted yet */
};

struct engine_resource_info {
    unsigned char name[ENGINE_RESNAME_MAXLEN];
    unsigned int namelen;
    char lvb[ENGINE_LVB_LEN];
    int lvb_valid;              /* 0 once marked invalid, until rewritten */
    uint32_t lvb_seq;           /* counts the writes of the value block */
};

struct engine_lock_info {
    uint32_t lkid;
    pid_t pid;                  /* owning process; 0 for an orphan */
    int node;                   /* 0: pid is a process of this machine; else the
                                 * cluster node ID of the machine it runs on (the
                                 * Linux engine's snapshot, engine_admin.h) */
    int grmode;                 /* ENGINE_MODE_IV while waiting */
    int rqmode;                 /* ENGINE_MODE_IV when granted */
    enum engine_queue queue;
    uint32_t flags;             /* ENGINE_LKF_* of its latest request */
    int has_bast;               /* its owner gave a blocking routine */
    uint64_t owner_tag;         /* engine_lksb.owner_tag of its latest request */
    uint32_t group;             /* its lock group; 0 for a process's own lock */
    unsigned int resource;      /* index of its resource in the picture */
};

/* The buffers an inspection fills: in, the capacities; out, how many
 * there are, which may exceed the capacities (then only that many were
 * copied, and a caller that wants them all asks again with more room). */
struct engine_picture {
    struct engine_resource_info *resources;
    unsigned int nresources;
    struct engine_lock_info *locks;
    unsigned int nlocks;
};

/* A lockspace's totals, for administration and tests. */
struct engine_census {
    unsigned long locks;        /* lock blocks in use, orphans included */
    unsigned long resources;
    unsigned long processes;    /* attached processes */
};

/* One engine.  Every call returns 0 (or ENGINE_DONE) on success and a
 * negative errno on failure:
 *   -EINVAL  bad argument, mode or flag combination
 *   -ENOENT  unknown lock ID (or lockspace, without create; with create,
 *            the place to create it in)
 *   -EBUSY   a request is already pending on the lock
 *   -ENOMEM  the lockspace is full
 *   -EACCES  the system refused access to the lockspace
 *   -ENOSYS  the engine is not available on this machine
 *   -EIO     the lockspace's state is damaged or of another version
 *
 * Lock groups.  A
 * process is a member of at most one group per lockspace; a group is
 * named by a nonzero number that the caller chooses, the same in every
 * lockspace.  A new request with ENGINE_LKF_GROUP makes a lock of the
 * caller's group.  A member's convert, cancel or unlock of a group lock
 * takes it over (its routines become the caller's, the previous
 * manipulator's pending notifications are dropped), unless another live
 * member has a request in flight on it, or has yet to hear of its end
 * (-EBUSY).  When a member dies, its
 * group locks stay, granted, with no owner; when no live member is left
 * and the group is not permanent, they are released.  group_leave()
 * leaves them with no owner too, and makes the caller's waiting group
 * requests its own locks; the caller cancels its conversions first
 * (-EBUSY otherwise).  group_release() releases every lock of a group,
 * and group_locks() counts them; neither needs the caller to be a member.
 * lock_query() describes one lock of the group the caller is a member
 * of (an engine may describe any lock of the lockspace).  A group lock
 * that a member takes over by an unlock or a cancel, without a request
 * of its own on it, completes through the routines the member gave
 * group_join() (an engine whose unlocks and cancels complete within the
 * call may ignore them).
 */
struct engine_ops {
    const char *name;

    int (*ls_open)(const struct engine_ls_spec *spec, struct engine_ls **ls);
    void (*ls_close)(struct engine_ls *ls);

    int (*lock)(struct engine_ls *ls, int mode, struct engine_lksb *lksb, uint32_t flags,
                const void *name, unsigned int namelen,
                engine_ast_fn *ast, void *astarg, engine_bast_fn *bast);
    int (*unlock)(struct engine_ls *ls, uint32_t lkid, uint32_t flags,
                  struct engine_lksb *lksb, void *astarg);

    /* Wait until a routine may be pending for this process, or another
     * thread of it has run routines, or the timeout (ms, -1: none) passes;
     * then engine_dispatch() runs what is pending and returns how many
     * routines ran.  Any thread may wait and dispatch: a thread waiting for
     * its own request checks, after each wake-up, whether it completed. */
    int (*wait)(struct engine_ls *ls, int timeout_ms);
    int (*dispatch)(struct engine_ls *ls);

    /* Make a wait in progress in another thread of this process return
     * (and the next one, if none is in progress). */
    void (*wake)(struct engine_ls *ls);

    int (*census)(struct engine_ls *ls, struct engine_census *census);

    /* The resource of that name (-ENOENT if none), or with name NULL all
     * of them, with their locks, queue by queue, in queue order. */
    int (*inspect)(struct engine_ls *ls, const void *name, unsigned int namelen,
                   struct engine_picture *picture);

    int (*group_join)(struct engine_ls *ls, uint32_t group, int permanent,
                      engine_ast_fn *ast, engine_bast_fn *bast);
    int (*group_leave)(struct engine_ls *ls);
    int (*group_release)(struct engine_ls *ls, uint32_t group);
    int (*group_locks)(struct engine_ls *ls, uint32_t group);
    int (*lock_query)(struct engine_ls *ls, uint32_t lkid, struct engine_lock_info *lock,
                      struct engine_resource_info *resource);
};

extern const struct engine_ops engine_embedded;
/* The kernel DLM through libdlm (src/linux/): one node or a cluster with
 * corosync and dlm_controld. */
extern const struct engine_ops engine_linux;

/* The engine the configuration names, or NULL with *error set (-ENOSYS:
 * unknown or unavailable). */
const struct engine_ops *engine_configured(int *error);

/* The contract's rules, the same for every engine (engine_rules.c): are
 * these the arguments of a valid engine_lock / engine_unlock call; may a
 * QUECVT conversion go from one mode to the other; is this a lockspace
 * name; and the fork generation of this process (a handle opened in
 * another generation belongs to the parent of a fork). */
int engine_lock_args_ok(int mode, const struct engine_lksb *lksb, uint32_t flags,
                        const void *name, unsigned int namelen);
int engine_unlock_args_ok(const struct engine_lksb *lksb, uint32_t flags);
int engine_quecvt_allowed(int from, int to);
int engine_lsname_ok(const char *name);
unsigned int engine_fork_generation(void);

#endif
