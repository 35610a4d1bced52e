/*
 * dlm_tru64 glc and dlm_tru64 rd: group lock containers and recovery
 * domains.  The library has neither yet (dlm_glc_create and dlm_rd_attach
 * answer DLM_ENOSYS), so no engine holds any: the listings are empty,
 * and truly so.
 */
#include "config.h"

#include "commands.h"
#include "engine_access.h"

int cmd_glc(const struct invocation *inv)
{
    struct view view;
    int rc = engine_access(&view);

    if (rc == EXIT_OK)
        inv->writer->containers(&view);
    return rc;
}

int cmd_rd(const struct invocation *inv)
{
    struct view view;
    int rc = engine_access(&view);

    if (rc == EXIT_OK)
        inv->writer->domains(&view);
    return rc;
}
