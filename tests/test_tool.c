/*
 * The dlm_tru64 command, run as an operator runs it: peer processes hold
 * and wait for known locks through <sys/dlm.h>, make group lock
 * containers and persistent resources, and the command's listings, for
 * people and in JSON (checked by jq, which also proves it valid), show
 * exactly those, and none of the library's own locks; removal refuses a
 * lockspace in use and a file that is no lockspace, and removes a stale
 * one; bad arguments get a message and exit status 2; the Linux engine
 * without a kernel DLM says so and exits 3.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"
#include "conformance/fixture.h"

/* The exit statuses of dlm_tru64(8). */
enum { TOOL_OK = 0, TOOL_FAILED = 1, TOOL_USAGE = 2, TOOL_UNAVAILABLE = 3, TOOL_REFUSED = 4 };

/* A binary resource name: not printable, shown escaped. */
#define BINARY_NAME "\x01" "bin\xff"
#define BINARY_SHOWN "\\x01bin\\xff"

/* --- Running the command ------------------------------------------------------------ */

struct run {
    int status;
    char out[65536];
    char err[4096];
};

static const char *scratch(const char *file)
{
    static char path[4][1024];
    static int next;
    char *p = path[next++ % 4];

    /* Per user: the files of one are not the other's to overwrite. */
    snprintf(p, sizeof path[0], "%s/.tool-%u-%s", getenv("DLM_TRU64_EMBEDDED_DIR"),
             (unsigned int)geteuid(), file);
    return p;
}

static void slurp(const char *path, char *buf, size_t size)
{
    FILE *file = fopen(path, "r");
    size_t n = 0;

    if (file != NULL) {
        n = fread(buf, 1, size - 1, file);
        fclose(file);
    }
    buf[n] = '\0';
}

/* Run "env dlm_tru64 args" (env: variable settings, may be ""). */
static void run_tool(struct run *run, const char *env, const char *args)
{
    char command[4096];

    snprintf(command, sizeof command, "%s '%s' %s > '%s' 2> '%s'", env,
             harness_env("DLM_TRU64_TOOL"), args, scratch("stdout"), scratch("stderr"));
    run->status = harness_system(command);
    slurp(scratch("stdout"), run->out, sizeof run->out);
    slurp(scratch("stderr"), run->err, sizeof run->err);
    if (run->err[0] != '\0')
        printf("\n    dlm_tru64 %s: %s", args, run->err);
}

/* Does jq find the filter true of the latest run's standard output?  jq
 * parses the whole document first, so a 1 also means it is valid JSON. */
static int jq_holds(const char *filter)
{
    char command[2048];
    FILE *file = fopen(scratch("filter"), "w");

    CU_ASSERT_PTR_NOT_NULL_FATAL(file);
    fputs(filter, file);
    fclose(file);
    snprintf(command, sizeof command, "'%s' -e -f '%s' '%s' > /dev/null", harness_env("JQ"),
             scratch("filter"), scratch("stdout"));
    return harness_system(command) == 0;
}

/* --- Lines of the human listings ------------------------------------------------------ */

#define MAX_FIELDS 12

static int split(char *line, char *field[MAX_FIELDS])
{
    char *save = NULL, *word;
    int n = 0;

    for (word = strtok_r(line, " ", &save); word != NULL && n < MAX_FIELDS;
         word = strtok_r(NULL, " ", &save))
        field[n++] = word;
    return n;
}

/* How many lines of text have these leading fields (NULL: any) and, when
 * last is not NULL, that last field. */
static int lines_with(const char *text, const char *const want[], int nwant, const char *last)
{
    char copy[sizeof ((struct run *)0)->out], *line, *save = NULL;
    int count = 0;

    snprintf(copy, sizeof copy, "%s", text);
    for (line = strtok_r(copy, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char *field[MAX_FIELDS];
        int n = split(line, field), i, match = n >= nwant;

        for (i = 0; match && i < nwant; i++)
            match = want[i] == NULL || strcmp(field[i], want[i]) == 0;
        if (match && last != NULL)
            match = strcmp(field[n - 1], last) == 0;
        count += match;
    }
    return count;
}

/* The line of one lock in "dlm_tru64 locks": NAMESPACE STATE GRANTED
 * REQUESTED PID GLC VALBLK LKID RESOURCE. */
static int lock_lines(const char *text, const char *ns, const char *state, const char *granted,
                      const char *requested, pid_t pid, const char *resource)
{
    char pid_text[16];
    const char *want[7];

    snprintf(pid_text, sizeof pid_text, "%ld", (long)pid);
    want[0] = ns;
    want[1] = state;
    want[2] = granted;
    want[3] = requested;
    want[4] = pid_text;
    want[5] = "-";
    want[6] = "valid";
    return lines_with(text, want, 7, resource);
}

/* Is there a lockspace file of that name? */
static int lockspace_exists(const char *name, struct stat *st)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", getenv("DLM_TRU64_EMBEDDED_DIR"), name);
    return stat(path, st) == 0;
}

/* --- Peers holding known locks ---------------------------------------------------------- */

/* Wait for the test to end the peer (a message, or its end of the pipe
 * closing): a blocking read, so that a slow test never outlasts it. */
static void hold_until_told(struct peer *self)
{
    int value;

    if (read(self->from_peer, &value, sizeof value) < 0)
        _exit(1);
}

/* PW on tool.held, CR on its sublock leaf, EX on a binary name. */
static void holder(struct peer *self, void *arg)
{
    dlm_lkid_t held, leaf, binary;
    dlm_nsp_t ns;

    (void)arg;
    peer_send(self, fixture_join(&ns) == DLM_SUCCESS
                        && fixture_lock(ns, NULL, "tool.held", DLM_PWMODE, &held) == DLM_SUCCESS
                        && fixture_lock(ns, &held, "leaf", DLM_CRMODE, &leaf) == DLM_SUCCESS
                        && fixture_lock(ns, NULL, BINARY_NAME, DLM_EXMODE, &binary)
                               == DLM_SUCCESS);
    hold_until_told(self);
}

/* NL on tool.held, converting to EX behind the PW. */
static void converter(struct peer *self, void *arg)
{
    struct fixture_events events = { 0 };
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    (void)arg;
    peer_send(self, fixture_join(&ns) == DLM_SUCCESS
                        && fixture_lock(ns, NULL, "tool.held", DLM_NLMODE, &lkid) == DLM_SUCCESS
                        && fixture_quecvt(&lkid, DLM_EXMODE, 0, 0, &events) == DLM_SUCCESS);
    hold_until_told(self);
}

/* A new PR request on tool.held, waiting. */
static void waiter(struct peer *self, void *arg)
{
    struct fixture_events events = { 0 };
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    (void)arg;
    peer_send(self, fixture_join(&ns) == DLM_SUCCESS
                        && fixture_quelock(ns, NULL, "tool.held", DLM_PRMODE, 0, 0, &events,
                                           &lkid) == DLM_SUCCESS);
    hold_until_told(self);
}

/* Names too long for the library to keep a grandchild's path whole. */
#define LONG_ROOT "0123456789abcdef0123456789abcdef"
#define LONG_CHILD "fedcba9876543210fedcba9876543210"

/* EX on LONG_ROOT, its child LONG_CHILD (hashed) and grandchild x. */
static void deep_holder(struct peer *self, void *arg)
{
    dlm_lkid_t root, child, grandchild;
    dlm_nsp_t ns;

    (void)arg;
    peer_send(self, fixture_join(&ns) == DLM_SUCCESS
                        && fixture_lock(ns, NULL, LONG_ROOT, DLM_EXMODE, &root) == DLM_SUCCESS
                        && fixture_lock(ns, &root, LONG_CHILD, DLM_EXMODE, &child)
                               == DLM_SUCCESS
                        && fixture_lock(ns, &child, "x", DLM_EXMODE, &grandchild)
                               == DLM_SUCCESS);
    hold_until_told(self);
}

/* The group lock that glc_creator takes, the recovery domain and
 * resource of persistent_holder. */
#define GROUP_RESOURCE "tool.group"
#define DOMAIN_NAME "tool.rd"
#define PERSISTENT_RESOURCE "tool.pr"

/* Creates a permanent container of its namespace and takes a group lock
 * in EX; tells the container's ID (0: it could not). */
static void glc_creator(struct peer *self, void *arg)
{
    dlm_glc_id_t id = 0;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    (void)arg;
    if (fixture_join(&ns) != DLM_SUCCESS || dlm_glc_create(&id, DLM_GLC_PERM, &ns, 1)
                                                != DLM_SUCCESS
        || fixture_lock_with(ns, NULL, GROUP_RESOURCE, DLM_EXMODE, NULL, DLM_GROUP_LOCK,
                             FIXTURE_PATIENCE, &lkid) != DLM_SUCCESS)
        id = 0;
    peer_send(self, (int)id);
    hold_until_told(self);
}

/* Attaches to the container *arg. */
static void glc_member(struct peer *self, void *arg)
{
    const dlm_glc_id_t *id = arg;
    dlm_nsp_t ns;

    peer_send(self, fixture_join(&ns) == DLM_SUCCESS && dlm_glc_attach(*id, 0) == DLM_SUCCESS);
    hold_until_told(self);
}

/* Destroys the container *arg with its group locks. */
static void glc_destroyer(struct peer *self, void *arg)
{
    const dlm_glc_id_t *id = arg;
    dlm_nsp_t ns;

    peer_send(self, fixture_join(&ns) == DLM_SUCCESS
                        && dlm_glc_destroy(*id, DLM_GLC_LOCKS) == DLM_SUCCESS);
    hold_until_told(self);
}

/* Holds PERSISTENT_RESOURCE of DOMAIN_NAME in EX, with a value. */
static void persistent_holder(struct peer *self, void *arg)
{
    char domain[] = DOMAIN_NAME;
    dlm_valb_t value = fixture_value(8);
    dlm_rd_id_t rd = 0;
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    (void)arg;
    peer_send(self, fixture_join(&ns) == DLM_SUCCESS
                        && dlm_rd_attach(domain, &rd, DLM_RD_PROCESS) == DLM_SUCCESS
                        && dlm_locktp(ns, (uchar_t *)PERSISTENT_RESOURCE,
                                      (ushort_t)strlen(PERSISTENT_RESOURCE), NULL, &lkid,
                                      DLM_EXMODE, &value, DLM_PERSIST | DLM_VALB, 0, 0, NULL,
                                      FIXTURE_PATIENCE, 0, rd) == DLM_SUCCESS);
    hold_until_told(self);
}

/* Collects DOMAIN_NAME, and holds the collection. */
static void collector(struct peer *self, void *arg)
{
    char domain[] = DOMAIN_NAME;
    dlm_rd_collection_hndl_t collection;
    dlm_rd_id_t rd = 0;
    dlm_nsp_t ns;

    (void)arg;
    peer_send(self, fixture_join(&ns) == DLM_SUCCESS
                        && dlm_rd_attach(domain, &rd, DLM_RD_PROCESS) == DLM_SUCCESS
                        && dlm_rd_collect(rd, &collection, 0) == DLM_SUCCESS);
    hold_until_told(self);
}

/* Only joins its user namespace. */
static void joiner(struct peer *self, void *arg)
{
    dlm_nsp_t ns;

    (void)arg;
    peer_send(self, fixture_join(&ns) == DLM_SUCCESS);
    hold_until_told(self);
}

static void start_with(struct peer *peer, void (*body)(struct peer *, void *), void *arg)
{
    CU_ASSERT_EQUAL_FATAL(peer_start(peer, body, arg), 0);
    CU_ASSERT_EQUAL_FATAL(peer_receive(peer), 1);
}

static void start(struct peer *peer, void (*body)(struct peer *, void *))
{
    start_with(peer, body, NULL);
}

/* Kill a peer where it stands, and reap it. */
static void kill_peer(struct peer *peer)
{
    kill(peer->pid, SIGKILL);
    waitpid(peer->pid, NULL, 0);
    close(peer->to_peer);
    close(peer->from_peer);
}

/* End a peer by telling it: its pipe does not close with the test's end,
 * since the peers started after it hold copies of that end. */
static void finish(struct peer *peer)
{
    peer_send(peer, 0);
    CU_ASSERT_EQUAL(peer_finish(peer), 0);
}

/* The namespace fixture_join() joins: the caller's user namespace, which
 * for root (UID 0) is the system namespace. */
static const char *own_namespace(void)
{
    static char name[32];

    if (geteuid() == 0)
        return "system";
    snprintf(name, sizeof name, "user.%u", (unsigned int)geteuid());
    return name;
}

static const char *own_kind(void)
{
    return geteuid() == 0 ? "system" : "user";
}

/* --- Listings ------------------------------------------------------------------------ */

static void locks_lists_holders_converters_and_waiters(void)
{
    const char *ns = own_namespace();
    struct peer a, b, c;
    struct run run;
    char args[64], filter[2048];
    const char *const any[] = { ns };

    start(&a, holder);
    start(&b, converter);
    start(&c, waiter);

    /* The acceptance case: every namespace, then this one by name. */
    run_tool(&run, "", "locks");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_EQUAL(lock_lines(run.out, ns, "granted", "PW", "-", a.pid, "tool.held"), 1);
    snprintf(args, sizeof args, "locks %s", ns);
    run_tool(&run, "", args);
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_EQUAL(lock_lines(run.out, ns, "granted", "PW", "-", a.pid, "tool.held"), 1);
    CU_ASSERT_EQUAL(lock_lines(run.out, ns, "converting", "NL", "EX", b.pid, "tool.held"), 1);
    CU_ASSERT_EQUAL(lock_lines(run.out, ns, "waiting", "-", "PR", c.pid, "tool.held"), 1);
    CU_ASSERT_EQUAL(lock_lines(run.out, ns, "granted", "CR", "-", a.pid, "tool.held/leaf"), 1);
    CU_ASSERT_EQUAL(lock_lines(run.out, ns, "granted", "EX", "-", a.pid, BINARY_SHOWN), 1);
    CU_ASSERT_EQUAL(lines_with(run.out, any, 1, NULL), 5);     /* and nothing else */

    /* The same facts in JSON, resources in name order, locks queue by queue. */
    run_tool(&run, "", "--json locks");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    snprintf(filter, sizeof filter,
             ".format == 1 and .engine == \"embedded\" and"
             " ([.namespaces[] | select(.name == \"%s\") | .kind, .id] == [\"%s\", %u]) and"
             " [.namespaces[] | select(.name == \"%s\") | .resources[]"
             "  | {name, path, form, valid: .value_block.valid,"
             "     locks: [.locks[] | {state, granted, requested, pid, orphan, glc}]}]"
             " == ["
             "  {name: \"\\\\x01bin\\\\xff\", path: [\"\\\\x01bin\\\\xff\"], form: \"exact\","
             "   valid: true, locks: [{state: \"granted\", granted: \"EX\", requested: null,"
             "   pid: %ld, orphan: false, glc: null}]},"
             "  {name: \"tool.held\", path: [\"tool.held\"], form: \"exact\", valid: true,"
             "   locks: [{state: \"granted\", granted: \"PW\", requested: null, pid: %ld,"
             "            orphan: false, glc: null},"
             "           {state: \"converting\", granted: \"NL\", requested: \"EX\", pid: %ld,"
             "            orphan: false, glc: null},"
             "           {state: \"waiting\", granted: null, requested: \"PR\", pid: %ld,"
             "            orphan: false, glc: null}]},"
             "  {name: \"leaf\", path: [\"tool.held\", \"leaf\"], form: \"exact\", valid: true,"
             "   locks: [{state: \"granted\", granted: \"CR\", requested: null, pid: %ld,"
             "            orphan: false, glc: null}]}]",
             ns, own_kind(), (unsigned int)geteuid(), ns, (long)a.pid, (long)a.pid, (long)b.pid,
             (long)c.pid, (long)a.pid);
    CU_ASSERT(jq_holds(filter));
    CU_ASSERT(jq_holds("[.namespaces[].resources[] | select(.name == \"\\\\x01bin\\\\xff\")"
                       " | .hex] == [\"0162696eff\"]"));

    finish(&a);
    finish(&b);
    finish(&c);
}

static void ns_counts_processes_locks_and_resources(void)
{
    const char *ns = own_namespace();
    struct peer a, b, c;
    struct run run;
    char filter[512];
    const char *const row[] = { ns, own_kind(), NULL, "0600", "3", "5", "3" };

    start(&a, holder);
    start(&b, converter);
    start(&c, waiter);
    run_tool(&run, "", "ns");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_EQUAL(lines_with(run.out, row, 7, NULL), 1);
    run_tool(&run, "", "ns --json");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    snprintf(filter, sizeof filter,
             "[.namespaces[] | select(.name == \"%s\")"
             " | {kind, id, uid, mode, processes, locks, resources, error}]"
             " == [{kind: \"%s\", id: %u, uid: %u, mode: \"0600\", processes: 3, locks: 5,"
             "      resources: 3, error: null}]",
             ns, own_kind(), (unsigned int)geteuid(), (unsigned int)geteuid());
    CU_ASSERT(jq_holds(filter));
    finish(&a);
    finish(&b);
    finish(&c);
}

/* A holder of PW that dies leaves the value block marked invalid. */
static void value_block_invalid_after_a_pw_holder_dies(void)
{
    const char *ns = own_namespace();
    struct peer a, b;
    struct run run;
    char args[64], pid[16];
    const char *const row[] = { ns, "granted", "EX", "-", pid, "-", "invalid" };

    start(&a, holder);
    start(&b, converter);
    kill_peer(&a);
    /* The converter is granted EX now, and the value block is invalid. */
    snprintf(args, sizeof args, "locks %s", ns);
    run_tool(&run, "", args);
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    snprintf(pid, sizeof pid, "%ld", (long)b.pid);
    CU_ASSERT_EQUAL(lines_with(run.out, row, 7, "tool.held"), 1);
    run_tool(&run, "", "--json locks");
    CU_ASSERT(jq_holds("[.namespaces[].resources[] | select(.name == \"tool.held\")"
                       " | .value_block.valid] == [false]"));
    finish(&b);
}

/* A path the library keeps only as a hash still shows its known parts. */
static void hashed_names_show_their_place(void)
{
    const char *ns = own_namespace();
    struct peer a;
    struct run run;
    char args[64], filter[1024];

    start(&a, deep_holder);
    snprintf(args, sizeof args, "locks %s", ns);
    run_tool(&run, "", args);
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_EQUAL(lock_lines(run.out, ns, "granted", "EX", "-", a.pid, LONG_ROOT), 1);
    CU_ASSERT_EQUAL(lock_lines(run.out, ns, "granted", "EX", "-", a.pid,
                               LONG_ROOT "/<hashed>"), 1);
    CU_ASSERT_EQUAL(lock_lines(run.out, ns, "granted", "EX", "-", a.pid,
                               LONG_ROOT "/<hashed>/x"), 1);
    run_tool(&run, "", "--json locks");
    snprintf(filter, sizeof filter,
             "[.namespaces[].resources[] | {name, form, path}]"
             " == [{name: \"%s\", form: \"exact\", path: [\"%s\"]},"
             "     {name: null, form: \"hashed\", path: [\"%s\", null]},"
             "     {name: \"x\", form: \"exact\", path: [\"%s\", null, \"x\"]}]",
             LONG_ROOT, LONG_ROOT, LONG_ROOT, LONG_ROOT);
    CU_ASSERT(jq_holds(filter));
    finish(&a);
}

/* A container shows its creator, its live members and its group lock,
 * which shows its container, and, once no member holds it, "container"
 * for its owner. */
static void glc_lists_containers_and_their_group_locks(void)
{
    const char *ns = own_namespace();
    struct peer a, b, d;
    struct run run;
    dlm_glc_id_t id;
    char id_text[16], a_pid[16], b_pid[16], uid[16], both[40], filter[2048];
    const char *const row[] = { id_text, "permanent", a_pid, uid, ns, "1" };
    const char *const held_by_a[] = { ns, "granted", "EX", "-", a_pid, id_text, "valid", "-" };
    const char *const held_by_glc[] = { ns, "granted", "EX", "-", "container", id_text };

    CU_ASSERT_EQUAL_FATAL(peer_start(&a, glc_creator, NULL), 0);
    id = (dlm_glc_id_t)peer_receive(&a);
    CU_ASSERT_FATAL(id != 0 && id != (dlm_glc_id_t)-1);
    start_with(&b, glc_member, &id);
    snprintf(id_text, sizeof id_text, "%u", (unsigned int)id);
    snprintf(a_pid, sizeof a_pid, "%ld", (long)a.pid);
    snprintf(b_pid, sizeof b_pid, "%ld", (long)b.pid);
    snprintf(uid, sizeof uid, "%u", (unsigned int)geteuid());
    snprintf(both, sizeof both, "%ld,%ld", (long)a.pid, (long)b.pid);

    run_tool(&run, "", "glc");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_EQUAL(lines_with(run.out, row, 6, both), 1);
    run_tool(&run, "", "--json glc");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    snprintf(filter, sizeof filter,
             ".format == 1 and .engine == \"embedded\" and"
             " .containers == [{id: %u, owned: false, permanent: true, creator: %ld,"
             "                  creator_uid: %u, members: [{pid: %ld}, {pid: %ld}],"
             "                  namespaces: [{name: \"%s\", kind: \"%s\", id: %u,"
             "                                group_locks: 1}]}]",
             (unsigned int)id, (long)a.pid, (unsigned int)geteuid(), (long)a.pid,
             (long)b.pid, ns, own_kind(), (unsigned int)geteuid());
    CU_ASSERT(jq_holds(filter));
    run_tool(&run, "", "locks");
    CU_ASSERT_EQUAL(lines_with(run.out, held_by_a, 8, GROUP_RESOURCE), 1);
    run_tool(&run, "", "--json locks");
    snprintf(filter, sizeof filter,
             "[.namespaces[].resources[] | select(.name == \"" GROUP_RESOURCE "\")"
             " | .locks[] | {granted, pid, orphan, glc}]"
             " == [{granted: \"EX\", pid: %ld, orphan: false, glc: %u}]",
             (long)a.pid, (unsigned int)id);
    CU_ASSERT(jq_holds(filter));

    /* The creator dies: its group lock stays the container's. */
    kill_peer(&a);
    run_tool(&run, "", "glc");
    CU_ASSERT_EQUAL(lines_with(run.out, row, 6, b_pid), 1);
    run_tool(&run, "", "locks");
    CU_ASSERT_EQUAL(lines_with(run.out, held_by_glc, 6, GROUP_RESOURCE), 1);
    run_tool(&run, "", "--json locks");
    snprintf(filter, sizeof filter,
             "[.namespaces[].resources[] | select(.name == \"" GROUP_RESOURCE "\")"
             " | .locks[] | {granted, pid, orphan, glc}]"
             " == [{granted: \"EX\", pid: null, orphan: false, glc: %u}]",
             (unsigned int)id);
    CU_ASSERT(jq_holds(filter));

    /* A permanent container outlives its members, and goes when
     * destroyed, with its locks. */
    finish(&b);
    run_tool(&run, "", "glc");
    CU_ASSERT_EQUAL(lines_with(run.out, row, 6, "-"), 1);
    run_tool(&run, "", "--json glc");
    CU_ASSERT(jq_holds("[.containers[] | {members, locks: [.namespaces[].group_locks]}]"
                       " == [{members: [], locks: [1]}]"));
    start_with(&d, glc_destroyer, &id);
    finish(&d);
    run_tool(&run, "", "glc");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_STRING_EQUAL(run.out, "no group lock containers\n");
    run_tool(&run, "", "--json glc");
    CU_ASSERT(jq_holds(".containers == []"));
    run_tool(&run, "", "locks");
    CU_ASSERT_EQUAL(lines_with(run.out, NULL, 0, GROUP_RESOURCE), 0);
}

/* The mark of a recovery domain as dlm_tru64(8) says it is made. */
static void domain_mark(const char *domain, char mark[25])
{
    char command[256];
    FILE *digest;

    snprintf(command, sizeof command,
             "printf 'dlm_tru64 recovery domain\\000%%s' '%s' | sha256sum", domain);
    digest = popen(command, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(digest);
    CU_ASSERT_PTR_NOT_NULL(fgets(mark, 25, digest));
    mark[24] = '\0';
    pclose(digest);
}

/* A persistent resource is listed with its domain's mark, without the
 * library's anchor that keeps it; when its EX holder dies it stays,
 * invalid, with no lock of anyone's, and the process that collects the
 * domain shows. */
static void rd_lists_persistent_resources_by_domain(void)
{
    const char *ns = own_namespace();
    struct peer a, c;
    struct run run;
    struct stat st;
    char args[64], a_pid[16], c_pid[16], mark[25], filter[2048], path[1024];
    const char *const held[] = { ns, "granted", "EX", "-", a_pid, "-", "valid", "yes" };
    const char *const unheld[] = { ns, "-", "-", "-", "-", "-", "invalid", "yes", "-" };
    const char *const in_ns[] = { ns };
    const char *const valid[] = { mark, ns, "valid", "-" };
    const char *const invalid[] = { mark, ns, "invalid", "-" };
    const char *const collected[] = { mark, ns, "invalid", c_pid };
    const char *const orphan[] = { ns, NULL, NULL, NULL, "orphan" };

    domain_mark(DOMAIN_NAME, mark);
    start(&a, persistent_holder);
    snprintf(a_pid, sizeof a_pid, "%ld", (long)a.pid);
    snprintf(args, sizeof args, "locks %s", ns);
    run_tool(&run, "", args);
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_EQUAL(lines_with(run.out, held, 8, PERSISTENT_RESOURCE), 1);
    CU_ASSERT_EQUAL(lines_with(run.out, in_ns, 1, PERSISTENT_RESOURCE), 1);
    run_tool(&run, "", "--json locks");
    snprintf(filter, sizeof filter,
             "[.namespaces[].resources[] | select(.name == \"" PERSISTENT_RESOURCE "\")"
             " | {persistent, mark, locks: [.locks[] | {granted, pid, orphan}]}]"
             " == [{persistent: true, mark: \"%s\","
             "      locks: [{granted: \"EX\", pid: %ld, orphan: false}]}]"
             " and all(.namespaces[].resources[] | select(.persistent | not);"
             "         .mark == null)",
             mark, (long)a.pid);
    CU_ASSERT(jq_holds(filter));
    run_tool(&run, "", "rd");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_EQUAL(lines_with(run.out, valid, 4, PERSISTENT_RESOURCE), 1);

    kill_peer(&a);
    run_tool(&run, "", "rd");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_EQUAL(lines_with(run.out, invalid, 4, PERSISTENT_RESOURCE), 1);
    CU_ASSERT_EQUAL(lines_with(run.out, NULL, 0, PERSISTENT_RESOURCE), 1);
    run_tool(&run, "", "--json rd");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    snprintf(filter, sizeof filter,
             ".format == 1 and .engine == \"embedded\" and"
             " [.domains[] | {mark, resources, invalid, namespaces: [.namespaces[]"
             "   | {name, kind, id, collector, resources: [.resources[]"
             "     | {name, persistent, mark, valid: .value_block.valid}]}]}]"
             " == [{mark: \"%s\", resources: 1, invalid: 1,"
             "      namespaces: [{name: \"%s\", kind: \"%s\", id: %u, collector: null,"
             "                    resources: [{name: \"" PERSISTENT_RESOURCE "\","
             "                                 persistent: true, mark: \"%s\","
             "                                 valid: false}]}]}]",
             mark, ns, own_kind(), (unsigned int)geteuid(), mark);
    CU_ASSERT(jq_holds(filter));
    /* A process collecting the domain is its collector there. */
    start(&c, collector);
    snprintf(c_pid, sizeof c_pid, "%ld", (long)c.pid);
    run_tool(&run, "", "rd");
    CU_ASSERT_EQUAL(lines_with(run.out, collected, 4, PERSISTENT_RESOURCE), 1);
    run_tool(&run, "", "--json rd");
    snprintf(filter, sizeof filter, "[.domains[].namespaces[].collector] == [%ld]",
             (long)c.pid);
    CU_ASSERT(jq_holds(filter));
    finish(&c);

    run_tool(&run, "", args);
    CU_ASSERT_EQUAL(lines_with(run.out, unheld, 9, PERSISTENT_RESOURCE), 1);
    CU_ASSERT_EQUAL(lines_with(run.out, in_ns, 1, PERSISTENT_RESOURCE), 1);
    CU_ASSERT_EQUAL(lines_with(run.out, orphan, 5, NULL), 0);
    run_tool(&run, "", "--json locks");
    CU_ASSERT(jq_holds("[.namespaces[].resources[]"
                       " | select(.name == \"" PERSISTENT_RESOURCE "\")"
                       " | {persistent, valid: .value_block.valid, locks}]"
                       " == [{persistent: true, valid: false, locks: []}]"
                       " and [.namespaces[].resources[].locks[] | select(.orphan)] == []"));

    /* The resource outlives every process: the lockspace is not stale,
     * and only going behind the engine's back clears it for the tests
     * that follow. */
    snprintf(args, sizeof args, "remove %s", ns);
    run_tool(&run, "", args);
    CU_ASSERT_EQUAL(run.status, TOOL_REFUSED);
    snprintf(path, sizeof path, "%s/%s", getenv("DLM_TRU64_EMBEDDED_DIR"), ns);
    CU_ASSERT_EQUAL(unlink(path), 0);
    CU_ASSERT(!lockspace_exists(ns, &st));
}

static void status_glc_and_rd(void)
{
    struct run run;

    run_tool(&run, "", "status");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "engine:   embedded"));
    CU_ASSERT_PTR_NOT_NULL(strstr(run.out, getenv("DLM_TRU64_EMBEDDED_DIR")));
    run_tool(&run, "", "status --json");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT(jq_holds(".format == 1 and .engine == \"embedded\" and .usable == true"
                       " and .problem == null and (.version | type) == \"string\""
                       " and .state == env.DLM_TRU64_EMBEDDED_DIR"));
    run_tool(&run, "", "glc --json");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT(jq_holds(".containers == []"));
    run_tool(&run, "", "rd --json");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT(jq_holds(".domains == []"));
    run_tool(&run, "", "glc");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    run_tool(&run, "", "rd");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
}

/* --- Administration ------------------------------------------------------------------ */

static void remove_refuses_a_lockspace_in_use(void)
{
    const char *ns = own_namespace();
    struct peer a;
    struct run run;
    struct stat st;
    char args[64];

    start(&a, joiner);
    snprintf(args, sizeof args, "remove %s", ns);
    run_tool(&run, "", args);
    CU_ASSERT_EQUAL(run.status, TOOL_REFUSED);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "in use"));
    CU_ASSERT(lockspace_exists(ns, &st));
    finish(&a);
}

/* Stale: every process that used it died without a word. */
static void remove_takes_a_stale_lockspace(void)
{
    const char *ns = own_namespace();
    struct peer a;
    struct run run;
    struct stat st;
    char args[64];

    start(&a, holder);
    kill_peer(&a);
    snprintf(args, sizeof args, "remove %s", ns);
    run_tool(&run, "", args);
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT(!lockspace_exists(ns, &st));
    /* Gone: a second removal finds nothing. */
    run_tool(&run, "", args);
    CU_ASSERT_EQUAL(run.status, TOOL_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "no such namespace"));
    /* And a process joining later makes it anew. */
    start(&a, joiner);
    CU_ASSERT(lockspace_exists(ns, &st));
    finish(&a);
}

/* A file that is no lockspace of this version may be another's: never
 * removed. */
static void remove_refuses_what_is_no_lockspace(void)
{
    struct run run;
    struct stat st;
    char path[1024];
    FILE *file;

    snprintf(path, sizeof path, "%s/user.4999", getenv("DLM_TRU64_EMBEDDED_DIR"));
    file = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(file);
    fputs("not a lockspace\n", file);
    fclose(file);
    run_tool(&run, "", "remove user.4999");
    CU_ASSERT_EQUAL(run.status, TOOL_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "left alone"));
    CU_ASSERT(lockspace_exists("user.4999", &st));
    unlink(path);
}

static void create_makes_a_namespace_owned_as_it_says(void)
{
    struct run run;
    struct stat st;

    if (!fixture_need_root("creating another's namespace"))
        return;
    run_tool(&run, "", "create user.4101");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_FATAL(lockspace_exists("user.4101", &st));
    CU_ASSERT_EQUAL(st.st_uid, 4101);
    CU_ASSERT_EQUAL(st.st_mode & 07777, 0600);
    run_tool(&run, "", "create user.4101");     /* again: left as it is */
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "exists already"));
    run_tool(&run, "", "create group.4202");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_FATAL(lockspace_exists("group.4202", &st));
    CU_ASSERT_EQUAL(st.st_gid, 4202);
    CU_ASSERT_EQUAL(st.st_mode & 07777, 0660);
    run_tool(&run, "", "ns --json");
    CU_ASSERT(jq_holds("[.namespaces[] | select(.name == \"group.4202\")"
                       " | {kind, id, gid, mode, processes}]"
                       " == [{kind: \"group\", id: 4202, gid: 4202, mode: \"0660\","
                       "      processes: 0}]"));
    run_tool(&run, "", "remove user.4101");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    run_tool(&run, "", "remove group.4202");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT(!lockspace_exists("group.4202", &st));
}

/* Another user sees root's namespace listed, but not what is in it, and
 * may neither remove it nor create a namespace for a third user. */
static int as_another_user(void)
{
    static const struct {
        const char *args;
        int status;
        const char *said;
    } cases[] = {
        { "locks", TOOL_OK, NULL },
        { "locks system", TOOL_FAILED, "permission denied" },
        { "ns", TOOL_OK, NULL },
        { "remove system", TOOL_FAILED, "permission denied" },
        { "create user.4102", TOOL_FAILED, "permission denied" },
    };
    static struct run run;
    unsigned int i;
    int wrong = 0;

    if (fixture_become(FIXTURE_UID_A, FIXTURE_GID_A, 0) != 0)
        return 100;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_tool(&run, "", cases[i].args);
        if (run.status != cases[i].status
            || (cases[i].said != NULL && strstr(run.err, cases[i].said) == NULL)) {
            printf("\n    as UID %d, dlm_tru64 %s: status %d", FIXTURE_UID_A, cases[i].args,
                   run.status);
            wrong++;
        }
    }
    return wrong;
}

static void others_namespaces_are_closed(void)
{
    struct peer a;
    struct run run;
    pid_t child;
    int status = -1;

    if (!fixture_need_root("another user's view"))
        return;
    start(&a, holder);      /* as root: in the system namespace */
    fflush(stdout);
    child = fork();
    if (child == 0)
        _exit(as_another_user());
    CU_ASSERT_FATAL(child > 0);
    waitpid(child, &status, 0);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    run_tool(&run, "", "ns --json");
    CU_ASSERT(jq_holds("[.namespaces[] | select(.name == \"system\") | .processes] == [1]"));
    finish(&a);
}

/* --- Bad arguments, and an engine that is not there ------------------------------------ */

static void bad_arguments_get_a_message_and_status_2(void)
{
    static const char *const bad[] = {
        "", "frobnicate", "--frobnicate", "locks user.1 user.2", "locks nobody.1",
        "locks user.", "locks user.-1", "locks user.99999999999", "locks user.01",
        "status extra", "create", "remove", "--json create user.1", "-x ns", NULL,
    };
    const char *const *args;
    struct run run;

    for (args = bad; *args != NULL; args++) {
        run_tool(&run, "", *args);
        CU_ASSERT_EQUAL(run.status, TOOL_USAGE);
        CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "dlm_tru64: "));
        CU_ASSERT_STRING_EQUAL(run.out, "");
    }
    run_tool(&run, "", "--help");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Usage: dlm_tru64"));
    run_tool(&run, "", "--version");
    CU_ASSERT_EQUAL(run.status, TOOL_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "dlm_tru64 "));
    run_tool(&run, "DLM_TRU64_ENGINE=nosuch", "ns");
    CU_ASSERT_EQUAL(run.status, TOOL_UNAVAILABLE);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "names no engine"));
    /* A configuration file that cannot be read (here a directory). */
    run_tool(&run, "DLM_TRU64_ENGINE= DLM_TRU64_CONFIG=/", "ns");
    CU_ASSERT_EQUAL(run.status, TOOL_UNAVAILABLE);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "configuration file / cannot be read"));
    CU_ASSERT_STRING_EQUAL(run.out, "");
}

static int kernel_dlm_runs(void)
{
    return harness_system("grep -q ' dlm-control$' /proc/misc 2>/dev/null") == 0;
}

static void linux_engine_without_a_kernel_dlm_says_so(void)
{
    static const char *const commands[] = {
        "ns", "locks", "locks user.1", "glc", "rd", "create user.1", "remove user.1",
        "--json ns", NULL,
    };
    const char *const *args;
    struct run run;

    if (kernel_dlm_runs()) {
        printf("\n    (the kernel DLM runs here: skipped) ");
        return;
    }
    for (args = commands; *args != NULL; args++) {
        run_tool(&run, "DLM_TRU64_ENGINE=linux", *args);
        CU_ASSERT_EQUAL(run.status, TOOL_UNAVAILABLE);
        CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "kernel DLM is not running"));
        CU_ASSERT_STRING_EQUAL(run.out, "");
    }
    run_tool(&run, "DLM_TRU64_ENGINE=linux", "status --json");
    CU_ASSERT_EQUAL(run.status, TOOL_UNAVAILABLE);
    CU_ASSERT(jq_holds(".engine == \"linux\" and .usable == false"
                       " and (.problem | test(\"kernel DLM\"))"));
}

static const struct harness_test listing_tests[] = {
    { "locks lists holders, converters and waiters", locks_lists_holders_converters_and_waiters },
    { "ns counts processes, locks and resources", ns_counts_processes_locks_and_resources },
    { "a dead PW holder leaves the value block invalid",
      value_block_invalid_after_a_pw_holder_dies },
    { "hashed names show their place", hashed_names_show_their_place },
    { "glc lists containers and their group locks",
      glc_lists_containers_and_their_group_locks },
    { "rd lists persistent resources by domain", rd_lists_persistent_resources_by_domain },
    { "status, glc and rd", status_glc_and_rd },
    { NULL, NULL }
};

static const struct harness_test admin_tests[] = {
    { "remove refuses a lockspace in use", remove_refuses_a_lockspace_in_use },
    { "remove takes a stale lockspace", remove_takes_a_stale_lockspace },
    { "remove refuses what is no lockspace", remove_refuses_what_is_no_lockspace },
    { "create makes a namespace owned as it says", create_makes_a_namespace_owned_as_it_says },
    { "others' namespaces are closed", others_namespaces_are_closed },
    { NULL, NULL }
};

static const struct harness_test argument_tests[] = {
    { "bad arguments get a message and status 2", bad_arguments_get_a_message_and_status_2 },
    { "the linux engine without a kernel DLM says so",
      linux_engine_without_a_kernel_dlm_says_so },
    { NULL, NULL }
};

static const struct harness_suite listings = { "dlm_tru64 listings", listing_tests };
static const struct harness_suite administration = { "dlm_tru64 administration", admin_tests };
static const struct harness_suite arguments = { "dlm_tru64 arguments", argument_tests };

int main(void)
{
    static const struct harness_suite *const suites[] = {
        &listings, &administration, &arguments, NULL
    };

    return fixture_main(suites);
}
