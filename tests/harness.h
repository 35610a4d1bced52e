/*
 * A small layer over CUnit shared by every test program: suites are static
 * tables, main() runs them all and turns the result into an exit status.
 */
#ifndef DLM_TRU64_TESTS_HARNESS_H
#define DLM_TRU64_TESTS_HARNESS_H

#include <CUnit/CUnit.h>

struct harness_test {
    const char *name;
    CU_TestFunc run;
};

struct harness_suite {
    const char *name;
    const struct harness_test *tests;   /* ends with { NULL, NULL } */
};

/* Run the suites (the array ends with a NULL) in CUnit's verbose basic
 * mode, print a closing "N passed, N failed" line, and return the exit
 * status for main(): 0 when every test passed. */
int harness_run(const struct harness_suite *const *suites);

/* Run a shell command; return its exit status, or -1 if it did not exit
 * normally.  Its output goes to the test's own output (the test log). */
int harness_system(const char *command);

/* The value of a variable the Makefile puts in the test environment; fails
 * the calling test and returns "" when it is unset. */
const char *harness_env(const char *name);

#endif
