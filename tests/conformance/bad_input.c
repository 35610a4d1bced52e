/*
 * Bad input to every call, through <sys/dlm.h> only: NULL pointers,
 * forged and stale lock IDs, bad modes, unknown flags, bad name lengths,
 * calls without a namespace - and nothing held changes after any of them.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

#define NAME "bad"
#define NAMELEN 3

static uchar_t name[] = NAME;

/* Lock flags that are no new lock's (the other calls' flags, unused
 * bits). */
static const dlm_flags_t not_lock_flags[] = {
    0x1, 0x2, 0x4, 0x800, DLM_QUECVT, DLM_DEQALL, DLM_INVVALBLK, 0x20000, 0x80000,
    DLM_USER, DLM_GROUP, DLM_JOIN_SAME_OK, DLM_CANCELWAITOK, DLM_GLC_OWNED, DLM_RD_PROCESS,
    0x80000000u,
};

static const dlm_flags_t not_convert_flags[] = {
    0x1, 0x2, 0x4, 0x800, DLM_EXPEDITE, DLM_DEQALL, DLM_PERSIST, DLM_GROUP_LOCK,
    DLM_TXID_LOCAL, DLM_TXID_GLOBAL, DLM_USER, DLM_CANCELWAITOK, 0x80000000u,
};

static const dlm_flags_t not_unlock_flags[] = {
    0x1, 0x800, DLM_NOQUEUE, DLM_SYNCSTS, DLM_QUECVT, DLM_EXPEDITE, DLM_PERSIST,
    DLM_CANCELWAITOK, DLM_USER, 0x80000000u,
};

static const dlm_lkmode_t bad_modes[] = { DLM_NOMODE, DLM_EXMODE + 1, -1, 100 };

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* The scene every test checks afterwards: an EX lock held, a PR lock of
 * another resource converting to EX behind an agent's PR, nothing else. */
struct scene {
    dlm_nsp_t ns;
    dlm_lkid_t held, converting;
    struct fixture_events events;
    struct peer agent;
};

static void set_scene(struct scene *s)
{
    memset(s, 0, sizeof *s);
    CU_ASSERT_EQUAL_FATAL(fixture_join(&s->ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s->ns, NULL, NAME, DLM_EXMODE, &s->held), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&s->agent, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_lock(&s->agent, 0, -1, "bad-cvt", DLM_PRMODE, 0, NULL),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s->ns, NULL, "bad-cvt", DLM_PRMODE, &s->converting),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_quecvt(&s->converting, DLM_EXMODE, 0, 0, &s->events),
                          DLM_SUCCESS);
}

/* Nothing changed: the EX lock stands, the conversion still waits and is
 * granted when the agent lets go; no routine ran meanwhile. */
static void check_and_end_scene(struct scene *s)
{
    CU_ASSERT_EQUAL(dlm_notify(), 0);
    CU_ASSERT_EQUAL(s->events.completions, 0);
    CU_ASSERT(fixture_holds(&s->held, DLM_EXMODE));
    CU_ASSERT_EQUAL(fixture_probe(s->ns, NULL, NAME, DLM_NLMODE), 1);
    CU_ASSERT_EQUAL(fixture_probe(s->ns, NULL, NAME, DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(agent_unlock(&s->agent, 0, 0, NULL), DLM_SUCCESS);
    CU_ASSERT(fixture_await_completions(&s->events, 1));
    CU_ASSERT_EQUAL(s->events.status, DLM_SUCCESS);
    CU_ASSERT(fixture_holds(&s->converting, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&s->held, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&s->converting, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_stop(&s->agent), 0);
    CU_ASSERT_EQUAL(dlm_nsleave(&s->ns, 0), DLM_SUCCESS);
}

static dlm_status_t lock_with(dlm_nsp_t ns, uchar_t *resnam, ushort_t len, dlm_lkid_t *parid,
                              dlm_lkid_t *lkid, dlm_lkmode_t mode, dlm_valb_t *valb,
                              dlm_flags_t flags)
{
    return dlm_lock(ns, resnam, len, parid, lkid, mode, valb, flags, NULL, NULL, NULL, 0);
}

static dlm_status_t quelock_with(dlm_nsp_t ns, uchar_t *resnam, ushort_t len,
                                 dlm_lkid_t *parid, dlm_lkid_t *lkid, dlm_lkmode_t mode,
                                 dlm_valb_t *valb, dlm_flags_t flags, cpl_callback_t cplrtn)
{
    return dlm_quelock(ns, resnam, len, parid, lkid, mode, valb, flags, NULL, NULL, NULL, 0,
                       cplrtn);
}

/* Every new-lock call refuses the same bad argument with the same status. */
static void assert_lock_calls(dlm_status_t expect, dlm_nsp_t ns, uchar_t *resnam, ushort_t len,
                              dlm_lkid_t *parid, dlm_lkid_t *lkid, dlm_lkmode_t mode,
                              dlm_valb_t *valb, dlm_flags_t flags)
{
    CU_ASSERT_EQUAL(lock_with(ns, resnam, len, parid, lkid, mode, valb, flags), expect);
    CU_ASSERT_EQUAL(dlm_locktp(ns, resnam, len, parid, lkid, mode, valb, flags, NULL, NULL, NULL,
                               0, 0, 0), expect);
    CU_ASSERT_EQUAL(quelock_with(ns, resnam, len, parid, lkid, mode, valb, flags,
                                 fixture_completed), expect);
    CU_ASSERT_EQUAL(dlm_quelocktp(ns, resnam, len, parid, lkid, mode, valb, flags, NULL, NULL,
                                  NULL, 0, fixture_completed, 0, 0), expect);
}

/* The same for both conversion calls. */
static void assert_convert_calls(dlm_status_t expect, dlm_lkid_t *lkid, dlm_lkmode_t mode,
                                 dlm_valb_t *valb, dlm_flags_t flags)
{
    CU_ASSERT_EQUAL(dlm_cvt(lkid, mode, valb, flags, NULL, NULL, NULL, 0), expect);
    CU_ASSERT_EQUAL(dlm_quecvt(lkid, mode, valb, flags, NULL, NULL, NULL, 0, fixture_completed),
                    expect);
}

static void calls_without_a_namespace_are_not_attached(void)
{
    dlm_nsp_t handles[] = { 0, 1, 2, DLM_NSPROCMAX, -1, DLM_NSPROCMAX + 1 }, ns;
    dlm_lkid_t lkid;
    size_t i;

    CU_ASSERT_EQUAL(dlm_detach(), DLM_NOTATTACHED);
    CU_ASSERT_EQUAL(dlm_set_signal(SIGUSR1, NULL), DLM_NOTATTACHED);
    for (i = 0; i < COUNT(handles); i++) {
        assert_lock_calls(DLM_NOTATTACHED, handles[i], name, NAMELEN, NULL, &lkid, DLM_EXMODE,
                          NULL, 0);
        CU_ASSERT_EQUAL(dlm_nsleave(&handles[i], 0), DLM_NOTATTACHED);
    }
    /* Joined, the other handles are still not attached. */
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    for (i = 0; i < COUNT(handles); i++)
        if (handles[i] != ns)
            assert_lock_calls(DLM_NOTATTACHED, handles[i], name, NAMELEN, NULL, &lkid,
                              DLM_EXMODE, NULL, 0);
    CU_ASSERT_EQUAL(fixture_granted_mode(ns, NULL, NAME), DLM_NLMODE);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void null_pointers_are_efault(void)
{
    dlm_lkid_t lkid;
    struct scene s;

    set_scene(&s);
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), NULL, DLM_USER | DLM_JOIN_SAME_OK), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_nsleave(NULL, 0), DLM_EFAULT);
    assert_lock_calls(DLM_EFAULT, s.ns, NULL, NAMELEN, NULL, &lkid, DLM_NLMODE, NULL, 0);
    assert_lock_calls(DLM_EFAULT, s.ns, name, NAMELEN, NULL, NULL, DLM_NLMODE, NULL, 0);
    /* Choice: an asynchronous call needs its completion routine. */
    CU_ASSERT_EQUAL(quelock_with(s.ns, name, NAMELEN, NULL, &lkid, DLM_NLMODE, NULL, 0, NULL),
                    DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_quecvt(&s.held, DLM_NLMODE, NULL, 0, NULL, NULL, NULL, 0, NULL),
                    DLM_EFAULT);
    assert_convert_calls(DLM_EFAULT, NULL, DLM_NLMODE, NULL, 0);
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, 0), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_cancel(NULL, 0), DLM_EFAULT);
    CU_ASSERT_EQUAL(dlm_cancel(NULL, DLM_CANCELWAITOK), DLM_EFAULT);
    check_and_end_scene(&s);
}

/* Choice: a value block is needed exactly when DLM_VALB asks for one. */
static void valb_without_a_value_block_is_a_bad_parameter(void)
{
    dlm_lkid_t lkid;
    struct scene s;

    set_scene(&s);
    assert_lock_calls(DLM_BADPARAM, s.ns, name, NAMELEN, NULL, &lkid, DLM_NLMODE, NULL,
                      DLM_VALB);
    assert_convert_calls(DLM_BADPARAM, &s.held, DLM_NLMODE, NULL, DLM_VALB);
    CU_ASSERT_EQUAL(dlm_unlock(&s.held, NULL, DLM_VALB), DLM_BADPARAM);
    check_and_end_scene(&s);
}

static void forged_and_stale_lock_ids_are_ivlockid(void)
{
    dlm_lkid_t forged[] = { { 0xdead0000u, 1 }, { 0, 1 }, { 12345, 777 }, { 0xffffffffu, 0xffffffffu },
                            { 0, 0 }, { 0, 0 } }, lkid;
    dlm_valb_t valb;
    struct scene s;
    size_t i;

    set_scene(&s);
    /* A stale ID, and IDs next to the real ones. */
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s.ns, NULL, "bad-stale", DLM_EXMODE, &forged[4]),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&forged[4], NULL, 0), DLM_SUCCESS);
    forged[5] = s.held;
    forged[5].seqn++;
    for (i = 0; i < COUNT(forged); i++) {
        assert_convert_calls(DLM_IVLOCKID, &forged[i], DLM_NLMODE, NULL, 0);
        CU_ASSERT_EQUAL(dlm_unlock(&forged[i], NULL, 0), DLM_IVLOCKID);
        CU_ASSERT_EQUAL(dlm_unlock(&forged[i], &valb, DLM_VALB), DLM_IVLOCKID);
        CU_ASSERT_EQUAL(dlm_unlock(&forged[i], NULL, DLM_DEQALL), DLM_IVLOCKID);
        CU_ASSERT_EQUAL(dlm_cancel(&forged[i], 0), DLM_IVLOCKID);
        CU_ASSERT_EQUAL(dlm_cancel(&forged[i], DLM_CANCELWAITOK), DLM_IVLOCKID);
        assert_lock_calls(DLM_IVLOCKID, 0, name, NAMELEN, &forged[i], &lkid, DLM_NLMODE, NULL,
                          0);
    }
    check_and_end_scene(&s);
}

/* Choice (library): the all-zero lock ID without DLM_DEQALL names no lock. */
static void the_zero_lock_id_without_deqall_is_ivlockid(void)
{
    dlm_lkid_t zero = { 0, 0 };
    struct scene s;

    set_scene(&s);
    CU_ASSERT_EQUAL(dlm_unlock(&zero, NULL, 0), DLM_IVLOCKID);
    assert_convert_calls(DLM_IVLOCKID, &zero, DLM_NLMODE, NULL, 0);
    CU_ASSERT_EQUAL(dlm_cancel(&zero, 0), DLM_IVLOCKID);
    check_and_end_scene(&s);
}

static void bad_modes_are_bad_parameters(void)
{
    dlm_lkid_t lkid;
    struct scene s;
    size_t i;

    set_scene(&s);
    for (i = 0; i < COUNT(bad_modes); i++) {
        assert_lock_calls(DLM_BADPARAM, s.ns, name, NAMELEN, NULL, &lkid, bad_modes[i], NULL,
                          0);
        assert_lock_calls(DLM_BADPARAM, 0, name, NAMELEN, &s.held, &lkid, bad_modes[i], NULL,
                          0);
        assert_convert_calls(DLM_BADPARAM, &s.held, bad_modes[i], NULL, 0);
    }
    check_and_end_scene(&s);
}

static void unknown_flags_are_bad_parameters(void)
{
    dlm_lkid_t lkid;
    dlm_nsp_t other;
    struct scene s;
    size_t i;

    set_scene(&s);
    for (i = 0; i < COUNT(not_lock_flags); i++)
        assert_lock_calls(DLM_BADPARAM, s.ns, name, NAMELEN, NULL, &lkid, DLM_NLMODE, NULL,
                          not_lock_flags[i]);
    for (i = 0; i < COUNT(not_convert_flags); i++)
        assert_convert_calls(DLM_BADPARAM, &s.held, DLM_NLMODE, NULL, not_convert_flags[i]);
    for (i = 0; i < COUNT(not_unlock_flags); i++)
        CU_ASSERT_EQUAL(dlm_unlock(&s.held, NULL, not_unlock_flags[i]), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_cancel(&s.converting, DLM_DEQALL), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_cancel(&s.converting, 0x1), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_cancel(&s.converting, DLM_CANCELWAITOK | DLM_NOQUEUE), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &other, DLM_USER | DLM_NOQUEUE), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &other, DLM_USER | DLM_CANCELWAITOK), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_nsleave(&s.ns, 1), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_nsleave(&s.ns, DLM_USER), DLM_BADPARAM);
    check_and_end_scene(&s);
}

/* Choices (header, library): flags that contradict each other. */
static void contradictory_flags_are_bad_parameters(void)
{
    dlm_valb_t valb;
    dlm_lkid_t lkid;
    struct scene s;

    memset(&valb, 0, sizeof valb);
    set_scene(&s);
    /* DLM_EXPEDITE is for NL requests that may queue. */
    assert_lock_calls(DLM_BADPARAM, s.ns, name, NAMELEN, NULL, &lkid, DLM_CRMODE, NULL,
                      DLM_EXPEDITE);
    assert_lock_calls(DLM_BADPARAM, s.ns, name, NAMELEN, NULL, &lkid, DLM_NLMODE, NULL,
                      DLM_EXPEDITE | DLM_NOQUEUE);
    assert_lock_calls(DLM_BADPARAM, s.ns, name, NAMELEN, NULL, &lkid, DLM_NLMODE, NULL,
                      DLM_TXID_LOCAL | DLM_TXID_GLOBAL);
    assert_convert_calls(DLM_BADPARAM, &s.held, DLM_NLMODE, &valb, DLM_VALB | DLM_INVVALBLK);
    CU_ASSERT_EQUAL(dlm_unlock(&s.held, &valb, DLM_VALB | DLM_INVVALBLK), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_unlock(&s.held, &valb, DLM_VALB | DLM_DEQALL), DLM_BADPARAM);
    /* DLM_DEQALL releases many locks: no value block to invalidate. */
    CU_ASSERT_EQUAL(dlm_unlock(&s.held, NULL, DLM_INVVALBLK | DLM_DEQALL), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_INVVALBLK | DLM_DEQALL), DLM_BADPARAM);
    /* A sublock names no namespace (nsp 0). */
    assert_lock_calls(DLM_BADPARAM, s.ns, name, NAMELEN, &s.held, &lkid, DLM_NLMODE, NULL, 0);
    check_and_end_scene(&s);
}

static void bad_name_lengths_are_ivbuflen(void)
{
    static const ushort_t bad[] = { 0, DLM_RESNAMELEN + 1, 255, 65535 };
    uchar_t longname[DLM_RESNAMELEN + 1];
    dlm_lkid_t lkid, other;
    struct scene s;
    size_t i;

    memset(longname, 'L', sizeof longname);
    set_scene(&s);
    for (i = 0; i < COUNT(bad); i++) {
        assert_lock_calls(DLM_IVBUFLEN, s.ns, longname, bad[i], NULL, &lkid, DLM_NLMODE, NULL,
                          0);
        assert_lock_calls(DLM_IVBUFLEN, 0, longname, bad[i], &s.held, &lkid, DLM_NLMODE, NULL,
                          0);
    }
    /* DLM_RESNAMELEN itself is fine, and the names are opaque bytes. */
    CU_ASSERT_EQUAL(lock_with(s.ns, longname, DLM_RESNAMELEN, NULL, &lkid, DLM_EXMODE, NULL, 0),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    longname[3] = '\0';
    CU_ASSERT_EQUAL(lock_with(s.ns, longname, 5, NULL, &lkid, DLM_EXMODE, NULL, DLM_NOQUEUE),
                    DLM_SUCCESS);
    CU_ASSERT_EQUAL(lock_with(s.ns, longname, 4, NULL, &other, DLM_EXMODE, NULL,
                              DLM_NOQUEUE), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&other, NULL, 0), DLM_SUCCESS);
    check_and_end_scene(&s);
}

/* Conversions and unlocks of a lock are refused while an unlock or a
 * conversion of it is under way; after such refusals the lock is as it
 * was (covered with the other statuses in conversions and unlock_cancel);
 * here: a lock unlocked twice. */
static void a_lock_unlocked_twice_is_ivlockid_the_second_time(void)
{
    dlm_lkid_t lkid, copy;
    struct scene s;

    set_scene(&s);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(s.ns, NULL, "bad-twice", DLM_PWMODE, &lkid), DLM_SUCCESS);
    copy = lkid;
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&copy, NULL, 0), DLM_IVLOCKID);
    CU_ASSERT_EQUAL(dlm_cancel(&copy, DLM_CANCELWAITOK), DLM_IVLOCKID);
    check_and_end_scene(&s);
}

static const struct harness_test tests[] = {
    { "calls without a namespace are DLM_NOTATTACHED",
      calls_without_a_namespace_are_not_attached },
    { "NULL pointers are DLM_EFAULT", null_pointers_are_efault },
    { "DLM_VALB without a value block is DLM_BADPARAM",
      valb_without_a_value_block_is_a_bad_parameter },
    { "forged and stale lock IDs are DLM_IVLOCKID", forged_and_stale_lock_ids_are_ivlockid },
    { "the zero lock ID without DLM_DEQALL is DLM_IVLOCKID",
      the_zero_lock_id_without_deqall_is_ivlockid },
    { "bad modes are DLM_BADPARAM", bad_modes_are_bad_parameters },
    { "unknown flags are DLM_BADPARAM", unknown_flags_are_bad_parameters },
    { "contradictory flags are DLM_BADPARAM", contradictory_flags_are_bad_parameters },
    { "bad name lengths are DLM_IVBUFLEN", bad_name_lengths_are_ivbuflen },
    { "a lock unlocked twice is DLM_IVLOCKID the second time",
      a_lock_unlocked_twice_is_ivlockid_the_second_time },
    { NULL, NULL }
};

static const struct harness_suite suite = { "bad input", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
