/*
 * The dlm_tru64 command's listings on the Linux engine, in a one-node
 * guest with the kernel DLM (the tool scenario of tests/cluster/run.sh),
 * run as root: the operator prepares a user's namespace, a process of
 * that user holds PW on a resource through <sys/dlm.h>, and "locks" (for
 * people and in JSON) shows that resource with PW and the holder's pid,
 * from the kernel's debugfs dump, saying that the listing is node-local
 * and not atomic and that the value block's state is unknown.
 *
 * Environment: DLM_TRU64_ENGINE=linux, DLM_TRU64_TOOL (the command), JQ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"
#include "conformance/fixture.h"
#include "conformance/peer.h"

#define NAMESPACE "user.4101"       /* FIXTURE_UID_A's */
#define RESOURCE "tool.linux"

struct run {
    int status;
    char out[65536];
};

/* Run "dlm_tru64 args", its standard output kept (standard error goes to
 * the test's output). */
static void run_tool(struct run *run, const char *args)
{
    char path[] = "/tmp/dlm_tru64_tool_listing.XXXXXX", command[4096];
    int fd = mkstemp(path);
    ssize_t n;

    CU_ASSERT_FATAL(fd >= 0);
    snprintf(command, sizeof command, "'%s' %s > '%s'", harness_env("DLM_TRU64_TOOL"), args,
             path);
    run->status = harness_system(command);
    n = read(fd, run->out, sizeof run->out - 1);
    run->out[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
    printf("\n    dlm_tru64 %s (exit status %d):\n%s", args, run->status, run->out);
}

/* Does jq find the filter true of the document? */
static int jq_holds(const char *document, const char *filter)
{
    char path[] = "/tmp/dlm_tru64_tool_listing.XXXXXX", command[8192];
    int fd = mkstemp(path), rc;

    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_FATAL(write(fd, document, strlen(document)) == (ssize_t)strlen(document));
    close(fd);
    snprintf(command, sizeof command, "'%s' -e '%s' '%s' > /dev/null", harness_env("JQ"),
             filter, path);
    rc = harness_system(command);
    unlink(path);
    return rc == 0;
}

/* How many lines of the locks listing have these fields. */
static int lock_lines(const char *text, const char *state, const char *granted,
                      const char *requested, long pid, const char *valblk, const char *resource)
{
    char copy[sizeof ((struct run *)0)->out], *line, *save = NULL, owner[24];
    int count = 0;

    snprintf(copy, sizeof copy, "%s", text);
    snprintf(owner, sizeof owner, "%ld", pid);
    for (line = strtok_r(copy, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char f[10][128];

        if (sscanf(line, "%127s %127s %127s %127s %127s %127s %127s %127s %127s %127s", f[0],
                   f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]) == 10
            && strcmp(f[0], NAMESPACE) == 0 && strcmp(f[1], state) == 0
            && strcmp(f[2], granted) == 0 && strcmp(f[3], requested) == 0
            && strcmp(f[4], owner) == 0 && strcmp(f[6], valblk) == 0
            && strcmp(f[9], resource) == 0)
            count++;
    }
    return count;
}

/* A process of FIXTURE_UID_A holding PW on RESOURCE until told. */
static void holder(struct peer *self, void *arg)
{
    dlm_lkid_t lkid;
    dlm_nsp_t ns;
    int value;

    (void)arg;
    peer_send(self, fixture_become(FIXTURE_UID_A, FIXTURE_GID_A, 0) == 0
                        && fixture_join(&ns) == DLM_SUCCESS
                        && fixture_lock(ns, NULL, RESOURCE, DLM_PWMODE, &lkid) == DLM_SUCCESS);
    if (read(self->from_peer, &value, sizeof value) < 0)
        _exit(1);
}

static void locks_shows_a_holder_from_the_kernels_dump(void)
{
    struct peer peer;
    struct run run;
    char filter[2048];

    if (!fixture_need_root("the Linux engine's listing"))
        return;
    /* Lockspaces need CAP_SYS_ADMIN to create: the operator's part. */
    run_tool(&run, "create " NAMESPACE);
    CU_ASSERT_EQUAL_FATAL(run.status, 0);
    CU_ASSERT_EQUAL_FATAL(peer_start(&peer, holder, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(peer_receive(&peer), 1);

    /* The acceptance: every namespace, then this one by name. */
    run_tool(&run, "locks");
    CU_ASSERT_EQUAL(run.status, 0);
    CU_ASSERT_EQUAL(lock_lines(run.out, "granted", "PW", "-", peer.pid, "unknown", RESOURCE), 1);
    run_tool(&run, "locks " NAMESPACE);
    CU_ASSERT_EQUAL(run.status, 0);
    CU_ASSERT_EQUAL(lock_lines(run.out, "granted", "PW", "-", peer.pid, "unknown", RESOURCE), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "listing is not atomic"));
    CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "this node's view"));
    CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "validity of value blocks is unknown"));

    run_tool(&run, "--json locks");
    CU_ASSERT_EQUAL(run.status, 0);
    snprintf(filter, sizeof filter,
             ".format == 1 and .engine == \"linux\" and"
             " [.namespaces[] | select(.name == \"" NAMESPACE "\")"
             "  | {kind, id, consistent, node_local}]"
             " == [{kind: \"user\", id: %u, consistent: false, node_local: true}] and"
             " [.namespaces[] | select(.name == \"" NAMESPACE "\") | .resources[]"
             "  | {name, path, value_block,"
             "     locks: [.locks[] | {state, granted, requested, pid, node, orphan, glc}]}]"
             " == [{name: \"" RESOURCE "\", path: [\"" RESOURCE "\"],"
             "      value_block: {valid: null, writes: null},"
             "      locks: [{state: \"granted\", granted: \"PW\", requested: null, pid: %ld,"
             "               node: null, orphan: false, glc: null}]}]",
             (unsigned int)FIXTURE_UID_A, (long)peer.pid);
    CU_ASSERT(jq_holds(run.out, filter));

    /* ns counts from the same dump: the holder's process, and its lock
     * (with any of the library's own). */
    run_tool(&run, "--json ns");
    CU_ASSERT_EQUAL(run.status, 0);
    CU_ASSERT(jq_holds(run.out, "[.namespaces[] | select(.name == \"" NAMESPACE "\")"
                                " | .processes == 1 and .locks >= 1] == [true]"));

    /* rd reads the same dump: no domain here, and the same notes. */
    run_tool(&run, "rd");
    CU_ASSERT_EQUAL(run.status, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "no recovery domains"));

    peer_send(&peer, 0);
    CU_ASSERT_EQUAL(peer_finish(&peer), 0);
    run_tool(&run, "locks " NAMESPACE);
    CU_ASSERT_EQUAL(run.status, 0);
    CU_ASSERT_EQUAL(lock_lines(run.out, "granted", "PW", "-", peer.pid, "unknown", RESOURCE), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "no locks"));
    /* The kernel's dump of a lockspace with no resource in use is empty. */
    run_tool(&run, "--json ns");
    CU_ASSERT_EQUAL(run.status, 0);
    CU_ASSERT(jq_holds(run.out, "[.namespaces[] | select(.name == \"" NAMESPACE "\")"
                                " | [.processes, .locks, .resources]] == [[0, 0, 0]]"));
}

static const struct harness_test listing_tests[] = {
    { "locks shows a user's PW holder from the kernel's dump",
      locks_shows_a_holder_from_the_kernels_dump },
    { NULL, NULL }
};

static const struct harness_suite listing_suite = { "dlm_tru64 on the Linux engine",
                                                    listing_tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &listing_suite, NULL };

    return fixture_main(suites);
}
