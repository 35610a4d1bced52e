#include "config.h"

#include "commands.h"

const struct command commands[] = {
    { "status", "", "the engine, whether it is usable, where its state lives",
      OPERAND_NONE, 1, cmd_status },
    { "ns", "", "namespaces: kind, owner, mode, processes, locks, resources",
      OPERAND_NONE, 1, cmd_ns },
    { "locks", " [NAMESPACE]", "every resource with its granted, converting and waiting locks",
      OPERAND_OPTIONAL, 1, cmd_locks },
    { "glc", "", "group lock containers: creator, members, group locks",
      OPERAND_NONE, 1, cmd_glc },
    { "rd", "", "persistent resources by recovery domain, valid or not",
      OPERAND_NONE, 1, cmd_rd },
    { "create", " NAMESPACE", "create a namespace's lockspace, owned as the namespace says",
      OPERAND_REQUIRED, 0, cmd_create },
    { "remove", " NAMESPACE", "remove a stale embedded lockspace that no live process uses",
      OPERAND_REQUIRED, 0, cmd_remove },
    { NULL, NULL, NULL, OPERAND_NONE, 0, NULL }
};
