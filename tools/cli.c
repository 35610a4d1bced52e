#include "config.h"

#include "cli.h"

#include <string.h>

#include "diagnostics.h"

static const struct command *command_named(const char *name)
{
    const struct command *command;

    for (command = commands; command->name != NULL; command++)
        if (strcmp(command->name, name) == 0)
            return command;
    return NULL;
}

static enum cli_outcome bad(const char *what, const char *arg)
{
    say("%s '%s'; try 'dlm_tru64 --help'", what, arg);
    return CLI_BAD;
}

enum cli_outcome cli_parse(int argc, char **argv, struct invocation *inv)
{
    const char *command_name = NULL;
    int json = 0, options_done = 0, i;

    inv->command = NULL;
    inv->writer = &human_writer;
    inv->operand = NULL;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];

        if (!options_done && arg[0] == '-' && arg[1] != '\0') {
            if (strcmp(arg, "--") == 0)
                options_done = 1;
            else if (strcmp(arg, "-j") == 0 || strcmp(arg, "--json") == 0)
                json = 1;
            else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
                return CLI_HELP;
            else if (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0)
                return CLI_VERSION;
            else
                return bad("unknown option", arg);
        } else if (command_name == NULL) {
            command_name = arg;
            inv->command = command_named(arg);
            if (inv->command == NULL)
                return bad("unknown command", arg);
        } else if (inv->operand == NULL && inv->command->operand != OPERAND_NONE) {
            inv->operand = arg;
        } else {
            return bad("unexpected argument", arg);
        }
    }
    if (inv->command == NULL) {
        say("no command given; try 'dlm_tru64 --help'");
        return CLI_BAD;
    }
    if (inv->command->operand == OPERAND_REQUIRED && inv->operand == NULL)
        return bad("a NAMESPACE must follow", inv->command->name);
    if (json && !inv->command->is_listing)
        return bad("--json is for listings, not for", inv->command->name);
    if (json)
        inv->writer = &json_writer;
    return CLI_RUN;
}

void cli_usage(FILE *out)
{
    const struct command *command;

    fputs("Usage: dlm_tru64 [--json] COMMAND [NAMESPACE]\n"
          "Show and administer the locks of the Tru64 DLM library (libdlm_tru64).\n"
          "\n"
          "Commands:\n", out);
    for (command = commands; command->name != NULL; command++) {
        char left[32];

        snprintf(left, sizeof left, "%s%s", command->name, command->synopsis);
        fprintf(out, "  %-19s %s\n", left, command->summary);
    }
    fputs("\n"
          "NAMESPACE is system, user.UID, user.NAME, group.GID or group.NAME.\n"
          "\n"
          "Options:\n"
          "  -j, --json          write a listing as JSON (see dlm_tru64(8))\n"
          "  -h, --help          show this help and exit\n"
          "  -V, --version       show the library version and exit\n"
          "\n"
          "Exit status: 0 done, 1 failed, 2 bad arguments, 3 engine not usable\n"
          "here or unable to do this, 4 refused (in use).\n", out);
}
