#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "targets.h"

/* Rows are compared with this subject's row of the same scenario. */
#define REFERENCE_SUBJECT "dlm_embedded"

/* Copy a string, cut to fit. */
static void copy(char *to, size_t size, const char *from)
{
    size_t len = from != NULL ? strlen(from) : 0;

    if (len >= size)
        len = size - 1;
    memcpy(to, from != NULL ? from : "", len);
    to[len] = '\0';
}

struct row *report_add(struct report *r, const char *section, const char *scenario,
                       const char *scenario_name, const char *subject,
                       const char *subject_name)
{
    struct row *row;

    if (r->n == r->cap) {
        size_t cap = r->cap != 0 ? r->cap * 2 : 64;
        struct row *grown = realloc(r->rows, cap * sizeof *grown);

        if (grown == NULL)
            return NULL;
        r->rows = grown;
        r->cap = cap;
    }
    row = &r->rows[r->n++];
    memset(row, 0, sizeof *row);
    copy(row->section, sizeof row->section, section);
    copy(row->scenario, sizeof row->scenario, scenario);
    copy(row->scenario_name, sizeof row->scenario_name, scenario_name);
    copy(row->subject, sizeof row->subject, subject);
    copy(row->subject_name, sizeof row->subject_name, subject_name);
    row->median_ns = row->p99_ns = row->max_ns = row->ops_per_s = row->spread = -1;
    row->syscalls_per_op = row->bytes_per_lock = row->speedup = -1;
    return row;
}

const struct row *report_find(const struct report *r, const char *section,
                              const char *scenario, const char *subject)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        const struct row *row = &r->rows[i];

        if (strcmp(row->section, section) == 0 && strcmp(row->scenario, scenario) == 0
            && strcmp(row->subject, subject) == 0)
            return row;
    }
    return NULL;
}

void report_free(struct report *r)
{
    free(r->rows);
    r->rows = NULL;
    r->n = r->cap = 0;
}

/* --- The table ------------------------------------------------------------------- */

static const char *format_time(double ns, char *buf, size_t size)
{
    if (ns < 0)
        snprintf(buf, size, "-");
    else if (ns < 1000)
        snprintf(buf, size, "%.0f ns", ns);
    else if (ns < 1e6)
        snprintf(buf, size, "%.3g us", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, size, "%.3g ms", ns / 1e6);
    else
        snprintf(buf, size, "%.3g s", ns / 1e9);
    return buf;
}

static const char *format_rate(double per_s, char *buf, size_t size)
{
    if (per_s < 0)
        snprintf(buf, size, "-");
    else if (per_s >= 1e6)
        snprintf(buf, size, "%.3gM", per_s / 1e6);
    else if (per_s >= 1e3)
        snprintf(buf, size, "%.3gk", per_s / 1e3);
    else
        snprintf(buf, size, "%.3g", per_s);
    return buf;
}

/* Time per operation relative to the reference subject's (1.00 for the
 * reference itself): above 1, the subject is slower than our embedded
 * engine; below, faster. */
static double ratio_to_reference(const struct report *r, const struct row *row)
{
    const struct row *ref = report_find(r, row->section, row->scenario, REFERENCE_SUBJECT);

    if (ref == NULL || ref->median_ns <= 0 || row->median_ns < 0 || row->failed || ref->failed)
        return -1;
    return row->median_ns / ref->median_ns;
}

static void append(char *buf, size_t size, const char *text)
{
    size_t used = strlen(buf);

    if (*text == '\0' || used + 3 >= size)
        return;
    snprintf(buf + used, size - used, "%s%s", used != 0 ? "; " : "", text);
}

static void describe_notes(const struct row *row, char *buf, size_t size)
{
    char part[NOTE_MAX], t[32];

    buf[0] = '\0';
    if (row->speedup >= 0) {
        snprintf(part, sizeof part, "x%.2f over 1 process", row->speedup);
        append(buf, size, part);
    }
    if (row->bytes_per_lock >= 0) {
        snprintf(part, sizeof part, "%.0f B/lock", row->bytes_per_lock);
        append(buf, size, part);
    }
    if (row->max_ns >= 0) {
        snprintf(part, sizeof part, "max %s", format_time(row->max_ns, t, sizeof t));
        append(buf, size, part);
    }
    append(buf, size, row->note);
}

static void print_section(const struct report *r, FILE *out, const char *section)
{
    const char *previous = "";
    size_t i;

    fprintf(out, "%-26s %-24s %9s %9s %8s %8s %6s  %s\n", "scenario", "subject", "median",
            "p99", "ops/s", "vs embd", "spread", "notes");
    for (i = 0; i < r->n; i++) {
        const struct row *row = &r->rows[i];
        char median[24], p99[24], rate[24], ratio[24], spread[24], notes[2 * NOTE_MAX];
        double x;

        if (strcmp(row->section, section) != 0)
            continue;
        x = ratio_to_reference(r, row);
        if (x < 0)
            snprintf(ratio, sizeof ratio, "-");
        else
            snprintf(ratio, sizeof ratio, "%.2f", x);
        if (row->spread < 0)
            snprintf(spread, sizeof spread, "-");
        else
            snprintf(spread, sizeof spread, "%.0f%%", row->spread * 100);
        describe_notes(row, notes, sizeof notes);
        if (row->failed) {
            fprintf(out, "%-26s %-24s FAILED: %s\n",
                    strcmp(previous, row->scenario) != 0 ? row->scenario_name : "",
                    row->subject_name, row->note);
        } else {
            fprintf(out, "%-26s %-24s %9s %9s %8s %8s %6s  %s\n",
                    strcmp(previous, row->scenario) != 0 ? row->scenario_name : "",
                    row->subject_name, format_time(row->median_ns, median, sizeof median),
                    format_time(row->p99_ns, p99, sizeof p99),
                    format_rate(row->ops_per_s, rate, sizeof rate), ratio, spread, notes);
        }
        previous = row->scenario;
    }
}

static int has_rows(const struct report *r, const char *section)
{
    size_t i;

    for (i = 0; i < r->n; i++)
        if (strcmp(r->rows[i].section, section) == 0)
            return 1;
    return 0;
}

const char *verdict_text(enum verdict v)
{
    switch (v) {
    case VERDICT_MET: return "met";
    case VERDICT_MISSED: return "MISSED";
    default: return "not measured";
    }
}

void report_print(const struct report *r, FILE *out)
{
    struct target t[NTARGETS];
    int i;

    fprintf(out, "dlm_tru64 benchmark, %s\n", r->date);
    fprintf(out, "times are per operation (a pair is lock + unlock); \"vs embd\" is the time"
            " relative to our embedded engine's (above 1: slower than it)\n");
    fprintf(out, "a clock reading costs %.0f ns, included in every sample\n\n", r->timer_ns);
    if (has_rows(r, "host")) {
        fprintf(out, "== host: %s\n", r->host_machine);
        print_section(r, out, "host");
    }
    fprintf(out, "\n== guest (kernel DLM, side by side in one QEMU guest): %s\n",
            r->guest_status[0] != '\0' ? r->guest_status : r->guest_machine);
    if (r->guest_status[0] == '\0')
        print_section(r, out, "guest");
    if (!has_rows(r, "host"))
        return;         /* the guest's own log: the host judges */
    targets_judge(r, t);
    fprintf(out, "\n%-58s %-18s %s\n", "target (design)", "measured", "verdict");
    for (i = 0; i < NTARGETS; i++)
        fprintf(out, "%-58s %-18s %s\n", t[i].what, t[i].measured, verdict_text(t[i].verdict));
}

/* --- JSON -------------------------------------------------------------------------- */

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_number(FILE *f, const char *name, double v)
{
    fprintf(f, ", \"%s\": ", name);
    if (v < 0)
        fprintf(f, "null");
    else
        fprintf(f, "%.6g", v);
}

static void json_row(FILE *f, const struct report *r, const struct row *row)
{
    fprintf(f, "    {\"section\": ");
    json_string(f, row->section);
    fprintf(f, ", \"scenario\": ");
    json_string(f, row->scenario);
    fprintf(f, ", \"scenario_name\": ");
    json_string(f, row->scenario_name);
    fprintf(f, ", \"subject\": ");
    json_string(f, row->subject);
    fprintf(f, ", \"subject_name\": ");
    json_string(f, row->subject_name);
    fprintf(f, ", \"failed\": %s", row->failed ? "true" : "false");
    json_number(f, "median_ns", row->median_ns);
    json_number(f, "p99_ns", row->p99_ns);
    json_number(f, "max_ns", row->max_ns);
    json_number(f, "ops_per_s", row->ops_per_s);
    json_number(f, "ratio_to_embedded", ratio_to_reference(r, row));
    json_number(f, "round_spread", row->spread);
    json_number(f, "syscalls_per_op", row->syscalls_per_op);
    json_number(f, "bytes_per_lock", row->bytes_per_lock);
    json_number(f, "speedup_over_one_process", row->speedup);
    fprintf(f, ", \"samples\": %lu, \"rounds\": %u, \"note\": ", row->samples, row->rounds);
    json_string(f, row->note);
    fprintf(f, "}");
}

int report_write_json(const struct report *r, const char *path)
{
    FILE *f = fopen(path, "w");
    struct target t[NTARGETS];
    size_t i;

    if (f == NULL)
        return -1;
    targets_judge(r, t);
    fprintf(f, "{\n  \"benchmark\": \"dlm_tru64\",\n  \"date\": ");
    json_string(f, r->date);
    fprintf(f, ",\n  \"timer_ns\": %.1f,\n  \"host\": {\"machine\": ", r->timer_ns);
    json_string(f, r->host_machine);
    fprintf(f, "},\n  \"guest\": {\"machine\": ");
    json_string(f, r->guest_machine);
    fprintf(f, ", \"skipped\": ");
    json_string(f, r->guest_status);
    fprintf(f, "},\n  \"rows\": [\n");
    for (i = 0; i < r->n; i++) {
        json_row(f, r, &r->rows[i]);
        fprintf(f, "%s\n", i + 1 < r->n ? "," : "");
    }
    fprintf(f, "  ],\n  \"targets\": [\n");
    for (i = 0; i < NTARGETS; i++) {
        fprintf(f, "    {\"target\": ");
        json_string(f, t[i].what);
        fprintf(f, ", \"measured\": ");
        json_string(f, t[i].measured);
        fprintf(f, ", \"verdict\": ");
        json_string(f, verdict_text(t[i].verdict));
        fprintf(f, "}%s\n", i + 1 < NTARGETS ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    return fclose(f) == 0 ? 0 : -1;
}

/* --- Rows as TSV, from the guest to the host ----------------------------------------- */

int report_write_rows(const struct report *r, const char *path)
{
    FILE *f = fopen(path, "w");
    size_t i;

    if (f == NULL)
        return -1;
    fprintf(f, "#machine\t%s\n", r->host_machine);
    for (i = 0; i < r->n; i++) {
        const struct row *w = &r->rows[i];

        fprintf(f, "%s\t%s\t%s\t%s\t%s\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t"
                "%lu\t%u\t%d\t%s\n", w->section, w->scenario, w->scenario_name, w->subject,
                w->subject_name, w->median_ns, w->p99_ns, w->max_ns, w->ops_per_s, w->spread,
                w->syscalls_per_op, w->bytes_per_lock, w->speedup, w->samples, w->rounds,
                w->failed, w->note);
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int parse_row(struct report *r, char *line)
{
    char *field[17], *rest = line;
    struct row *w;
    int n;

    for (n = 0; n < 17 && rest != NULL; n++)
        field[n] = strsep(&rest, "\t");
    if (n != 17)
        return -1;
    w = report_add(r, "guest", field[1], field[2], field[3], field[4]);
    if (w == NULL)
        return -1;
    w->median_ns = strtod(field[5], NULL);
    w->p99_ns = strtod(field[6], NULL);
    w->max_ns = strtod(field[7], NULL);
    w->ops_per_s = strtod(field[8], NULL);
    w->spread = strtod(field[9], NULL);
    w->syscalls_per_op = strtod(field[10], NULL);
    w->bytes_per_lock = strtod(field[11], NULL);
    w->speedup = strtod(field[12], NULL);
    w->samples = strtoul(field[13], NULL, 10);
    w->rounds = (unsigned int)strtoul(field[14], NULL, 10);
    w->failed = atoi(field[15]);
    copy(w->note, sizeof w->note, field[16]);
    return 0;
}

int report_read_rows(struct report *r, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int rc = 0;

    if (f == NULL)
        return -1;
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "#machine\t", 9) == 0)
            copy(r->guest_machine, sizeof r->guest_machine, line + 9);
        else if (line[0] != '\0')
            rc = parse_row(r, line);
    }
    fclose(f);
    if (rc != 0)
        errno = EINVAL;
    return rc;
}
