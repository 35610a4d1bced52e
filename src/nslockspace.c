#include "config.h"

#include "nslockspace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const prefix[] = {
    [NS_SYSTEM] = "system", [NS_USER] = "user.", [NS_GROUP] = "group.",
};

void ns_lockspace_spec(enum ns_kind kind, dlm_nsid_t nsid, char name[NS_LSNAME_SIZE],
                       struct engine_ls_spec *spec)
{
    if (kind == NS_SYSTEM)
        snprintf(name, NS_LSNAME_SIZE, "%s", prefix[kind]);
    else
        snprintf(name, NS_LSNAME_SIZE, "%s%u", prefix[kind], nsid);
    spec->name = name;
    spec->create = 1;
    switch (kind) {
    case NS_SYSTEM:
        spec->uid = 0;
        spec->gid = 0;
        spec->mode = 0600;
        break;
    case NS_USER:
        spec->uid = nsid;
        spec->gid = getegid();
        spec->mode = 0600;
        break;
    case NS_GROUP:
        spec->uid = geteuid();
        spec->gid = nsid;
        spec->mode = 0660;
        break;
    }
}

/* A dlm_nsid_t in canonical decimal: 0, or -1. */
static int parse_id(const char *text, dlm_nsid_t *id)
{
    unsigned long long value;
    char *end;

    if (text[0] < '0' || text[0] > '9' || (text[0] == '0' && text[1] != '\0'))
        return -1;
    errno = 0;
    value = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || value != (dlm_nsid_t)value)
        return -1;
    *id = (dlm_nsid_t)value;
    return 0;
}

int ns_of_lockspace(const char *name, enum ns_kind *kind, dlm_nsid_t *nsid)
{
    size_t user = strlen(prefix[NS_USER]), group = strlen(prefix[NS_GROUP]);

    if (strcmp(name, prefix[NS_SYSTEM]) == 0) {
        *kind = NS_SYSTEM;
        *nsid = 0;
        return 0;
    }
    if (strncmp(name, prefix[NS_USER], user) == 0 && parse_id(name + user, nsid) == 0) {
        *kind = NS_USER;
        return 0;
    }
    if (strncmp(name, prefix[NS_GROUP], group) == 0 && parse_id(name + group, nsid) == 0) {
        *kind = NS_GROUP;
        return 0;
    }
    return -1;
}
