/*
 * The first step of every command but status: the configured engine,
 * usable here, or a message and the exit status that says why not; and
 * for the listings of locks, the view of the namespaces with their
 * pictures.
 */
#ifndef DLM_TRU64_TOOLS_ENGINE_ACCESS_H
#define DLM_TRU64_TOOLS_ENGINE_ACCESS_H

#include "view.h"

/* EXIT_OK with view ready for view_gather, or another exit status. */
int engine_access(struct view *view);

/* After engine_access(): view_gather() of the namespaces (only the one
 * whose lockspace is named only, when not NULL) with their locks, saying
 * why a namespace asked for could not be looked into; another user's is
 * asked for only when named.  EXIT_OK with the view gathered and
 * *missing the exit status that the namespaces left out call for, or
 * another exit status with the view freed. */
int gather_locks(struct view *view, const char *only, int *missing);

#endif
