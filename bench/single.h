/*
 * The one-process measurements that the host's and the guest's
 * scenarios share (scenario_single.c).
 */
#ifndef DLM_BENCH_SINGLE_H
#define DLM_BENCH_SINGLE_H

#include "bench.h"
#include "subjects.h"

/* How a pair measurement uses its subject. */
struct pair_setup {
    const struct subject_ops *ops;
    int valb;                   /* DLM: read and write the value block */
    unsigned int depth;         /* DLM: a sublock this deep (0: a root lock) */
};

/* config.pairs lock+unlock pairs, one sample each; arg: a pair_setup. */
int measure_pairs(void *arg, struct measurement *m);

/* config.pairs dlm_cvt round trips NL -> EX -> NL, one sample each. */
int measure_conversions(void *arg, struct measurement *m);

#endif
