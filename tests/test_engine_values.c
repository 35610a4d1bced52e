/*
 * The embedded engine's value blocks and notifications, one test per
 * rule, as the Linux DLM has them (fs/dlm/lock.c dlm_lvb_operations,
 * set_lvb_unlock, unlock_proc_lock; the VMS rule: read on the way up,
 * written on the way down from PW or EX):
 *
 *  - a grant returns the 32-byte value block when VALBLK is asked;
 *  - a down-conversion or an unlock from PW or EX writes it when asked,
 *    from a lower mode never;
 *  - IVVALBLK, or the death of a PW or EX holder, marks it invalid, and
 *    grants say so (ENGINE_SBF_VALNOTVALID) until a PW or EX holder
 *    writes it again;
 *  - completion and blocking routines reach the owning process, and only
 *    it, promptly, with the blocked mode; none runs for a request that
 *    completed within the call.
 *
 * Readers and victims are peer processes (engine_actors.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "engine_actors.h"
#include "engine_fixture.h"
#include "harness.h"

#define CONVERT ENGINE_LKF_CONVERT
#define VALBLK  ENGINE_LKF_VALBLK
#define READER  (PEER_SLOTS - 1)    /* the peer's slot for reading values */
#define ANY     (-1)                /* any contents */

static void fill(char *lvb, int byte)
{
    memset(lvb, byte, ENGINE_LVB_LEN);
}

/* Are all 32 bytes that byte (or is byte ANY)? */
static int filled_with(const char *lvb, int byte)
{
    int i;

    for (i = 0; i < ENGINE_LVB_LEN && byte != ANY; i++) {
        if (lvb[i] != (char)byte)
            return 0;
    }
    return 1;
}

static int says_valid(const struct engine_lksb *lksb)
{
    return !(lksb->flags & ENGINE_SBF_VALNOTVALID);
}

/* The peer reads the value block of the named resource with a new NL
 * request: 1 when it is all that byte and is reported valid or not as
 * said. */
static int peer_reads(struct peer *peer, const char *name, int byte, int valid)
{
    char poison[ENGINE_LVB_LEN];
    const struct tracked *t = &peer->last.lock;
    int ok;

    fill(poison, 0x7f);
    if (peer_put_lvb(peer, READER, poison) != 0
        || !peer_granted_now(peer, READER, ENGINE_MODE_NL, VALBLK, name))
        return 0;
    ok = filled_with(t->lvb, byte) && says_valid(&t->lksb) == valid;
    if (!ok)
        fprintf(stderr, "\n    %s: read %#x... %s, wanted %#x... %s\n", name,
                (unsigned char)t->lvb[0], says_valid(&t->lksb) ? "valid" : "invalid",
                (unsigned int)byte & 0xff, valid ? "valid" : "invalid");
    return peer_released(peer, READER) && ok;
}

/* --- Value blocks ----------------------------------------------------------------- */

/* A grant returns the value block when VALBLK is asked - new request, up
 * conversion (PW to EX included), or a queued request granted later - and
 * leaves the caller's buffer alone when not. */
static void value_returned_on_grant_with_valblk(void)
{
    struct tracked writer, queued_reader;
    char mark[ENGINE_LVB_LEN];
    struct scene s;

    scene_open(&s, "lvbread");
    tracked_init(&writer);
    tracked_init(&queued_reader);
    CU_ASSERT_FATAL(granted_now(s.ls, &writer, ENGINE_MODE_EX, VALBLK, "r"));
    CU_ASSERT(filled_with(writer.lvb, 0) && says_valid(&writer.lksb));   /* a new block */
    fill(writer.lvb, 'a');
    CU_ASSERT_FATAL(granted_now(s.ls, &writer, ENGINE_MODE_NL, CONVERT | VALBLK, NULL));

    CU_ASSERT(peer_reads(&s.peer, "r", 'a', 1));
    fill(mark, 'z');
    CU_ASSERT(peer_put_lvb(&s.peer, 1, mark) == 0
              && peer_granted_now(&s.peer, 1, ENGINE_MODE_CR, 0, "r"));
    CU_ASSERT(filled_with(s.peer.last.lock.lvb, 'z'));   /* no VALBLK: untouched */
    fill(writer.lvb, 0);
    CU_ASSERT(granted_now(s.ls, &writer, ENGINE_MODE_PR, CONVERT | VALBLK, NULL));
    CU_ASSERT(filled_with(writer.lvb, 'a'));
    CU_ASSERT(peer_released(&s.peer, 1));
    fill(writer.lvb, 0);
    CU_ASSERT(granted_now(s.ls, &writer, ENGINE_MODE_PW, CONVERT | VALBLK, NULL));
    CU_ASSERT(filled_with(writer.lvb, 'a'));
    fill(writer.lvb, 0);
    CU_ASSERT(granted_now(s.ls, &writer, ENGINE_MODE_EX, CONVERT | VALBLK, NULL));
    CU_ASSERT(filled_with(writer.lvb, 'a'));            /* PW to EX reads, too */
    CU_ASSERT(granted_now(s.ls, &writer, ENGINE_MODE_NL, CONVERT, NULL));

    /* Queued behind the peer's EX, granted when it writes on its way down. */
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 2, ENGINE_MODE_EX, VALBLK, "rq"));
    CU_ASSERT_FATAL(queued(s.ls, &queued_reader, ENGINE_MODE_PR, VALBLK, "rq"));
    fill(mark, 'b');
    CU_ASSERT(peer_put_lvb(&s.peer, 2, mark) == 0
              && peer_granted_now(&s.peer, 2, ENGINE_MODE_NL, CONVERT | VALBLK, NULL));
    CU_ASSERT(completes(s.ls, &queued_reader, 0));
    CU_ASSERT(filled_with(queued_reader.lvb, 'b') && says_valid(&queued_reader.lksb));

    CU_ASSERT(released(s.ls, &writer) && released(s.ls, &queued_reader));
    CU_ASSERT(peer_released(&s.peer, 2));
    scene_close(&s);
}

/* A down-conversion with VALBLK writes the value block from PW or EX,
 * not from a lower mode; without VALBLK it writes nothing. */
static void down_conversion_writes_from_pw_ex_only(void)
{
    struct scene s;
    int from, to;

    scene_open(&s, "lvbdown");
    for (from = ENGINE_MODE_CR; from <= ENGINE_MODE_EX; from++) {
        for (to = ENGINE_MODE_NL; to < from; to++) {
            int byte = 'A' + from * ENGINE_NMODES + to;
            int written = from >= ENGINE_MODE_PW;
            struct tracked t;
            char name[32];
            int ok;

            snprintf(name, sizeof name, "d%d%d", from, to);
            tracked_init(&t);
            CU_ASSERT_FATAL(granted_now(s.ls, &t, from, VALBLK, name));
            fill(t.lvb, byte);
            ok = granted_now(s.ls, &t, to, CONVERT | VALBLK, NULL)
                 && peer_reads(&s.peer, name, written ? byte : 0, 1);
            ok = released(s.ls, &t) && ok;
            if (!ok)
                fprintf(stderr, "    from %s down to %s\n", mode_name(from), mode_name(to));
            CU_ASSERT(ok);
        }
    }
    for (from = ENGINE_MODE_PW; from <= ENGINE_MODE_EX; from++) {
        struct tracked t;

        tracked_init(&t);
        CU_ASSERT_FATAL(granted_now(s.ls, &t, from, VALBLK, "quiet"));
        fill(t.lvb, 'q');
        CU_ASSERT(granted_now(s.ls, &t, ENGINE_MODE_NL, CONVERT, NULL));
        CU_ASSERT(peer_reads(&s.peer, "quiet", 0, 1));
        CU_ASSERT(released(s.ls, &t));
    }
    scene_close(&s);
}

/* An unlock with VALBLK writes the value block from PW or EX, not from a
 * lower mode; without VALBLK it writes nothing.  (An NL lock keeps the
 * resource, and its value, in being.) */
static void unlock_writes_from_pw_ex_only(void)
{
    struct tracked keeper;
    struct scene s;
    int from;

    scene_open(&s, "lvbunlock");
    for (from = ENGINE_MODE_NL; from <= ENGINE_MODE_EX; from++) {
        int byte = 'a' + from;
        struct tracked t;
        char name[32];
        int ok;

        snprintf(name, sizeof name, "u%d", from);
        tracked_init(&t);
        tracked_init(&keeper);
        CU_ASSERT_FATAL(granted_now(s.ls, &keeper, ENGINE_MODE_NL, 0, name));
        CU_ASSERT_FATAL(granted_now(s.ls, &t, from, VALBLK, name));
        fill(t.lvb, byte);
        ok = done_with(tracked_unlock(s.ls, &t, VALBLK), &t, ENGINE_EUNLOCK)
             && peer_reads(&s.peer, name, from >= ENGINE_MODE_PW ? byte : 0, 1);
        if (!ok)
            fprintf(stderr, "    unlock from %s\n", mode_name(from));
        CU_ASSERT(ok);
        CU_ASSERT(released(s.ls, &keeper));
    }

    {
        struct tracked t;

        tracked_init(&t);
        tracked_init(&keeper);
        CU_ASSERT_FATAL(granted_now(s.ls, &keeper, ENGINE_MODE_NL, 0, "quiet"));
        CU_ASSERT_FATAL(granted_now(s.ls, &t, ENGINE_MODE_EX, VALBLK, "quiet"));
        fill(t.lvb, 'q');
        CU_ASSERT(released(s.ls, &t));
        CU_ASSERT(peer_reads(&s.peer, "quiet", 0, 1));
        CU_ASSERT(released(s.ls, &keeper));
    }
    scene_close(&s);
}

/* IVVALBLK, on a down-conversion or an unlock from PW or EX, marks the
 * value block invalid: grants report ENGINE_SBF_VALNOTVALID until a PW or
 * EX holder writes it again (a lower holder cannot). */
static void ivvalblk_invalidates_until_rewritten(void)
{
    struct tracked keeper, writer, reader;
    struct scene s;

    scene_open(&s, "lvbinvalid");
    tracked_init(&keeper);
    tracked_init(&writer);
    tracked_init(&reader);
    CU_ASSERT_FATAL(granted_now(s.ls, &keeper, ENGINE_MODE_NL, 0, "iv"));
    CU_ASSERT_FATAL(granted_now(s.ls, &writer, ENGINE_MODE_EX, VALBLK, "iv"));
    fill(writer.lvb, 'v');
    CU_ASSERT_FATAL(granted_now(s.ls, &writer, ENGINE_MODE_NL, CONVERT | VALBLK, NULL));
    CU_ASSERT(peer_reads(&s.peer, "iv", 'v', 1));

    /* Invalidated by a down-conversion. */
    CU_ASSERT_FATAL(granted_now(s.ls, &writer, ENGINE_MODE_EX, CONVERT, NULL));
    CU_ASSERT(granted_now(s.ls, &writer, ENGINE_MODE_NL, CONVERT | ENGINE_LKF_IVVALBLK, NULL));
    CU_ASSERT(peer_reads(&s.peer, "iv", ANY, 0));

    /* A PR holder is told, and cannot make it valid. */
    CU_ASSERT(granted_now(s.ls, &reader, ENGINE_MODE_PR, VALBLK, "iv"));
    CU_ASSERT(!says_valid(&reader.lksb));
    fill(reader.lvb, 'p');
    CU_ASSERT(done_with(tracked_unlock(s.ls, &reader, VALBLK), &reader, ENGINE_EUNLOCK));
    CU_ASSERT(peer_reads(&s.peer, "iv", ANY, 0));

    /* A PW holder writes it: valid again. */
    CU_ASSERT(granted_now(s.ls, &writer, ENGINE_MODE_PW, CONVERT | VALBLK, NULL));
    CU_ASSERT(!says_valid(&writer.lksb));
    fill(writer.lvb, 'w');
    CU_ASSERT(granted_now(s.ls, &writer, ENGINE_MODE_NL, CONVERT | VALBLK, NULL));
    CU_ASSERT(peer_reads(&s.peer, "iv", 'w', 1));

    /* Invalidated by an unlock, made valid by an unlock. */
    CU_ASSERT(granted_now(s.ls, &writer, ENGINE_MODE_EX, CONVERT, NULL));
    CU_ASSERT(done_with(tracked_unlock(s.ls, &writer, ENGINE_LKF_IVVALBLK), &writer,
                        ENGINE_EUNLOCK));
    CU_ASSERT(peer_reads(&s.peer, "iv", ANY, 0));
    tracked_init(&writer);
    CU_ASSERT(granted_now(s.ls, &writer, ENGINE_MODE_PW, VALBLK, "iv"));
    fill(writer.lvb, 'y');
    CU_ASSERT(done_with(tracked_unlock(s.ls, &writer, VALBLK), &writer, ENGINE_EUNLOCK));
    CU_ASSERT(peer_reads(&s.peer, "iv", 'y', 1));

    CU_ASSERT(released(s.ls, &keeper));
    scene_close(&s);
}

/* A process that dies holding PW or EX - by _exit or SIGKILL - leaves the
 * value block invalid (Linux unlocks its locks with IVVALBLK), and the
 * very next grant, in any process, says so; its lock is gone at once.  A
 * PR holder's death leaves the block valid. */
static void dead_pw_ex_holder_invalidates_value(void)
{
    static const struct { int mode, sig; } deaths[] = {
        { ENGINE_MODE_PW, SIGKILL }, { ENGINE_MODE_PW, 0 },
        { ENGINE_MODE_EX, SIGKILL }, { ENGINE_MODE_EX, 0 },
        { ENGINE_MODE_PR, SIGKILL }, { ENGINE_MODE_PR, 0 },
    };
    struct scene s;
    unsigned int i;

    scene_open(&s, "lvbdeath");
    for (i = 0; i < sizeof deaths / sizeof deaths[0]; i++) {
        int invalid = deaths[i].mode >= ENGINE_MODE_PW;
        struct tracked keeper;
        struct peer victim;
        char name[32];
        int ok;

        snprintf(name, sizeof name, "k%u", i);
        tracked_init(&keeper);
        CU_ASSERT_FATAL(granted_now(s.ls, &keeper, ENGINE_MODE_NL, 0, name));
        CU_ASSERT_FATAL(peer_start(&victim, "lvbdeath") == 0);
        CU_ASSERT_FATAL(peer_granted_now(&victim, 0, deaths[i].mode, VALBLK, name));
        CU_ASSERT_FATAL(peer_die(&victim, deaths[i].sig) == 0);

        /* No one has looked at the lockspace since the death. */
        ok = peer_reads(&s.peer, name, ANY, !invalid)
             && peer_probe(&s.peer, ENGINE_MODE_EX, name) == 1;
        if (!ok)
            fprintf(stderr, "    %s holder ended by %s\n", mode_name(deaths[i].mode),
                    deaths[i].sig ? "SIGKILL" : "_exit");
        CU_ASSERT(ok);
        CU_ASSERT(released(s.ls, &keeper));
    }
    scene_close(&s);
}

/* --- Notifications ---------------------------------------------------------------- */

/* Is the process asleep (state S in /proc/PID/stat)?  Waits, boundedly,
 * for it to be. */
static int asleep(pid_t pid)
{
    struct timespec start, now;
    char path[32], buf[256];

    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        FILE *f = fopen(path, "r");
        const char *state = NULL;

        if (f != NULL) {
            if (fgets(buf, sizeof buf, f) != NULL && (state = strrchr(buf, ')')) != NULL)
                state += 2;
            fclose(f);
        }
        if (state != NULL && *state == 'S')
            return 1;
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (now.tv_sec - start.tv_sec < 10);
    return 0;
}

/* A grant caused by one process reaches another blocked in engine wait()
 * at once: its wait ends without timing out, and the completion runs. */
static void grant_wakes_a_process_blocked_in_wait(void)
{
    struct tracked holder;
    struct scene s;

    scene_open(&s, "wake");
    tracked_init(&holder);
    CU_ASSERT_FATAL(granted_now(s.ls, &holder, ENGINE_MODE_EX, 0, "w"));
    CU_ASSERT_FATAL(peer_queued(&s.peer, 0, ENGINE_MODE_EX, 0, "w"));
    CU_ASSERT_FATAL(peer_await_begin(&s.peer, 0, 10000) == 0);
    CU_ASSERT(asleep(s.peer.pid));
    CU_ASSERT(released(s.ls, &holder));
    CU_ASSERT_EQUAL(peer_await_end(&s.peer), 0);            /* no wait timed out */
    CU_ASSERT_EQUAL(s.peer.last.lock.completions, 1);
    CU_ASSERT_EQUAL(s.peer.last.lock.lksb.status, 0);
    CU_ASSERT(peer_released(&s.peer, 0));
    scene_close(&s);
}

/* The death of the holder wakes a process blocked in engine wait() for
 * its lock at once: the dead process's locks go, the waiter is granted. */
static void holder_death_wakes_a_process_blocked_in_wait(void)
{
    struct peer victim;
    struct scene s;

    scene_open(&s, "deathwake");
    CU_ASSERT_FATAL(peer_start(&victim, "deathwake") == 0);
    CU_ASSERT_FATAL(peer_granted_now(&victim, 0, ENGINE_MODE_EX, 0, "w"));
    CU_ASSERT_FATAL(peer_queued(&s.peer, 0, ENGINE_MODE_EX, 0, "w"));
    CU_ASSERT_FATAL(peer_await_begin(&s.peer, 0, 10000) == 0);
    CU_ASSERT(asleep(s.peer.pid));
    CU_ASSERT(peer_die(&victim, SIGKILL) == 0);
    CU_ASSERT_EQUAL(peer_await_end(&s.peer), 0);            /* no wait timed out */
    CU_ASSERT_EQUAL(s.peer.last.lock.completions, 1);
    CU_ASSERT_EQUAL(s.peer.last.lock.lksb.status, 0);
    CU_ASSERT(peer_released(&s.peer, 0));
    scene_close(&s);
}

/* The peer's slot after its routines ran: blocking calls had, and the
 * mode of the latest. */
static int peer_blocked(struct peer *peer, int slot, int count, int mode)
{
    const struct tracked *t = peer_look(peer, slot);
    int ok = t != NULL && t->blocks == count && (count == 0 || t->blocked_mode == mode);

    if (!ok && t != NULL)
        fprintf(stderr, "\n    %d blocking calls, the latest for %s; wanted %d for %s\n",
                t->blocks, mode_name(t->blocked_mode), count, mode_name(mode));
    return ok;
}

/* Queue a request of the test's for mode on name, and take it back. */
static int request_and_cancel(struct engine_ls *ls, struct tracked *t, int mode,
                              const char *name)
{
    tracked_init(t);
    return queued(ls, t, mode, 0, name)
           && done_with(tracked_unlock(ls, t, ENGINE_LKF_CANCEL), t, ENGINE_ECANCEL);
}

/* A holder's blocking routine is given the mode of the request it blocks,
 * whatever that mode; a higher request later gets another call (Linux
 * lkb_highbast), and a PR holder blocking CW is told CW. */
static void blocking_call_carries_the_blocked_mode(void)
{
    struct tracked first, second;
    struct scene s;
    int mode;

    scene_open(&s, "bastmode");
    for (mode = ENGINE_MODE_CR; mode <= ENGINE_MODE_EX; mode++) {
        char name[32];

        snprintf(name, sizeof name, "b%d", mode);
        CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_EX, 0, name));
        CU_ASSERT(request_and_cancel(s.ls, &first, mode, name));
        CU_ASSERT(peer_blocked(&s.peer, 0, 1, mode));
        CU_ASSERT_EQUAL(s.peer.last.lock.block_pid, s.peer.pid);
        CU_ASSERT(peer_released(&s.peer, 0));
    }

    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "pr"));
    CU_ASSERT(request_and_cancel(s.ls, &first, ENGINE_MODE_CW, "pr"));
    CU_ASSERT(peer_blocked(&s.peer, 0, 1, ENGINE_MODE_CW));
    CU_ASSERT(peer_released(&s.peer, 0));

    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_EX, 0, "up"));
    tracked_init(&first);
    tracked_init(&second);
    CU_ASSERT(queued(s.ls, &first, ENGINE_MODE_CR, 0, "up"));
    CU_ASSERT(peer_blocked(&s.peer, 0, 1, ENGINE_MODE_CR));
    CU_ASSERT(queued(s.ls, &second, ENGINE_MODE_EX, 0, "up"));
    CU_ASSERT(peer_blocked(&s.peer, 0, 2, ENGINE_MODE_EX));
    CU_ASSERT(done_with(tracked_unlock(s.ls, &first, ENGINE_LKF_CANCEL), &first,
                        ENGINE_ECANCEL));
    CU_ASSERT(done_with(tracked_unlock(s.ls, &second, ENGINE_LKF_CANCEL), &second,
                        ENGINE_ECANCEL));
    CU_ASSERT(peer_released(&s.peer, 0));

    /* A lock granted by a grant pass that leaves a request blocked behind
     * it is told at once (Linux grant_pending_locks). */
    tracked_init(&first);
    CU_ASSERT_FATAL(granted_now(s.ls, &first, ENGINE_MODE_EX, 0, "pass"));
    CU_ASSERT_FATAL(peer_queued(&s.peer, 1, ENGINE_MODE_PR, 0, "pass"));
    CU_ASSERT_FATAL(peer_queued(&s.peer, 2, ENGINE_MODE_EX, 0, "pass"));
    CU_ASSERT(released(s.ls, &first));
    CU_ASSERT(peer_completes(&s.peer, 1, 0));
    CU_ASSERT(peer_blocked(&s.peer, 1, 1, ENGINE_MODE_EX));
    CU_ASSERT(peer_released(&s.peer, 1));
    CU_ASSERT(peer_completes(&s.peer, 2, 0));
    CU_ASSERT(peer_released(&s.peer, 2));
    scene_close(&s);
}

/* The blocking routine hears the hint of the request it blocks (Tru64
 * passes the blocked requester's hint to the holder's routine). */
static void blocking_call_carries_the_blocked_hint(void)
{
    struct tracked holder, waiter;
    struct scene s;

    scene_open(&s, "hint");
    tracked_init(&holder);
    tracked_init(&waiter);
    CU_ASSERT_FATAL(granted_now(s.ls, &holder, ENGINE_MODE_EX, 0, "h"));
    waiter.lksb.hint = 0xfeedface12345678ull;
    CU_ASSERT_EQUAL_FATAL(tracked_lock(s.ls, &waiter, ENGINE_MODE_PR, 0, "h"), 0);
    CU_ASSERT_EQUAL(tracked_dispatch(s.ls), 1);
    CU_ASSERT_EQUAL(holder.blocks, 1);
    CU_ASSERT_EQUAL(holder.blocked_hint, 0xfeedface12345678ull);
    CU_ASSERT(released(s.ls, &holder));
    CU_ASSERT(tracked_await(s.ls, &waiter, 1000) >= 0);
    CU_ASSERT(released(s.ls, &waiter));
    scene_close(&s);
}

/* Routines run in the process that owns the lock, and in no other: the
 * holder's blocking routine in the holder, the waiter's completion in the
 * waiter. */
static void routines_run_in_the_owning_process(void)
{
    struct tracked holder;
    const struct tracked *waiter;
    struct scene s;

    scene_open(&s, "owner");
    tracked_init(&holder);
    CU_ASSERT_FATAL(granted_now(s.ls, &holder, ENGINE_MODE_EX, 0, "o"));
    CU_ASSERT_FATAL(peer_queued(&s.peer, 0, ENGINE_MODE_PR, 0, "o"));
    waiter = peer_look(&s.peer, 0);
    CU_ASSERT_FATAL(waiter != NULL);
    CU_ASSERT(waiter->blocks == 0 && waiter->completions == 0);

    CU_ASSERT_EQUAL(tracked_dispatch(s.ls), 1);
    CU_ASSERT_EQUAL(holder.blocks, 1);
    CU_ASSERT_EQUAL(holder.blocked_mode, ENGINE_MODE_PR);
    CU_ASSERT_EQUAL(holder.block_pid, getpid());

    CU_ASSERT(released(s.ls, &holder));
    CU_ASSERT(peer_completes(&s.peer, 0, 0));
    CU_ASSERT_EQUAL(s.peer.last.lock.completions, 1);
    CU_ASSERT_EQUAL(s.peer.last.lock.completion_pid, s.peer.pid);
    CU_ASSERT_NOT_EQUAL(s.peer.pid, getpid());
    CU_ASSERT_EQUAL(tracked_dispatch(s.ls), 0);
    CU_ASSERT_EQUAL(holder.completions, 0);
    CU_ASSERT(peer_released(&s.peer, 0));
    scene_close(&s);
}

/* Did no completion routine run for t, even after running what is due? */
static int no_completion(struct engine_ls *ls, const struct tracked *t)
{
    tracked_dispatch(ls);
    return t->completions == 0;
}

/* A request that completes within the call (ENGINE_DONE) - grant,
 * conversion up or down, NOQUEUE refusal, conversion deadlock, cancel,
 * unlock - gets no completion routine. */
static void no_completion_routine_for_done_requests(void)
{
    struct tracked t, refused, cancelled;
    struct scene s;

    scene_open(&s, "done");
    tracked_init(&t);
    tracked_init(&refused);
    CU_ASSERT_FATAL(peer_granted_now(&s.peer, 0, ENGINE_MODE_PR, 0, "d"));
    CU_ASSERT(granted_now(s.ls, &t, ENGINE_MODE_NL, VALBLK, "d") && no_completion(s.ls, &t));
    CU_ASSERT(granted_now(s.ls, &t, ENGINE_MODE_PR, CONVERT | VALBLK, NULL)
              && no_completion(s.ls, &t));
    CU_ASSERT(granted_now(s.ls, &t, ENGINE_MODE_CR, CONVERT, NULL) && no_completion(s.ls, &t));
    CU_ASSERT(done_with(tracked_lock(s.ls, &refused, ENGINE_MODE_EX, ENGINE_LKF_NOQUEUE, "d"),
                        &refused, ENGINE_EAGAIN) && no_completion(s.ls, &refused));
    CU_ASSERT(done_with(tracked_lock(s.ls, &t, ENGINE_MODE_EX, CONVERT | ENGINE_LKF_NOQUEUE,
                                     NULL), &t, ENGINE_EAGAIN) && no_completion(s.ls, &t));

    /* Conversion deadlock: the peer's PR waits for EX behind our PR. */
    CU_ASSERT(granted_now(s.ls, &t, ENGINE_MODE_PR, CONVERT, NULL));
    CU_ASSERT_FATAL(peer_queued(&s.peer, 0, ENGINE_MODE_EX, CONVERT, NULL));
    CU_ASSERT(done_with(tracked_lock(s.ls, &t, ENGINE_MODE_EX, CONVERT, NULL), &t,
                        ENGINE_EDEADLK) && no_completion(s.ls, &t));
    CU_ASSERT(request_and_cancel(s.ls, &cancelled, ENGINE_MODE_EX, "d")
              && no_completion(s.ls, &cancelled));

    CU_ASSERT(released(s.ls, &t) && no_completion(s.ls, &t));
    CU_ASSERT(peer_completes(&s.peer, 0, 0));
    CU_ASSERT(peer_released(&s.peer, 0));
    CU_ASSERT_EQUAL(s.peer.last.lock.completions, 1);   /* only its queued conversion */
    scene_close(&s);
}

static const struct harness_test value_tests[] = {
    { "a grant returns the value block with VALBLK", value_returned_on_grant_with_valblk },
    { "a down-conversion writes the value block from PW or EX only",
      down_conversion_writes_from_pw_ex_only },
    { "an unlock writes the value block from PW or EX only", unlock_writes_from_pw_ex_only },
    { "IVVALBLK invalidates the value block until rewritten",
      ivvalblk_invalidates_until_rewritten },
    { "a dead PW or EX holder invalidates the value block",
      dead_pw_ex_holder_invalidates_value },
    { NULL, NULL }
};

static const struct harness_test notification_tests[] = {
    { "a grant wakes a process blocked in wait", grant_wakes_a_process_blocked_in_wait },
    { "a holder's death wakes a process blocked in wait",
      holder_death_wakes_a_process_blocked_in_wait },
    { "a blocking call carries the blocked mode", blocking_call_carries_the_blocked_mode },
    { "a blocking call carries the blocked request's hint",
      blocking_call_carries_the_blocked_hint },
    { "routines run in the owning process", routines_run_in_the_owning_process },
    { "no completion routine runs for requests done within the call",
      no_completion_routine_for_done_requests },
    { NULL, NULL }
};

static const struct harness_suite values = { "values: value blocks", value_tests };
static const struct harness_suite notifications = { "values: notifications",
                                                    notification_tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &values, &notifications, NULL };

    return engine_fixture_main(suites);
}
