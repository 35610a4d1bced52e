/*
 * api_ex_master - the master of a lock conversion and value block exchange
 * (see api_ex.h for the protocol; run api_ex_client beside it).
 *
 * It holds the data resource in EX.  Each time the client asks to read, its
 * blocking routine says so; the master writes a question into the value
 * block and converts down to NL with DLM_VALB, which publishes the value
 * and grants the client's read, then converts back up to EX, which waits
 * for the client's answer.
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
    ns = start("api_ex_master", polling);

    /* Hold the data before the client can look at it. */
    memset(&value, 0, sizeof value);
    check("locking the data", lock_named(ns, API_EX_DATA, &data, DLM_EXMODE, &value, DLM_VALB,
                                         on_knock));
    meet(ns, DLM_EXMODE, polling);

    for (round = 1; round <= rounds; round++) {
        wait_for_knock(polling);            /* the client wants to read */
        value.valblk[VALUE_ROUND] = (uint_t)round;
        value.valblk[VALUE_QUESTION] = (uint_t)round * 7;
        value.valblk[VALUE_ANSWER] = 0;
        check("publishing", dlm_cvt(&data, DLM_NLMODE, &value, DLM_VALB, NULL, NULL, on_knock, 0));
        /* Up again: granted once the client has written its answer and
         * come down; DLM_VALB reads the value as it left it. */
        check("reading the answer", dlm_cvt(&data, DLM_EXMODE, &value, DLM_VALB, NULL, NULL,
                                            on_knock, 0));
        if (value.valblk[VALUE_ROUND] != (uint_t)round
            || value.valblk[VALUE_ANSWER] != (uint_t)round * 7 + 1) {
            fprintf(stderr, "api_ex_master: round %d: wrong answer %u\n", round,
                    value.valblk[VALUE_ANSWER]);
            return 1;
        }
        printf("api_ex_master: round %d: asked %u, answered %u\n", round,
               value.valblk[VALUE_QUESTION], value.valblk[VALUE_ANSWER]);
    }
    check("unlocking", dlm_unlock(&data, NULL, 0));
    check("leaving", dlm_nsleave(&ns, 0));
    return 0;
}
