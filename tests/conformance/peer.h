/*
 * Peers for the conformance suites: forked processes that take turns with
 * the test over pipes, so that several processes act in an order the test
 * fixes, with no sleeping and no guessing.  Every wait is bounded.
 */
#ifndef DLM_TRU64_TESTS_PEER_H
#define DLM_TRU64_TESTS_PEER_H

#include <sys/types.h>

struct peer {
    pid_t pid;
    int to_peer;        /* the test writes, the peer reads */
    int from_peer;      /* the peer writes, the test reads */
};

/* Fork a peer running body(self, arg); the peer exits when body returns.
 * Returns 0, or -1 if it could not. */
int peer_start(struct peer *peer, void (*body)(struct peer *self, void *arg), void *arg);

/* Send a number to the other side, and receive one (-1 when none came
 * within the patience, or the other side is gone).  Both sides use these. */
void peer_send(struct peer *peer, int value);
int peer_receive(struct peer *peer);

/* Wait for the peer to exit (killing it after the patience); its exit
 * status, or -1. */
int peer_finish(struct peer *peer);

#endif
