#include "config.h"

#include "notice.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct notice {
    struct notice *next;
    cpl_callback_t cplrtn;      /* a completion, or */
    blk_callback_t blkrtn;      /* a blocking notification */
    callback_arg_t notprm;
    callback_arg_t hint;
    dlm_lkid_t lkid;
    dlm_status_t status;
    dlm_lkmode_t mode;
    int group;                  /* of a group lock, posted in group_epoch */
    unsigned int group_epoch;
};

/* Lock-free stacks: producers push, consumers take the whole stack.
 * Delivered notices go to the spent stack, because the signal handler may
 * not call free(); producers free them later. */
static struct notice *pending;
static struct notice *spent;

/* Bumped when the process leaves its group lock container: what was
 * posted for group locks before is no longer the process's to hear. */
static unsigned int group_epoch;

/* The previous disposition of the chosen signal, put back when it
 * changes. */
static struct sigaction displaced;

static void push(struct notice **stack, struct notice *notice)
{
    struct notice *head = __atomic_load_n(stack, __ATOMIC_RELAXED);

    do
        notice->next = head;
    while (!__atomic_compare_exchange_n(stack, &head, notice, 1, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED));
}

static struct notice *take_all(struct notice **stack)
{
    return __atomic_exchange_n(stack, NULL, __ATOMIC_ACQUIRE);
}

static void free_list(struct notice *notice)
{
    while (notice != NULL) {
        struct notice *next = notice->next;

        free(notice);
        notice = next;
    }
}

struct notice *notice_reserve(void)
{
    free_list(take_all(&spent));
    return calloc(1, sizeof(struct notice));
}

void notice_drop(struct notice *notice)
{
    free(notice);
}

static void post(struct notice *notice, const struct lockrec *rec)
{
    notice->group = rec->group;
    notice->group_epoch = __atomic_load_n(&group_epoch, __ATOMIC_RELAXED);
    push(&pending, notice);
    if (process.signal != 0) {
        kill(getpid(), process.signal);
        /* Threads waiting in synchronous calls run them (notice_deliver). */
        pthread_cond_broadcast(&process.granted);
    }
}

void notice_post_completion(struct notice *notice, const struct lockrec *rec,
                            dlm_status_t status)
{
    *notice = (struct notice){ NULL, rec->cplrtn, NULL, rec->notprm, NULL, rec->lkid, status, 0,
                               0, 0 };
    post(notice, rec);
}

void notice_post_blocking(const struct lockrec *rec, dlm_lkmode_t mode, callback_arg_t hint)
{
    struct notice *notice = notice_reserve();

    /* Out of memory, a blocking notification is lost: the only way one
     * can be. */
    if (notice == NULL)
        return;
    *notice = (struct notice){ NULL, NULL, rec->blkrtn, rec->notprm, hint, rec->lkid, 0, mode,
                               0, 0 };
    post(notice, rec);
}

void notice_drop_group_notices(void)
{
    __atomic_add_fetch(&group_epoch, 1, __ATOMIC_RELAXED);
}

int notice_pending(void)
{
    return __atomic_load_n(&pending, __ATOMIC_RELAXED) != NULL;
}

int notice_deliver(void)
{
    struct notice *list = take_all(&pending), *fifo = NULL;
    int ran = 0;

    while (list != NULL) {
        struct notice *next = list->next;

        list->next = fifo;
        fifo = list;
        list = next;
    }
    while (fifo != NULL) {
        struct notice *next = fifo->next;

        if (fifo->group && fifo->group_epoch != __atomic_load_n(&group_epoch, __ATOMIC_RELAXED)) {
            /* dropped (notice_drop_group_notices) */
        } else if (fifo->cplrtn != NULL) {
            fifo->cplrtn(fifo->notprm, &fifo->lkid, fifo->status);
            ran++;
        } else if (fifo->blkrtn != NULL) {
            fifo->blkrtn(fifo->notprm, fifo->hint, &fifo->lkid, fifo->mode);
            ran++;
        }
        push(&spent, fifo);
        fifo = next;
    }
    return ran;
}

static void on_signal(int signo)
{
    int saved_errno = errno;

    (void)signo;
    if (!process_thread_inside())
        notice_deliver();
    errno = saved_errno;
}

int dlm_notify(void)
{
    return notice_deliver();
}

dlm_status_t dlm_set_signal(int newsig, int *oldsig)
{
    struct sigaction action;
    int i, joined = 0;
    dlm_status_t status = DLM_SUCCESS;

    if (newsig < 0 || newsig >= NSIG || newsig == SIGKILL || newsig == SIGSTOP)
        return DLM_BADPARAM;
    process_lock();
    for (i = 0; i < DLM_NSPROCMAX; i++)
        joined |= process.ns[i].state == NS_JOINED;
    if (!joined) {
        status = DLM_NOTATTACHED;
    } else if (newsig != process.signal) {
        struct sigaction previous;

        memset(&action, 0, sizeof action);
        action.sa_handler = on_signal;
        action.sa_flags = SA_RESTART;
        sigfillset(&action.sa_mask);
        if (newsig != 0 && sigaction(newsig, &action, &previous) != 0) {
            status = DLM_BADPARAM;      /* a signal the C library keeps for itself */
        } else {
            if (process.signal != 0)
                sigaction(process.signal, &displaced, NULL);
            if (newsig != 0)
                displaced = previous;
        }
    }
    if (status == DLM_SUCCESS) {
        if (oldsig != NULL)
            *oldsig = process.signal;
        process.signal = newsig;
        if (newsig != 0 && notice_pending())
            kill(getpid(), newsig);
    }
    process_unlock();
    return status;
}

void notice_forget_all(void)
{
    free_list(take_all(&pending));
    free_list(take_all(&spent));
}
