#include "syscount.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_NR 1024

struct counted {
    void (*body)(void *);
    void *arg;
    int listener;           /* set by the counted thread: fd, or -errno */
    int window;             /* the counted thread is inside body */
    long calls[MAX_NR];     /* made inside the window, by number */
    long total;             /* supervisor's count, all of the thread's calls */
    long before, after;     /* total as the thread saw it around body */
};

static void *counted_thread(void *p)
{
    struct counted *c = p;
    struct sock_filter notify_all[] = {
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
    };
    struct sock_fprog program = { 1, notify_all };
    long fd;

    /* An unprivileged filter needs no_new_privs, which is per thread. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        __atomic_store_n(&c->listener, -errno, __ATOMIC_RELEASE);
        return NULL;
    }
    fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
                 &program);
    if (fd < 0) {
        __atomic_store_n(&c->listener, -errno, __ATOMIC_RELEASE);
        return NULL;
    }
    /* From here every system call waits for the supervisor, which starts
     * once it sees the descriptor: announce it with memory alone. */
    __atomic_store_n(&c->listener, (int)fd, __ATOMIC_RELEASE);
    /* A first run, not counted, sets the new thread up (its malloc arena
     * above all), as a long-lived thread of an application would be. */
    c->body(c->arg);
    c->before = __atomic_load_n(&c->total, __ATOMIC_ACQUIRE);
    __atomic_store_n(&c->window, 1, __ATOMIC_RELEASE);
    c->body(c->arg);
    __atomic_store_n(&c->window, 0, __ATOMIC_RELEASE);
    c->after = __atomic_load_n(&c->total, __ATOMIC_ACQUIRE);
    return NULL;
}

/* Let every notified call proceed, counting it, until the filtered
 * thread is gone. */
static void supervise(struct counted *c)
{
    struct seccomp_notif request;
    struct seccomp_notif_resp response;
    struct pollfd pfd = { c->listener, POLLIN, 0 };

    for (;;) {
        if (poll(&pfd, 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (!(pfd.revents & POLLIN))
            return;         /* POLLHUP: no filtered thread left */
        memset(&request, 0, sizeof request);
        if (ioctl(c->listener, SECCOMP_IOCTL_NOTIF_RECV, &request) != 0) {
            if (errno == EINTR || errno == ENOENT)
                continue;
            return;
        }
        if (__atomic_load_n(&c->window, __ATOMIC_ACQUIRE) && request.data.nr < MAX_NR)
            c->calls[request.data.nr]++;
        __atomic_add_fetch(&c->total, 1, __ATOMIC_ACQ_REL);
        memset(&response, 0, sizeof response);
        response.id = request.id;
        response.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        ioctl(c->listener, SECCOMP_IOCTL_NOTIF_SEND, &response);
    }
}

static void rank(const struct counted *c, struct syscount *out)
{
    int nr, i, j;

    for (i = 0; i < SYSCOUNT_TOP; i++) {
        out->top_nr[i] = -1;
        out->top_count[i] = 0;
    }
    for (nr = 0; nr < MAX_NR; nr++) {
        for (i = 0; i < SYSCOUNT_TOP && c->calls[nr] <= out->top_count[i]; i++)
            ;
        if (i == SYSCOUNT_TOP)
            continue;
        for (j = SYSCOUNT_TOP - 1; j > i; j--) {
            out->top_nr[j] = out->top_nr[j - 1];
            out->top_count[j] = out->top_count[j - 1];
        }
        out->top_nr[i] = nr;
        out->top_count[i] = c->calls[nr];
    }
}

int syscount_run(void (*body)(void *arg), void *arg, struct syscount *out)
{
    static struct counted c;        /* large: kept off the stack */
    pthread_t thread;
    int fd, rc;

    memset(&c, 0, sizeof c);
    c.body = body;
    c.arg = arg;
    rc = pthread_create(&thread, NULL, counted_thread, &c);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    while ((fd = __atomic_load_n(&c.listener, __ATOMIC_ACQUIRE)) == 0)
        sched_yield();
    if (fd > 0) {
        supervise(&c);
        close(fd);
    }
    pthread_join(thread, NULL);
    if (fd < 0) {
        errno = -fd;
        return -1;
    }
    out->total = c.after - c.before;
    rank(&c, out);
    return 0;
}

const char *syscount_name(int nr, char *buf, unsigned int size)
{
    static const struct {
        int nr;
        const char *name;
    } known[] = {
        { SYS_futex, "futex" }, { SYS_read, "read" }, { SYS_write, "write" },
        { SYS_fcntl, "fcntl" }, { SYS_flock, "flock" }, { SYS_kill, "kill" },
        { SYS_tgkill, "tgkill" }, { SYS_getpid, "getpid" }, { SYS_gettid, "gettid" },
        { SYS_rt_sigprocmask, "rt_sigprocmask" }, { SYS_brk, "brk" }, { SYS_mmap, "mmap" },
        { SYS_munmap, "munmap" }, { SYS_madvise, "madvise" },
        { SYS_clock_gettime, "clock_gettime" }, { SYS_poll, "poll" }, { SYS_ppoll, "ppoll" },
#ifdef SYS_futex_waitv
        { SYS_futex_waitv, "futex_waitv" },
#endif
    };
    size_t i;

    for (i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].nr == nr)
            return known[i].name;
    snprintf(buf, size, "nr %d", nr);
    return buf;
}

void syscount_describe(const struct syscount *count, double ops, char *buf, unsigned int size)
{
    char name[24];
    int used;
    int i;

    used = snprintf(buf, size, "%.2g syscalls/op", ops > 0 ? (double)count->total / ops : 0.0);
    for (i = 0; i < SYSCOUNT_TOP && count->top_count[i] > 0 && used > 0 && (unsigned)used < size;
         i++)
        used += snprintf(buf + used, size - (unsigned)used, "%s%s", i == 0 ? " (" : " ",
                         syscount_name(count->top_nr[i], name, sizeof name));
    if (count->top_count[0] > 0 && used > 0 && (unsigned)used < size)
        snprintf(buf + used, size - (unsigned)used, ")");
}
