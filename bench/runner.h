/*
 * Side by side: the subjects of a scenario measured in rounds, one child
 * process per subject in each round, so that whatever else the machine
 * does at the time falls on all of them alike.  One row per subject.
 */
#ifndef DLM_BENCH_RUNNER_H
#define DLM_BENCH_RUNNER_H

#include <stddef.h>

#include "bench.h"
#include "report.h"

typedef int measure_fn(void *arg, struct measurement *m);

struct contender {
    const char *subject;        /* key */
    const char *subject_name;
    measure_fn *measure;
    void *arg;
};

/* Run the contenders' measurements for rounds rounds and add their rows
 * to r; returns the index of the first of those rows (the others follow
 * in order), or -1 out of memory. */
long run_side_by_side(struct report *r, const char *section, const char *scenario,
                             const char *scenario_name, const struct contender *c, size_t n,
                             unsigned int rounds);

#endif
