#include "config.h"

#include "engine_access.h"

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
