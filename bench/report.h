/*
 * The results: one row per scenario and subject, printed as a table and
 * written as JSON; the guest's rows travel to the host as TSV.
 */
#ifndef DLM_BENCH_REPORT_H
#define DLM_BENCH_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "bench.h"

#define KEY_MAX 32
#define LABEL_MAX 48
#define TEXT_MAX 400

/* A figure of -1 was not measured (or does not apply). */
struct row {
    char section[KEY_MAX];      /* "host" or "guest" */
    char scenario[KEY_MAX];     /* e.g. "pair" */
    char scenario_name[LABEL_MAX];
    char subject[KEY_MAX];      /* e.g. "dlm_embedded" */
    char subject_name[LABEL_MAX];
    double median_ns;           /* per operation */
    double p99_ns;
    double max_ns;
    double ops_per_s;
    double spread;              /* (max - min) / median of the rounds' medians */
    double syscalls_per_op;
    double bytes_per_lock;
    double speedup;             /* scaling: over one process of the same subject */
    unsigned long samples;
    unsigned int rounds;
    int failed;
    char note[NOTE_MAX];
};

struct report {
    struct row *rows;
    size_t n, cap;
    char date[32];
    char host_machine[TEXT_MAX];
    char guest_machine[TEXT_MAX];
    char guest_status[TEXT_MAX];    /* why the guest part did not run, or "" */
    double timer_ns;                /* cost of one clock reading */
};

/* A new row, every figure -1; NULL out of memory. */
struct row *report_add(struct report *r, const char *section, const char *scenario,
                       const char *scenario_name, const char *subject,
                       const char *subject_name);

/* The row of that section, scenario and subject, or NULL. */
const struct row *report_find(const struct report *r, const char *section,
                              const char *scenario, const char *subject);

void report_print(const struct report *r, FILE *out);
int report_write_json(const struct report *r, const char *path);

/* The guest writes its rows (and its machine) as TSV; the host reads
 * them into its own report.  0, or -1 with errno set. */
int report_write_rows(const struct report *r, const char *path);
int report_read_rows(struct report *r, const char *path);

void report_free(struct report *r);

#endif
