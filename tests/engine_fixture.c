#include "engine_fixture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* Long enough for any healthy request on a loaded machine; only a lost
 * wake-up or a stuck waiter runs into it. */
#define PATIENCE_MS 30000
#define WAIT_SLICE_MS 1000

static char directory[] = "/tmp/dlm_tru64_test.XXXXXX";

int engine_fixture_main(const struct harness_suite *const *suites)
{
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

int engine_fixture_open(struct engine_ls **ls, const char *name)
{
    struct engine_ls_spec spec = {
        .name = name, .uid = geteuid(), .gid = getegid(), .mode = 0600, .create = 1,
    };

    return engine_embedded.ls_open(&spec, ls);
}

static void note_completion(void *astarg)
{
    *(int *)astarg = 1;
}

int engine_fixture_request(struct engine_ls *ls, int mode, struct engine_lksb *lksb,
                           uint32_t flags, const char *name)
{
    int done = 0, waited = 0;
    int rc = engine_embedded.lock(ls, mode, lksb, flags, name,
                                  name != NULL ? (unsigned int)strlen(name) : 0,
                                  note_completion, &done, NULL);

    if (rc == ENGINE_DONE)
        return 1;
    if (rc < 0) {
        lksb->status = rc;
        return 1;
    }
    while (!done && waited < PATIENCE_MS) {
        if (engine_embedded.wait(ls, WAIT_SLICE_MS) == -ETIMEDOUT)
            waited += WAIT_SLICE_MS;
        engine_embedded.dispatch(ls);
    }
    return done;
}
