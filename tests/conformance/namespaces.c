/*
 * Namespaces, through <sys/dlm.h> only: dlm_nsjoin(), dlm_nsleave(),
 * dlm_detach() (reference 2.1-2.3, 4.1).  The tests that need other users
 * run agents that drop root for good (the suites run as root in CI).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"
#include "fixture.h"

/* A group namespace the caller may join: its own group's, unless that is
 * 0 (root's group 0 names the system namespace), then one root joins by
 * privilege. */
static dlm_nsid_t a_group(void)
{
    return getegid() != 0 ? getegid() : FIXTURE_GID_SHARED;
}

static void own_user_namespace_is_joined(void)
{
    dlm_lkid_t lkid;
    dlm_nsp_t ns = -1;

    CU_ASSERT_EQUAL_FATAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_SUCCESS);
    CU_ASSERT(ns >= 0 && ns <= DLM_NSPROCMAX);
    CU_ASSERT_EQUAL(fixture_lock(ns, NULL, "ns-own", DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void group_namespace_of_the_callers_group_is_joined(void)
{
    dlm_lkid_t lkid;
    dlm_nsp_t ns = -1;

    CU_ASSERT_EQUAL_FATAL(dlm_nsjoin(a_group(), &ns, DLM_GROUP), DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock(ns, NULL, "ns-group", DLM_EXMODE, &lkid), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* Root may join the system namespace (nsid 0), with or without DLM_USER. */
static void root_joins_the_system_namespace(void)
{
    dlm_nsp_t ns, again;

    if (!fixture_need_root("system namespace"))
        return;
    CU_ASSERT_EQUAL_FATAL(dlm_nsjoin(0, &ns, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsjoin(0, &again, DLM_USER | DLM_JOIN_SAME_OK), DLM_SUCCESS);
    CU_ASSERT_EQUAL(again, ns);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* The same resource name in two namespaces names two resources. */
static void namespaces_separate_resources(void)
{
    dlm_lkid_t in_user, in_group;
    dlm_nsp_t user, group;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&user), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_nsjoin(a_group(), &group, DLM_GROUP), DLM_SUCCESS);
    CU_ASSERT_NOT_EQUAL(user, group);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(user, NULL, "ns-same", DLM_EXMODE, &in_user),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(fixture_lock_with(group, NULL, "ns-same", DLM_EXMODE, NULL, DLM_NOQUEUE, 0,
                                      &in_group), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_unlock(NULL, NULL, DLM_DEQALL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&group, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&user, 0), DLM_SUCCESS);
}

static void user_and_group_together_are_a_bad_parameter(void)
{
    dlm_nsp_t ns = 77;

    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER | DLM_GROUP), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_nsjoin(a_group(), &ns, DLM_USER | DLM_GROUP | DLM_JOIN_SAME_OK),
                    DLM_BADPARAM);
    CU_ASSERT_EQUAL(ns, 77);
    CU_ASSERT_EQUAL(dlm_detach(), DLM_NOTATTACHED);
}

/* Choice (header): a non-zero nsid is a UID or a GID, so one of DLM_USER
 * and DLM_GROUP must say which; without either, DLM_BADPARAM. */
static void nonzero_nsid_without_user_or_group_is_a_bad_parameter(void)
{
    dlm_nsp_t ns = 77;

    CU_ASSERT_EQUAL(dlm_nsjoin(4242, &ns, 0), DLM_BADPARAM);
    CU_ASSERT_EQUAL(dlm_nsjoin(4242, &ns, DLM_JOIN_SAME_OK), DLM_BADPARAM);
    CU_ASSERT_EQUAL(ns, 77);
}

static void repeated_join_is_attached_and_gives_no_handle(void)
{
    dlm_nsp_t ns, again = 77;

    CU_ASSERT_EQUAL_FATAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &again, DLM_USER), DLM_ATTACHED);
    CU_ASSERT_EQUAL(again, 77);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

/* DLM_JOIN_SAME_OK: the same handle, and one leave disconnects. */
static void repeated_join_with_join_same_ok_gives_the_same_handle(void)
{
    dlm_nsp_t ns, again = 77;

    CU_ASSERT_EQUAL_FATAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &again, DLM_USER | DLM_JOIN_SAME_OK), DLM_SUCCESS);
    CU_ASSERT_EQUAL(again, ns);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&again, 0), DLM_NOTATTACHED);
}

/* Root may join any user's namespace: DLM_NSPROCMAX of them, and no more. */
static void joins_past_nsprocmax_are_too_many(void)
{
    dlm_nsp_t ns[DLM_NSPROCMAX], extra = 77;
    int i, joined = 0;

    if (!fixture_need_root("DLM_TOOMANYNS"))
        return;
    for (i = 0; i < DLM_NSPROCMAX; i++)
        joined += dlm_nsjoin(5000 + (dlm_nsid_t)i, &ns[i], DLM_USER) == DLM_SUCCESS;
    CU_ASSERT_EQUAL_FATAL(joined, DLM_NSPROCMAX);
    CU_ASSERT_EQUAL(dlm_nsjoin(5000 + DLM_NSPROCMAX, &extra, DLM_USER), DLM_TOOMANYNS);
    CU_ASSERT_EQUAL(dlm_nsjoin(a_group(), &extra, DLM_GROUP), DLM_TOOMANYNS);
    CU_ASSERT_EQUAL(extra, 77);
    /* One already joined is still found, and a freed slot serves again. */
    CU_ASSERT_EQUAL(dlm_nsjoin(5003, &extra, DLM_USER | DLM_JOIN_SAME_OK), DLM_SUCCESS);
    CU_ASSERT_EQUAL(extra, ns[3]);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns[0], 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsjoin(5000 + DLM_NSPROCMAX, &ns[0], DLM_USER), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_detach(), DLM_SUCCESS);
}

static void leaving_with_locks_is_refused(void)
{
    dlm_lkid_t lkid;
    dlm_nsp_t ns;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(ns, NULL, "ns-haslocks", DLM_PRMODE, &lkid),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_HASLOCKS);
    /* Still joined, the lock still held. */
    CU_ASSERT(fixture_holds(&lkid, DLM_PRMODE));
    CU_ASSERT_EQUAL(fixture_granted_mode(ns, NULL, "ns-haslocks"), DLM_PRMODE);
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
}

static void leaving_a_namespace_not_joined_is_not_attached(void)
{
    dlm_nsp_t bad[] = { -1, 0, DLM_NSPROCMAX + 1, 1000, -1000 };
    dlm_nsp_t ns, left;
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CU_ASSERT_EQUAL(dlm_nsleave(&bad[i], 0), DLM_NOTATTACHED);
    /* A handle in range that was joined once and left. */
    CU_ASSERT_EQUAL_FATAL(fixture_join(&ns), DLM_SUCCESS);
    left = ns;
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&left, 0), DLM_NOTATTACHED);
}

static void detach_leaves_every_namespace(void)
{
    dlm_nsp_t user, group;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&user), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_nsjoin(a_group(), &group, DLM_GROUP), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_detach(), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&user, 0), DLM_NOTATTACHED);
    CU_ASSERT_EQUAL(dlm_nsleave(&group, 0), DLM_NOTATTACHED);
    CU_ASSERT_EQUAL(dlm_detach(), DLM_NOTATTACHED);
    /* And the namespaces can be joined again. */
    CU_ASSERT_EQUAL(fixture_join(&user), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_detach(), DLM_SUCCESS);
}

static void detach_with_locks_is_refused_and_leaves_nothing(void)
{
    dlm_nsp_t user, group;
    dlm_lkid_t lkid;

    CU_ASSERT_EQUAL_FATAL(fixture_join(&user), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(dlm_nsjoin(a_group(), &group, DLM_GROUP), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(fixture_lock(group, NULL, "ns-detach", DLM_EXMODE, &lkid),
                          DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_detach(), DLM_HASLOCKS);
    /* Both namespaces are still joined: each can still lock. */
    CU_ASSERT_EQUAL(fixture_probe(user, NULL, "ns-detach", DLM_EXMODE), 1);
    CU_ASSERT_EQUAL(fixture_probe(group, NULL, "ns-detach", DLM_EXMODE), 0);
    CU_ASSERT(fixture_holds(&lkid, DLM_EXMODE));
    CU_ASSERT_EQUAL(dlm_unlock(&lkid, NULL, 0), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_detach(), DLM_SUCCESS);
}

/* --- Configuration (dlm_tru64(7)) ------------------------------------------------- */

/* The settings a test changes, kept to be put back as they were.  A test
 * of the lockspace directory chooses the embedded engine itself, the one
 * that reads it. */
static const char *const setting_variables[] = {
    "DLM_TRU64_ENGINE", "DLM_TRU64_EMBEDDED_DIR", "DLM_TRU64_CONFIG",
};

#define SETTINGS (sizeof setting_variables / sizeof setting_variables[0])

struct settings {
    char *value[SETTINGS];      /* NULL: unset */
};

static void save_settings(struct settings *saved)
{
    size_t i;

    for (i = 0; i < SETTINGS; i++) {
        const char *value = getenv(setting_variables[i]);

        saved->value[i] = value != NULL ? strdup(value) : NULL;
    }
}

static void restore_settings(struct settings *saved)
{
    size_t i;

    for (i = 0; i < SETTINGS; i++) {
        if (saved->value[i] != NULL)
            setenv(setting_variables[i], saved->value[i], 1);
        else
            unsetenv(setting_variables[i]);
        free(saved->value[i]);
    }
}

/* The embedded engine makes its lockspace directory when it is missing
 * (sticky and writable by all, like /tmp), but not the directories above
 * it: without its parent there is no lock manager to join (DLM_ENOSYS),
 * and nothing is made. */
static void a_lockspace_directory_without_its_parent_is_enosys(void)
{
    char parent[512], missing[sizeof parent + 16], made[512];
    struct settings saved;
    dlm_nsp_t ns = 77;
    struct stat st;

    save_settings(&saved);
    setenv("DLM_TRU64_ENGINE", "embedded", 1);
    snprintf(parent, sizeof parent, "%s/ns-no-parent", saved.value[1]);
    snprintf(missing, sizeof missing, "%s/lockspaces", parent);
    snprintf(made, sizeof made, "%s/ns-made", saved.value[1]);

    setenv("DLM_TRU64_EMBEDDED_DIR", missing, 1);
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_ENOSYS);
    CU_ASSERT_EQUAL(ns, 77);
    CU_ASSERT_NOT_EQUAL(stat(parent, &st), 0);

    setenv("DLM_TRU64_EMBEDDED_DIR", made, 1);
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
    CU_ASSERT(stat(made, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777);
    restore_settings(&saved);
}

/* A setting of 256 bytes or more names no engine and no directory: there
 * is no lock manager to join (DLM_ENOSYS), whether the environment or the
 * configuration file gives it.  255 bytes still serve. */
static void a_setting_of_256_bytes_or_more_is_enosys(void)
{
    char value[257], config[512];
    struct settings saved;
    dlm_nsp_t ns = 77;
    FILE *file;
    int at;

    save_settings(&saved);
    memset(value, 'e', 256);
    value[256] = '\0';
    setenv("DLM_TRU64_ENGINE", value, 1);
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_ENOSYS);

    setenv("DLM_TRU64_ENGINE", "embedded", 1);
    at = snprintf(value, sizeof value, "%s/", saved.value[1]);
    memset(value + at, 'd', (size_t)(255 - at));
    value[255] = '\0';
    setenv("DLM_TRU64_EMBEDDED_DIR", value, 1);
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
    strcat(value, "d");
    setenv("DLM_TRU64_EMBEDDED_DIR", value, 1);
    ns = 77;
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_ENOSYS);

    snprintf(config, sizeof config, "%s/ns-too-long.conf", saved.value[1]);
    file = fopen(config, "w");
    CU_ASSERT(file != NULL);
    if (file != NULL) {
        fprintf(file, "embedded_dir = %s\n", value);
        fclose(file);
        setenv("DLM_TRU64_CONFIG", config, 1);
        unsetenv("DLM_TRU64_EMBEDDED_DIR");
        CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_ENOSYS);
    }
    CU_ASSERT_EQUAL(ns, 77);
    restore_settings(&saved);
}

/* The configuration file's lines are read whole, however long: white
 * space may pad a line past any length, and its value still counts (the
 * first line of a key does; a line read in pieces would seem to hold none,
 * and the second line would count). */
static void a_long_line_of_the_configuration_file_is_read_whole(void)
{
    char dir[256], config[512];
    struct settings saved;
    dlm_nsp_t ns = 77;
    struct stat st;
    FILE *file;
    int at;

    save_settings(&saved);
    setenv("DLM_TRU64_ENGINE", "embedded", 1);
    at = snprintf(dir, sizeof dir, "%s/", saved.value[1]);
    memset(dir + at, 'p', sizeof dir - 1 - (size_t)at);
    dir[sizeof dir - 1] = '\0';
    snprintf(config, sizeof config, "%s/ns-long-line.conf", saved.value[1]);
    file = fopen(config, "w");
    CU_ASSERT(file != NULL);
    if (file != NULL) {
        fprintf(file, "embedded_dir%1000s= %s\n", "", dir);
        fprintf(file, "embedded_dir = %s/ns-second-line\n", saved.value[1]);
        fclose(file);
        setenv("DLM_TRU64_CONFIG", config, 1);
        unsetenv("DLM_TRU64_EMBEDDED_DIR");
        CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_SUCCESS);
        CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
        CU_ASSERT(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
    }
    restore_settings(&saved);
}

/* --- Other users (agents that drop root) ------------------------------------------ */

/* What dlm_nsjoin(nsid, flags) says to user A (primary group A, in the
 * shared group too). */
static dlm_status_t join_as_user_a(dlm_nsid_t nsid, dlm_flags_t flags)
{
    const struct agent_identity a = { FIXTURE_UID_A, FIXTURE_GID_A, FIXTURE_GID_SHARED, 0, 1,
                                      nsid, flags };
    struct peer agent;
    dlm_status_t status = agent_start(&agent, &a);

    if (status == DLM_SUCCESS)
        CU_ASSERT_EQUAL(agent_stop(&agent), 0);
    return status;
}

/* A configuration file that exists but cannot be read is no lock
 * manager (DLM_ENOSYS; DLM_NOACCESS when only its permissions stand in the
 * way), not a file whose settings all take their defaults: a default
 * engine other than the configured one would share no lock with the
 * machine's other processes.  A missing file is no error. */
static void a_configuration_file_that_cannot_be_read_is_refused(void)
{
    char config[512];
    struct settings saved;
    dlm_nsp_t ns = 77;
    FILE *file;

    save_settings(&saved);
    setenv("DLM_TRU64_ENGINE", "embedded", 1);
    unsetenv("DLM_TRU64_EMBEDDED_DIR");
    setenv("DLM_TRU64_CONFIG", saved.value[1], 1);      /* a directory */
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_ENOSYS);
    unsetenv("DLM_TRU64_ENGINE");
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_ENOSYS);
    CU_ASSERT_EQUAL(ns, 77);

    snprintf(config, sizeof config, "%s/ns-unreadable.conf", saved.value[1]);
    file = fopen(config, "w");
    CU_ASSERT_FATAL(file != NULL);
    fprintf(file, "engine = embedded\nembedded_dir = %s\n", saved.value[1]);
    fclose(file);
    setenv("DLM_TRU64_CONFIG", config, 1);
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
    /* Root reads it whatever its mode: another user is refused. */
    CU_ASSERT_EQUAL(chmod(config, 0), 0);
    if (geteuid() == 0) {
        CU_ASSERT_EQUAL(join_as_user_a(FIXTURE_UID_A, DLM_USER), DLM_NOACCESS);
    } else {
        CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_NOACCESS);
    }
    strcat(config, ".missing");
    setenv("DLM_TRU64_CONFIG", config, 1);
    setenv("DLM_TRU64_EMBEDDED_DIR", saved.value[1], 1);
    CU_ASSERT_EQUAL(dlm_nsjoin(geteuid(), &ns, DLM_USER), DLM_SUCCESS);
    CU_ASSERT_EQUAL(dlm_nsleave(&ns, 0), DLM_SUCCESS);
    restore_settings(&saved);
}

static void an_unprivileged_user_joins_its_own_namespaces(void)
{
    if (!fixture_need_root("unprivileged joins"))
        return;
    CU_ASSERT_EQUAL(join_as_user_a(FIXTURE_UID_A, DLM_USER), DLM_SUCCESS);
    CU_ASSERT_EQUAL(join_as_user_a(FIXTURE_GID_A, DLM_GROUP), DLM_SUCCESS);
    CU_ASSERT_EQUAL(join_as_user_a(FIXTURE_GID_SHARED, DLM_GROUP), DLM_SUCCESS);
}

/* A user's first join of its own namespace makes it.  On the Linux
 * engine only a process with CAP_SYS_ADMIN creates a lockspace (README,
 * "The Linux engine"): there the first join, before an administrator has
 * made the namespace, is DLM_NOACCESS. */
static void join_as_user_c(struct peer *self, void *arg)
{
    dlm_status_t status = -1;
    dlm_nsp_t ns;

    (void)arg;
    if (fixture_become(FIXTURE_UID_C, FIXTURE_GID_A, 0) == 0)
        status = fixture_join(&ns);
    peer_send(self, status);
}

static void an_unprivileged_users_first_join_makes_its_namespace(void)
{
    struct peer user;

    if (!fixture_need_root("unprivileged joins"))
        return;
    CU_ASSERT_FATAL(peer_start(&user, join_as_user_c, NULL) == 0);
    CU_ASSERT_EQUAL(peer_receive(&user), fixture_on_linux() ? DLM_NOACCESS : DLM_SUCCESS);
    CU_ASSERT_EQUAL(peer_finish(&user), 0);
}

static void an_unprivileged_user_is_refused_other_namespaces(void)
{
    if (!fixture_need_root("unprivileged joins"))
        return;
    CU_ASSERT_EQUAL(join_as_user_a(FIXTURE_UID_B, DLM_USER), DLM_NOACCESS);
    CU_ASSERT_EQUAL(join_as_user_a(FIXTURE_GID_SHARED + 1, DLM_GROUP), DLM_NOACCESS);
    CU_ASSERT_EQUAL(join_as_user_a(0, 0), DLM_NOACCESS);
    CU_ASSERT_EQUAL(join_as_user_a(0, DLM_USER), DLM_NOACCESS);
    CU_ASSERT_EQUAL(join_as_user_a(0, DLM_GROUP), DLM_NOACCESS);
}

/* The refusal is the kernel's, not the library's politeness: a process
 * whose effective UID is user A (so that any check of the library's
 * passes) but whose real and file-system UID are user B's, with which the
 * kernel judges access to files, cannot open A's namespace while A has
 * it in use. */
static void the_kernel_keeps_a_second_user_out_of_a_users_namespace(void)
{
    const struct agent_identity a = { FIXTURE_UID_A, FIXTURE_GID_A, 0, 0, 0, 0, 0 };
    const struct agent_identity b_as_a = { FIXTURE_UID_B, FIXTURE_GID_A + 1, 0, FIXTURE_UID_A,
                                           1, FIXTURE_UID_A, DLM_USER };
    struct peer owner, intruder;

    if (!fixture_need_root("kernel access control"))
        return;
    CU_ASSERT_EQUAL_FATAL(agent_start(&owner, &a), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&owner, 0, -1, "ns-private", DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_start(&intruder, &b_as_a), DLM_NOACCESS);
    /* The owner's lock is untouched. */
    CU_ASSERT_EQUAL(agent_probe(&owner, "ns-private", DLM_NLMODE), 1);
    CU_ASSERT_EQUAL(agent_probe(&owner, "ns-private", DLM_CRMODE), 0);
    CU_ASSERT_EQUAL(agent_stop(&owner), 0);
}

/* Two users who share a group meet in its namespace: one's lock blocks
 * the other's request, and the blocking routine reaches the holder. */
static void two_users_share_a_group_namespace(void)
{
    const struct agent_identity a = { FIXTURE_UID_A, FIXTURE_GID_A, FIXTURE_GID_SHARED, 0, 1,
                                      FIXTURE_GID_SHARED, DLM_GROUP };
    const struct agent_identity b = { FIXTURE_UID_B, FIXTURE_GID_A, FIXTURE_GID_SHARED, 0, 1,
                                      FIXTURE_GID_SHARED, DLM_GROUP };
    struct peer holder, waiter;
    dlm_lkmode_t blocked = 0;

    if (!fixture_need_root("shared group namespace"))
        return;
    CU_ASSERT_EQUAL_FATAL(agent_start(&holder, &a), DLM_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(agent_start(&waiter, &b), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_lock(&holder, 0, -1, "ns-shared", DLM_EXMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_probe(&waiter, "ns-shared", DLM_CRMODE), 0);
    agent_yield(&holder, 0);
    CU_ASSERT_EQUAL(agent_lock(&waiter, 0, -1, "ns-shared", DLM_PRMODE, 0, NULL), DLM_SUCCESS);
    CU_ASSERT_EQUAL(agent_answer(&holder, &blocked), DLM_SUCCESS);
    CU_ASSERT_EQUAL(blocked, DLM_PRMODE);
    CU_ASSERT_EQUAL(agent_stop(&waiter), 0);
    CU_ASSERT_EQUAL(agent_stop(&holder), 0);
}

static const struct harness_test tests[] = {
    { "own user namespace is joined", own_user_namespace_is_joined },
    { "group namespace of the caller's group is joined",
      group_namespace_of_the_callers_group_is_joined },
    { "root joins the system namespace", root_joins_the_system_namespace },
    { "namespaces separate resources", namespaces_separate_resources },
    { "DLM_USER with DLM_GROUP is DLM_BADPARAM", user_and_group_together_are_a_bad_parameter },
    { "non-zero nsid without DLM_USER or DLM_GROUP is DLM_BADPARAM",
      nonzero_nsid_without_user_or_group_is_a_bad_parameter },
    { "repeated join is DLM_ATTACHED and gives no handle",
      repeated_join_is_attached_and_gives_no_handle },
    { "repeated join with DLM_JOIN_SAME_OK gives the same handle",
      repeated_join_with_join_same_ok_gives_the_same_handle },
    { "joins past DLM_NSPROCMAX are DLM_TOOMANYNS", joins_past_nsprocmax_are_too_many },
    { "leaving with locks is DLM_HASLOCKS", leaving_with_locks_is_refused },
    { "leaving a namespace not joined is DLM_NOTATTACHED",
      leaving_a_namespace_not_joined_is_not_attached },
    { "dlm_detach leaves every namespace", detach_leaves_every_namespace },
    { "dlm_detach with locks is DLM_HASLOCKS and leaves nothing",
      detach_with_locks_is_refused_and_leaves_nothing },
    { "a lockspace directory without its parent is DLM_ENOSYS",
      a_lockspace_directory_without_its_parent_is_enosys },
    { "a setting of 256 bytes or more is DLM_ENOSYS", a_setting_of_256_bytes_or_more_is_enosys },
    { "a configuration file that cannot be read is refused",
      a_configuration_file_that_cannot_be_read_is_refused },
    { "a long line of the configuration file is read whole",
      a_long_line_of_the_configuration_file_is_read_whole },
    { "an unprivileged user joins its own namespaces",
      an_unprivileged_user_joins_its_own_namespaces },
    { "an unprivileged user's first join makes its namespace (Linux engine: DLM_NOACCESS)",
      an_unprivileged_users_first_join_makes_its_namespace },
    { "an unprivileged user is refused other namespaces (DLM_NOACCESS)",
      an_unprivileged_user_is_refused_other_namespaces },
    { "the kernel keeps a second user out of a user's namespace",
      the_kernel_keeps_a_second_user_out_of_a_users_namespace },
    { "two users share a group namespace", two_users_share_a_group_namespace },
    { NULL, NULL }
};

static const struct harness_suite suite = { "namespaces", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return fixture_main(suites);
}
