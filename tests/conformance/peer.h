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
 * Returns 0, or -1 if it could not.  The peer is a copy of the test's
 * process: only for tests whose process has no other thread that might
 * hold a lock (a sanitizer's, say) at the fork. */
int peer_start(struct peer *peer, void (*body)(struct peer *self, void *arg), void *arg);

/* A peer started afresh: forked and at once executed again, so that it
 * inherits nothing of the test's threads; its main() runs the suite's
 * role of that name (peer_play_role).  Returns 0, or -1. */
struct peer_role {
    const char *name;
    void (*body)(struct peer *self);
};

int peer_start_fresh(struct peer *peer, const char *role);

/* What peer_start_fresh does: fork a peer and execute the program afresh
 * in it, with the environment variable set to "IN OUT words" (the
 * descriptors it reads from and writes to, then words).  0, or -1. */
int peer_exec(struct peer *peer, const char *variable, const char *words);

/* First thing in main(): if this process is a fresh peer, play its role
 * among roles (NULL-terminated) and return the exit status; else -1. */
int peer_play_role(const struct peer_role *roles);

/* Send a number to the other side, and receive one (-1 when none came
 * within the patience, or the other side is gone).  Both sides use these. */
void peer_send(struct peer *peer, int value);
int peer_receive(struct peer *peer);

/* Wait for the peer to exit (killing it after the patience); its exit
 * status, or -1. */
int peer_finish(struct peer *peer);

#endif
