/*
 * Lock value blocks, through <sys/dlm.h> only (reference 2.6, 2.8, 2.10,
 * 4.3).  A resource keeps its value while any lock is on it, so each test
 * holds an NL "keeper" lock on the resource throughout.
 */
#include <string.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

#define NAME "vb"

struct scene {
    dlm_nsp_t ns;
    dlm_lkid_t keeper;
};

static void set_scene(struct scene *s)
{
    CU_ASSERT_EQUAL_FATAL(fixture_join(&s->ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s->ns, NULL, NAME, DLM_NLMODE, &s->keeper), DLM_SUCCESS);
}

static void end_scene(struct scene *s)
{
    CU_ASSERT_EQUAL(dlm_unlock(&s->keeper, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&s->ns, 0), DLM_SUCCESS);
}

/* Write value with an EX lock released with DLM_VALB. */
static void write_value(struct scene *s, unsigned int seed)
{
    dlm_valb_t value = fixture_value(seed);
    dlm_lkid_t writer;

    CU_ASSERT_EQUAL_FATAL(fixture_lock(s->ns, NULL, NAME, DLM_EXMODE, &writer), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&writer, &value, DLM_VALB), DLM_SUCCESS);
}

/* Read the value with a new lock of mode (DLM_VALB, flags added); the
 * grant's status, the value in *value. */
static dlm_status_t read_value(struct scene *s, dlm_lkmode_t mode, dlm_flags_t flags,
                               dlm_valb_t *value)
{
    dlm_status_t status;
    dlm_lkid_t reader;

    memset(value, 0xee, sizeof *value);
    status = fixture_lock_with(s->ns, NULL, NAME, mode, value, DLM_VALB | flags,
                               FIXTURE_PATIENCE, &reader);
    if (status <= DLM_SYNCVALNOTVALID)
        dlm_unlock(&reader, NULL, 0);
    return status;
}

/* Does a reader now see the value of seed, valid? */
static int value_is(struct scene *s, unsigned int seed)
{
    dlm_valb_t expect = fixture_value(seed), seen;

    return read_value(s, DLM_CRMODE, 0, &seen) == DLM_SUCCESS
           && fixture_same_value(&seen, &expect);
}

static void a_grant_with_valb_reads_the_value(void)
{
    dlm_valb_t seen, expect = fixture_value(1);
    struct scene s;

    set_scene(&s);
    write_value(&s, 1);
    CU_ASSERT_EQUAL(read_value(&s, DLM_PRMODE, 0, &seen), DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&seen, &expect));
    CU_ASSERT_EQUAL(read_value(&s, DLM_NLMODE, DLM_SYNCSTS, &seen), DLM_SYNCH);
    CU_ASSERT(fixture_same_value(&seen, &expect));
    end_scene(&s);
}

/* A new resource's value block is all zero, and valid. */
static void a_new_resource_has_a_zero_value(void)
{
    dlm_valb_t seen, zero;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    memset(&zero, 0, sizeof zero);
    memset(&seen, 0xee, sizeof seen);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_with(ns, NULL, "vb-new", DLM_PRMODE, &seen, DLM_VALB, 0, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&seen, &zero));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void releasing_pw_or_ex_with_valb_writes_the_value(void)
{
    dlm_valb_t value = fixture_value(3);
    dlm_lkid_t writer;
    struct scene s;

    set_scene(&s);
    write_value(&s, 2);
    CU_ASSERT(value_is(&s, 2));
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s.ns, NULL, NAME, DLM_PWMODE, &writer), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&writer, &value, DLM_VALB), DLM_SUCCESS);
    CU_ASSERT(value_is(&s, 3));
    end_scene(&s);
}

/* Releasing PR (or a PW/EX lock without DLM_VALB) writes nothing. */
static void other_releases_leave_the_value(void)
{
    dlm_valb_t value = fixture_value(9);
    dlm_lkid_t lkid;
    struct scene s;

    set_scene(&s);
    write_value(&s, 4);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s.ns, NULL, NAME, DLM_PRMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, &value, DLM_VALB), DLM_SUCCESS);
    CU_ASSERT(value_is(&s, 4));
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s.ns, NULL, NAME, DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, &value, 0), DLM_SUCCESS);
    CU_ASSERT(value_is(&s, 4));
    end_scene(&s);
}

/* A conversion down from PW or EX with DLM_VALB writes; one up with
 * DLM_VALB reads. */
static void conversions_write_down_and_read_up(void)
{
    dlm_valb_t value = fixture_value(5), seen, expect = fixture_value(5);
    dlm_lkid_t lkid;
    struct scene s;

    set_scene(&s);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s.ns, NULL, NAME, DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_NLMODE, &value, DLM_VALB, NULL, NULL, NULL, 0),
                    DLM_SUCCESS);
    CU_ASSERT(value_is(&s, 5));
    memset(&seen, 0, sizeof seen);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_PRMODE, &seen, DLM_VALB, NULL, NULL, NULL, 0),
                    DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&seen, &expect));
    /* Up to PW, then down to CR, writing. */
    value = fixture_value(6);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_PWMODE, &seen, DLM_VALB, NULL, NULL, NULL, 0),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_CRMODE, &value, DLM_VALB, NULL, NULL, NULL, 0),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT(value_is(&s, 6));
    end_scene(&s);
}

/* The value passes between processes. */
static void the_value_passes_between_processes(void)
{
    dlm_valb_t value = fixture_value(7), seen;
    struct peer other;
    struct scene s;

    set_scene(&s);
    CU_ASSERT_EQUAL_FATAL(agent_start(&other, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&other, 0, -1, NAME, DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_unlock(&other, 0, DLM_VALB, &value), DLM_SUCCESS);
    CU_ASSERT(value_is(&s, 7));
    write_value(&s, 8);
    memset(&seen, 0, sizeof seen);
    CU_ASSERT_EQUAL(agent_lock(&other, 0, -1, NAME, DLM_PRMODE, DLM_VALB, &seen), DLM_SUCCESS);
    value = fixture_value(8);
    CU_ASSERT(fixture_same_value(&seen, &value));
    CU_ASSERT_EQUAL(agent_stop(&other), 0);
    end_scene(&s);
}

/* The completion of a queued request with DLM_VALB finds the value in the
 * caller's buffer. */
static void a_queued_grant_fills_the_buffer_before_its_completion(void)
{
    dlm_valb_t value = fixture_value(10), seen;
    struct fixture_events events;
    struct peer other;
    dlm_lkid_t lkid;
    struct scene s;

    memset(&events, 0, sizeof events);
    memset(&seen, 0, sizeof seen);
    set_scene(&s);
    CU_ASSERT_EQUAL_FATAL(agent_start(&other, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&other, 0, -1, NAME, DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_quelock(s.ns, (uchar_t *)NAME, 2, NULL, &lkid, DLM_PRMODE, &seen,
                                DLM_VALB, &events, NULL, NULL, 0, fixture_completed),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_unlock(&other, 0, DLM_VALB, &value), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(events.status, DLM_SUCCESS);
    CU_ASSERT(fixture_same_value(&seen, &value));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&other), 0);
    end_scene(&s);
}

/* DLM_INVVALBLK on release marks the block invalid: grants that read it
 * say so (DLM_SUCCVALNOTVALID, with DLM_SYNCSTS DLM_SYNCVALNOTVALID);
 * choice (library): a grant that does not ask for the value block is
 * plain.  Writing a value makes it valid again. */
static void an_invalidated_value_block_is_reported_until_written(void)
{
    dlm_valb_t seen;
    dlm_lkid_t lkid;
    struct scene s;

    set_scene(&s);
    write_value(&s, 11);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s.ns, NULL, NAME, DLM_PWMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, DLM_INVVALBLK), DLM_SUCCESS);
    CU_ASSERT_EQUAL(read_value(&s, DLM_PRMODE, 0, &seen), DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL(read_value(&s, DLM_PRMODE, DLM_SYNCSTS, &seen), DLM_SYNCVALNOTVALID);
    CU_ASSERT_EQUAL(fixture_lock_with(s.ns, NULL, NAME, DLM_PRMODE, NULL, 0, 0, &lkid),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    /* Still invalid: reading does not validate. */
    CU_ASSERT_EQUAL(read_value(&s, DLM_EXMODE, 0, &seen), DLM_SUCCVALNOTVALID);
    write_value(&s, 12);
    CU_ASSERT(value_is(&s, 12));
    end_scene(&s);
}

/* A request with DLM_VALB queued behind an agent's EX that is released
 * with DLM_INVVALBLK: the status of its completion.  written: a value was
 * written into the block before. */
static dlm_status_t queued_grant_after_invalidation(int written)
{
    struct fixture_events events;
    struct peer other;
    dlm_lkid_t lkid;
    dlm_valb_t seen;
    struct scene s;

    memset(&events, 0, sizeof events);
    set_scene(&s);
    if (written)
        write_value(&s, 17);
    CU_ASSERT_EQUAL_FATAL(agent_start(&other, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&other, 0, -1, NAME, DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_quelock(s.ns, (uchar_t *)NAME, 2, NULL, &lkid, DLM_PRMODE, &seen,
                                DLM_VALB | DLM_SYNCSTS, &events, NULL, NULL, 0,
                                fixture_completed), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_unlock(&other, 0, DLM_INVVALBLK, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&events, 1));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&other), 0);
    end_scene(&s);
    return events.status;
}

/* The queued request's completion reports the invalid block too. */
static void a_queued_grant_of_an_invalid_block_completes_with_succvalnotvalid(void)
{
    CU_ASSERT_EQUAL(queued_grant_after_invalidation(1), DLM_SUCCVALNOTVALID);
}

/* ... also when no value was ever written (a new resource's block is zero
 * and valid).  The kernel DLM keeps no value block for a resource until a
 * value is written into it, and then reports no invalid mark (README,
 * "The Linux engine"): on the Linux engine the grant is plain. */
static void an_invalidated_block_never_written_is_reported_too(void)
{
    CU_ASSERT_EQUAL(queued_grant_after_invalidation(0),
                    fixture_on_linux() ? DLM_SUCCESS : DLM_SUCCVALNOTVALID);
}

/* A conversion down from PW with DLM_INVVALBLK invalidates too. */
static void a_conversion_with_invvalblk_invalidates(void)
{
    dlm_valb_t seen;
    dlm_lkid_t lkid;
    struct scene s;

    set_scene(&s);
    write_value(&s, 13);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s.ns, NULL, NAME, DLM_PWMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_cvt(&lkid, DLM_NLMODE, NULL, DLM_INVVALBLK, NULL, NULL, NULL, 0),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(read_value(&s, DLM_PRMODE, 0, &seen), DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    end_scene(&s);
}

/* A PW holder killed with SIGKILL: the next grant that reads the block
 * reports it invalid (reference 4.3, 4.12). */
static void a_killed_pw_holder_leaves_the_value_block_invalid(void)
{
    struct peer holder;
    dlm_valb_t seen;
    struct scene s;

    set_scene(&s);
    write_value(&s, 14);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, NAME, DLM_PWMODE, 0, NULL), DLM_SUCCESS);
    agent_kill(&holder);
    CU_ASSERT_EQUAL(read_value(&s, DLM_PRMODE, 0, &seen), DLM_SUCCVALNOTVALID);
    CU_ASSERT_EQUAL(read_value(&s, DLM_EXMODE, DLM_SYNCSTS, &seen), DLM_SYNCVALNOTVALID);
    write_value(&s, 15);
    CU_ASSERT(value_is(&s, 15));
    end_scene(&s);
}

/* A killed PR holder changes nothing. */
static void a_killed_pr_holder_leaves_the_value_block_valid(void)
{
    struct peer holder;
    struct scene s;

    set_scene(&s);
    write_value(&s, 16);
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, NAME, DLM_PRMODE, 0, NULL), DLM_SUCCESS);
    agent_kill(&holder);
    CU_ASSERT(value_is(&s, 16));
    end_scene(&s);
}

static const struct harness_test tests[] = {
    { "a grant with DLM_VALB reads the value", a_grant_with_valb_reads_the_value },
    { "a new resource has a zero value", a_new_resource_has_a_zero_value },
    { "releasing PW or EX with DLM_VALB writes the value",
      releasing_pw_or_ex_with_valb_writes_the_value },
    { "other releases leave the value", other_releases_leave_the_value },
    { "conversions write down and read up", conversions_write_down_and_read_up },
    { "the value passes between processes", the_value_passes_between_processes },
    { "a queued grant fills the buffer before its completion",
      a_queued_grant_fills_the_buffer_before_its_completion },
    { "an invalidated value block is reported until written",
      an_invalidated_value_block_is_reported_until_written },
    { "a queued grant of an invalid block completes with DLM_SUCCVALNOTVALID",
      a_queued_grant_of_an_invalid_block_completes_with_succvalnotvalid },
    { "an invalidated block never written is reported too (Linux engine: not)",
      an_invalidated_block_never_written_is_reported_too },
    { "a conversion with DLM_INVVALBLK invalidates", a_conversion_with_invvalblk_invalidates },
    { "a killed PW holder leaves the value block invalid",
      a_killed_pw_holder_leaves_the_value_block_invalid },
    { "a killed PR holder leaves the value block valid",
      a_killed_pr_holder_leaves_the_value_block_valid },
    { NULL, NULL }
};

static const struct harness_suite suite = { "value blocks", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
