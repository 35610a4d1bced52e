/*
 * A NAMESPACE as the operator writes it: system, user.UID, user.NAME,
 * group.GID or group.NAME.
 */
#ifndef DLM_TRU64_TOOLS_NS_OPERAND_H
#define DLM_TRU64_TOOLS_NS_OPERAND_H

#include "nslockspace.h"

/* The namespace named: 0, or -1 (said on standard error). */
int ns_operand(const char *text, enum ns_kind *kind, dlm_nsid_t *nsid);

#endif
