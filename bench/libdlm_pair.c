/*
 * The kernel DLM through libdlm alone, for the benchmark's guest part:
 *
 *   libdlm_pair pair|cvt COUNT LOCKSPACE
 *
 * creates LOCKSPACE (root), makes COUNT dlm_ls_lock_wait(EX) +
 * dlm_ls_unlock_wait pairs (pair) or NL -> EX -> NL conversion round
 * trips with dlm_ls_lock_wait (cvt) on one resource, one sample each,
 * counts their system calls, releases the lockspace and writes the
 * measurement to standard output for dlm_bench (child.h).
 *
 * It is its own program because libdlm exports a dlm_lock and a
 * dlm_unlock of its own, which a program must not link beside
 * libdlm_tru64's.  Built twice: against the threaded libdlm (its
 * dispatch thread delivers the completions) and against libdlm_lt
 * (LIBDLM_LT: the waiting call reads them itself).
 */
#include <sys/types.h>

#include <libdlm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "child.h"
#include "syscount.h"

#define WARMUP 200
#define COUNTED 500

static const char resource[] = "bench.raw";

struct raw {
    dlm_lshandle_t ls;
    struct dlm_lksb lksb;
    int convert;
};

static int pair(struct raw *r)
{
    if (dlm_ls_lock_wait(r->ls, LKM_EXMODE, &r->lksb, 0, resource, sizeof resource - 1, 0, NULL,
                         NULL, NULL) != 0 || r->lksb.sb_status != 0)
        return -1;
    return dlm_ls_unlock_wait(r->ls, r->lksb.sb_lkid, 0, &r->lksb);
}

static int convert_to(struct raw *r, uint32_t mode)
{
    return dlm_ls_lock_wait(r->ls, mode, &r->lksb, LKF_CONVERT, resource, sizeof resource - 1,
                            0, NULL, NULL, NULL) == 0 && r->lksb.sb_status == 0 ? 0 : -1;
}

static int one(struct raw *r)
{
    if (!r->convert)
        return pair(r);
    return convert_to(r, LKM_EXMODE) == 0 && convert_to(r, LKM_NLMODE) == 0 ? 0 : -1;
}

static void counted(void *arg)
{
    int i;

    for (i = 0; i < COUNTED; i++)
        one(arg);
}

static int measure(struct raw *r, uint64_t n, struct measurement *m)
{
    struct syscount count;
    uint64_t i, start;

    if (r->convert && (dlm_ls_lock_wait(r->ls, LKM_NLMODE, &r->lksb, 0, resource,
                                        sizeof resource - 1, 0, NULL, NULL, NULL) != 0
                       || r->lksb.sb_status != 0))
        return -1;
    for (i = 0; i < WARMUP; i++)
        if (one(r) != 0)
            return -1;
    m->samples = calloc(n, sizeof *m->samples);
    if (m->samples == NULL)
        return -1;
    start = now_ns();
    for (i = 0; i < n; i++) {
        uint64_t t0 = now_ns();

        one(r);
        m->samples[i] = now_ns() - t0;
    }
    m->elapsed_ns = now_ns() - start;
    m->ops = m->nsamples = n;
    if (syscount_run(counted, r, &count) == 0) {
        m->syscalls_per_op = (double)count.total / COUNTED;
        syscount_describe(&count, COUNTED, m->note, sizeof m->note);
    }
    if (r->convert)
        dlm_ls_unlock_wait(r->ls, r->lksb.sb_lkid, 0, &r->lksb);
    return 0;
}

int main(int argc, char **argv)
{
    struct measurement m;
    struct raw r;
    uint64_t n;

    if (argc != 4 || (strcmp(argv[1], "pair") != 0 && strcmp(argv[1], "cvt") != 0)
        || (n = strtoull(argv[2], NULL, 10)) == 0) {
        fprintf(stderr, "usage: %s pair|cvt COUNT LOCKSPACE\n", argv[0]);
        return 2;
    }
    measurement_init(&m);
    memset(&r, 0, sizeof r);
    r.convert = strcmp(argv[1], "cvt") == 0;
    r.ls = dlm_create_lockspace(argv[3], 0600);
    if (r.ls == NULL) {
        m.failed = 1;
        snprintf(m.note, sizeof m.note, "dlm_create_lockspace failed");
    }
#ifndef LIBDLM_LT
    else if (dlm_ls_pthread_init(r.ls) != 0) {
        m.failed = 1;
        snprintf(m.note, sizeof m.note, "dlm_ls_pthread_init failed");
    }
#endif
    else if (measure(&r, n, &m) != 0) {
        m.failed = 1;
        snprintf(m.note, sizeof m.note, "a libdlm call failed");
    }
    if (r.ls != NULL)
        dlm_release_lockspace(argv[3], r.ls, 1);
    return measurement_send(STDOUT_FILENO, &m) == 0 && !m.failed ? 0 : 1;
}
