/*
 * Counting the system calls a piece of code makes, without perf or
 * strace: the code runs in a thread of its own under a seccomp filter
 * that hands every system call to a supervisor (the calling thread),
 * which counts it and lets it proceed (SECCOMP_RET_USER_NOTIF with
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE, Linux 5.5 and later).  Nothing else
 * of the process is filtered, and the filter ends with that thread.
 */
#ifndef DLM_BENCH_SYSCOUNT_H
#define DLM_BENCH_SYSCOUNT_H

#define SYSCOUNT_TOP 3

struct syscount {
    long total;                     /* system calls made by body */
    long top_count[SYSCOUNT_TOP];   /* the most frequent ones */
    int top_nr[SYSCOUNT_TOP];
};

/* Run body(arg) twice in a thread of its own, counting the system calls
 * of the second run (the first sets the thread up).  0 with *out filled,
 * or -1 when the kernel refuses the filter (why in errno). */
int syscount_run(void (*body)(void *arg), void *arg, struct syscount *out);

/* "futex", "write", ... or "nr N" for one not named here. */
const char *syscount_name(int nr, char *buf, unsigned int size);

/* A short text for a note: "0 syscalls/op", "2.0 syscalls/op (fcntl)". */
void syscount_describe(const struct syscount *count, double ops, char *buf, unsigned int size);

#endif
