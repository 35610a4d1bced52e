/*
 * status_texts - print every lock manager status with its text.
 *
 * Shows how a Tru64 DLM program reports outcomes: dlm_sperrno() for a
 * string to put in its own messages, dlm_perror() for perror(3)-style
 * output.  Run it with no arguments.
 */
#include <stdio.h>

#include <sys/dlm.h>

int main(void)
{
    dlm_status_t status;
    char prefix[] = "status_texts";

    /* Successes are 0..5, failures 16..56; the values between are unused
     * and read DLM_ILLEGAL_EEROR, as does anything out of range. */
    for (status = DLM_SUCCESS; status <= DLM_PUBNS_DISALLOW; status++)
        printf("%3d  %s\n", status, dlm_sperrno(status));
    fflush(stdout);

    dlm_perror(prefix, DLM_NOTQUEUED);
    return 0;
}
