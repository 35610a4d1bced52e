/*
 * glc - a group lock container shared by two processes.
 *
 * A lock belongs to the process that took it: nobody else can convert or
 * release it, and it dies with its process.  A group lock container
 * changes that for the processes attached to it, its members.  A lock a
 * member requests with DLM_GROUP_LOCK is a group lock, the container's:
 *
 *   its lock ID is the same in every member, so one member may pass it to
 *   another, which converts or releases the very same lock by that ID;
 *
 *   one member at a time manipulates it: while a member's request on it
 *   is in flight, another member's call on it fails with DLM_LKBUSY;
 *
 *   it outlives its member: when a member dies, its group locks stay,
 *   granted, with the container, for the other members to take over.
 *
 * Here we create a container and a partner process attaches to it.  We
 * take a group lock and publish a value in its value block; the partner
 * converts that lock, by its ID, reads the value, and releases the lock.
 * Then the partner takes a group lock in PW and is killed with SIGKILL
 * while it converts that lock up to EX: the lock stays with the
 * container, still PW.  We release it, detach, and the container, whose
 * last member we were, is gone.
 *
 * Containers work with both engines; dlm_glc_create(3) tells the Linux
 * engine's limits on group locks.
 *
 *   glc
 */
#include <string.h>

#include "example.h"
#include "partner.h"

#define LEDGER          "glc-ledger"
#define BATCH           "glc-batch"

enum { ORDERS = 42 };          /* the value we publish */

/* A group lock, waiting for its grant: Tru64 asks for group locks with
 * dlm_locktp() or dlm_quelocktp(). */
static dlm_status_t lock_group(dlm_nsp_t ns, const char *name, dlm_lkmode_t mode,
                               dlm_lkid_t *lkid)
{
    return dlm_locktp(ns, (uchar_t *)name, (ushort_t)strlen(name), NULL, lkid, mode, NULL,
                      DLM_GROUP_LOCK, NULL, NULL, NULL, 0, 0, 0);
}

/* Any means of passing a group lock's ID on will do: here, the pipe. */
static void tell_lkid(const struct partner *p, const dlm_lkid_t *lkid)
{
    tell(p, (int)lkid->seqn);
    tell(p, (int)lkid->hndl);
}

static dlm_lkid_t hear_lkid(const struct partner *p)
{
    dlm_lkid_t lkid;

    lkid.seqn = (uint_t)hear(p);
    lkid.hndl = (uint_t)hear(p);
    return lkid;
}

/* The partner: attach, use the ledger we pass it, and die converting the
 * batch. */
static int member(struct partner *parent)
{
    dlm_nsp_t ns = start("the partner", NOTIFY_BY_POLLING);
    struct completion upgrade = { 0, 0 };      /* never comes: killed first */
    dlm_lkid_t ledger, batch;
    dlm_valb_t value;

    /* Attaching needs the container's namespaces joined first. */
    check("the partner attaching", dlm_glc_attach((dlm_glc_id_t)hear(parent), 0));
    tell(parent, 1);

    /* Up from NL with DLM_VALB reads the value block. */
    ledger = hear_lkid(parent);
    check("the partner converting the ledger",
          dlm_cvt(&ledger, DLM_PRMODE, &value, DLM_VALB, NULL, NULL, NULL, 0));
    check("the partner releasing the ledger", dlm_unlock(&ledger, NULL, 0));
    printf("glc: the partner converted our ledger lock to PR by its ID, read %u orders, and "
           "released it\n", value.valblk[0]);
    tell(parent, (int)value.valblk[0]);

    /* PW goes with our CR on the batch; EX must wait for it. */
    hear(parent);
    check("the partner locking the batch", lock_group(ns, BATCH, DLM_PWMODE, &batch));
    check("the partner converting the batch",
          dlm_quecvt(&batch, DLM_EXMODE, NULL, 0, &upgrade, NULL, NULL, 0, note_completion));
    tell_lkid(parent, &batch);
    hear(parent);                       /* killed while it waits */
    return 1;
}

int main(void)
{
    dlm_lkid_t ledger, batch, reader, probe;
    dlm_valb_t value = { { 0 } };
    struct partner partner;
    dlm_glc_id_t id;
    dlm_nsp_t ns;

    setvbuf(stdout, NULL, _IOLBF, 0);   /* the two processes' lines in order */
    partner_start(&partner, member);
    ns = start("glc", NOTIFY_BY_POLLING);      /* no routines to run */

    /* Without a lifetime flag, the container lives while it has members
     * (DLM_GLC_PERM: beyond them; DLM_GLC_OWNED: as long as its creator,
     * whose end kills the others). */
    check("creating the container", dlm_glc_create(&id, 0, &ns, 1));
    tell(&partner, (int)id);
    hear(&partner);
    printf("glc: we created container %u; the partner attached to it\n", id);

    /* Publish: EX, then down to NL with DLM_VALB, which writes the value
     * block.  The lock stays, in NL, the container's. */
    value.valblk[0] = ORDERS;
    check("locking the ledger", lock_group(ns, LEDGER, DLM_EXMODE, &ledger));
    check("publishing", dlm_cvt(&ledger, DLM_NLMODE, &value, DLM_VALB, NULL, NULL, NULL, 0));
    printf("glc: we took a group lock on the ledger and published %d orders\n", ORDERS);
    tell_lkid(&partner, &ledger);
    if (hear(&partner) != ORDERS) {
        fprintf(stderr, "glc: the partner read another value\n");
        return 1;
    }
    /* Released by the partner, the lock is gone for us too. */
    expect("releasing the ledger again", dlm_unlock(&ledger, NULL, 0), DLM_IVLOCKID);
    printf("glc: the ledger lock's ID names nothing now, for us as for the partner\n");

    /* An ordinary lock of ours that the partner's EX will wait for. */
    check("reading the batch",
          dlm_lock(ns, (uchar_t *)BATCH, (ushort_t)strlen(BATCH), NULL, &reader, DLM_CRMODE,
                   NULL, 0, NULL, NULL, NULL, 0));
    tell(&partner, 1);
    batch = hear_lkid(&partner);
    printf("glc: the partner holds a group lock on the batch in PW, converting to EX\n");
    expect("converting the partner's batch lock",
           dlm_cvt(&batch, DLM_NLMODE, NULL, 0, NULL, NULL, NULL, 0), DLM_LKBUSY);
    printf("glc: we may not convert it meanwhile: DLM_LKBUSY\n");

    if (partner_kill(&partner) != 0) {
        fprintf(stderr, "glc: the partner did not die of SIGKILL\n");
        return 1;
    }
    printf("glc: the partner was killed with SIGKILL in the middle of its conversion\n");

    /* A lock of the partner's own would have died with it.  The group
     * lock stays: its conversion gone, still PW, and still in the way. */
    expect_mode("the batch lock", &batch, DLM_PWMODE);
    expect("probing the batch",
           dlm_lock(ns, (uchar_t *)BATCH, (ushort_t)strlen(BATCH), NULL, &probe, DLM_PRMODE,
                    NULL, DLM_NOQUEUE, NULL, NULL, NULL, 0), DLM_NOTQUEUED);
    printf("glc: its group lock stays with the container, in PW: a PR request is not granted\n");
    check("releasing our own batch lock", dlm_unlock(&reader, NULL, 0));
    check("releasing the partner's batch lock", dlm_unlock(&batch, NULL, 0));
    printf("glc: we released the group lock the partner left\n");

    /* We are the last member: the container ends with our detach. */
    check("detaching", dlm_glc_detach());
    expect("attaching again", dlm_glc_attach(id, 0), DLM_ENOENT);
    printf("glc: we detached, and container %u is gone: DLM_ENOENT\n", id);
    check("leaving", dlm_nsleave(&ns, 0));
    return 0;
}
