/*
 * dlm_tru64 status: which engine the settings choose, whether it can run
 * here, where its state lives, and the library's version.  Exits
 * EXIT_UNAVAILABLE when the engine cannot run here, after saying so.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "commands.h"
#include "diagnostics.h"

int cmd_status(const struct invocation *inv)
{
    struct status_report report = { .version = PACKAGE_VERSION };
    char state[512];
    struct view view;
    const char *why;
    int rc = view_open_engine(&view, &why);

    report.engine = view.engine != NULL ? view.engine->name : NULL;
    report.usable = rc == 0;
    if (rc != 0)
        report.problem = why != NULL ? why : strerror(-rc);
    if (view.admin != NULL && view.admin->state_location(state, sizeof state) == 0)
        report.state = state;
    inv->writer->status(&report);
    return rc == 0 ? EXIT_OK : EXIT_UNAVAILABLE;
}
