#include "peer.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Long enough for any healthy step on a loaded machine. */
#define PATIENCE_MS 30000

int peer_start(struct peer *peer, void (*body)(struct peer *self, void *arg), void *arg)
{
    int down[2], up[2];

    if (pipe(down) != 0)
        return -1;
    if (pipe(up) != 0) {
        close(down[0]);
        close(down[1]);
        return -1;
    }
    peer->pid = fork();
    if (peer->pid == 0) {
        struct peer self = { getppid(), up[1], down[0] };

        close(down[1]);
        close(up[0]);
        body(&self, arg);
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    peer->to_peer = down[1];
    peer->from_peer = up[0];
    return peer->pid > 0 ? 0 : -1;
}

void peer_send(struct peer *peer, int value)
{
    if (write(peer->to_peer, &value, sizeof value) != sizeof value)
        abort();
}

int peer_receive(struct peer *peer)
{
    struct pollfd pfd = { peer->from_peer, POLLIN, 0 };
    int value;

    if (poll(&pfd, 1, PATIENCE_MS) != 1
        || read(peer->from_peer, &value, sizeof value) != sizeof value)
        return -1;
    return value;
}

int peer_finish(struct peer *peer)
{
    struct pollfd pfd = { peer->from_peer, POLLIN, 0 };
    char drain[64];
    int status, ready, killed = 0;

    /* The peer's end of the pipe closes when it exits: wait for that,
     * boundedly, then reap it. */
    close(peer->to_peer);
    while ((ready = poll(&pfd, 1, PATIENCE_MS)) == 1
           && read(peer->from_peer, drain, sizeof drain) > 0)
        continue;
    if (ready != 1) {
        kill(peer->pid, SIGKILL);
        killed = 1;
    }
    waitpid(peer->pid, &status, 0);
    close(peer->from_peer);
    return !killed && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
