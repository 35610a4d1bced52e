/*
 * The two ways a listing is written: for people (columns) and as JSON
 * (the shape documented in dlm_tru64(8)).  Both write exactly the same
 * facts, from the same view.
 */
#ifndef DLM_TRU64_TOOLS_OUTPUT_H
#define DLM_TRU64_TOOLS_OUTPUT_H

#include <sys/types.h>

#include "persist.h"
#include "view.h"

struct container_list;
struct rd_list;

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
    void (*containers)(const struct view *view, const struct container_list *list);
    void (*domains)(const struct view *view, const struct rd_list *list);
};

extern const struct writer human_writer;
extern const struct writer json_writer;

/* Words both writers use. */
const char *mode_name(int engine_mode);         /* "NL".."EX", or NULL for none */
const char *state_name(enum engine_queue queue);   /* "granted", "converting", "waiting" */
const char *kind_name(enum ns_kind kind);       /* "system", "user", "group" */

/* Is the lock a group lock that no member holds now (it belongs to its
 * container alone), or a persistent lock whose process is gone? */
int held_by_container(const struct engine_lock_info *lock);
int orphaned(const struct engine_lock_info *lock);

/* Does the view's engine know the state of its value blocks (validity,
 * writes: not SNAPSHOT_NO_LVB_STATE)?  What a listing says of one:
 * "valid", "invalid", or NULL where the engine does not know. */
int lvb_state_known(const struct view *view);
const char *lvb_state(const struct view *view, const struct engine_resource_info *res);

/* What a listing shows of a domain's mark: the digest of its name
 * (PERSIST_DIGEST_LEN bytes, persist.h). */
const unsigned char *mark_digest(const struct persist_mark *mark);

/* The name of a user or group, or NULL when the system has none. */
const char *user_name(uid_t uid);
const char *group_name(gid_t gid);

#endif
