/*
 * dlm_tru64: show who holds and who waits for what in the Tru64 DLM
 * library's namespaces, on either engine, and administer the namespaces
 * (dlm_tru64(8)).  Each subcommand lives in a cmd_*.c file of its own.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "diagnostics.h"

int main(int argc, char **argv)
{
    struct invocation inv;
    int status;

    switch (cli_parse(argc, argv, &inv)) {
    case CLI_HELP:
        cli_usage(stdout);
        return EXIT_OK;
    case CLI_VERSION:
        printf("dlm_tru64 %s\n", PACKAGE_VERSION);
        return EXIT_OK;
    case CLI_BAD:
        return EXIT_USAGE;
    case CLI_RUN:
        break;
    }
    status = inv.command->run(&inv);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        say("cannot write the output: %s", strerror(errno));
        return EXIT_FAILED;
    }
    return status;
}
