#include "config.h"

#include "grant.h"

#include "proc.h"
#include "table.h"
#include "tx.h"

/* What a grant does with the value block, by [granted+1][requested+1]
 * (granted IV for a new lock): return it to the lock (1), write the lock's
 * copy to the resource (0), or nothing (-1).  A lock reads the value when
 * it is granted at its mode or higher, and writes it when it comes down
 * from PW or EX. */
static const int8_t lvb_operation[ENGINE_NMODES + 1][ENGINE_NMODES] = {
    /*         NL  CR  CW  PR  PW  EX */
    /* IV */ {  1,  1,  1,  1,  1,  1 },
    /* NL */ {  1,  1,  1,  1,  1,  1 },
    /* CR */ { -1,  1,  1,  1,  1,  1 },
    /* CW */ { -1, -1,  1,  1,  1,  1 },
    /* PR */ { -1, -1, -1,  1,  1,  1 },
    /* PW */ {  0,  0,  0,  0,  0,  1 },
    /* EX */ {  0,  0,  0,  0,  0,  0 },
};

int modes_compatible(int granted, int requested)
{
    return mode_ok(granted) && mode_ok(requested) && engine_modes_compatible(granted, requested);
}

static int is_first(const struct seg_resource *res, enum queue q, uint32_t index)
{
    return res->head[q] == index;
}

/* Does any other lock on the queue hold a mode that blocks lock's rqmode? */
static int queue_conflict(struct engine_ls *ls, struct seg_resource *res, enum queue q,
                          struct seg_lock *lock)
{
    struct seg_lock *other;
    uint32_t next, guard;

    QUEUE_FOREACH(ls, res, q, other, next, guard) {
        if (other != lock && mode_ok(other->grmode)
            && !modes_compatible(other->grmode, lock->rqmode))
            return 1;
    }
    return 0;
}

/* The rules proper: "now" is a request being made, as opposed to one
 * already queued being reconsidered. */
static int can_be_granted_as_is(struct engine_ls *ls, struct seg_resource *res,
                                struct seg_lock *lock, int now)
{
    int converting = lock->grmode != ENGINE_MODE_IV;
    uint32_t index = lock_index(ls, lock);

    /* EXPEDITE (new NL requests only) jumps every queue. */
    if (lock->flags & ENGINE_LKF_EXPEDITE)
        return 1;

    /* Nothing is granted against a held or converting lock it conflicts
     * with. */
    if (queue_conflict(ls, res, QUEUE_GRANT, lock)
        || queue_conflict(ls, res, QUEUE_CONVERT, lock))
        return 0;

    /* A conversion compatible with every other lock is granted in place,
     * even while others wait (VAXcluster 6-3) - unless it asked to keep
     * its turn with QUECVT. */
    if (converting && !(lock->flags & ENGINE_LKF_QUECVT))
        return 1;

    /* QUECVT: granted now only if no conversion is queued (6-5). */
    if (now && converting && (lock->flags & ENGINE_LKF_QUECVT))
        return queue_empty(res, QUEUE_CONVERT);

    /* NOORDER: whenever compatible, whatever the order (6-5). */
    if (lock->flags & ENGINE_LKF_NOORDER)
        return 1;

    /* Queued conversions are served first, in order (6-3). */
    if (!now && converting)
        return is_first(res, QUEUE_CONVERT, index);

    /* A new request never overtakes a queued one (6-4). */
    if (now)
        return queue_empty(res, QUEUE_CONVERT) && queue_empty(res, QUEUE_WAIT);
    return queue_empty(res, QUEUE_CONVERT) && is_first(res, QUEUE_WAIT, index);
}

/* Would the conversion, if queued, wait for ever on a conversion ahead of
 * it that waits in turn for this lock's granted mode? */
static int conversion_deadlock(struct engine_ls *ls, struct seg_resource *res,
                               struct seg_lock *lock)
{
    struct seg_lock *other;
    uint32_t next, guard;
    int lock_is_ahead = 0;

    QUEUE_FOREACH(ls, res, QUEUE_CONVERT, other, next, guard) {
        if (other == lock) {
            lock_is_ahead = 1;
            continue;
        }
        if (!modes_compatible(lock->grmode, other->rqmode)
            && (!lock_is_ahead || !modes_compatible(other->grmode, lock->rqmode)))
            return 1;
    }
    return 0;
}

/* can_be_granted_as_is, plus conversion deadlock (CONVDEADLK demotes the
 * lock to NL; otherwise *deadlock is set) and the ALTPR/ALTCW fallback. */
static int can_be_granted(struct engine_ls *ls, struct seg_resource *res,
                          struct seg_lock *lock, int now, int *deadlock)
{
    int converting = lock->grmode != ENGINE_MODE_IV;
    int32_t rqmode = lock->rqmode;
    int32_t alt = ENGINE_MODE_IV;

    *deadlock = 0;
    if (can_be_granted_as_is(ls, res, lock, now))
        return 1;

    if (converting && !(lock->flags & ENGINE_LKF_NOQUEUE)
        && conversion_deadlock(ls, res, lock)) {
        if (lock->flags & ENGINE_LKF_CONVDEADLK) {
            tx_put(ls, &lock->grmode, ENGINE_MODE_NL);
            tx_put(ls, &lock->sbflags, lock->sbflags | ENGINE_SBF_DEMOTED);
        } else {
            *deadlock = 1;
        }
        return 0;
    }

    if (rqmode != ENGINE_MODE_PR && (lock->flags & ENGINE_LKF_ALTPR))
        alt = ENGINE_MODE_PR;
    else if (rqmode != ENGINE_MODE_CW && (lock->flags & ENGINE_LKF_ALTCW))
        alt = ENGINE_MODE_CW;
    if (alt != ENGINE_MODE_IV) {
        tx_put(ls, &lock->rqmode, (uint32_t)alt);
        if (can_be_granted_as_is(ls, res, lock, now)) {
            tx_put(ls, &lock->sbflags, lock->sbflags | ENGINE_SBF_ALTMODE);
            return 1;
        }
        tx_put(ls, &lock->rqmode, (uint32_t)rqmode);
    }
    return 0;
}

static void set_lvb_on_grant(struct engine_ls *ls, struct seg_resource *res,
                             struct seg_lock *lock)
{
    int operation = lvb_operation[lock->grmode + 1][lock->rqmode];

    if (operation == 1 && (lock->flags & ENGINE_LKF_VALBLK)) {
        tx_put_bytes(ls, lock->lvb, res->lvb, ENGINE_LVB_LEN);
        tx_put(ls, &lock->sbflags, lock->sbflags | SBF_LVB_RETURNED);
    } else if (operation == 0 && (lock->flags & ENGINE_LKF_IVVALBLK)) {
        tx_put(ls, &res->flags, res->flags | RES_VALNOTVALID);
    } else if (operation == 0 && (lock->flags & ENGINE_LKF_VALBLK)) {
        tx_put_bytes(ls, res->lvb, lock->lvb, ENGINE_LVB_LEN);
        tx_put(ls, &res->lvb_seq, res->lvb_seq + 1);
        tx_put(ls, &res->flags, res->flags & ~RES_VALNOTVALID);
    }
    /* As Linux: only a request for the value block hears of its state. */
    if ((res->flags & RES_VALNOTVALID) && (lock->flags & ENGINE_LKF_VALBLK))
        tx_put(ls, &lock->sbflags, lock->sbflags | ENGINE_SBF_VALNOTVALID);
}

void grant_unlock_lvb(struct engine_ls *ls, struct seg_resource *res, struct seg_lock *lock,
                      uint32_t flags)
{
    if (lock->grmode < ENGINE_MODE_PW)
        return;
    if (flags & ENGINE_LKF_IVVALBLK) {
        tx_put(ls, &res->flags, res->flags | RES_VALNOTVALID);
    } else if (flags & ENGINE_LKF_VALBLK) {
        tx_put_bytes(ls, res->lvb, lock->lvb, ENGINE_LVB_LEN);
        tx_put(ls, &res->lvb_seq, res->lvb_seq + 1);
        tx_put(ls, &res->flags, res->flags & ~RES_VALNOTVALID);
    }
}

static void grant_lock(struct engine_ls *ls, struct seg_resource *res, struct seg_lock *lock)
{
    if (!mode_ok(lock->rqmode) || (lock->grmode != ENGINE_MODE_IV && !mode_ok(lock->grmode))) {
        ls->damaged = 1;
        return;
    }
    set_lvb_on_grant(ls, res, lock);
    tx_put(ls, &lock->grmode, (uint32_t)lock->rqmode);
    tx_put(ls, &lock->rqmode, (uint32_t)ENGINE_MODE_IV);
    if (lock->state != LOCK_FREE)
        queue_del(ls, res, lock);
    queue_add(ls, res, lock, QUEUE_GRANT, 0);
    tx_put(ls, &lock->highbast, ENGINE_MODE_NL);
}

enum grant_outcome grant_request(struct engine_ls *ls, struct seg_resource *res,
                                 struct seg_lock *lock)
{
    int deadlock;

    if (can_be_granted(ls, res, lock, 1, &deadlock)) {
        grant_lock(ls, res, lock);
        return OUTCOME_GRANTED;
    }
    if (lock->flags & ENGINE_LKF_NOQUEUE)
        return OUTCOME_EAGAIN;
    queue_add(ls, res, lock, QUEUE_WAIT, (lock->flags & ENGINE_LKF_HEADQUE) != 0);
    return OUTCOME_QUEUED;
}

enum grant_outcome grant_convert(struct engine_ls *ls, struct seg_resource *res,
                                 struct seg_lock *lock)
{
    int deadlock;

    if (can_be_granted(ls, res, lock, 1, &deadlock)) {
        grant_lock(ls, res, lock);
        return OUTCOME_GRANTED;
    }
    if (deadlock && !(lock->flags & ENGINE_LKF_NODLCKWT)) {
        tx_put(ls, &lock->rqmode, (uint32_t)ENGINE_MODE_IV);
        return OUTCOME_EDEADLK;
    }
    if (lock->flags & ENGINE_LKF_NOQUEUE) {
        tx_put(ls, &lock->rqmode, (uint32_t)ENGINE_MODE_IV);
        return OUTCOME_EAGAIN;
    }
    queue_del(ls, res, lock);
    queue_add(ls, res, lock, QUEUE_CONVERT, (lock->flags & ENGINE_LKF_HEADQUE) != 0);
    return OUTCOME_QUEUED;
}

/* Post a blocking notification for mode to a granted lock, once per mode
 * level since it was granted (Linux's lkb_highbast). */
static void send_bast(struct engine_ls *ls, struct seg_lock *holder, int mode, uint64_t hint)
{
    proc_post_bast(ls, holder, mode, hint);
    tx_put(ls, &holder->highbast, (uint32_t)mode);
    tx_commit(ls);
}

/* PR and CW block each other though neither is "higher". */
static int requires_bast(const struct seg_lock *holder, int mode)
{
    if ((holder->grmode == ENGINE_MODE_PR && mode == ENGINE_MODE_CW)
        || (holder->grmode == ENGINE_MODE_CW && mode == ENGINE_MODE_PR))
        return holder->highbast < ENGINE_MODE_EX;
    return holder->highbast < mode && !modes_compatible(holder->grmode, mode);
}

void grant_send_blocking(struct engine_ls *ls, struct seg_resource *res,
                         const struct seg_lock *blocked, int mode, uint64_t hint,
                         int all_queues)
{
    enum queue q;

    for (q = QUEUE_GRANT; q <= (all_queues ? QUEUE_CONVERT : QUEUE_GRANT); q++) {
        struct seg_lock *holder;
        uint32_t next, guard;

        QUEUE_FOREACH(ls, res, q, holder, next, guard) {
            if (holder != blocked && (holder->flags & LOCK_HAS_BAST)
                && requires_bast(holder, mode))
                send_bast(ls, holder, mode, hint);
        }
    }
}

static void grant_and_notify(struct engine_ls *ls, struct seg_resource *res,
                             struct seg_lock *lock)
{
    grant_lock(ls, res, lock);
    proc_post_ast(ls, lock, 0);
    tx_commit(ls);
}

/* What the requests still queued want: the highest mode, whether one
 * wants CW, and the hint of the first to want each (for the blocking
 * notifications their holders get). */
struct wanted {
    int high;
    uint64_t high_hint;
    int cw;
    uint64_t cw_hint;
};

static void note_wanted(struct wanted *w, const struct seg_lock *lock)
{
    if (lock->rqmode > w->high) {
        w->high = lock->rqmode;
        w->high_hint = lock_hint(lock);
    }
    if (lock->rqmode == ENGINE_MODE_CW && !w->cw) {
        w->cw = 1;
        w->cw_hint = lock_hint(lock);
    }
}

/* The conversion queue, in order, until nothing more can be granted;
 * notes in w what is still wanted there. */
static void grant_pending_convert(struct engine_ls *ls, struct seg_resource *res,
                                  struct wanted *w)
{
    int granted, demoted_restart, quit = 0;

    do {
        struct seg_lock *lock;
        uint32_t next, guard;

        granted = 0;
        demoted_restart = 0;
        w->high = ENGINE_MODE_IV;
        QUEUE_FOREACH(ls, res, QUEUE_CONVERT, lock, next, guard) {
            int was_demoted = (lock->sbflags & ENGINE_SBF_DEMOTED) != 0;
            int deadlock;

            if (can_be_granted(ls, res, lock, 0, &deadlock)) {
                grant_and_notify(ls, res, lock);
                granted = 1;
                continue;
            }
            if (!was_demoted && (lock->sbflags & ENGINE_SBF_DEMOTED)) {
                tx_commit(ls);
                demoted_restart = 1;
                continue;
            }
            if (deadlock) {
                /* NODLCKWT: tell the holder it blocks, and let it decide. */
                if ((lock->flags & ENGINE_LKF_NODLCKWT) && lock->highbast < lock->rqmode
                    && (lock->flags & LOCK_HAS_BAST))
                    send_bast(ls, lock, lock->rqmode, lock_hint(lock));
                continue;
            }
            note_wanted(w, lock);
        }
        if (demoted_restart && !granted) {
            if (quit)
                break;
            quit = 1;
            granted = 1;
        }
    } while (granted && !ls->damaged);
}

static void grant_pending_wait(struct engine_ls *ls, struct seg_resource *res,
                               struct wanted *w)
{
    struct seg_lock *lock;
    uint32_t next, guard;

    QUEUE_FOREACH(ls, res, QUEUE_WAIT, lock, next, guard) {
        int deadlock;

        if (can_be_granted(ls, res, lock, 0, &deadlock)) {
            grant_and_notify(ls, res, lock);
            continue;
        }
        note_wanted(w, lock);
    }
}

static void run_pending(struct engine_ls *ls, struct seg_resource *res)
{
    struct wanted w = { ENGINE_MODE_IV, 0, 0, 0 };
    struct seg_lock *holder;
    uint32_t next, guard;

    grant_pending_convert(ls, res, &w);
    grant_pending_wait(ls, res, &w);
    if (w.high == ENGINE_MODE_IV || ls->damaged)
        return;
    /* Blocking notifications to the holders of what is still wanted; a PR
     * holder blocking a CW request is told CW. */
    QUEUE_FOREACH(ls, res, QUEUE_GRANT, holder, next, guard) {
        if (!(holder->flags & LOCK_HAS_BAST))
            continue;
        if (w.cw && w.high == ENGINE_MODE_PR && holder->grmode == ENGINE_MODE_PR) {
            if (holder->highbast < ENGINE_MODE_EX)
                send_bast(ls, holder, ENGINE_MODE_CW, w.cw_hint);
        } else if (requires_bast(holder, w.high)) {
            send_bast(ls, holder, w.high, w.high_hint);
        }
    }
}

void grant_pending(struct engine_ls *ls, struct seg_resource *res)
{
    struct seg_header *hdr = ls->hdr;

    if (ls->damaged || ls->undo_overflow)
        return;
    tx_put(ls, &hdr->dirty_resource, resource_index(ls, res));
    tx_commit(ls);
    run_pending(ls, res);
    if (ls->damaged)
        return;
    tx_put(ls, &hdr->dirty_resource, 0);
    resource_release_if_unused(ls, res);
    tx_commit(ls);
}

void grant_finish_pending(struct engine_ls *ls)
{
    uint32_t index = ls->hdr->dirty_resource;
    struct seg_resource *res;

    if (index == 0)
        return;
    res = resource_at(ls, index);
    if (!res->in_use || ls->damaged) {
        tx_put(ls, &ls->hdr->dirty_resource, 0);
        tx_commit(ls);
        return;
    }
    grant_pending(ls, res);
}
