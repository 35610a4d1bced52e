/*
 * Fuzzing the public API: several processes drive seeded random call
 * sequences, well-formed and hostile, through <sys/dlm.h> only, and check
 * after every call that
 *
 *  - the status is one the header defines, and a hostile call gets the
 *    documented refusal (DLM_EFAULT, DLM_IVLOCKID, DLM_BADPARAM,
 *    DLM_IVBUFLEN, DLM_NOTATTACHED);
 *  - nothing the process holds changed: every lock it believes granted is
 *    still granted in that mode (dlm_get_lkinfo);
 *  - no two processes hold incompatible modes on a resource at once (a
 *    witness in shared memory of the test's own, not the library's);
 *  - every asynchronous request completes exactly once;
 *  - at the end nothing is left: a fresh process takes EX everywhere.
 *
 * DLM_TRU64_FUZZ_SEED replays a run (the seed is printed);
 * DLM_TRU64_FUZZ_STEPS sets the calls per process (default 2000).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"
#include "peer.h"
#include "fixture.h"

#define FUZZERS 3
#define RESOURCES 4
#define SLOTS 16
#define NO_MODE 0
#define UNKNOWN (-1)    /* between two modes neither of which is weaker */

static const int compatible[7][7] = {
    /* row: held, column: requested; index 0 unused (DLM_NOMODE) */
    { 1, 1, 1, 1, 1, 1, 1 },
    { 1, 1, 1, 1, 1, 1, 1 },   /* NL */
    { 1, 1, 1, 1, 1, 1, 0 },   /* CR */
    { 1, 1, 1, 1, 0, 0, 0 },   /* CW */
    { 1, 1, 1, 0, 1, 0, 0 },   /* PR */
    { 1, 1, 1, 0, 0, 0, 0 },   /* PW */
    { 1, 1, 0, 0, 0, 0, 0 },   /* EX */
};

/* The witness: what each fuzzer believes it holds, in memory of its own. */
struct witness {
    int held[FUZZERS][RESOURCES][SLOTS];
    int violations;
};

static struct witness *witness;

/* One fuzzer's model of its locks. */
struct slot {
    int used;
    int resource;
    dlm_lkid_t lkid;
    dlm_lkmode_t mode;          /* granted mode; NO_MODE while a request waits */
    int completions;            /* of its asynchronous request */
    int pending;                /* an asynchronous request is in flight */
    dlm_status_t status;
};

struct fuzzer {
    int id;
    unsigned int seed;
    dlm_nsp_t ns;
    struct slot slots[SLOTS];
    int failures;
};

static const char *const names[RESOURCES] = { "fz0", "fz1", "fz2", "fz3" };

static void fail(struct fuzzer *f, const char *what, dlm_status_t status)
{
    if (f->failures++ < 10)
        fprintf(stderr, "\n    fuzzer %d: %s: %s", f->id, what, dlm_sperrno(status));
}

static void expect(struct fuzzer *f, const char *what, dlm_status_t got, dlm_status_t wanted)
{
    if (got != wanted)
        fail(f, what, got);
}

static void believe(struct fuzzer *f, int s, dlm_lkmode_t mode)
{
    int res = f->slots[s].resource, other, t;

    __atomic_store_n(&witness->held[f->id][res][s], mode, __ATOMIC_SEQ_CST);
    if (mode == NO_MODE || mode == UNKNOWN)
        return;
    for (other = 0; other < FUZZERS; other++)
        for (t = 0; t < SLOTS && other != f->id; t++) {
            int theirs = __atomic_load_n(&witness->held[other][res][t], __ATOMIC_SEQ_CST);

            if (theirs != UNKNOWN && !compatible[theirs][mode]) {
                __atomic_add_fetch(&witness->violations, 1, __ATOMIC_SEQ_CST);
                fprintf(stderr, "\n    fuzzer %d holds mode %d on %s while fuzzer %d holds %d",
                        f->id, mode, names[res], other, theirs);
            }
        }
}

static void completed(callback_arg_t notprm, dlm_lkid_t *lkid, dlm_status_t status)
{
    struct slot *slot = notprm;

    (void)lkid;
    slot->completions++;
    slot->status = status;
}

/* Does mode a conflict with nothing that b does not (so that holding a
 * instead of b can never be refused)?  CW is not below PR, though its
 * number is. */
static int no_stronger(dlm_lkmode_t a, dlm_lkmode_t b)
{
    dlm_lkmode_t m;

    for (m = DLM_NLMODE; m <= DLM_EXMODE; m++)
        if (compatible[b][m] && !compatible[a][m])
            return 0;
    return 1;
}

static int pick(struct fuzzer *f, int n)
{
    return rand_r(&f->seed) % n;
}

static int free_slot(struct fuzzer *f)
{
    int s;

    for (s = 0; s < SLOTS; s++)
        if (!f->slots[s].used)
            return s;
    return -1;
}

static int held_slot(struct fuzzer *f)
{
    int s, start = pick(f, SLOTS);

    for (s = 0; s < SLOTS; s++) {
        int i = (start + s) % SLOTS;

        if (f->slots[i].used && !f->slots[i].pending)
            return i;
    }
    return -1;
}

/* Account for asynchronous completions that arrived. */
static void settle(struct fuzzer *f)
{
    int s;

    dlm_notify();
    for (s = 0; s < SLOTS; s++) {
        struct slot *slot = &f->slots[s];

        if (!slot->pending || slot->completions == 0)
            continue;
        slot->pending = 0;
        if (slot->completions != 1)
            fail(f, "completions of one request", slot->completions);
        if (slot->status == DLM_SUCCESS || slot->status == DLM_SUCCVALNOTVALID) {
            slot->mode = slot->mode == NO_MODE ? DLM_PRMODE : slot->mode;
            believe(f, s, slot->mode);
        } else {
            slot->used = 0;     /* timed out or refused: no lock */
        }
    }
}

static void take(struct fuzzer *f)
{
    int s = free_slot(f);
    struct slot *slot;
    dlm_lkmode_t mode = 1 + pick(f, 6);
    dlm_valb_t valb;
    dlm_status_t status;

    if (s < 0)
        return;
    slot = &f->slots[s];
    memset(slot, 0, sizeof *slot);
    slot->resource = pick(f, RESOURCES);
    slot->used = 1;
    if (pick(f, 2)) {
        status = dlm_lock(f->ns, (uchar_t *)names[slot->resource], 3, NULL, &slot->lkid, mode,
                          &valb, DLM_NOQUEUE | (pick(f, 2) ? DLM_VALB : 0), NULL, NULL, NULL, 0);
        if (status == DLM_SUCCESS || status == DLM_SUCCVALNOTVALID) {
            slot->mode = mode;
            believe(f, s, mode);
        } else {
            expect(f, "NOQUEUE lock", status, DLM_NOTQUEUED);
            slot->used = 0;
        }
    } else {
        /* Asynchronous, PR, briefly timed: it ends one way or another. */
        slot->pending = 1;
        status = dlm_quelock(f->ns, (uchar_t *)names[slot->resource], 3, NULL, &slot->lkid,
                             DLM_PRMODE, NULL, 0, slot, NULL, NULL, 1 + pick(f, 5), completed);
        if (status != DLM_SUCCESS) {
            fail(f, "quelock", status);
            slot->used = slot->pending = 0;
        }
    }
}

static void convert(struct fuzzer *f)
{
    int s = held_slot(f);
    dlm_lkmode_t mode = 1 + pick(f, 6);
    dlm_status_t status;

    if (s < 0)
        return;
    /* A weaker mode is believed before it is granted, a stronger one
     * after; between CW and PR, which neither is, nothing is believed
     * meanwhile (the witness learns of a grant only after it). */
    if (no_stronger(mode, f->slots[s].mode))
        believe(f, s, mode);
    else if (!no_stronger(f->slots[s].mode, mode))
        believe(f, s, UNKNOWN);
    status = dlm_cvt(&f->slots[s].lkid, mode, NULL, DLM_NOQUEUE, NULL, NULL, NULL, 0);
    if (status == DLM_SUCCESS) {
        f->slots[s].mode = mode;
        believe(f, s, mode);
    } else {
        expect(f, "NOQUEUE conversion", status, DLM_NOTQUEUED);
        believe(f, s, f->slots[s].mode);
        if (no_stronger(mode, f->slots[s].mode))
            fail(f, "a conversion to a weaker mode refused", status);
    }
}

static void release(struct fuzzer *f)
{
    int s = held_slot(f);
    dlm_valb_t valb = { { 1, 2, 3, 4 } };
    dlm_flags_t flags = pick(f, 3) == 0 ? DLM_VALB : pick(f, 2) ? DLM_INVVALBLK : 0;

    if (s < 0)
        return;
    believe(f, s, NO_MODE);
    expect(f, "unlock", dlm_unlock(&f->slots[s].lkid, &valb, flags), DLM_SUCCESS);
    f->slots[s].used = 0;
}

/* Calls that must be refused, and change nothing. */
static void hostile(struct fuzzer *f)
{
    dlm_lkid_t forged = { (uint_t)rand_r(&f->seed), (uint_t)rand_r(&f->seed) }, lkid;
    dlm_lkinfo_t info;
    dlm_rsbinfo_t rsb;
    ushort_t bad_len = pick(f, 2) ? 0 : (ushort_t)(DLM_RESNAMELEN + 1 + pick(f, 60000));
    dlm_lkmode_t bad_mode = pick(f, 2) ? 0 : 7 + pick(f, 1000);

    switch (pick(f, 10)) {
    case 0:
        expect(f, "forged unlock", dlm_unlock(&forged, NULL, 0), DLM_IVLOCKID);
        break;
    case 1:
        expect(f, "forged convert", dlm_cvt(&forged, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, 0),
               DLM_IVLOCKID);
        break;
    case 2:
        expect(f, "forged cancel", dlm_cancel(&forged, 0), DLM_IVLOCKID);
        break;
    case 3:
        expect(f, "bad name length",
               dlm_lock(f->ns, (uchar_t *)"fz0", bad_len, NULL, &lkid, DLM_NLMODE, NULL, 0, NULL,
                        NULL, NULL, 0), DLM_IVBUFLEN);
        break;
    case 4:
        expect(f, "bad mode",
               dlm_lock(f->ns, (uchar_t *)"fz0", 3, NULL, &lkid, bad_mode, NULL, 0, NULL, NULL,
                        NULL, 0), DLM_BADPARAM);
        break;
    case 5:
        expect(f, "unknown flag",
               dlm_lock(f->ns, (uchar_t *)"fz0", 3, NULL, &lkid, DLM_NLMODE, NULL,
                        0x80000000u >> pick(f, 3), NULL, NULL, NULL, 0), DLM_BADPARAM);
        break;
    case 6:
        expect(f, "NULL lock ID",
               dlm_lock(f->ns, (uchar_t *)"fz0", 3, NULL, NULL, DLM_NLMODE, NULL, 0, NULL, NULL,
                        NULL, 0), DLM_EFAULT);
        break;
    case 7:
        expect(f, "NULL lkinfo", dlm_get_lkinfo(&forged, NULL), DLM_EFAULT);
        expect(f, "forged lkinfo", dlm_get_lkinfo(&forged, &info), DLM_IVLOCKID);
        break;
    case 8:
        expect(f, "bad namespace",
               dlm_get_rsbinfo(f->ns + DLM_NSPROCMAX, (uchar_t *)"fz0", 3, &rsb, NULL),
               DLM_NOTATTACHED);
        break;
    default:
        expect(f, "forged parent",
               dlm_lock(0, (uchar_t *)"kid", 3, &forged, &lkid, DLM_NLMODE, NULL, 0, NULL, NULL,
                        NULL, 0), DLM_IVLOCKID);
        break;
    }
}

/* Nothing the fuzzer holds changed. */
static void check_holdings(struct fuzzer *f)
{
    int s;

    for (s = 0; s < SLOTS; s++) {
        struct slot *slot = &f->slots[s];
        dlm_lkinfo_t info;
        dlm_status_t status;

        if (!slot->used || slot->pending)
            continue;
        status = dlm_get_lkinfo(&slot->lkid, &info);
        if (status != DLM_SUCCESS)
            fail(f, "a held lock vanished", status);
        else if (info.grmode != slot->mode || info.lkstate != GRANTED)
            fail(f, "a held lock changed", info.grmode);
    }
}

static void fuzz(struct peer *self, void *arg)
{
    struct fuzzer f;
    int step, steps = *(int *)arg, left;
    time_t give_up;

    memset(&f, 0, sizeof f);
    f.id = peer_receive(self);
    f.seed = (unsigned int)peer_receive(self);
    if (fixture_join(&f.ns) != DLM_SUCCESS) {
        peer_send(self, 1);
        return;
    }
    for (step = 0; step < steps; step++) {
        switch (pick(&f, 5)) {
        case 0: take(&f); break;
        case 1: convert(&f); break;
        case 2: release(&f); break;
        case 3: hostile(&f); break;
        default: settle(&f); break;
        }
        if (step % 16 == 0)
            check_holdings(&f);
    }
    /* Every asynchronous request ends (their timeouts see to it). */
    give_up = time(NULL) + 30;
    do {
        int s;

        settle(&f);
        for (s = 0, left = 0; s < SLOTS; s++)
            left += f.slots[s].pending;
    } while (left > 0 && time(NULL) < give_up);
    if (left > 0)
        fail(&f, "requests never completed", left);
    for (step = 0; step < SLOTS; step++)
        __atomic_store_n(&witness->held[f.id][0][step], NO_MODE, __ATOMIC_SEQ_CST);
    memset(witness->held[f.id], 0, sizeof witness->held[f.id]);
    expect(&f, "releasing everything", dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    expect(&f, "leaving", dlm_nsleave(&f.ns, 0), DLM_SUCCESS);
    peer_send(self, f.failures);
}

static void nothing_is_left(struct peer *self, void *arg)
{
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    int r, left = 0;

    (void)arg;
    if (fixture_join(&ns) != DLM_SUCCESS) {
        peer_send(self, -1);
        return;
    }
    for (r = 0; r < RESOURCES; r++) {
        if (dlm_lock(ns, (uchar_t *)names[r], 3, NULL, &lkid, DLM_EXMODE, NULL, DLM_NOQUEUE,
                     NULL, NULL, NULL, 0) != DLM_SUCCESS)
            left++;
        else
            dlm_unlock(&lkid, NULL, 0);
    }
    dlm_nsleave(&ns, 0);
    peer_send(self, left);
}

static void random_calls_keep_every_invariant(void)
{
    const char *seed_env = getenv("DLM_TRU64_FUZZ_SEED"), *steps_env = getenv("DLM_TRU64_FUZZ_STEPS");
    unsigned int seed = seed_env != NULL ? (unsigned int)strtoul(seed_env, NULL, 0)
                                         : (unsigned int)time(NULL);
    int steps = steps_env != NULL ? atoi(steps_env) : 2000, i, failures = 0;
    struct peer fuzzers[FUZZERS], checker;

    printf("\n    seed %u (DLM_TRU64_FUZZ_SEED replays it), %d calls per process\n", seed,
           steps);
    witness = mmap(NULL, sizeof *witness, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                   -1, 0);
    CU_ASSERT_FATAL(witness != MAP_FAILED);
    memset(witness, 0, sizeof *witness);
    for (i = 0; i < FUZZERS; i++) {
        CU_ASSERT_FATAL(peer_start(&fuzzers[i], fuzz, &steps) == 0);
        peer_send(&fuzzers[i], i);
        peer_send(&fuzzers[i], (int)(seed + (unsigned int)i * 7919u));
    }
    for (i = 0; i < FUZZERS; i++) {
        int result = peer_receive(&fuzzers[i]);

        CU_ASSERT_EQUAL(result, 0);
        failures += result != 0;
        CU_ASSERT_EQUAL(peer_finish(&fuzzers[i]), 0);
    }
    CU_ASSERT_EQUAL(witness->violations, 0);
    CU_ASSERT_FATAL(peer_start(&checker, nothing_is_left, NULL) == 0);
    CU_ASSERT_EQUAL(peer_receive(&checker), 0);
    CU_ASSERT_EQUAL(peer_finish(&checker), 0);
    munmap(witness, sizeof *witness);
}

static const struct harness_test tests[] = {
    { "random calls keep every invariant", random_calls_keep_every_invariant },
    { NULL, NULL }
};

static const struct harness_suite suite = { "fuzzing the API", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
