/*
 * The subcommands of dlm_tru64, each in a file of its own, and the table
 * the argument parser reads.
 */
#ifndef DLM_TRU64_TOOLS_COMMANDS_H
#define DLM_TRU64_TOOLS_COMMANDS_H

#include "output.h"

/* Exit statuses (documented in dlm_tru64(8)). */
enum exit_status {
    EXIT_OK = 0,
    EXIT_FAILED = 1,        /* the command could not do what was asked */
    EXIT_USAGE = 2,         /* bad arguments */
    EXIT_UNAVAILABLE = 3,   /* the engine is not usable here, or cannot do this */
    EXIT_REFUSED = 4        /* refused: the lockspace is in use */
};

enum operand_rule {
    OPERAND_NONE,
    OPERAND_OPTIONAL,       /* a NAMESPACE may follow */
    OPERAND_REQUIRED        /* a NAMESPACE must follow */
};

struct invocation {
    const struct command *command;
    const struct writer *writer;    /* human or JSON: listings only */
    const char *operand;            /* the NAMESPACE as given, or NULL */
};

struct command {
    const char *name;
    const char *synopsis;           /* operands, for the usage text */
    const char *summary;
    enum operand_rule operand;
    int is_listing;                 /* takes --json */
    int (*run)(const struct invocation *inv);   /* an exit status */
};

/* Ends with a NULL name. */
extern const struct command commands[];

int cmd_status(const struct invocation *inv);
int cmd_ns(const struct invocation *inv);
int cmd_locks(const struct invocation *inv);
int cmd_glc(const struct invocation *inv);
int cmd_rd(const struct invocation *inv);
int cmd_create(const struct invocation *inv);
int cmd_remove(const struct invocation *inv);

#endif
