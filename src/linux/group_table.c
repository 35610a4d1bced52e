/*
 * A lock group's table (group.h): a file in the embedded engine's
 * directory, the machine's place for state its processes share, named
 * "+linux-group+LOCKSPACE+GROUP" ('+' is in no lockspace name), owned
 * and moded like the lockspace's device so that whoever may use the
 * lockspace may join its groups.
 *
 * Three kinds of open file description lock on the file (fcntl
 * F_OFD_SETLK), which the kernel drops with the process:
 *
 *   byte 0         the table lock, around every look at the table
 *   byte 1         the join lock: one member joins or leaves at a time
 *   byte 2 + slot  held by the member in that slot for its membership
 *
 * Threads of one process share its description, so they exclude each
 * other by ls->mutex, which every caller holds.
 */
/* F_OFD_SETLK, struct ucred, MSG_CMSG_CLOEXEC */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "group.h"
#include "settings.h"

#define TABLE_LOCK_BYTE     0
#define JOIN_LOCK_BYTE      1
#define SLOT_LOCK_BYTE(slot) (2 + (off_t)(slot))

static int ofd_lock(int fd, short type, off_t byte, int wait)
{
    struct flock lock = { .l_type = type, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1 };
    int rc;

    do
        rc = fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &lock);
    while (rc != 0 && errno == EINTR);
    return rc == 0 ? 0 : -errno;
}

/* Does another open of the table hold the byte? */
static int held_elsewhere(int fd, off_t byte)
{
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1 };

    return fcntl(fd, F_OFD_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
}

void group_device_path(const struct linux_group *g, char *device, size_t size)
{
    snprintf(device, size, "/dev/misc/dlm_%s", g->name);
}

static int table_path(const struct linux_group *g, char path[PATH_MAX], int create)
{
    char dir[SETTING_VALUE_MAX];
    int rc = setting_get(SETTING_EMBEDDED_DIR, dir);

    if (rc == 0 && create)
        rc = setting_dir_make(dir);
    if (rc != 0)
        return rc;
    if ((size_t)snprintf(path, PATH_MAX, "%s/+linux-group+%s+%u", dir, g->name, g->id)
        >= PATH_MAX)
        return -ENAMETOOLONG;
    return 0;
}

/* Create the table, owned and moded like the device; 0 or -errno. */
static int create_table(const struct linux_group *g, const char *path)
{
    char device[PATH_MAX];
    struct stat st;
    int fd;

    group_device_path(g, device, sizeof device);
    if (stat(device, &st) != 0)
        return -errno;
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, st.st_mode & 0666);
    if (fd < 0)
        return -errno;
    /* Only its creator may give it away; a file already there is left. */
    if (fchown(fd, st.st_uid, st.st_gid) != 0 && errno != EPERM) {
        close(fd);
        return -errno;
    }
    if (fchmod(fd, st.st_mode & 0666) != 0 && errno != EPERM) {
        close(fd);
        return -errno;
    }
    return fd;
}

int group_table_open(struct linux_group *g, int create)
{
    char path[PATH_MAX];
    struct stat st;
    void *map;
    int rc = table_path(g, path, create), fd;

    if (rc != 0)
        return rc;
    fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT && create)
        fd = create_table(g, path);
    else if (fd < 0)
        fd = errno == ENOENT || errno == EACCES ? -errno : -EIO;
    if (fd < 0)
        return fd;
    /* Sized under the table lock, so that nobody maps half a file. */
    rc = ofd_lock(fd, F_WRLCK, TABLE_LOCK_BYTE, 1);
    if (rc == 0 && fstat(fd, &st) == 0 && (size_t)st.st_size < sizeof *g->table)
        rc = ftruncate(fd, sizeof *g->table) == 0 ? 0 : -EIO;
    ofd_lock(fd, F_UNLCK, TABLE_LOCK_BYTE, 0);
    map = rc == 0 ? mmap(NULL, sizeof *g->table, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                  : MAP_FAILED;
    if (map == MAP_FAILED) {
        close(fd);
        return rc != 0 ? rc : -EIO;
    }
    g->table_fd = fd;
    g->table = map;
    return 0;
}

void group_table_close(struct linux_group *g)
{
    if (g->table != NULL)
        munmap(g->table, sizeof *g->table);
    if (g->table_fd >= 0)
        close(g->table_fd);
    g->table = NULL;
    g->table_fd = -1;
}

void group_table_lock(struct linux_group *g)
{
    struct group_table *t = g->table;

    ofd_lock(g->table_fd, F_WRLCK, TABLE_LOCK_BYTE, 1);
    /* A new file is all zeros: only the header is written, so that the
     * entries' pages stay unallocated until used. */
    if (t->magic != GROUP_TABLE_MAGIC || t->group != g->id) {
        memset(t, 0, offsetof(struct group_table, entries));
        t->group = g->id;
        t->magic = GROUP_TABLE_MAGIC;
    }
}

void group_table_unlock(struct linux_group *g)
{
    ofd_lock(g->table_fd, F_UNLCK, TABLE_LOCK_BYTE, 0);
}

void group_join_lock(struct linux_group *g)
{
    ofd_lock(g->table_fd, F_WRLCK, JOIN_LOCK_BYTE, 1);
}

void group_join_unlock(struct linux_group *g)
{
    ofd_lock(g->table_fd, F_UNLCK, JOIN_LOCK_BYTE, 0);
}

static int slot_live(const struct linux_group *g, unsigned int slot)
{
    return g->table->members[slot].pid != 0
           && ((g->route != 0 && slot == g->slot) || held_elsewhere(g->table_fd,
                                                                     SLOT_LOCK_BYTE(slot)));
}

/* When process pid started (field 22 of /proc/PID/stat, after the
 * parenthesised command, which may hold anything), or 0. */
static uint64_t start_time(pid_t pid)
{
    char path[32], line[1024], *field;
    unsigned long long started = 0;
    FILE *stat;
    int i;

    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    stat = fopen(path, "re");
    if (stat == NULL)
        return 0;
    field = fgets(line, sizeof line, stat) != NULL ? strrchr(line, ')') : NULL;
    fclose(stat);
    for (i = 2; field != NULL && i < 22; i++)
        field = strchr(field + 1, ' ');
    if (field != NULL)
        sscanf(field, " %llu", &started);
    return started;
}

int group_table_take_slot(struct linux_group *g)
{
    struct group_table *t = g->table;
    unsigned int slot;

    for (slot = 0; slot < GROUP_MEMBERS_MAX; slot++) {
        if (slot_live(g, slot) || ofd_lock(g->table_fd, F_WRLCK, SLOT_LOCK_BYTE(slot), 0) != 0)
            continue;
        t->members[slot].pid = (uint32_t)getpid();
        t->members[slot].started = start_time(getpid());
        t->members[slot].generation++;
        g->slot = slot;
        g->route = group_route(slot, t->members[slot].generation);
        return 0;
    }
    return -ENOMEM;
}

void group_table_free_slot(struct linux_group *g)
{
    struct group_member *m = &g->table->members[g->slot];

    if (g->route == 0)
        return;
    if (group_route(g->slot, m->generation) == g->route)
        m->pid = 0;
    ofd_lock(g->table_fd, F_UNLCK, SLOT_LOCK_BYTE(g->slot), 0);
    g->route = 0;
}

int group_route_live(const struct linux_group *g, uint64_t route)
{
    unsigned int slot = group_route_slot(route);

    return (route & GROUP_ROUTE_BIT) && slot < GROUP_MEMBERS_MAX
           && group_route(slot, g->table->members[slot].generation) == route && slot_live(g, slot);
}

int group_others_live(const struct linux_group *g)
{
    unsigned int slot;

    for (slot = 0; slot < GROUP_MEMBERS_MAX; slot++)
        if ((g->route == 0 || slot != g->slot) && slot_live(g, slot))
            return 1;
    return 0;
}

struct group_entry *group_entry_find(struct linux_group *g, uint32_t lkid)
{
    struct group_entry *e = NULL;

    while ((e = group_entry_next(g, e)) != NULL)
        if (e->lkid == lkid)
            return e;
    return NULL;
}

struct group_entry *group_entry_new(struct linux_group *g)
{
    struct group_table *t = g->table;
    uint32_t i;

    for (i = 0; i < GROUP_LOCKS_MAX; i++) {
        if (t->entries[i].lkid == 0) {
            memset(&t->entries[i], 0, sizeof t->entries[i]);
            return &t->entries[i];
        }
    }
    return NULL;
}

void group_entry_use(struct linux_group *g, struct group_entry *entry, uint32_t lkid)
{
    struct group_table *t = g->table;
    uint32_t i = (uint32_t)(entry - t->entries);

    entry->lkid = lkid;
    if (i >= t->high)
        t->high = i + 1;
}

void group_entry_free(struct linux_group *g, struct group_entry *entry)
{
    struct group_table *t = g->table;

    entry->lkid = 0;
    while (t->high > 0 && t->entries[t->high - 1].lkid == 0)
        t->high--;
}

struct group_entry *group_entry_next(struct linux_group *g, struct group_entry *prev)
{
    struct group_table *t = g->table;
    uint32_t i = prev == NULL ? 0 : (uint32_t)(prev - t->entries) + 1;

    for (; i < t->high && i < GROUP_LOCKS_MAX; i++)
        if (t->entries[i].lkid != 0)
            return &t->entries[i];
    return NULL;
}

/* How long a member may take to die once it no longer holds its slot. */
#define EXIT_TIMEOUT_MS 5000

void group_table_await_exits(struct linux_group *g)
{
    struct group_member members[GROUP_MEMBERS_MAX];
    unsigned int slot, n = 0, i;

    group_table_lock(g);
    for (slot = 0; slot < GROUP_MEMBERS_MAX; slot++)
        if (g->table->members[slot].pid != 0 && (g->route == 0 || slot != g->slot))
            members[n++] = g->table->members[slot];
    group_table_unlock(g);
    for (i = 0; i < n; i++) {
        /* Readable once the process has ended, its files closed. */
        int fd = (int)syscall(SYS_pidfd_open, (pid_t)members[i].pid, 0);
        struct pollfd exited = { .fd = fd, .events = POLLIN };

        if (fd < 0)
            continue;       /* gone already */
        if (start_time((pid_t)members[i].pid) != members[i].started) {
            close(fd);      /* its pid is another process's now */
            continue;
        }
        while (poll(&exited, 1, EXIT_TIMEOUT_MS) < 0 && errno == EINTR)
            ;
        close(fd);
    }
}
