/*
 * timeouts - requests that give up waiting.
 *
 * A partner process holds the ledger in EX until told to let go.  Each of
 * our requests for the ledger meanwhile carries a timeout, in hundredths
 * of a second (this library's unit; 0 waits for ever).  No flag goes with
 * it: a timeout alone says "give up after that long".
 *
 *   - dlm_lock() waits, then returns DLM_TIMEOUT, and no lock is left;
 *   - dlm_quelock() returns at once, and the completion routine reports
 *     DLM_TIMEOUT later; again no lock is left;
 *   - a conversion from NL up to PR that times out leaves the lock
 *     granted in NL, its old mode.
 *
 * Once the partner lets go, the same conversion is granted at once: a
 * timeout only limits how long a request waits.
 *
 *   timeouts
 */
#include "example.h"
#include "partner.h"

#define PATIENCE        20      /* hundredths of a second */

static uchar_t ledger[] = "ledger";

#define LEDGER_LEN      ((ushort_t)(sizeof ledger - 1))

/* The partner: hold the ledger in EX, say so, and let go when told. */
static int holder(struct partner *parent)
{
    dlm_nsp_t ns = start("timeouts holder", NOTIFY_BY_POLLING);
    dlm_lkid_t lkid;

    check("the holder locking", dlm_lock(ns, ledger, LEDGER_LEN, NULL, &lkid, DLM_EXMODE, NULL,
                                         0, NULL, NULL, NULL, 0));
    tell(parent, 1);                    /* I hold it */
    hear(parent);                       /* let go */
    check("the holder unlocking", dlm_unlock(&lkid, NULL, 0));
    check("the holder leaving", dlm_nsleave(&ns, 0));
    tell(parent, 1);                    /* it is free */
    return 0;
}

int main(void)
{
    struct completion completion = { 0, 0 };
    struct partner partner;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    setvbuf(stdout, NULL, _IOLBF, 0);
    partner_start(&partner, holder);
    ns = start("timeouts", NOTIFY_BY_SIGNAL);
    hear(&partner);                     /* it holds the ledger */
    printf("timeouts: the partner holds the ledger in EX\n");

    expect("dlm_lock with a timeout",
           dlm_lock(ns, ledger, LEDGER_LEN, NULL, &lkid, DLM_PRMODE, NULL, 0, NULL, NULL, NULL,
                    PATIENCE), DLM_TIMEOUT);
    printf("timeouts: dlm_lock(PR) waited %d hundredths, then returned DLM_TIMEOUT\n",
           PATIENCE);

    expect("dlm_quelock with a timeout",
           dlm_quelock(ns, ledger, LEDGER_LEN, NULL, &lkid, DLM_PRMODE, NULL, 0, &completion,
                       NULL, NULL, PATIENCE, note_completion), DLM_SUCCESS);
    printf("timeouts: dlm_quelock(PR) queued the request and returned\n");
    wait_for(&completion.done, NOTIFY_BY_SIGNAL);
    expect("the queued request", completion.status, DLM_TIMEOUT);
    printf("timeouts: its completion routine reported DLM_TIMEOUT\n");

    /* NL is compatible with every mode: granted at once, beside the EX. */
    check("locking in NL", dlm_lock(ns, ledger, LEDGER_LEN, NULL, &lkid, DLM_NLMODE, NULL, 0,
                                    NULL, NULL, NULL, 0));
    expect("converting NL to PR with a timeout",
           dlm_cvt(&lkid, DLM_PRMODE, NULL, 0, NULL, NULL, NULL, PATIENCE), DLM_TIMEOUT);
    expect_mode("the lock after its conversion timed out", &lkid, DLM_NLMODE);
    printf("timeouts: dlm_cvt(NL to PR) returned DLM_TIMEOUT; the lock is still granted in NL\n");

    tell(&partner, 1);                  /* let go */
    hear(&partner);                     /* it has */
    expect("converting NL to PR again",
           dlm_cvt(&lkid, DLM_PRMODE, NULL, 0, NULL, NULL, NULL, PATIENCE), DLM_SUCCESS);
    printf("timeouts: the partner let go; the same conversion is granted at once\n");
    check("unlocking", dlm_unlock(&lkid, NULL, 0));

    /* Leaving a namespace is refused while the process holds locks in it:
     * the timed-out requests left none behind. */
    check("leaving", dlm_nsleave(&ns, 0));
    if (partner_finish(&partner) != 0) {
        fprintf(stderr, "timeouts: the partner failed\n");
        return 1;
    }
    return 0;
}
