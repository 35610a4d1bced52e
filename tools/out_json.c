/*
 * Listings as JSON, in the shape dlm_tru64(8) documents: one object with
 * "format" (JSON_FORMAT) and "engine", and the listing's array.
 */
#include "config.h"

#include <stdio.h>

#include "containers.h"
#include "diagnostics.h"
#include "domains.h"
#include "json.h"
#include "output.h"
#include "resource_names.h"

static void document_begin(struct json *json, const char *engine)
{
    json_init(json, stdout);
    json_object_begin(json, NULL);
    json_uint(json, "format", JSON_FORMAT);
    json_string(json, "engine", engine);
}

static void document_end(struct json *json)
{
    json_object_end(json);
    json_finish(json);
}

static void json_status(const struct status_report *report)
{
    struct json json;

    document_begin(&json, report->engine);
    json_bool(&json, "usable", report->usable);
    json_string(&json, "problem", report->usable ? NULL : report->problem);
    json_string(&json, "state", report->state);
    json_string(&json, "version", report->version);
    document_end(&json);
}

/* The fields that say which namespace an object is about. */
static void identity(struct json *json, const char *name, enum ns_kind kind, dlm_nsid_t nsid)
{
    json_string(json, "name", name);
    json_string(json, "kind", kind_name(kind));
    json_uint(json, "id", nsid);
}

static void namespace_identity(struct json *json, const struct ns_view *ns)
{
    identity(json, ns->name, ns->kind, ns->nsid);
}

static void json_namespaces(const struct view *view)
{
    struct json json;
    size_t i;

    document_begin(&json, view->engine->name);
    json_array_begin(&json, "namespaces");
    for (i = 0; i < view->count; i++) {
        const struct ns_view *ns = &view->ns[i];
        char mode[8];

        json_object_begin(&json, NULL);
        namespace_identity(&json, ns);
        json_uint(&json, "uid", ns->uid);
        json_string(&json, "user", user_name(ns->uid));
        json_uint(&json, "gid", ns->gid);
        json_string(&json, "group", group_name(ns->gid));
        snprintf(mode, sizeof mode, "%04o", (unsigned int)ns->mode);
        json_string(&json, "mode", mode);
        if (ns->error == 0) {
            json_uint(&json, "processes", ns->census.processes);
            json_uint(&json, "locks", ns->census.locks);
            json_uint(&json, "resources", ns->census.resources);
            json_null(&json, "error");
        } else {
            json_null(&json, "processes");
            json_null(&json, "locks");
            json_null(&json, "resources");
            json_string(&json, "error", engine_error_text(ns->error));
        }
        json_object_end(&json);
    }
    json_array_end(&json);
    document_end(&json);
}

/* A path step as a string, or null for a name that cannot be shown. */
static void path_step(struct json *json, const struct path_step *step)
{
    char text[4 * ENGINE_RESNAME_MAXLEN + 1];

    if (step->kind == STEP_NAME || step->kind == STEP_ENGINE) {
        escape_into(text, step->bytes, step->len);
        json_string(json, NULL, text);
    } else {
        json_null(json, NULL);
    }
}

static const char *name_form(const struct resource_path *path)
{
    const struct path_step *leaf = &path->step[path->nsteps - 1];

    switch (leaf->kind) {
    case STEP_NAME:
        return "exact";
    case STEP_ENGINE:
        return "engine";
    default:
        return "hashed";
    }
}

/* Was the picture taken at one instant; is it one node's view of a
 * cluster's lockspace (dlm_tru64(8), ENGINES)? */
static int consistent(const struct view *view)
{
    return view->admin->snapshot == NULL
           || !(view->admin->snapshot_gaps & SNAPSHOT_NOT_ATOMIC);
}

static int node_local(const struct view *view)
{
    return view->admin->snapshot != NULL
           && (view->admin->snapshot_gaps & SNAPSHOT_NODE_LOCAL);
}

static void lock_object(struct json *json, const struct engine_lock_info *lock)
{
    json_object_begin(json, NULL);
    json_string(json, "state", state_name(lock->queue));
    json_string(json, "granted", mode_name(lock->grmode));
    json_string(json, "requested", mode_name(lock->rqmode));
    if (lock->pid != 0)
        json_uint(json, "pid", (unsigned long long)lock->pid);
    else
        json_null(json, "pid");
    if (lock->node != 0)
        json_uint(json, "node", (unsigned long long)lock->node);
    else
        json_null(json, "node");
    json_bool(json, "orphan", orphaned(lock));
    if (lock->group != 0)
        json_uint(json, "glc", lock->group);
    else
        json_null(json, "glc");
    json_uint(json, "lkid", lock->lkid);
    json_object_end(json);
}

/* The fields that say which resource an object is about, and its value
 * block. */
static void resource_fields(struct json *json, const struct view *view,
                            const struct resource_entry *entry, struct name_book *book)
{
    const char *valblk = lvb_state(view, entry->info);
    const struct engine_resource_info *res = entry->info;
    const struct path_step *leaf;
    struct resource_path path;
    struct persist_mark mark;
    unsigned int i;

    resource_path_of(book, entry->resource, &path);
    leaf = &path.step[path.nsteps - 1];
    if (leaf->kind == STEP_NAME) {
        char text[4 * ENGINE_RESNAME_MAXLEN + 1];

        escape_into(text, leaf->bytes, leaf->len);
        json_string(json, "name", text);
        json_hex(json, "hex", leaf->bytes, leaf->len);
    } else {
        json_null(json, "name");
        json_null(json, "hex");
    }
    json_string(json, "form", name_form(&path));
    json_array_begin(json, "path");
    for (i = 0; i < path.nsteps; i++)
        path_step(json, &path.step[i]);
    json_array_end(json);
    json_bool(json, "path_complete", !path.truncated);
    json_hex(json, "engine_name", res->name, res->namelen);
    json_object_begin(json, "value_block");
    if (valblk != NULL) {
        json_bool(json, "valid", res->lvb_valid);
        json_uint(json, "writes", res->lvb_seq);
    } else {
        json_null(json, "valid");
        json_null(json, "writes");
    }
    json_object_end(json);
    json_bool(json, "persistent", entry->persistent);
    if (persist_mark_read(res->lvb, &mark))
        json_hex(json, "mark", mark_digest(&mark), PERSIST_DIGEST_LEN);
    else
        json_null(json, "mark");
}

static void resource_object(struct json *json, const struct view *view,
                            const struct ns_view *ns, const struct resource_entry *entry,
                            struct name_book *book)
{
    unsigned int i;

    json_object_begin(json, NULL);
    resource_fields(json, view, entry, book);
    json_array_begin(json, "locks");
    for (i = 0; i < entry->nlocks; i++)
        lock_object(json, &ns->picture.locks[entry->first_lock + i]);
    json_array_end(json);
    json_object_end(json);
}

static void json_locks(const struct view *view)
{
    struct json json;
    size_t i;

    document_begin(&json, view->engine->name);
    json_array_begin(&json, "namespaces");
    for (i = 0; i < view->count; i++) {
        const struct ns_view *ns = &view->ns[i];
        struct name_book book;
        unsigned int r;

        if (ns->error != 0 || ns->picture_error != 0)
            continue;
        json_object_begin(&json, NULL);
        namespace_identity(&json, ns);
        json_bool(&json, "consistent", consistent(view));
        json_bool(&json, "node_local", node_local(view));
        json_array_begin(&json, "resources");
        name_book_init(&book, &ns->picture);
        for (r = 0; r < ns->nentries; r++)
            resource_object(&json, view, ns, &ns->entries[r], &book);
        name_book_free(&book);
        json_array_end(&json);
        json_object_end(&json);
    }
    json_array_end(&json);
    document_end(&json);
}

static void container_object(struct json *json, const struct container *c)
{
    unsigned int i;

    json_object_begin(json, NULL);
    json_uint(json, "id", c->record.id);
    json_bool(json, "owned", (c->record.flags & DLM_GLC_OWNED) != 0);
    json_bool(json, "permanent", (c->record.flags & DLM_GLC_PERM) != 0);
    json_uint(json, "creator", c->record.creator);
    json_uint(json, "creator_uid", c->record.creator_uid);
    json_array_begin(json, "members");
    for (i = 0; i < c->nmembers; i++) {
        json_object_begin(json, NULL);
        json_uint(json, "pid", (unsigned long long)c->members[i]);
        json_object_end(json);
    }
    json_array_end(json);
    json_array_begin(json, "namespaces");
    for (i = 0; i < c->record.nns; i++) {
        json_object_begin(json, NULL);
        identity(json, c->ns[i].name, c->ns[i].kind, c->ns[i].nsid);
        if (c->ns[i].group_locks >= 0)
            json_uint(json, "group_locks", (unsigned long long)c->ns[i].group_locks);
        else
            json_null(json, "group_locks");
        json_object_end(json);
    }
    json_array_end(json);
    json_object_end(json);
}

static void json_containers(const struct view *view, const struct container_list *list)
{
    struct json json;
    size_t i;

    document_begin(&json, view->engine->name);
    json_array_begin(&json, "containers");
    for (i = 0; i < list->count; i++)
        container_object(&json, &list->at[i]);
    json_array_end(&json);
    document_end(&json);
}

static void part_object(struct json *json, const struct view *view, const struct rd_part *part)
{
    struct name_book book;
    size_t r;

    json_object_begin(json, NULL);
    namespace_identity(json, part->ns);
    if (part->collector != 0)
        json_uint(json, "collector", (unsigned long long)part->collector);
    else
        json_null(json, "collector");
    json_array_begin(json, "resources");
    name_book_init(&book, &part->ns->picture);
    for (r = 0; r < part->count; r++) {
        json_object_begin(json, NULL);
        resource_fields(json, view, part->resources[r].entry, &book);
        json_object_end(json);
    }
    name_book_free(&book);
    json_array_end(json);
    json_object_end(json);
}

static void json_domains(const struct view *view, const struct rd_list *list)
{
    struct json json;
    size_t d, p;

    document_begin(&json, view->engine->name);
    json_array_begin(&json, "domains");
    for (d = 0; d < list->count; d++) {
        const struct rd_domain *domain = &list->at[d];

        json_object_begin(&json, NULL);
        json_hex(&json, "mark", mark_digest(&domain->mark), PERSIST_DIGEST_LEN);
        json_uint(&json, "resources", domain->nresources);
        if (lvb_state_known(view))
            json_uint(&json, "invalid", domain->ninvalid);
        else
            json_null(&json, "invalid");
        json_array_begin(&json, "namespaces");
        for (p = 0; p < domain->nparts; p++)
            part_object(&json, view, &domain->parts[p]);
        json_array_end(&json);
        json_object_end(&json);
    }
    json_array_end(&json);
    document_end(&json);
}

const struct writer json_writer = {
    .status = json_status,
    .namespaces = json_namespaces,
    .locks = json_locks,
    .containers = json_containers,
    .domains = json_domains,
};
