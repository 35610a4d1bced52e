#include "engine_actors.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine_fixture.h"
#include "harness.h"

/* Long enough for anything healthy on a loaded machine. */
#define PATIENCE_MS 30000
#define PICTURE_ROOM 32

static const struct engine_ops *ops = &engine_embedded;

/* --- Tracked locks ----------------------------------------------------------------- */

static void record_completion(void *astarg)
{
    struct tracked *t = astarg;

    t->pending = 0;
    t->completions++;
    t->completion_pid = getpid();
}

static void record_block(void *astarg, int mode, uint64_t hint)
{
    struct tracked *t = astarg;

    t->blocks++;
    t->blocked_mode = mode;
    t->blocked_hint = hint;
    t->block_pid = getpid();
}

void tracked_init(struct tracked *t)
{
    memset(t, 0, sizeof *t);
    t->lksb.lvb = t->lvb;
}

static int issue(struct engine_ls *ls, struct tracked *t, int mode, uint32_t flags,
                 const char *name, engine_bast_fn *bast)
{
    int rc;

    if (!(flags & ENGINE_LKF_CONVERT)) {     /* a new lock: start counting afresh */
        t->completions = t->blocks = 0;
        t->completion_pid = t->block_pid = 0;
        t->blocked_mode = ENGINE_MODE_IV;
    }
    t->lksb.lvb = t->lvb;
    rc = ops->lock(ls, mode, &t->lksb, flags, name,
                   name != NULL ? (unsigned int)strlen(name) : 0, record_completion, t, bast);
    if (rc >= 0)    /* a refused call changes nothing */
        t->pending = rc == 0;
    return rc;
}

int tracked_lock(struct engine_ls *ls, struct tracked *t, int mode, uint32_t flags,
                 const char *name)
{
    return issue(ls, t, mode, flags, name, record_block);
}

int tracked_lock_nobast(struct engine_ls *ls, struct tracked *t, int mode, uint32_t flags,
                        const char *name)
{
    return issue(ls, t, mode, flags, name, NULL);
}

int tracked_unlock(struct engine_ls *ls, struct tracked *t, uint32_t flags)
{
    int rc = ops->unlock(ls, t->lksb.lkid, flags, &t->lksb, t);

    if (rc == ENGINE_DONE)
        t->pending = 0;
    return rc;
}

static long elapsed_ms(const struct timespec *since)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

int tracked_await(struct engine_ls *ls, struct tracked *t, int slice_ms)
{
    struct timespec start;
    int timeouts = 0;

    clock_gettime(CLOCK_MONOTONIC, &start);
    ops->dispatch(ls);
    while (t->pending) {
        int rc;

        if (elapsed_ms(&start) > PATIENCE_MS)
            return -1;
        rc = ops->wait(ls, slice_ms);
        if (rc == -ETIMEDOUT)
            timeouts++;
        else if (rc < 0)
            return -1;
        ops->dispatch(ls);
    }
    return timeouts;
}

int tracked_dispatch(struct engine_ls *ls)
{
    return ops->dispatch(ls);
}

int tracked_probe(struct engine_ls *ls, int mode, const char *name)
{
    struct tracked probe;
    int rc;

    tracked_init(&probe);
    rc = tracked_lock_nobast(ls, &probe, mode, ENGINE_LKF_NOQUEUE, name);
    if (rc != ENGINE_DONE) {
        if (rc == 0)    /* queued despite NOQUEUE: do not leave it behind */
            tracked_unlock(ls, &probe, ENGINE_LKF_FORCEUNLOCK);
        return -1;
    }
    if (probe.lksb.status == ENGINE_EAGAIN)
        return 0;
    if (probe.lksb.status != 0)
        return -1;
    return tracked_unlock(ls, &probe, 0) == ENGINE_DONE ? 1 : -1;
}

/* --- Pictures ---------------------------------------------------------------------- */

struct picture_room {
    struct engine_resource_info resource;
    struct engine_lock_info locks[PICTURE_ROOM];
};

static unsigned int take_picture(struct engine_ls *ls, const char *name,
                                 struct picture_room *room)
{
    struct engine_picture picture = { &room->resource, 1, room->locks, PICTURE_ROOM };

    if (ops->inspect(ls, name, (unsigned int)strlen(name), &picture) != 0)
        return 0;
    return picture.nlocks < PICTURE_ROOM ? picture.nlocks : PICTURE_ROOM;
}

int picture_lock(struct engine_ls *ls, const char *name, uint32_t lkid,
                 struct engine_lock_info *info)
{
    struct picture_room room;
    unsigned int i, n = take_picture(ls, name, &room);

    for (i = 0; i < n; i++) {
        if (room.locks[i].lkid == lkid) {
            *info = room.locks[i];
            return 1;
        }
    }
    return 0;
}

unsigned int picture_lkids(struct engine_ls *ls, const char *name, uint32_t *lkids,
                           unsigned int max)
{
    struct picture_room room;
    unsigned int i, n = take_picture(ls, name, &room);

    for (i = 0; i < n && i < max; i++)
        lkids[i] = room.locks[i].lkid;
    return n;
}

long census_locks(struct engine_ls *ls)
{
    struct engine_census census;

    return ops->census(ls, &census) == 0 ? (long)census.locks : -1;
}

/* --- Peers ------------------------------------------------------------------------- */

enum peer_op {
    OP_LOCK, OP_UNLOCK, OP_LOCK_LKID, OP_UNLOCK_LKID, OP_CONVERT_LKID, OP_PUT_LVB, OP_LOOK,
    OP_AWAIT, OP_PROBE, OP_GROUP_JOIN, OP_GROUP_LEAVE, OP_STOP, OP_DIE
};

struct peer_command {
    int op, slot, mode, slice_ms, has_name;
    uint32_t flags, lkid;
    char name[ENGINE_RESNAME_MAXLEN + 1];
    char lvb[ENGINE_LVB_LEN];
};

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Read len bytes, waiting at most timeout_ms for each piece (-1: for
 * ever); -1 on end of file or error, -2 on timeout. */
static int read_all(int fd, void *buf, size_t len, int timeout_ms)
{
    char *p = buf;

    while (len > 0) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        ssize_t n;
        int rc = poll(&pfd, 1, timeout_ms);

        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0)
            return -2;
        if (rc < 0)
            return -1;
        n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void serve_one(struct engine_ls *ls, struct tracked *t, const struct peer_command *cmd,
                      int out, struct peer_reply *reply)
{
    const char *name = cmd->has_name ? cmd->name : NULL;

    switch (cmd->op) {
    case OP_LOCK:
        reply->rc = tracked_lock(ls, t, cmd->mode, cmd->flags, name);
        break;
    case OP_UNLOCK:
        reply->rc = tracked_unlock(ls, t, cmd->flags);
        break;
    case OP_LOCK_LKID:
        t->lksb.lkid = cmd->lkid;
        reply->rc = ops->lock(ls, cmd->mode, &t->lksb, cmd->flags, NULL, 0, NULL, NULL, NULL);
        break;
    case OP_UNLOCK_LKID:
        reply->rc = ops->unlock(ls, cmd->lkid, cmd->flags, &t->lksb, NULL);
        break;
    case OP_CONVERT_LKID:
        t->lksb.lkid = cmd->lkid;
        reply->rc = tracked_lock(ls, t, cmd->mode, cmd->flags | ENGINE_LKF_CONVERT, NULL);
        break;
    case OP_GROUP_JOIN:
        reply->rc = ops->group_join(ls, cmd->lkid, cmd->mode, NULL, NULL);
        break;
    case OP_GROUP_LEAVE:
        reply->rc = ops->group_leave(ls);
        break;
    case OP_PUT_LVB:
        memcpy(t->lvb, cmd->lvb, ENGINE_LVB_LEN);
        break;
    case OP_LOOK:
        reply->rc = tracked_dispatch(ls);
        break;
    case OP_AWAIT:
        /* Tell the test we are about to wait, so that it may act while we
         * do. */
        if (write_all(out, "w", 1) != 0)
            _exit(4);
        reply->timeouts = tracked_await(ls, t, cmd->slice_ms);
        break;
    case OP_PROBE:
        reply->rc = tracked_probe(ls, cmd->mode, name);
        break;
    case OP_STOP:
        ops->ls_close(ls);
        break;
    default:    /* OP_DIE */
        _exit(0);
    }
}

static void peer_main(const char *lsname, int in, int out)
{
    struct tracked slots[PEER_SLOTS];
    struct peer_command cmd;
    struct engine_ls *ls;
    int i;

    for (i = 0; i < PEER_SLOTS; i++)
        tracked_init(&slots[i]);
    if (engine_fixture_open(&ls, lsname) != 0)
        _exit(3);
    while (read_all(in, &cmd, sizeof cmd, -1) == 0) {
        struct peer_reply reply;
        struct tracked *t = &slots[(unsigned int)cmd.slot % PEER_SLOTS];

        memset(&reply, 0, sizeof reply);
        serve_one(ls, t, &cmd, out, &reply);
        reply.lock = *t;
        if (write_all(out, &reply, sizeof reply) != 0)
            _exit(4);
        if (cmd.op == OP_STOP)
            _exit(0);
    }
    _exit(5);   /* the test went away */
}

static int send_command(struct peer *peer, struct peer_command *cmd)
{
    return peer->pid > 0 ? write_all(peer->to_peer, cmd, sizeof *cmd) : -1;
}

static int receive_reply(struct peer *peer)
{
    if (peer->pid <= 0 || read_all(peer->from_peer, &peer->last, sizeof peer->last,
                                   PATIENCE_MS) != 0) {
        memset(&peer->last, 0, sizeof peer->last);
        peer->last.rc = PEER_BROKEN;
        return -1;
    }
    return 0;
}

static int call(struct peer *peer, struct peer_command *cmd)
{
    if (send_command(peer, cmd) != 0 || receive_reply(peer) != 0)
        return PEER_BROKEN;
    return peer->last.rc;
}

static void command(struct peer_command *cmd, int op, int slot, int mode, uint32_t flags,
                    const char *name)
{
    memset(cmd, 0, sizeof *cmd);
    cmd->op = op;
    cmd->slot = slot;
    cmd->mode = mode;
    cmd->flags = flags;
    if (name != NULL) {
        cmd->has_name = 1;
        snprintf(cmd->name, sizeof cmd->name, "%s", name);
    }
}

/* Reap the peer, whose end is under way; its status, or -1. */
static int reap(struct peer *peer)
{
    char byte;
    int status = -1, rc;

    /* End of file on its pipe: it has exited, or is exiting. */
    while ((rc = read_all(peer->from_peer, &byte, 1, PATIENCE_MS)) == 0)
        ;
    if (rc == -2)
        kill(peer->pid, SIGKILL);   /* stuck: the caller sees the signal */
    if (waitpid(peer->pid, &status, 0) != peer->pid)
        status = -1;
    close(peer->to_peer);
    close(peer->from_peer);
    peer->pid = -1;
    return status;
}

int peer_start(struct peer *peer, const char *lsname)
{
    int to_peer[2], from_peer[2];
    struct peer_command cmd;

    memset(peer, 0, sizeof *peer);
    peer->pid = -1;
    if (pipe(to_peer) != 0)
        return -1;
    if (pipe(from_peer) != 0) {
        close(to_peer[0]);
        close(to_peer[1]);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    peer->pid = fork();
    if (peer->pid == 0) {
        close(to_peer[1]);
        close(from_peer[0]);
        peer_main(lsname, to_peer[0], from_peer[1]);
    }
    close(to_peer[0]);
    close(from_peer[1]);
    peer->to_peer = to_peer[1];
    peer->from_peer = from_peer[0];
    if (peer->pid < 0) {
        close(peer->to_peer);
        close(peer->from_peer);
        return -1;
    }
    /* The first answer says the peer is attached. */
    command(&cmd, OP_LOOK, 0, 0, 0, NULL);
    if (call(peer, &cmd) == PEER_BROKEN) {
        kill(peer->pid, SIGKILL);
        reap(peer);
        return -1;
    }
    return 0;
}

int peer_lock(struct peer *peer, int slot, int mode, uint32_t flags, const char *name)
{
    struct peer_command cmd;

    command(&cmd, OP_LOCK, slot, mode, flags, name);
    return call(peer, &cmd);
}

int peer_unlock(struct peer *peer, int slot, uint32_t flags)
{
    struct peer_command cmd;

    command(&cmd, OP_UNLOCK, slot, 0, flags, NULL);
    return call(peer, &cmd);
}

int peer_lock_lkid(struct peer *peer, int slot, uint32_t lkid, int mode, uint32_t flags)
{
    struct peer_command cmd;

    command(&cmd, OP_LOCK_LKID, slot, mode, flags, NULL);
    cmd.lkid = lkid;
    return call(peer, &cmd);
}

int peer_unlock_lkid(struct peer *peer, int slot, uint32_t lkid, uint32_t flags)
{
    struct peer_command cmd;

    command(&cmd, OP_UNLOCK_LKID, slot, 0, flags, NULL);
    cmd.lkid = lkid;
    return call(peer, &cmd);
}

int peer_put_lvb(struct peer *peer, int slot, const char lvb[ENGINE_LVB_LEN])
{
    struct peer_command cmd;

    command(&cmd, OP_PUT_LVB, slot, 0, 0, NULL);
    memcpy(cmd.lvb, lvb, ENGINE_LVB_LEN);
    return call(peer, &cmd) == PEER_BROKEN ? PEER_BROKEN : 0;
}

const struct tracked *peer_look(struct peer *peer, int slot)
{
    struct peer_command cmd;

    command(&cmd, OP_LOOK, slot, 0, 0, NULL);
    return call(peer, &cmd) == PEER_BROKEN ? NULL : &peer->last.lock;
}

int peer_await_begin(struct peer *peer, int slot, int slice_ms)
{
    struct peer_command cmd;
    char armed;

    command(&cmd, OP_AWAIT, slot, 0, 0, NULL);
    cmd.slice_ms = slice_ms;
    if (send_command(peer, &cmd) != 0
        || read_all(peer->from_peer, &armed, 1, PATIENCE_MS) != 0)
        return PEER_BROKEN;
    return 0;
}

int peer_await_end(struct peer *peer)
{
    return receive_reply(peer) == 0 ? peer->last.timeouts : PEER_BROKEN;
}

int peer_await(struct peer *peer, int slot, int slice_ms)
{
    int rc = peer_await_begin(peer, slot, slice_ms);

    return rc != 0 ? rc : peer_await_end(peer);
}

int peer_convert_lkid(struct peer *peer, int slot, uint32_t lkid, int mode, uint32_t flags)
{
    struct peer_command cmd;

    command(&cmd, OP_CONVERT_LKID, slot, mode, flags, NULL);
    cmd.lkid = lkid;
    return call(peer, &cmd);
}

int peer_group_join(struct peer *peer, uint32_t group, int permanent)
{
    struct peer_command cmd;

    command(&cmd, OP_GROUP_JOIN, 0, permanent, 0, NULL);
    cmd.lkid = group;
    return call(peer, &cmd);
}

int peer_group_leave(struct peer *peer)
{
    struct peer_command cmd;

    command(&cmd, OP_GROUP_LEAVE, 0, 0, 0, NULL);
    return call(peer, &cmd);
}

int peer_probe(struct peer *peer, int mode, const char *name)
{
    struct peer_command cmd;

    command(&cmd, OP_PROBE, 0, mode, 0, name);
    return call(peer, &cmd);
}

int peer_stop(struct peer *peer)
{
    struct peer_command cmd;
    int status;

    if (peer->pid <= 0)
        return -1;
    command(&cmd, OP_STOP, 0, 0, 0, NULL);
    if (call(peer, &cmd) == PEER_BROKEN)
        kill(peer->pid, SIGKILL);
    status = reap(peer);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int peer_die(struct peer *peer, int sig)
{
    struct peer_command cmd;
    int status;

    if (peer->pid <= 0)
        return -1;
    if (sig == 0) {
        command(&cmd, OP_DIE, 0, 0, 0, NULL);
        if (send_command(peer, &cmd) != 0)
            kill(peer->pid, SIGKILL);
    } else {
        kill(peer->pid, sig);
    }
    status = reap(peer);
    if (sig == 0)
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
    return WIFSIGNALED(status) && WTERMSIG(status) == sig ? 0 : -1;
}

/* --- Scenes ------------------------------------------------------------------------ */

void scene_open(struct scene *scene, const char *lsname)
{
    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&scene->ls, lsname), 0);
    if (peer_start(&scene->peer, lsname) != 0) {
        ops->ls_close(scene->ls);
        CU_FAIL_FATAL("the peer did not start");
    }
}

void scene_close(struct scene *scene)
{
    struct engine_census census = { .locks = 0 };

    if (scene->peer.pid > 0)
        CU_ASSERT_EQUAL(peer_stop(&scene->peer), 0);
    CU_ASSERT_EQUAL(ops->census(scene->ls, &census), 0);
    if (census.locks != 0 || census.resources != 0 || census.processes != 1)
        fprintf(stderr, "\n    left behind: %lu locks, %lu resources, %lu processes\n",
                census.locks, census.resources, census.processes);
    CU_ASSERT(census.locks == 0 && census.resources == 0 && census.processes == 1);
    ops->ls_close(scene->ls);
}

/* --- Checks ------------------------------------------------------------------------ */

const char *mode_name(int mode)
{
    static const char *const names[] = { "IV", "NL", "CR", "CW", "PR", "PW", "EX" };

    return mode >= ENGINE_MODE_IV && mode <= ENGINE_MODE_EX ? names[mode + 1] : "?";
}

static int outcome(const char *what, int rc, int want_rc, int status, int want_status)
{
    if (rc == want_rc && (rc != ENGINE_DONE || status == want_status))
        return 1;
    fprintf(stderr, "\n    %s: returned %d (wanted %d), status %d (wanted %d)\n", what, rc,
            want_rc, status, want_status);
    return 0;
}

int granted_now(struct engine_ls *ls, struct tracked *t, int mode, uint32_t flags,
                const char *name)
{
    int rc = tracked_lock(ls, t, mode, flags, name);

    return outcome(mode_name(mode), rc, ENGINE_DONE, t->lksb.status, 0);
}

int queued(struct engine_ls *ls, struct tracked *t, int mode, uint32_t flags, const char *name)
{
    int rc = tracked_lock(ls, t, mode, flags, name);

    return outcome(mode_name(mode), rc, 0, t->lksb.status, 0);
}

int completes(struct engine_ls *ls, struct tracked *t, int status)
{
    if (tracked_await(ls, t, 1000) < 0) {
        fprintf(stderr, "\n    no completion came\n");
        return 0;
    }
    return outcome("completion", ENGINE_DONE, ENGINE_DONE, t->lksb.status, status);
}

int done_with(int rc, const struct tracked *t, int status)
{
    return outcome("request", rc, ENGINE_DONE, t->lksb.status, status);
}

int released(struct engine_ls *ls, struct tracked *t)
{
    return done_with(tracked_unlock(ls, t, 0), t, ENGINE_EUNLOCK);
}

int peer_granted_now(struct peer *peer, int slot, int mode, uint32_t flags, const char *name)
{
    int rc = peer_lock(peer, slot, mode, flags, name);

    return outcome(mode_name(mode), rc, ENGINE_DONE, peer->last.lock.lksb.status, 0);
}

int peer_queued(struct peer *peer, int slot, int mode, uint32_t flags, const char *name)
{
    int rc = peer_lock(peer, slot, mode, flags, name);

    return outcome(mode_name(mode), rc, 0, peer->last.lock.lksb.status, 0);
}

int peer_completes(struct peer *peer, int slot, int status)
{
    if (peer_await(peer, slot, 1000) < 0) {
        fprintf(stderr, "\n    no completion came to the peer\n");
        return 0;
    }
    return outcome("peer's completion", ENGINE_DONE, ENGINE_DONE,
                   peer->last.lock.lksb.status, status);
}

int peer_released(struct peer *peer, int slot)
{
    int rc = peer_unlock(peer, slot, 0);

    return outcome("peer's unlock", rc, ENGINE_DONE, peer->last.lock.lksb.status,
                   ENGINE_EUNLOCK);
}

int lock_is(struct engine_ls *ls, const char *name, uint32_t lkid, enum engine_queue queue,
            int grmode, int rqmode)
{
    struct engine_lock_info info;

    if (!picture_lock(ls, name, lkid, &info)) {
        fprintf(stderr, "\n    lock %#x is not on %s\n", lkid, name);
        return 0;
    }
    if (info.queue == queue && info.grmode == grmode && info.rqmode == rqmode)
        return 1;
    fprintf(stderr, "\n    lock %#x on %s: queue %d granted %s requested %s"
            " (wanted queue %d, %s, %s)\n", lkid, name, (int)info.queue,
            mode_name(info.grmode), mode_name(info.rqmode), (int)queue, mode_name(grmode),
            mode_name(rqmode));
    return 0;
}
