/*
 * dlm_tru64 glc: the group lock containers of this machine, each with
 * its flags, creator, live members and namespaces, and how many group
 * locks it holds in each (containers.h).
 */
#include "config.h"

#include "commands.h"
#include "containers.h"
#include "diagnostics.h"
#include "engine_access.h"

int cmd_glc(const struct invocation *inv)
{
    struct container_list list;
    struct view view;
    int rc, missing = EXIT_OK;

    rc = engine_access(&view);
    if (rc == EXIT_OK)
        rc = gather_locks(&view, NULL, &missing);
    if (rc != EXIT_OK)
        return rc;
    rc = containers_gather(&view, &list);
    if (rc == 0) {
        inv->writer->containers(&view, &list);
        containers_free(&list);
    } else {
        say("cannot read the containers' registry (%s): %s", GLC_REGISTRY_NAME,
            engine_error_text(rc));
    }
    view_free(&view);
    return rc != 0 ? exit_status_of(rc) : missing;
}
