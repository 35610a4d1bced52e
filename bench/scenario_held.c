/*
 * Scenarios with many locks: memory and latency with 1K, 100K and 1M
 * locks held, and the cost of the deadlock detector while many requests
 * wait.  On the DLM alone: the peers keep their locks in the kernel,
 * where neither figure can be seen from a process (and a file's fcntl
 * locks are a list, which a million would make quadratic).
 */
#include "scenarios.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "files.h"
#include "runner.h"
#include "subjects.h"

/* --- Held locks -------------------------------------------------------------------------- */

/* The lockspace directory of this process (the run's private one). */
static const char *lockspace_dir(void)
{
    const char *dir = getenv("DLM_TRU64_EMBEDDED_DIR");

    return dir != NULL ? dir : "";
}

/* This process's private anonymous memory, in bytes (RssAnon). */
static double anon_bytes(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;

    if (f == NULL)
        return 0;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "RssAnon: %lf kB", &kb) == 1)
            break;
    fclose(f);
    return kb * 1024;
}

static int measure_held(void *arg, struct measurement *m)
{
    unsigned long n = *(const unsigned long *)arg, i;
    char dir[512];
    dlm_lkid_t *lkid = calloc(n, sizeof *lkid), probe, all = { 0, 0 };
    uchar_t name[DLM_RESNAMELEN], probe_name[DLM_RESNAMELEN];
    unsigned short probe_len = bench_resname(probe_name, sizeof probe_name, "probe", 0);
    double anon0, seg0, anon1, seg1;
    uint64_t t0, acquired_ns, released_ns, k;
    dlm_nsp_t ns;
    int rc = -1;

    /* A lockspace of its own, so that the figures are this run's alone. */
    snprintf(dir, sizeof dir, "%s/held.%lu", lockspace_dir(), n);
    setenv("DLM_TRU64_EMBEDDED_DIR", dir, 1);
    m->samples = calloc(config.pairs, sizeof *m->samples);
    if (lkid == NULL || m->samples == NULL || bench_join(&ns) != DLM_SUCCESS) {
        snprintf(m->note, sizeof m->note, "cannot join");
        goto out;
    }
    for (k = 0; k < 1000; k++)
        if (dlm_lock(ns, probe_name, probe_len, NULL, &probe, DLM_EXMODE, NULL, 0, NULL, NULL,
                     NULL, 0) != DLM_SUCCESS || dlm_unlock(&probe, NULL, 0) != DLM_SUCCESS)
            goto out;
    anon0 = anon_bytes();
    seg0 = dir_bytes(dir);
    t0 = now_ns();
    for (i = 0; i < n; i++) {
        unsigned short len = bench_resname(name, sizeof name, "held", i);

        if (dlm_lock(ns, name, len, NULL, &lkid[i], DLM_EXMODE, NULL, 0, NULL, NULL, NULL, 0)
            != DLM_SUCCESS) {
            snprintf(m->note, sizeof m->note, "lock %lu of %lu refused", i + 1, n);
            goto out;
        }
    }
    acquired_ns = now_ns() - t0;
    anon1 = anon_bytes();
    seg1 = dir_bytes(dir);
    m->bytes_per_lock = (anon1 - anon0 + seg1 - seg0) / (double)n;

    t0 = now_ns();
    for (k = 0; k < config.pairs; k++) {
        uint64_t start = now_ns();

        dlm_lock(ns, probe_name, probe_len, NULL, &probe, DLM_EXMODE, NULL, 0, NULL, NULL,
                 NULL, 0);
        dlm_unlock(&probe, NULL, 0);
        m->samples[k] = now_ns() - start;
    }
    m->elapsed_ns = now_ns() - t0;
    m->ops = m->nsamples = config.pairs;

    t0 = now_ns();
    dlm_unlock(&all, NULL, DLM_DEQALL);
    released_ns = now_ns() - t0;
    snprintf(m->note, sizeof m->note,
             "heap %.0f + segment %.0f B/lock; took %.2g s, DEQALL %.2g s",
             (anon1 - anon0) / (double)n, (seg1 - seg0) / (double)n, acquired_ns / 1e9,
             released_ns / 1e9);
    rc = 0;
out:
    dlm_detach();
    dir_remove(dir);
    free(lkid);
    return rc;
}

void scenario_held(struct report *r)
{
    static const unsigned long sizes[] = { 1000, 100000, 1000000 };
    unsigned int i;

    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct contender c = { subject_dlm.key, subject_dlm.name, measure_held,
                               (void *)&sizes[i] };
        char key[KEY_MAX], name[LABEL_MAX];

        if (sizes[i] > config.many_max)
            break;
        snprintf(key, sizeof key, "hold-%lu", sizes[i]);
        snprintf(name, sizeof name, "pair with %luK locks held", sizes[i] / 1000);
        run_side_by_side(r, "host", key, name, &c, 1, 1);
    }
}

/* --- The deadlock detector beside many waiting requests ---------------------------------- */

struct waiters {
    unsigned int n;             /* requests waiting in the measuring process */
    uint32_t held;              /* the holder holds them all */
    uint32_t release;           /* the holder may go */
    int completions;            /* (measuring process only) */
};

static unsigned short waiter_name(uchar_t *buf, unsigned long i)
{
    return bench_resname(buf, DLM_RESNAMELEN, "wait", i);
}

/* The holder: EX on every resource the requests will wait for. */
static int hold_all(void *arg)
{
    struct waiters *w = arg;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    unsigned int i;

    if (bench_join(&ns) != DLM_SUCCESS)
        return 1;
    for (i = 0; i < w->n; i++) {
        uchar_t name[DLM_RESNAMELEN];
        unsigned short len = waiter_name(name, i);

        if (dlm_lock(ns, name, len, NULL, &lkid, DLM_EXMODE, NULL, 0, NULL, NULL, NULL, 0)
            != DLM_SUCCESS)
            return 1;
    }
    word_set(&w->held, 1);
    word_wait_while(&w->release, 0);
    return 0;
}

static void on_waiter_done(callback_arg_t notprm, dlm_lkid_t *lkid, dlm_status_t status)
{
    (void)lkid;
    (void)status;
    ((struct waiters *)notprm)->completions++;
}

static int measure_waiters(void *arg, struct measurement *m)
{
    struct waiters *w = shared_alloc(sizeof *w);
    unsigned int i, n = *(const unsigned int *)arg;
    uint64_t start, duration = (uint64_t)config.scaling_ms * 3 * 1000000u, slowest = 0;
    dlm_lkid_t *lkid = calloc(n + 1, sizeof *lkid), probe;
    uchar_t probe_name[DLM_RESNAMELEN];
    unsigned short probe_len = bench_resname(probe_name, sizeof probe_name, "probe", 1);
    size_t cap = 1u << 22;
    pid_t holder;
    dlm_nsp_t ns;
    int rc = -1;

    if (w == NULL || lkid == NULL || (m->samples = calloc(cap, sizeof *m->samples)) == NULL)
        return -1;
    w->n = n;
    holder = child_spawn(hold_all, w);
    word_wait_while(&w->held, 0);
    if (holder < 0 || bench_join(&ns) != DLM_SUCCESS)
        goto out;
    for (i = 0; i < n; i++) {
        uchar_t name[DLM_RESNAMELEN];
        unsigned short len = waiter_name(name, i);

        if (dlm_quelock(ns, name, len, NULL, &lkid[i], DLM_EXMODE, NULL, 0, w, NULL, NULL, 0,
                        on_waiter_done) != DLM_SUCCESS)
            goto out;
    }
    /* Long enough for the detector to search several times. */
    start = now_ns();
    while (now_ns() - start < duration && m->nsamples < cap) {
        uint64_t t0 = now_ns(), took;

        dlm_lock(ns, probe_name, probe_len, NULL, &probe, DLM_EXMODE, NULL, 0, NULL, NULL,
                 NULL, 0);
        dlm_unlock(&probe, NULL, 0);
        took = now_ns() - t0;
        m->samples[m->nsamples++] = took;
        slowest = took > slowest ? took : slowest;
    }
    m->elapsed_ns = now_ns() - start;
    m->ops = m->nsamples;
    m->max_ns = (double)slowest;
    snprintf(m->note, sizeof m->note, "%u requests of this process wait", n);
    rc = 0;
out:
    for (i = 0; i < n; i++)
        if (lkid[i].hndl != 0)
            dlm_unlock(&lkid[i], NULL, 0);
    word_set(&w->release, 1);
    if (holder > 0)
        child_wait(holder);
    free(lkid);
    shared_free(w, sizeof *w);
    return rc;
}

void scenario_deadlock(struct report *r)
{
    static const unsigned int sizes[] = { 0, 100, 1000 };
    unsigned int i;

    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct contender c = { subject_dlm.key, subject_dlm.name, measure_waiters,
                               (void *)&sizes[i] };
        char key[KEY_MAX], name[LABEL_MAX];

        if (sizes[i] > config.deadlock_waiters_max)
            break;
        snprintf(key, sizeof key, "waiters-%u", sizes[i]);
        snprintf(name, sizeof name, "pair beside %u waiters", sizes[i]);
        run_side_by_side(r, "host", key, name, &c, 1, 1);
    }
}
