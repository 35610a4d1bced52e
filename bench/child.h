/*
 * Measurements in child processes, and what related processes share: a
 * shared anonymous mapping and futex words in it.
 */
#ifndef DLM_BENCH_CHILD_H
#define DLM_BENCH_CHILD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench.h"

/* Run body(arg, m) in a forked child and bring its measurement back into
 * *m (m->samples then belongs to the caller).  The child's body returns 0,
 * or nonzero with m->note saying what went wrong.  Returns 0 when the
 * child measured, -1 (m->failed set, m->note saying why) when not. */
int child_measure(int (*body)(void *arg, struct measurement *m), void *arg,
                  struct measurement *m);

/* Free what child_measure brought back. */
void measurement_free(struct measurement *m);

/* A measurement with nothing measured yet (every figure -1). */
void measurement_init(struct measurement *m);

/* Send a measurement down a pipe, and receive one (m->samples then
 * belongs to the caller).  0 or -1. */
int measurement_send(int fd, const struct measurement *m);
int measurement_receive(int fd, struct measurement *m);

/* Fork a helper process running body(arg); its exit status is body's.
 * -1 when fork fails. */
pid_t child_spawn(int (*body)(void *arg), void *arg);

/* Wait for a helper; 0 when it exited with status 0. */
int child_wait(pid_t pid);

/* Zeroed memory shared with the processes forked after it. */
void *shared_alloc(size_t size);
void shared_free(void *p, size_t size);

/* Futex words in shared memory: sleep while *word == unwanted; wake every
 * sleeper; word_set stores and wakes. */
void word_wait_while(uint32_t *word, uint32_t unwanted);
void word_wake(uint32_t *word);
void word_set(uint32_t *word, uint32_t value);
uint32_t word_get(const uint32_t *word);

/* A start line for n processes or threads: each calls start_line_cross()
 * and all leave together. */
struct start_line {
    uint32_t arrived;
    uint32_t go;
};
void start_line_cross(struct start_line *line, uint32_t n);

#endif
