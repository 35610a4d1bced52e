/*
 * What an administration command needs of an engine beyond the contract
 * (engine.h): whether it can run here, where its state lives, which
 * lockspaces this machine has, and the removal of a lockspace nobody
 * uses.  The Tru64 layer never calls these; the dlm_tru64 command does.
 */
#ifndef DLM_TRU64_ENGINE_ADMIN_H
#define DLM_TRU64_ENGINE_ADMIN_H

#include <stddef.h>
#include <sys/stat.h>

#include "engine.h"

/* Called for each lockspace with its name and the status of the file
 * that holds it or gives access to it (owner, group, mode); a nonzero
 * return stops the walk and is returned by each_lockspace. */
typedef int engine_ls_visit_fn(const char *name, const struct stat *st, void *arg);

struct engine_admin {
    const struct engine_ops *engine;

    /* 0 when the engine can serve this machine, else a negative errno
     * (-ENOSYS: not available) and *why, a sentence saying what is
     * missing. */
    int (*usable)(const char **why);

    /* Where the engine keeps its state, for people: 0, or -ENAMETOOLONG. */
    int (*state_location)(char *buf, size_t size);

    /* Visit every lockspace of this machine, in no particular order: 0,
     * what visit returned, or a negative errno. */
    int (*each_lockspace)(engine_ls_visit_fn *visit, void *arg);

    /* A handle on the lockspace for census and inspect alone, which is
     * not counted among its processes (the command looks without being
     * seen), and its release: 0 or a negative errno, as ls_open. */
    int (*peek)(const char *name, struct engine_ls **ls);
    void (*unpeek)(struct engine_ls *ls);

    /* A picture for people of every resource and lock of a peeked
     * lockspace, where the contract's inspect has none to give (NULL: a
     * listing takes inspect's, which is consistent): 0 or a negative
     * errno, the arrays malloc'd (picture_free() frees them).  What it
     * cannot tell is in snapshot_gaps. */
    int (*snapshot)(struct engine_ls *ls, struct engine_picture *picture);
    unsigned int snapshot_gaps;

    /* Remove the lockspace if no live process uses it and it holds no
     * orphaned persistent locks: 0, or -EBUSY (a live process is attached),
     * -ENOTEMPTY (orphans), -ENOENT, -EACCES, -EIO (not a lockspace of this
     * version: refused, never trusted), -ENOSYS (the engine's lockspaces
     * are released otherwise). */
    int (*remove)(const char *name);
};

/* The gaps of a snapshot. */
#define SNAPSHOT_NOT_ATOMIC     0x1u    /* assembled while the locks change: a
                                         * resource may show a state it never
                                         * had at one instant, or twice */
#define SNAPSHOT_NODE_LOCAL     0x2u    /* this machine's view of a cluster's
                                         * lockspace: of a resource mastered
                                         * elsewhere, only this node's locks */
#define SNAPSHOT_NO_LVB_STATE   0x4u    /* value-block validity and write count
                                         * unknown (lvb_valid 1, lvb_seq 0) */
#define SNAPSHOT_NO_GROUPS      0x8u    /* which locks are group locks unknown
                                         * (group 0): a group's locks show as
                                         * the locks of the member that asked */

extern const struct engine_admin engine_admin_embedded;
extern const struct engine_admin engine_admin_linux;

/* The administration side of an engine. */
const struct engine_admin *engine_admin_of(const struct engine_ops *engine);

#endif
