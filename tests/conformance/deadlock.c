/*
 * Deadlock detection, through <sys/dlm.h> only.
 *
 * Two owners each hold one resource and ask for the other's: exactly one
 * of the two requests completes with DLM_DEADLOCK (the library's rule
 * picks the victim; the test does not presume which), and the other is
 * granted once the victim gives up its lock.  Owners are processes, or
 * transactions when dlm_locktp() names one; DLM_NODLCKWT keeps a request
 * out of the search.  On the Linux engine, which does not search (README,
 * "The Linux engine"), a deadlock waits until a timeout ends it; the
 * kernel itself refuses a conversion deadlock, as the last test wants.
 */
#include <stdlib.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"
#include "peer.h"
#include "fixture.h"

static uchar_t first[] = "first", second[] = "second";

/* What one side of a crossed wait does. */
struct side {
    uchar_t *holds, *wants;
    dlm_flags_t flags;          /* of the request for wants */
    dlm_trans_id_t trans_id;    /* 0: owned by the process */
    uint_t timeout;
};

static dlm_status_t take(dlm_nsp_t ns, uchar_t *name, dlm_lkid_t *lkid, const struct side *s,
                         uint_t timeout, dlm_flags_t flags)
{
    if (s->trans_id != 0)
        flags |= DLM_TXID_GLOBAL;
    return dlm_locktp(ns, name, (ushort_t)(name == first ? 5 : 6), NULL, lkid, DLM_EXMODE,
                      NULL, flags, NULL, NULL, NULL, timeout, s->trans_id, 0);
}

/* Hold one resource and tell the other side; the child then waits for
 * the parent to hold its own.  Then ask for the other's resource, and
 * report how that ended. */
static void cross(struct peer *other, const struct side *s, int is_child, dlm_status_t *status)
{
    dlm_lkid_t held, wanted;
    dlm_nsp_t ns;

    if (fixture_join(&ns) != DLM_SUCCESS || take(ns, s->holds, &held, s, 0, 0) != DLM_SUCCESS) {
        *status = -1;
        return;
    }
    peer_send(other, 1);
    if (is_child)
        peer_receive(other);
    *status = take(ns, s->wants, &wanted, s, s->timeout, s->flags);
    if (*status == DLM_SUCCESS)
        dlm_unlock(&wanted, NULL, 0);
    dlm_unlock(&held, NULL, 0);
    dlm_nsleave(&ns, 0);
}

struct crossing {
    struct side parent, child;
};

static void child_side(struct peer *self, void *arg)
{
    const struct crossing *c = arg;
    dlm_status_t status;

    cross(self, &c->child, 1, &status);
    peer_send(self, status);
}

/* Run the crossed wait; the statuses of the parent's and the child's
 * requests. */
static void run_crossing(const struct crossing *c, dlm_status_t *parent, dlm_status_t *child)
{
    struct peer peer;

    CU_ASSERT_FATAL(peer_start(&peer, child_side, (void *)c) == 0);
    /* The child holds its resource before the parent asks for it, and
     * the other way round. */
    CU_ASSERT_EQUAL_FATAL(peer_receive(&peer), 1);
    cross(&peer, &c->parent, 0, parent);
    *child = peer_receive(&peer);
    CU_ASSERT_EQUAL(peer_finish(&peer), 0);
}

/* Neither request is a deadlock's victim: a timeout ends the wait. */
static void assert_no_victim(dlm_status_t a, dlm_status_t b)
{
    CU_ASSERT(a == DLM_TIMEOUT || b == DLM_TIMEOUT);
    CU_ASSERT(a != DLM_DEADLOCK && b != DLM_DEADLOCK);
}

/* Run a crossing that is a deadlock: exactly one request loses.  The
 * Linux engine does not search for deadlocks (README, "The Linux
 * engine": the kernel shows no consistent picture of the queues), so
 * there the requests wait until a timeout ends one of them. */
static void run_cycle(struct crossing *c)
{
    dlm_status_t parent, child;

    if (fixture_on_linux())
        c->parent.timeout = c->child.timeout = 50;
    run_crossing(c, &parent, &child);
    if (fixture_on_linux())
        assert_no_victim(parent, child);
    else
        CU_ASSERT((parent == DLM_DEADLOCK && child == DLM_SUCCESS)
                  || (parent == DLM_SUCCESS && child == DLM_DEADLOCK));
}

static void processes_in_a_cycle_lose_exactly_one_request(void)
{
    struct crossing c = { { first, second, 0, 0, 0 }, { second, first, 0, 0, 0 } };

    run_cycle(&c);
}

static void transactions_in_a_cycle_lose_exactly_one_request(void)
{
    struct crossing c = { { first, second, 0, 11, 0 }, { second, first, 0, 12, 0 } };

    run_cycle(&c);
}

/* One transaction in two processes waits for itself: no deadlock to
 * break, so both requests run into their timeouts. */
static void one_transaction_never_deadlocks_itself(void)
{
    struct crossing c = { { first, second, 0, 7, 50 }, { second, first, 0, 7, 50 } };
    dlm_status_t parent, child;

    run_crossing(&c, &parent, &child);
    assert_no_victim(parent, child);
}

static void requests_without_deadlock_wait_are_not_searched(void)
{
    struct crossing c = { { first, second, DLM_NODLCKWT, 0, 50 },
                          { second, first, DLM_NODLCKWT, 0, 50 } };
    dlm_status_t parent, child;

    run_crossing(&c, &parent, &child);
    assert_no_victim(parent, child);
}

/* A conversion deadlock on one resource: two PR holders both want EX.
 * The second conversion is refused at once with DLM_DEADLOCK and its lock
 * stays PR; the first is granted when the second lets go. */
static int converted;
static dlm_status_t conversion_status;

static void note_conversion(callback_arg_t arg, dlm_lkid_t *lkid, dlm_status_t status)
{
    (void)arg;
    (void)lkid;
    conversion_status = status;
    converted = 1;
}

static void second_converter(struct peer *self, void *arg)
{
    dlm_lkid_t lkid;
    dlm_lkinfo_t info;
    dlm_nsp_t ns;
    dlm_status_t status = -1;

    (void)arg;
    if (fixture_join(&ns) == DLM_SUCCESS
        && dlm_lock(ns, first, 5, NULL, &lkid, DLM_PRMODE, NULL, 0, NULL, NULL, NULL, 0)
           == DLM_SUCCESS) {
        peer_send(self, 1);
        peer_receive(self);
        status = dlm_cvt(&lkid, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, 0);
        if (status == DLM_DEADLOCK
            && (dlm_get_lkinfo(&lkid, &info) != DLM_SUCCESS || info.grmode != DLM_PRMODE))
            status = -2;
        dlm_unlock(&lkid, NULL, 0);
        dlm_nsleave(&ns, 0);
    }
    peer_send(self, status);
}

static void conversion_deadlock_refuses_the_second_conversion(void)
{
    struct peer peer;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(ns, first, 5, NULL, &lkid, DLM_PRMODE, NULL, 0, NULL, NULL,
                                   NULL, 0), DLM_SUCCESS);
    CU_ASSERT_FATAL(peer_start(&peer, second_converter, NULL) == 0);
    CU_ASSERT_EQUAL_FATAL(peer_receive(&peer), 1);
    converted = 0;
    CU_ASSERT_EQUAL(dlm_quecvt(&lkid, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, 0,
                               note_conversion), DLM_SUCCESS);
    peer_send(&peer, 1);
    CU_ASSERT_EQUAL(peer_receive(&peer), DLM_DEADLOCK);
    CU_ASSERT(fixture_notify_until(&converted));
    CU_ASSERT_EQUAL(conversion_status, DLM_SUCCESS);
    CU_ASSERT_EQUAL(peer_finish(&peer), 0);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static const struct harness_test tests[] = {
    { "processes in a cycle lose exactly one request (Linux engine: none, until a timeout)",
      processes_in_a_cycle_lose_exactly_one_request },
    { "transactions in a cycle lose exactly one request (Linux engine: none, until a timeout)",
      transactions_in_a_cycle_lose_exactly_one_request },
    { "one transaction never deadlocks itself", one_transaction_never_deadlocks_itself },
    { "requests without deadlock wait are not searched",
      requests_without_deadlock_wait_are_not_searched },
    { "a conversion deadlock refuses the second conversion",
      conversion_deadlock_refuses_the_second_conversion },
    { NULL, NULL }
};

static const struct harness_suite suite = { "deadlock detection", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
