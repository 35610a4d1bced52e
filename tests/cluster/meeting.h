/*
 * How the guests of a cluster scenario (tests/cluster/run.sh) meet: each
 * step one node reaches is a marker file, DLMT_SHARED/mark-WHAT, in the
 * directory both guests mount; the other node waits for it.  Every wait
 * has a deadline, so that a node whose partner failed fails too instead
 * of hanging.
 */
#ifndef DLM_TRU64_TESTS_CLUSTER_MEETING_H
#define DLM_TRU64_TESTS_CLUSTER_MEETING_H

/* This guest's node number (DLMT_NODE), 1 when unset. */
int meeting_node(void);

/* Leave the marker WHAT; the test fails if it cannot. */
void meeting_mark(const char *what);

/* Wait for the marker WHAT: 1 once it is there, 0 (and a message) when
 * it did not come within a minute. */
int meeting_await(const char *what);

/* Both nodes at step: leave "nN-step" for this node N, wait for the
 * other node's.  1, or 0 when the other never came. */
int meeting_both(const char *step);

#endif
