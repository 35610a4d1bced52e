/*
 * Which engine lockspace holds a namespace, and how it is owned.
 *
 * The system namespace is the lockspace "system", a user namespace
 * "user.UID", a group namespace "group.GID".  A lockspace is created with
 * the ownership of its namespace (design, "Namespaces, security"): the
 * system namespace root's, mode 0600; a user namespace that user's, 0600;
 * a group namespace that group's, 0660; so the kernel itself refuses
 * whoever the namespace does not admit.
 */
#ifndef DLM_TRU64_NSLOCKSPACE_H
#define DLM_TRU64_NSLOCKSPACE_H

#include <sys/dlm.h>

#include "engine.h"

enum ns_kind { NS_SYSTEM, NS_USER, NS_GROUP };

/* Room for a namespace's lockspace name and its terminating NUL. */
#define NS_LSNAME_SIZE (ENGINE_LSNAME_MAXLEN + 1)

/* The spec that opens (creating if need be) the lockspace of the
 * namespace; spec->name points into name. */
void ns_lockspace_spec(enum ns_kind kind, dlm_nsid_t nsid, char name[NS_LSNAME_SIZE],
                       struct engine_ls_spec *spec);

/* The namespace a lockspace name belongs to: 0, or -1 when the name is
 * not that of a namespace's lockspace (exactly as ns_lockspace_spec
 * writes it: decimal, no sign, no leading zero). */
int ns_of_lockspace(const char *name, enum ns_kind *kind, dlm_nsid_t *nsid);

#endif
