#include "targets.h"

#include <stdio.h>

/* The figure of a row, or -1 when the row is missing or failed. */
static double median_of_row(const struct report *r, const char *section, const char *scenario,
                            const char *subject)
{
    const struct row *row = report_find(r, section, scenario, subject);

    return row != NULL && !row->failed ? row->median_ns : -1;
}

static const struct row *good_row(const struct report *r, const char *section,
                                  const char *scenario, const char *subject)
{
    const struct row *row = report_find(r, section, scenario, subject);

    return row != NULL && !row->failed ? row : NULL;
}

/* value <= limit (or >= limit with at_least); the caller writes the
 * measured text when there is a value. */
static int judge(struct target *t, const char *what, double value, double limit, int at_least)
{
    t->what = what;
    snprintf(t->measured, sizeof t->measured, "-");
    if (value < 0) {
        t->verdict = VERDICT_UNMEASURED;
        return 0;
    }
    t->verdict = (at_least ? value >= limit : value <= limit) ? VERDICT_MET : VERDICT_MISSED;
    return 1;
}

static double quotient(double a, double b)
{
    return a < 0 || b <= 0 ? -1 : a / b;
}

void targets_judge(const struct report *r, struct target t[NTARGETS])
{
    const struct row *pair = good_row(r, "host", "pair", "dlm_embedded");
    const struct row *scale = good_row(r, "host", "scale-2p", "dlm_embedded");
    const struct row *floor = good_row(r, "host", "scale-2p", "pthread_mutex");
    const struct row *held = good_row(r, "host", "hold-1000000", "dlm_embedded");
    double pair_ns = pair != NULL ? pair->median_ns : -1;
    double syscalls = pair != NULL ? pair->syscalls_per_op : -1;
    double handoff_ns = median_of_row(r, "host", "handoff", "dlm_embedded");
    double bytes = held != NULL ? held->bytes_per_lock : -1;
    double growth = quotient(held != NULL ? held->median_ns : -1,
                             median_of_row(r, "host", "hold-1000", "dlm_embedded"));
    double speedup = scale != NULL ? scale->speedup : -1;
    double linux_vs_raw = quotient(median_of_row(r, "guest", "pair", "dlm_linux"),
                                   median_of_row(r, "guest", "pair", "libdlm"));
    double kernel_vs_embedded = quotient(median_of_row(r, "guest", "pair", "libdlm"),
                                         median_of_row(r, "guest", "pair", "dlm_embedded"));

    if (judge(&t[0], "embedded lock+unlock pair median <= 1 us", pair_ns, 1000, 0))
        snprintf(t[0].measured, sizeof t[0].measured, "%.0f ns", pair_ns);
    if (judge(&t[1], "no system call on that path", syscalls, 0, 0))
        snprintf(t[1].measured, sizeof t[1].measured, "%.2g syscalls/pair", syscalls);
    if (judge(&t[2], "cross-process hand-off median <= 30 us", handoff_ns, 30000, 0))
        snprintf(t[2].measured, sizeof t[2].measured, "%.3g us", handoff_ns / 1000);
    if (judge(&t[3], "1M held locks <= 256 bytes each", bytes, 256, 0))
        snprintf(t[3].measured, sizeof t[3].measured, "%.0f B/lock", bytes);
    if (judge(&t[4], "pair latency at 1M held within 2x of at 1K", growth, 2, 0))
        snprintf(t[4].measured, sizeof t[4].measured, "x%.2f", growth);
    if (judge(&t[5], "2 processes, distinct resources: >= 1.6x one", speedup, 1.6, 1))
        /* What the machine itself allowed at the time: the mutex's speed-up. */
        snprintf(t[5].measured, sizeof t[5].measured, "x%.2f (mutex x%.2f)", speedup,
                 floor != NULL ? floor->speedup : -1.0);
    if (judge(&t[6], "Linux engine pair <= 1.15x raw libdlm (guest)", linux_vs_raw, 1.15, 0))
        snprintf(t[6].measured, sizeof t[6].measured, "x%.2f", linux_vs_raw);
    if (judge(&t[7], "embedded >= 20x faster than kernel DLM (guest)", kernel_vs_embedded, 20,
              1))
        snprintf(t[7].measured, sizeof t[7].measured, "x%.1f", kernel_vs_embedded);
}
