/*
 * api_ex_client - the client of a lock conversion and value block exchange
 * (see api_ex.h for the protocol; run it beside api_ex_master).
 *
 * It holds the data resource in NL.  Each round it converts up to PR,
 * which waits until the master publishes a question, and reads it from
 * the value block.  When its blocking routine says the master waits for
 * the answer, it converts up to EX to write it, and down to NL with
 * DLM_VALB, which publishes the answer and lets the master read it.
 *
 *   api_ex_master [-p] [-n rounds] & api_ex_client [-p] [-n rounds]
 */
#include "api_ex.h"

int main(int argc, char **argv)
{
    dlm_valb_t value;
    dlm_lkid_t data;
    dlm_nsp_t ns;
    int polling, rounds, round;

    options(argc, argv, &polling, &rounds);
    ns = start("api_ex_client", polling);
    meet(ns, DLM_EXMODE, polling);

    /* NL: no access yet, but a place in the resource's queues. */
    check("locking the data", lock_named(ns, API_EX_DATA, &data, DLM_NLMODE, NULL, 0, NULL));
    for (round = 1; round <= rounds; round++) {
        check("reading the question", dlm_cvt(&data, DLM_PRMODE, &value, DLM_VALB, NULL, NULL,
                                              on_knock, 0));
        if (value.valblk[VALUE_ROUND] != (uint_t)round) {
            fprintf(stderr, "api_ex_client: expected round %d, read %u\n", round,
                    value.valblk[VALUE_ROUND]);
            return 1;
        }
        wait_for_knock(polling);            /* the master waits to read */
        /* PR to EX: the master's lock is NL while its conversion waits,
         * so this is granted at once, ahead of it. */
        check("taking the pen", dlm_cvt(&data, DLM_EXMODE, &value, DLM_VALB, NULL, NULL, NULL,
                                        0));
        value.valblk[VALUE_ANSWER] = value.valblk[VALUE_QUESTION] + 1;
        check("answering", dlm_cvt(&data, DLM_NLMODE, &value, DLM_VALB, NULL, NULL, NULL, 0));
        printf("api_ex_client: round %d: question %u, answer %u\n", round,
               value.valblk[VALUE_QUESTION], value.valblk[VALUE_ANSWER]);
    }
    check("unlocking", dlm_unlock(&data, NULL, 0));
    check("leaving", dlm_nsleave(&ns, 0));
    return 0;
}
