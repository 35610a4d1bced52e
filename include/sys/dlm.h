/*
 * <sys/dlm.h> - the Tru64 UNIX / TruCluster Server Distributed Lock Manager
 * API, as provided on Linux by libdlm_tru64.
 *
 * Names, prototypes and values follow what is known of the Tru64 header.
 * Where the Tru64 record is silent this implementation has chosen, and each
 * such choice is marked "Choice:" below.  The choices are part of the ABI of
 * this library and do not change between releases of the same soname.
 *
 * The header is self-contained, valid C89 through C11 and C++, and declares
 * nothing outside the dlm_/DLM_ name space except the Tru64 type names that
 * the documented prototypes use (uchar_t, ushort_t, uint_t, ulong_t,
 * callback_arg_t, cpl_callback_t, blk_callback_t, usr_lk_states_t and its
 * four states).
 */
#ifndef DLM_TRU64_SYS_DLM_H
#define DLM_TRU64_SYS_DLM_H

#include <sys/types.h>          /* pid_t */
#include <tru64/types.h>        /* uchar_t, ushort_t, uint_t, ulong_t */

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Sizes and limits
 * ------------------------------------------------------------------------ */

/* Longest resource name, in bytes (names are 1..DLM_RESNAMELEN opaque
 * bytes).  Choice: 32 (Tru64 needed at least 28; VMS allows 31). */
#define DLM_RESNAMELEN          32

/* Size of a lock value block, in longwords (32-bit words).
 * Choice: 4 longwords, 16 bytes, as on VMS. */
#define DLM_VALBLKSIZE          4

/* Namespaces one process may join at once; also the largest ns_num of
 * dlm_glc_create().  Choice: 16. */
#define DLM_NSPROCMAX           16

/* Longest recovery domain name, in characters, without the NUL.
 * Choice: 31. */
#define DLM_RDNAMELEN           31

/* ------------------------------------------------------------------------
 * Basic types
 * ------------------------------------------------------------------------ */

typedef int             dlm_status_t;   /* DLM_SUCCESS, DLM_BADPARAM, ... */
typedef unsigned int    dlm_nsid_t;     /* 0 (system), a UID or a GID */
typedef int             dlm_nsp_t;      /* namespace handle, per process */
typedef int             dlm_lkmode_t;   /* DLM_NLMODE .. DLM_EXMODE */
typedef dlm_lkmode_t    dlm_lock_mode_t; /* alternative spelling seen in Tru64 code */
typedef unsigned int    dlm_flags_t;    /* lock and namespace flags */
typedef unsigned int    dlm_glc_flags_t;
typedef unsigned int    dlm_rd_flags_t;

/* Transaction ID for deadlock detection (DLM_TXID_LOCAL/GLOBAL).  An 8-byte
 * scalar on LP64, as on Tru64 (Alpha was LP64). */
typedef unsigned long   dlm_trans_id_t;

/* Group lock container ID; machine-local, 0 means "none". */
typedef unsigned int    dlm_glc_id_t;

/* Recovery domain handle, per process; 0 means "no domain". */
typedef int             dlm_rd_id_t;

/* Handle of a collection made by dlm_rd_collect(). */
typedef unsigned long   dlm_rd_collection_hndl_t;

/* Argument handed back to completion and blocking routines.
 * Choice: a pointer, so that an object's address passes without a cast. */
typedef void           *callback_arg_t;

/* A lock ID: two 32-bit words, sequence number first.  An all-zero lock ID
 * (like a NULL pointer) means "no lock": a root lock when used as a parent,
 * "every lock of the process" for dlm_unlock() with DLM_DEQALL. */
typedef struct dlm_lkid {
    uint_t seqn;
    uint_t hndl;
} dlm_lkid_t;

/* A lock value block: DLM_VALBLKSIZE longwords of application data
 * attached to a resource. */
typedef struct dlm_valb {
    uint_t valblk[DLM_VALBLKSIZE];
} dlm_valb_t;

/* ------------------------------------------------------------------------
 * Lock modes (Tru64 numbers them from 1; 0 means "no mode")
 * ------------------------------------------------------------------------ */

#define DLM_NOMODE              0       /* no mode granted (not a request mode) */
#define DLM_NLMODE              1       /* Null */
#define DLM_CRMODE              2       /* Concurrent Read */
#define DLM_CWMODE              3       /* Concurrent Write */
#define DLM_PRMODE              4       /* Protected Read */
#define DLM_PWMODE              5       /* Protected Write */
#define DLM_EXMODE              6       /* Exclusive */

/* State of a lock, reported by dlm_get_lkinfo().  Choice: the Tru64
 * spellings are not all known; GRANTED is, and the others follow it. */
typedef enum usr_lk_states {
    INTRANSIT  = 0,     /* between queues (being granted or released) */
    GRANTED    = 1,     /* on the granted queue */
    CONVERTING = 2,     /* granted, with a conversion queued */
    WAITING    = 3      /* new request, not yet granted */
} usr_lk_states_t;

/* ------------------------------------------------------------------------
 * Lock request flags (dlm_flags_t of the lock, convert and unlock calls).
 * Bit positions are those of the Tru64 header; bits 0-2 and 11 are unused.
 * ------------------------------------------------------------------------ */

#define DLM_NOQUEUE             0x00000008  /* fail with DLM_NOTQUEUED rather than wait */
#define DLM_SYNCSTS             0x00000010  /* report an immediate grant as DLM_SYNCH */
#define DLM_NODLCKWT            0x00000020  /* as a waiter, ignored by deadlock detection */
#define DLM_NODLCKBLK           0x00000040  /* as a blocker, ignored by deadlock detection */
#define DLM_EXPEDITE            0x00000080  /* grant an NL request ahead of any queue */
#define DLM_QUECVT              0x00000100  /* queue the conversion behind earlier ones */
#define DLM_DEQALL              0x00000200  /* dlm_unlock: release all sublocks / all locks */
#define DLM_INVVALBLK           0x00000400  /* mark the resource's value block invalid */
#define DLM_VALB                0x00001000  /* read or write the value block via valb_p */
#define DLM_PERSIST             0x00002000  /* persistent resource of recovery domain rd_id */
#define DLM_GROUP_LOCK          0x00004000  /* lock owned by the caller's group container */
#define DLM_TXID_LOCAL          0x00008000  /* trans_id is local to this machine */
#define DLM_TXID_GLOBAL         0x00010000  /* trans_id is cluster-wide */

/* ------------------------------------------------------------------------
 * Flags of the other calls.  Choice: their Tru64 values are unknown; each
 * has a bit of its own, above every lock flag, so that a flag passed to the
 * wrong call is always detected (DLM_BADPARAM).
 * ------------------------------------------------------------------------ */

/* dlm_nsjoin() */
#define DLM_USER                0x00100000  /* nsid is the caller's effective UID */
#define DLM_GROUP               0x00200000  /* nsid is a group the caller belongs to */
#define DLM_JOIN_SAME_OK        0x00400000  /* a repeated join returns the same handle */

/* dlm_cancel() */
#define DLM_CANCELWAITOK        0x00800000  /* may also cancel a never-granted request */

/* dlm_glc_create(), dlm_glc_destroy() */
#define DLM_GLC_OWNED           0x01000000  /* container dies, members killed, with its creator */
#define DLM_GLC_PERM            0x02000000  /* container outlives its last member */
#define DLM_GLC_LOCKS           0x04000000  /* destroy even though it holds locks */
#define DLM_GLC_FORCE           0x08000000  /* destroy even with members: kill them */

/* dlm_rd_attach(), dlm_rd_detach() */
#define DLM_RD_PROCESS          0x10000000  /* attach for the process's own locks */
#define DLM_RD_GROUP            0x20000000  /* attach for the process's group container */
#define DLM_RD_INVALIDATE       0x40000000  /* detach and invalidate the whole domain */

/* ------------------------------------------------------------------------
 * Status codes.  0-5 are successes; 16-56 failures.  6-15 are unused.
 * ------------------------------------------------------------------------ */

#define DLM_SUCCESS             0   /* done; for queued calls: request queued */
#define DLM_SYNCH               1   /* granted at once (DLM_SYNCSTS) */
#define DLM_SUCCVALNOTVALID     2   /* granted; value block marked invalid */
#define DLM_SYNCVALNOTVALID     3   /* granted at once; value block marked invalid */
#define DLM_MORE_TO_RECOVER     4   /* dlm_rd_validate: collect again */
#define DLM_MORE_TO_TRAVERSE    5   /* defined by Tru64; never returned here */

#define DLM_ABORT               16  /* request dequeued while waiting */
#define DLM_ATTACHED            17  /* already joined or attached */
#define DLM_BADPARAM            18  /* invalid argument or flag */
#define DLM_CANCEL              19  /* request cancelled */
#define DLM_CANCELGRANT         20  /* cancel too late: already granted */
#define DLM_CANCELWAIT          21  /* waiting request, DLM_CANCELWAITOK not given */
#define DLM_CVTUNGRANT          22  /* conversion of a lock not granted */
#define DLM_DEADLOCK            23  /* chosen as a deadlock victim */
#define DLM_EFAULT              24  /* bad address */
#define DLM_ENOENT              25  /* no such object */
#define DLM_ENOSYS              26  /* lock service not available */
#define DLM_HASLOCKS            27  /* locks still held */
#define DLM_INSFMEM             28  /* out of lock manager memory */
#define DLM_INTR                29  /* wait interrupted */
#define DLM_IVBUFLEN            30  /* bad resource name length */
#define DLM_IVLOCKID            31  /* bad lock ID */
#define DLM_LKBUSY              32  /* lock being manipulated by another */
#define DLM_NOACCESS            33  /* permission denied */
#define DLM_NOLOCKID            34  /* defined by Tru64; never returned here */
#define DLM_NOTATTACHED         35  /* not joined or attached */
#define DLM_NOTQUEUED           36  /* DLM_NOQUEUE request not grantable at once */
#define DLM_PARNOTGRANT         37  /* parent lock not granted */
#define DLM_RETRY               38  /* defined by Tru64; never returned here */
#define DLM_SUBLOCKS            39  /* lock still has sublocks */
#define DLM_TIMEOUT             40  /* request timed out */
#define DLM_TOOMANYNS           41  /* DLM_NSPROCMAX namespaces already joined */
#define DLM_UNEXPERR            42  /* unexpected internal error */
#define DLM_HASPROCS            43  /* group container still has members */
#define DLM_KILLFAIL            44  /* could not kill the container's members */
#define DLM_ATTACHEDGROUP       45  /* attached to a group container using it */
#define DLM_NO_GROUP            46  /* not attached to a group container */
#define DLM_ENAMETOOLONG        47  /* recovery domain name too long */
#define DLM_TOOMANYRD           48  /* too many recovery domains */
#define DLM_IS_PR               49  /* persistent resource, DLM_PERSIST not given */
#define DLM_NOT_PR              50  /* DLM_PERSIST on a non-persistent resource */
#define DLM_IVRDID              51  /* bad recovery domain ID */
#define DLM_PR_RD_MISMATCH      52  /* persistent resource of another domain */
#define DLM_IVHNDL              53  /* bad collection handle */
#define DLM_EALREADY            54  /* already done (e.g. a second collect) */
#define DLM_EINPROGRESS         55  /* operation in progress elsewhere */
#define DLM_PUBNS_DISALLOW      56  /* defined by Tru64; never returned here */

/* ------------------------------------------------------------------------
 * Notification routines
 * ------------------------------------------------------------------------ */

/* Completion routine of dlm_quelock(), dlm_quelocktp(), dlm_quecvt():
 * status is the request's final status. */
typedef void (*cpl_callback_t)(callback_arg_t notprm, dlm_lkid_t *lkid_p,
                               dlm_status_t status);

/* Blocking routine: called for a granted lock that blocks another request.
 * hint is the blocked request's hint, blocked_mode the mode it asks for. */
typedef void (*blk_callback_t)(callback_arg_t notprm, callback_arg_t hint,
                               dlm_lkid_t *lkid_p, dlm_lkmode_t blocked_mode);

/* ------------------------------------------------------------------------
 * Information structures
 * ------------------------------------------------------------------------ */

typedef struct dlm_lkinfo {
    char            resnam[DLM_RESNAMELEN];
    ushort_t        resnlen;
    dlm_lkid_t      parlkid;    /* parent lock, all zero for a root lock */
    dlm_lkmode_t    rqmode;     /* mode requested */
    dlm_valb_t     *valb;       /* value block pointer given by the owner */
    dlm_flags_t     flags;      /* flags of the last request */
    callback_arg_t  notprm;
    callback_arg_t  hint;
    blk_callback_t  blkrtn;
    uint_t          timeout;
    cpl_callback_t  cplrtn;
    int             sig;        /* notification signal, 0 when polling */
    dlm_lkmode_t    grmode;     /* mode granted, DLM_NOMODE if none */
    usr_lk_states_t lkstate;
    pid_t           lk_pid;     /* owning process */
} dlm_lkinfo_t;

typedef struct dlm_rsbinfo {
    short           vbstatus;   /* 1 when the value block is valid, 0 when not */
    uint_t          vbseqnum;   /* count of writes to the value block */
    uint_t          subrescnt;  /* child resources */
    uint_t          lckcnt;     /* locks on the resource, all queues */
    uint_t          blkastcnt;  /* locks with a blocking routine */
    uint_t          ggcnt;      /* granted locks in the group grant mode */
    dlm_lkmode_t    ggmode;     /* group grant mode (most restrictive granted) */
    dlm_lkmode_t    cvtqmode;   /* most restrictive mode on the conversion queue */
    dlm_lkmode_t    wtqmode;    /* most restrictive mode on the waiting queue */
    dlm_valb_t      valb;       /* copy of the value block */
} dlm_rsbinfo_t;

/* ------------------------------------------------------------------------
 * Namespaces and notification
 * ------------------------------------------------------------------------ */

dlm_status_t dlm_nsjoin(dlm_nsid_t nsid, dlm_nsp_t *nsp, dlm_flags_t flags);
dlm_status_t dlm_nsleave(dlm_nsp_t *nsp, dlm_flags_t flags);
dlm_status_t dlm_detach(void);

/* Choice: until dlm_set_signal() names a signal, notifications wait for
 * dlm_notify(). */
dlm_status_t dlm_set_signal(int newsig, int *oldsig);
int          dlm_notify(void);

/* ------------------------------------------------------------------------
 * Locks.  Timeouts are in hundredths of a second (Choice); 0 waits forever.
 * ------------------------------------------------------------------------ */

dlm_status_t dlm_lock(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                      dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                      dlm_valb_t *valb_p, dlm_flags_t flags,
                      callback_arg_t notprm, callback_arg_t hint,
                      blk_callback_t blkrtn, uint_t timeout);

dlm_status_t dlm_locktp(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                        dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                        dlm_valb_t *valb_p, dlm_flags_t flags,
                        callback_arg_t notprm, callback_arg_t hint,
                        blk_callback_t blkrtn, uint_t timeout,
                        dlm_trans_id_t trans_id, dlm_rd_id_t rd_id);

dlm_status_t dlm_quelock(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                         dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                         dlm_valb_t *valb_p, dlm_flags_t flags,
                         callback_arg_t notprm, callback_arg_t hint,
                         blk_callback_t blkrtn, uint_t timeout,
                         cpl_callback_t cplrtn);

dlm_status_t dlm_quelocktp(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                           dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                           dlm_valb_t *valb_p, dlm_flags_t flags,
                           callback_arg_t notprm, callback_arg_t hint,
                           blk_callback_t blkrtn, uint_t timeout,
                           cpl_callback_t cplrtn,
                           dlm_trans_id_t trans_id, dlm_rd_id_t rd_id);

dlm_status_t dlm_cvt(dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode, dlm_valb_t *valb_p,
                     dlm_flags_t flags, callback_arg_t notprm, callback_arg_t hint,
                     blk_callback_t blkrtn, uint_t timeout);

dlm_status_t dlm_quecvt(dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode, dlm_valb_t *valb_p,
                        dlm_flags_t flags, callback_arg_t notprm, callback_arg_t hint,
                        blk_callback_t blkrtn, uint_t timeout,
                        cpl_callback_t cplrtn);

dlm_status_t dlm_unlock(dlm_lkid_t *lkid_p, dlm_valb_t *valb_p, dlm_flags_t flags);

dlm_status_t dlm_cancel(dlm_lkid_t *lkid_p, dlm_flags_t flags);

/* ------------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------------ */

dlm_status_t dlm_get_lkinfo(dlm_lkid_t *lkid_p, dlm_lkinfo_t *lkinfo);
dlm_status_t dlm_get_rsbinfo(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                             dlm_rsbinfo_t *rsbinfo, dlm_lkid_t *par_lkid);

/* ------------------------------------------------------------------------
 * Group lock containers
 * ------------------------------------------------------------------------ */

dlm_status_t dlm_glc_create(dlm_glc_id_t *idp, dlm_glc_flags_t flags,
                            dlm_nsp_t *ns_listp, int ns_num);
dlm_status_t dlm_glc_attach(dlm_glc_id_t id, dlm_glc_flags_t flags);
dlm_status_t dlm_glc_detach(void);
dlm_status_t dlm_glc_destroy(dlm_glc_id_t id, dlm_glc_flags_t flags);

/* ------------------------------------------------------------------------
 * Recovery domains
 * ------------------------------------------------------------------------ */

dlm_status_t dlm_rd_attach(char *name, dlm_rd_id_t *rd_id_p, dlm_rd_flags_t attach_flag);
dlm_status_t dlm_rd_detach(dlm_rd_id_t rd_id, dlm_rd_flags_t detach_flag);
dlm_status_t dlm_rd_collect(dlm_rd_id_t rd_id, dlm_rd_collection_hndl_t *hndl_p,
                            dlm_rd_flags_t collect_flag);
dlm_status_t dlm_rd_validate(dlm_rd_id_t rd_id, dlm_rd_collection_hndl_t *hndl_p,
                             dlm_rd_flags_t validate_flag);

/* ------------------------------------------------------------------------
 * Status texts.  Unknown statuses read "DLM_ILLEGAL_EEROR" (sic, as on
 * Tru64).
 * ------------------------------------------------------------------------ */

void  dlm_perrno(dlm_status_t stat);
void  dlm_perror(char *s, dlm_status_t stat);
char *dlm_sperrno(dlm_status_t stat);

#ifdef __cplusplus
}
#endif

#endif /* DLM_TRU64_SYS_DLM_H */
