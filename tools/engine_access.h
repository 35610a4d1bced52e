/*
 * The first step of every command but status: the configured engine,
 * usable here, or a message and the exit status that says why not.
 */
#ifndef DLM_TRU64_TOOLS_ENGINE_ACCESS_H
#define DLM_TRU64_TOOLS_ENGINE_ACCESS_H

#include "view.h"

/* EXIT_OK with view ready for view_gather, or another exit status. */
int engine_access(struct view *view);

#endif
