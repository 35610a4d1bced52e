/*
 * Queries, through <sys/dlm.h> only: dlm_get_lkinfo() on the caller's
 * locks and dlm_get_rsbinfo() on a resource of a joined namespace (on the
 * Linux engine: DLM_ENOSYS once the arguments pass their checks).
 */
#include <string.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

static uchar_t name[] = "queried";
#define NAMELEN 7

static int completions;

static void count_completion(callback_arg_t arg, dlm_lkid_t *lkid, dlm_status_t status)
{
    (void)arg;
    (void)lkid;
    (void)status;
    completions++;
}

static void blocked(callback_arg_t arg, callback_arg_t hint, dlm_lkid_t *lkid,
                    dlm_lkmode_t mode)
{
    (void)arg;
    (void)hint;
    (void)lkid;
    (void)mode;
}

/* dlm_get_rsbinfo(), asserting its status: DLM_SUCCESS, or on the Linux
 * engine, which has no consistent picture of a resource's queues to give
 * (README, "The Linux engine"), DLM_ENOSYS.  1 when rsb holds the answer. */
static int rsbinfo(dlm_nsp_t ns, uchar_t *resnam, ushort_t resnlen, dlm_rsbinfo_t *rsb,
                   dlm_lkid_t *parent)
{
    dlm_status_t status = dlm_get_rsbinfo(ns, resnam, resnlen, rsb, parent);

    if (fixture_on_linux()) {
        CU_ASSERT_EQUAL(status, DLM_ENOSYS);
        return 0;
    }
    CU_ASSERT_EQUAL(status, DLM_SUCCESS);
    return status == DLM_SUCCESS;
}

static dlm_status_t lock_root(dlm_nsp_t ns, dlm_lkid_t *lkid, dlm_lkmode_t mode)
{
    return dlm_lock(ns, name, NAMELEN, NULL, lkid, mode, NULL, 0, NULL, NULL, NULL, 0);
}

static void lkinfo_describes_a_granted_lock(void)
{
    dlm_lkid_t parent, child;
    dlm_lkinfo_t info;
    uchar_t kid[] = "kid";
    dlm_nsp_t ns;
    int notprm;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(ns, name, NAMELEN, NULL, &parent, DLM_PRMODE, NULL, 0,
                                   &notprm, NULL, blocked, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(0, kid, 3, &parent, &child, DLM_EXMODE, NULL, 0, NULL,
                                   NULL, NULL, 0), DLM_SUCCESS);

    CU_ASSERT_EQUAL(dlm_get_lkinfo(&parent, &info), DLM_SUCCESS);
    CU_ASSERT_EQUAL(info.resnlen, NAMELEN);
    CU_ASSERT(memcmp(info.resnam, name, NAMELEN) == 0);
    CU_ASSERT(info.parlkid.seqn == 0 && info.parlkid.hndl == 0);
    CU_ASSERT_EQUAL(info.grmode, DLM_PRMODE);
    CU_ASSERT_EQUAL(info.lkstate, GRANTED);
    CU_ASSERT_EQUAL(info.lk_pid, getpid());
    CU_ASSERT(info.notprm == &notprm && info.blkrtn == blocked);

    CU_ASSERT_EQUAL(dlm_get_lkinfo(&child, &info), DLM_SUCCESS);
    CU_ASSERT(info.parlkid.seqn == parent.seqn && info.parlkid.hndl == parent.hndl);
    CU_ASSERT(info.resnlen == 3 && memcmp(info.resnam, kid, 3) == 0);
    CU_ASSERT_EQUAL(info.grmode, DLM_EXMODE);
    CU_ASSERT_EQUAL(dlm_unlock(&parent, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&parent, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* One resource with a granted PR, a PR converting to EX and a CW
 * waiting: every state and every queue summary. */
static void queues_are_summarised(void)
{
    dlm_lkid_t reader, converter, waiter;
    dlm_lkinfo_t info;
    dlm_rsbinfo_t rsb;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(ns, name, NAMELEN, NULL, &reader, DLM_PRMODE, NULL, 0, NULL,
                                   NULL, blocked, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(lock_root(ns, &converter, DLM_PRMODE), DLM_SUCCESS);
    completions = 0;
    CU_ASSERT_EQUAL(dlm_quecvt(&converter, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, 0,
                               count_completion), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_quelock(ns, name, NAMELEN, NULL, &waiter, DLM_CWMODE, NULL, 0, NULL,
                                NULL, NULL, 0, count_completion), DLM_SUCCESS);

    CU_ASSERT_EQUAL(dlm_get_lkinfo(&converter, &info), DLM_SUCCESS);
    CU_ASSERT(info.lkstate == CONVERTING && info.grmode == DLM_PRMODE
              && info.rqmode == DLM_EXMODE);
    CU_ASSERT_EQUAL(dlm_get_lkinfo(&waiter, &info), DLM_SUCCESS);
    CU_ASSERT(info.lkstate == WAITING && info.grmode == DLM_NOMODE
              && info.rqmode == DLM_CWMODE);

    if (rsbinfo(ns, name, NAMELEN, &rsb, NULL)) {
        CU_ASSERT_EQUAL(rsb.lckcnt, 3);
        CU_ASSERT_EQUAL(rsb.blkastcnt, 1);
        CU_ASSERT_EQUAL(rsb.ggmode, DLM_PRMODE);
        CU_ASSERT_EQUAL(rsb.ggcnt, 2);
        CU_ASSERT_EQUAL(rsb.cvtqmode, DLM_EXMODE);
        CU_ASSERT_EQUAL(rsb.wtqmode, DLM_CWMODE);
        CU_ASSERT_EQUAL(rsb.subrescnt, 0);
    }

    /* Releasing the reader grants the conversion, then the waiter stays
     * behind EX; releasing everything ends both requests. */
    CU_ASSERT_EQUAL(dlm_unlock(&reader, NULL, 0), DLM_SUCCESS);
    CU_ASSERT(fixture_notify_count(&completions, 1));
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT(fixture_notify_count(&completions, 2));
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void rsbinfo_reports_the_value_block(void)
{
    dlm_valb_t written = { { 1, 2, 3, 4 } };
    dlm_lkid_t keeper, writer;
    dlm_rsbinfo_t rsb;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(lock_root(ns, &keeper, DLM_NLMODE), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(lock_root(ns, &writer, DLM_EXMODE), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&writer, &written, DLM_VALB), DLM_SUCCESS);
    if (rsbinfo(ns, name, NAMELEN, &rsb, NULL)) {
        CU_ASSERT_EQUAL(rsb.vbstatus, 1);
        CU_ASSERT_EQUAL(rsb.vbseqnum, 1);
        CU_ASSERT(memcmp(&rsb.valb, &written, sizeof written) == 0);
    }

    CU_ASSERT_EQUAL_FATAL(lock_root(ns, &writer, DLM_PWMODE), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&writer, NULL, DLM_INVVALBLK), DLM_SUCCESS);
    if (rsbinfo(ns, name, NAMELEN, &rsb, NULL))
        CU_ASSERT_EQUAL(rsb.vbstatus, 0);
    CU_ASSERT_EQUAL(dlm_unlock(&keeper, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Children are counted at any depth of naming: one short name, one that
 * the library must name by digest (the path outgrows the engine's). */
static void rsbinfo_counts_child_resources(void)
{
    uchar_t deep[DLM_RESNAMELEN], kid[] = "kid";
    dlm_lkid_t root, middle, a, b, c;
    dlm_rsbinfo_t rsb;
    dlm_nsp_t ns;

    memset(deep, 'd', sizeof deep);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(lock_root(ns, &root, DLM_NLMODE), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(0, deep, sizeof deep, &root, &middle, DLM_NLMODE, NULL, 0,
                                   NULL, NULL, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(0, kid, 3, &middle, &a, DLM_NLMODE, NULL, 0, NULL, NULL,
                                   NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(0, deep, sizeof deep, &middle, &b, DLM_NLMODE, NULL, 0,
                                   NULL, NULL, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_lock(0, kid, 3, &root, &c, DLM_NLMODE, NULL, 0, NULL, NULL,
                                   NULL, 0), DLM_SUCCESS);

    if (rsbinfo(ns, name, NAMELEN, &rsb, NULL))
        CU_ASSERT_EQUAL(rsb.subrescnt, 2);
    if (rsbinfo(0, deep, sizeof deep, &rsb, &root)) {
        CU_ASSERT_EQUAL(rsb.subrescnt, 2);
        CU_ASSERT_EQUAL(rsb.lckcnt, 1);
    }
    if (rsbinfo(0, deep, sizeof deep, &rsb, &middle))
        CU_ASSERT_EQUAL(rsb.subrescnt, 0);
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void queries_refuse_bad_arguments(void)
{
    dlm_lkid_t lkid, forged = { 12345, 777 };
    dlm_lkinfo_t info;
    dlm_rsbinfo_t rsb;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(lock_root(ns, &lkid, DLM_EXMODE), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_get_lkinfo(NULL, &info), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_get_lkinfo(&lkid, NULL), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_get_lkinfo(&forged, &info), DLM_IVLOCKID);
    CU_ASSERT_EQUAL(dlm_get_rsbinfo(ns, NULL, NAMELEN, &rsb, NULL), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_get_rsbinfo(ns, name, NAMELEN, NULL, NULL), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_get_rsbinfo(ns, name, 0, &rsb, NULL), DLM_IVBUFLEN);
    CU_ASSERT_EQUAL(dlm_get_rsbinfo(ns, name, DLM_RESNAMELEN + 1, &rsb, NULL), DLM_IVBUFLEN);
    CU_ASSERT_EQUAL(dlm_get_rsbinfo(ns + 1, name, NAMELEN, &rsb, NULL), DLM_NOTATTACHED);
    CU_ASSERT_EQUAL(dlm_get_rsbinfo(ns, (uchar_t *)"absent", 6, &rsb, NULL),
                    fixture_on_linux() ? DLM_ENOSYS : DLM_ENOENT);
    CU_ASSERT_EQUAL(dlm_get_rsbinfo(0, name, NAMELEN, &rsb, &forged), DLM_IVLOCKID);

    /* Nothing changed: the lock is still granted EX. */
    CU_ASSERT_EQUAL(dlm_get_lkinfo(&lkid, &info), DLM_SUCCESS);
    CU_ASSERT(info.grmode == DLM_EXMODE && info.lkstate == GRANTED);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_get_lkinfo(&lkid, &info), DLM_IVLOCKID);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static const struct harness_test tests[] = {
    { "lkinfo describes a granted lock", lkinfo_describes_a_granted_lock },
    { "the queues are summarised", queues_are_summarised },
    { "rsbinfo reports the value block", rsbinfo_reports_the_value_block },
    { "rsbinfo counts child resources", rsbinfo_counts_child_resources },
    { "queries refuse bad arguments", queries_refuse_bad_arguments },
    { NULL, NULL }
};

static const struct harness_suite suite = { "queries", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
