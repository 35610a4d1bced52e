#include "meeting.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../harness.h"

#define DEADLINE_SECONDS 60
#define POLL_US 20000

int meeting_node(void)
{
    const char *node = getenv("DLMT_NODE");

    return node != NULL ? atoi(node) : 1;
}

static void marker_path(char *path, size_t size, const char *what)
{
    const char *shared = getenv("DLMT_SHARED");

    snprintf(path, size, "%s/mark-%s", shared != NULL ? shared : ".", what);
}

void meeting_mark(const char *what)
{
    char path[1024];
    FILE *f;

    marker_path(path, sizeof path, what);
    f = fopen(path, "w");
    if (f != NULL)
        fclose(f);
    CU_ASSERT_PTR_NOT_NULL(f);
}

int meeting_await(const char *what)
{
    char path[1024];
    time_t give_up = time(NULL) + DEADLINE_SECONDS;
    struct stat st;

    marker_path(path, sizeof path, what);
    while (stat(path, &st) != 0) {
        if (time(NULL) > give_up) {
            fprintf(stderr, "no marker %s within %d s\n", what, DEADLINE_SECONDS);
            return 0;
        }
        usleep(POLL_US);
    }
    return 1;
}

int meeting_both(const char *step)
{
    char mine[256], theirs[256];
    int node = meeting_node();

    snprintf(mine, sizeof mine, "n%d-%s", node, step);
    snprintf(theirs, sizeof theirs, "n%d-%s", node == 1 ? 2 : 1, step);
    meeting_mark(mine);
    return meeting_await(theirs);
}
