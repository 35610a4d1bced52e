/*
 * The manual pages are clean under the strictest checkers we have:
 * mandoc's linter and groff with every warning.  An alias page holds a
 * single .so request naming a real page, which the checkers then cover.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* If the page is an alias, return the page it names ("man3/x.3"), else
 * NULL.  The result is static storage. */
static const char *alias_target(const char *page)
{
    static char line[256];
    char path[1024];
    char rest[2];
    FILE *file;
    int is_alias;

    snprintf(path, sizeof path, "%s/%s", harness_env("TOP_SRCDIR"), page);
    file = fopen(path, "r");
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

/* Run checker (a command to which the page's path is appended) on every page that
 * is not an alias, from the source tree's top; a checker that fails or
 * prints anything fails the test.  Each alias must name a page in the
 * list that is not an alias itself. */
static void check_every_page(const char *checker)
{
    char pages[4096];
    char *page, *save = NULL;

    snprintf(pages, sizeof pages, "%s", harness_env("MAN_PAGES"));
    for (page = strtok_r(pages, " ", &save); page != NULL; page = strtok_r(NULL, " ", &save)) {
        char command[4096];
        char check[2048];
        const char *alias = alias_target(page);

        if (alias != NULL) {
            char target[256];

            snprintf(target, sizeof target, "%s", alias);
            if (strstr(harness_env("MAN_PAGES"), target) == NULL || alias_target(target) != NULL)
                fprintf(stderr, "%s: .so names %s, not a page of its own\n", page, target);
            CU_ASSERT_PTR_NOT_NULL(strstr(harness_env("MAN_PAGES"), target));
            CU_ASSERT_PTR_NULL(alias_target(target));
            continue;
        }
        snprintf(check, sizeof check, "%s %s", checker, page);
        snprintf(command, sizeof command,
                 "cd '%s' && out=$(%s 2>&1); status=$?; "
                 "if [ $status -ne 0 ] || [ -n \"$out\" ]; then echo \"%s: $out\"; exit 1; fi",
                 harness_env("TOP_SRCDIR"), check, page);
        CU_ASSERT_EQUAL(harness_system(command), 0);
    }
}

static void mandoc_lint_is_clean(void)
{
    char checker[1024];

    snprintf(checker, sizeof checker, "'%s' -T lint -W warning", harness_env("MANDOC"));
    check_every_page(checker);
}

static void groff_warns_of_nothing(void)
{
    char checker[1024];

    snprintf(checker, sizeof checker, "'%s' -ww -z -man -t", harness_env("GROFF"));
    check_every_page(checker);
}

static const struct harness_test tests[] = {
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
