/*
 * partner.h - a second process for the examples that need two: fork(2)
 * with a pipe each way.  The two take turns by messages ("I hold it",
 * "let go"), never by sleeping: each waits for the other's word.
 *
 * The child of a fork owns none of its parent's locks or namespaces
 * (Tru64 ties both to the process), so the partner joins for itself.
 */
#ifndef PARTNER_H
#define PARTNER_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* One end of the conversation: what the other says arrives on in, what we
 * say leaves on out. */
struct partner {
    pid_t pid;                  /* of the partner, in the parent */
    int in, out;
};

/* Fork a partner that runs play(self) and exits with what it returns. */
static inline void partner_start(struct partner *p, int (*play)(struct partner *self))
{
    int down[2], up[2];         /* parent to partner, partner to parent */

    if (pipe(down) != 0 || pipe(up) != 0) {
        perror("pipe");
        exit(1);
    }
    signal(SIGPIPE, SIG_IGN);   /* a partner gone is a failed write */
    fflush(NULL);               /* or the child would print it again */
    p->pid = fork();
    if (p->pid < 0) {
        perror("fork");
        exit(1);
    }
    if (p->pid == 0) {
        struct partner self = { 0, down[0], up[1] };

        close(down[1]);
        close(up[0]);
        exit(play(&self));
    }
    close(down[0]);
    close(up[1]);
    p->in = up[0];
    p->out = down[1];
}

static inline void tell(const struct partner *p, int word)
{
    if (write(p->out, &word, sizeof word) != (ssize_t)sizeof word) {
        fprintf(stderr, "the other process has gone\n");
        exit(1);
    }
}

/* Wait for the other's next word. */
static inline int hear(const struct partner *p)
{
    int word;

    if (read(p->in, &word, sizeof word) != (ssize_t)sizeof word) {
        fprintf(stderr, "the other process has gone\n");
        exit(1);
    }
    return word;
}

/* Hang up and wait for the partner to end; its wait status, or -1. */
static inline int partner_reap(struct partner *p)
{
    int status;

    close(p->out);
    close(p->in);
    return waitpid(p->pid, &status, 0) == p->pid ? status : -1;
}

/* Wait for the partner to end; 0 when it ended well. */
static inline int partner_finish(struct partner *p)
{
    int status = partner_reap(p);

    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Kill the partner with SIGKILL, which it can neither catch nor clean up
 * after: it dies holding what it holds.  0 once it is dead of it. */
static inline int partner_kill(struct partner *p)
{
    int status;

    if (kill(p->pid, SIGKILL) != 0)
        return -1;
    status = partner_reap(p);
    return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : -1;
}

#endif
