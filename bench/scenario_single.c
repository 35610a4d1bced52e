/*
 * Scenarios of one process, one thread: the uncontended pair (every
 * subject), and on the DLM alone conversions, value blocks, sublocks and
 * asynchronous requests.  Each takes one sample per operation and counts
 * the system calls of its path.
 */
#include "scenarios.h"

#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "single.h"
#include "syscount.h"

#define WARMUP 1000
#define COUNTED_OPS 2000

/* Hold a chain of depth parent locks (NL) and make s a sublock of the
 * last.  0 or -1. */
static int hold_parents(struct subject *s, unsigned int depth)
{
    unsigned int level;

    for (level = 0; level < depth; level++) {
        uchar_t name[DLM_RESNAMELEN];
        unsigned short len = bench_resname(name, sizeof name, "parent", level);
        dlm_lkid_t child;
        int root = level == 0;

        if (dlm_lock(root ? s->ns : 0, name, len, root ? NULL : &s->parent, &child, DLM_NLMODE,
                     NULL, 0, NULL, NULL, NULL, 0) != DLM_SUCCESS)
            return -1;
        s->parent = child;
    }
    return 0;
}

static void pairs(void *arg)
{
    struct subject *s = arg;
    int i;

    for (i = 0; i < COUNTED_OPS; i++) {
        s->ops->lock(s);
        s->ops->unlock(s);
    }
}

/* Count the system calls of COUNTED_OPS runs of body into m. */
static void count_syscalls(void (*body)(void *), void *arg, struct measurement *m)
{
    struct syscount count;

    if (syscount_run(body, arg, &count) != 0) {
        snprintf(m->note, sizeof m->note, "syscalls not counted (seccomp refused)");
        return;
    }
    m->syscalls_per_op = (double)count.total / COUNTED_OPS;
    syscount_describe(&count, COUNTED_OPS, m->note, sizeof m->note);
}

static int alloc_samples(struct measurement *m, uint64_t n)
{
    m->samples = calloc(n, sizeof *m->samples);
    m->nsamples = m->samples != NULL ? n : 0;
    if (m->samples == NULL)
        snprintf(m->note, sizeof m->note, "out of memory");
    return m->samples != NULL ? 0 : -1;
}

/* A resource with no lock is gone, and its value block with it: an
 * application that keeps a value holds an NL lock on the resource. */
static int keep_resource(struct subject *s)
{
    dlm_lkid_t keeper;

    return dlm_lock(s->ns, s->name, s->namelen, NULL, &keeper, DLM_NLMODE, NULL, 0, NULL, NULL,
                    NULL, 0) == DLM_SUCCESS ? 0 : -1;
}

int measure_pairs(void *arg, struct measurement *m)
{
    const struct pair_setup *setup = arg;
    struct subject s;
    uint64_t start, i, n = config.pairs;

    memset(&s, 0, sizeof s);
    s.ops = setup->ops;
    s.fd = -1;
    s.valb = setup->valb;
    if (s.ops->open(&s, 0) != 0 || hold_parents(&s, setup->depth) != 0
        || (s.valb && keep_resource(&s) != 0)) {
        snprintf(m->note, sizeof m->note, "cannot open the subject");
        return -1;
    }
    for (i = 0; i < WARMUP; i++)
        if (s.ops->lock(&s) != 0 || s.ops->unlock(&s) != 0) {
            snprintf(m->note, sizeof m->note, "lock or unlock failed");
            return -1;
        }
    if (alloc_samples(m, n) != 0)
        return -1;
    start = now_ns();
    for (i = 0; i < n; i++) {
        uint64_t t0 = now_ns();

        s.ops->lock(&s);
        s.ops->unlock(&s);
        m->samples[i] = now_ns() - t0;
    }
    m->elapsed_ns = now_ns() - start;
    m->ops = n;
    count_syscalls(pairs, &s, m);
    if (s.valb && s.value.valblk[0] != WARMUP + n + 2 * COUNTED_OPS) {
        snprintf(m->note, sizeof m->note, "the value block lost writes");
        return -1;
    }
    s.ops->close(&s);
    return 0;
}

void scenario_pair(struct report *r)
{
    struct pair_setup setup[8];
    struct contender c[8];
    unsigned int i;

    for (i = 0; i < host_nsubjects && i < 8; i++) {
        setup[i] = (struct pair_setup){ host_subjects[i], 0, 0 };
        c[i] = (struct contender){ host_subjects[i]->key, host_subjects[i]->name,
                                   measure_pairs, &setup[i] };
    }
    run_side_by_side(r, "host", "pair", "lock+unlock EX, 1 process", c, i, config.rounds);
}

void scenario_value_block(struct report *r)
{
    struct pair_setup setup = { &subject_dlm, 1, 0 };
    struct contender c = { subject_dlm.key, subject_dlm.name, measure_pairs, &setup };

    run_side_by_side(r, "host", "valb", "pair with DLM_VALB", &c, 1, config.rounds);
}

void scenario_sublock(struct report *r)
{
    struct pair_setup depth1 = { &subject_dlm, 0, 1 }, depth4 = { &subject_dlm, 0, 4 };
    struct contender c1 = { subject_dlm.key, subject_dlm.name, measure_pairs, &depth1 };
    struct contender c4 = { subject_dlm.key, subject_dlm.name, measure_pairs, &depth4 };

    run_side_by_side(r, "host", "sublock-1", "sublock pair, depth 1", &c1, 1, config.rounds);
    run_side_by_side(r, "host", "sublock-4", "sublock pair, depth 4", &c4, 1, config.rounds);
}

/* --- Conversions --------------------------------------------------------------------- */

static int convert_round_trip(dlm_lkid_t *lkid)
{
    return dlm_cvt(lkid, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, 0) == DLM_SUCCESS
           && dlm_cvt(lkid, DLM_NLMODE, NULL, 0, NULL, NULL, NULL, 0) == DLM_SUCCESS ? 0 : -1;
}

static void round_trips(void *arg)
{
    int i;

    for (i = 0; i < COUNTED_OPS; i++)
        convert_round_trip(arg);
}

int measure_conversions(void *arg, struct measurement *m)
{
    uchar_t name[DLM_RESNAMELEN];
    unsigned short len = bench_resname(name, sizeof name, "cvt", 0);
    uint64_t start, i, n = config.pairs;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    (void)arg;
    if (bench_join(&ns) != DLM_SUCCESS
        || dlm_lock(ns, name, len, NULL, &lkid, DLM_NLMODE, NULL, 0, NULL, NULL, NULL, 0)
           != DLM_SUCCESS) {
        snprintf(m->note, sizeof m->note, "cannot lock");
        return -1;
    }
    for (i = 0; i < WARMUP; i++)
        if (convert_round_trip(&lkid) != 0) {
            snprintf(m->note, sizeof m->note, "dlm_cvt failed");
            return -1;
        }
    if (alloc_samples(m, n) != 0)
        return -1;
    start = now_ns();
    for (i = 0; i < n; i++) {
        uint64_t t0 = now_ns();

        convert_round_trip(&lkid);
        m->samples[i] = now_ns() - t0;
    }
    m->elapsed_ns = now_ns() - start;
    m->ops = n;
    count_syscalls(round_trips, &lkid, m);
    dlm_unlock(&lkid, NULL, 0);
    return 0;
}

void scenario_convert(struct report *r)
{
    struct contender c = { subject_dlm.key, subject_dlm.name, measure_conversions, NULL };

    run_side_by_side(r, "host", "cvt", "dlm_cvt NL->EX->NL", &c, 1, config.rounds);
}

/* --- Asynchronous requests ------------------------------------------------------------- */

#define BATCH 1000

struct batch {
    dlm_nsp_t ns;
    uchar_t name[BATCH][DLM_RESNAMELEN];
    unsigned short len[BATCH];
    dlm_lkid_t lkid[BATCH];
    int completed;
    int refused;
};

static void on_completion(callback_arg_t notprm, dlm_lkid_t *lkid, dlm_status_t status)
{
    struct batch *b = notprm;

    (void)lkid;
    b->completed++;
    b->refused += status != DLM_SUCCESS;
}

/* Queue a batch of new EX locks on distinct resources and run their
 * completion routines; then release them. */
static int run_batch(struct batch *b, uint64_t *elapsed)
{
    uint64_t t0 = now_ns();
    int i;

    b->completed = 0;
    for (i = 0; i < BATCH; i++)
        if (dlm_quelock(b->ns, b->name[i], b->len[i], NULL, &b->lkid[i], DLM_EXMODE, NULL, 0, b,
                        NULL, NULL, 0, on_completion) != DLM_SUCCESS)
            return -1;
    while (b->completed < BATCH)
        dlm_notify();
    if (elapsed != NULL)
        *elapsed = now_ns() - t0;
    for (i = 0; i < BATCH; i++)
        dlm_unlock(&b->lkid[i], NULL, 0);
    return b->refused == 0 ? 0 : -1;
}

static void one_batch(void *arg)
{
    run_batch(arg, NULL);
}

static int measure_async(void *arg, struct measurement *m)
{
    struct batch *b = calloc(1, sizeof *b);
    unsigned int i, n = config.async_batches;
    struct syscount count;

    (void)arg;
    if (b == NULL || bench_join(&b->ns) != DLM_SUCCESS || alloc_samples(m, n) != 0) {
        snprintf(m->note, sizeof m->note, "cannot join");
        return -1;
    }
    for (i = 0; i < BATCH; i++)
        b->len[i] = bench_resname(b->name[i], sizeof b->name[i], "async", i);
    if (run_batch(b, NULL) != 0) {
        snprintf(m->note, sizeof m->note, "dlm_quelock failed");
        return -1;
    }
    for (i = 0; i < n; i++) {
        uint64_t elapsed;

        if (run_batch(b, &elapsed) != 0) {
            snprintf(m->note, sizeof m->note, "dlm_quelock failed");
            return -1;
        }
        m->samples[i] = elapsed / BATCH;
        m->elapsed_ns += elapsed;
        m->ops += BATCH;
    }
    if (syscount_run(one_batch, b, &count) == 0) {
        /* The count covers the batch's releases too, and the note says so. */
        m->syscalls_per_op = (double)count.total / BATCH;
        syscount_describe(&count, BATCH, m->note, sizeof m->note);
        strncat(m->note, ", quelock+notify+unlock", sizeof m->note - strlen(m->note) - 1);
    }
    free(b);
    return 0;
}

void scenario_async(struct report *r)
{
    struct contender c = { subject_dlm.key, subject_dlm.name, measure_async, NULL };

    run_side_by_side(r, "host", "quelock", "dlm_quelock + completion", &c, 1, config.rounds);
}
