/*
 * Reading the kernel's debugfs dump of a lockspace (dump.h): one reader
 * for the census and for the administration's snapshot.
 */
#include "config.h"

#include "dump.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DEBUGFS_DLM "/sys/kernel/debug/dlm"

/* The status numbers of the kernel's locks (its DLM_LKSTS_*). */
#define KERNEL_STATUS_WAITING 1
#define KERNEL_STATUS_GRANTED 2
#define KERNEL_STATUS_CONVERT 3

int dump_open(const char *lsname, FILE **dump)
{
    char path[sizeof DEBUGFS_DLM "/_all" + ENGINE_LSNAME_MAXLEN];

    if (!engine_lsname_ok(lsname))
        return -EINVAL;
    snprintf(path, sizeof path, DEBUGFS_DLM "/%s_all", lsname);
    *dump = fopen(path, "re");
    return *dump != NULL ? 0 : -ENOSYS;
}

static int known_header(const char *line)
{
    return strcmp(line, "version rsb 1.1 lvb 1.1 lkb 1.1\n") == 0
           || strncmp(line, "rsb ptr nodeid ", 15) == 0;
}

/* len bytes written as " XX" each, from text on: 0, or -EIO. */
static int read_hex(const char *text, unsigned char *bytes, unsigned int len)
{
    unsigned int i;

    for (i = 0; i < len; i++, text += 3) {
        char digits[3];

        if (text[0] != ' ' || !isxdigit((unsigned char)text[1])
            || !isxdigit((unsigned char)text[2]))
            return -EIO;
        digits[0] = text[1];
        digits[1] = text[2];
        digits[2] = '\0';
        bytes[i] = (unsigned char)strtoul(digits, NULL, 16);
    }
    return *text == '\n' || *text == '\0' ? 0 : -EIO;
}

static int read_resource(const char *line, struct dump_resource *res)
{
    unsigned int len;
    int offset = 0;
    const char *name;

    memset(res, 0, sizeof *res);
    if (sscanf(line, "rsb %*s %d %*x %*x %*d %*d %*u %u %n", &res->master_node, &len, &offset)
            != 2
        || offset == 0 || len == 0 || len > ENGINE_RESNAME_MAXLEN)
        return -EIO;
    res->namelen = len;
    name = line + offset;
    if (strncmp(name, "hex", 3) == 0)
        return read_hex(name + 3, res->name, len);
    if (strncmp(name, "str ", 4) != 0)
        return -EIO;
    /* Printable bytes as they are: the length says where the name ends
     * (it may begin or end with a space). */
    name += 4;
    if (strcspn(name, "\n") != len)
        return -EIO;
    memcpy(res->name, name, len);
    return 0;
}

static int read_value_block(const char *line, struct dump_resource *res)
{
    unsigned int len;
    int offset = 0;

    if (sscanf(line, "lvb %u %u%n", &res->lvb_seq, &len, &offset) != 2 || offset == 0
        || len > ENGINE_LVB_LEN)
        return -EIO;
    res->has_lvb = 1;
    return read_hex(line + offset, (unsigned char *)res->lvb, len);
}

static int mode_ok(int mode)
{
    return mode >= ENGINE_MODE_IV && mode <= ENGINE_MODE_EX;
}

static int read_lock(const char *line, struct dump_lock *lock)
{
    int status, lookup;

    memset(lock, 0, sizeof *lock);
    if (sscanf(line, "lkb %x %d %*x %u %*u %x %*x %d %d %d %*d %d", &lock->lkid, &lock->node,
               &lock->pid, &lock->exflags, &status, &lock->grmode, &lock->rqmode, &lookup)
            != 8
        || !mode_ok(lock->grmode) || !mode_ok(lock->rqmode))
        return -EIO;
    /* A request that waits for the master to be looked up waits too. */
    if (lookup != 0 || status == KERNEL_STATUS_WAITING) {
        lock->queue = ENGINE_QUEUE_WAITING;
        lock->grmode = ENGINE_MODE_IV;
    } else if (status == KERNEL_STATUS_GRANTED) {
        lock->queue = ENGINE_QUEUE_GRANTED;
        lock->rqmode = ENGINE_MODE_IV;     /* the kernel keeps the last request's */
    } else if (status == KERNEL_STATUS_CONVERT) {
        lock->queue = ENGINE_QUEUE_CONVERTING;
    } else {
        return -EIO;
    }
    return 0;
}

static int announce(const struct dump_reader *reader, const struct dump_resource *res,
                    void *arg)
{
    return reader->resource != NULL ? reader->resource(res, arg) : 0;
}

int dump_read(FILE *dump, const struct dump_reader *reader, void *arg)
{
    struct dump_resource res;
    struct dump_lock lock;
    int have_resource = 0, announced = 0, rc = 0;
    char *line = NULL;
    size_t size = 0;

    /* The kernel writes the header with the first resource: an empty
     * dump is a lockspace with none in use. */
    if (getline(&line, &size, dump) < 0) {
        free(line);
        return ferror(dump) ? -EIO : 0;
    }
    if (!known_header(line)) {
        free(line);
        return -ENOSYS;
    }
    while (rc == 0 && getline(&line, &size, dump) >= 0) {
        if (strncmp(line, "rsb ", 4) == 0) {
            if (have_resource && !announced)
                rc = announce(reader, &res, arg);
            if (rc == 0)
                rc = read_resource(line, &res);
            have_resource = rc == 0;
            announced = 0;
        } else if (strncmp(line, "lvb ", 4) == 0) {
            rc = have_resource && !announced && !res.has_lvb ? read_value_block(line, &res)
                                                             : -EIO;
        } else if (strncmp(line, "lkb ", 4) == 0 && have_resource) {
            if (!announced) {
                announced = 1;
                rc = announce(reader, &res, arg);
            }
            if (rc == 0)
                rc = read_lock(line, &lock);
            if (rc == 0)
                rc = reader->lock(&res, &lock, arg);
        } else {
            rc = -EIO;      /* a lock before any resource, or a line of no known kind */
        }
    }
    if (rc == 0 && have_resource && !announced)
        rc = announce(reader, &res, arg);
    free(line);
    return rc;
}
