/*
 * Status texts: dlm_sperrno(), dlm_perrno(), dlm_perror().
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/dlm.h>

#include "harness.h"

#define STATUS(name) { name, #name }
static const struct { dlm_status_t value; const char *name; } statuses[] = {
    STATUS(DLM_SUCCESS), STATUS(DLM_SYNCH), STATUS(DLM_SUCCVALNOTVALID),
    STATUS(DLM_SYNCVALNOTVALID), STATUS(DLM_MORE_TO_RECOVER), STATUS(DLM_MORE_TO_TRAVERSE),
    STATUS(DLM_ABORT), STATUS(DLM_ATTACHED), STATUS(DLM_BADPARAM), STATUS(DLM_CANCEL),
    STATUS(DLM_CANCELGRANT), STATUS(DLM_CANCELWAIT), STATUS(DLM_CVTUNGRANT),
    STATUS(DLM_DEADLOCK), STATUS(DLM_EFAULT), STATUS(DLM_ENOENT), STATUS(DLM_ENOSYS),
    STATUS(DLM_HASLOCKS), STATUS(DLM_INSFMEM), STATUS(DLM_INTR), STATUS(DLM_IVBUFLEN),
    STATUS(DLM_IVLOCKID), STATUS(DLM_LKBUSY), STATUS(DLM_NOACCESS), STATUS(DLM_NOLOCKID),
    STATUS(DLM_NOTATTACHED), STATUS(DLM_NOTQUEUED), STATUS(DLM_PARNOTGRANT),
    STATUS(DLM_RETRY), STATUS(DLM_SUBLOCKS), STATUS(DLM_TIMEOUT), STATUS(DLM_TOOMANYNS),
    STATUS(DLM_UNEXPERR), STATUS(DLM_HASPROCS), STATUS(DLM_KILLFAIL),
    STATUS(DLM_ATTACHEDGROUP), STATUS(DLM_NO_GROUP), STATUS(DLM_ENAMETOOLONG),
    STATUS(DLM_TOOMANYRD), STATUS(DLM_IS_PR), STATUS(DLM_NOT_PR), STATUS(DLM_IVRDID),
    STATUS(DLM_PR_RD_MISMATCH), STATUS(DLM_IVHNDL), STATUS(DLM_EALREADY),
    STATUS(DLM_EINPROGRESS), STATUS(DLM_PUBNS_DISALLOW),
};
#undef STATUS
#define NSTATUSES (sizeof statuses / sizeof statuses[0])

/* "NAME: meaning", the meaning not empty. */
static void every_status_names_itself_and_its_meaning(void)
{
    size_t i;

    for (i = 0; i < NSTATUSES; i++) {
        const char *text = dlm_sperrno(statuses[i].value);
        size_t len = strlen(statuses[i].name);

        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        if (strncmp(text, statuses[i].name, len) != 0 || strncmp(text + len, ": ", 2) != 0)
            fprintf(stderr, "text of %s is \"%s\"\n", statuses[i].name, text);
        CU_ASSERT_NSTRING_EQUAL(text, statuses[i].name, len);
        CU_ASSERT_NSTRING_EQUAL(text + len, ": ", 2);
        CU_ASSERT(strlen(text + len + 2) > 0);
    }
}

static void every_status_has_a_distinct_text(void)
{
    size_t i, j;

    for (i = 0; i < NSTATUSES; i++)
        for (j = i + 1; j < NSTATUSES; j++)
            CU_ASSERT_STRING_NOT_EQUAL(dlm_sperrno(statuses[i].value),
                                       dlm_sperrno(statuses[j].value));
}

static void unknown_statuses_read_illegal_error(void)
{
    static const dlm_status_t unknown[] = {
        -1, 6, 7, 10, 15, DLM_PUBNS_DISALLOW + 1, 1000, INT_MAX, INT_MIN,
    };
    size_t i;

    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        CU_ASSERT_STRING_EQUAL(dlm_sperrno(unknown[i]), "DLM_ILLEGAL_EEROR");
}

/* Run print() with standard error sent to a temporary file; return what it
 * wrote (static storage, NUL-terminated). */
static const char *capture_stderr(void (*print)(void))
{
    static char text[512];
    FILE *file = tmpfile();
    int saved;
    ssize_t n;

    CU_ASSERT_PTR_NOT_NULL_FATAL(file);
    fflush(stderr);
    saved = dup(STDERR_FILENO);
    CU_ASSERT_FATAL(saved >= 0);
    CU_ASSERT_FATAL(dup2(fileno(file), STDERR_FILENO) >= 0);
    print();
    CU_ASSERT_FATAL(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    n = pread(fileno(file), text, sizeof text - 1, 0);
    fclose(file);
    CU_ASSERT_FATAL(n >= 0);
    text[n] = '\0';
    return text;
}

static void print_with_prefix(void)
{
    char prefix[] = "cvt of master";

    dlm_perror(prefix, DLM_NOTQUEUED);
}

static void print_with_null_prefix(void) { dlm_perror(NULL, DLM_DEADLOCK); }
static void print_with_empty_prefix(void) { dlm_perror((char *)"", DLM_TIMEOUT); }
static void print_errno(void) { dlm_perrno(DLM_IVLOCKID); }
static void print_unknown(void) { dlm_perrno(-7); }

static void perror_prefixes_the_callers_string(void)
{
    char expected[256];

    snprintf(expected, sizeof expected, "cvt of master: %s\n", dlm_sperrno(DLM_NOTQUEUED));
    CU_ASSERT_STRING_EQUAL(capture_stderr(print_with_prefix), expected);
}

static void perror_without_prefix_prints_the_text_alone(void)
{
    char expected[256];

    snprintf(expected, sizeof expected, "%s\n", dlm_sperrno(DLM_DEADLOCK));
    CU_ASSERT_STRING_EQUAL(capture_stderr(print_with_null_prefix), expected);
    snprintf(expected, sizeof expected, "%s\n", dlm_sperrno(DLM_TIMEOUT));
    CU_ASSERT_STRING_EQUAL(capture_stderr(print_with_empty_prefix), expected);
}

static void perrno_prints_the_text(void)
{
    char expected[256];

    snprintf(expected, sizeof expected, "%s\n", dlm_sperrno(DLM_IVLOCKID));
    CU_ASSERT_STRING_EQUAL(capture_stderr(print_errno), expected);
    CU_ASSERT_STRING_EQUAL(capture_stderr(print_unknown), "DLM_ILLEGAL_EEROR\n");
}

/* Many threads asking at once all get the same, intact texts. */
static void *sperrno_many_times(void *arg)
{
    unsigned int round;
    size_t i;

    (void)arg;
    for (round = 0; round < 2000; round++)
        for (i = 0; i < NSTATUSES; i++)
            if (strncmp(dlm_sperrno(statuses[i].value), statuses[i].name,
                        strlen(statuses[i].name)) != 0)
                return (void *)1;
    return NULL;
}

static void sperrno_is_thread_safe(void)
{
    pthread_t threads[4];
    size_t i;
    void *result;

    for (i = 0; i < 4; i++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&threads[i], NULL, sperrno_many_times, NULL), 0);
    for (i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(pthread_join(threads[i], &result), 0);
        CU_ASSERT_PTR_NULL(result);
    }
}

static const struct harness_test text_tests[] = {
    { "every status names itself and its meaning", every_status_names_itself_and_its_meaning },
    { "every status has a distinct text", every_status_has_a_distinct_text },
    { "unknown statuses read DLM_ILLEGAL_EEROR", unknown_statuses_read_illegal_error },
    { "dlm_sperrno is thread-safe", sperrno_is_thread_safe },
    { NULL, NULL }
};

static const struct harness_test print_tests[] = {
    { "dlm_perror prefixes the caller's string", perror_prefixes_the_callers_string },
    { "dlm_perror without prefix prints the text alone",
      perror_without_prefix_prints_the_text_alone },
    { "dlm_perrno prints the text", perrno_prints_the_text },
    { NULL, NULL }
};

static const struct harness_suite texts = { "status texts", text_tests };
static const struct harness_suite printing = { "printing statuses", print_tests };

int main(void)
{
    static const struct harness_suite *const suites[] = { &texts, &printing, NULL };

    return harness_run(suites);
}
