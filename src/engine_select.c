/*
 * Which engine serves this process: the "engine" setting (settings.h),
 * embedded by default.  A configured engine that is unavailable fails
 * closed; there is never a silent fall-back to another engine, since two
 * machines that each fell back to a private engine would both "hold" EX.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "engine.h"
#include "engine_admin.h"
#include "settings.h"

const struct engine_ops *engine_configured(int *error)
{
    char name[SETTING_VALUE_MAX];
    int rc = setting_get(SETTING_ENGINE, name);

    *error = 0;
    if (rc != 0) {
        *error = rc;
        return NULL;
    }
    if (strcmp(name, engine_embedded.name) == 0)
        return &engine_embedded;
    /* Whether the kernel DLM runs is known when a lockspace opens: the
     * Linux engine's ls_open fails with -ENOSYS then. */
    if (strcmp(name, engine_linux.name) == 0)
        return &engine_linux;
    *error = -ENOSYS;
    return NULL;
}

const struct engine_admin *engine_admin_of(const struct engine_ops *engine)
{
    return engine == &engine_linux ? &engine_admin_linux : &engine_admin_embedded;
}
