/*
 * Sublocks and resource trees, through <sys/dlm.h> only (reference 2.6,
 * 2.10, 4.2).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

/* A pointer to an all-zero lock ID means "no parent", as NULL does. */
static void null_and_all_zero_parents_both_mean_root(void)
{
    dlm_lkid_t zero = { 0, 0 }, lkid, other;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "sl-root", DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_lock(ns, (uchar_t *)"sl-root", 7, &zero, &other, DLM_CRMODE, NULL,
                             DLM_NOQUEUE, NULL, NULL, NULL, 0), DLM_NOTQUEUED);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_lock(ns, (uchar_t *)"sl-root", 7, &zero, &other, DLM_EXMODE, NULL,
                             DLM_NOQUEUE, NULL, NULL, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, "sl-root", DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(dlm_unlock(&other, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* The same name under different parents, or as a root, names different
 * resources. */
static void the_same_name_under_different_parents_is_different_resources(void)
{
    dlm_lkid_t a, b, under_a, under_b, as_root;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "sl-a", DLM_NLMODE, &a), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "sl-b", DLM_NLMODE, &b), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_with(0, &a, "kid", DLM_EXMODE, NULL, DLM_NOQUEUE, 0, &under_a),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_with(0, &b, "kid", DLM_EXMODE, NULL, DLM_NOQUEUE, 0, &under_b),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "kid", DLM_EXMODE, NULL, DLM_NOQUEUE, 0,
                                      &as_root), DLM_SUCCESS);
    /* And the same name under the same parent is the same resource. */
    CU_ASSERT_EQUAL(fixture_probe(0, &a, "kid", DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(fixture_probe(0, &b, "kid", DLM_CRMODE), 0);
    /* A child's name does not clash with its parent's. */
    CU_ASSERT_EQUAL(fixture_probe(0, &a, "sl-a", DLM_EXMODE), 1);
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Two processes' sublocks on the same parent resource meet: the tree is
 * named by resource, not by lock. */
static void sublocks_of_two_processes_under_one_parent_resource_conflict(void)
{
    struct peer other;
    dlm_lkid_t parent;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&other, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&other, 0, -1, "sl-shared", DLM_NLMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&other, 1, 0, "kid", DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "sl-shared", DLM_CRMODE, &parent), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(0, &parent, "kid", DLM_NLMODE), 1);
    CU_ASSERT_EQUAL(fixture_probe(0, &parent, "kid", DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(fixture_probe(0, &parent, "kie", DLM_EXMODE), 1);
    CU_ASSERT_EQUAL(agent_unlock(&other, 1, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_probe(0, &parent, "kid", DLM_EXMODE), 1);
    CU_ASSERT_EQUAL(dlm_unlock(&parent, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&other), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void a_parent_not_granted_is_parnotgrant(void)
{
    struct fixture_events events;
    dlm_lkid_t waiting, kid;
    struct peer holder;
    dlm_nsp_t ns;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "sl-wait", DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "sl-wait", DLM_PRMODE, 0, 0, &events, &waiting),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock(0, &waiting, "kid", DLM_NLMODE, &kid), DLM_PARNOTGRANT);
    CU_ASSERT_EQUAL(fixture_quelock(0, &waiting, "kid", DLM_NLMODE, 0, 0, &events, &kid),
                    DLM_PARNOTGRANT);
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(agent_unlock(&holder, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(fixture_lock(0, &waiting, "kid", DLM_NLMODE, &kid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&kid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&waiting, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void unlocking_a_parent_with_sublocks_is_sublocks(void)
{
    dlm_lkid_t parent, kid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "sl-par", DLM_PRMODE, &parent), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(0, &parent, "kid", DLM_EXMODE, &kid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&parent, NULL, 0), DLM_SUBLOCKS);
    CU_ASSERT(fixture_holds(&parent, DLM_PRMODE));
    CU_ASSERT(fixture_holds(&kid, DLM_EXMODE));
    CU_ASSERT_EQUAL(fixture_probe(0, &parent, "kid", DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(dlm_unlock(&kid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&parent, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* DLM_DEQALL with a lock ID releases every lock below it, at any depth,
 * and keeps the lock itself and everything else. */
static void deqall_with_a_parent_releases_its_sublocks_and_keeps_it(void)
{
    dlm_lkid_t parent, kid1, kid2, grandkid, sibling, sibling_kid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "sl-deq", DLM_PRMODE, &parent), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(0, &parent, "kid1", DLM_EXMODE, &kid1), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(0, &parent, "kid2", DLM_EXMODE, &kid2), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(0, &kid1, "grand", DLM_EXMODE, &grandkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "sl-sib", DLM_EXMODE, &sibling), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(0, &sibling, "kid1", DLM_EXMODE, &sibling_kid),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&parent, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT(fixture_is_gone(&kid1));
    CU_ASSERT(fixture_is_gone(&kid2));
    CU_ASSERT(fixture_is_gone(&grandkid));
    CU_ASSERT(fixture_holds(&parent, DLM_PRMODE));
    CU_ASSERT(fixture_holds(&sibling, DLM_EXMODE));
    CU_ASSERT(fixture_holds(&sibling_kid, DLM_EXMODE));
    CU_ASSERT_EQUAL(fixture_probe(0, &parent, "kid1", DLM_EXMODE), 1);
    /* Now the parent goes alone. */
    CU_ASSERT_EQUAL(dlm_unlock(&parent, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&sibling, NULL, 0), DLM_SUBLOCKS);
    CU_ASSERT_EQUAL(dlm_unlock(&sibling, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&sibling, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* DLM_DEQALL with no lock ID (NULL, or all zero) releases every lock of
 * the process, in every namespace, trees and all; nothing of another
 * process. */
static void deqall_without_a_lock_releases_every_lock(int null_id)
{
    dlm_lkid_t zero = { 0, 0 }, root, kid, other_root, waiting;
    struct fixture_events events;
    struct peer other;
    dlm_nsp_t ns, group;

    memset(&events, 0, sizeof events);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_nsjoin(getegid() != 0 ? getegid() : FIXTURE_GID_SHARED, &group,
                                     DLM_GROUP), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&other, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&other, 0, -1, "sl-other", DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "sl-all", DLM_EXMODE, &root), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(0, &root, "kid", DLM_EXMODE, &kid), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(group, NULL, "sl-all", DLM_EXMODE, &other_root),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "sl-other", DLM_EXMODE, 0, 0, &events, &waiting),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(null_id ? NULL : &zero, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT(fixture_is_gone(&root));
    CU_ASSERT(fixture_is_gone(&kid));
    CU_ASSERT(fixture_is_gone(&other_root));
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_ABORT);
    CU_ASSERT(fixture_is_gone(&waiting));
    CU_ASSERT_EQUAL(fixture_granted_mode(ns, NULL, "sl-all"), DLM_NLMODE);
    CU_ASSERT_EQUAL(fixture_granted_mode(group, NULL, "sl-all"), DLM_NLMODE);
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, "sl-other", DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(dlm_detach(), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&other), 0);
}

static void deqall_with_a_null_lock_id_releases_every_lock(void)
{
    deqall_without_a_lock_releases_every_lock(1);
}

static void deqall_with_an_all_zero_lock_id_releases_every_lock(void)
{
    deqall_without_a_lock_releases_every_lock(0);
}

/* Trees deeper than any engine's resource names still name distinct
 * resources: chains of DEPTH full-length names that differ in one level
 * only. */
#define DEPTH 6

static void name_of_level(char *name, int level, char differ)
{
    memset(name, 'a' + level, DLM_RESNAMELEN);
    name[DLM_RESNAMELEN] = '\0';
    name[DLM_RESNAMELEN / 2] = differ;
}

/* Lock a chain of NL locks, all full-length names, one level carrying
 * differ, down to and without the leaf; chain[DEPTH - 1] is the parent of
 * the leaf. */
static int lock_chain(dlm_nsp_t ns, int level_that_differs, char differ,
                      dlm_lkid_t chain[DEPTH])
{
    char name[DLM_RESNAMELEN + 1];
    int level;

    for (level = 0; level < DEPTH; level++) {
        name_of_level(name, level, level == level_that_differs ? differ : '=');
        if (fixture_lock(ns, level > 0 ? &chain[level - 1] : NULL, name, DLM_NLMODE,
                         &chain[level]) != DLM_SUCCESS)
            return -1;
    }
    return 0;
}

static void deep_trees_still_name_distinct_resources(void)
{
    char leaf[DLM_RESNAMELEN + 1];
    dlm_lkid_t first[DEPTH], second[DEPTH], same[DEPTH], lkid;
    int level;
    dlm_nsp_t ns;

    name_of_level(leaf, DEPTH, '=');
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(lock_chain(ns, -1, 0, first), 0);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(0, &first[DEPTH - 1], leaf, DLM_EXMODE, &lkid),
                          DLM_SUCCESS);
    /* The same path again: the same resource. */
    CU_ASSERT_EQUAL_FATAL(lock_chain(ns, -1, 0, same), 0);
    CU_ASSERT_EQUAL(fixture_probe(0, &same[DEPTH - 1], leaf, DLM_CRMODE), 0);
    /* A path that differs in one level: another resource, whichever the
     * level. */
    for (level = 0; level < DEPTH; level++) {
        CU_ASSERT_EQUAL_FATAL(lock_chain(ns, level, '#', second), 0);
        if (fixture_probe(0, &second[DEPTH - 1], leaf, DLM_EXMODE) != 1)
            printf("\n    paths differing at level %d meet ", level);
        CU_ASSERT_EQUAL(fixture_probe(0, &second[DEPTH - 1], leaf, DLM_EXMODE), 1);
        CU_ASSERT_EQUAL(dlm_unlock(&second[0], NULL, DLM_DEQALL), DLM_SUCCESS);
        CU_ASSERT_EQUAL(dlm_unlock(&second[0], NULL, 0), DLM_SUCCESS);
    }
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* ... and another process building the same deep path meets the same
 * resource. */
static void deep_trees_are_named_alike_in_every_process(void)
{
    char name[DLM_RESNAMELEN + 1];
    dlm_lkid_t chain[DEPTH], lkid;
    struct peer other;
    int level;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&other, NULL), DLM_SUCCESS);
    for (level = 0; level < DEPTH; level++) {
        name_of_level(name, level, '=');
        CU_ASSERT_EQUAL(agent_lock(&other, level, level - 1, name, DLM_NLMODE, 0, NULL),
                        DLM_SUCCESS);
    }
    name_of_level(name, DEPTH, '=');
    CU_ASSERT_EQUAL(agent_lock(&other, DEPTH, DEPTH - 1, name, DLM_EXMODE, 0, NULL),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(lock_chain(ns, -1, 0, chain), 0);
    CU_ASSERT_EQUAL(fixture_probe(0, &chain[DEPTH - 1], name, DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(agent_unlock(&other, DEPTH, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock(0, &chain[DEPTH - 1], name, DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&other), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static const struct harness_test tests[] = {
    { "NULL and all-zero parents both mean root", null_and_all_zero_parents_both_mean_root },
    { "the same name under different parents is different resources",
      the_same_name_under_different_parents_is_different_resources },
    { "sublocks of two processes under one parent resource conflict",
      sublocks_of_two_processes_under_one_parent_resource_conflict },
    { "a parent not granted is DLM_PARNOTGRANT", a_parent_not_granted_is_parnotgrant },
    { "unlocking a parent with sublocks is DLM_SUBLOCKS",
      unlocking_a_parent_with_sublocks_is_sublocks },
    { "DLM_DEQALL with a parent releases its sublocks and keeps it",
      deqall_with_a_parent_releases_its_sublocks_and_keeps_it },
    { "DLM_DEQALL with a NULL lock ID releases every lock",
      deqall_with_a_null_lock_id_releases_every_lock },
    { "DLM_DEQALL with an all-zero lock ID releases every lock",
      deqall_with_an_all_zero_lock_id_releases_every_lock },
    { "deep trees still name distinct resources", deep_trees_still_name_distinct_resources },
    { "deep trees are named alike in every process",
      deep_trees_are_named_alike_in_every_process },
    { NULL, NULL }
};

static const struct harness_suite suite = { "sublocks", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
