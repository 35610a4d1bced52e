#include "config.h"

#include "view.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "persist.h"
#include "picture.h"
#include "settings.h"

/* A picture may grow between the census and the inspection, and between
 * two inspections; a lockspace that outgrows the room this often is
 * changing too fast to be shown. */
#define PICTURE_ATTEMPTS 16
#define PICTURE_SLACK 64

/* -errno when the configuration file exists but cannot be read, with a
 * reason that names it; 0 otherwise (a setting too long is the engine's
 * or the directory's own to report). */
static int configuration_readable(const char **why)
{
    static char reason[SETTING_VALUE_MAX + 64];
    char value[SETTING_VALUE_MAX];
    int rc = setting_get(SETTING_ENGINE, value);

    if (rc == 0 || rc == -ENAMETOOLONG)
        rc = setting_get(SETTING_EMBEDDED_DIR, value);
    if (rc == 0 || rc == -ENAMETOOLONG)
        return 0;
    snprintf(reason, sizeof reason, "the configuration file %s cannot be read: %s",
             setting_config_path(), strerror(-rc));
    *why = reason;
    return rc;
}

int view_open_engine(struct view *view, const char **why)
{
    int rc;

    *view = (struct view){ NULL, NULL, NULL, 0 };
    *why = NULL;
    rc = configuration_readable(why);
    if (rc != 0)
        return rc;
    view->engine = engine_configured(&rc);
    if (view->engine == NULL) {
        if (rc == -ENOSYS)
            *why = "the engine setting names no engine of this library (embedded, linux)";
        return rc;
    }
    view->admin = engine_admin_of(view->engine);
    return view->admin->usable(why);
}

struct gathering {
    struct view *view;
    const char *only;
    size_t capacity;
};

static int add_namespace(const char *name, const struct stat *st, void *arg)
{
    struct gathering *g = arg;
    struct ns_view *ns;
    enum ns_kind kind;
    dlm_nsid_t nsid;

    if (ns_of_lockspace(name, &kind, &nsid) != 0
        || (g->only != NULL && strcmp(g->only, name) != 0))
        return 0;
    if (g->view->count == g->capacity) {
        size_t capacity = g->capacity ? 2 * g->capacity : 8;
        struct ns_view *bigger = realloc(g->view->ns, capacity * sizeof *bigger);

        if (bigger == NULL)
            return -ENOMEM;
        g->view->ns = bigger;
        g->capacity = capacity;
    }
    ns = &g->view->ns[g->view->count++];
    memset(ns, 0, sizeof *ns);
    snprintf(ns->name, sizeof ns->name, "%s", name);
    ns->kind = kind;
    ns->nsid = nsid;
    ns->uid = st->st_uid;
    ns->gid = st->st_gid;
    ns->mode = st->st_mode & 07777;
    return 0;
}

static int by_kind_and_id(const void *a, const void *b)
{
    const struct ns_view *x = a, *y = b;

    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->nsid < y->nsid ? -1 : x->nsid > y->nsid;
}

/* A picture of the whole lockspace, with room for the census's numbers
 * and some. */
static int take_picture(struct engine_ls *ls, const struct engine_ops *engine,
                        const struct engine_census *census, struct engine_picture *picture)
{
    unsigned int want_res = (unsigned int)census->resources + PICTURE_SLACK;
    unsigned int want_locks = (unsigned int)census->locks + PICTURE_SLACK;
    int attempt, rc = -EAGAIN;

    for (attempt = 0; rc == -EAGAIN && attempt < PICTURE_ATTEMPTS; attempt++) {
        picture_free(picture);
        picture->resources = calloc(want_res, sizeof *picture->resources);
        picture->locks = calloc(want_locks, sizeof *picture->locks);
        if (picture->resources == NULL || picture->locks == NULL)
            return -ENOMEM;
        picture->nresources = want_res;
        picture->nlocks = want_locks;
        rc = engine->inspect(ls, NULL, 0, picture);
        if (rc == 0 && (picture->nresources > want_res || picture->nlocks > want_locks)) {
            want_res = picture->nresources + PICTURE_SLACK;
            want_locks = picture->nlocks + PICTURE_SLACK;
            rc = -EAGAIN;
        }
    }
    return rc;
}

int view_lockspace_picture(const struct engine_admin *admin, const char *name,
                           struct engine_picture *picture)
{
    struct engine_census census;
    struct engine_ls *ls;
    int rc = admin->peek(name, &ls);

    *picture = (struct engine_picture){ NULL, 0, NULL, 0 };
    if (rc != 0)
        return rc;
    rc = admin->engine->census(ls, &census);
    if (rc == 0)
        rc = take_picture(ls, admin->engine, &census, picture);
    admin->unpeek(ls);
    if (rc != 0)
        picture_free(picture);
    return rc;
}

/* Leave out the library's own locks (the anchors of persistent
 * resources), keeping the others in their order. */
static void drop_own_locks(struct engine_picture *picture)
{
    unsigned int i, kept = 0;

    for (i = 0; i < picture->nlocks; i++)
        if (!picture_own_lock(&picture->locks[i]))
            picture->locks[kept++] = picture->locks[i];
    picture->nlocks = kept;
}

/* Engine names in byte order, a name before its extensions: the exact
 * form then puts every resource right after its parent, before its
 * parent's next sibling. */
static int by_engine_name(const void *a, const void *b)
{
    const struct engine_resource_info *x = ((const struct resource_entry *)a)->info;
    const struct engine_resource_info *y = ((const struct resource_entry *)b)->info;
    unsigned int len = x->namelen < y->namelen ? x->namelen : y->namelen;
    int order = memcmp(x->name, y->name, len);

    if (order != 0)
        return order;
    return x->namelen < y->namelen ? -1 : x->namelen > y->namelen;
}

/* Is the resource a caller's that the listing shows: one of the
 * library's own is not, nor one that only its own locks hold, unless it
 * is persistent (it then stays, with its value block, while nobody
 * holds it: Tru64 DLM_PERSIST). */
static int shown(const struct resource_entry *entry)
{
    return resname_own_kind(entry->info->name, entry->info->namelen) == 0
           && (entry->nlocks != 0 || entry->persistent);
}

static int order_resources(struct ns_view *ns)
{
    const struct engine_picture *picture = &ns->picture;
    unsigned int i, *first, *count;

    ns->entries = calloc(picture->nresources + 1, sizeof *ns->entries);
    first = calloc(picture->nresources + 1, sizeof *first);
    count = calloc(picture->nresources + 1, sizeof *count);
    if (ns->entries == NULL || first == NULL || count == NULL) {
        free(first);
        free(count);
        return -ENOMEM;
    }
    /* The picture lists each resource's locks together. */
    for (i = picture->nlocks; i-- > 0;) {
        unsigned int r = picture->locks[i].resource;

        if (r < picture->nresources) {
            first[r] = i;
            count[r]++;
        }
    }
    for (i = 0; i < picture->nresources; i++) {
        struct resource_entry entry = { &picture->resources[i], i, first[i], count[i],
                                        persist_marked(picture->resources[i].lvb) };

        if (shown(&entry))
            ns->entries[ns->nentries++] = entry;
    }
    qsort(ns->entries, ns->nentries, sizeof *ns->entries, by_engine_name);
    free(first);
    free(count);
    return 0;
}

static void look_into(const struct view *view, struct ns_view *ns, enum view_depth depth)
{
    struct engine_ls *ls;

    ns->error = view->admin->peek(ns->name, &ls);
    if (ns->error != 0)
        return;
    ns->error = view->engine->census(ls, &ns->census);
    if (ns->error == 0 && depth == VIEW_LOCKS) {
        if (view->admin->snapshot != NULL)
            ns->picture_error = view->admin->snapshot(ls, &ns->picture);
        else
            ns->picture_error = take_picture(ls, view->engine, &ns->census, &ns->picture);
        if (ns->picture_error == 0) {
            drop_own_locks(&ns->picture);
            ns->picture_error = order_resources(ns);
        }
    }
    view->admin->unpeek(ls);
}

int view_gather(struct view *view, const char *only, enum view_depth depth)
{
    struct gathering g = { view, only, 0 };
    size_t i;
    int rc = view->admin->each_lockspace(add_namespace, &g);

    if (rc != 0)
        return rc;
    if (view->count == 0)
        return only != NULL ? -ENOENT : 0;     /* and view->ns is NULL */
    qsort(view->ns, view->count, sizeof *view->ns, by_kind_and_id);
    for (i = 0; i < view->count; i++)
        look_into(view, &view->ns[i], depth);
    return 0;
}

void view_free(struct view *view)
{
    size_t i;

    for (i = 0; i < view->count; i++) {
        picture_free(&view->ns[i].picture);
        free(view->ns[i].entries);
    }
    free(view->ns);
    view->ns = NULL;
    view->count = 0;
}

const struct ns_view *view_namespace(const struct view *view, enum ns_kind kind,
                                     dlm_nsid_t nsid)
{
    size_t i;

    for (i = 0; i < view->count; i++)
        if (view->ns[i].kind == kind && view->ns[i].nsid == nsid)
            return &view->ns[i];
    return NULL;
}

long view_find_resource(const struct engine_picture *picture, const struct resname *name)
{
    unsigned int i;

    for (i = 0; i < picture->nresources; i++)
        if (picture->resources[i].namelen == name->len
            && memcmp(picture->resources[i].name, name->bytes, name->len) == 0)
            return (long)i;
    return -1;
}
