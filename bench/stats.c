#include "stats.h"

#include <stdlib.h>
#include <string.h>

int samples_append(struct samples *s, const uint64_t *v, size_t n)
{
    if (s->n + n > s->cap) {
        size_t cap = s->cap != 0 ? s->cap : 1024;
        uint64_t *grown;

        while (cap < s->n + n)
            cap *= 2;
        grown = realloc(s->v, cap * sizeof *grown);
        if (grown == NULL)
            return -1;
        s->v = grown;
        s->cap = cap;
    }
    if (n != 0)
        memcpy(s->v + s->n, v, n * sizeof *v);
    s->n += n;
    return 0;
}

void samples_free(struct samples *s)
{
    free(s->v);
    *s = (struct samples){ NULL, 0, 0 };
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double samples_quantile(struct samples *s, double q)
{
    size_t rank;

    if (s->n == 0)
        return -1;
    qsort(s->v, s->n, sizeof *s->v, compare_u64);
    rank = (size_t)(q * (double)(s->n - 1) + 0.5);
    return (double)s->v[rank < s->n ? rank : s->n - 1];
}

double median_of(double *v, size_t n)
{
    if (n == 0)
        return -1;
    qsort(v, n, sizeof *v, compare_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
