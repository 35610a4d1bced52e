/*
 * The guest part: inside a QEMU guest that runs the kernel DLM
 * (tests/cluster/run.sh bench), raw libdlm, our Linux engine and our
 * embedded engine measured side by side in the same rounds.
 */
#include "scenarios.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "runner.h"
#include "single.h"

struct raw_run {
    const char *program;
    const char *mode;           /* "pair" or "cvt" */
    const char *lockspace;
};

/* Run the raw libdlm program and take its measurement. */
static int measure_raw(void *arg, struct measurement *m)
{
    const struct raw_run *run = arg;
    char count[32];
    int fds[2], status;
    pid_t pid;

    snprintf(count, sizeof count, "%u", config.pairs);
    if (pipe(fds) != 0 || (pid = fork()) < 0)
        return -1;
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl(run->program, run->program, run->mode, count, run->lockspace, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    if (measurement_receive(fds[0], m) != 0) {
        measurement_init(m);
        snprintf(m->note, sizeof m->note, "%s gave no measurement", run->program);
        m->failed = 1;
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return m->failed ? -1 : 0;
}

struct on_linux {
    measure_fn *measure;
    void *arg;
};

/* The same measurement as on the embedded engine, on the kernel DLM. */
static int measure_on_linux(void *arg, struct measurement *m)
{
    const struct on_linux *inner = arg;

    setenv("DLM_TRU64_ENGINE", "linux", 1);
    return inner->measure(inner->arg, m);
}

void scenario_guest(struct report *r, const char *program_dir)
{
    static struct pair_setup embedded = { &subject_dlm, 0, 0 };
    char threaded[512], lt[512];
    struct raw_run raw_pair = { threaded, "pair", "bench_raw" };
    struct raw_run lt_pair = { lt, "pair", "bench_raw_lt" };
    struct raw_run raw_cvt = { threaded, "cvt", "bench_raw" };
    struct raw_run lt_cvt = { lt, "cvt", "bench_raw_lt" };
    struct on_linux linux_pair = { measure_pairs, &embedded };
    struct on_linux linux_cvt = { measure_conversions, NULL };
    const struct contender pairs[] = {
        { "libdlm", "raw libdlm (threaded)", measure_raw, &raw_pair },
        { "libdlm_lt", "raw libdlm_lt", measure_raw, &lt_pair },
        { "dlm_linux", "dlm Linux engine", measure_on_linux, &linux_pair },
        { "dlm_embedded", "dlm embedded", measure_pairs, &embedded },
    };
    const struct contender conversions[] = {
        { "libdlm", "raw libdlm (threaded)", measure_raw, &raw_cvt },
        { "libdlm_lt", "raw libdlm_lt", measure_raw, &lt_cvt },
        { "dlm_linux", "dlm Linux engine", measure_on_linux, &linux_cvt },
        { "dlm_embedded", "dlm embedded", measure_conversions, NULL },
    };

    snprintf(threaded, sizeof threaded, "%s/libdlm_pair", program_dir);
    snprintf(lt, sizeof lt, "%s/libdlm_lt_pair", program_dir);
    run_side_by_side(r, "guest", "pair", "lock+unlock EX, 1 process", pairs, 4, config.rounds);
    run_side_by_side(r, "guest", "cvt", "dlm_cvt NL->EX->NL", conversions, 4, config.rounds);
}
