/*
 * The embedded engine's lockspace files: where they live, who may open
 * them, and what becomes of a file that is not a sound lockspace - a
 * foreign one, a truncated one, one of another version, one scribbled
 * over at random: an error or a working call, never a crash or a hang.
 *
 * DLM_TRU64_SCRIBBLE_ROUNDS sets the number of scribble rounds (default
 * 200).
 */
#define _GNU_SOURCE     /* setresuid, setresgid */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "engine_fixture.h"
#include "harness.h"

#define OUTSIDER_UID 65534      /* nobody */
#define OUTSIDER_GID 65534
#define WATCHDOG_MS 30000

static const struct engine_ops *ops = &engine_embedded;

static const char *lockspace_dir(void)
{
    return getenv("DLM_TRU64_EMBEDDED_DIR");
}

static void segment_path(char *path, size_t size, const char *dir, const char *name)
{
    snprintf(path, size, "%s/%s", dir, name);
}

static int open_spec(const char *name, uid_t uid, gid_t gid, mode_t mode, int create,
                     struct engine_ls **ls)
{
    struct engine_ls_spec spec = { name, uid, gid, mode, create };

    return ops->ls_open(&spec, ls);
}

/* Run body in a child process; 1 if it exited normally with status 0
 * within the watchdog, else 0 (a crash, a hang, or a failure). */
static int in_child(int (*body)(void *), void *arg)
{
    int link[2], status, ready;
    struct pollfd pfd;
    char drain;
    pid_t child;

    if (pipe(link) != 0)
        return 0;
    child = fork();
    if (child == 0) {
        close(link[0]);
        _exit(body(arg));
    }
    close(link[1]);
    /* The child's end closes when it exits, however it exits. */
    pfd = (struct pollfd){ link[0], POLLIN, 0 };
    ready = poll(&pfd, 1, WATCHDOG_MS);
    if (ready == 1)
        ready = read(link[0], &drain, 1) == 0;
    close(link[0]);
    if (ready != 1)
        kill(child, SIGKILL);
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status))
        fprintf(stderr, "\n    child killed by signal %d\n", WTERMSIG(status));
    return ready == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void lockspace_lives_in_the_configured_directory(void)
{
    char path[512];
    struct engine_ls *ls;
    struct stat st;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "placed"), 0);
    segment_path(path, sizeof path, lockspace_dir(), "placed");
    CU_ASSERT_EQUAL(stat(path, &st), 0);
    ops->ls_close(ls);
}

/* The file names the directory when the environment does not, and the
 * environment wins when both do. */
static void configuration_file_names_the_directory(void)
{
    char file_dir[] = "/tmp/dlm_tru64_conf.XXXXXX", config[600], path[600];
    char *env_dir = strdup(lockspace_dir());
    struct engine_ls *ls;
    struct stat st;
    FILE *f;

    CU_ASSERT_FATAL(mkdtemp(file_dir) != NULL);
    snprintf(config, sizeof config, "%s/dlm_tru64.conf", file_dir);
    f = fopen(config, "w");
    CU_ASSERT_FATAL(f != NULL);
    fprintf(f, "# lockspaces for this test\nembedded_dir = %s/spaces\n", file_dir);
    fclose(f);
    setenv("DLM_TRU64_CONFIG", config, 1);

    unsetenv("DLM_TRU64_EMBEDDED_DIR");
    CU_ASSERT_EQUAL(open_spec("fromfile", geteuid(), getegid(), 0600, 1, &ls), 0);
    ops->ls_close(ls);
    snprintf(path, sizeof path, "%s/spaces/fromfile", file_dir);
    CU_ASSERT_EQUAL(stat(path, &st), 0);

    setenv("DLM_TRU64_EMBEDDED_DIR", env_dir, 1);
    CU_ASSERT_EQUAL(open_spec("fromenv", geteuid(), getegid(), 0600, 1, &ls), 0);
    ops->ls_close(ls);
    segment_path(path, sizeof path, env_dir, "fromenv");
    CU_ASSERT_EQUAL(stat(path, &st), 0);

    unsetenv("DLM_TRU64_CONFIG");
    snprintf(path, sizeof path, "rm -rf '%s'", file_dir);
    harness_system(path);
    free(env_dir);
}

static void new_lockspace_takes_the_requested_owner_and_mode(void)
{
    char path[512];
    struct engine_ls *ls;
    struct stat st;

    CU_ASSERT_EQUAL_FATAL(open_spec("private", geteuid(), getegid(), 0600, 1, &ls), 0);
    ops->ls_close(ls);
    segment_path(path, sizeof path, lockspace_dir(), "private");
    CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 07777, 0600);
    CU_ASSERT_EQUAL(st.st_uid, geteuid());

    if (geteuid() != 0)
        return;         /* giving a file away takes root */
    CU_ASSERT_EQUAL_FATAL(open_spec("shared", 0, OUTSIDER_GID, 0660, 1, &ls), 0);
    ops->ls_close(ls);
    segment_path(path, sizeof path, lockspace_dir(), "shared");
    CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 07777, 0660);
    CU_ASSERT_EQUAL(st.st_gid, OUTSIDER_GID);
}

struct visitor {
    const char *name;
    gid_t group;            /* a supplementary group, or (gid_t)-1 */
    int expected;           /* what ls_open must return */
};

/* In a child: become an unprivileged user and try to open. */
static int visit(void *arg)
{
    const struct visitor *v = arg;
    struct engine_ls *ls;
    int rc;

    if (setgroups(v->group != (gid_t)-1 ? 1 : 0, &v->group) != 0
        || setresgid(OUTSIDER_GID + 1, OUTSIDER_GID + 1, OUTSIDER_GID + 1) != 0
        || setresuid(OUTSIDER_UID, OUTSIDER_UID, OUTSIDER_UID) != 0)
        return 3;
    rc = open_spec(v->name, OUTSIDER_UID, OUTSIDER_GID + 1, 0600, 0, &ls);
    if (rc == 0)
        ops->ls_close(ls);
    return rc == v->expected ? 0 : 4;
}

/* The kernel, not the library, keeps others out: the file's mode does. */
static void kernel_refuses_whom_the_mode_does_not_admit(void)
{
    struct visitor stranger = { "mine", (gid_t)-1, -EACCES };
    struct visitor member = { "ours", OUTSIDER_GID, 0 };
    struct visitor outsider = { "ours", (gid_t)-1, -EACCES };
    struct engine_ls *mine, *ours;
    char dir_mode[600];

    if (geteuid() != 0) {
        fprintf(stderr, "\n    (needs root to act as other users: not checked)\n");
        return;
    }
    snprintf(dir_mode, sizeof dir_mode, "chmod 0755 '%s'", lockspace_dir());
    CU_ASSERT_EQUAL(harness_system(dir_mode), 0);   /* mkdtemp made it 0700 */
    CU_ASSERT_EQUAL_FATAL(open_spec("mine", 0, 0, 0600, 1, &mine), 0);
    CU_ASSERT_EQUAL_FATAL(open_spec("ours", 0, OUTSIDER_GID, 0660, 1, &ours), 0);
    CU_ASSERT(in_child(visit, &stranger));
    CU_ASSERT(in_child(visit, &member));
    CU_ASSERT(in_child(visit, &outsider));
    ops->ls_close(mine);
    ops->ls_close(ours);
}

/* Write a file of that name in the lockspace directory. */
static void plant(const char *name, const void *bytes, size_t len)
{
    char path[512];
    int fd;

    segment_path(path, sizeof path, lockspace_dir(), name);
    fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT(write(fd, bytes, len) == (ssize_t)len);
    close(fd);
}

static void foreign_file_is_refused(void)
{
    static char noise[65536];
    struct engine_ls *ls;
    unsigned int seed = 7;
    size_t i;

    for (i = 0; i < sizeof noise; i++)
        noise[i] = (char)rand_r(&seed);
    plant("foreign", noise, sizeof noise);
    CU_ASSERT_EQUAL(open_spec("foreign", geteuid(), getegid(), 0600, 1, &ls), -EIO);
    plant("empty", "", 0);
    CU_ASSERT_EQUAL(open_spec("empty", geteuid(), getegid(), 0600, 1, &ls), -EIO);
}

/* Copy a sound lockspace's first bytes under another name, changed by
 * edit: what every opener then says. */
static int open_altered(const char *name, size_t keep, void (*edit)(unsigned char *))
{
    char path[512];
    struct engine_ls *ls;
    unsigned char *copy;
    struct stat st;
    int fd, rc;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "sound"), 0);
    ops->ls_close(ls);
    segment_path(path, sizeof path, lockspace_dir(), "sound");
    fd = open(path, O_RDONLY);
    CU_ASSERT_FATAL(fd >= 0 && fstat(fd, &st) == 0);
    if (keep == 0 || keep > (size_t)st.st_size)
        keep = (size_t)st.st_size;
    copy = malloc(keep);
    CU_ASSERT_FATAL(copy != NULL && read(fd, copy, keep) == (ssize_t)keep);
    close(fd);
    if (edit != NULL)
        edit(copy);
    plant(name, copy, keep);
    free(copy);
    rc = open_spec(name, geteuid(), getegid(), 0600, 1, &ls);
    if (rc == 0)
        ops->ls_close(ls);
    return rc;
}

static void next_version(unsigned char *segment)
{
    segment[8]++;       /* the version word follows the 8-byte magic */
}

static void truncated_lockspace_is_refused(void)
{
    CU_ASSERT_EQUAL(open_altered("truncated", 4096, NULL), -EIO);
}

static void lockspace_of_another_version_is_refused(void)
{
    CU_ASSERT_EQUAL(open_altered("newer", 0, next_version), -EIO);
}

/* --- Scribbling ---------------------------------------------------------------------- */

struct scribble {
    unsigned int seed;
};

/* Every call must come back; what it says does not matter. */
static int use_damaged(void *arg)
{
    const struct scribble *s = arg;
    char lvb[ENGINE_LVB_LEN] = { 0 };
    struct engine_lksb lksb = { .lvb = lvb }, other = { 0 };
    struct engine_resource_info resources[4];
    struct engine_lock_info locks[8];
    struct engine_picture picture = { resources, 4, locks, 8 };
    struct engine_census census;
    struct engine_ls *ls;
    unsigned int seed = s->seed;
    int i;

    if (engine_fixture_open(&ls, "scribbled") != 0)
        return 0;       /* refused: fine */
    for (i = 0; i < 4; i++) {
        char name[8];

        snprintf(name, sizeof name, "r%d", rand_r(&seed) % 4);
        ops->lock(ls, rand_r(&seed) % ENGINE_NMODES, &lksb, ENGINE_LKF_VALBLK | ENGINE_LKF_NOQUEUE,
                  name, (unsigned int)strlen(name), NULL, NULL, NULL);
        ops->lock(ls, ENGINE_MODE_EX, &lksb, ENGINE_LKF_CONVERT | ENGINE_LKF_NOQUEUE, NULL, 0,
                  NULL, NULL, NULL);
        ops->unlock(ls, lksb.lkid, ENGINE_LKF_VALBLK, &lksb, NULL);
        ops->unlock(ls, (uint32_t)rand_r(&seed), 0, &other, NULL);
        ops->census(ls, &census);
        ops->inspect(ls, NULL, 0, &picture);
        ops->wait(ls, 1);
        ops->dispatch(ls);
    }
    ops->ls_close(ls);
    return 0;
}

static void scribble_over(const char *path, unsigned int *seed)
{
    struct stat st;
    unsigned char *map;
    int fd = open(path, O_RDWR), n;

    CU_ASSERT_FATAL(fd >= 0 && fstat(fd, &st) == 0);
    /* Most of what matters is near the start: the header, the first
     * slots, locks and resources, the hash; aim there mostly. */
    map = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CU_ASSERT_FATAL(map != MAP_FAILED);
    for (n = 1 + rand_r(seed) % 16; n > 0; n--) {
        size_t span = rand_r(seed) % 2 ? 65536 : (size_t)st.st_size;
        size_t at = (size_t)rand_r(seed) % (span < (size_t)st.st_size ? span : (size_t)st.st_size);

        map[at] = (unsigned char)rand_r(seed);
    }
    munmap(map, (size_t)st.st_size);
    close(fd);
}

static void scribbled_lockspace_never_crashes_or_hangs(void)
{
    const char *env = getenv("DLM_TRU64_SCRIBBLE_ROUNDS");
    int rounds = env != NULL ? atoi(env) : 200, round, sound = 0;
    unsigned int seed = 2026;
    char path[512];

    segment_path(path, sizeof path, lockspace_dir(), "scribbled");
    for (round = 0; round < rounds; round++) {
        struct scribble s = { (unsigned int)rand_r(&seed) };
        struct engine_lksb held = { 0 };
        struct engine_ls *ls;

        unlink(path);
        CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "scribbled"), 0);
        engine_fixture_request(ls, ENGINE_MODE_PR, &held, 0, "r1");
        scribble_over(path, &seed);
        sound += in_child(use_damaged, &s);
        ops->ls_close(ls);
    }
    CU_ASSERT_EQUAL(sound, rounds);
    unlink(path);
}

static const struct harness_test tests[] = {
    { "a lockspace lives in the configured directory",
      lockspace_lives_in_the_configured_directory },
    { "the configuration file names the directory", configuration_file_names_the_directory },
    { "a new lockspace takes the requested owner and mode",
      new_lockspace_takes_the_requested_owner_and_mode },
    { "the kernel refuses whom the mode does not admit",
      kernel_refuses_whom_the_mode_does_not_admit },
    { "a foreign file is refused", foreign_file_is_refused },
    { "a truncated lockspace is refused", truncated_lockspace_is_refused },
    { "a lockspace of another version is refused", lockspace_of_another_version_is_refused },
    { "a scribbled lockspace never crashes or hangs",
      scribbled_lockspace_never_crashes_or_hangs },
    { NULL, NULL }
};

static const struct harness_suite suite = { "embedded engine lockspace files", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &suite, NULL };

    return engine_fixture_main(suites);
}
