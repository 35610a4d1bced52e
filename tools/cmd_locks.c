/*
 * dlm_tru64 locks [NAMESPACE]: every resource of the namespace (of every
 * namespace the operator may open, when none is named) with its granted,
 * converting and waiting locks.
 */
#include "config.h"

#include "commands.h"
#include "engine_access.h"
#include "ns_operand.h"

int cmd_locks(const struct invocation *inv)
{
    char name[NS_LSNAME_SIZE];
    const char *only = NULL;
    struct view view;
    int rc, missing;

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
    if (rc == EXIT_OK)
        rc = gather_locks(&view, only, &missing);
    if (rc != EXIT_OK)
        return rc;
    inv->writer->locks(&view);
    view_free(&view);
    return missing;
}
