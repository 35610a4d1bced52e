#include "config.h"

#include "diagnostics.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

void say(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    fputs("dlm_tru64: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
}

const char *engine_error_text(int rc)
{
    switch (rc) {
    case -ENOENT:
        return "no such namespace";
    case -EACCES:
    case -EPERM:
        return "permission denied (the namespace is not yours to open)";
    case -EIO:
        return "not a lockspace of this library's version, or damaged; left alone";
    case -ENOSYS:
        return "the engine cannot do this here";
    case -EBUSY:
        return "in use by a live process; not removed";
    case -ENOTEMPTY:
        return "holds persistent resources or persistent locks left as orphans, which "
               "an application may still use; not removed";
    case -EUSERS:
        return "the lockspace has no room for another process";
    default:
        return strerror(-rc);
    }
}

int exit_status_of(int rc)
{
    switch (rc) {
    case 0:
        return EXIT_OK;
    case -ENOSYS:
        return EXIT_UNAVAILABLE;
    case -EBUSY:
    case -ENOTEMPTY:
        return EXIT_REFUSED;
    default:
        return EXIT_FAILED;
    }
}
