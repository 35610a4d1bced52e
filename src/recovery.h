/*
 * Recovery domains (Tru64 dlm_rd_*): the process's attachments to named
 * sets of persistent resources (persist.h), and the recovery of the
 * resources whose value blocks were lost.
 *
 * Callers hold the process mutex.
 */
#ifndef DLM_TRU64_RECOVERY_H
#define DLM_TRU64_RECOVERY_H

#include <sys/dlm.h>

#include "persist.h"

/* Recovery domains one process may be attached to at once.  The Tru64
 * record gives no number; the same as for namespaces. */
#define RD_PROCMAX DLM_NSPROCMAX

struct collection;

struct domain {
    int attached;
    dlm_rd_flags_t how;         /* DLM_RD_PROCESS or DLM_RD_GROUP */
    char name[DLM_RDNAMELEN + 1];
    struct persist_mark mark;
    unsigned int nlocks;        /* DLM_PERSIST locks of this process in it */
    struct collection *collection;  /* collected, not validated yet */
};

/* The domain a handle names, or NULL. */
struct domain *recovery_domain(dlm_rd_id_t rd_id);

/* The engine name of the domain's collector resource, the same in every
 * namespace: the process that holds it in EX is collecting the domain
 * there (dlm_rd_collect, until dlm_rd_validate). */
void recovery_collector_name(const struct persist_mark *mark, struct resname *name);

/* Is the process attached to a domain on behalf of its group lock
 * container (DLM_RD_GROUP)? */
int recovery_group_attached(void);

/* The child of a fork is attached to no domain. */
void recovery_forget_all(void);

#endif
