/*
 * The shared library exports exactly the <sys/dlm.h> calls: nothing of its
 * internals leaks into a program's symbol name space.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *const public_calls[] = {
    "dlm_cancel", "dlm_cvt", "dlm_detach", "dlm_get_lkinfo", "dlm_get_rsbinfo",
    "dlm_glc_attach", "dlm_glc_create", "dlm_glc_destroy", "dlm_glc_detach",
    "dlm_lock", "dlm_locktp", "dlm_notify", "dlm_nsjoin", "dlm_nsleave",
    "dlm_perrno", "dlm_perror", "dlm_quecvt", "dlm_quelock", "dlm_quelocktp",
    "dlm_rd_attach", "dlm_rd_collect", "dlm_rd_detach", "dlm_rd_validate",
    "dlm_set_signal", "dlm_sperrno", "dlm_unlock",
};
#define NCALLS (sizeof public_calls / sizeof public_calls[0])

static int is_public_call(const char *name)
{
    size_t i;

    for (i = 0; i < NCALLS; i++)
        if (strcmp(name, public_calls[i]) == 0)
            return 1;
    return 0;
}

static void exports_are_exactly_the_public_calls(void)
{
    char command[2048];
    char line[512];
    unsigned int found = 0, stray = 0;
    FILE *nm;

    snprintf(command, sizeof command,
             "%s -D --defined-only --format=posix '%s'",
             harness_env("NM"), harness_env("DLM_TRU64_SHARED_LIBRARY"));
    nm = popen(command, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    while (fgets(line, sizeof line, nm) != NULL) {
        char name[256], type;

        /* POSIX format: "name type value size"; versioned names end in @@. */
        if (sscanf(line, "%255s %c", name, &type) != 2)
            continue;
        name[strcspn(name, "@")] = '\0';
        if (type == 'A')
            continue;   /* the version node itself, not a symbol */
        if (is_public_call(name)) {
            found++;
        } else {
            fprintf(stderr, "exported but not public: %s", line);
            stray++;
        }
    }
    CU_ASSERT_EQUAL(pclose(nm), 0);
    CU_ASSERT_EQUAL(found, NCALLS);
    CU_ASSERT_EQUAL(stray, 0);
}

static void public_calls_carry_the_library_version(void)
{
    char command[2048];

    snprintf(command, sizeof command,
             "test \"$(%s -D --defined-only '%s' | grep -c ' dlm_[a-z_]*@@DLM_TRU64_1$')\" -eq %u",
             harness_env("NM"), harness_env("DLM_TRU64_SHARED_LIBRARY"), (unsigned int)NCALLS);
    CU_ASSERT_EQUAL(harness_system(command), 0);
}

static const struct harness_test tests[] = {
    { "exports are exactly the public calls", exports_are_exactly_the_public_calls },
    { "public calls carry the library version", public_calls_carry_the_library_version },
    { NULL, NULL }
};

static const struct harness_suite exports = { "shared library exports", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &exports, NULL };

    return harness_run(suites);
}
