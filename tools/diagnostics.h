/*
 * Messages to the operator: every one on standard error, prefixed with
 * the command's name, and what an engine's errno means here.
 */
#ifndef DLM_TRU64_TOOLS_DIAGNOSTICS_H
#define DLM_TRU64_TOOLS_DIAGNOSTICS_H

/* "dlm_tru64: " and the formatted message and a newline, on stderr. */
void say(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* What a negative errno from an engine means, in words. */
const char *engine_error_text(int rc);

/* The exit status for a negative errno from an engine. */
int exit_status_of(int rc);

#endif
