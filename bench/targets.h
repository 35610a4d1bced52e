/*
 * The design's performance targets, judged from a report's rows.  The
 * benchmark reports them; nothing asserts them.
 */
#ifndef DLM_BENCH_TARGETS_H
#define DLM_BENCH_TARGETS_H

#include <stdio.h>

#include "report.h"

enum verdict { VERDICT_MET, VERDICT_MISSED, VERDICT_UNMEASURED };

struct target {
    const char *what;           /* the target, as the design states it */
    char measured[64];          /* the figure it is judged on */
    enum verdict verdict;
};

#define NTARGETS 8

void targets_judge(const struct report *r, struct target t[NTARGETS]);
const char *verdict_text(enum verdict v);

#endif
