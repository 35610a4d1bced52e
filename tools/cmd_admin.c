/*
 * dlm_tru64 create NAMESPACE and dlm_tru64 remove NAMESPACE.
 *
 * create makes the namespace's lockspace exactly as dlm_nsjoin() would,
 * with its owner and mode (nslockspace.h), so that an administrator can
 * prepare it for users who may not create it themselves: on the Linux
 * engine creating a lockspace needs CAP_SYS_ADMIN.  A lockspace that
 * exists already is left as it is.
 *
 * remove deletes an embedded lockspace left behind, and refuses while any
 * live process is attached to it or orphaned persistent locks remain
 * (engine_admin.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "commands.h"
#include "diagnostics.h"
#include "engine_access.h"
#include "ns_operand.h"

/* The engine, and the lockspace the operand names; EXIT_OK or another
 * exit status. */
static int prepare(const struct invocation *inv, struct view *view, char name[NS_LSNAME_SIZE],
                   struct engine_ls_spec *spec)
{
    enum ns_kind kind;
    dlm_nsid_t nsid;

    if (ns_operand(inv->operand, &kind, &nsid) != 0)
        return EXIT_USAGE;
    ns_lockspace_spec(kind, nsid, name, spec);
    return engine_access(view);
}

int cmd_create(const struct invocation *inv)
{
    char name[NS_LSNAME_SIZE];
    struct engine_ls_spec spec;
    struct engine_ls *ls;
    struct view view;
    int rc = prepare(inv, &view, name, &spec);

    if (rc != EXIT_OK)
        return rc;
    rc = view.admin->peek(name, &ls);
    if (rc == 0) {
        view.admin->unpeek(ls);
        printf("%s exists already; left as it is\n", name);
        return EXIT_OK;
    }
    if (rc == -ENOENT && (rc = view.engine->ls_open(&spec, &ls)) == 0) {
        view.engine->ls_close(ls);
        printf("created %s: owner %u:%u, mode %04o\n", name, (unsigned int)spec.uid,
               (unsigned int)spec.gid, (unsigned int)spec.mode);
        return EXIT_OK;
    }
    if (rc == -EACCES || rc == -EPERM)
        say("%s: permission denied: only root may create the system namespace or another "
            "user's, and on the linux engine any namespace", name);
    else
        say("%s: %s", name, engine_error_text(rc));
    return exit_status_of(rc);
}

int cmd_remove(const struct invocation *inv)
{
    char name[NS_LSNAME_SIZE];
    struct engine_ls_spec spec;
    struct view view;
    int rc = prepare(inv, &view, name, &spec);

    if (rc != EXIT_OK)
        return rc;
    rc = view.admin->remove(name);
    if (rc == 0) {
        printf("removed %s\n", name);
        return EXIT_OK;
    }
    if (rc == -ENOSYS)
        say("%s: the %s engine's lockspaces are released with 'dlm_tool leave %s'", name,
            view.engine->name, name);
    else
        say("%s: %s", name, engine_error_text(rc));
    return exit_status_of(rc);
}
