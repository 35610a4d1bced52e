/*
 * recovery - a recovery domain recovers the value that a killed process
 * was changing.
 *
 * A persistent resource (locked with DLM_PERSIST and a recovery domain's
 * handle) outlives its locks: it stays, with its value block, when nobody
 * holds it and when its holders die.  But a holder that dies in PW or EX
 * may have been halfway through a change, so the lock manager then marks
 * the value block invalid, and every grant that reads it says
 * DLM_SUCCVALNOTVALID until the domain is recovered:
 *
 *   dlm_rd_collect()    gathers the domain's resources whose value blocks
 *                       are invalid;
 *   the program repairs the data they protect;
 *   dlm_rd_validate()   makes those value blocks valid - and zero;
 *
 * again while dlm_rd_validate() answers DLM_MORE_TO_RECOVER (more were
 * lost meanwhile).
 *
 * Here a clerk process keeps a stock count for each fruit in the value
 * block of a persistent resource.  It releases the apples, keeps the
 * pears in PR, and is killed with SIGKILL while it holds the plums in EX
 * to sell some.  The apples and pears keep their counts; the plums count
 * is invalid.  We recover the domain, count the plums again, and write the
 * count.  Last, an ordinary lock on a persistent resource is refused with
 * DLM_IS_PR.
 *
 *   recovery
 */
#include <string.h>

#include "example.h"
#include "partner.h"

static char domain[] = "recovery-example";

#define APPLES          "recovery-apples"
#define PEARS           "recovery-pears"
#define PLUMS           "recovery-plums"

/* What the clerk counts; it dies selling PLUMS_SOLD plums. */
enum { APPLES_COUNTED = 120, PEARS_COUNTED = 75, PLUMS_COUNTED = 40, PLUMS_SOLD = 4 };

/* The count of a fruit is the first longword of its value block. */
#define COUNT(value)    ((value).valblk[0])

/* Request a persistent lock on the resource name: only dlm_locktp() and
 * dlm_quelocktp() take the domain's handle.  With value, the grant copies
 * the value block there and says whether it is valid. */
static dlm_status_t lock_persistent(dlm_nsp_t ns, dlm_rd_id_t rd, const char *name,
                                    dlm_lkmode_t mode, dlm_valb_t *value, dlm_lkid_t *lkid)
{
    return dlm_locktp(ns, (uchar_t *)name, (ushort_t)strlen(name), NULL, lkid, mode, value,
                      DLM_PERSIST | (value != NULL ? DLM_VALB : 0), NULL, NULL, NULL, 0, 0, rd);
}

/* Write count into name's value block: take the resource in EX, then
 * convert down to mode with DLM_VALB, for a conversion down from PW or
 * EX stores the value (and makes it valid). */
static void publish(dlm_nsp_t ns, dlm_rd_id_t rd, const char *name, uint_t count,
                    dlm_lkmode_t mode, dlm_lkid_t *lkid)
{
    dlm_valb_t value = { { 0 } };

    COUNT(value) = count;
    check(name, lock_persistent(ns, rd, name, DLM_EXMODE, NULL, lkid));
    check(name, dlm_cvt(lkid, mode, &value, DLM_VALB, NULL, NULL, NULL, 0));
}

/* Read name's value block with a PR lock, released at once; the grant's
 * status. */
static dlm_status_t read_value(dlm_nsp_t ns, dlm_rd_id_t rd, const char *name,
                               dlm_valb_t *value)
{
    dlm_lkid_t lkid;
    dlm_status_t status = lock_persistent(ns, rd, name, DLM_PRMODE, value, &lkid);

    if (status == DLM_SUCCESS || status == DLM_SUCCVALNOTVALID)
        check(name, dlm_unlock(&lkid, NULL, 0));
    return status;
}

/* Go on only if name's value block is valid and holds count. */
static void expect_count(dlm_nsp_t ns, dlm_rd_id_t rd, const char *name, uint_t count)
{
    dlm_valb_t value;

    expect(name, read_value(ns, rd, name, &value), DLM_SUCCESS);
    if (COUNT(value) != count) {
        fprintf(stderr, "%s: the count is %u (expected %u)\n", name, COUNT(value), count);
        exit(1);
    }
}

/* The partner: count the fruit, and die selling plums. */
static int clerk(struct partner *parent)
{
    dlm_nsp_t ns = start("the clerk", NOTIFY_BY_POLLING);
    dlm_lkid_t apples, pears, plums;
    dlm_rd_id_t rd;

    check("the clerk attaching", dlm_rd_attach(domain, &rd, DLM_RD_PROCESS));
    publish(ns, rd, APPLES, APPLES_COUNTED, DLM_NLMODE, &apples);
    check(APPLES, dlm_unlock(&apples, NULL, 0));
    publish(ns, rd, PEARS, PEARS_COUNTED, DLM_PRMODE, &pears);
    publish(ns, rd, PLUMS, PLUMS_COUNTED, DLM_NLMODE, &plums);
    /* A sale: up to EX to change the count, which would be written on the
     * way back down - but the clerk dies first. */
    check(PLUMS, dlm_cvt(&plums, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, 0));
    tell(parent, 1);                    /* halfway through the sale */
    hear(parent);                       /* killed while it waits */
    return 1;
}

int main(void)
{
    dlm_rd_collection_hndl_t collection;
    struct partner partner;
    dlm_status_t status;
    dlm_valb_t value;
    dlm_lkid_t lkid;
    dlm_rd_id_t rd;
    dlm_nsp_t ns;
    uint_t plums;
    int round = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);   /* the two processes' lines in order */
    partner_start(&partner, clerk);
    ns = start("recovery", NOTIFY_BY_POLLING);  /* no routines to run */
    check("attaching to the domain", dlm_rd_attach(domain, &rd, DLM_RD_PROCESS));
    hear(&partner);
    printf("recovery: the clerk counted %d apples (released), %d pears (held in PR) and %d "
           "plums, and holds the plums in EX to sell %d\n", APPLES_COUNTED, PEARS_COUNTED,
           PLUMS_COUNTED, PLUMS_SOLD);
    if (partner_kill(&partner) != 0) {
        fprintf(stderr, "recovery: the clerk did not die of SIGKILL\n");
        return 1;
    }
    printf("recovery: the clerk was killed with SIGKILL\n");

    /* Its locks died with it; the resources and their value blocks stay.
     * Only the death of a PW or EX holder makes a value invalid. */
    expect_count(ns, rd, APPLES, APPLES_COUNTED);
    expect_count(ns, rd, PEARS, PEARS_COUNTED);
    printf("recovery: %d apples, %d pears: valid\n", APPLES_COUNTED, PEARS_COUNTED);
    expect(PLUMS, read_value(ns, rd, PLUMS, &value), DLM_SUCCVALNOTVALID);
    printf("recovery: the plums: DLM_SUCCVALNOTVALID, the count died with its writer\n");

    /* The collection's handle does not list its resources: a program
     * knows what it keeps in the domain, and repairs what it found
     * invalid.  Here the repair is a stocktake of the plums. */
    do {
        check("collecting the domain", dlm_rd_collect(rd, &collection, 0));
        plums = PLUMS_COUNTED - PLUMS_SOLD;     /* the sale went through */
        status = dlm_rd_validate(rd, &collection, 0);
        if (status != DLM_MORE_TO_RECOVER)
            check("validating the collection", status);
        printf("recovery: round %d: collected, counted %u plums, validated%s\n", ++round,
               plums, status == DLM_MORE_TO_RECOVER ? ": more to recover" : "");
    } while (status == DLM_MORE_TO_RECOVER);

    /* Validation zeroes what it makes valid: write the count after it. */
    expect_count(ns, rd, PLUMS, 0);
    printf("recovery: the plums: valid again, and zero\n");
    publish(ns, rd, PLUMS, plums, DLM_NLMODE, &lkid);
    check(PLUMS, dlm_unlock(&lkid, NULL, 0));
    expect_count(ns, rd, PLUMS, plums);
    printf("recovery: the plums: %u, written after the validation\n", plums);

    /* A persistent resource takes persistent locks only. */
    expect("an ordinary lock on the plums",
           dlm_lock(ns, (uchar_t *)PLUMS, (ushort_t)strlen(PLUMS), NULL, &lkid, DLM_PRMODE,
                    NULL, 0, NULL, NULL, NULL, 0), DLM_IS_PR);
    printf("recovery: an ordinary lock on the plums (no DLM_PERSIST): DLM_IS_PR\n");

    check("detaching from the domain", dlm_rd_detach(rd, 0));
    check("leaving", dlm_nsleave(&ns, 0));
    printf("recovery: detached and left; the three resources stay, with their counts\n");
    return 0;
}
