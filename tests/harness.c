#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <CUnit/Basic.h>

int harness_run(const struct harness_suite *const *suites)
{
    unsigned int passed, failed;
    CU_ErrorCode error;

    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
        return 1;
    }
    for (; *suites != NULL; suites++) {
        CU_pSuite suite = CU_add_suite((*suites)->name, NULL, NULL);
        const struct harness_test *test;

        if (suite == NULL) {
            fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
            CU_cleanup_registry();
            return 1;
        }
        for (test = (*suites)->tests; test->name != NULL; test++) {
            if (CU_add_test(suite, test->name, test->run) == NULL) {
                fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
                CU_cleanup_registry();
                return 1;
            }
        }
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_tests_failed();
    passed = CU_get_number_of_tests_run() - failed;
    error = CU_get_error();
    printf("\n%u passed, %u failed\n", passed, failed);
    CU_cleanup_registry();
    return failed == 0 && error == CUE_SUCCESS ? 0 : 1;
}

int harness_system(const char *command)
{
    int status;

    fflush(stdout);
    fflush(stderr);
    status = system(command);
    if (status == -1 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

const char *harness_env(const char *name)
{
    const char *value = getenv(name);

    if (value == NULL) {
        fprintf(stderr, "test environment lacks %s (run the tests with make check)\n", name);
        CU_FAIL("test environment variable missing");
        return "";
    }
    return value;
}
