#define _GNU_SOURCE 1 /* setresuid, setresgid, setfsuid */
#include "fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Long enough for any healthy completion on a loaded machine. */
#define PATIENCE_SECONDS 30

/* How an agent learns its pipes and identity: a variable of its
 * environment, read by fixture_main(). */
#define AGENT_VARIABLE "DLM_TRU64_CONFORMANCE_AGENT"

static int agent_main(const char *description);

dlm_status_t fixture_join(dlm_nsp_t *ns)
{
    return dlm_nsjoin(geteuid(), ns, DLM_USER | DLM_JOIN_SAME_OK);
}

int fixture_notify_count(int *counter, int n)
{
    time_t give_up = time(NULL) + PATIENCE_SECONDS;

    while (*(volatile int *)counter < n && time(NULL) < give_up)
        dlm_notify();
    return *(volatile int *)counter >= n;
}

int fixture_notify_until(int *flag)
{
    return fixture_notify_count(flag, 1);
}

int fixture_signal_count(int *counter, int n)
{
    time_t give_up = time(NULL) + PATIENCE_SECONDS;

    while (*(volatile int *)counter < n && time(NULL) < give_up)
        poll(NULL, 0, 1);
    return *(volatile int *)counter >= n;
}

int fixture_main(const struct harness_suite *const *suites)
{
    char directory[] = "/tmp/dlm_tru64_conformance.XXXXXX";
    char command[sizeof directory + 16];
    int rc;

    if (getenv(AGENT_VARIABLE) != NULL)
        return agent_main(getenv(AGENT_VARIABLE));
    if (mkdtemp(directory) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    /* Like /tmp: the suites' processes of other users share it too. */
    if (chmod(directory, 01777) != 0) {
        perror("chmod");
        return 1;
    }
    setenv("DLM_TRU64_EMBEDDED_DIR", directory, 1);
    signal(SIGPIPE, SIG_IGN);
    rc = harness_run(suites);
    snprintf(command, sizeof command, "rm -rf '%s'", directory);
    if (harness_system(command) != 0)
        fprintf(stderr, "could not remove %s\n", directory);
    return rc;
}

int fixture_on_linux(void)
{
    const char *engine = getenv("DLM_TRU64_ENGINE");

    return engine != NULL && strcmp(engine, "linux") == 0;
}

callback_arg_t fixture_hint_heard(callback_arg_t hint)
{
    return fixture_on_linux() ? NULL : hint;
}

/* --- Locks ---------------------------------------------------------------------- */

dlm_status_t fixture_lock_with(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name,
                               dlm_lkmode_t mode, dlm_valb_t *valb, dlm_flags_t flags,
                               uint_t timeout, dlm_lkid_t *lkid)
{
    return dlm_lock(parent != NULL ? 0 : ns, (uchar_t *)name, (ushort_t)strlen(name), parent,
                    lkid, mode, valb, flags, NULL, NULL, NULL, timeout);
}

dlm_status_t fixture_lock(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name,
                          dlm_lkmode_t mode, dlm_lkid_t *lkid)
{
    return fixture_lock_with(ns, parent, name, mode, NULL, 0, FIXTURE_PATIENCE, lkid);
}

dlm_status_t fixture_lock_persistent_in(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name,
                                        dlm_lkmode_t mode, dlm_valb_t *valb, dlm_rd_id_t rd,
                                        dlm_lkid_t *lkid)
{
    return dlm_locktp(ns, (uchar_t *)name, (ushort_t)strlen(name), parent, lkid, mode, valb,
                      DLM_PERSIST | (valb != NULL ? DLM_VALB : 0), NULL, NULL, NULL,
                      FIXTURE_PATIENCE, 0, rd);
}

dlm_status_t fixture_lock_persistent(dlm_nsp_t ns, const char *name, dlm_lkmode_t mode,
                                     dlm_valb_t *valb, dlm_rd_id_t rd, dlm_lkid_t *lkid)
{
    return fixture_lock_persistent_in(ns, NULL, name, mode, valb, rd, lkid);
}

int fixture_probe(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name, dlm_lkmode_t mode)
{
    dlm_lkid_t probe;
    dlm_status_t status = fixture_lock_with(ns, parent, name, mode, NULL, DLM_NOQUEUE, 0,
                                            &probe);

    if (status == DLM_NOTQUEUED)
        return 0;
    if (status != DLM_SUCCESS)
        return -1;
    return dlm_unlock(&probe, NULL, 0) == DLM_SUCCESS ? 1 : -1;
}

dlm_lkmode_t fixture_granted_mode(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name)
{
    /* Which of CR, CW, PR, PW, EX a new request could have at once
     * tells the strongest granted mode (the compatibility matrix). */
    static const struct { unsigned int grantable; dlm_lkmode_t mode; } table[] = {
        { 0x1f, DLM_NLMODE }, { 0x0f, DLM_CRMODE }, { 0x03, DLM_CWMODE },
        { 0x05, DLM_PRMODE }, { 0x01, DLM_PWMODE }, { 0x00, DLM_EXMODE },
    };
    unsigned int grantable = 0, i;

    for (i = 0; i < 5; i++) {
        int probe = fixture_probe(ns, parent, name, (dlm_lkmode_t)(DLM_CRMODE + i));

        if (probe < 0)
            return -1;
        grantable |= (unsigned int)probe << i;
    }
    for (i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].grantable == grantable)
            return table[i].mode;
    return -1;
}

int fixture_holds(const dlm_lkid_t *lkid, dlm_lkmode_t grmode)
{
    dlm_lkinfo_t info;
    dlm_lkid_t copy = *lkid;

    return dlm_get_lkinfo(&copy, &info) == DLM_SUCCESS && info.lkstate == GRANTED
           && info.grmode == grmode;
}

int fixture_is_gone(const dlm_lkid_t *lkid)
{
    dlm_lkinfo_t info;
    dlm_lkid_t copy = *lkid;

    return dlm_get_lkinfo(&copy, &info) == DLM_IVLOCKID;
}

dlm_valb_t fixture_value(unsigned int seed)
{
    dlm_valb_t v;
    unsigned int i;

    for (i = 0; i < DLM_VALBLKSIZE; i++)
        v.valblk[i] = seed * 0x01010101u + i;
    return v;
}

int fixture_same_value(const dlm_valb_t *a, const dlm_valb_t *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

/* --- Routines that record what they are told --------------------------------------- */

int fixture_strays;

void fixture_completed(callback_arg_t notprm, dlm_lkid_t *lkid_p, dlm_status_t status)
{
    struct fixture_events *events = notprm;

    if (events == NULL) {
        fixture_strays++;
        return;
    }
    events->status = status;
    events->cpl_lkid = *lkid_p;
    events->cpl_notprm = notprm;
    events->completions++;
}

void fixture_blocked(callback_arg_t notprm, callback_arg_t hint, dlm_lkid_t *lkid_p,
                     dlm_lkmode_t blocked_mode)
{
    struct fixture_events *events = notprm;

    if (events == NULL) {
        fixture_strays++;
        return;
    }
    events->blocked_mode = blocked_mode;
    events->hint = hint;
    events->blk_lkid = *lkid_p;
    events->blk_notprm = notprm;
    events->blocks++;
}

dlm_status_t fixture_quelock(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name,
                             dlm_lkmode_t mode, dlm_flags_t flags, uint_t timeout,
                             struct fixture_events *events, dlm_lkid_t *lkid)
{
    return dlm_quelock(parent != NULL ? 0 : ns, (uchar_t *)name, (ushort_t)strlen(name),
                       parent, lkid, mode, NULL, flags, events, NULL, fixture_blocked,
                       timeout, fixture_completed);
}

dlm_status_t fixture_quecvt(dlm_lkid_t *lkid, dlm_lkmode_t mode, dlm_flags_t flags,
                            uint_t timeout, struct fixture_events *events)
{
    return dlm_quecvt(lkid, mode, NULL, flags, events, NULL, fixture_blocked, timeout,
                      fixture_completed);
}

int fixture_await_completions(struct fixture_events *events, int n)
{
    return fixture_notify_count(&events->completions, n);
}

int fixture_await_blocks(struct fixture_events *events, int n)
{
    return fixture_notify_count(&events->blocks, n);
}

int fixture_same_lkid(const dlm_lkid_t *a, const dlm_lkid_t *b)
{
    return a->seqn == b->seqn && a->hndl == b->hndl;
}

/* --- Identities ------------------------------------------------------------------- */

int fixture_become(uid_t uid, gid_t gid, gid_t group)
{
    if (setgroups(group != 0 ? 1 : 0, &group) != 0 || setresgid(gid, gid, gid) != 0
        || setresuid(uid, uid, uid) != 0)
        return -1;
    return 0;
}

int fixture_need_root(const char *test)
{
    if (geteuid() == 0)
        return 1;
    printf("\n    (%s needs root: skipped) ", test);
    return 0;
}

/* --- Agents ----------------------------------------------------------------------- */

enum agent_op { AGENT_LOCK, AGENT_CONVERT, AGENT_UNLOCK, AGENT_YIELD, AGENT_PROBE };

struct agent_command {
    int op;
    int slot;
    int parent_slot;            /* < 0: a root lock */
    dlm_lkmode_t mode;
    dlm_flags_t flags;
    uintptr_t hint;
    int has_valb;
    dlm_valb_t valb;
    char name[DLM_RESNAMELEN + 1];
};

struct agent_reply {
    dlm_status_t status;
    dlm_lkmode_t mode;
    dlm_valb_t valb;
};

struct agent_slot {
    dlm_lkid_t lkid;
    struct fixture_events events;
    dlm_valb_t valb;
};

/* Pipe I/O that a notification signal may interrupt. */
static int put(int fd, const void *data, size_t size)
{
    ssize_t n;

    do
        n = write(fd, data, size);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)size ? 0 : -1;
}

/* Read size bytes within the patience; 0, or -1 (nothing, or the other
 * side gone). */
static int get(int fd, void *data, size_t size)
{
    struct pollfd pfd = { fd, POLLIN, 0 };
    time_t give_up = time(NULL) + PATIENCE_SECONDS;
    size_t done = 0;

    while (done < size) {
        ssize_t n;
        int ready = poll(&pfd, 1, 1000);

        if (ready < 0 && errno != EINTR)
            return -1;
        if (ready <= 0) {
            if (time(NULL) >= give_up)
                return -1;
            continue;
        }
        n = read(fd, (char *)data + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

static void agent_carry_out(struct agent_slot *slots, dlm_nsp_t ns,
                            const struct agent_command *c, struct agent_reply *r)
{
    struct agent_slot *s = &slots[c->slot];

    if (c->has_valb)
        s->valb = c->valb;
    switch (c->op) {
    case AGENT_LOCK:
        memset(&s->events, 0, sizeof s->events);
        r->status = dlm_lock(c->parent_slot >= 0 ? 0 : ns, (uchar_t *)c->name,
                             (ushort_t)strlen(c->name),
                             c->parent_slot >= 0 ? &slots[c->parent_slot].lkid : NULL,
                             &s->lkid, c->mode, &s->valb, c->flags, &s->events,
                             (callback_arg_t)c->hint, fixture_blocked, FIXTURE_PATIENCE);
        break;
    case AGENT_CONVERT:
        r->status = dlm_cvt(&s->lkid, c->mode, &s->valb, c->flags, &s->events,
                            (callback_arg_t)c->hint, fixture_blocked, FIXTURE_PATIENCE);
        break;
    case AGENT_UNLOCK:
        r->status = dlm_unlock(&s->lkid, &s->valb, c->flags);
        break;
    case AGENT_YIELD:
        r->status = -1;
        if (fixture_notify_count(&s->events.blocks, 1)) {
            r->mode = s->events.blocked_mode;
            r->status = dlm_unlock(&s->lkid, NULL, 0);
        }
        break;
    case AGENT_PROBE:
        r->status = fixture_probe(ns, NULL, c->name, c->mode);
        break;
    }
    r->valb = s->valb;
}

/* Take on the identity (in the agent: for good). */
static int assume(const struct agent_identity *id)
{
    if (id->uid == 0)
        return 0;
    if (id->euid == 0)
        return fixture_become(id->uid, id->gid, id->group);
    if (setgroups(id->group != 0 ? 1 : 0, &id->group) != 0
        || setresgid(id->gid, id->gid, id->gid) != 0
        || setresuid(id->uid, id->euid, id->uid) != 0)
        return -1;
    setfsuid(id->uid);
    return (uid_t)setfsuid((uid_t)-1) == id->uid && geteuid() == id->euid ? 0 : -1;
}

/* On the Linux engine, make the namespace the agent is to join while it
 * is still root (see agent_start); whatever the outcome, its own join
 * says what the user gets. */
static void prepare_namespace(const struct agent_identity *id)
{
    dlm_nsp_t ns;

    if (id->uid == 0 || !fixture_on_linux() || geteuid() != 0)
        return;
    if (id->explicit_join ? dlm_nsjoin(id->nsid, &ns, id->join_flags) == DLM_SUCCESS
                          : dlm_nsjoin(id->euid != 0 ? id->euid : id->uid, &ns, DLM_USER)
                                == DLM_SUCCESS)
        dlm_nsleave(&ns, 0);
}

static void agent_body(int from_test, int to_test, const struct agent_identity *id)
{
    struct agent_slot slots[AGENT_SLOTS];
    struct agent_command c;
    struct agent_reply r;
    dlm_nsp_t ns = 0;

    memset(slots, 0, sizeof slots);
    memset(&r, 0, sizeof r);
    prepare_namespace(id);
    if (assume(id) != 0)
        r.status = -1;
    else if (id->explicit_join)
        r.status = dlm_nsjoin(id->nsid, &ns, id->join_flags);
    else
        r.status = fixture_join(&ns);
    if (put(to_test, &r, sizeof r) != 0 || r.status != DLM_SUCCESS)
        return;
    while (get(from_test, &c, sizeof c) == 0) {
        memset(&r, 0, sizeof r);
        if (c.slot < 0 || c.slot >= AGENT_SLOTS || c.parent_slot >= AGENT_SLOTS)
            r.status = -1;
        else
            agent_carry_out(slots, ns, &c, &r);
        if (put(to_test, &r, sizeof r) != 0)
            return;
    }
}

#define AGENT_FORMAT "%d %d %u %u %u %u %d %u %u"

static int agent_main(const char *description)
{
    struct agent_identity id;
    int from_test, to_test;

    if (sscanf(description, AGENT_FORMAT, &from_test, &to_test, &id.uid, &id.gid, &id.group,
               &id.euid, &id.explicit_join, &id.nsid, &id.join_flags) != 9)
        return 2;
    unsetenv(AGENT_VARIABLE);
    agent_body(from_test, to_test, &id);
    /* A process whose real and effective UIDs differ cannot be traced,
     * which leak checkers need at exit: skip them there. */
    if (id.euid != 0)
        _exit(0);
    return 0;
}

int agent_start(struct peer *agent, const struct agent_identity *identity)
{
    static const struct agent_identity self;
    const struct agent_identity *id = identity != NULL ? identity : &self;
    char words[128];
    struct agent_reply r;

    snprintf(words, sizeof words, "%u %u %u %u %d %u %u", id->uid, id->gid, id->group, id->euid,
             id->explicit_join, id->nsid, id->join_flags);
    if (peer_exec(agent, AGENT_VARIABLE, words) != 0)
        return -1;
    if (get(agent->from_peer, &r, sizeof r) != 0) {
        printf("\n    the agent did not start ");
        agent_kill(agent);
        return -1;
    }
    if (r.status != DLM_SUCCESS)
        peer_finish(agent);
    return r.status;
}

static void agent_send(struct peer *agent, int op, int slot, int parent_slot, const char *name,
                       dlm_lkmode_t mode, dlm_flags_t flags, const dlm_valb_t *valb,
                       uintptr_t hint)
{
    struct agent_command c;

    memset(&c, 0, sizeof c);
    c.op = op;
    c.slot = slot;
    c.parent_slot = parent_slot;
    c.mode = mode;
    c.flags = flags;
    c.hint = hint;
    if (valb != NULL) {
        c.has_valb = 1;
        c.valb = *valb;
    }
    if (name != NULL)
        snprintf(c.name, sizeof c.name, "%s", name);
    if (put(agent->to_peer, &c, sizeof c) != 0)
        CU_FAIL("the agent is gone");
}

static dlm_status_t agent_reply(struct peer *agent, dlm_lkmode_t *mode, dlm_valb_t *valb)
{
    struct agent_reply r;

    if (get(agent->from_peer, &r, sizeof r) != 0)
        return -1;
    if (mode != NULL)
        *mode = r.mode;
    if (valb != NULL)
        *valb = r.valb;
    return r.status;
}

dlm_status_t agent_lock(struct peer *agent, int slot, int parent_slot, const char *name,
                        dlm_lkmode_t mode, dlm_flags_t flags, dlm_valb_t *valb)
{
    agent_send(agent, AGENT_LOCK, slot, parent_slot, name, mode, flags, valb, 0);
    return agent_reply(agent, NULL, valb);
}

void agent_lock_later(struct peer *agent, int slot, const char *name, dlm_lkmode_t mode,
                      dlm_flags_t flags, uintptr_t hint)
{
    agent_send(agent, AGENT_LOCK, slot, -1, name, mode, flags, NULL, hint);
}

dlm_status_t agent_convert(struct peer *agent, int slot, dlm_lkmode_t mode, dlm_flags_t flags,
                           dlm_valb_t *valb)
{
    agent_send(agent, AGENT_CONVERT, slot, -1, NULL, mode, flags, valb, 0);
    return agent_reply(agent, NULL, valb);
}

dlm_status_t agent_unlock(struct peer *agent, int slot, dlm_flags_t flags, dlm_valb_t *valb)
{
    agent_send(agent, AGENT_UNLOCK, slot, -1, NULL, 0, flags, valb, 0);
    return agent_reply(agent, NULL, NULL);
}

void agent_yield(struct peer *agent, int slot)
{
    agent_send(agent, AGENT_YIELD, slot, -1, NULL, 0, 0, NULL, 0);
}

dlm_status_t agent_answer(struct peer *agent, dlm_lkmode_t *mode)
{
    return agent_reply(agent, mode, NULL);
}

int agent_probe(struct peer *agent, const char *name, dlm_lkmode_t mode)
{
    agent_send(agent, AGENT_PROBE, 0, -1, name, mode, 0, NULL, 0);
    return agent_reply(agent, NULL, NULL);
}

int agent_stop(struct peer *agent)
{
    return peer_finish(agent);
}

void agent_kill(struct peer *agent)
{
    int status;

    kill(agent->pid, SIGKILL);
    waitpid(agent->pid, &status, 0);
    close(agent->to_peer);
    close(agent->from_peer);
}
