#include "config.h"

#include "deadlock.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "lockrec.h"
#include "picture.h"
#include "request.h"

/* An edge of the wait-for graph: the owner of lock waiter waits for the
 * owner of lock blocker. */
struct edge {
    const struct engine_lock_info *waiter;
    const struct engine_lock_info *blocker;
};

/* An owner: a transaction (its tag) or else a process. */
struct owner {
    uint64_t tag;
    pid_t pid;
};

static struct owner owner_of(const struct engine_lock_info *lock)
{
    struct owner owner = { lock->owner_tag, lock->owner_tag != 0 ? 0 : lock->pid };

    return owner;
}

static int same_owner(struct owner a, struct owner b)
{
    return a.tag == b.tag && a.pid == b.pid;
}

struct graph {
    struct edge *edges;
    size_t nedges;
    /* The owners reached since the search of the current start began:
     * each is searched from once. */
    struct owner *visited;
    size_t nvisited;
    struct owner *path;         /* owners on the current search path */
    const struct edge **via;    /* the edge that led to each */
    size_t depth;
};

int deadlock_possible(const struct namespace *ns)
{
    struct engine_picture count = { NULL, 0, NULL, 0 };

    return ns->ops->inspect != NULL && ns->ops->inspect(ns->ls, NULL, 0, &count) == 0;
}

void deadlock_arm(struct namespace *ns)
{
    struct timespec *at = &ns->next_search;

    clock_gettime(CLOCK_MONOTONIC, at);
    at->tv_nsec += DEADLOCK_INTERVAL_MS * 1000000L;
    at->tv_sec += at->tv_nsec / 1000000000L;
    at->tv_nsec %= 1000000000L;
}

/* Does blocker keep waiter waiting?  Both are locks of one resource, in
 * queue order (granted, converting, waiting), blocker at index b and
 * waiter at index w of the picture. */
static int blocks(const struct engine_lock_info *blocker, size_t b,
                  const struct engine_lock_info *waiter, size_t w)
{
    if (same_owner(owner_of(blocker), owner_of(waiter))
        || (blocker->flags & ENGINE_LKF_NODLCKBLK))
        return 0;
    if (blocker->queue != ENGINE_QUEUE_WAITING && blocker->grmode != ENGINE_MODE_IV
        && !engine_modes_compatible(blocker->grmode, waiter->rqmode))
        return 1;
    /* Ahead of it in turn: conversions before new requests, each queue in
     * order.  The picture lists them in exactly that order. */
    return blocker->queue != ENGINE_QUEUE_GRANTED && b < w
           && !engine_modes_compatible(blocker->rqmode, waiter->rqmode);
}

/* The picture lists each resource's locks together: [first, w] and on
 * are those of waiter's resource. */
static int build(const struct engine_picture *picture, struct graph *g)
{
    size_t w, b, first = 0, n = picture->nlocks;

    g->edges = NULL;
    g->nedges = 0;
    for (w = 0; w < n; w++) {
        const struct engine_lock_info *waiter = &picture->locks[w];

        if (picture->locks[first].resource != waiter->resource)
            first = w;
        if (waiter->queue == ENGINE_QUEUE_GRANTED || (waiter->flags & ENGINE_LKF_NODLCKWT))
            continue;
        for (b = first; b < n && picture->locks[b].resource == waiter->resource; b++) {
            const struct engine_lock_info *blocker = &picture->locks[b];

            if (!blocks(blocker, b, waiter, w))
                continue;
            if (g->nedges % 64 == 0) {
                struct edge *grown = realloc(g->edges, (g->nedges + 64) * sizeof *grown);

                if (grown == NULL)
                    return -1;
                g->edges = grown;
            }
            g->edges[g->nedges++] = (struct edge){ waiter, blocker };
        }
    }
    return 0;
}

/* Is owner one of the n owners of set?  There are few owners (the
 * processes and transactions of the lockspace), however many the locks. */
static int owner_in(const struct owner *set, size_t n, struct owner owner)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (same_owner(set[i], owner))
            return 1;
    return 0;
}

/* Depth-first from the owner at the end of the path: 1 when an edge leads
 * back to the path's start (the cycle is then g->via[1..depth]).  Each
 * owner is searched from once per start (one that did not lead back
 * before will not now), so a search reads the edges once per owner. */
static int find_cycle(struct graph *g, size_t limit)
{
    struct owner from = g->path[g->depth - 1];
    size_t i;

    for (i = 0; i < g->nedges; i++) {
        const struct edge *e = &g->edges[i];
        struct owner to = owner_of(e->blocker);

        if (!same_owner(owner_of(e->waiter), from))
            continue;
        g->via[g->depth] = e;
        if (same_owner(to, g->path[0]))
            return 1;
        if (g->depth + 1 < limit && !owner_in(g->visited, g->nvisited, to)) {
            g->visited[g->nvisited++] = to;
            g->path[g->depth++] = to;
            if (find_cycle(g, limit))
                return 1;
            g->depth--;
        }
    }
    return 0;
}

static int later(const struct engine_lock_info *a, const struct engine_lock_info *b)
{
    return a->pid != b->pid ? a->pid > b->pid : a->lkid > b->lkid;
}

static const struct engine_lock_info *choose_victim(const struct graph *g)
{
    const struct engine_lock_info *victim = g->via[1]->waiter;
    size_t i;

    for (i = 2; i <= g->depth; i++)
        if (later(g->via[i]->waiter, victim))
            victim = g->via[i]->waiter;
    return victim;
}

/* The request of this process that the engine knows as lkid. */
static struct lockrec *own_request(const struct namespace *ns, uint32_t lkid)
{
    struct lockrec *rec;

    for (rec = lockrec_next(NULL); rec != NULL; rec = lockrec_next(rec))
        if (rec->ns == ns && rec->queued && rec->lksb.lkid == lkid)
            return rec;
    return NULL;
}

void deadlock_search(struct namespace *ns)
{
    struct engine_picture picture = { NULL, 0, NULL, 0 };
    struct graph g = { NULL, 0, NULL, 0, NULL, NULL, 0 };
    const struct engine_lock_info *victim = NULL;
    struct owner *starts = NULL;
    size_t i, limit, nstarts = 0;

    if (picture_take(ns, NULL, &picture) != 0)
        return;
    limit = picture.nlocks + 1;
    g.path = calloc(limit + 1, sizeof *g.path);
    g.via = calloc(limit + 1, sizeof *g.via);
    g.visited = calloc(limit + 1, sizeof *g.visited);
    starts = calloc(limit, sizeof *starts);
    if (g.path == NULL || g.via == NULL || g.visited == NULL || starts == NULL
        || build(&picture, &g) != 0)
        goto out;
    /* From each owner of a request of this process that waits. */
    for (i = 0; i < picture.nlocks && victim == NULL; i++) {
        const struct engine_lock_info *lock = &picture.locks[i];

        if (lock->pid != getpid() || lock->queue == ENGINE_QUEUE_GRANTED
            || owner_in(starts, nstarts, owner_of(lock)))
            continue;
        starts[nstarts++] = owner_of(lock);
        g.path[0] = owner_of(lock);
        g.depth = 1;
        g.visited[0] = g.path[0];
        g.nvisited = 1;
        if (find_cycle(&g, limit))
            victim = choose_victim(&g);
    }
    if (victim == NULL)
        goto out;
    if (victim->pid == getpid()) {
        struct lockrec *rec = own_request(ns, victim->lkid);

        if (rec != NULL && rec->cancel == CANCEL_NONE)
            request_cancel(rec, CANCEL_BY_DEADLOCK);
    }
out:
    free(g.edges);
    free(g.visited);
    free(starts);
    free(g.path);
    free(g.via);
    picture_free(&picture);
}
