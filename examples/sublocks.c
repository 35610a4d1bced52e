/*
 * sublocks - a tree of resources, built with sublocks.
 *
 * A lock requested with a parent lock ID is a sublock: its resource lives
 * under the parent's resource, so a name means something only beside its
 * parent.  This warehouse has a bin-7 in each aisle: two resources, both
 * held in EX at once.
 *
 *   warehouse         NL, the root lock
 *     aisle-1         NL
 *       bin-7         EX
 *       bin-8         EX
 *         crate       EX
 *     aisle-2         NL
 *       bin-7         EX
 *
 * Then the rules of a tree:
 *   - a lock that has sublocks cannot be released alone: DLM_SUBLOCKS;
 *   - dlm_unlock() with DLM_DEQALL and a lock ID releases every lock
 *     below that lock, at any depth, and keeps the lock itself;
 *   - a parent must be granted before it can have sublocks: while its
 *     request waits, a sublock is refused with DLM_PARNOTGRANT;
 *   - DLM_DEQALL without a lock ID releases every lock of the process.
 *
 *   sublocks
 */
#include <string.h>

#include "example.h"

/* Lock the resource name: a root resource of namespace ns when parent is
 * NULL, else one under parent's resource - and then ns must be 0, for a
 * tree lives in the namespace of its root. */
static dlm_status_t take(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name, dlm_lkmode_t mode,
                         dlm_flags_t flags, dlm_lkid_t *lkid)
{
    return dlm_lock(ns, (uchar_t *)name, (ushort_t)strlen(name), parent, lkid, mode, NULL,
                    flags, NULL, NULL, NULL, 0);
}

int main(void)
{
    dlm_lkid_t warehouse, aisle_1, aisle_2, bin_7_of_aisle_1, bin_7_of_aisle_2, bin_8, crate;
    dlm_lkid_t aisle_1_again, bin_7_again, dock, dock_again, berth;
    struct completion completion = { 0, 0 };
    dlm_nsp_t ns;

    ns = start("sublocks", NOTIFY_BY_SIGNAL);

    check("locking the warehouse", take(ns, NULL, "warehouse", DLM_NLMODE, 0, &warehouse));
    check("locking aisle-1", take(0, &warehouse, "aisle-1", DLM_NLMODE, 0, &aisle_1));
    check("locking aisle-2", take(0, &warehouse, "aisle-2", DLM_NLMODE, 0, &aisle_2));
    /* DLM_NOQUEUE: were the two bin-7 one resource, the second request
     * would fail at once with DLM_NOTQUEUED instead of waiting for ever. */
    check("locking bin-7 of aisle-1",
          take(0, &aisle_1, "bin-7", DLM_EXMODE, DLM_NOQUEUE, &bin_7_of_aisle_1));
    check("locking bin-7 of aisle-2",
          take(0, &aisle_2, "bin-7", DLM_EXMODE, DLM_NOQUEUE, &bin_7_of_aisle_2));
    printf("sublocks: bin-7 of aisle-1 and bin-7 of aisle-2 are both held in EX: "
           "two resources\n");

    /* The tree is one of resources, not of locks: a second lock on aisle-1
     * leads to the same bin-7, which we hold in EX. */
    check("locking aisle-1 again", take(0, &warehouse, "aisle-1", DLM_NLMODE, 0, &aisle_1_again));
    expect("locking bin-7 under the second lock on aisle-1",
           take(0, &aisle_1_again, "bin-7", DLM_EXMODE, DLM_NOQUEUE, &bin_7_again),
           DLM_NOTQUEUED);
    check("unlocking aisle-1 again", dlm_unlock(&aisle_1_again, NULL, 0));
    printf("sublocks: through a second lock on aisle-1, bin-7 is the same resource: "
           "DLM_NOTQUEUED\n");

    check("locking bin-8", take(0, &aisle_1, "bin-8", DLM_EXMODE, 0, &bin_8));
    check("locking the crate", take(0, &bin_8, "crate", DLM_EXMODE, 0, &crate));

    expect("unlocking the warehouse alone", dlm_unlock(&warehouse, NULL, 0), DLM_SUBLOCKS);
    expect_mode("the warehouse", &warehouse, DLM_NLMODE);
    expect_mode("bin-7 of aisle-1", &bin_7_of_aisle_1, DLM_EXMODE);
    printf("sublocks: unlocking the warehouse alone: DLM_SUBLOCKS, and nothing was released\n");

    check("unlocking below aisle-1", dlm_unlock(&aisle_1, NULL, DLM_DEQALL));
    expect_mode("bin-7 of aisle-1", &bin_7_of_aisle_1, DLM_NOMODE);
    expect_mode("bin-8", &bin_8, DLM_NOMODE);
    expect_mode("the crate", &crate, DLM_NOMODE);
    expect_mode("aisle-1", &aisle_1, DLM_NLMODE);
    expect_mode("bin-7 of aisle-2", &bin_7_of_aisle_2, DLM_EXMODE);
    printf("sublocks: DLM_DEQALL on aisle-1 released bin-7, bin-8 and the crate, "
           "and kept aisle-1\n");
    check("unlocking aisle-1", dlm_unlock(&aisle_1, NULL, 0));

    /* Hold the dock in EX and ask for it again, in PR and asynchronously:
     * that request waits behind our own EX, since a process's locks
     * conflict with each other as with anyone's. */
    check("locking the dock", take(ns, NULL, "dock", DLM_EXMODE, 0, &dock));
    check("asking for the dock again",
          dlm_quelock(ns, (uchar_t *)"dock", (ushort_t)strlen("dock"), NULL, &dock_again,
                      DLM_PRMODE, NULL, 0, &completion, NULL, NULL, 0, note_completion));
    expect("locking a berth under the waiting request",
           take(0, &dock_again, "berth", DLM_NLMODE, 0, &berth), DLM_PARNOTGRANT);
    printf("sublocks: a sublock of a lock still waiting: DLM_PARNOTGRANT\n");
    check("unlocking the dock", dlm_unlock(&dock, NULL, 0));
    wait_for(&completion.done, NOTIFY_BY_SIGNAL);
    expect("the waiting request", completion.status, DLM_SUCCESS);
    check("locking the berth", take(0, &dock_again, "berth", DLM_NLMODE, 0, &berth));
    printf("sublocks: once its parent was granted, the berth was too\n");

    check("unlocking everything", dlm_unlock(NULL, NULL, DLM_DEQALL));
    expect_mode("the warehouse", &warehouse, DLM_NOMODE);
    expect_mode("bin-7 of aisle-2", &bin_7_of_aisle_2, DLM_NOMODE);
    expect_mode("the berth", &berth, DLM_NOMODE);
    printf("sublocks: DLM_DEQALL without a lock ID released every lock of the process\n");
    check("leaving", dlm_nsleave(&ns, 0));
    return 0;
}
