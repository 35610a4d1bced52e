/*
 * The reader of the kernel DLM's debugfs dump (src/linux/dump.h), which
 * the Linux engine's census and the administration's snapshot share:
 * on a sample dump written in the kernel's format
 * (tests/linux_dump_all.sample), and on dumps it must refuse.  Needs no
 * kernel DLM: the dumps are files.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "linux/dump.h"
#include "linux/linux.h"
#include "picture.h"

static FILE *open_sample(void)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/tests/linux_dump_all.sample", harness_env("TOP_SRCDIR"));
    return fopen(path, "re");
}

static int name_is(const struct engine_resource_info *res, const void *name, unsigned int len)
{
    return res->namelen == len && memcmp(res->name, name, len) == 0;
}

static void census_counts_locks_names_and_local_pids(void)
{
    struct engine_census census;
    FILE *dump = open_sample();

    CU_ASSERT_PTR_NOT_NULL_FATAL(dump);
    CU_ASSERT_EQUAL(linux_census_read(dump, &census), 0);
    fclose(dump);
    CU_ASSERT_EQUAL(census.locks, 6);
    /* The resource with no lock is not counted. */
    CU_ASSERT_EQUAL(census.resources, 3);
    /* 4321 is a process of node 2: not one of this node's. */
    CU_ASSERT_EQUAL(census.processes, 4);
}

static void snapshot_reads_every_field(void)
{
    static const unsigned char binary[] = { 0x00, 0xff, 0x10, 0x7a };
    struct engine_picture p;
    const struct engine_lock_info *l;
    FILE *dump = open_sample();

    CU_ASSERT_PTR_NOT_NULL_FATAL(dump);
    CU_ASSERT_EQUAL_FATAL(linux_snapshot_read(dump, &p), 0);
    fclose(dump);
    CU_ASSERT_EQUAL_FATAL(p.nresources, 4);
    CU_ASSERT_EQUAL_FATAL(p.nlocks, 6);

    CU_ASSERT(name_is(&p.resources[0], "account", 7));
    CU_ASSERT(memcmp(p.resources[0].lvb, "ABC", 4) == 0);
    CU_ASSERT_EQUAL(p.resources[0].lvb[31], 7);
    CU_ASSERT(name_is(&p.resources[1], binary, sizeof binary));
    CU_ASSERT_EQUAL(p.resources[1].lvb[0], 0);      /* it has none */
    CU_ASSERT(name_is(&p.resources[2], " sp c", 5));
    CU_ASSERT(name_is(&p.resources[3], "idle", 4));

    l = &p.locks[0];
    CU_ASSERT_EQUAL(l->lkid, 0x10001);
    CU_ASSERT_EQUAL(l->pid, 1234);
    CU_ASSERT_EQUAL(l->node, 0);
    CU_ASSERT_EQUAL(l->queue, ENGINE_QUEUE_GRANTED);
    CU_ASSERT_EQUAL(l->grmode, ENGINE_MODE_PW);
    CU_ASSERT_EQUAL(l->rqmode, ENGINE_MODE_IV);
    CU_ASSERT_EQUAL(l->flags, ENGINE_LKF_VALBLK);
    CU_ASSERT_EQUAL(l->resource, 0);

    l = &p.locks[1];
    CU_ASSERT_EQUAL(l->queue, ENGINE_QUEUE_CONVERTING);
    CU_ASSERT_EQUAL(l->grmode, ENGINE_MODE_PR);
    CU_ASSERT_EQUAL(l->rqmode, ENGINE_MODE_EX);
    CU_ASSERT_EQUAL(l->pid, 1300);

    l = &p.locks[2];
    CU_ASSERT_EQUAL(l->queue, ENGINE_QUEUE_WAITING);
    CU_ASSERT_EQUAL(l->grmode, ENGINE_MODE_IV);
    CU_ASSERT_EQUAL(l->rqmode, ENGINE_MODE_PR);
    CU_ASSERT_EQUAL(l->resource, 0);

    l = &p.locks[3];
    CU_ASSERT_EQUAL(l->flags, ENGINE_LKF_VALBLK | ENGINE_LKF_PERSISTENT);
    CU_ASSERT_EQUAL(l->grmode, ENGINE_MODE_EX);
    CU_ASSERT_EQUAL(l->resource, 1);

    l = &p.locks[4];
    CU_ASSERT_EQUAL(l->node, 2);
    CU_ASSERT_EQUAL(l->pid, 4321);
    CU_ASSERT_EQUAL(l->lkid, 0x50005);
    CU_ASSERT_EQUAL(l->resource, 1);

    /* Waiting for the lookup of its master: waiting. */
    l = &p.locks[5];
    CU_ASSERT_EQUAL(l->queue, ENGINE_QUEUE_WAITING);
    CU_ASSERT_EQUAL(l->rqmode, ENGINE_MODE_CR);
    CU_ASSERT_EQUAL(l->resource, 2);
    picture_free(&p);
}

/* The snapshot of a dump given as text: its status, the picture freed. */
static int snapshot_of(const char *text)
{
    struct engine_picture p;
    FILE *dump = fmemopen((void *)text, strlen(text), "r");
    int rc;

    CU_ASSERT_PTR_NOT_NULL_FATAL(dump);
    rc = linux_snapshot_read(dump, &p);
    fclose(dump);
    if (rc == 0)
        picture_free(&p);
    else
        CU_ASSERT(p.resources == NULL && p.locks == NULL);
    return rc;
}

#define OLD_HEADER "version rsb 1.1 lvb 1.1 lkb 1.1\n"
#define RSB "rsb 00000000c0ffee00 0 0 0 0 0 0 4 str name\n"
#define LKB "lkb 1 0 0 99 0 0 1 2 3 3 -1 0 0 0 1 0\n"

static void the_later_header_is_read_too(void)
{
    CU_ASSERT_EQUAL(snapshot_of("rsb ptr nodeid first_lkid flags !root_list_empty "
                                "!recover_list_empty recover_locks_count len\n" RSB LKB), 0);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER), 0);
}

/* The kernel writes its header with the first resource. */
static void an_empty_dump_is_an_empty_lockspace(void)
{
    struct engine_census census = { 1, 1, 1 };
    struct engine_picture p;
    FILE *dump = fmemopen((void *)"", 0, "r");

    CU_ASSERT_PTR_NOT_NULL_FATAL(dump);
    CU_ASSERT_EQUAL(linux_census_read(dump, &census), 0);
    CU_ASSERT(census.locks == 0 && census.resources == 0 && census.processes == 0);
    rewind(dump);
    CU_ASSERT_EQUAL(linux_snapshot_read(dump, &p), 0);
    CU_ASSERT(p.nresources == 0 && p.nlocks == 0);
    picture_free(&p);
    fclose(dump);
}

static void unknown_formats_are_refused(void)
{
    CU_ASSERT_EQUAL(snapshot_of("id nodeid remid pid xid exflags flags sts grmode rqmode "
                                "time_ms r_nodeid r_len r_name\n"), -ENOSYS);
    CU_ASSERT_EQUAL(snapshot_of("version rsb 2.0\n" RSB LKB), -ENOSYS);
}

static void damaged_lines_are_refused(void)
{
    /* A lock before any resource; a line of no known kind. */
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER LKB), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER RSB "lock 1\n"), -EIO);
    /* Modes and states out of range. */
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER RSB "lkb 1 0 0 99 0 0 1 2 6 3 -1 0 0 0 1 0\n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER RSB "lkb 1 0 0 99 0 0 1 4 3 3 -1 0 0 0 1 0\n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER RSB "lkb 1 0 0 99 0 0 1 2 3\n"), -EIO);
    /* Names not of their length, too long, or neither str nor hex. */
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER "rsb 0 0 0 0 0 0 0 5 str name\n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER "rsb 0 0 0 0 0 0 0 3 str name\n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER "rsb 0 0 0 0 0 0 0 3 hex 01 02\n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER "rsb 0 0 0 0 0 0 0 2 hex 01 0g\n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER "rsb 0 0 0 0 0 0 0 2 hex 01 02 03\n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER "rsb 0 0 0 0 0 0 0 65 str "
                                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"),
                    -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER "rsb 0 0 0 0 0 0 0 0 str \n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER "rsb 0 0 0 0 0 0 0 2 raw ab\n"), -EIO);
    /* A value block longer than the contract's, short of its length, or
     * twice, or after the locks. */
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER RSB "lvb 1 33 00\n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER RSB "lvb 1 2 00\n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER RSB "lvb 1 1 00\nlvb 1 1 00\n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER RSB LKB "lvb 1 1 00\n"), -EIO);
    CU_ASSERT_EQUAL(snapshot_of(OLD_HEADER "lvb 1 1 00\n"), -EIO);
}

static const struct harness_test dump_tests[] = {
    { "census counts locks, names and this node's pids",
      census_counts_locks_names_and_local_pids },
    { "snapshot reads every field of the sample", snapshot_reads_every_field },
    { "the later kernels' header is read too", the_later_header_is_read_too },
    { "an empty dump is an empty lockspace", an_empty_dump_is_an_empty_lockspace },
    { "unknown formats are refused", unknown_formats_are_refused },
    { "damaged lines are refused", damaged_lines_are_refused },
    { NULL, NULL }
};

static const struct harness_suite dump_suite = { "Linux engine debugfs dump", dump_tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &dump_suite, NULL };

    return harness_run(suites);
}
