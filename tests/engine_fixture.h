/*
 * What the engine tests share: a private lockspace directory for the test
 * program, opening lockspaces in it, and making a request and waiting,
 * boundedly, for its completion.
 */
#ifndef DLM_TRU64_TESTS_ENGINE_FIXTURE_H
#define DLM_TRU64_TESTS_ENGINE_FIXTURE_H

#include "engine.h"

#include "harness.h"

/* main() of an engine suite: DLM_TRU64_EMBEDDED_DIR pointed at a fresh
 * directory for the run, the suites, the exit status. */
int engine_fixture_main(const struct harness_suite *const *suites);

/* Open (creating) the lockspace of that name, mode 0600, with the
 * embedded engine. */
int engine_fixture_open(struct engine_ls **ls, const char *name);

/* Ask for mode on the named resource (or convert, with ENGINE_LKF_CONVERT)
 * and wait for the completion.  1 when it completed (lksb->status says
 * how), 0 when it did not within a generous bound. */
int engine_fixture_request(struct engine_ls *ls, int mode, struct engine_lksb *lksb,
                           uint32_t flags, const char *name);

#endif
