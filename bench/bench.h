/*
 * The benchmark's common vocabulary: the clock, the measurement a child
 * process sends back, and the run's settings.
 *
 * Every measurement runs in a child process of its own (child.h), so
 * that each starts from a clean process and a lockspace of its choosing,
 * and subjects measured one after the other in rounds are measured under
 * the same conditions ("side by side").
 */
#ifndef DLM_BENCH_BENCH_H
#define DLM_BENCH_BENCH_H

#include <stdint.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define NOTE_MAX 120

/* What a child sends back: per-operation samples (nanoseconds), the
 * operations of the whole measured loop and its wall time, what else the
 * scenario found (-1 where it did not look), and a note.  A measurement
 * with no samples counts as one sample, its mean time per operation. */
struct measurement {
    uint64_t nsamples;
    uint64_t *samples;
    uint64_t ops;               /* operations in the timed loop */
    uint64_t elapsed_ns;        /* wall time of the timed loop */
    double syscalls_per_op;     /* system calls of the measured path */
    double bytes_per_lock;      /* memory of a held lock */
    double max_ns;              /* the slowest operation, where it matters */
    int failed;                 /* nonzero: the child could not measure */
    char note[NOTE_MAX];
};

/* How much work each scenario does (main.c: full, --quick, or --guest). */
struct bench_config {
    unsigned int rounds;        /* rounds of side-by-side runs */
    unsigned int pairs;         /* lock/unlock pairs per round and subject */
    unsigned int handoffs;      /* hand-offs per round and subject */
    unsigned int scaling_ms;    /* how long each scaling worker runs */
    unsigned int async_batches; /* batches of asynchronous requests */
    unsigned long many_max;     /* largest count of held locks */
    unsigned int deadlock_waiters_max;
};

extern struct bench_config config;

/* Print a progress line on stderr (the table goes to stdout). */
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
