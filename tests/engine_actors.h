/*
 * The actors of the engine rule suites (test_engine_grant, test_engine_values):
 *
 *  - a tracked lock: a lock status block whose completion and blocking
 *    routines record what they were told, and in which process;
 *  - a peer: a forked process with a lockspace handle of its own that
 *    carries out, one at a time, the requests the test sends it over a
 *    pipe, and answers with the state of the tracked lock concerned.  The
 *    test and its peers thus take turns, in an order the pipes fix: no
 *    sleeping, no guessing;
 *  - probes and pictures: whether a request would be granted at once, and
 *    what the engine's introspection says of a lock or a resource.
 *
 * Bounded waits only: a lost wake-up or a stuck peer makes a call fail
 * after a generous patience instead of hanging the suite.
 */
#ifndef DLM_TRU64_TESTS_ENGINE_ACTORS_H
#define DLM_TRU64_TESTS_ENGINE_ACTORS_H

#include <stdint.h>
#include <sys/types.h>

#include "engine.h"

/* --- Tracked locks ----------------------------------------------------------------- */

struct tracked {
    struct engine_lksb lksb;    /* lksb.lvb points at lvb below */
    char lvb[ENGINE_LVB_LEN];
    int pending;                /* a completion is due */
    int completions;            /* completion routine runs, since the lock was asked for */
    pid_t completion_pid;       /* the process the latest one ran in */
    int blocks;                 /* blocking routine runs, in all */
    int blocked_mode;           /* the mode the latest one was given */
    uint64_t blocked_hint;      /* and the blocked request's hint */
    pid_t block_pid;
};

/* Zero t (its value block included) and point its status block at it. */
void tracked_init(struct tracked *t);

/* Request mode on the named resource (name NULL with ENGINE_LKF_CONVERT:
 * convert t's lock), with the recording routines, the blocking one
 * included; a new request starts the counts afresh.  Returns what
 * engine_lock returned. */
int tracked_lock(struct engine_ls *ls, struct tracked *t, int mode, uint32_t flags,
                 const char *name);

/* The same without a blocking routine. */
int tracked_lock_nobast(struct engine_ls *ls, struct tracked *t, int mode, uint32_t flags,
                        const char *name);

/* Release (or cancel, with ENGINE_LKF_CANCEL) t's lock. */
int tracked_unlock(struct engine_ls *ls, struct tracked *t, uint32_t flags);

/* Run the routines due, waiting for them for at most slice_ms at a time,
 * until t's completion has run.  Returns how many waits timed out before
 * it did, or -1 when it did not within the patience (30 s). */
int tracked_await(struct engine_ls *ls, struct tracked *t, int slice_ms);

/* Run the routines already due, without waiting; how many ran. */
int tracked_dispatch(struct engine_ls *ls);

/* Would a new request for mode on name be granted at once?  1 yes (the
 * probe lock is released again), 0 no (ENGINE_EAGAIN), -1 on any other
 * outcome. */
int tracked_probe(struct engine_ls *ls, int mode, const char *name);

/* --- Pictures ---------------------------------------------------------------------- */

/* What introspection says of the lock lkid on the named resource; 1 when
 * it is there, 0 when not. */
int picture_lock(struct engine_ls *ls, const char *name, uint32_t lkid,
                 struct engine_lock_info *info);

/* The lock IDs of the named resource, queue by queue in queue order, into
 * lkids[max]; how many locks there are (0 when the resource is gone). */
unsigned int picture_lkids(struct engine_ls *ls, const char *name, uint32_t *lkids,
                           unsigned int max);

/* The locks in the lockspace (its census), or -1. */
long census_locks(struct engine_ls *ls);

/* The name of a mode ("NL".."EX", "IV", or "?"), for messages. */
const char *mode_name(int mode);

/* --- Peers ------------------------------------------------------------------------- */

#define PEER_SLOTS 8

/* What a peer answers: the result of the call, and the tracked lock of the
 * slot concerned as it stands after it (lksb.lvb is the peer's pointer). */
struct peer_reply {
    int rc;
    int timeouts;               /* PEER_AWAIT: tracked_await's result */
    struct tracked lock;
};

struct peer {
    pid_t pid;
    int to_peer, from_peer;
    struct peer_reply last;     /* the latest reply */
};

/* Returned in place of an engine result when the peer did not answer. */
#define PEER_BROKEN (-100000)

/* Fork a peer that opens the named lockspace.  0, or -1 (then nothing is
 * left running). */
int peer_start(struct peer *peer, const char *lsname);

/* The peer's tracked_lock / tracked_unlock on its slot; the engine's
 * result, or PEER_BROKEN.  peer->last.lock is the slot afterwards. */
int peer_lock(struct peer *peer, int slot, int mode, uint32_t flags, const char *name);
int peer_unlock(struct peer *peer, int slot, uint32_t flags);

/* The same as engine_lock and engine_unlock on the peer's slot status
 * block, as given: lkid set to an arbitrary value (a lock of someone
 * else's, say), no routines.  The engine's result, or PEER_BROKEN. */
int peer_lock_lkid(struct peer *peer, int slot, uint32_t lkid, int mode, uint32_t flags);
int peer_unlock_lkid(struct peer *peer, int slot, uint32_t lkid, uint32_t flags);

/* The peer's tracked conversion of lock lkid (its own, or its group's)
 * into its slot, with the recording routines. */
int peer_convert_lkid(struct peer *peer, int slot, uint32_t lkid, int mode, uint32_t flags);

/* The peer's group_join and group_leave. */
int peer_group_join(struct peer *peer, uint32_t group, int permanent);
int peer_group_leave(struct peer *peer);

/* Set the value block the peer's slot will pass with ENGINE_LKF_VALBLK. */
int peer_put_lvb(struct peer *peer, int slot, const char lvb[ENGINE_LVB_LEN]);

/* The slot's tracked lock, after running the routines already due in the
 * peer: NULL if the peer did not answer. */
const struct tracked *peer_look(struct peer *peer, int slot);

/* tracked_await in the peer: the number of timed-out waits (slices of
 * slice_ms), -1 if the completion never came, or PEER_BROKEN.  In two
 * halves when the test must act while the peer waits: peer_await_begin
 * returns once the peer is about to wait (0, or PEER_BROKEN). */
int peer_await(struct peer *peer, int slot, int slice_ms);
int peer_await_begin(struct peer *peer, int slot, int slice_ms);
int peer_await_end(struct peer *peer);

/* Would a new request of the peer's for mode on name be granted at once?
 * As tracked_probe, or PEER_BROKEN. */
int peer_probe(struct peer *peer, int mode, const char *name);

/* Close the peer's handle and let it exit; 0 when it exited cleanly. */
int peer_stop(struct peer *peer);

/* End the peer without closing its handle, while it holds its locks: by
 * _exit(0) (sig 0) or by the signal sig; reap it.  0 when it died so. */
int peer_die(struct peer *peer, int sig);

/* --- Scenes ------------------------------------------------------------------------ */

/* A test's lockspace, opened by the test process and by one peer. */
struct scene {
    struct engine_ls *ls;
    struct peer peer;
};

/* Open the named lockspace and start the peer on it; a failure ends the
 * calling test (CUnit fatal assertion). */
void scene_open(struct scene *scene, const char *lsname);

/* Stop the peer (unless it is gone already) and close the lockspace; the
 * calling test fails unless the peer stopped cleanly and nothing was left
 * behind (no lock, no resource, no process but this one). */
void scene_close(struct scene *scene);

/* --- Checks ------------------------------------------------------------------------ */

/* For CU_ASSERT: 1 when the engine did as said, else 0 after telling on
 * stderr what it did instead. */

/* A request granted within the call (ENGINE_DONE, status 0). */
int granted_now(struct engine_ls *ls, struct tracked *t, int mode, uint32_t flags,
                const char *name);

/* A request queued (engine_lock returned 0). */
int queued(struct engine_ls *ls, struct tracked *t, int mode, uint32_t flags,
           const char *name);

/* A queued request whose completion then came, with that status. */
int completes(struct engine_ls *ls, struct tracked *t, int status);

/* A request or unlock that completed within the call with that status. */
int done_with(int rc, const struct tracked *t, int status);

/* t's lock released within the call (ENGINE_DONE, ENGINE_EUNLOCK). */
int released(struct engine_ls *ls, struct tracked *t);

/* The same, done by the peer on its slot. */
int peer_granted_now(struct peer *peer, int slot, int mode, uint32_t flags, const char *name);
int peer_queued(struct peer *peer, int slot, int mode, uint32_t flags, const char *name);
int peer_completes(struct peer *peer, int slot, int status);
int peer_released(struct peer *peer, int slot);

/* Introspection shows lock lkid of the named resource on that queue with
 * those modes. */
int lock_is(struct engine_ls *ls, const char *name, uint32_t lkid, enum engine_queue queue,
            int grmode, int rqmode);

#endif
