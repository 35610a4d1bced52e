#include "child.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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

static int read_all(int fd, void *buf, size_t len)
{
    char *p = buf;

    while (len > 0) {
        ssize_t n = read(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

void measurement_init(struct measurement *m)
{
    memset(m, 0, sizeof *m);
    m->syscalls_per_op = m->bytes_per_lock = m->max_ns = -1;
}

int measurement_send(int fd, const struct measurement *m)
{
    if (write_all(fd, m, sizeof *m) != 0
        || (m->nsamples != 0 && write_all(fd, m->samples, m->nsamples * sizeof *m->samples) != 0))
        return -1;
    return 0;
}

int measurement_receive(int fd, struct measurement *m)
{
    int got = read_all(fd, m, sizeof *m) == 0;

    m->samples = NULL;
    if (got && m->nsamples != 0) {
        m->samples = calloc(m->nsamples, sizeof *m->samples);
        got = m->samples != NULL
              && read_all(fd, m->samples, m->nsamples * sizeof *m->samples) == 0;
    }
    if (!got) {
        measurement_free(m);
        return -1;
    }
    return 0;
}

/* The child: measure, send the measurement. */
static void run_child(int fd, int (*body)(void *, struct measurement *), void *arg)
{
    struct measurement m;

    measurement_init(&m);
    if (body(arg, &m) != 0)
        m.failed = 1;
    _exit(measurement_send(fd, &m) == 0 ? 0 : 1);
}

int child_measure(int (*body)(void *arg, struct measurement *m), void *arg,
                  struct measurement *m)
{
    int fds[2], status = 0, got;
    pid_t pid;

    measurement_init(m);
    fflush(NULL);
    if (pipe(fds) != 0 || (pid = fork()) < 0) {
        m->failed = 1;
        snprintf(m->note, sizeof m->note, "cannot start a child: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        run_child(fds[1], body, arg);
    }
    close(fds[1]);
    got = measurement_receive(fds[0], m) == 0;
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!got) {
        measurement_init(m);
        m->failed = 1;
        snprintf(m->note, sizeof m->note, "the child died (status %#x)", (unsigned)status);
    }
    return m->failed ? -1 : 0;
}

void measurement_free(struct measurement *m)
{
    free(m->samples);
    m->samples = NULL;
    m->nsamples = 0;
}

pid_t child_spawn(int (*body)(void *arg), void *arg)
{
    pid_t pid;

    fflush(NULL);
    pid = fork();
    if (pid == 0)
        _exit(body(arg));
    return pid;
}

int child_wait(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

void *shared_alloc(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

void shared_free(void *p, size_t size)
{
    if (p != NULL)
        munmap(p, size);
}

uint32_t word_get(const uint32_t *word)
{
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}

void word_wait_while(uint32_t *word, uint32_t unwanted)
{
    while (word_get(word) == unwanted)
        syscall(SYS_futex, word, FUTEX_WAIT, unwanted, NULL, NULL, 0);
}

void word_wake(uint32_t *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

void word_set(uint32_t *word, uint32_t value)
{
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
    word_wake(word);
}

void start_line_cross(struct start_line *line, uint32_t n)
{
    if (__atomic_add_fetch(&line->arrived, 1, __ATOMIC_ACQ_REL) == n)
        word_set(&line->go, 1);
    else
        word_wait_while(&line->go, 0);
}
