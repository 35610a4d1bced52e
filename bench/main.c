/*
 * dlm_bench: the benchmark of make bench.
 *
 *   dlm_bench [--quick] [--only LIST] [--json FILE]
 *             [--guest-rows FILE | --guest-skipped TEXT]
 *       the host part: every scenario on the embedded engine and its host
 *       peers; prints the table (with the guest's rows when given) and
 *       writes FILE (default bench-results.json)
 *   dlm_bench --guest --rows FILE [--quick]
 *       the guest part, inside a QEMU guest running the kernel DLM (as
 *       root): raw libdlm, our Linux engine and our embedded engine; its
 *       rows go to FILE for the host's table
 *
 * Progress goes to standard error, the table to standard output.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "files.h"
#include "report.h"
#include "scenarios.h"
#include "stats.h"
#include "subjects.h"

struct bench_config config;

static const struct bench_config full = {
    .rounds = 5, .pairs = 20000, .handoffs = 2000, .scaling_ms = 300, .async_batches = 20,
    .many_max = 1000000, .deadlock_waiters_max = 1000,
};
static const struct bench_config quick = {
    .rounds = 2, .pairs = 2000, .handoffs = 200, .scaling_ms = 100,
    .async_batches = 5, .many_max = 100000, .deadlock_waiters_max = 100,
};
/* Under emulation a kernel DLM pair costs a few hundred microseconds. */
static const struct bench_config guest = {
    .rounds = 3, .pairs = 2000,
};

static const struct {
    const char *name;
    void (*run)(struct report *r);
} host_scenarios[] = {
    { "pair", scenario_pair },
    { "cvt", scenario_convert },
    { "valb", scenario_value_block },
    { "sublock", scenario_sublock },
    { "quelock", scenario_async },
    { "handoff", scenario_handoff },
    { "scaling", scenario_scaling },
    { "held", scenario_held },
    { "waiters", scenario_deadlock },
};

void progress(const char *fmt, ...)
{
    static int tty = -1;
    va_list ap;

    if (tty < 0)
        tty = isatty(STDERR_FILENO);
    fprintf(stderr, tty ? "\r\033[Kbench: " : "bench: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, tty ? "" : "\n");
}

/* --- The machine ------------------------------------------------------------------------- */

static void cpu_model(char *buf, size_t size, int *virtualised)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[1024];

    snprintf(buf, size, "unknown CPU");
    *virtualised = 0;
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        char *colon = strchr(line, ':');

        if (colon == NULL)
            continue;
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "model name", 10) == 0)
            snprintf(buf, size, "%s", colon + 2);
        else if (strncmp(line, "flags", 5) == 0 && strstr(colon, " hypervisor") != NULL)
            *virtualised = 1;
    }
    fclose(f);
}

static double memory_gib(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    double kb = 0;
    char line[256];

    if (f == NULL)
        return 0;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "MemTotal: %lf kB", &kb) == 1)
            break;
    fclose(f);
    return kb / (1024 * 1024);
}

static void describe_machine(char *buf, size_t size, const char *extra)
{
    char model[160];
    struct utsname u;
    int virtualised;

    cpu_model(model, sizeof model, &virtualised);
    uname(&u);
    snprintf(buf, size, "%s, %ld CPUs online%s, %.1f GiB, Linux %s%s%s", model,
             sysconf(_SC_NPROCESSORS_ONLN), virtualised ? " (virtual machine)" : "",
             memory_gib(), u.release, extra[0] != '\0' ? ", " : "", extra);
}

static void today(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm);
}

/* The median cost of one clock reading. */
static double timer_cost(void)
{
    static uint64_t v[10001];
    struct samples s = { v, 0, sizeof v / sizeof v[0] };
    int i;

    for (i = 0; i < 10001; i++) {
        uint64_t t0 = now_ns();

        v[i] = now_ns() - t0;
    }
    s.n = 10001;
    return samples_quantile(&s, 0.5);
}

/* --- The run ------------------------------------------------------------------------------ */

struct options {
    int guest;
    const char *only;
    const char *json;
    const char *rows;
    const char *guest_rows;
    const char *guest_skipped;
    const char *machine_note;
};

static int usage(const char *me)
{
    fprintf(stderr, "usage: %s [--quick] [--only LIST] [--json FILE]\n"
            "           [--guest-rows FILE | --guest-skipped TEXT]\n"
            "       %s --guest --rows FILE [--quick] [--machine-note TEXT]\n", me, me);
    return 2;
}

static int parse(int argc, char **argv, struct options *o)
{
    int i, quick_run = 0;

    memset(o, 0, sizeof *o);
    o->json = "bench-results.json";
    o->machine_note = "";
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--quick") == 0) {
            quick_run = 1;
        } else if (strcmp(a, "--guest") == 0) {
            o->guest = 1;
        } else if (value == NULL) {
            return -1;
        } else if (strcmp(a, "--only") == 0) {
            o->only = argv[++i];
        } else if (strcmp(a, "--json") == 0) {
            o->json = argv[++i];
        } else if (strcmp(a, "--rows") == 0) {
            o->rows = argv[++i];
        } else if (strcmp(a, "--guest-rows") == 0) {
            o->guest_rows = argv[++i];
        } else if (strcmp(a, "--guest-skipped") == 0) {
            o->guest_skipped = argv[++i];
        } else if (strcmp(a, "--machine-note") == 0) {
            o->machine_note = argv[++i];
        } else {
            return -1;
        }
    }
    if (o->guest && o->rows == NULL)
        return -1;
    config = quick_run ? quick : full;
    if (o->guest) {
        config = guest;
        if (quick_run)
            config.rounds = 2, config.pairs = 500;
    }
    return 0;
}

/* Is name in the comma-separated list (everything without a list)? */
static int selected(const char *list, const char *name)
{
    size_t len = strlen(name);
    const char *p = list;

    if (list == NULL)
        return 1;
    while ((p = strstr(p, name)) != NULL) {
        if ((p == list || p[-1] == ',') && (p[len] == '\0' || p[len] == ','))
            return 1;
        p += len;
    }
    return 0;
}

/* The directory of this program and the guest's libdlm programs: this
 * executable's, or its parent when libtool runs it from .libs/. */
static void program_dir(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    char *slash;

    buf[n > 0 ? n : 0] = '\0';
    slash = strrchr(buf, '/');
    if (slash != NULL)
        *slash = '\0';
    slash = strrchr(buf, '/');
    if (slash != NULL && strcmp(slash, "/.libs") == 0)
        *slash = '\0';
}

int main(int argc, char **argv)
{
    char dir[PATH_MAX], here[PATH_MAX];
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    struct report r;
    struct options o;
    size_t i;
    int rc = 0;

    if (parse(argc, argv, &o) != 0)
        return usage(argv[0]);
    memset(&r, 0, sizeof r);
    today(r.date, sizeof r.date);
    describe_machine(r.host_machine, sizeof r.host_machine, o.machine_note);
    r.timer_ns = timer_cost();

    /* Every lockspace and lock file of the run in a directory of its own. */
    snprintf(dir, sizeof dir, "%s/dlm_bench.XXXXXX", base);
    if (mkdtemp(dir) == NULL || subjects_prepare(dir) != 0) {
        fprintf(stderr, "dlm_bench: cannot prepare %s: %s\n", dir, strerror(errno));
        return 1;
    }
    setenv("DLM_TRU64_EMBEDDED_DIR", dir, 1);

    if (o.guest) {
        snprintf(r.guest_machine, sizeof r.guest_machine, "%s", r.host_machine);
        program_dir(here, sizeof here);
        scenario_guest(&r, here);
        progress("done\n");
        if (report_write_rows(&r, o.rows) != 0) {
            fprintf(stderr, "dlm_bench: cannot write %s: %s\n", o.rows, strerror(errno));
            rc = 1;
        }
    } else {
        for (i = 0; i < sizeof host_scenarios / sizeof host_scenarios[0]; i++)
            if (selected(o.only, host_scenarios[i].name))
                host_scenarios[i].run(&r);
        progress("done\n");
        if (o.guest_rows != NULL && report_read_rows(&r, o.guest_rows) != 0)
            snprintf(r.guest_status, sizeof r.guest_status, "skipped: no rows in %s",
                     o.guest_rows);
        else if (o.guest_rows == NULL)
            snprintf(r.guest_status, sizeof r.guest_status, "skipped: %s",
                     o.guest_skipped != NULL ? o.guest_skipped : "not asked for");
        if (report_write_json(&r, o.json) != 0) {
            fprintf(stderr, "dlm_bench: cannot write %s: %s\n", o.json, strerror(errno));
            rc = 1;
        }
    }
    report_print(&r, stdout);
    if (!o.guest)
        printf("\nmachine-readable results: %s\n", o.json);
    subjects_cleanup();
    dir_remove(dir);
    report_free(&r);
    return rc;
}
