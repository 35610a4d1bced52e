/*
 * The calls whose issues have not landed: each fails with DLM_ENOSYS and
 * writes nothing through its pointers.  A test leaves this file when the
 * call's real behaviour lands with its own suite.
 */
#include <string.h>

#include <sys/dlm.h>

#include "harness.h"

/* Output buffers filled with a pattern that a write would disturb. */
static dlm_nsp_t nsp;
static dlm_lkid_t lkid;
static dlm_glc_id_t glc;

static int fill_outputs(void)
{
    memset(&nsp, 0xa5, sizeof nsp);
    memset(&lkid, 0xa5, sizeof lkid);
    memset(&glc, 0xa5, sizeof glc);
    return 0;
}

static int is_pattern(const void *p, size_t size)
{
    const unsigned char *byte = p;

    while (size-- > 0)
        if (*byte++ != 0xa5)
            return 0;
    return 1;
}

#define UNTOUCHED(object) CU_ASSERT(is_pattern(&(object), sizeof(object)))

static void group_container_calls(void)
{
    fill_outputs();
    CU_ASSERT_EQUAL(dlm_glc_create(&glc, DLM_GLC_PERM, &nsp, 1), DLM_ENOSYS);
    UNTOUCHED(glc);
    CU_ASSERT_EQUAL(dlm_glc_attach(1, 0), DLM_ENOSYS);
    CU_ASSERT_EQUAL(dlm_glc_detach(), DLM_ENOSYS);
    CU_ASSERT_EQUAL(dlm_glc_destroy(1, DLM_GLC_FORCE), DLM_ENOSYS);
}

static const struct harness_test tests[] = {
    { "group lock container calls", group_container_calls },
    { NULL, NULL }
};

static const struct harness_suite unimplemented = {
    "calls not implemented yet fail with DLM_ENOSYS", tests
};

int main(void)
{
    static const struct harness_suite *const suites[] = { &unimplemented, NULL };

    return harness_run(suites);
}
