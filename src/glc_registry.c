#include "config.h"

#include "glc_registry.h"

#include <errno.h>
#include <string.h>

void glc_registry_name(struct resname *name, enum glc_registry_kind kind, dlm_glc_id_t id,
                       unsigned int k)
{
    uint32_t key[2] = { id, k };

    if (kind == GLC_ALLOCATOR)
        resname_own(name, (unsigned char)kind, "", 0);
    else
        resname_own(name, (unsigned char)kind, key, sizeof key);
}

enum glc_registry_kind glc_registry_kind_of(const unsigned char *name, unsigned int len)
{
    static const enum glc_registry_kind kinds[] = {
        GLC_RECORD, GLC_NAMESPACE, GLC_MEMBER, GLC_OWNER, GLC_ALLOCATOR
    };
    unsigned char kind = resname_own_kind(name, len);
    unsigned int i;

    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (kind == (unsigned char)kinds[i])
            return kinds[i];
    return 0;
}

int glc_registry_record(const char lvb[ENGINE_LVB_LEN], dlm_glc_id_t id,
                        struct glc_record *record)
{
    memcpy(record, lvb, sizeof *record);
    return record->magic == GLC_RECORD_MAGIC && record->id != 0
           && (id == 0 || record->id == id) && record->nns >= 1
           && record->nns <= DLM_NSPROCMAX ? 0 : -ENOENT;
}

int glc_registry_ns_record(const char lvb[ENGINE_LVB_LEN], struct glc_ns_record *ns)
{
    memcpy(ns, lvb, sizeof *ns);
    return ns->magic == GLC_RECORD_MAGIC && ns->kind <= NS_GROUP ? 0 : -ENOENT;
}

unsigned int glc_registry_members(const struct engine_picture *picture, unsigned int resource,
                                  pid_t *pids, unsigned int max)
{
    unsigned int i, n = 0;

    /* A lock with no owner is no member's. */
    for (i = 0; i < picture->nlocks && n < max; i++)
        if (picture->locks[i].resource == resource && picture->locks[i].pid != 0)
            pids[n++] = picture->locks[i].pid;
    return n;
}
