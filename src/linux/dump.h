/*
 * The kernel DLM's debugfs dump of one lockspace, as this node sees it:
 * /sys/kernel/debug/dlm/<lockspace>_all (CONFIG_DLM_DEBUG, debugfs
 * mounted, read permission: root).
 *
 * The file is text, empty when the lockspace has no resource in use.
 * A header line first, one of the two this reader knows: "version rsb 1.1 lvb 1.1 lkb 1.1" (kernels up to 6.x) or the
 * list of the rsb fields beginning "rsb ptr nodeid " (later ones).  Then,
 * for each resource this node has in use:
 *
 *   rsb PTR NODEID FIRST_LKID FLAGS ROOT RECOVER RECOVER_COUNT LEN str NAME
 *   rsb PTR NODEID FIRST_LKID FLAGS ROOT RECOVER RECOVER_COUNT LEN hex XX XX ...
 *       the name as it is when every byte is printable ASCII, else in hex;
 *       NODEID is the master's node (0: this node masters it)
 *   lvb SEQ LEN XX XX ...
 *       the value block, if the resource has one (LEN bytes, in hex)
 *   lkb ID NODEID REMID PID XID EXFLAGS IFLAGS STATUS GRMODE RQMODE
 *       BAST_MODE LOOKUP WAIT_TYPE LVBSEQ TIMESTAMP BAST_TIME
 *       one per lock: granted, then converting, then waiting, then those
 *       waiting for the lookup of the master (LOOKUP 1); numbers in hex
 *       for ID, REMID, EXFLAGS, IFLAGS, decimal otherwise.  NODEID 0: a
 *       lock of a process of this node (PID); else a lock of a process of
 *       that node, held here because this node masters the resource.
 *       PID is the thread that made the lock's latest request (its ID in
 *       the initial PID namespace: the process ID for a main thread).
 *       STATUS 1 waiting, 2 granted, 3 converting; modes -1 (none) and
 *       0..5 as the contract's; EXFLAGS the requester's DLM_LKF_* bits.
 *
 * The file is not read atomically: each read(2) walks the kernel's
 * tables under their locks anew, so a dump assembled from several reads
 * is a picture no instant had.  IFLAGS and the rsb FLAGS are the kernel's
 * internal bits, which change from version to version: not read.
 */
#ifndef DLM_TRU64_LINUX_DUMP_H
#define DLM_TRU64_LINUX_DUMP_H

#include <stdint.h>
#include <stdio.h>

#include "engine.h"

struct dump_resource {
    unsigned char name[ENGINE_RESNAME_MAXLEN];
    unsigned int namelen;
    int master_node;            /* 0: this node */
    int has_lvb;
    uint32_t lvb_seq;           /* the kernel's count of value-block stores */
    char lvb[ENGINE_LVB_LEN];
};

struct dump_lock {
    uint32_t lkid;
    int node;                   /* 0: a process of this node */
    uint32_t pid;
    uint32_t exflags;           /* DLM_LKF_*: the same bits as ENGINE_LKF_* */
    enum engine_queue queue;
    int grmode, rqmode;         /* ENGINE_MODE_IV when none */
};

/* What a reader of the dump does with it: resource() (if not NULL) is
 * called once for each resource, its value block read, before its locks;
 * lock() for each of its locks.  A nonzero return stops the reading and is returned by
 * dump_read. */
struct dump_reader {
    int (*resource)(const struct dump_resource *res, void *arg);
    int (*lock)(const struct dump_resource *res, const struct dump_lock *lock, void *arg);
};

/* Open the dump of the lockspace called name: 0, or -ENOSYS (no
 * debugfs, no CONFIG_DLM_DEBUG, not permitted: the kernel shows nothing). */
int dump_open(const char *lsname, FILE **dump);

/* Read a dump from its first line (an empty one has no resources): 0,
 * what a reader's call returned,
 * -ENOSYS (a header this code does not know) or -EIO (a line it cannot
 * read). */
int dump_read(FILE *dump, const struct dump_reader *reader, void *arg);

#endif
