/*
 * Group lock containers, through <sys/dlm.h> only (reference 2.14-2.17,
 * 4.10): creating, attaching, detaching and destroying containers, with
 * their statuses and lifetimes, and the group locks (DLM_GROUP_LOCK) that
 * any member converts or releases, one member at a time, and that outlive
 * a member's death, even by SIGKILL in the middle of its calls.
 *
 * The test process and its members take turns over pipes: a member is
 * another process of the program that carries out the calls the test
 * sends it.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

/* --- Members --------------------------------------------------------------------- */

enum member_op {
    M_CREATE,       /* flags -> status, id */
    M_ATTACH,       /* id -> status */
    M_DETACH,       /* -> status */
    M_LOCK,         /* name, mode -> status, seqn, hndl (a group lock) */
    M_CVT,          /* seqn, hndl, mode -> status */
    M_QUECVT,       /* seqn, hndl, mode -> status (queued) */
    M_QUELOCK,      /* name, mode -> status, seqn, hndl (a group request, queued) */
    M_UNLOCK,       /* seqn, hndl -> status */
    M_AWAIT_BLOCKS, /* n -> 1 once n blocking routines ran, else 0 */
    M_AWAIT_CPLS,   /* n -> 1 once n completion routines ran, else 0 */
    M_CHURN,        /* seed -> a report after each call, until killed */
    M_STOP
};

static const char *const names[] = { "glc-a", "glc-b", "glc-c", "glc-d" };
#define NNAMES 4

static int blocks_seen, completions_seen;

static void count_block(callback_arg_t notprm, callback_arg_t hint, dlm_lkid_t *lkid,
                        dlm_lkmode_t mode)
{
    (void)notprm; (void)hint; (void)lkid; (void)mode;
    blocks_seen++;
}

static dlm_status_t group_lock_with(dlm_nsp_t ns, const char *name, dlm_lkmode_t mode,
                                    dlm_flags_t flags, dlm_lkid_t *lkid)
{
    return dlm_locktp(ns, (uchar_t *)name, (ushort_t)strlen(name), NULL, lkid, mode, NULL,
                      DLM_GROUP_LOCK | flags, 0, 0, count_block, FIXTURE_PATIENCE, 0, 0);
}

static dlm_status_t group_lock(dlm_nsp_t ns, const char *name, dlm_lkmode_t mode,
                               dlm_lkid_t *lkid)
{
    return group_lock_with(ns, name, mode, 0, lkid);
}

static void count_completion(callback_arg_t notprm, dlm_lkid_t *lkid, dlm_status_t status)
{
    (void)notprm; (void)lkid; (void)status;
    completions_seen++;
}

static dlm_lkid_t receive_lkid(struct peer *self)
{
    dlm_lkid_t lkid;

    lkid.seqn = (uint_t)peer_receive(self);
    lkid.hndl = (uint_t)peer_receive(self);
    return lkid;
}

/* Lock, convert and release the group's locks at random, for ever,
 * reporting each call.  Group locks exclude one another as any locks do:
 * nothing waits (DLM_NOQUEUE), so that the calls go on until the kill. */
static void churn(struct peer *self, dlm_nsp_t ns, unsigned int seed)
{
    dlm_lkid_t held[NNAMES];
    int have[NNAMES] = { 0 };

    for (;;) {
        unsigned int i = (unsigned int)rand_r(&seed) % NNAMES;
        dlm_lkmode_t mode = (dlm_lkmode_t)(DLM_NLMODE + rand_r(&seed) % 6);

        if (!have[i])
            have[i] = group_lock_with(ns, names[i], mode, DLM_NOQUEUE, &held[i]) == DLM_SUCCESS;
        else if (rand_r(&seed) % 2)
            dlm_cvt(&held[i], mode, NULL, DLM_NOQUEUE, 0, 0, count_block, 0);
        else
            have[i] = dlm_unlock(&held[i], NULL, 0) != DLM_SUCCESS;
        dlm_notify();
        peer_send(self, 1);
    }
}

static void member_main(struct peer *self)
{
    dlm_nsp_t ns;
    int op;

    if (fixture_join(&ns) != DLM_SUCCESS)
        return;
    while ((op = peer_receive(self)) >= 0 && op != M_STOP) {
        dlm_glc_id_t id;
        dlm_lkid_t lkid;
        dlm_lkmode_t mode;
        dlm_status_t status;

        switch (op) {
        case M_CREATE:
            id = 0;
            status = dlm_glc_create(&id, (dlm_glc_flags_t)peer_receive(self), &ns, 1);
            peer_send(self, status);
            peer_send(self, (int)id);
            break;
        case M_ATTACH:
            peer_send(self, dlm_glc_attach((dlm_glc_id_t)peer_receive(self), 0));
            break;
        case M_DETACH:
            peer_send(self, dlm_glc_detach());
            break;
        case M_LOCK:
            op = peer_receive(self);
            mode = peer_receive(self);
            memset(&lkid, 0, sizeof lkid);
            status = group_lock(ns, names[op % NNAMES], mode, &lkid);
            peer_send(self, status);
            peer_send(self, (int)lkid.seqn);
            peer_send(self, (int)lkid.hndl);
            break;
        case M_QUELOCK:
            op = peer_receive(self);
            mode = peer_receive(self);
            memset(&lkid, 0, sizeof lkid);
            status = dlm_quelocktp(ns, (uchar_t *)names[op % NNAMES],
                                   (ushort_t)strlen(names[op % NNAMES]), NULL, &lkid, mode, NULL,
                                   DLM_GROUP_LOCK, 0, 0, count_block, 0, count_completion, 0, 0);
            peer_send(self, status);
            peer_send(self, (int)lkid.seqn);
            peer_send(self, (int)lkid.hndl);
            break;
        case M_CVT:
            lkid = receive_lkid(self);
            mode = peer_receive(self);
            peer_send(self, dlm_cvt(&lkid, mode, NULL, 0, 0, 0, count_block, FIXTURE_PATIENCE));
            break;
        case M_QUECVT:
            lkid = receive_lkid(self);
            mode = peer_receive(self);
            peer_send(self, dlm_quecvt(&lkid, mode, NULL, 0, 0, 0, count_block, 0,
                                       count_completion));
            break;
        case M_UNLOCK:
            lkid = receive_lkid(self);
            peer_send(self, dlm_unlock(&lkid, NULL, 0));
            break;
        case M_AWAIT_BLOCKS:
            peer_send(self, fixture_notify_count(&blocks_seen, peer_receive(self)));
            break;
        case M_AWAIT_CPLS:
            peer_send(self, fixture_notify_count(&completions_seen, peer_receive(self)));
            break;
        case M_CHURN:
            churn(self, ns, (unsigned int)peer_receive(self));
            break;
        }
    }
    dlm_detach();
}

static const struct peer_role roles[] = {
    { "member", member_main },
    { NULL, NULL }
};

/* Members start afresh: the test's threads (its listeners) must not be
 * copied into them in the middle of anything. */
static void start_member(struct peer *member)
{
    CU_ASSERT_EQUAL_FATAL(peer_start_fresh(member, "member"), 0);
}

static dlm_status_t member_create(struct peer *member, dlm_glc_flags_t flags, dlm_glc_id_t *id)
{
    dlm_status_t status;

    peer_send(member, M_CREATE);
    peer_send(member, (int)flags);
    status = peer_receive(member);
    *id = (dlm_glc_id_t)peer_receive(member);
    return status;
}

static dlm_status_t member_attach(struct peer *member, dlm_glc_id_t id)
{
    peer_send(member, M_ATTACH);
    peer_send(member, (int)id);
    return peer_receive(member);
}

static dlm_status_t member_detach(struct peer *member)
{
    peer_send(member, M_DETACH);
    return peer_receive(member);
}

static dlm_status_t member_lock_by(struct peer *member, int op, int name, dlm_lkmode_t mode,
                                   dlm_lkid_t *lkid)
{
    dlm_status_t status;

    peer_send(member, op);
    peer_send(member, name);
    peer_send(member, mode);
    status = peer_receive(member);
    lkid->seqn = (uint_t)peer_receive(member);
    lkid->hndl = (uint_t)peer_receive(member);
    return status;
}

static dlm_status_t member_lock(struct peer *member, int name, dlm_lkmode_t mode,
                                dlm_lkid_t *lkid)
{
    return member_lock_by(member, M_LOCK, name, mode, lkid);
}

static dlm_status_t member_on_lock(struct peer *member, int op, const dlm_lkid_t *lkid,
                                   dlm_lkmode_t mode)
{
    peer_send(member, op);
    peer_send(member, (int)lkid->seqn);
    peer_send(member, (int)lkid->hndl);
    if (op != M_UNLOCK)
        peer_send(member, mode);
    return peer_receive(member);
}

/* Have n of the member's blocking (or completion) routines run, within
 * the patience?  1 or 0. */
static int member_awaits(struct peer *member, int op, int n)
{
    peer_send(member, op);
    peer_send(member, n);
    return peer_receive(member);
}

static int member_stop(struct peer *member)
{
    peer_send(member, M_STOP);
    return peer_finish(member);
}

/* Did the member die of SIGKILL (sent by the test, or by itself when its
 * container's owner went)?  Reaps it; its pipes stay open until then, so
 * that it cannot end otherwise meanwhile. */
static int died_by_sigkill(struct peer *member)
{
    int status;
    int killed = waitpid(member->pid, &status, 0) == member->pid && WIFSIGNALED(status)
                 && WTERMSIG(status) == SIGKILL;

    close(member->to_peer);
    close(member->from_peer);
    return killed;
}

/* Kill the member with SIGKILL and reap it; 1 if that is how it died. */
static int kill_member(struct peer *member)
{
    kill(member->pid, SIGKILL);
    return died_by_sigkill(member);
}

/* A group lock of the test process, synchronous. */
static dlm_status_t test_group_lock(dlm_nsp_t ns, int name, dlm_lkmode_t mode,
                                    dlm_lkid_t *lkid)
{
    return group_lock(ns, names[name], mode, lkid);
}

/* The test creates a container in its namespace, a member attaches. */
static void share(dlm_nsp_t *ns, dlm_glc_id_t *id, struct peer *member)
{
    CU_ASSERT_EQUAL_FATAL(fixture_join(ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_glc_create(id, 0, ns, 1), DLM_SUCCESS);
    start_member(member);
    CU_ASSERT_EQUAL_FATAL(member_attach(member, *id), DLM_SUCCESS);
}

/* The test joins its namespace; a member creates a container there and
 * takes a group lock in EX on names[name]. */
static void member_creates_and_locks(dlm_nsp_t *ns, struct peer *member, dlm_glc_flags_t flags,
                                     int name, dlm_glc_id_t *id, dlm_lkid_t *lkid)
{
    CU_ASSERT_EQUAL_FATAL(fixture_join(ns), DLM_SUCCESS);
    start_member(member);
    CU_ASSERT_EQUAL_FATAL(member_create(member, flags, id), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(member_lock(member, name, DLM_EXMODE, lkid), DLM_SUCCESS);
}

/* The member ends, the test detaches and leaves. */
static void unshare(dlm_nsp_t *ns, struct peer *member)
{
    CU_ASSERT_EQUAL(member_stop(member), 0);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(ns, 0), DLM_SUCCESS);
}

/* --- Containers ------------------------------------------------------------------ */

static void create_refuses_bad_arguments(void)
{
    dlm_glc_id_t id = 7;
    dlm_nsp_t ns, unjoined = DLM_NSPROCMAX;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_create(NULL, 0, &ns, 1), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_glc_create(&id, 0, NULL, 1), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_glc_create(&id, DLM_GLC_OWNED | DLM_GLC_PERM, &ns, 1), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_glc_create(&id, DLM_GLC_FORCE, &ns, 1), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_glc_create(&id, 0, &ns, 0), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_glc_create(&id, 0, &ns, DLM_NSPROCMAX + 1), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_glc_create(&id, 0, &unjoined, 1), DLM_NOTATTACHED);
    CU_ASSERT_EQUAL(id, 7);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_NOTATTACHED);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void create_attaches_its_creator(void)
{
    dlm_glc_id_t id = 0, other;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_glc_create(&id, 0, &ns, 1), DLM_SUCCESS);
    CU_ASSERT_NOT_EQUAL(id, 0);
    CU_ASSERT_EQUAL(dlm_glc_create(&other, 0, &ns, 1), DLM_ATTACHED);
    CU_ASSERT_EQUAL(dlm_glc_attach(id, 0), DLM_ATTACHED);
    CU_ASSERT_EQUAL(dlm_glc_destroy(id, 0), DLM_ATTACHED);
    /* Its namespace is the container's while it is attached. */
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_ATTACHEDGROUP);
    CU_ASSERT_EQUAL(dlm_detach(), DLM_ATTACHEDGROUP);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_SUCCESS);
    /* Its only member gone, the container is too. */
    CU_ASSERT_EQUAL(dlm_glc_attach(id, 0), DLM_ENOENT);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void attach_and_destroy_refuse_bad_arguments(void)
{
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_attach(0, 0), DLM_ENOENT);
    CU_ASSERT_EQUAL(dlm_glc_attach(0x7fffff00u, 0), DLM_ENOENT);
    CU_ASSERT_EQUAL(dlm_glc_attach(1, 1), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_glc_destroy(0x7fffff00u, 0), DLM_ENOENT);
    CU_ASSERT_EQUAL(dlm_glc_destroy(1, DLM_GLC_PERM), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_NOTATTACHED);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void attaching_needs_the_containers_namespaces(void)
{
    dlm_glc_id_t id;
    dlm_nsp_t ns;
    struct peer member;

    start_member(&member);
    CU_ASSERT_EQUAL_FATAL(member_create(&member, 0, &id), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_attach(id, 0), DLM_NOTATTACHED);   /* not joined */
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_attach(id, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_SUCCESS);
    CU_ASSERT_EQUAL(member_stop(&member), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void a_permanent_container_outlives_its_members(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    struct peer member;

    member_creates_and_locks(&ns, &member, DLM_GLC_PERM, 0, &id, &lkid);
    CU_ASSERT(kill_member(&member));
    /* Its lock is the container's still. */
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[0], DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(dlm_glc_destroy(id, 0), DLM_HASLOCKS);
    /* A new member takes it over by the same ID, and leaves it behind. */
    CU_ASSERT_EQUAL(dlm_glc_attach(id, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_PRMODE, NULL, 0, 0, 0, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[0], DLM_CRMODE), 1);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[0], DLM_CRMODE), 1);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[0], DLM_PWMODE), 0);
    CU_ASSERT_EQUAL(dlm_glc_destroy(id, DLM_GLC_LOCKS), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[0], DLM_EXMODE), 1);
    CU_ASSERT_EQUAL(dlm_glc_attach(id, 0), DLM_ENOENT);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void an_ordinary_container_goes_with_its_last_member(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    struct peer member;

    member_creates_and_locks(&ns, &member, 0, 1, &id, &lkid);
    CU_ASSERT(kill_member(&member));
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[1], DLM_EXMODE), 1);
    CU_ASSERT_EQUAL(dlm_glc_attach(id, 0), DLM_ENOENT);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void destroy_refuses_while_members_are_attached_unless_forced(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    struct peer member;

    member_creates_and_locks(&ns, &member, DLM_GLC_PERM, 2, &id, &lkid);
    CU_ASSERT_EQUAL(dlm_glc_destroy(id, 0), DLM_HASPROCS);
    CU_ASSERT_EQUAL(dlm_glc_destroy(id, DLM_GLC_LOCKS), DLM_HASPROCS);
    CU_ASSERT_EQUAL(dlm_glc_destroy(id, DLM_GLC_FORCE), DLM_SUCCESS);
    CU_ASSERT(died_by_sigkill(&member));
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[2], DLM_EXMODE), 1);
    CU_ASSERT_EQUAL(dlm_glc_attach(id, 0), DLM_ENOENT);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void an_owned_container_dies_with_its_creator(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    struct peer creator, member;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    start_member(&creator);
    start_member(&member);
    CU_ASSERT_EQUAL_FATAL(member_create(&creator, DLM_GLC_OWNED, &id), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(member_attach(&member, id), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(member_lock(&member, 3, DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT(kill_member(&creator));
    /* The member is killed, and the container's lock goes with it. */
    CU_ASSERT(died_by_sigkill(&member));
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, names[3], DLM_EXMODE, NULL, 0,
                                      FIXTURE_PATIENCE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_attach(id, 0), DLM_ENOENT);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void an_owned_containers_creator_detaching_ends_it(void)
{
    dlm_glc_id_t id;
    dlm_nsp_t ns;
    struct peer member;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_glc_create(&id, DLM_GLC_OWNED, &ns, 1), DLM_SUCCESS);
    start_member(&member);
    CU_ASSERT_EQUAL_FATAL(member_attach(&member, id), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_SUCCESS);
    CU_ASSERT(died_by_sigkill(&member));
    CU_ASSERT_EQUAL(dlm_glc_attach(id, 0), DLM_ENOENT);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* --- Group locks ------------------------------------------------------------------- */

static void a_group_lock_needs_a_container(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid, parent;
    dlm_nsp_t ns;
    dlm_rd_id_t rd;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(test_group_lock(ns, 0, DLM_PRMODE, &lkid), DLM_NO_GROUP);
    CU_ASSERT_EQUAL(dlm_rd_attach("glc-domain", &rd, DLM_RD_GROUP), DLM_NO_GROUP);
    CU_ASSERT_EQUAL_FATAL(dlm_glc_create(&id, 0, &ns, 1), DLM_SUCCESS);
    /* Root locks only, never persistent (this implementation's choice). */
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "glc-parent", DLM_PRMODE, &parent),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_locktp(0, (uchar_t *)"c", 1, &parent, &lkid, DLM_PRMODE, NULL,
                               DLM_GROUP_LOCK, 0, 0, NULL, 0, 0, 0), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_locktp(ns, (uchar_t *)"c", 1, NULL, &lkid, DLM_PRMODE, NULL,
                               DLM_GROUP_LOCK | DLM_PERSIST, 0, 0, NULL, 0, 0, 0), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_unlock(&parent, NULL, 0), DLM_SUCCESS);
    /* A group attachment to a domain waits for the container's detach. */
    CU_ASSERT_EQUAL_FATAL(dlm_rd_attach("glc-domain", &rd, DLM_RD_GROUP), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_ATTACHED);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void any_member_converts_and_releases_a_group_lock(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid;
    dlm_lkinfo_t info;
    dlm_nsp_t ns;
    struct peer member;

    share(&ns, &id, &member);
    CU_ASSERT_EQUAL_FATAL(test_group_lock(ns, 0, DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(member_on_lock(&member, M_CVT, &lkid, DLM_PRMODE), DLM_SUCCESS);
    /* The test sees the lock as the member left it. */
    CU_ASSERT_EQUAL(dlm_get_lkinfo(&lkid, &info), DLM_SUCCESS);
    CU_ASSERT_EQUAL(info.grmode, DLM_PRMODE);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[0], DLM_PRMODE), 1);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[0], DLM_PWMODE), 0);
    CU_ASSERT_EQUAL(member_on_lock(&member, M_UNLOCK, &lkid, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_IVLOCKID);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[0], DLM_EXMODE), 1);
    unshare(&ns, &member);
}

/* A member's very first call in the namespace may be the release of a
 * group lock another member made. */
static void a_member_releases_a_group_lock_it_never_touched(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    struct peer member;

    share(&ns, &id, &member);
    CU_ASSERT_EQUAL_FATAL(test_group_lock(ns, 1, DLM_PWMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(member_on_lock(&member, M_UNLOCK, &lkid, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[1], DLM_EXMODE), 1);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_IVLOCKID);
    unshare(&ns, &member);
}

static void a_group_lock_is_manipulated_by_one_member_at_a_time(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid, blocker;
    dlm_nsp_t ns;
    struct peer member;

    share(&ns, &id, &member);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, names[1], DLM_PRMODE, &blocker), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(test_group_lock(ns, 1, DLM_NLMODE, &lkid), DLM_SUCCESS);
    /* The member's conversion waits for the test's own PR lock. */
    CU_ASSERT_EQUAL(member_on_lock(&member, M_QUECVT, &lkid, DLM_EXMODE), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_CRMODE, NULL, 0, 0, 0, NULL, 0), DLM_LKBUSY);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_LKBUSY);
    CU_ASSERT_EQUAL(dlm_cancel(&lkid, 0), DLM_LKBUSY);
    CU_ASSERT_EQUAL(dlm_unlock(&blocker, NULL, 0), DLM_SUCCESS);
    /* Granted to the member, and once it has heard so, the lock is
     * anyone's again. */
    CU_ASSERT_EQUAL(member_awaits(&member, M_AWAIT_CPLS, 1), 1);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[1], DLM_NLMODE), 1);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[1], DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    unshare(&ns, &member);
}

static void blocking_routines_go_to_the_member_that_manipulates_the_lock(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid, waiter;
    struct fixture_events events = { 0 };
    dlm_nsp_t ns;
    struct peer member;

    share(&ns, &id, &member);
    CU_ASSERT_EQUAL_FATAL(test_group_lock(ns, 2, DLM_PRMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(member_on_lock(&member, M_CVT, &lkid, DLM_EXMODE), DLM_SUCCESS);
    /* An ordinary request of the test's waits for the group's EX. */
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, names[2], DLM_PRMODE, 0, 0, &events, &waiter),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(member_awaits(&member, M_AWAIT_BLOCKS, 1), 1);
    CU_ASSERT_EQUAL(dlm_notify(), 0);       /* nothing for the test */
    CU_ASSERT_EQUAL(member_on_lock(&member, M_UNLOCK, &lkid, 0), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&waiter, NULL, 0), DLM_SUCCESS);
    unshare(&ns, &member);
}

static void detach_hands_group_locks_back_to_the_container(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    struct peer member;

    share(&ns, &id, &member);
    CU_ASSERT_EQUAL_FATAL(member_lock(&member, 3, DLM_PWMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(member_detach(&member), DLM_SUCCESS);
    CU_ASSERT_EQUAL(member_on_lock(&member, M_UNLOCK, &lkid, 0), DLM_IVLOCKID);
    /* Still PW, the container's, and the test may release it. */
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[3], DLM_CRMODE), 1);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[3], DLM_PRMODE), 0);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[3], DLM_EXMODE), 1);
    unshare(&ns, &member);
}

/* Looking at a request another member has waiting leaves nothing behind
 * once the looker detaches. */
static void detach_forgets_other_members_requests(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid, blocker;
    dlm_lkinfo_t info;
    dlm_nsp_t ns;
    struct peer member;

    share(&ns, &id, &member);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, names[2], DLM_EXMODE, &blocker), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(member_lock_by(&member, M_QUELOCK, 2, DLM_PRMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_get_lkinfo(&lkid, &info), DLM_SUCCESS);
    CU_ASSERT_EQUAL(info.grmode, DLM_NOMODE);
    CU_ASSERT_EQUAL(dlm_cancel(&lkid, DLM_CANCELWAITOK), DLM_LKBUSY);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&blocker, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(member_awaits(&member, M_AWAIT_CPLS, 1), 1);
    CU_ASSERT_EQUAL(member_on_lock(&member, M_UNLOCK, &lkid, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(member_stop(&member), 0);
    /* Nothing of the member's is left with the test. */
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Tru64 dlm_glc_detach: a group request still waiting goes with the
 * member that made it, as a lock of its own. */
static void a_waiting_request_becomes_the_detaching_members_own(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid, blocker;
    dlm_nsp_t ns;
    struct peer member;

    share(&ns, &id, &member);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, names[1], DLM_EXMODE, &blocker), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(member_lock_by(&member, M_QUELOCK, 1, DLM_PRMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(member_detach(&member), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&blocker, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(member_awaits(&member, M_AWAIT_CPLS, 1), 1);
    /* Granted, and the member's: the container has no such lock. */
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[1], DLM_CRMODE), 1);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[1], DLM_PWMODE), 0);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_IVLOCKID);
    CU_ASSERT_EQUAL(member_on_lock(&member, M_UNLOCK, &lkid, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[1], DLM_EXMODE), 1);
    unshare(&ns, &member);
}

static void a_members_death_leaves_the_group_locks(void)
{
    dlm_glc_id_t id;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    struct peer member;

    share(&ns, &id, &member);
    CU_ASSERT_EQUAL_FATAL(member_lock(&member, 0, DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT(kill_member(&member));
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[0], DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_NLMODE, NULL, 0, 0, 0, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[0], DLM_EXMODE), 1);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Members killed with SIGKILL at random moments of their calls on the
 * group's locks: each time the survivor takes every lock the group holds
 * over, and at the end, the container gone, nothing is left held. */
static void members_killed_at_random_points_lose_no_group_lock(void)
{
    unsigned int seed = 4242, round, name;
    dlm_glc_id_t id;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_glc_create(&id, 0, &ns, 1), DLM_SUCCESS);
    for (round = 0; round < 20; round++) {
        struct peer member;
        int calls = 1 + rand_r(&seed) % 40, i;

        start_member(&member);
        CU_ASSERT_EQUAL_FATAL(member_attach(&member, id), DLM_SUCCESS);
        peer_send(&member, M_CHURN);
        peer_send(&member, (int)rand_r(&seed));
        for (i = 0; i < calls; i++)
            CU_ASSERT_EQUAL_FATAL(peer_receive(&member), 1);
        CU_ASSERT(kill_member(&member));
    }
    /* The group's locks, whatever their modes, yield to the survivor's
     * detaching: the container goes, and its locks with it. */
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_SUCCESS);
    for (name = 0; name < NNAMES; name++)
        CU_ASSERT_EQUAL(fixture_probe(ns, NULL, names[name], DLM_EXMODE), 1);
    CU_ASSERT_EQUAL(dlm_glc_attach(id, 0), DLM_ENOENT);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static const struct harness_test tests[] = {
    { "create refuses bad arguments", create_refuses_bad_arguments },
    { "create attaches its creator", create_attaches_its_creator },
    { "attach and destroy refuse bad arguments", attach_and_destroy_refuse_bad_arguments },
    { "attaching needs the container's namespaces", attaching_needs_the_containers_namespaces },
    { "a permanent container outlives its members", a_permanent_container_outlives_its_members },
    { "an ordinary container goes with its last member",
      an_ordinary_container_goes_with_its_last_member },
    { "destroy refuses while members are attached, unless forced",
      destroy_refuses_while_members_are_attached_unless_forced },
    { "an owned container dies with its creator", an_owned_container_dies_with_its_creator },
    { "an owned container's creator detaching ends it",
      an_owned_containers_creator_detaching_ends_it },
    { "a group lock needs a container", a_group_lock_needs_a_container },
    { "any member converts and releases a group lock",
      any_member_converts_and_releases_a_group_lock },
    { "a member releases a group lock it never touched",
      a_member_releases_a_group_lock_it_never_touched },
    { "a group lock is manipulated by one member at a time",
      a_group_lock_is_manipulated_by_one_member_at_a_time },
    { "blocking routines go to the member that manipulates the lock",
      blocking_routines_go_to_the_member_that_manipulates_the_lock },
    { "detach hands group locks back to the container",
      detach_hands_group_locks_back_to_the_container },
    { "detach forgets other members' requests", detach_forgets_other_members_requests },
    { "a waiting request becomes the detaching member's own",
      a_waiting_request_becomes_the_detaching_members_own },
    { "a member's death leaves the group locks", a_members_death_leaves_the_group_locks },
    { "members killed at random points lose no group lock",
      members_killed_at_random_points_lose_no_group_lock },
    { NULL, NULL }
};

static const struct harness_suite suite = { "group lock containers", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };
    int role = peer_play_role(roles);

    if (role >= 0)
        return role;
    return fixture_main(suites);
}
