/*
 * The embedded engine's administration side (engine_admin.h): removal
 * only of a lockspace no live process uses and no orphan holds, never from
 * under a process that mapped it first; peeking without being counted;
 * the listing of lockspaces; why the engine is not usable.  And
 * resname_read(), which reads engine names back into the paths they
 * encode.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embedded/ls.h"
#include "embedded/proc.h"
#include "engine_admin.h"
#include "engine_fixture.h"
#include "resname.h"

static const struct engine_admin *admin = &engine_admin_embedded;

static int segment_exists(const char *name)
{
    char path[1024];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", getenv("DLM_TRU64_EMBEDDED_DIR"), name);
    return stat(path, &st) == 0;
}

static void removal_waits_for_the_last_process(void)
{
    struct engine_ls *ls;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "admin-busy"), 0);
    CU_ASSERT_EQUAL(admin->remove("admin-busy"), -EBUSY);
    CU_ASSERT(segment_exists("admin-busy"));
    engine_embedded.ls_close(ls);
    CU_ASSERT_EQUAL(admin->remove("admin-busy"), 0);
    CU_ASSERT(!segment_exists("admin-busy"));
    CU_ASSERT_EQUAL(admin->remove("admin-busy"), -ENOENT);
}

/* A process that mapped the segment before the removal and attaches
 * after it must not use the removed segment: it is told to look again,
 * and then finds (here, makes) a new one. */
static void a_late_attacher_is_sent_to_the_new_segment(void)
{
    struct engine_ls_spec spec = { .name = "admin-late" };
    struct engine_ls *ls, *early;
    struct engine_census census;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "admin-late"), 0);
    engine_embedded.ls_close(ls);
    CU_ASSERT_EQUAL_FATAL(embedded_map(&spec, &early), 0);
    CU_ASSERT_EQUAL(admin->remove("admin-late"), 0);
    CU_ASSERT_EQUAL(proc_attach(early), -ESTALE);
    embedded_unmap(early);
    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "admin-late"), 0);
    CU_ASSERT(segment_exists("admin-late"));
    CU_ASSERT_EQUAL(engine_embedded.census(ls, &census), 0);
    CU_ASSERT_EQUAL(census.processes, 1);
    engine_embedded.ls_close(ls);
}

/* Orphaned persistent locks wait for an application to adopt them. */
static void removal_spares_orphans(void)
{
    struct engine_lksb lksb = { 0 };
    struct engine_ls *ls;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "admin-orphans"), 0);
    CU_ASSERT(engine_fixture_request(ls, ENGINE_MODE_EX, &lksb, ENGINE_LKF_PERSISTENT, "kept"));
    CU_ASSERT_EQUAL(lksb.status, 0);
    engine_embedded.ls_close(ls);
    CU_ASSERT_EQUAL(admin->remove("admin-orphans"), -ENOTEMPTY);
    CU_ASSERT(segment_exists("admin-orphans"));
}

static void removal_refuses_a_file_that_is_no_segment(void)
{
    char path[1024];
    FILE *file;

    snprintf(path, sizeof path, "%s/admin-foreign", getenv("DLM_TRU64_EMBEDDED_DIR"));
    file = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(file);
    fputs("something else\n", file);
    fclose(file);
    CU_ASSERT_EQUAL(admin->remove("admin-foreign"), -EIO);
    CU_ASSERT(segment_exists("admin-foreign"));
    CU_ASSERT_EQUAL(admin->remove("../admin-foreign"), -EINVAL);
    unlink(path);
}

static void a_peek_is_not_counted(void)
{
    struct engine_lksb lksb = { 0 };
    struct engine_ls *ls, *peek;
    struct engine_census census;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "admin-peek"), 0);
    CU_ASSERT(engine_fixture_request(ls, ENGINE_MODE_PW, &lksb, 0, "r"));
    CU_ASSERT_EQUAL_FATAL(admin->peek("admin-peek", &peek), 0);
    CU_ASSERT_EQUAL(engine_embedded.census(peek, &census), 0);
    CU_ASSERT_EQUAL(census.processes, 1);
    CU_ASSERT_EQUAL(census.locks, 1);
    CU_ASSERT_EQUAL(census.resources, 1);
    admin->unpeek(peek);
    CU_ASSERT_EQUAL(admin->peek("admin-absent", &peek), -ENOENT);
    engine_embedded.ls_close(ls);
}

struct listing {
    int seen_listed, seen_other;
};

static int note(const char *name, const struct stat *st, void *arg)
{
    struct listing *listing = arg;

    CU_ASSERT(S_ISREG(st->st_mode));
    if (strcmp(name, "admin-listed") == 0)
        listing->seen_listed++;
    else if (name[0] == '.' || strcmp(name, "admin-dir") == 0)
        listing->seen_other++;
    return 0;
}

static void listing_shows_lockspaces_only(void)
{
    struct listing listing = { 0, 0 };
    struct engine_ls *ls;
    char path[1024];
    FILE *file;

    CU_ASSERT_EQUAL_FATAL(engine_fixture_open(&ls, "admin-listed"), 0);
    snprintf(path, sizeof path, "%s/.new.half-made", getenv("DLM_TRU64_EMBEDDED_DIR"));
    file = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(file);
    fclose(file);
    snprintf(path, sizeof path, "%s/admin-dir", getenv("DLM_TRU64_EMBEDDED_DIR"));
    CU_ASSERT_EQUAL(mkdir(path, 0700), 0);
    CU_ASSERT_EQUAL(admin->each_lockspace(note, &listing), 0);
    CU_ASSERT_EQUAL(listing.seen_listed, 1);
    CU_ASSERT_EQUAL(listing.seen_other, 0);
    rmdir(path);
    engine_embedded.ls_close(ls);
}

/* --- Engine names read back --------------------------------------------------------- */

static void exact_names_read_back_into_their_paths(void)
{
    struct resname root, child;
    struct resname_reading reading;

    resname_child(&root, NULL, "root", 4);
    resname_child(&child, &root, "leaf", 4);
    CU_ASSERT_EQUAL_FATAL(resname_read(child.bytes, child.len, &reading), 0);
    CU_ASSERT_EQUAL(reading.base, 0);
    CU_ASSERT_EQUAL_FATAL(reading.nsegments, 2);
    CU_ASSERT_EQUAL(reading.segment[0].len, 4);
    CU_ASSERT_NSTRING_EQUAL(child.bytes + reading.segment[0].offset, "root", 4);
    CU_ASSERT_NSTRING_EQUAL(child.bytes + reading.segment[1].offset, "leaf", 4);
}

static void digest_names_read_back_with_their_base(void)
{
    static const char long_name[] = "0123456789abcdef0123456789abcdef";
    unsigned char print[RESNAME_FINGERPRINT_LEN];
    struct resname root, hashed, below;
    struct resname_reading reading;

    resname_child(&root, NULL, long_name, 32);
    resname_child(&hashed, &root, long_name, 32);   /* 66 bytes: hashed */
    resname_child(&below, &hashed, "x", 1);
    CU_ASSERT_EQUAL_FATAL(resname_read(hashed.bytes, hashed.len, &reading), 0);
    CU_ASSERT_EQUAL(reading.base, RESNAME_DIGEST_LEN);
    CU_ASSERT_EQUAL(reading.nsegments, 0);
    resname_fingerprint(root.bytes, root.len, print);
    CU_ASSERT_EQUAL(memcmp(hashed.bytes + 1, print, sizeof print), 0);
    CU_ASSERT_EQUAL_FATAL(resname_read(below.bytes, below.len, &reading), 0);
    CU_ASSERT_EQUAL(reading.base, RESNAME_DIGEST_LEN);
    CU_ASSERT_EQUAL(reading.nsegments, 1);
}

static void foreign_names_do_not_read_back(void)
{
    static const unsigned char zero_length[] = { 0, 'a' }, too_short[] = { 5, 'a', 'b' },
                               too_long_step[] = { 33, 'a' }, short_digest[] = { 0xff, 1 };
    struct resname_reading reading;

    CU_ASSERT_EQUAL(resname_read(zero_length, sizeof zero_length, &reading), -1);
    CU_ASSERT_EQUAL(resname_read(too_short, sizeof too_short, &reading), -1);
    CU_ASSERT_EQUAL(resname_read(too_long_step, sizeof too_long_step, &reading), -1);
    CU_ASSERT_EQUAL(resname_read(short_digest, sizeof short_digest, &reading), -1);
    CU_ASSERT_EQUAL(resname_read(too_short, 0, &reading), -1);
}

/* Each reason usable() gives names what is wrong. */
static void unusable_says_why(void)
{
    char *dir = strdup(getenv("DLM_TRU64_EMBEDDED_DIR"));
    char long_dir[300];
    const char *why;

    memset(long_dir, 'd', sizeof long_dir - 1);
    long_dir[0] = '/';
    long_dir[sizeof long_dir - 1] = '\0';
    setenv("DLM_TRU64_EMBEDDED_DIR", long_dir, 1);
    CU_ASSERT_EQUAL(admin->usable(&why), -ENAMETOOLONG);
    CU_ASSERT_STRING_EQUAL(why, "the lockspace directory setting is too long");
    setenv("DLM_TRU64_EMBEDDED_DIR", "/dev/null", 1);
    CU_ASSERT_EQUAL(admin->usable(&why), -ENOTDIR);
    CU_ASSERT_STRING_EQUAL(why, "the lockspace directory is not a directory");
    setenv("DLM_TRU64_EMBEDDED_DIR", dir, 1);

    /* The configuration file is read only for settings the environment
     * leaves out; a directory cannot be read as one. */
    unsetenv("DLM_TRU64_EMBEDDED_DIR");
    setenv("DLM_TRU64_CONFIG", "/", 1);
    CU_ASSERT_EQUAL(admin->usable(&why), -EISDIR);
    CU_ASSERT_PTR_NOT_NULL_FATAL(why);
    CU_ASSERT_STRING_EQUAL(why, "the configuration file cannot be read");
    unsetenv("DLM_TRU64_CONFIG");
    setenv("DLM_TRU64_EMBEDDED_DIR", dir, 1);
    CU_ASSERT_EQUAL(admin->usable(&why), 0);
    free(dir);
}

static const struct harness_test admin_tests[] = {
    { "removal waits for the last process", removal_waits_for_the_last_process },
    { "a late attacher is sent to the new segment", a_late_attacher_is_sent_to_the_new_segment },
    { "removal spares orphans", removal_spares_orphans },
    { "removal refuses a file that is no segment", removal_refuses_a_file_that_is_no_segment },
    { "a peek is not counted", a_peek_is_not_counted },
    { "listing shows lockspaces only", listing_shows_lockspaces_only },
    { "unusable says why", unusable_says_why },
    { NULL, NULL }
};

static const struct harness_test name_tests[] = {
    { "exact names read back into their paths", exact_names_read_back_into_their_paths },
    { "digest names read back with their base", digest_names_read_back_with_their_base },
    { "foreign names do not read back", foreign_names_do_not_read_back },
    { NULL, NULL }
};

static const struct harness_suite admin_suite = { "embedded engine administration",
                                                  admin_tests };
static const struct harness_suite name_suite = { "engine names read back", name_tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &admin_suite, &name_suite, NULL };

    return engine_fixture_main(suites);
}
