/*
 * Samples and what the table reports of them.
 */
#ifndef DLM_BENCH_STATS_H
#define DLM_BENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

struct samples {
    uint64_t *v;
    size_t n, cap;
};

/* Append n values; 0, or -1 out of memory. */
int samples_append(struct samples *s, const uint64_t *v, size_t n);
void samples_free(struct samples *s);

/* The q-quantile (0 <= q <= 1, nearest rank) of the samples, which it
 * sorts in place; -1 when there are none. */
double samples_quantile(struct samples *s, double q);

/* The median of n doubles (reordered in place); -1 when n is 0. */
double median_of(double *v, size_t n);

#endif
