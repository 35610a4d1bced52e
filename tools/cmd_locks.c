/*
 * dlm_tru64 locks [NAMESPACE]: every resource of the namespace (of every
 * namespace the operator may open, when none is named) with its granted,
 * converting and waiting locks.
 */
#include "config.h"

#include <errno.h>

#include "commands.h"
#include "diagnostics.h"
#include "engine_access.h"
#include "ns_operand.h"

/* Say why a namespace is missing from the listing; its exit status. */
static int report_missing(const struct view *view, const struct ns_view *ns, int named)
{
    int rc = ns->error != 0 ? ns->error : ns->picture_error;

    if (rc == 0 || (rc == -EACCES && !named))
        return EXIT_OK;     /* listed, or another's namespace: not asked for */
    if (rc == -ENOSYS)
        say("%s: the %s engine shows no resource queues (the kernel DLM gives no "
            "consistent picture of them; dlm_tool lockdebug shows its own dump)",
            ns->name, view->engine->name);
    else
        say("%s: %s", ns->name, engine_error_text(rc));
    return exit_status_of(rc);
}

int cmd_locks(const struct invocation *inv)
{
    char name[NS_LSNAME_SIZE];
    const char *only = NULL;
    struct view view;
    int rc, status = EXIT_OK;
    size_t i;

    if (inv->operand != NULL) {
        struct engine_ls_spec spec;
        enum ns_kind kind;
        dlm_nsid_t nsid;

        if (ns_operand(inv->operand, &kind, &nsid) != 0)
            return EXIT_USAGE;
        ns_lockspace_spec(kind, nsid, name, &spec);
        only = name;
    }
    rc = engine_access(&view);
    if (rc != EXIT_OK)
        return rc;
    rc = view_gather(&view, only, VIEW_LOCKS);
    if (rc != 0) {
        say("%s: %s", only != NULL ? only : "cannot list the locks", engine_error_text(rc));
        view_free(&view);
        return exit_status_of(rc);
    }
    for (i = 0; i < view.count; i++) {
        int missing = report_missing(&view, &view.ns[i], only != NULL);

        if (status == EXIT_OK)
            status = missing;
    }
    inv->writer->locks(&view);
    view_free(&view);
    return status;
}
