/*
 * The scenarios.  Each measures its subjects (runner.h) and adds their
 * rows to the report; the row keys are what targets.c judges.
 */
#ifndef DLM_BENCH_SCENARIOS_H
#define DLM_BENCH_SCENARIOS_H

#include "report.h"

/* One process (scenario_single.c). */
void scenario_pair(struct report *r);           /* "pair": every host subject */
void scenario_convert(struct report *r);        /* "cvt": NL -> EX -> NL */
void scenario_value_block(struct report *r);    /* "valb": pair with DLM_VALB */
void scenario_sublock(struct report *r);        /* "sublock-1", "sublock-4" */
void scenario_async(struct report *r);          /* "quelock": with completion routines */

/* Several processes (scenario_multi.c). */
void scenario_scaling(struct report *r);        /* "scale-1p", "scale-2p", "scale-2t" */
void scenario_handoff(struct report *r);        /* "handoff", "handoff-valb" */

/* Held locks and waiters (scenario_held.c). */
void scenario_held(struct report *r);           /* "hold-N": memory and latency */
void scenario_deadlock(struct report *r);       /* "waiters-N": the detector's cost */

/* Inside a guest with the kernel DLM (scenario_guest.c). */
void scenario_guest(struct report *r, const char *program_dir);

#endif
