/*
 * A lock group's carrier and doors (group.h).
 *
 * Each member runs a carrier thread that reads the carrier, the open of
 * the lockspace device that holds the group's locks, and its own door, a
 * datagram socket in the abstract namespace named after the lockspace,
 * the group and the member's route:
 *
 *   - a result read from the carrier settles its lock's entry, and goes
 *     to the member its route names: into this process's backlog
 *     (dispatch.c), or to that member's door; a member that died hears
 *     nothing, and its request counts as heard;
 *   - DOOR_ASK from a joining member is answered with the carrier
 *     (SCM_RIGHTS), if the asker may use the lockspace device anyway;
 *   - DOOR_RESULT from a live member is a result of this member's, into
 *     the backlog.
 *
 * The door passes credentials (SO_PASSCRED): a datagram is taken only
 * from a process that may have sent it.
 */
/* F_OFD_SETLK, struct ucred, MSG_CMSG_CLOEXEC */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/dlm_device.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "group.h"

enum door_kind {
    DOOR_ASK = 1,       /* a joining member asks for the carrier */
    DOOR_CARRIER,       /* the answer, with the carrier */
    DOOR_RESULT         /* a result read for the receiver */
};

struct door_header {
    uint32_t kind;
    uint32_t group;
};

/* How long a member may take to answer its door. */
#define DOOR_TIMEOUT_MS 2000
#define DOOR_POLL_MS    50

struct door_message {
    struct door_header header;
    char result[];
};

static socklen_t door_address(const struct linux_group *g, uint64_t route,
                              struct sockaddr_un *addr)
{
    int n;

    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    /* sun_path[0] stays 0: the abstract namespace, gone with the socket. */
    n = snprintf(addr->sun_path + 1, sizeof addr->sun_path - 1, "dlm_tru64/%s/%u/%016llx",
                 g->name, g->id, (unsigned long long)route);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

int group_door_open(struct linux_group *g)
{
    struct timeval timeout = { DOOR_TIMEOUT_MS / 1000, 0 };
    struct sockaddr_un addr;
    socklen_t len = door_address(g, g->route, &addr);
    int one = 1;

    g->door_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (g->door_fd < 0)
        return -ENOMEM;
    /* Sending waits for room in the receiver's queue, for so long. */
    if (setsockopt(g->door_fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) != 0
        || setsockopt(g->door_fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout) != 0
        || bind(g->door_fd, (struct sockaddr *)&addr, len) != 0)
        return errno == EADDRINUSE ? -EBUSY : -EIO;
    return 0;
}

static int door_send(const struct linux_group *g, uint64_t route, enum door_kind kind,
                     const void *payload, size_t length, int fd)
{
    struct door_header header = { (uint32_t)kind, g->id };
    struct iovec iov[2] = { { &header, sizeof header }, { (void *)payload, length } };
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(sizeof(int))];
    } control;
    struct sockaddr_un addr;
    struct msghdr msg = { .msg_name = &addr, .msg_iov = iov, .msg_iovlen = length ? 2 : 1 };

    msg.msg_namelen = door_address(g, route, &addr);
    if (fd >= 0) {
        struct cmsghdr *cmsg;

        memset(&control, 0, sizeof control);
        msg.msg_control = control.bytes;
        msg.msg_controllen = sizeof control.bytes;
        cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
    }
    return sendmsg(g->door_fd, &msg, MSG_NOSIGNAL) >= 0 ? 0 : -errno;
}

/* One datagram from the door, or 0 when none is queued: its length, the
 * sender's credentials and address, and the descriptor it carried (-1:
 * none; a second one is closed). */
struct door_received {
    union {
        struct door_message message;
        char bytes[sizeof(struct door_header) + LINUX_RESULT_ROOM];
    } u;
    size_t length;
    struct ucred cred;
    int have_cred;
    int fd;
};

static int door_receive(const struct linux_group *g, struct door_received *in)
{
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(4 * sizeof(int))];
    } control;
    struct iovec iov = { in->u.bytes, sizeof in->u.bytes };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = control.bytes, .msg_controllen = sizeof control.bytes };
    struct cmsghdr *cmsg;
    ssize_t n;

    do
        n = recvmsg(g->door_fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return 0;
    in->length = (size_t)n;
    in->have_cred = 0;
    in->fd = -1;
    for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
        if (cmsg->cmsg_level != SOL_SOCKET)
            continue;
        if (cmsg->cmsg_type == SCM_CREDENTIALS) {
            memcpy(&in->cred, CMSG_DATA(cmsg), sizeof in->cred);
            in->have_cred = 1;
        } else if (cmsg->cmsg_type == SCM_RIGHTS) {
            size_t i, nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);

            for (i = 0; i < nfds; i++) {
                int fd;

                memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof fd, sizeof fd);
                if (in->fd < 0)
                    in->fd = fd;
                else
                    close(fd);
            }
        }
    }
    if (n < (ssize_t)sizeof(struct door_header) || in->u.message.header.group != g->id) {
        if (in->fd >= 0)
            close(in->fd);
        in->fd = -1;
        in->length = 0;
    }
    return 1;
}

/* May a process of these credentials open the lockspace device? */
static int may_use_device(const struct linux_group *g, const struct ucred *cred)
{
    char device[PATH_MAX];
    struct stat st;

    group_device_path(g, device, sizeof device);
    if (stat(device, &st) != 0)
        return 0;
    if (cred->uid == 0)
        return 1;
    if (cred->uid == st.st_uid)
        return (st.st_mode & 0600) == 0600;
    if (cred->gid == st.st_gid)
        return (st.st_mode & 0060) == 0060;
    return (st.st_mode & 0006) == 0006;
}

/* Ask the member of route for the carrier: 0 with g->carrier_fd set,
 * -EAGAIN when it lives but did not answer in time, -ENOENT when it is
 * gone (a member that dies meanwhile lets go of its slot). */
static int ask_for_carrier(struct linux_group *g, uint64_t route)
{
    struct pollfd door = { .fd = g->door_fd, .events = POLLIN };
    struct door_received in;
    int waited = 0, live = 1;

    if (door_send(g, route, DOOR_ASK, &g->route, sizeof g->route, -1) != 0)
        return -ENOENT;
    while (live && waited < DOOR_TIMEOUT_MS) {
        if (poll(&door, 1, DOOR_POLL_MS) <= 0) {
            waited += DOOR_POLL_MS;
            group_table_lock(g);
            live = group_route_live(g, route);
            group_table_unlock(g);
            continue;
        }
        while (door_receive(g, &in)) {
            if (in.length != 0 && in.u.message.header.kind == DOOR_CARRIER && in.fd >= 0) {
                g->carrier_fd = in.fd;
                return 0;
            }
            if (in.fd >= 0)
                close(in.fd);
        }
    }
    return live ? -EAGAIN : -ENOENT;
}

int group_carrier_fetch(struct linux_group *g)
{
    uint64_t routes[GROUP_MEMBERS_MAX];
    unsigned int n = 0, slot, i;
    int rc = -ENOENT;

    group_table_lock(g);
    for (slot = 0; slot < GROUP_MEMBERS_MAX; slot++) {
        uint64_t route = group_route(slot, g->table->members[slot].generation);

        if (route != g->route && group_route_live(g, route))
            routes[n++] = route;
    }
    group_table_unlock(g);
    /* A member that lives but does not answer holds a carrier all the
     * same: no second one may be made (-EAGAIN). */
    for (i = 0; i < n && rc != 0; i++) {
        int asked = ask_for_carrier(g, routes[i]);

        if (asked != -ENOENT)
            rc = asked;
    }
    return rc;
}

/* A result read from the carrier: settle its entry, and pass it on. */
static void carry(struct linux_ls *ls, struct linux_group *g, const void *buffer, size_t length)
{
    const struct dlm_lock_result *result = buffer;
    uint64_t route = (uint64_t)(uintptr_t)result->user_astparam;
    int completion = result->user_astaddr == linux_completion_tag;
    int live, mine;

    pthread_mutex_lock(&ls->mutex);
    group_table_lock(g);
    if (completion)
        group_settle(g, buffer, length);
    mine = route == g->route;
    live = mine || group_route_live(g, route);
    if (mine)
        linux_backlog_push(ls, buffer, length);
    group_table_unlock(g);
    pthread_mutex_unlock(&ls->mutex);
    if (!mine && live && door_send(g, route, DOOR_RESULT, buffer, length, -1) == 0)
        return;
    if (!mine && completion) {
        /* Its member is gone: nobody is left to hear of it. */
        struct group_entry *entry;

        pthread_mutex_lock(&ls->mutex);
        group_table_lock(g);
        entry = group_entry_find(g, result->lksb.sb_lkid);
        if (entry != NULL && entry->route == route)
            entry->unheard = 0;
        group_table_unlock(g);
        pthread_mutex_unlock(&ls->mutex);
    }
}

/* Is the sender of a result a live member? */
static int from_member(struct linux_group *g, const struct door_received *in)
{
    unsigned int slot;

    for (slot = 0; slot < GROUP_MEMBERS_MAX; slot++)
        if (g->table->members[slot].pid == (uint32_t)in->cred.pid
            && group_route_live(g, group_route(slot, g->table->members[slot].generation)))
            return 1;
    return 0;
}

static void answer(struct linux_ls *ls, struct linux_group *g, struct door_received *in)
{
    enum door_kind kind = in->u.message.header.kind;

    if (in->length == 0 || !in->have_cred)
        return;
    if (kind == DOOR_ASK && may_use_device(g, &in->cred)) {
        /* The asker's door is named after its route, which it gives. */
        uint64_t route;

        if (in->length >= sizeof in->u.message.header + sizeof route) {
            memcpy(&route, in->u.message.result, sizeof route);
            door_send(g, route, DOOR_CARRIER, NULL, 0, g->carrier_fd);
        }
    } else if (kind == DOOR_RESULT
               && in->length >= sizeof in->u.message.header + sizeof(struct dlm_lock_result)) {
        pthread_mutex_lock(&ls->mutex);
        group_table_lock(g);
        if (from_member(g, in))
            linux_backlog_push(ls, in->u.message.result, in->length - sizeof in->u.message.header);
        group_table_unlock(g);
        pthread_mutex_unlock(&ls->mutex);
    }
}

static void *carrier_main(void *arg)
{
    struct linux_group *g = arg;
    struct linux_ls *ls = g->ls;
    char buffer[LINUX_RESULT_ROOM];

    for (;;) {
        struct pollfd fds[3] = {
            { .fd = g->carrier_fd, .events = POLLIN },
            { .fd = g->door_fd, .events = POLLIN },
            { .fd = g->stop_fd, .events = POLLIN },
        };
        struct door_received in;
        ssize_t n;

        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[2].revents)
            break;
        while ((n = read(g->carrier_fd, buffer, sizeof buffer)) >= (ssize_t)sizeof(struct dlm_lock_result))
            carry(ls, g, buffer, (size_t)n);
        while (door_receive(g, &in)) {
            answer(ls, g, &in);
            if (in.fd >= 0)
                close(in.fd);
        }
    }
    return NULL;
}

int group_carrier_start(struct linux_group *g)
{
    sigset_t all, previous;
    int rc;

    g->stop_fd = eventfd(0, EFD_CLOEXEC);
    if (g->stop_fd < 0 || fcntl(g->carrier_fd, F_SETFL,
                                fcntl(g->carrier_fd, F_GETFL) | O_NONBLOCK) != 0)
        return -ENOMEM;
    /* Signals are for the application's threads. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    rc = pthread_create(&g->carrier_thread, NULL, carrier_main, g);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (rc != 0)
        return -ENOMEM;
    g->thread_started = 1;
    return 0;
}

void group_carrier_stop(struct linux_group *g)
{
    static const uint64_t one = 1;

    if (!g->thread_started)
        return;
    if (write(g->stop_fd, &one, sizeof one) != (ssize_t)sizeof one)
        return;     /* cannot be: an eventfd far from its limit */
    pthread_join(g->carrier_thread, NULL);
    g->thread_started = 0;
}
