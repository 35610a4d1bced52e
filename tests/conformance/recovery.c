/*
 * Recovery domains and persistent resources, through <sys/dlm.h> only
 * (reference 2.18-2.21, 4.9): attaching and detaching, DLM_PERSIST locks
 * and the statuses that keep persistent and ordinary locks apart, and the
 * recovery of resources whose holders died: collect, validate, again
 * while there is more to recover.
 *
 * Every test uses domains and resources of its own: persistent resources
 * outlive the test that made them, as they should.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

static dlm_rd_id_t attach(const char *name)
{
    dlm_rd_id_t rd = 0;

    CU_ASSERT_EQUAL(dlm_rd_attach((char *)name, &rd, DLM_RD_PROCESS), DLM_SUCCESS);
    return rd;
}

/* Read the value of a persistent resource (a root resource of ns, or,
 * ns 0, a sublock's under parent) with a PR lock released at once; the
 * grant's status. */
static dlm_status_t read_persistent_in(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name,
                                       dlm_rd_id_t rd, dlm_valb_t *value)
{
    dlm_lkid_t reader;
    dlm_status_t status;

    memset(value, 0xee, sizeof *value);
    status = fixture_lock_persistent_in(ns, parent, name, DLM_PRMODE, value, rd, &reader);
    if (status == DLM_SUCCESS || status == DLM_SUCCVALNOTVALID)
        CU_ASSERT_EQUAL(dlm_unlock(&reader, NULL, 0), DLM_SUCCESS);
    return status;
}

/* Write the value of a persistent resource through an EX lock. */
static void write_persistent_in(dlm_nsp_t ns, dlm_lkid_t *parent, const char *name,
                                dlm_rd_id_t rd, unsigned int seed)
{
    dlm_valb_t value = fixture_value(seed);
    dlm_lkid_t writer;

    CU_ASSERT_EQUAL_FATAL(fixture_lock_persistent_in(ns, parent, name, DLM_EXMODE, NULL, rd,
                                                     &writer), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&writer, &value, DLM_VALB), DLM_SUCCESS);
}

static dlm_status_t read_persistent(dlm_nsp_t ns, const char *name, dlm_rd_id_t rd,
                                    dlm_valb_t *value)
{
    return read_persistent_in(ns, NULL, name, rd, value);
}

static void write_persistent(dlm_nsp_t ns, const char *name, dlm_rd_id_t rd, unsigned int seed)
{
    write_persistent_in(ns, NULL, name, rd, seed);
}

static int is_zero(const dlm_valb_t *value)
{
    static const dlm_valb_t zero;

    return memcmp(value, &zero, sizeof zero) == 0;
}

/* --- Peers that hold persistent locks, or a collection, until killed ------------------- */

struct holding {
    const char *domain;
    const char *resource;
    unsigned int seed;
};

/* The holdings the tests lose, by number: a holder started afresh is told
 * which (it shares no memory with the test). */
enum holding_case { OUTLIVES, RECOVER, ONLY, SELF, MORE_FIRST, MORE_LATER, NHOLDINGS };

static const struct holding holdings[NHOLDINGS] = {
    [OUTLIVES] = { "rd-outlives", "pr-outlives", 42 },
    [RECOVER] = { "rd-recover", "pr-recover", 44 },
    [ONLY] = { "rd-only", "pr-only-lost", 46 },
    [SELF] = { "rd-self", "pr-self", 50 },
    [MORE_FIRST] = { "rd-more", "pr-more-1", 48 },
    [MORE_LATER] = { "rd-more", "pr-more-2", 49 },
};

/* Take EX on the resource of the holding the test names, write the value
 * of its seed by converting down to PW, say so, and hold PW until
 * killed. */
static void hold_pw(struct peer *self)
{
    int which = peer_receive(self);
    const struct holding *h = which >= 0 && which < NHOLDINGS ? &holdings[which] : NULL;
    dlm_valb_t value = fixture_value(h != NULL ? h->seed : 0);
    dlm_rd_id_t rd = 0;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    int ready = h != NULL && fixture_join(&ns) == DLM_SUCCESS
                && dlm_rd_attach((char *)h->domain, &rd, DLM_RD_PROCESS) == DLM_SUCCESS
                && fixture_lock_persistent(ns, h->resource, DLM_EXMODE, NULL, rd, &lkid)
                       == DLM_SUCCESS
                && dlm_cvt(&lkid, DLM_PWMODE, &value, DLM_VALB, 0, 0, NULL, 0) == DLM_SUCCESS;

    peer_send(self, ready);
    peer_receive(self);         /* until killed */
}

static void kill_peer(struct peer *peer)
{
    kill(peer->pid, SIGKILL);
    peer_finish(peer);
}

/* A peer writes the resource's value and is killed holding it in PW. */
static void lose_a_holder(const struct holding *h)
{
    struct peer holder;

    CU_ASSERT_EQUAL_FATAL(peer_start_fresh(&holder, "holder"), 0);
    peer_send(&holder, (int)(h - holdings));
    CU_ASSERT_EQUAL_FATAL(peer_receive(&holder), 1);
    kill_peer(&holder);
}

static void detach_and_leave(dlm_rd_id_t rd, dlm_nsp_t *ns)
{
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(ns, 0), DLM_SUCCESS);
}

static const char collected_domain[] = "rd-collector";

/* Collect the domain, say the status, and keep the collection until
 * killed. */
static void collect_and_wait(struct peer *self)
{
    dlm_rd_collection_hndl_t collection;
    dlm_rd_id_t rd = 0;
    dlm_nsp_t ns;
    dlm_status_t status = fixture_join(&ns);

    if (status == DLM_SUCCESS)
        status = dlm_rd_attach((char *)collected_domain, &rd, DLM_RD_PROCESS);
    if (status == DLM_SUCCESS)
        status = dlm_rd_collect(rd, &collection, 0);
    peer_send(self, status);
    peer_receive(self);
}

/* Make the domain's resources "<prefix>-<n>" persistent, one after the
 * other, writing each, and say n once each is made; for ever, until
 * killed.  The test sends the prefix's number first. */
static const char made_domain[] = "rd-made";

static void made_name(char name[32], int maker, int n)
{
    snprintf(name, 32, "pr-made-%d-%d", maker, n);
}

static void make_persistent_resources(struct peer *self)
{
    int maker = peer_receive(self), n;
    dlm_rd_id_t rd = 0;
    dlm_nsp_t ns;

    if (maker < 0 || fixture_join(&ns) != DLM_SUCCESS
        || dlm_rd_attach((char *)made_domain, &rd, DLM_RD_PROCESS) != DLM_SUCCESS)
        return;
    for (n = 0;; n++) {
        char name[32];
        dlm_valb_t value = fixture_value((unsigned int)n);
        dlm_lkid_t writer;

        made_name(name, maker, n);
        if (fixture_lock_persistent(ns, name, DLM_EXMODE, NULL, rd, &writer) != DLM_SUCCESS
            || dlm_unlock(&writer, &value, DLM_VALB) != DLM_SUCCESS)
            return;
        peer_send(self, n);
    }
}

/* Peers start afresh: the test's threads (its listeners) must not be
 * copied into them in the middle of anything. */
static const struct peer_role roles[] = {
    { "holder", hold_pw },
    { "collector", collect_and_wait },
    { "maker", make_persistent_resources },
    { NULL, NULL }
};

/* --- Attaching and detaching --------------------------------------------------------- */

static void attach_gives_a_handle_and_detach_ends_it(void)
{
    dlm_rd_id_t rd = attach("rd-attach");

    CU_ASSERT_NOT_EQUAL(rd, 0);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_IVRDID);
}

static void attach_refuses_bad_arguments(void)
{
    char long_name[DLM_RDNAMELEN + 2], longest[DLM_RDNAMELEN + 1], empty[] = "";
    dlm_rd_id_t rd = 7;

    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    memset(longest, 'm', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    CU_ASSERT_EQUAL(dlm_rd_attach(long_name, &rd, DLM_RD_PROCESS), DLM_ENAMETOOLONG);
    CU_ASSERT_EQUAL(dlm_rd_attach(empty, &rd, DLM_RD_PROCESS), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_rd_attach(NULL, &rd, DLM_RD_PROCESS), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_rd_attach(longest, NULL, DLM_RD_PROCESS), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_rd_attach(longest, &rd, 0), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_rd_attach(longest, &rd, DLM_RD_PROCESS | DLM_RD_GROUP), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_rd_attach(longest, &rd, DLM_RD_INVALIDATE), DLM_BADPARAM);
    CU_ASSERT_EQUAL(rd, 7);
    /* The longest name is a name. */
    CU_ASSERT_EQUAL(dlm_rd_attach(longest, &rd, DLM_RD_PROCESS), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_SUCCESS);
}

static void a_group_attachment_needs_a_group(void)
{
    dlm_rd_id_t rd = 7;

    CU_ASSERT_EQUAL(dlm_rd_attach("rd-group", &rd, DLM_RD_GROUP), DLM_NO_GROUP);
    CU_ASSERT_EQUAL(rd, 7);
}

/* The container cannot be left while one of its domains is attached. */
static void a_group_attachment_holds_the_container(void)
{
    dlm_glc_id_t id;
    dlm_rd_id_t rd;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_glc_create(&id, 0, &ns, 1), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_attach("rd-group", &rd, DLM_RD_GROUP), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_ATTACHED);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void attaching_twice_is_refused(void)
{
    dlm_rd_id_t rd = attach("rd-twice"), again = 0;

    CU_ASSERT_EQUAL(dlm_rd_attach("rd-twice", &again, DLM_RD_PROCESS), DLM_ATTACHED);
    CU_ASSERT_EQUAL(again, 0);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_SUCCESS);
}

static void too_many_domains_are_refused(void)
{
    dlm_rd_id_t rd[64];
    char name[16];
    int n = 0, i;
    dlm_status_t status;

    do {
        snprintf(name, sizeof name, "rd-many-%d", n);
        status = dlm_rd_attach(name, &rd[n], DLM_RD_PROCESS);
    } while (status == DLM_SUCCESS && ++n < 64);
    CU_ASSERT_EQUAL(status, DLM_TOOMANYRD);
    CU_ASSERT(n >= 1);
    for (i = 0; i < n; i++)
        CU_ASSERT_EQUAL(dlm_rd_detach(rd[i], 0), DLM_SUCCESS);
}

static void detach_refuses_bad_arguments(void)
{
    dlm_rd_id_t rd = attach("rd-detach-bad");

    CU_ASSERT_EQUAL(dlm_rd_detach(0, 0), DLM_IVRDID);
    CU_ASSERT_EQUAL(dlm_rd_detach(-1, 0), DLM_IVRDID);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd + 1000, 0), DLM_IVRDID);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, DLM_RD_PROCESS), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_SUCCESS);
}

static void detach_waits_for_the_domains_locks(void)
{
    dlm_rd_id_t rd = attach("rd-detach-locks");
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock_persistent(ns, "pr-detach", DLM_PRMODE, NULL, rd, &lkid),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_HASLOCKS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    detach_and_leave(rd, &ns);
}

/* --- Persistent locks ---------------------------------------------------------------- */

static void a_persistent_lock_needs_its_domain(void)
{
    dlm_rd_id_t rd = attach("rd-needs");
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_persistent(ns, "pr-needs", DLM_PRMODE, NULL, 0, &lkid),
                    DLM_IVRDID);
    CU_ASSERT_EQUAL(fixture_lock_persistent(ns, "pr-needs", DLM_PRMODE, NULL, rd + 1, &lkid),
                    DLM_IVRDID);
    /* A handle without DLM_PERSIST must be one too, and is then no more
     * than that. */
    CU_ASSERT_EQUAL(dlm_locktp(ns, (uchar_t *)"pr-needs-2", 10, NULL, &lkid, DLM_PRMODE, NULL,
                               0, 0, 0, NULL, 0, 0, rd + 1), DLM_IVRDID);
    CU_ASSERT_EQUAL(dlm_locktp(ns, (uchar_t *)"pr-needs-2", 10, NULL, &lkid, DLM_PRMODE, NULL,
                               0, 0, 0, NULL, 0, 0, rd), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    detach_and_leave(rd, &ns);
}

static void a_persistent_resource_keeps_its_value_without_locks(void)
{
    dlm_rd_id_t rd = attach("rd-keeps");
    dlm_valb_t value, expected = fixture_value(41);
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    write_persistent(ns, "pr-keeps", rd, 41);
    /* No lock is left on it, not even by this process in its namespace. */
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-keeps", rd, &value), DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&value, &expected));
    detach_and_leave(rd, &ns);
}

static void a_persistent_resource_outlives_the_process_that_made_it(void)
{
    const struct holding *h = &holdings[OUTLIVES];
    dlm_valb_t value, expected = fixture_value(43);
    dlm_rd_id_t rd = attach(h->domain);
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    lose_a_holder(h);
    /* Its lock went with it; the resource stayed, and takes new values. */
    CU_ASSERT_EQUAL(fixture_probe(ns, NULL, h->resource, DLM_EXMODE), -1);  /* DLM_IS_PR */
    CU_ASSERT_EQUAL_FATAL(fixture_lock_persistent(ns, h->resource, DLM_EXMODE, NULL, rd, &lkid),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, &expected, DLM_VALB), DLM_SUCCESS);
    CU_ASSERT_EQUAL(read_persistent(ns, h->resource, rd, &value), DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&value, &expected));
    detach_and_leave(rd, &ns);
}

static void an_ordinary_lock_on_a_persistent_resource_is_refused(void)
{
    dlm_rd_id_t rd = attach("rd-is-pr");
    struct fixture_events events = { 0 };
    dlm_lkid_t lkid, kept;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock_persistent(ns, "pr-is-pr", DLM_PRMODE, NULL, rd, &kept),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock(ns, NULL, "pr-is-pr", DLM_PRMODE, &lkid), DLM_IS_PR);
    CU_ASSERT(fixture_is_gone(&lkid));
    /* Asynchronously too: the call says so, no completion follows. */
    CU_ASSERT_EQUAL(fixture_quelock(ns, NULL, "pr-is-pr", DLM_NLMODE, 0, 0, &events, &lkid),
                    DLM_IS_PR);
    CU_ASSERT(fixture_is_gone(&lkid));
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(events.completions, 0);
    /* The persistent lock is untouched by the refusals. */
    CU_ASSERT(fixture_holds(&kept, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&kept, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock(ns, NULL, "pr-is-pr", DLM_EXMODE, &lkid), DLM_IS_PR);
    detach_and_leave(rd, &ns);
}

static void a_persistent_lock_on_an_ordinary_resource_in_use_is_refused(void)
{
    dlm_rd_id_t rd = attach("rd-not-pr");
    dlm_lkid_t ordinary, lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "pr-not-pr", DLM_PRMODE, &ordinary),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_persistent(ns, "pr-not-pr", DLM_PRMODE, NULL, rd, &lkid),
                    DLM_NOT_PR);
    CU_ASSERT(fixture_holds(&ordinary, DLM_PRMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&ordinary, NULL, 0), DLM_SUCCESS);
    /* Once nobody uses it, it may become persistent. */
    CU_ASSERT_EQUAL(fixture_lock_persistent(ns, "pr-not-pr", DLM_PRMODE, NULL, rd, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    detach_and_leave(rd, &ns);
}

static void a_persistent_resource_belongs_to_one_domain(void)
{
    dlm_rd_id_t one = attach("rd-one"), other = attach("rd-other");
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock_persistent(ns, "pr-one", DLM_NLMODE, NULL, one, &lkid),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_persistent(ns, "pr-one", DLM_NLMODE, NULL, other, &lkid),
                    DLM_PR_RD_MISMATCH);
    CU_ASSERT(fixture_is_gone(&lkid));
    CU_ASSERT_EQUAL(dlm_rd_detach(one, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_detach(other, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void queries_do_not_count_what_keeps_a_resource(void)
{
    dlm_rd_id_t rd = attach("rd-query");
    dlm_rsbinfo_t info;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock_persistent(ns, "pr-query", DLM_PWMODE, NULL, rd, &lkid),
                          DLM_SUCCESS);
    if (dlm_get_rsbinfo(ns, (uchar_t *)"pr-query", 8, &info, NULL) == DLM_SUCCESS) {
        CU_ASSERT_EQUAL(info.lckcnt, 1);
        CU_ASSERT_EQUAL(info.ggmode, DLM_PWMODE);
        CU_ASSERT_EQUAL(info.ggcnt, 1);
    }
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    detach_and_leave(rd, &ns);
}

/* --- Recovery ----------------------------------------------------------------------- */

static void a_killed_holder_leaves_its_resource_to_recover(void)
{
    const struct holding *h = &holdings[RECOVER];
    dlm_rd_collection_hndl_t collection, second;
    dlm_rd_id_t rd = attach(h->domain);
    dlm_valb_t value;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    lose_a_holder(h);
    CU_ASSERT_EQUAL(read_persistent(ns, h->resource, rd, &value), DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_collect(rd, &second, 0), DLM_EALREADY);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, 0), DLM_EINPROGRESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_HASLOCKS);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    /* Valid and zero. */
    CU_ASSERT_EQUAL(read_persistent(ns, h->resource, rd, &value), DLM_SUCCESS);
    CU_ASSERT(is_zero(&value));
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_IVHNDL);
    detach_and_leave(rd, &ns);
}

static void collecting_nothing_still_needs_a_validate(void)
{
    dlm_rd_id_t rd = attach("rd-nothing");
    dlm_rd_collection_hndl_t collection, second;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    write_persistent(ns, "pr-nothing", rd, 45);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_collect(rd, &second, 0), DLM_EALREADY);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    detach_and_leave(rd, &ns);
}

static void a_value_that_valid_resources_keep(void)
{
    /* Validating zeroes only what was collected. */
    const struct holding *h = &holdings[ONLY];
    dlm_rd_collection_hndl_t collection;
    dlm_valb_t value, expected = fixture_value(47);
    dlm_rd_id_t rd = attach(h->domain);
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    write_persistent(ns, "pr-only-kept", rd, 47);
    lose_a_holder(h);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-only-kept", rd, &value), DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&value, &expected));
    detach_and_leave(rd, &ns);
}

static void losses_after_the_collect_mean_more_to_recover(void)
{
    const struct holding *first = &holdings[MORE_FIRST], *later = &holdings[MORE_LATER];
    dlm_rd_collection_hndl_t collection;
    dlm_rd_id_t rd = attach(first->domain);
    dlm_valb_t value;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    lose_a_holder(first);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    lose_a_holder(later);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_MORE_TO_RECOVER);
    /* The collection was validated all the same. */
    CU_ASSERT_EQUAL(read_persistent(ns, first->resource, rd, &value), DLM_SUCCESS);
    CU_ASSERT_EQUAL(read_persistent(ns, later->resource, rd, &value), DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(read_persistent(ns, later->resource, rd, &value), DLM_SUCCESS);
    CU_ASSERT(is_zero(&value));
    detach_and_leave(rd, &ns);
}

static void one_process_collects_at_a_time_and_a_dead_one_lets_go(void)
{
    dlm_rd_collection_hndl_t collection;
    dlm_rd_id_t rd = attach(collected_domain);
    struct peer collector;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(peer_start_fresh(&collector, "collector"), 0);
    CU_ASSERT_EQUAL_FATAL(peer_receive(&collector), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_collect(rd, &collection, 0), DLM_EINPROGRESS);
    kill_peer(&collector);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    detach_and_leave(rd, &ns);
}

static void validate_refuses_to_wait_for_the_caller(void)
{
    const struct holding *h = &holdings[SELF];
    dlm_rd_collection_hndl_t collection;
    dlm_rd_id_t rd = attach(h->domain);
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    lose_a_holder(h);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    /* Repairing under its own EX lock, the caller must let go first. */
    CU_ASSERT_EQUAL_FATAL(fixture_lock_persistent(ns, h->resource, DLM_EXMODE, NULL, rd, &lkid),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_HASLOCKS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_NLMODE, NULL, 0, 0, 0, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    detach_and_leave(rd, &ns);
}

static void collect_and_validate_refuse_bad_arguments(void)
{
    dlm_rd_id_t rd = attach("rd-bad");
    dlm_rd_collection_hndl_t collection = 0, forged;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_collect(rd, NULL, 0), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_rd_collect(rd, &collection, 1), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_rd_collect(rd + 1, &collection, 0), DLM_IVRDID);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_IVHNDL);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    forged = collection ^ 0x100;
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &forged, 0), DLM_IVHNDL);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, NULL, 0), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 1), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd + 1, &collection, 0), DLM_IVRDID);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    detach_and_leave(rd, &ns);
}

static void detach_with_invalidate_invalidates_the_domain(void)
{
    dlm_rd_id_t rd = attach("rd-invalidate");
    dlm_rd_collection_hndl_t collection;
    dlm_valb_t value;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    write_persistent(ns, "pr-invalidate-1", rd, 51);
    write_persistent(ns, "pr-invalidate-2", rd, 52);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, DLM_RD_INVALIDATE), DLM_SUCCESS);
    rd = attach("rd-invalidate");
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-invalidate-1", rd, &value), DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-invalidate-2", rd, &value), DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-invalidate-1", rd, &value), DLM_SUCCESS);
    CU_ASSERT(is_zero(&value));
    detach_and_leave(rd, &ns);
}

/* Tru64 dlm_rd_detach: the value blocks "of resources added while it
 * stays invalid" appear invalid too, until the domain is recovered. */
static void a_resource_added_to_an_invalidated_domain_is_invalid(void)
{
    dlm_rd_id_t rd = attach("rd-invalid-added");
    dlm_rd_collection_hndl_t collection;
    dlm_valb_t value;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, DLM_RD_INVALIDATE), DLM_SUCCESS);
    rd = attach("rd-invalid-added");
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-invalid-added-1", rd, &value), DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    /* Added after the collect: more to recover. */
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-invalid-added-2", rd, &value), DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_MORE_TO_RECOVER);
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-invalid-added-1", rd, &value), DLM_SUCCESS);
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-invalid-added-3", rd, &value), DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    /* Recovered: new resources are born valid again. */
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-invalid-added-2", rd, &value), DLM_SUCCESS);
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-invalid-added-3", rd, &value), DLM_SUCCESS);
    CU_ASSERT_EQUAL(read_persistent(ns, "pr-invalid-added-4", rd, &value), DLM_SUCCESS);
    CU_ASSERT(is_zero(&value));
    detach_and_leave(rd, &ns);
}

/* Every resource of the domain is found, whatever its name's length:
 * names of 1 to DLM_RESNAMELEN bytes, and sublocks, whose resources
 * have the longest names of all (their path from the root). */
static void a_domain_of_many_resources_is_recovered_whole(void)
{
    static const char parent_name[] = "pr-whole-parent-of-32-bytes-long";
    static const char sublock_name[] = "pr-whole-sublock-30-bytes-long";
    dlm_rd_id_t rd = attach("rd-whole");
    dlm_rd_collection_hndl_t collection;
    char names[DLM_RESNAMELEN][DLM_RESNAMELEN + 1];
    dlm_lkid_t parent;
    dlm_valb_t value;
    unsigned int i;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    for (i = 0; i < DLM_RESNAMELEN; i++) {
        snprintf(names[i], sizeof names[i], "%0*u", (int)i + 1, i);
        write_persistent(ns, names[i], rd, 60 + i);
    }
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, parent_name, DLM_NLMODE, &parent), DLM_SUCCESS);
    write_persistent_in(0, &parent, sublock_name, rd, 99);
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, DLM_RD_INVALIDATE), DLM_SUCCESS);
    rd = attach("rd-whole");
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    for (i = 0; i < DLM_RESNAMELEN; i++) {
        CU_ASSERT_EQUAL(read_persistent(ns, names[i], rd, &value), DLM_SUCCESS);
        CU_ASSERT(is_zero(&value));
    }
    CU_ASSERT_EQUAL_FATAL(read_persistent_in(0, &parent, sublock_name, rd, &value), DLM_SUCCESS);
    CU_ASSERT(is_zero(&value));
    CU_ASSERT_EQUAL(dlm_unlock(&parent, NULL, 0), DLM_SUCCESS);
    detach_and_leave(rd, &ns);
}

static dlm_status_t read_made(dlm_nsp_t ns, dlm_rd_id_t rd, int maker, int n, dlm_valb_t *value)
{
    char name[32];

    made_name(name, maker, n);
    return read_persistent(ns, name, rd, value);
}

/* Processes killed while they make a domain's resources persistent, two
 * at a time: every resource one of them made is found, and recovered. */
static void resources_made_by_processes_killed_at_random_points_are_found(void)
{
    enum { ROUNDS = 6, MAKERS = 2 };
    int made[ROUNDS * MAKERS];
    unsigned int seed = 4343, round;
    dlm_rd_collection_hndl_t collection;
    dlm_rd_id_t rd = attach(made_domain);
    dlm_valb_t value;
    dlm_nsp_t ns;
    int m, n;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    for (round = 0; round < ROUNDS; round++) {
        struct peer makers[MAKERS];

        for (m = 0; m < MAKERS; m++) {
            int maker = (int)round * MAKERS + m;

            CU_ASSERT_EQUAL_FATAL(peer_start_fresh(&makers[m], "maker"), 0);
            peer_send(&makers[m], maker);
            made[maker] = 1 + rand_r(&seed) % 12;
        }
        for (m = 0; m < MAKERS; m++) {
            int maker = (int)round * MAKERS + m;

            for (n = 0; n < made[maker]; n++)
                CU_ASSERT_EQUAL_FATAL(peer_receive(&makers[m]), n);
            kill_peer(&makers[m]);
        }
    }
    CU_ASSERT_EQUAL(dlm_rd_detach(rd, DLM_RD_INVALIDATE), DLM_SUCCESS);
    rd = attach(made_domain);
    for (m = 0; m < ROUNDS * MAKERS; m++)
        for (n = 0; n < made[m]; n++)
            CU_ASSERT_EQUAL(read_made(ns, rd, m, n, &value), DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL_FATAL(dlm_rd_collect(rd, &collection, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_rd_validate(rd, &collection, 0), DLM_SUCCESS);
    for (m = 0; m < ROUNDS * MAKERS; m++)
        for (n = 0; n < made[m]; n++) {
            CU_ASSERT_EQUAL(read_made(ns, rd, m, n, &value), DLM_SUCCESS);
            CU_ASSERT(is_zero(&value));
        }
    detach_and_leave(rd, &ns);
}

static const struct harness_test tests[] = {
    { "attach gives a handle and detach ends it", attach_gives_a_handle_and_detach_ends_it },
    { "attach refuses bad arguments", attach_refuses_bad_arguments },
    { "a group attachment needs a group", a_group_attachment_needs_a_group },
    { "a group attachment holds the container", a_group_attachment_holds_the_container },
    { "attaching twice is refused", attaching_twice_is_refused },
    { "too many domains are refused", too_many_domains_are_refused },
    { "detach refuses bad arguments", detach_refuses_bad_arguments },
    { "detach waits for the domain's locks", detach_waits_for_the_domains_locks },
    { "a persistent lock needs its domain", a_persistent_lock_needs_its_domain },
    { "a persistent resource keeps its value without locks",
      a_persistent_resource_keeps_its_value_without_locks },
    { "a persistent resource outlives the process that made it",
      a_persistent_resource_outlives_the_process_that_made_it },
    { "an ordinary lock on a persistent resource is refused",
      an_ordinary_lock_on_a_persistent_resource_is_refused },
    { "a persistent lock on an ordinary resource in use is refused",
      a_persistent_lock_on_an_ordinary_resource_in_use_is_refused },
    { "a persistent resource belongs to one domain",
      a_persistent_resource_belongs_to_one_domain },
    { "queries do not count what keeps a resource", queries_do_not_count_what_keeps_a_resource },
    { NULL, NULL }
};

static const struct harness_test recovery_tests[] = {
    { "a killed holder leaves its resource to recover",
      a_killed_holder_leaves_its_resource_to_recover },
    { "collecting nothing still needs a validate", collecting_nothing_still_needs_a_validate },
    { "validating zeroes only what was collected", a_value_that_valid_resources_keep },
    { "losses after the collect mean more to recover",
      losses_after_the_collect_mean_more_to_recover },
    { "one process collects at a time, and a dead one lets go",
      one_process_collects_at_a_time_and_a_dead_one_lets_go },
    { "validate refuses to wait for the caller", validate_refuses_to_wait_for_the_caller },
    { "collect and validate refuse bad arguments", collect_and_validate_refuse_bad_arguments },
    { "detach with DLM_RD_INVALIDATE invalidates the domain",
      detach_with_invalidate_invalidates_the_domain },
    { "a resource added to an invalidated domain is invalid",
      a_resource_added_to_an_invalidated_domain_is_invalid },
    { "a domain of many resources is recovered whole",
      a_domain_of_many_resources_is_recovered_whole },
    { "resources made by processes killed at random points are found",
      resources_made_by_processes_killed_at_random_points_are_found },
    { NULL, NULL }
};

static const struct harness_suite domains = { "recovery domains", tests };
static const struct harness_suite recovery = { "recovery of domains", recovery_tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &domains, &recovery, NULL };
    int role = peer_play_role(roles);

    if (role >= 0)
        return role;
    return fixture_main(suites);
}
