/*
 * What the conformance suites share.  They use <sys/dlm.h> and nothing
 * else of the library, and never ask which engine runs: the only setting
 * made here, a private lockspace directory, is one the embedded engine
 * reads and any other ignores.
 */
#ifndef DLM_TRU64_TESTS_CONFORMANCE_FIXTURE_H
#define DLM_TRU64_TESTS_CONFORMANCE_FIXTURE_H

#include <sys/dlm.h>

#include "harness.h"

/* Join the caller's own user namespace (the same handle if joined). */
dlm_status_t fixture_join(dlm_nsp_t *ns);

/* Run notifications with dlm_notify() until *counter reaches n, or a
 * generous patience passes; 1 if it reached n. */
int fixture_notify_count(int *counter, int n);

/* The same for a flag. */
int fixture_notify_until(int *flag);

/* main() of a suite program: the private directory, the suites, the
 * exit status. */
int fixture_main(const struct harness_suite *const *suites);

#endif
