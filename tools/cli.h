/*
 * The command line: dlm_tru64 [OPTION]... COMMAND [NAMESPACE]
 *
 * Options may come before or after the command; "--" ends them.
 */
#ifndef DLM_TRU64_TOOLS_CLI_H
#define DLM_TRU64_TOOLS_CLI_H

#include <stdio.h>

#include "commands.h"

/* What the command line asks for. */
enum cli_outcome {
    CLI_RUN,                /* run inv->command */
    CLI_HELP,               /* --help: the usage text, on standard output */
    CLI_VERSION,            /* --version */
    CLI_BAD                 /* bad arguments, said on standard error */
};

enum cli_outcome cli_parse(int argc, char **argv, struct invocation *inv);

void cli_usage(FILE *out);

#endif
