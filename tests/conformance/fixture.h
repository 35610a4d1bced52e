/*
 * What the conformance suites share.  They use <sys/dlm.h> and nothing
 * else of the library.  The only setting made here, a private lockspace
 * directory, is one the embedded engine reads and any other ignores.  The
 * suites run unchanged on either engine; where the kernel DLM has a
 * documented limit (README, "The Linux engine"), a test learns that it
 * runs there from the DLM_TRU64_ENGINE setting it was given, and asserts
 * the limit instead.
 */
#ifndef DLM_TRU64_TESTS_CONFORMANCE_FIXTURE_H
#define DLM_TRU64_TESTS_CONFORMANCE_FIXTURE_H

#include <stdint.h>
#include <sys/types.h>

#include <sys/dlm.h>

#include "harness.h"
#include "peer.h"

/* A bound, in hundredths of a second (the unit of DLM timeouts), for a
 * synchronous request a test expects to be granted: a broken library then
 * fails the test with DLM_TIMEOUT instead of hanging it. */
#define FIXTURE_PATIENCE 3000

/* Join the caller's own user namespace (the same handle if joined). */
dlm_status_t fixture_join(dlm_nsp_t *ns);

/* Run notifications with dlm_notify() until *counter reaches n, or a
 * generous patience passes; 1 if it reached n. */
int fixture_notify_count(int *counter, int n);

/* The same for a flag. */
int fixture_notify_until(int *flag);

/* Wait, without calling dlm_notify(), until *counter reaches n (routines
 * delivered by the notification signal), within the patience; 1 if it did. */
int fixture_signal_count(int *counter, int n);

/* main() of a suite program: the private directory, the suites, the
 * exit status. */
int fixture_main(const struct harness_suite *const *suites);

/* Was the suite given the Linux engine (DLM_TRU64_ENGINE=linux)?  1 or 0. */
int fixture_on_linux(void);

/* The hint a blocking routine hears when the blocked request passed hint:
 * that hint, or NULL on the Linux engine (the kernel carries only the
 * blocked mode). */
callback_arg_t fixture_hint_heard(callback_arg_t hint);

/* --- Locks ---------------------------------------------------------------------- */

/* Synchronous dlm_lock() of the resource named by the C string name, a
 * root resource of ns when parent is NULL, else a child of parent's
 * resource (ns 0); no routines; bounded by FIXTURE_PATIENCE. */
dlm_status_t fixture_lock(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name,
                          dlm_lkmode_t mode, dlm_lkid_t *lkid);

/* The same with flags, a value block and a timeout of one's own. */
dlm_status_t fixture_lock_with(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name,
                               dlm_lkmode_t mode, dlm_valb_t *valb, dlm_flags_t flags,
                               uint_t timeout, dlm_lkid_t *lkid);

/* Synchronous DLM_PERSIST dlm_locktp() of a root resource of ns in the
 * recovery domain rd; with DLM_VALB when valb is not NULL (the grant
 * reads the value into it); bounded by FIXTURE_PATIENCE. */
dlm_status_t fixture_lock_persistent(dlm_nsp_t ns, const char *name, dlm_lkmode_t mode,
                                     dlm_valb_t *valb, dlm_rd_id_t rd, dlm_lkid_t *lkid);

/* The same for a root resource of ns, or (ns 0) for a sublock's
 * resource under the lock parent. */
dlm_status_t fixture_lock_persistent_in(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name,
                                        dlm_lkmode_t mode, dlm_valb_t *valb, dlm_rd_id_t rd,
                                        dlm_lkid_t *lkid);

/* Would a new request for mode be granted at once (DLM_NOQUEUE)?  1 yes
 * (the probe lock is released again), 0 no (DLM_NOTQUEUED), -1 on any
 * other outcome. */
int fixture_probe(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name, dlm_lkmode_t mode);

/* The strongest mode granted on the resource, as the compatibility of
 * probes shows it: DLM_NLMODE when nothing (or only NL) is granted, -1
 * when the probes make no sense. */
dlm_lkmode_t fixture_granted_mode(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name);

/* Is lkid a lock of this process, granted in grmode, with nothing in
 * flight (dlm_get_lkinfo)?  1 or 0. */
int fixture_holds(const dlm_lkid_t *lkid, dlm_lkmode_t grmode);

/* Is lkid no lock at all (dlm_get_lkinfo says DLM_IVLOCKID)?  1 or 0. */
int fixture_is_gone(const dlm_lkid_t *lkid);

/* A fixed value block whose words all derive from seed. */
dlm_valb_t fixture_value(unsigned int seed);

/* Are two value blocks equal?  1 or 0. */
int fixture_same_value(const dlm_valb_t *a, const dlm_valb_t *b);

/* --- Routines that record what they are told --------------------------------------- */

/* Pass a struct fixture_events as notprm with fixture_completed and
 * fixture_blocked: each run is recorded in it. */
struct fixture_events {
    int completions;            /* completion routine runs */
    dlm_status_t status;        /* the latest one's status */
    dlm_lkid_t cpl_lkid;        /* and lock ID */
    callback_arg_t cpl_notprm;  /* and notprm */
    int blocks;                 /* blocking routine runs */
    dlm_lkmode_t blocked_mode;  /* the latest one's mode */
    callback_arg_t hint;        /* and hint */
    dlm_lkid_t blk_lkid;        /* and lock ID */
    callback_arg_t blk_notprm;  /* and notprm */
};

/* Runs of either routine with a NULL notprm (a routine told the wrong
 * notprm): counted here, recorded nowhere else. */
extern int fixture_strays;

void fixture_completed(callback_arg_t notprm, dlm_lkid_t *lkid_p, dlm_status_t status);
void fixture_blocked(callback_arg_t notprm, callback_arg_t hint, dlm_lkid_t *lkid_p,
                     dlm_lkmode_t blocked_mode);

/* dlm_quelock() of a root resource (or a child of parent) recording into
 * events (notprm = events, fixture_completed, fixture_blocked). */
dlm_status_t fixture_quelock(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name,
                             dlm_lkmode_t mode, dlm_flags_t flags, uint_t timeout,
                             struct fixture_events *events, dlm_lkid_t *lkid);

/* dlm_quecvt() recording into events. */
dlm_status_t fixture_quecvt(dlm_lkid_t *lkid, dlm_lkmode_t mode, dlm_flags_t flags,
                            uint_t timeout, struct fixture_events *events);

/* Run notifications until events has seen n completions (or blocks); 1 if
 * it did within the patience. */
int fixture_await_completions(struct fixture_events *events, int n);
int fixture_await_blocks(struct fixture_events *events, int n);

/* Are two lock IDs equal?  1 or 0. */
int fixture_same_lkid(const dlm_lkid_t *a, const dlm_lkid_t *b);

/* --- Agents: peers that make DLM calls on the test's behalf ------------------------- */

/* An agent is another process of the suite's program (forked and at once
 * executed afresh, so that it shares nothing of the test's process but
 * the pipes) that joins a namespace and then carries out, one at a time,
 * the calls the test sends it, on locks it keeps in numbered slots,
 * answering each with its status.  The test and its agents thus take
 * turns in an order the pipes fix. */
#define AGENT_SLOTS 16

/* Who the agent is, and which namespace it joins. */
struct agent_identity {
    uid_t uid;                  /* 0: stay as the test runs (no change) */
    gid_t gid;
    gid_t group;                /* a supplementary group, or 0 for none */
    uid_t euid;                 /* not 0: effective UID euid, real and file-system UID uid */
    int explicit_join;          /* 0: own user namespace; 1: nsid and join_flags */
    dlm_nsid_t nsid;
    dlm_flags_t join_flags;
};

/* Start an agent; identity NULL: the test's own identity and user
 * namespace.  Returns the agent's dlm_nsjoin() status (DLM_SUCCESS), or
 * -1 when it could not start.  On the Linux engine, where only a process
 * with CAP_SYS_ADMIN creates a lockspace, an agent that gives up root
 * first joins and leaves the namespace it is to join, as the
 * administrator who prepares a user's lockspaces would. */
int agent_start(struct peer *agent, const struct agent_identity *identity);

/* In the agent: synchronous dlm_lock() of name (a root resource, or a
 * child of the agent's lock in parent_slot when that is >= 0) into slot,
 * with a blocking routine and the hint given; valb, when not NULL, is sent
 * and the agent's buffer after the call copied back.  The call's status. */
dlm_status_t agent_lock(struct peer *agent, int slot, int parent_slot, const char *name,
                        dlm_lkmode_t mode, dlm_flags_t flags, dlm_valb_t *valb);

/* The same, but only sent: the agent may stay blocked in it.  Its status
 * comes with agent_answer(). */
void agent_lock_later(struct peer *agent, int slot, const char *name, dlm_lkmode_t mode,
                      dlm_flags_t flags, uintptr_t hint);

/* The agent's synchronous dlm_cvt() and dlm_unlock() of its slot. */
dlm_status_t agent_convert(struct peer *agent, int slot, dlm_lkmode_t mode, dlm_flags_t flags,
                           dlm_valb_t *valb);
dlm_status_t agent_unlock(struct peer *agent, int slot, dlm_flags_t flags, dlm_valb_t *valb);

/* Ask the agent to release its lock in slot once that lock blocks a
 * request (its blocking routine runs); the answer (agent_answer) is the
 * unlock's status, *mode the mode the blocking routine was given. */
void agent_yield(struct peer *agent, int slot);

/* The answer to the latest request sent with agent_lock_later() or
 * agent_yield(); mode (may be NULL) receives the blocked mode of a yield.
 * -1 when the agent did not answer within the patience. */
dlm_status_t agent_answer(struct peer *agent, dlm_lkmode_t *mode);

/* The agent's fixture_probe(). */
int agent_probe(struct peer *agent, const char *name, dlm_lkmode_t mode);

/* End the agent (its locks go with it); its exit status, 0 when well. */
int agent_stop(struct peer *agent);

/* Kill the agent with SIGKILL, wherever it is, and reap it. */
void agent_kill(struct peer *agent);

/* --- Identities ------------------------------------------------------------------- */

/* Users and a group that no test process belongs to unless given it. */
#define FIXTURE_UID_A 4101
#define FIXTURE_UID_B 4102
#define FIXTURE_UID_C 4103      /* whose namespace no agent prepares */
#define FIXTURE_GID_A 4201      /* the primary group of both users */
#define FIXTURE_GID_SHARED 4202 /* a group that agents may be given */

/* Become uid with primary group gid and, if group is not 0, that one
 * supplementary group (in a forked child: there is no way back).  0, or -1. */
int fixture_become(uid_t uid, gid_t gid, gid_t group);

/* Tests that change identity need root: 1 if so, else say the test is
 * skipped and return 0. */
int fixture_need_root(const char *test);

#endif
