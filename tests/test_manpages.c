/*
 * The manual pages: every public call has one, every page is installed,
 * every page they refer to exists, and all are clean under the strictest
 * checkers we have, mandoc's linter and groff with every warning.  An alias
 * page holds a single .so request naming a real page, which the checkers
 * then cover.
 *
 * The public calls are read from the library's export list, so a call
 * added there without a page fails here.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define LINE_MAX_LEN 1024

/* Is page ("man3/x.3") one of the pages the Makefile installs? */
static int installed(const char *page)
{
    const char *list = harness_env("MAN_PAGES"), *at = list;
    size_t len = strlen(page);

    while ((at = strstr(at, page)) != NULL) {
        if ((at == list || at[-1] == ' ') && (at[len] == '\0' || at[len] == ' '))
            return 1;
        at += len;
    }
    return 0;
}

static FILE *open_in_tree(const char *path)
{
    char full[1024];

    snprintf(full, sizeof full, "%s/%s", harness_env("TOP_SRCDIR"), path);
    return fopen(full, "r");
}

/* If the page is an alias, return the page it names ("man3/x.3"), else
 * NULL.  The result is static storage. */
static const char *alias_target(const char *page)
{
    static char line[256];
    char rest[2];
    FILE *file = open_in_tree(page);
    int is_alias;

    CU_ASSERT_PTR_NOT_NULL_FATAL(file);
    if (fgets(line, sizeof line, file) == NULL)
        line[0] = '\0';
    is_alias = strncmp(line, ".so ", 4) == 0;
    if (is_alias)
        CU_ASSERT_PTR_NULL(fgets(rest, sizeof rest, file));    /* one line only */
    fclose(file);
    if (!is_alias)
        return NULL;
    line[strcspn(line, "\n")] = '\0';
    return line + 4;
}

/* The page itself, or the page an alias names. */
static void real_page(const char *page, char *real, size_t size)
{
    const char *alias = alias_target(page);

    snprintf(real, size, "%s", alias != NULL ? alias : page);
}

/* Call visit(page, arg) for every page of MAN_PAGES. */
static void for_every_page(void (*visit)(const char *page, const char *arg), const char *arg)
{
    char pages[4096];
    char *page, *save = NULL;

    CU_ASSERT_FATAL(strlen(harness_env("MAN_PAGES")) < sizeof pages);
    snprintf(pages, sizeof pages, "%s", harness_env("MAN_PAGES"));
    for (page = strtok_r(pages, " ", &save); page != NULL; page = strtok_r(NULL, " ", &save))
        visit(page, arg);
}

/* --- Checkers ---------------------------------------------------------------------- */

/* Run checker (a command to which the page's path is appended) on a page
 * that is not an alias, from the source tree's top; a checker that fails
 * or prints anything fails the test.  An alias must name a page in the
 * list that is not an alias itself. */
static void check_page(const char *page, const char *checker)
{
    char command[4096];
    const char *alias = alias_target(page);

    if (alias != NULL) {
        char target[256];

        snprintf(target, sizeof target, "%s", alias);
        if (!installed(target) || alias_target(target) != NULL)
            fprintf(stderr, "%s: .so names %s, not a page of its own\n", page, target);
        CU_ASSERT(installed(target));
        CU_ASSERT_PTR_NULL(alias_target(target));
        return;
    }
    snprintf(command, sizeof command,
             "cd '%s' && out=$(%s %s 2>&1); status=$?; "
             "if [ $status -ne 0 ] || [ -n \"$out\" ]; then echo \"%s: $out\"; exit 1; fi",
             harness_env("TOP_SRCDIR"), checker, page, page);
    CU_ASSERT_EQUAL(harness_system(command), 0);
}

static void mandoc_lint_is_clean(void)
{
    char command[1024];

    snprintf(command, sizeof command, "'%s' -T lint -W warning", harness_env("MANDOC"));
    for_every_page(check_page, command);
}

static void groff_warns_of_nothing(void)
{
    char command[1024];

    snprintf(command, sizeof command, "'%s' -ww -z -man -t", harness_env("GROFF"));
    for_every_page(check_page, command);
}

/* --- Every call has its page ---------------------------------------------------------- */

/* Does the NAME section of page list call (as "call," or "call \-")? */
static int page_names(const char *page, const char *call)
{
    char line[LINE_MAX_LEN];
    FILE *file = open_in_tree(page);
    int in_name = 0, found = 0;
    size_t len = strlen(call);

    if (file == NULL)
        return 0;
    while (!found && fgets(line, sizeof line, file) != NULL) {
        if (strncmp(line, ".SH", 3) == 0) {
            in_name = strncmp(line, ".SH NAME", 8) == 0;
            continue;
        }
        if (in_name) {
            const char *end = strstr(line, "\\-"), *at = line;

            while (!found && (at = strstr(at, call)) != NULL && (end == NULL || at < end)) {
                found = (at == line || at[-1] == ' ')
                        && (at[len] == ',' || at[len] == ' ' || at[len] == '\n');
                at += len;
            }
        }
    }
    fclose(file);
    return found;
}

/* The calls the library exports: the "name;" lines of the version script's
 * global part. */
static void every_exported_call_has_a_page(void)
{
    char line[LINE_MAX_LEN];
    FILE *map = open_in_tree("src/libdlm_tru64.map");
    int in_global = 0, calls = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(map);
    while (fgets(line, sizeof line, map) != NULL) {
        char call[128], page[256], real[256];

        if (strstr(line, "global:") != NULL || strstr(line, "local:") != NULL) {
            in_global = strstr(line, "global:") != NULL;
            continue;
        }
        if (!in_global || sscanf(line, " %127[a-z0-9_];", call) != 1)
            continue;
        calls++;
        snprintf(page, sizeof page, "man3/%s.3", call);
        if (!installed(page)) {
            fprintf(stderr, "%s has no page %s in MAN_PAGES\n", call, page);
            CU_FAIL("a public call has no installed page");
            continue;
        }
        real_page(page, real, sizeof real);
        if (!page_names(real, call))
            fprintf(stderr, "%s: NAME does not list %s\n", real, call);
        CU_ASSERT(page_names(real, call));
    }
    fclose(map);
    CU_ASSERT(calls > 0);
}

/* --- Every page is installed ------------------------------------------------------------ */

static void every_page_in_the_tree_is_installed(void)
{
    static const char *const sections[] = { "man3", "man7" };
    size_t i;

    for (i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        char dir[1024];
        struct dirent *entry;
        DIR *d;

        snprintf(dir, sizeof dir, "%s/%s", harness_env("TOP_SRCDIR"), sections[i]);
        d = opendir(dir);
        CU_ASSERT_PTR_NOT_NULL_FATAL(d);
        while ((entry = readdir(d)) != NULL) {
            char page[512];

            if (entry->d_name[0] == '.')
                continue;
            snprintf(page, sizeof page, "%s/%s", sections[i], entry->d_name);
            if (!installed(page))
                fprintf(stderr, "%s is not in MAN_PAGES\n", page);
            CU_ASSERT(installed(page));
        }
        closedir(d);
    }
}

/* --- Every reference leads to a page ------------------------------------------------- */

static int is_name_char(int c)
{
    return islower(c) || isdigit(c) || c == '_';
}

/* References to our own pages, in sections 3 and 7, are "dlm_x (N)" (or
 * "dlm_x" (N) inside a quoted .BR argument): each must name an installed
 * page.  (dlm_tool(8) and dlm_controld(8) are the cluster's.) */
static void check_references(const char *page, const char *unused)
{
    char line[LINE_MAX_LEN];
    FILE *file;

    (void)unused;
    if (alias_target(page) != NULL)
        return;
    file = open_in_tree(page);
    CU_ASSERT_PTR_NOT_NULL_FATAL(file);
    while (fgets(line, sizeof line, file) != NULL) {
        const char *at = line;

        while ((at = strstr(at, "dlm_")) != NULL) {
            const char *end = at;
            char target[256];

            if (at > line && is_name_char((unsigned char)at[-1])) {
                at += 4;
                continue;
            }
            while (is_name_char((unsigned char)*end))
                end++;
            if (*end == '"')
                end++;
            while (*end == ' ')
                end++;
            if (end[0] == '(' && (end[1] == '3' || end[1] == '7') && end[2] == ')') {
                int n = (int)strcspn(at, "\" ");

                snprintf(target, sizeof target, "man%c/%.*s.%c", end[1], n, at, end[1]);
                if (!installed(target))
                    fprintf(stderr, "%s refers to %s, which is not installed\n", page, target);
                CU_ASSERT(installed(target));
            }
            at = end;
        }
    }
    fclose(file);
}

static void every_reference_names_a_page(void)
{
    for_every_page(check_references, NULL);
}

static const struct harness_test tests[] = {
    { "every exported call has a page", every_exported_call_has_a_page },
    { "every page in the tree is installed", every_page_in_the_tree_is_installed },
    { "every reference names a page", every_reference_names_a_page },
    { "mandoc -T lint is clean", mandoc_lint_is_clean },
    { "groff -ww warns of nothing", groff_warns_of_nothing },
    { NULL, NULL }
};

static const struct harness_suite manpages = { "manual pages", tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &manpages, NULL };

    return harness_run(suites);
}
