/*
 * dlm_tru64 ns: the namespaces of this machine's engine, with their
 * owners and totals.  A namespace the operator may not open is listed
 * without totals.
 */
#include "config.h"

#include "commands.h"
#include "diagnostics.h"
#include "engine_access.h"

int cmd_ns(const struct invocation *inv)
{
    struct view view;
    int rc = engine_access(&view);

    if (rc != EXIT_OK)
        return rc;
    rc = view_gather(&view, NULL, VIEW_TOTALS);
    if (rc == 0)
        inv->writer->namespaces(&view);
    else
        say("cannot list the namespaces: %s", engine_error_text(rc));
    view_free(&view);
    return exit_status_of(rc);
}
