#include "config.h"

#include "ns_operand.h"

#include <grp.h>
#include <pwd.h>
#include <string.h>

#include "diagnostics.h"

int ns_operand(const char *text, enum ns_kind *kind, dlm_nsid_t *nsid)
{
    const struct passwd *user;
    const struct group *group;

    if (ns_of_lockspace(text, kind, nsid) == 0)
        return 0;
    if (strncmp(text, "user.", 5) == 0 && (user = getpwnam(text + 5)) != NULL) {
        *kind = NS_USER;
        *nsid = user->pw_uid;
        return 0;
    }
    if (strncmp(text, "group.", 6) == 0 && (group = getgrnam(text + 6)) != NULL) {
        *kind = NS_GROUP;
        *nsid = group->gr_gid;
        return 0;
    }
    say("'%s' is not a namespace: write system, user.UID, user.NAME, group.GID or "
        "group.NAME", text);
    return -1;
}
