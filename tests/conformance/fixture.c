#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Long enough for any healthy completion on a loaded machine. */
#define PATIENCE_SECONDS 30

dlm_status_t fixture_join(dlm_nsp_t *ns)
{
    return dlm_nsjoin(geteuid(), ns, DLM_USER | DLM_JOIN_SAME_OK);
}

int fixture_notify_count(int *counter, int n)
{
    time_t give_up = time(NULL) + PATIENCE_SECONDS;

    while (*(volatile int *)counter < n && time(NULL) < give_up)
        dlm_notify();
    return *counter >= n;
}

int fixture_notify_until(int *flag)
{
    return fixture_notify_count(flag, 1);
}

int fixture_main(const struct harness_suite *const *suites)
{
    char directory[] = "/tmp/dlm_tru64_conformance.XXXXXX";
    char command[sizeof directory + 16];
    int rc;

    if (mkdtemp(directory) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    setenv("DLM_TRU64_EMBEDDED_DIR", directory, 1);
    rc = harness_run(suites);
    snprintf(command, sizeof command, "rm -rf '%s'", directory);
    if (harness_system(command) != 0)
        fprintf(stderr, "could not remove %s\n", directory);
    return rc;
}
