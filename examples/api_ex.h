/*
 * api_ex.h - what api_ex_master and api_ex_client share.
 *
 * The two programs exchange messages through the value block of one
 * resource, API_EX_DATA, taking turns by lock conversions:
 *
 *   master                                client
 *   holds DATA in EX                      holds DATA in NL
 *                                         converts NL -> PR  (waits)
 *   blocking routine: "a reader waits"
 *   writes round n, converts EX -> NL
 *   with DLM_VALB (publishes the value)   granted PR: reads round n
 *   converts NL -> EX  (waits)
 *                                         blocking routine: "the master
 *                                         waits for the answer"
 *                                         converts PR -> EX, writes the
 *                                         answer, converts EX -> NL with
 *                                         DLM_VALB
 *   granted EX: reads the answer
 *
 * Each side acts on the other's blocking routine, so neither can run a
 * round ahead: the next request for PR always finds the master in EX.
 *
 * First they meet at a second resource, API_EX_DOOR, so that either may
 * be started first: whoever holds the door learns of the other from its
 * blocking routine, and lets the other in.
 */
#ifndef API_EX_H
#define API_EX_H

#include <string.h>

#include "example.h"

#define API_EX_DATA     "api_ex_data"
#define API_EX_DOOR     "api_ex_door"
#define API_EX_ROUNDS   5

/* The value block: DLM_VALBLKSIZE longwords. */
enum { VALUE_ROUND, VALUE_QUESTION, VALUE_ANSWER, VALUE_CHECK };

/* Set by blocking routines, read by the main line. */
static volatile sig_atomic_t knocked;

static dlm_status_t lock_named(dlm_nsp_t ns, const char *name, dlm_lkid_t *lkid,
                               dlm_lkmode_t mode, dlm_valb_t *valb, dlm_flags_t flags,
                               blk_callback_t blkrtn)
{
    return dlm_lock(ns, (uchar_t *)name, (ushort_t)strlen(name), NULL, lkid, mode, valb,
                    flags, NULL, NULL, blkrtn, 0);
}

/* A blocking routine: someone wants what we hold. */
static void on_knock(callback_arg_t notprm, callback_arg_t hint, dlm_lkid_t *lkid,
                     dlm_lkmode_t mode)
{
    (void)notprm;
    (void)hint;
    (void)lkid;
    (void)mode;
    knocked = 1;
}

/* Wait for a blocking routine to knock, and be ready for the next. */
static void wait_for_knock(int polling)
{
    wait_for(&knocked, polling);
    knocked = 0;
}

/* Meet the other program at the door.  If it is not there yet, hold the
 * door until it knocks; if it is, knock and wait to be let in. */
static void meet(dlm_nsp_t ns, dlm_lkmode_t mode, int polling)
{
    dlm_lkid_t door;
    dlm_status_t status;

    status = lock_named(ns, API_EX_DOOR, &door, mode, NULL, DLM_NOQUEUE, on_knock);
    if (status == DLM_SUCCESS) {
        wait_for_knock(polling);            /* the other asks for the door */
    } else if (status == DLM_NOTQUEUED) {
        /* The other holds it: asking blocks it, which tells it we came. */
        check("waiting at the door", lock_named(ns, API_EX_DOOR, &door, mode, NULL, 0, NULL));
    } else {
        check("knocking", status);
    }
    check("leaving the door", dlm_unlock(&door, NULL, 0));
}

/* -p: poll with dlm_notify() instead of the signal; -n N: rounds. */
static void options(int argc, char **argv, int *polling, int *rounds)
{
    int c;

    *polling = 0;
    *rounds = API_EX_ROUNDS;
    while ((c = getopt(argc, argv, "pn:")) != -1) {
        if (c == 'p') {
            *polling = 1;
        } else if (c == 'n' && atoi(optarg) > 0) {
            *rounds = atoi(optarg);
        } else {
            fprintf(stderr, "usage: %s [-p] [-n rounds]\n", argv[0]);
            exit(2);
        }
    }
}

#endif
