/*
 * Status texts: dlm_sperrno(), dlm_perrno(), dlm_perror().
 *
 * Every text starts with the status's symbol name, so a message found in a
 * log can be looked up in <sys/dlm.h>, followed by a short meaning.  The
 * table is read-only and the printers write with one writev(2) on a stack
 * iovec: no allocation, no lock, and safe to call from a completion or
 * blocking routine running in the notification signal handler.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <sys/dlm.h>

/* What Tru64 printed for a value that is no status (its spelling). */
static const char illegal_status_text[] = "DLM_ILLEGAL_EEROR";

static const char *const status_texts[] = {
    [DLM_SUCCESS]          = "DLM_SUCCESS: normal successful completion",
    [DLM_SYNCH]            = "DLM_SYNCH: request granted synchronously",
    [DLM_SUCCVALNOTVALID]  = "DLM_SUCCVALNOTVALID: granted, but the value block is not valid",
    [DLM_SYNCVALNOTVALID]  = "DLM_SYNCVALNOTVALID: granted synchronously, but the value block is not valid",
    [DLM_MORE_TO_RECOVER]  = "DLM_MORE_TO_RECOVER: recovery domain needs more recovery",
    [DLM_MORE_TO_TRAVERSE] = "DLM_MORE_TO_TRAVERSE: more to traverse",
    [DLM_ABORT]            = "DLM_ABORT: request dequeued before it was granted",
    [DLM_ATTACHED]         = "DLM_ATTACHED: already joined or attached",
    [DLM_BADPARAM]         = "DLM_BADPARAM: invalid parameter or flag",
    [DLM_CANCEL]           = "DLM_CANCEL: request cancelled",
    [DLM_CANCELGRANT]      = "DLM_CANCELGRANT: request granted before it could be cancelled",
    [DLM_CANCELWAIT]       = "DLM_CANCELWAIT: request is waiting and DLM_CANCELWAITOK was not given",
    [DLM_CVTUNGRANT]       = "DLM_CVTUNGRANT: conversion of a lock that is not granted",
    [DLM_DEADLOCK]         = "DLM_DEADLOCK: request chosen to break a deadlock",
    [DLM_EFAULT]           = "DLM_EFAULT: bad address",
    [DLM_ENOENT]           = "DLM_ENOENT: no such object",
    [DLM_ENOSYS]           = "DLM_ENOSYS: lock manager service not available",
    [DLM_HASLOCKS]         = "DLM_HASLOCKS: locks are still held",
    [DLM_INSFMEM]          = "DLM_INSFMEM: insufficient lock manager memory",
    [DLM_INTR]             = "DLM_INTR: interrupted",
    [DLM_IVBUFLEN]         = "DLM_IVBUFLEN: invalid resource name length",
    [DLM_IVLOCKID]         = "DLM_IVLOCKID: invalid lock ID",
    [DLM_LKBUSY]           = "DLM_LKBUSY: lock is being manipulated by another process",
    [DLM_NOACCESS]         = "DLM_NOACCESS: permission denied",
    [DLM_NOLOCKID]         = "DLM_NOLOCKID: no lock ID available",
    [DLM_NOTATTACHED]      = "DLM_NOTATTACHED: not joined or attached",
    [DLM_NOTQUEUED]        = "DLM_NOTQUEUED: request not granted at once and not queued",
    [DLM_PARNOTGRANT]      = "DLM_PARNOTGRANT: parent lock not granted",
    [DLM_RETRY]            = "DLM_RETRY: retry the request",
    [DLM_SUBLOCKS]         = "DLM_SUBLOCKS: lock still has sublocks",
    [DLM_TIMEOUT]          = "DLM_TIMEOUT: request timed out",
    [DLM_TOOMANYNS]        = "DLM_TOOMANYNS: too many namespaces joined",
    [DLM_UNEXPERR]         = "DLM_UNEXPERR: unexpected lock manager error",
    [DLM_HASPROCS]         = "DLM_HASPROCS: group lock container still has processes attached",
    [DLM_KILLFAIL]         = "DLM_KILLFAIL: could not kill the group lock container's processes",
    [DLM_ATTACHEDGROUP]    = "DLM_ATTACHEDGROUP: attached to a group lock container using the namespace",
    [DLM_NO_GROUP]         = "DLM_NO_GROUP: not attached to a group lock container",
    [DLM_ENAMETOOLONG]     = "DLM_ENAMETOOLONG: name too long",
    [DLM_TOOMANYRD]        = "DLM_TOOMANYRD: too many recovery domains",
    [DLM_IS_PR]            = "DLM_IS_PR: resource is persistent and DLM_PERSIST was not given",
    [DLM_NOT_PR]           = "DLM_NOT_PR: resource is not persistent and DLM_PERSIST was given",
    [DLM_IVRDID]           = "DLM_IVRDID: invalid recovery domain ID",
    [DLM_PR_RD_MISMATCH]   = "DLM_PR_RD_MISMATCH: persistent resource belongs to another recovery domain",
    [DLM_IVHNDL]           = "DLM_IVHNDL: invalid collection handle",
    [DLM_EALREADY]         = "DLM_EALREADY: operation already done",
    [DLM_EINPROGRESS]      = "DLM_EINPROGRESS: operation already in progress",
    [DLM_PUBNS_DISALLOW]   = "DLM_PUBNS_DISALLOW: public namespace not allowed",
};

char *dlm_sperrno(dlm_status_t stat)
{
    const char *text = illegal_status_text;

    if (stat >= 0 && (size_t)stat < sizeof status_texts / sizeof status_texts[0]
        && status_texts[stat] != NULL)
        text = status_texts[stat];
    /* Tru64 declares a char * result; the text must still not be written. */
    return (char *)text;
}

/* Write every byte of iov[0..iovcnt) to standard error, resuming after
 * short writes and signals. */
static void write_stderr(struct iovec *iov, int iovcnt)
{
    while (iovcnt > 0) {
        ssize_t n = writev(STDERR_FILENO, iov, iovcnt);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return;     /* like perror(3): nowhere left to report it */
        }
        while (iovcnt > 0 && (size_t)n >= iov->iov_len) {
            n -= (ssize_t)iov->iov_len;
            iov++;
            iovcnt--;
        }
        if (iovcnt > 0) {
            iov->iov_base = (char *)iov->iov_base + n;
            iov->iov_len -= (size_t)n;
        }
    }
}

/* Like perror(3): "s: text\n", or just "text\n" when s is NULL or empty. */
void dlm_perror(char *s, dlm_status_t stat)
{
    const char *text = dlm_sperrno(stat);
    struct iovec iov[4];
    int n = 0;
    int saved_errno = errno;

    if (s != NULL && *s != '\0') {
        iov[n].iov_base = s;
        iov[n++].iov_len = strlen(s);
        iov[n].iov_base = (char *)": ";
        iov[n++].iov_len = 2;
    }
    iov[n].iov_base = (char *)text;
    iov[n++].iov_len = strlen(text);
    iov[n].iov_base = (char *)"\n";
    iov[n++].iov_len = 1;
    write_stderr(iov, n);
    errno = saved_errno;
}

void dlm_perrno(dlm_status_t stat)
{
    dlm_perror(NULL, stat);
}
