/*
 * The two ways a listing is written: for people (columns) and as JSON
 * (the shape documented in dlm_tru64(8)).  Both write exactly the same
 * facts, from the same view.
 */
#ifndef DLM_TRU64_TOOLS_OUTPUT_H
#define DLM_TRU64_TOOLS_OUTPUT_H

#include <sys/types.h>

#include "view.h"

/* The version of the JSON shape: a new field may appear without a new
 * version; a field changed or removed makes one. */
#define JSON_FORMAT 1

struct status_report {
    const char *engine;         /* its name, or NULL when the setting names none */
    int usable;
    const char *problem;        /* why not, when not usable */
    const char *state;          /* where its state lives, or NULL */
    const char *version;        /* of the library */
};

struct writer {
    void (*status)(const struct status_report *report);
    void (*namespaces)(const struct view *view);
    /* Namespaces with an error are left out: the command says why. */
    void (*locks)(const struct view *view);
    void (*containers)(const struct view *view);
    void (*domains)(const struct view *view);
};

extern const struct writer human_writer;
extern const struct writer json_writer;

/* Words both writers use. */
const char *mode_name(int engine_mode);         /* "NL".."EX", or NULL for none */
const char *state_name(enum engine_queue queue);   /* "granted", "converting", "waiting" */
const char *kind_name(enum ns_kind kind);       /* "system", "user", "group" */

/* The name of a user or group, or NULL when the system has none. */
const char *user_name(uid_t uid);
const char *group_name(gid_t gid);

#endif
