#include "runner.h"

#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "stats.h"

struct tally {
    struct samples all;
    double *round_median;
    unsigned int nrounds;
    uint64_t ops, elapsed_ns;
    double syscalls, bytes, max_ns;
    int failed;
    char note[NOTE_MAX];
};

static double max_of(double a, double b)
{
    return a > b ? a : b;
}

static void add_round(struct tally *t, struct measurement *m)
{
    struct samples one = { NULL, 0, 0 };
    uint64_t mean;

    if (m->failed) {
        if (!t->failed)
            memcpy(t->note, m->note, sizeof t->note);
        t->failed = 1;
        return;
    }
    if (m->nsamples == 0 && m->ops != 0) {
        mean = m->elapsed_ns / m->ops;
        samples_append(&one, &mean, 1);
    } else {
        samples_append(&one, m->samples, m->nsamples);
    }
    samples_append(&t->all, one.v, one.n);
    t->round_median[t->nrounds++] = samples_quantile(&one, 0.5);
    samples_free(&one);
    t->ops += m->ops;
    t->elapsed_ns += m->elapsed_ns;
    t->syscalls = max_of(t->syscalls, m->syscalls_per_op);
    t->bytes = max_of(t->bytes, m->bytes_per_lock);
    t->max_ns = max_of(t->max_ns, m->max_ns);
    if (!t->failed && m->note[0] != '\0')
        memcpy(t->note, m->note, sizeof t->note);
}

static void fill_row(struct row *row, struct tally *t)
{
    double lowest, highest, middle;
    unsigned int i;

    row->failed = t->failed;
    memcpy(row->note, t->note, sizeof row->note);
    if (t->failed || t->all.n == 0) {
        row->failed = 1;
        return;
    }
    row->median_ns = samples_quantile(&t->all, 0.5);
    row->p99_ns = t->all.n >= 100 ? samples_quantile(&t->all, 0.99) : -1;
    row->ops_per_s = t->elapsed_ns != 0 ? (double)t->ops * 1e9 / (double)t->elapsed_ns : -1;
    row->syscalls_per_op = t->syscalls;
    row->bytes_per_lock = t->bytes;
    row->max_ns = t->max_ns;
    row->samples = (unsigned long)t->all.n;
    row->rounds = t->nrounds;
    lowest = highest = t->round_median[0];
    for (i = 1; i < t->nrounds; i++) {
        if (t->round_median[i] < lowest)
            lowest = t->round_median[i];
        if (t->round_median[i] > highest)
            highest = t->round_median[i];
    }
    middle = median_of(t->round_median, t->nrounds);
    row->spread = t->nrounds > 1 && middle > 0 ? (highest - lowest) / middle : -1;
}

long run_side_by_side(struct report *r, const char *section, const char *scenario,
                      const char *scenario_name, const struct contender *c, size_t n,
                      unsigned int rounds)
{
    struct tally *t = calloc(n, sizeof *t);
    long first = (long)r->n;
    unsigned int round;
    size_t i;

    if (t == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        t[i].round_median = calloc(rounds, sizeof *t[i].round_median);
        t[i].syscalls = t[i].bytes = t[i].max_ns = -1;
        if (t[i].round_median == NULL)
            first = -1;
    }
    for (round = 0; round < rounds && first >= 0; round++) {
        for (i = 0; i < n; i++) {
            struct measurement m;

            progress("%s: %s, round %u of %u", scenario_name, c[i].subject_name, round + 1,
                     rounds);
            child_measure(c[i].measure, c[i].arg, &m);
            add_round(&t[i], &m);
            measurement_free(&m);
        }
    }
    for (i = 0; i < n; i++) {
        struct row *row = first < 0 ? NULL
                          : report_add(r, section, scenario, scenario_name, c[i].subject,
                                       c[i].subject_name);

        if (row != NULL)
            fill_row(row, &t[i]);
        else
            first = -1;
        samples_free(&t[i].all);
        free(t[i].round_median);
    }
    free(t);
    return first;
}
