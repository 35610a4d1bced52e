#include "config.h"

#include "engine_access.h"

#include <errno.h>

#include "commands.h"
#include "diagnostics.h"

int engine_access(struct view *view)
{
    const char *why;
    int rc = view_open_engine(view, &why);

    if (rc == 0)
        return EXIT_OK;
    say("the %s engine is not usable here: %s", view->engine != NULL ? view->engine->name
                                                                     : "configured",
        why != NULL ? why : engine_error_text(rc));
    return EXIT_UNAVAILABLE;
}

/* Say why a namespace is missing from the listing; its exit status. */
static int report_missing(const struct view *view, const struct ns_view *ns, int named)
{
    int rc = ns->error != 0 ? ns->error : ns->picture_error;

    if (rc == 0 || (rc == -EACCES && !named))
        return EXIT_OK;     /* listed, or another's namespace: not asked for */
    if (rc == -ENOSYS)
        say("%s: the %s engine shows no locks here (its listing is the kernel's debugfs "
            "dump: debugfs mounted at /sys/kernel/debug, CONFIG_DLM_DEBUG, root)",
            ns->name, view->engine->name);
    else
        say("%s: %s", ns->name, engine_error_text(rc));
    return exit_status_of(rc);
}

int gather_locks(struct view *view, const char *only, int *missing)
{
    int rc = view_gather(view, only, VIEW_LOCKS);
    size_t i;

    if (rc != 0) {
        say("%s: %s", only != NULL ? only : "cannot list the locks", engine_error_text(rc));
        view_free(view);
        return exit_status_of(rc);
    }
    *missing = EXIT_OK;
    for (i = 0; i < view->count; i++) {
        int status = report_missing(view, &view->ns[i], only != NULL);

        if (*missing == EXIT_OK)
            *missing = status;
    }
    return EXIT_OK;
}
