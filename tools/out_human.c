/*
 * Listings for people: one line per item under a heading, names escaped
 * (resource_names.h) so that every line has the same columns.
 */
#include "config.h"

#include <stdio.h>

#include "containers.h"
#include "domains.h"
#include "output.h"
#include "resource_names.h"

static void human_status(const struct status_report *report)
{
    printf("engine:   %s\n", report->engine != NULL ? report->engine : "(none)");
    if (report->usable)
        printf("usable:   yes\n");
    else
        printf("usable:   no: %s\n", report->problem);
    printf("state:    %s\n", report->state != NULL ? report->state : "-");
    printf("library:  dlm_tru64 %s\n", report->version);
}

/* user:group, by name where the system has one. */
static void print_owner(uid_t uid, gid_t gid)
{
    char owner[80];
    const char *user = user_name(uid);
    int n = user != NULL ? snprintf(owner, sizeof owner, "%s:", user)
                         : snprintf(owner, sizeof owner, "%u:", (unsigned int)uid);
    const char *group = group_name(gid);

    if (group != NULL)
        snprintf(owner + n, sizeof owner - (size_t)n, "%s", group);
    else
        snprintf(owner + n, sizeof owner - (size_t)n, "%u", (unsigned int)gid);
    printf("%-20s", owner);
}

static void human_namespaces(const struct view *view)
{
    size_t i;

    if (view->count == 0) {
        printf("no namespaces\n");
        return;
    }
    printf("%-16s %-7s %-20s %-5s %9s %9s %9s\n", "NAMESPACE", "KIND", "OWNER", "MODE",
           "PROCESSES", "LOCKS", "RESOURCES");
    for (i = 0; i < view->count; i++) {
        const struct ns_view *ns = &view->ns[i];

        printf("%-16s %-7s ", ns->name, kind_name(ns->kind));
        print_owner(ns->uid, ns->gid);
        printf(" %04o ", (unsigned int)ns->mode);
        if (ns->error == 0)
            printf(" %9lu %9lu %9lu\n", ns->census.processes, ns->census.locks,
                   ns->census.resources);
        else
            printf(" %9s %9s %9s\n", "-", "-", "-");
    }
}

/* A lock's line; a persistent resource that no caller's lock holds has
 * one too, with lock NULL. */
static void print_lock(const struct view *view, const struct ns_view *ns,
                       const struct engine_lock_info *lock, const struct resource_entry *entry,
                       const struct resource_path *path)
{
    const char *valblk = lvb_state(view, entry->info);
    char owner[16] = "-", glc[16] = "-", lkid[16] = "-";
    const char *granted = NULL, *requested = NULL, *state = "-";

    if (lock != NULL) {
        state = state_name(lock->queue);
        granted = mode_name(lock->grmode);
        requested = mode_name(lock->rqmode);
        if (held_by_container(lock))
            snprintf(owner, sizeof owner, "container");
        else if (orphaned(lock))
            snprintf(owner, sizeof owner, "orphan");
        else if (lock->node != 0)
            snprintf(owner, sizeof owner, "%ld@%d", (long)lock->pid, lock->node);
        else
            snprintf(owner, sizeof owner, "%ld", (long)lock->pid);
        if (lock->group != 0)
            snprintf(glc, sizeof glc, "%u", (unsigned int)lock->group);
        snprintf(lkid, sizeof lkid, "0x%08x", lock->lkid);
    }
    printf("%-16s %-10s %-7s %-9s %-9s %-5s %-7s %-7s %-10s  ", ns->name, state,
           granted != NULL ? granted : "-", requested != NULL ? requested : "-", owner, glc,
           valblk != NULL ? valblk : "unknown", entry->persistent ? "yes" : "-", lkid);
    write_path(stdout, path);
    putchar('\n');
}

static void locks_heading(int *printed)
{
    if (!*printed)
        printf("%-16s %-10s %-7s %-9s %-9s %-5s %-7s %-7s %-10s  %s\n", "NAMESPACE", "STATE",
               "GRANTED", "REQUESTED", "PID", "GLC", "VALBLK", "PERSIST", "LKID", "RESOURCE");
    *printed = 1;
}

/* What a listing from an engine's snapshot lacks, after it (dlm_tru64(8),
 * ENGINES). */
static void snapshot_notes(const struct view *view)
{
    unsigned int gaps = view->admin->snapshot != NULL ? view->admin->snapshot_gaps : 0;

    if (gaps & SNAPSHOT_NOT_ATOMIC)
        printf("note: the %s engine's listing is not atomic: it is read while the locks "
               "change, so a resource may show a state it never had at one instant\n",
               view->engine->name);
    if (gaps & SNAPSHOT_NODE_LOCAL)
        printf("note: the listing is this node's view: of a resource mastered by another "
               "node, only this node's locks; PID@N is a process of node N\n");
    if (gaps & SNAPSHOT_NO_LVB_STATE)
        printf("note: the validity of value blocks is unknown on the %s engine\n",
               view->engine->name);
    if (gaps & SNAPSHOT_NO_GROUPS)
        printf("note: group locks show as the locks of the members that asked for them "
               "on the %s engine\n", view->engine->name);
}

static void human_locks(const struct view *view)
{
    int heading = 0;
    size_t i;

    for (i = 0; i < view->count; i++) {
        const struct ns_view *ns = &view->ns[i];
        struct name_book book;
        unsigned int r, l;

        if (ns->error != 0 || ns->picture_error != 0)
            continue;
        name_book_init(&book, &ns->picture);
        for (r = 0; r < ns->nentries; r++) {
            const struct resource_entry *entry = &ns->entries[r];
            struct resource_path path;

            resource_path_of(&book, entry->resource, &path);
            locks_heading(&heading);
            if (entry->nlocks == 0)
                print_lock(view, ns, NULL, entry, &path);
            for (l = 0; l < entry->nlocks; l++)
                print_lock(view, ns, &ns->picture.locks[entry->first_lock + l], entry,
                           &path);
        }
        name_book_free(&book);
    }
    if (!heading)
        printf("no locks\n");
    snapshot_notes(view);
}

static const char *container_flags(const struct glc_record *record)
{
    if (record->flags & DLM_GLC_OWNED)
        return "owned";
    return record->flags & DLM_GLC_PERM ? "permanent" : "-";
}

static void print_members(const struct container *c)
{
    unsigned int i;

    if (c->nmembers == 0)
        putchar('-');
    for (i = 0; i < c->nmembers; i++)
        printf("%s%ld", i > 0 ? "," : "", (long)c->members[i]);
}

/* One line for each namespace of each container. */
static void human_containers(const struct view *view, const struct container_list *list)
{
    size_t i;
    unsigned int k;

    (void)view;
    if (list->count == 0) {
        printf("no group lock containers\n");
        return;
    }
    printf("%-6s %-9s %-8s %-6s %-16s %-5s  %s\n", "GLC", "FLAGS", "CREATOR", "UID",
           "NAMESPACE", "LOCKS", "MEMBERS");
    for (i = 0; i < list->count; i++) {
        const struct container *c = &list->at[i];

        for (k = 0; k < c->record.nns; k++) {
            char locks[24] = "-";

            if (c->ns[k].group_locks >= 0)
                snprintf(locks, sizeof locks, "%ld", c->ns[k].group_locks);
            printf("%-6u %-9s %-8u %-6u %-16s %-5s  ", (unsigned int)c->record.id,
                   container_flags(&c->record), (unsigned int)c->record.creator,
                   (unsigned int)c->record.creator_uid, c->ns[k].name, locks);
            print_members(c);
            putchar('\n');
        }
    }
}

/* One line for each persistent resource, a domain's together. */
static void human_domains(const struct view *view, const struct rd_list *list)
{
    size_t d, p, r;

    if (list->count == 0) {
        printf("no recovery domains\n");
        snapshot_notes(view);
        return;
    }
    printf("%-*s %-16s %-7s %-9s  %s\n", 2 * (int)PERSIST_DIGEST_LEN, "MARK", "NAMESPACE",
           "VALBLK", "COLLECTOR", "RESOURCE");
    for (d = 0; d < list->count; d++) {
        const struct rd_domain *domain = &list->at[d];

        for (p = 0; p < domain->nparts; p++) {
            const struct rd_part *part = &domain->parts[p];
            struct name_book book;
            char collector[16] = "-";

            if (part->collector != 0)
                snprintf(collector, sizeof collector, "%ld", (long)part->collector);
            name_book_init(&book, &part->ns->picture);
            for (r = 0; r < part->count; r++) {
                const struct resource_entry *entry = part->resources[r].entry;
                const char *valblk = lvb_state(view, entry->info);
                struct resource_path path;

                resource_path_of(&book, entry->resource, &path);
                write_hex(stdout, mark_digest(&domain->mark), PERSIST_DIGEST_LEN);
                printf(" %-16s %-7s %-9s  ", part->ns->name,
                       valblk != NULL ? valblk : "unknown", collector);
                write_path(stdout, &path);
                putchar('\n');
            }
            name_book_free(&book);
        }
    }
    snapshot_notes(view);
}

const struct writer human_writer = {
    .status = human_status,
    .namespaces = human_namespaces,
    .locks = human_locks,
    .containers = human_containers,
    .domains = human_domains,
};
