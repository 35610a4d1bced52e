/*
 * Requests written to a lockspace device, in the layout of
 * <linux/dlm_device.h>: what libdlm's dlm_ls_lock and dlm_ls_unlock write,
 * with every field ours to set.
 *
 * The kernel copies the request's value block into its copy of the
 * lock's value block on every conversion and unlock, whatever the flags
 * (and stores that copy into the resource when a PW/EX lock whose latest
 * request carried VALBLK goes down): so a request always carries the
 * value its lock's copy is to hold, never stray bytes.  The kernel hands
 * the request's parameter back with the lock's callbacks, and needs a
 * status block address it never writes through (the device returns
 * results by read(2)).
 *
 * A lock request's write(2) returns the new lock's ID, not a count of
 * bytes.  The request is written by the system call itself, not the C
 * library's write(): AddressSanitizer's wrapper of write() takes its
 * result for the bytes read from the buffer, and so reports a lock ID
 * greater than the request as an overflow.
 */
#include "config.h"

#include <errno.h>
#include <linux/dlm_device.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux.h"

_Static_assert(DLM_USER_LVB_LEN == ENGINE_LVB_LEN, "value block length");

/* The status block address the kernel is given. */
static struct dlm_lksb unused_lksb;

long device_send(int fd, const struct device_request *rq)
{
    union {
        struct dlm_write_request request;
        char bytes[sizeof(struct dlm_write_request) + ENGINE_RESNAME_MAXLEN];
    } u;
    size_t length = sizeof u.request + rq->namelen;
    ssize_t n;

    if (rq->namelen > ENGINE_RESNAME_MAXLEN)
        return -EINVAL;
    memset(&u, 0, sizeof u);
    u.request.version[0] = DLM_DEVICE_VERSION_MAJOR;
    u.request.version[1] = DLM_DEVICE_VERSION_MINOR;
    u.request.version[2] = DLM_DEVICE_VERSION_PATCH;
    u.request.cmd = rq->unlock ? DLM_USER_UNLOCK : DLM_USER_LOCK;
    u.request.is64bit = sizeof(void *) == 8;
    u.request.i.lock.mode = (__u8)rq->mode;
    u.request.i.lock.namelen = (__u8)rq->namelen;
    u.request.i.lock.flags = rq->flags;
    u.request.i.lock.lkid = rq->lkid;
    u.request.i.lock.castparam = (void *)rq->param;
    u.request.i.lock.castaddr = (void *)linux_completion_tag;
    u.request.i.lock.bastparam = (void *)rq->param;
    /* Without a blocking routine, the kernel queues no blocking callback
     * for the lock at all. */
    u.request.i.lock.bastaddr = rq->blocking ? (void *)linux_blocking_tag : NULL;
    u.request.i.lock.lksb = &unused_lksb;
    if (rq->lvb != NULL)
        memcpy(u.request.i.lock.lvb, rq->lvb, DLM_USER_LVB_LEN);
    if (rq->namelen > 0)
        memcpy(u.request.i.lock.name, rq->name, rq->namelen);
    do
        n = syscall(SYS_write, fd, u.bytes, length);
    while (n < 0 && errno == EINTR);
    return n >= 0 ? (long)n : linux_errno_result(errno);
}
