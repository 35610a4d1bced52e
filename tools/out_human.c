/*
 * Listings for people: one line per item under a heading, names escaped
 * (resource_names.h) so that every line has the same columns.
 */
#include "config.h"

#include <stdio.h>

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

static void print_lock(const struct ns_view *ns, const struct engine_lock_info *lock,
                       const struct engine_resource_info *res, const struct resource_path *path)
{
    const char *granted = mode_name(lock->grmode), *requested = mode_name(lock->rqmode);
    char pid[16];

    if (lock->pid != 0)
        snprintf(pid, sizeof pid, "%ld", (long)lock->pid);
    else
        snprintf(pid, sizeof pid, "orphan");
    printf("%-16s %-10s %-7s %-9s %-8s %-3s %-7s 0x%08x  ", ns->name, state_name(lock->queue),
           granted != NULL ? granted : "-", requested != NULL ? requested : "-", pid, "-",
           res->lvb_valid ? "valid" : "invalid", lock->lkid);
    write_path(stdout, path);
    putchar('\n');
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
        for (r = 0; r < ns->picture.nresources; r++) {
            const struct resource_entry *entry = &ns->entries[r];
            struct resource_path path;

            resource_path_of(&book, entry->resource, &path);
            for (l = 0; l < entry->nlocks; l++) {
                if (!heading)
                    printf("%-16s %-10s %-7s %-9s %-8s %-3s %-7s %-10s  %s\n", "NAMESPACE",
                           "STATE", "GRANTED", "REQUESTED", "PID", "GLC", "VALBLK", "LKID",
                           "RESOURCE");
                heading = 1;
                print_lock(ns, &ns->picture.locks[entry->first_lock + l], entry->info, &path);
            }
        }
        name_book_free(&book);
    }
    if (!heading)
        printf("no locks\n");
}

/* No group lock container or recovery domain can exist yet: the library
 * answers DLM_ENOSYS to dlm_glc_create and dlm_rd_attach. */
static void human_containers(const struct view *view)
{
    (void)view;
    printf("no group lock containers\n");
}

static void human_domains(const struct view *view)
{
    (void)view;
    printf("no recovery domains\n");
}

const struct writer human_writer = {
    .status = human_status,
    .namespaces = human_namespaces,
    .locks = human_locks,
    .containers = human_containers,
    .domains = human_domains,
};
