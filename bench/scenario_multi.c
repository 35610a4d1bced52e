/*
 * Scenarios of several processes: scaling on distinct resources, and the
 * hand-off of one resource between two processes.
 */
#include "scenarios.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "runner.h"
#include "subjects.h"

/* --- Scaling --------------------------------------------------------------------------- */

#define MAX_WORKERS 4
#define CLOCK_EVERY 64          /* pairs between looks at the clock */

struct scaling {
    const struct subject_ops *ops;
    unsigned int processes;     /* workers are processes, */
    unsigned int threads;       /* or threads of one process */
    struct start_line line;
    uint64_t start[MAX_WORKERS], end[MAX_WORKERS], pairs[MAX_WORKERS];
    int failed;
};

struct worker {
    struct scaling *run;
    unsigned int index;
};

/* Pairs on the worker's own resource until the time is up. */
static void *work(void *arg)
{
    struct worker *w = arg;
    struct scaling *run = w->run;
    uint64_t deadline, done = 0, duration = (uint64_t)config.scaling_ms * 1000000u;
    struct subject s;
    unsigned int i;

    memset(&s, 0, sizeof s);
    s.ops = run->ops;
    s.fd = -1;
    if (s.ops->open(&s, w->index) != 0)
        __atomic_store_n(&run->failed, 1, __ATOMIC_RELAXED);
    start_line_cross(&run->line, run->processes * run->threads);
    run->start[w->index] = now_ns();
    deadline = run->start[w->index] + duration;
    while (!run->failed) {
        for (i = 0; i < CLOCK_EVERY; i++)
            if (s.ops->lock(&s) != 0 || s.ops->unlock(&s) != 0)
                __atomic_store_n(&run->failed, 1, __ATOMIC_RELAXED);
        done += CLOCK_EVERY;
        if (now_ns() >= deadline)
            break;
    }
    run->end[w->index] = now_ns();
    run->pairs[w->index] = done;
    s.ops->close(&s);
    return NULL;
}

/* A worker process: one worker, or the threads. */
static int worker_process(void *arg)
{
    struct worker *first = arg;
    pthread_t thread[MAX_WORKERS];
    struct worker w[MAX_WORKERS];
    unsigned int i, n = first->run->threads;

    if (n == 1) {
        work(first);
        return 0;
    }
    for (i = 0; i < n; i++) {
        w[i] = (struct worker){ first->run, i };
        if (pthread_create(&thread[i], NULL, work, &w[i]) != 0)
            return 1;
    }
    for (i = 0; i < n; i++)
        pthread_join(thread[i], NULL);
    return 0;
}

static int measure_scaling(void *arg, struct measurement *m)
{
    const struct scaling *shape = arg;
    struct scaling *run = shared_alloc(sizeof *run);
    struct worker w[MAX_WORKERS];
    pid_t pid[MAX_WORKERS];
    uint64_t first = UINT64_MAX, last = 0;
    unsigned int i, nworkers;
    int failed = 0;

    if (run == NULL)
        return -1;
    run->ops = shape->ops;
    run->processes = shape->processes;
    run->threads = shape->threads;
    nworkers = run->processes * run->threads;
    for (i = 0; i < run->processes; i++) {
        w[i] = (struct worker){ run, i };
        pid[i] = child_spawn(worker_process, &w[i]);
    }
    for (i = 0; i < run->processes; i++)
        failed |= pid[i] < 0 || child_wait(pid[i]) != 0;
    for (i = 0; i < nworkers; i++) {
        first = run->start[i] < first ? run->start[i] : first;
        last = run->end[i] > last ? run->end[i] : last;
        m->ops += run->pairs[i];
    }
    m->elapsed_ns = last - first;
    failed |= run->failed || m->ops == 0;
    if (failed)
        snprintf(m->note, sizeof m->note, "a worker failed");
    shared_free(run, sizeof *run);
    return failed ? -1 : 0;
}

void scenario_scaling(struct report *r)
{
    static const struct {
        const char *key, *name;
        unsigned int processes, threads;
    } shapes[] = {
        { "scale-1p", "distinct resources: 1 proc", 1, 1 },
        { "scale-2p", "distinct resources: 2 procs", 2, 1 },
        { "scale-2t", "distinct resources: 2 thrds", 1, 2 },
    };
    struct scaling shape[3][8];
    struct contender c[3][8];
    long first[3];
    unsigned int s, i, n = host_nsubjects < 8 ? host_nsubjects : 8;

    for (s = 0; s < 3; s++) {
        for (i = 0; i < n; i++) {
            memset(&shape[s][i], 0, sizeof shape[s][i]);
            shape[s][i].ops = host_subjects[i];
            shape[s][i].processes = shapes[s].processes;
            shape[s][i].threads = shapes[s].threads;
            c[s][i] = (struct contender){ host_subjects[i]->key, host_subjects[i]->name,
                                          measure_scaling, &shape[s][i] };
        }
        first[s] = run_side_by_side(r, "host", shapes[s].key, shapes[s].name, c[s], n,
                                    config.rounds);
    }
    /* Speed-up: aggregate throughput over that of one process. */
    for (s = 0; s < 3; s++) {
        for (i = 0; i < n && first[0] >= 0 && first[s] >= 0; i++) {
            const struct row *one = &r->rows[first[0] + i];
            struct row *row = &r->rows[first[s] + i];

            if (!one->failed && !row->failed && one->ops_per_s > 0)
                row->speedup = row->ops_per_s / one->ops_per_s;
        }
    }
}

/* --- Hand-off ---------------------------------------------------------------------------- */

/* Two players pass one resource back and forth.  The requester asks;
 * the holder learns of it - from its blocking routine on the DLM, from a
 * doorbell the requester rings on the peers, which have no such thing -
 * and releases; the requester is granted.  A sample is the requester's
 * time from asking to holding. */
struct court {
    const struct subject_ops *ops;
    int valb;
    unsigned int handoffs;
    uint32_t owner;             /* player + 1 holding, 0 none yet */
    uint32_t doorbell[2];
    uint32_t done[2];
    pid_t pid[2];
    uint32_t final_value[2];    /* each player's last view of the value */
    int failed;
    uint64_t samples[];         /* [player * handoffs + k] */
};

struct player {
    struct court *court;
    unsigned int self;
    struct subject s;
    sigset_t waiting_mask;      /* the mask to wait for a blocking routine with */
};

/* DLM: the notification signal's routines run while the player waits
 * here, and only here (the signal is blocked otherwise). */
static void await_request(struct player *p, int seen_requests, uint32_t seen_bell)
{
    struct court *c = p->court;
    unsigned int other = 1 - p->self;

    if (c->ops == &subject_dlm) {
        while (p->s.requested == seen_requests && !word_get(&c->done[other]))
            sigsuspend(&p->waiting_mask);
        return;
    }
    while (word_get(&c->doorbell[p->self]) == seen_bell && !word_get(&c->done[other]))
        word_wait_while(&c->doorbell[p->self], seen_bell);
}

static void ring(struct player *p, unsigned int whom)
{
    struct court *c = p->court;

    __atomic_add_fetch(&c->doorbell[whom], 1, __ATOMIC_ACQ_REL);
    word_wake(&c->doorbell[whom]);
    if (c->ops == &subject_dlm && c->done[p->self])
        kill(c->pid[whom], SIGUSR1);     /* out of sigsuspend */
}

static int play(void *arg)
{
    struct player *p = arg;
    struct court *c = p->court;
    unsigned int other = 1 - p->self, k;
    int holding = 0, seen_requests = 0;
    uint32_t seen_bell = 0, owner;
    sigset_t usr1;

    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &p->waiting_mask);
    sigdelset(&p->waiting_mask, SIGUSR1);
    c->pid[p->self] = getpid();
    p->s.ops = c->ops;
    p->s.fd = -1;
    p->s.valb = c->valb;
    p->s.want_bast = 1;
    if (c->ops->open(&p->s, 0) != 0
        || (c->ops == &subject_dlm && dlm_set_signal(SIGUSR1, NULL) != DLM_SUCCESS))
        return 1;
    if (p->self == 0) {
        if (c->ops->lock(&p->s) != 0)
            return 1;
        seen_bell = word_get(&c->doorbell[0]);
        holding = 1;
        word_set(&c->owner, 1);
    }
    for (k = 0; k < c->handoffs; k++) {
        uint64_t t0;

        if (holding) {
            await_request(p, seen_requests, seen_bell);
            if (c->ops->unlock(&p->s) != 0)
                return 1;
            holding = 0;
        }
        /* Wait while the owner is the one read: read again, the wait could
         * begin after the other's change, and never end. */
        while ((owner = word_get(&c->owner)) != other + 1)
            word_wait_while(&c->owner, owner);
        t0 = now_ns();
        if (c->ops != &subject_dlm)
            ring(p, other);
        if (c->ops->lock(&p->s) != 0)
            return 1;
        c->samples[p->self * c->handoffs + k] = now_ns() - t0;
        seen_requests = p->s.requested;
        seen_bell = word_get(&c->doorbell[p->self]);
        holding = 1;
        word_set(&c->owner, p->self + 1);
    }
    /* The other's last request may still come; then both are done. */
    word_set(&c->done[p->self], 1);
    ring(p, other);
    await_request(p, seen_requests, seen_bell);
    if (c->ops->unlock(&p->s) != 0)
        return 1;
    if (c->valb)
        c->final_value[p->self] = p->s.value.valblk[0];
    c->ops->close(&p->s);
    return 0;
}

struct handoff_setup {
    const struct subject_ops *ops;
    int valb;
};

static int measure_handoff(void *arg, struct measurement *m)
{
    const struct handoff_setup *setup = arg;
    size_t size = sizeof(struct court) + 2u * config.handoffs * sizeof(uint64_t);
    struct court *c = shared_alloc(size);
    struct player p[2];
    pid_t pid[2];
    uint64_t start;
    uint32_t value;
    int i, failed = 0;

    if (c == NULL)
        return -1;
    c->ops = setup->ops;
    c->valb = setup->valb;
    c->handoffs = config.handoffs;
    start = now_ns();
    for (i = 0; i < 2; i++) {
        memset(&p[i], 0, sizeof p[i]);
        p[i].court = c;
        p[i].self = (unsigned int)i;
        pid[i] = child_spawn(play, &p[i]);
    }
    for (i = 0; i < 2; i++)
        failed |= pid[i] < 0 || child_wait(pid[i]) != 0;
    m->elapsed_ns = now_ns() - start;
    value = c->final_value[0] > c->final_value[1] ? c->final_value[0] : c->final_value[1];
    if (failed) {
        snprintf(m->note, sizeof m->note, "a player failed");
    } else if (c->valb && value != 2 * c->handoffs + 1) {
        snprintf(m->note, sizeof m->note, "value block: %u releases seen, %u made", value,
                 2 * c->handoffs + 1);
        failed = 1;
    } else {
        m->nsamples = 2u * c->handoffs;
        m->samples = malloc(m->nsamples * sizeof *m->samples);
        if (m->samples == NULL)
            m->nsamples = 0;
        else
            memcpy(m->samples, c->samples, m->nsamples * sizeof *m->samples);
        m->ops = m->nsamples;
        if (c->valb)
            snprintf(m->note, sizeof m->note, "value block carried every increment");
        else if (c->ops != &subject_dlm)
            snprintf(m->note, sizeof m->note, "holder told by a futex doorbell");
    }
    shared_free(c, size);
    return failed ? -1 : 0;
}

void scenario_handoff(struct report *r)
{
    struct handoff_setup setup[8], valb = { &subject_dlm, 1 };
    struct contender c[8], cv = { subject_dlm.key, subject_dlm.name, measure_handoff, &valb };
    unsigned int i, n = host_nsubjects < 8 ? host_nsubjects : 8;

    for (i = 0; i < n; i++) {
        setup[i] = (struct handoff_setup){ host_subjects[i], 0 };
        c[i] = (struct contender){ host_subjects[i]->key, host_subjects[i]->name,
                                   measure_handoff, &setup[i] };
    }
    run_side_by_side(r, "host", "handoff", "hand-off between 2 procs", c, n, config.rounds);
    run_side_by_side(r, "host", "handoff-valb", "hand-off with value block", &cv, 1,
                     config.rounds);
}
