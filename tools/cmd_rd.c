/*
 * dlm_tru64 rd: the recovery domains, by their marks, with their
 * persistent resources in each namespace the operator may open and the
 * state of their value blocks (domains.h).
 */
#include "config.h"

#include "commands.h"
#include "diagnostics.h"
#include "domains.h"
#include "engine_access.h"

int cmd_rd(const struct invocation *inv)
{
    struct rd_list list;
    struct view view;
    int rc, missing;

    rc = engine_access(&view);
    if (rc == EXIT_OK)
        rc = gather_locks(&view, NULL, &missing);
    if (rc != EXIT_OK)
        return rc;
    rc = domains_gather(&view, &list);
    if (rc == 0) {
        inv->writer->domains(&view, &list);
        domains_free(&list);
    } else {
        say("cannot list the recovery domains: %s", engine_error_text(rc));
    }
    view_free(&view);
    return rc != 0 ? exit_status_of(rc) : missing;
}
