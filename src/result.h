/*
 * The one table from engine results to dlm_status_t.
 */
#ifndef DLM_TRU64_RESULT_H
#define DLM_TRU64_RESULT_H

#include <stdint.h>

#include <sys/dlm.h>

#include "process.h"

/* A call's failure: a negative errno from the engine. */
dlm_status_t result_of_error(int error);

/* The failure to choose an engine or open a lockspace (dlm_nsjoin). */
dlm_status_t result_of_open(int error);

/* A request's completion: the engine's status and ENGINE_SBF_* flags, for
 * a request that completed within the call (immediate) or later. */
dlm_status_t result_of_completion(const struct lockrec *rec, int status, uint32_t sbflags,
                                  int immediate);

#endif
