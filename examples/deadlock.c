/*
 * deadlock - two processes take two locks in opposite orders, and the
 * lock manager breaks the deadlock between them.
 *
 * The parent holds "left" and asks for "right"; its partner holds "right"
 * and asks for "left".  Neither can go on until the other lets go.  The
 * DLM looks for such cycles while requests wait; it picks one of the two
 * requests as the victim (which one is its choice) and fails it with
 * DLM_DEADLOCK.  The victim's owner backs off - it releases what it
 * holds, which lets the other finish - and then takes both locks again,
 * waiting its turn.
 *
 * In the second round both requests carry DLM_NODLCKWT, which keeps them
 * out of the search: the DLM never breaks that deadlock, the program
 * must.  Here the partner's request has a timeout, and it is the timeout
 * that ends the wait.
 *
 * The partner's first request has a long timeout too, as a program should
 * where the lock manager may not search for deadlocks at all (the Linux
 * kernel DLM does not): there the timeout breaks the first round as well.
 *
 *   deadlock
 */
#include <string.h>

#include "example.h"
#include "partner.h"

#define PATIENCE        20      /* hundredths of a second */
#define LAST_RESORT     1000    /* ten seconds: the search takes a tenth */

static uchar_t left[] = "left", right[] = "right";

struct round {
    const char *title;
    dlm_flags_t flags;          /* of both requests for the other's lock */
    uint_t parent_timeout, partner_timeout;
    dlm_status_t breaks;        /* how the request that gives way ends */
};

static const struct round rounds[] = {
    { "the DLM picks a victim", 0, 0, LAST_RESORT, DLM_DEADLOCK },
    { "DLM_NODLCKWT: a timeout has to end it", DLM_NODLCKWT, 0, PATIENCE, DLM_TIMEOUT },
};

#define NROUNDS         (sizeof rounds / sizeof rounds[0])

static dlm_status_t lock_ex(dlm_nsp_t ns, uchar_t *name, dlm_flags_t flags, uint_t timeout,
                            dlm_lkid_t *lkid)
{
    return dlm_lock(ns, name, (ushort_t)strlen((char *)name), NULL, lkid, DLM_EXMODE, NULL,
                    flags, NULL, NULL, NULL, timeout);
}

/* One side of a round: hold one lock, and once the other side holds its
 * own, ask for that one too.  Returns how the request ended. */
static dlm_status_t cross(const char *who, dlm_nsp_t ns, const struct partner *other,
                          uchar_t *holds, uchar_t *wants, const struct round *round,
                          uint_t timeout)
{
    dlm_lkid_t held, wanted;
    dlm_status_t status;

    check("taking the first lock", lock_ex(ns, holds, 0, 0, &held));
    tell(other, 1);                     /* I hold mine */
    hear(other);                        /* the other holds its own */
    printf("deadlock: %s holds %s, asks for %s\n", who, (char *)holds, (char *)wants);
    status = lock_ex(ns, wants, round->flags, timeout, &wanted);
    if (status == DLM_TIMEOUT && round->breaks == DLM_DEADLOCK) {
        printf("deadlock: this lock manager did not break the deadlock; a timeout did\n");
        status = round->breaks;
    }
    if (status == round->breaks) {
        printf("deadlock: %s gives way (%s)\n", who, dlm_sperrno(status));
        /* Releasing lets the other have both.  Asking again waits for it
         * to finish, and no cycle forms: it wants nothing more. */
        check("backing off", dlm_unlock(&held, NULL, 0));
        check("taking the first lock again", lock_ex(ns, holds, 0, 0, &held));
        check("taking the second lock again", lock_ex(ns, wants, 0, 0, &wanted));
        printf("deadlock: %s has both at the second try\n", who);
    } else {
        expect("asking for the second lock", status, DLM_SUCCESS);
        printf("deadlock: %s has both\n", who);
    }
    check("releasing the second lock", dlm_unlock(&wanted, NULL, 0));
    check("releasing the first lock", dlm_unlock(&held, NULL, 0));
    return status;
}

/* The partner plays every round from the other end and reports how its
 * request ended. */
static int partner_plays(struct partner *parent)
{
    dlm_nsp_t ns = start("deadlock partner", NOTIFY_BY_POLLING);
    size_t i;

    for (i = 0; i < NROUNDS; i++)
        tell(parent, cross("the partner", ns, parent, right, left, &rounds[i],
                           rounds[i].partner_timeout));
    check("the partner leaving", dlm_nsleave(&ns, 0));
    return 0;
}

int main(void)
{
    dlm_status_t mine, theirs;
    struct partner partner;
    dlm_nsp_t ns;
    size_t i;

    setvbuf(stdout, NULL, _IOLBF, 0);   /* the two processes' lines in order */
    partner_start(&partner, partner_plays);
    ns = start("deadlock", NOTIFY_BY_POLLING);   /* no routines to run */
    for (i = 0; i < NROUNDS; i++) {
        printf("deadlock: round %zu: %s\n", i + 1, rounds[i].title);
        mine = cross("the parent", ns, &partner, left, right, &rounds[i],
                     rounds[i].parent_timeout);
        theirs = hear(&partner);
        /* Each request either was granted or gave way (cross() stops at
         * anything else): exactly one of them gave way. */
        if ((mine == rounds[i].breaks) == (theirs == rounds[i].breaks)) {
            fprintf(stderr, "deadlock: round %zu: the parent got %s, the partner %s\n", i + 1,
                    dlm_sperrno(mine), dlm_sperrno(theirs));
            return 1;
        }
    }
    check("leaving", dlm_nsleave(&ns, 0));
    if (partner_finish(&partner) != 0) {
        fprintf(stderr, "deadlock: the partner failed\n");
        return 1;
    }
    printf("deadlock: both finished\n");
    return 0;
}
