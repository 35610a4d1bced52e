/*
 * The registry of group lock containers (glc.h): how a container's facts
 * are laid out in the lockspace of the embedded engine that the whole
 * machine shares.  The library keeps the registry (glc.c); the dlm_tru64
 * command reads it; both through this file alone.
 *
 * Every resource of the registry is one of the layer's own (resname_own),
 * named by its kind and a key, the container's ID and a number k:
 *
 *   GLC_RECORD     (id, 0)  a group lock of the container whose value block
 *                           holds its struct glc_record
 *   GLC_NAMESPACE  (id, k)  likewise, the struct glc_ns_record of its k-th
 *                           namespace, k = 0 .. nns - 1
 *   GLC_MEMBER     (id, 0)  each member's PR lock, which dies with it
 *   GLC_OWNER      (id, 0)  of a DLM_GLC_OWNED container, the creator's EX
 *                           lock, and the other members' requests for it
 *   GLC_ALLOCATOR  (none)   held in EX by a creator while it picks an ID
 */
#ifndef DLM_TRU64_GLC_REGISTRY_H
#define DLM_TRU64_GLC_REGISTRY_H

#include <sys/types.h>

#include <sys/dlm.h>

#include "engine.h"
#include "nslockspace.h"
#include "resname.h"

/* The registry's lockspace, beside the namespaces' (nslockspace.h). */
#define GLC_REGISTRY_NAME "containers"

enum glc_registry_kind {
    GLC_RECORD = 'G',
    GLC_NAMESPACE = 'N',
    GLC_MEMBER = 'M',
    GLC_OWNER = 'O',
    GLC_ALLOCATOR = 'A'
};

/* The value blocks of the records. */
struct glc_record {
    uint32_t magic;             /* GLC_RECORD_MAGIC */
    uint32_t id;
    uint32_t flags;             /* DLM_GLC_OWNED, DLM_GLC_PERM */
    uint32_t creator;           /* its process ID */
    uint32_t creator_uid;       /* its effective user ID */
    uint32_t nns;               /* 1 .. DLM_NSPROCMAX */
};

struct glc_ns_record {
    uint32_t magic;             /* GLC_RECORD_MAGIC */
    uint32_t kind;              /* enum ns_kind */
    uint32_t nsid;
};

#define GLC_RECORD_MAGIC 0x31434c47u   /* "GLC1" */

_Static_assert(sizeof(struct glc_record) <= ENGINE_LVB_LEN, "a record fits a value block");
_Static_assert(sizeof(struct glc_ns_record) <= ENGINE_LVB_LEN, "so does a namespace's");

/* The engine name of the registry's resource of kind about container id
 * and number k (the allocator's takes neither). */
void glc_registry_name(struct resname *name, enum glc_registry_kind kind, dlm_glc_id_t id,
                       unsigned int k);

/* The kind of the registry resource that an engine name names, or 0. */
enum glc_registry_kind glc_registry_kind_of(const unsigned char *name, unsigned int len);

/* The container record in the value block lvb (of container id, or with
 * id 0 of any): 0, or -ENOENT when lvb holds none (not yet written, or
 * not a record). */
int glc_registry_record(const char lvb[ENGINE_LVB_LEN], dlm_glc_id_t id,
                        struct glc_record *record);

/* The same for a namespace record. */
int glc_registry_ns_record(const char lvb[ENGINE_LVB_LEN], struct glc_ns_record *ns);

/* The live members among the locks of a picture of the registry on its
 * member resource, the one at index resource: their process IDs (the
 * first max of them) in pids; how many were written. */
unsigned int glc_registry_members(const struct engine_picture *picture, unsigned int resource,
                                  pid_t *pids, unsigned int max);

#endif
