#include "peer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

#define ROLE_VARIABLE "DLM_TRU64_CONFORMANCE_PEER"

int peer_exec(struct peer *peer, const char *variable, const char *words)
{
    char assignment[256], *argv[] = { "conformance-peer", NULL }, **envp;
    extern char **environ;
    int down[2], up[2], n, i;

    for (n = 0; environ[n] != NULL; n++)
        continue;
    if ((envp = calloc((size_t)n + 2, sizeof *envp)) == NULL)
        return -1;
    if (pipe(down) != 0) {
        free(envp);
        return -1;
    }
    if (pipe(up) != 0) {
        close(down[0]);
        close(down[1]);
        free(envp);
        return -1;
    }
    /* The test's ends stay out of the peer. */
    fcntl(down[1], F_SETFD, FD_CLOEXEC);
    fcntl(up[0], F_SETFD, FD_CLOEXEC);
    snprintf(assignment, sizeof assignment, "%s=%d %d %s", variable, down[0], up[1], words);
    for (i = 0; i < n; i++)
        envp[i] = environ[i];
    envp[n] = assignment;
    /* Nothing but exec in the child: the test's threads may hold locks
     * that a forked copy would inherit held. */
    peer->pid = fork();
    if (peer->pid == 0) {
        execve("/proc/self/exe", argv, envp);
        _exit(127);
    }
    free(envp);
    close(down[0]);
    close(up[1]);
    peer->to_peer = down[1];
    peer->from_peer = up[0];
    if (peer->pid < 0) {
        close(down[1]);
        close(up[0]);
        return -1;
    }
    return 0;
}

int peer_start_fresh(struct peer *peer, const char *role)
{
    return peer_exec(peer, ROLE_VARIABLE, role);
}

int peer_play_role(const struct peer_role *roles)
{
    const char *variable = getenv(ROLE_VARIABLE);
    char name[64];
    struct peer self = { getppid(), -1, -1 };

    if (variable == NULL)
        return -1;
    if (sscanf(variable, "%d %d %63s", &self.from_peer, &self.to_peer, name) != 3)
        return 2;
    unsetenv(ROLE_VARIABLE);
    for (; roles->name != NULL; roles++) {
        if (strcmp(roles->name, name) == 0) {
            roles->body(&self);
            return 0;
        }
    }
    return 2;
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
