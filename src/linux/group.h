/*
 * Lock groups on the Linux engine (engine.h: Tru64 group lock containers).
 *
 * The kernel ties each lock to the open lockspace device it was requested
 * on, and releases it (or, persistent, orphans it) when that open file's
 * last descriptor closes.  A group's locks therefore live on one open of
 * the lockspace device that every member of the group on this machine
 * holds, the group's carrier: it lasts while any member lives, whoever
 * dies how, and goes with the last, taking the group's locks along, as
 * the contract wants.  A permanent group's locks are persistent in the
 * kernel, so that they become orphans when the carrier goes, and the next
 * first member adopts them onto a new carrier.
 *
 * The kernel lets any open of the lockspace convert, cancel or release
 * any lock of this machine by its ID, but hands a lock's callbacks to the
 * open it was requested on, with the parameter of its latest request.
 * So every member reads the carrier (group_carrier.c): the parameter of a
 * group request is the route of the member that made it (its slot and
 * the slot's generation), and a result read by one member for another is
 * sent on to that member's door, a datagram socket of its own.  The door
 * is also where a joining member asks for the carrier (SCM_RIGHTS).
 *
 * What the kernel will not tell about a group lock (its granted mode,
 * what is in flight and for whom, its value block copy) is the group's
 * table (group_table.c), a file beside the embedded engine's lockspaces
 * that the members map: an entry per lock, settled by whichever member
 * reads its completion.  Members' slots are open file description locks
 * on the table file, which the kernel drops when a member dies: that is
 * how members tell the living from the dead, and a dead member's slot
 * from a later one (its generation).
 */
#ifndef DLM_TRU64_LINUX_GROUP_H
#define DLM_TRU64_LINUX_GROUP_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "linux.h"

#define GROUP_MEMBERS_MAX   64
#define GROUP_LOCKS_MAX     4096

struct group_member {
    uint32_t pid;               /* 0: a free slot */
    uint32_t generation;        /* counts the slot's members */
    uint64_t started;           /* the process's start time (proc(5) starttime),
                                 * which tells it from a later one of its pid */
};

/* One lock of the group. */
struct group_entry {
    uint32_t lkid;              /* 0: a free entry */
    uint32_t namelen;
    unsigned char name[ENGINE_RESNAME_MAXLEN];
    struct lock_state state;
    uint64_t route;             /* of its latest manipulator; 0: none */
    uint32_t unheard;           /* that member has yet to hear of its request's end */
    uint32_t discard;           /* a request its member took back: release it if granted */
};

struct group_table {
    uint32_t magic;             /* GROUP_TABLE_MAGIC once initialised */
    uint32_t group;
    uint32_t permanent;
    uint32_t high;              /* entries in use lie below */
    uint32_t settled;           /* counts completions settled: a futex word */
    struct group_member members[GROUP_MEMBERS_MAX];
    struct group_entry entries[GROUP_LOCKS_MAX];
};

#define GROUP_TABLE_MAGIC   0x4c475431u     /* "1TGL" */

/* A route: the parameter of a group request, naming the member that made
 * it.  Bit 63 tells it from the address of a lock of the process's own
 * (user-space addresses never have it).  GROUP_ROUTE_NOBODY: a request
 * whose callbacks nobody hears. */
#define GROUP_ROUTE_BIT     (UINT64_C(1) << 63)
#define GROUP_ROUTE_NOBODY  (GROUP_ROUTE_BIT | UINT64_C(0x7f) << 32)

static inline uint64_t group_route(unsigned int slot, uint32_t generation)
{
    return GROUP_ROUTE_BIT | (uint64_t)slot << 32 | generation;
}

static inline unsigned int group_route_slot(uint64_t route)
{
    return (unsigned int)(route >> 32) & 0x7f;
}

/* The group this process joined in one lockspace. */
struct linux_group {
    struct linux_ls *ls;        /* its lockspace's handle */
    pid_t pid;                  /* the member */
    uint32_t id;
    int permanent;
    /* The routines of a group lock taken over by an unlock or cancel. */
    engine_ast_fn *ast;
    engine_bast_fn *bast;
    char name[ENGINE_LSNAME_MAXLEN + 1];    /* the lockspace's */
    int table_fd;
    struct group_table *table;
    unsigned int slot;
    uint64_t route;             /* this member's */
    int carrier_fd;
    int door_fd;
    int stop_fd;                /* eventfd: the carrier thread is to end */
    pthread_t carrier_thread;
    int thread_started;
};

/* group_table.c: the table of group id in lockspace name.  The caller
 * holds the table lock around every look at the table's contents. */
int group_table_open(struct linux_group *g, int create);
void group_table_close(struct linux_group *g);
void group_table_lock(struct linux_group *g);
void group_table_unlock(struct linux_group *g);
/* The join lock: one member joins or leaves at a time. */
void group_join_lock(struct linux_group *g);
void group_join_unlock(struct linux_group *g);
/* Take a slot for this process (table locked); 0 or -ENOMEM. */
int group_table_take_slot(struct linux_group *g);
void group_table_free_slot(struct linux_group *g);
/* Is the member that route names alive (this process included)?  Table
 * locked. */
int group_route_live(const struct linux_group *g, uint64_t route);
/* Does any member but this process live?  Table locked. */
int group_others_live(const struct linux_group *g);
/* Wait until the processes of the other members' slots have ended (a
 * member killed lets go of its slot before its carrier is closed), or
 * seconds have passed.  Not with the table locked. */
void group_table_await_exits(struct linux_group *g);
struct group_entry *group_entry_find(struct linux_group *g, uint32_t lkid);
/* A free entry, cleared, or NULL when the table is full; it is in use
 * once group_entry_use gives it its lock. */
struct group_entry *group_entry_new(struct linux_group *g);
void group_entry_use(struct linux_group *g, struct group_entry *entry, uint32_t lkid);
void group_entry_free(struct linux_group *g, struct group_entry *entry);
/* Every entry in use, in turn: start with NULL. */
struct group_entry *group_entry_next(struct linux_group *g, struct group_entry *prev);
/* The lockspace device's path, into device (PATH_MAX bytes). */
void group_device_path(const struct linux_group *g, char *device, size_t size);

/* group_carrier.c */
/* Bind this member's door; 0 or -errno. */
int group_door_open(struct linux_group *g);
/* The carrier from a live member, into g->carrier_fd: 0, or -ENOENT when
 * no member answers (then none lives on). */
int group_carrier_fetch(struct linux_group *g);
/* Start and stop the carrier thread. */
int group_carrier_start(struct linux_group *g);
void group_carrier_stop(struct linux_group *g);

/* group.c: the request paths' side of lock groups; ls->mutex held. */
/* A group lock's mirror for a call on lkid, its entry claimed for this
 * member: 0 with the table locked (group_lock_claim_end unlocks it), or
 * -ENOENT (no such lock) or -EBUSY (another member's request is in
 * flight on it, or it has yet to hear of its end).  A request that a
 * dead member left in flight is cancelled, and waited for with ls->mutex
 * let go meanwhile. */
int group_lock_claim(struct linux_ls *ls, uint32_t lkid, struct linux_lock **mirror);
/* After the call: on success (rc 0) the entry takes the mirror's request
 * and this member becomes its manipulator. */
void group_lock_claim_end(struct linux_ls *ls, struct linux_lock *mirror, int rc);
/* Around sending a new group request for mirror (its state noted): 0
 * with the table locked, *entry the free entry it is to have and mirror
 * given this member's route, or -ENOMEM (the table is full); then the
 * entry is filled in if the request went (rc 0), and the table unlocked. */
int group_new_begin(struct linux_ls *ls, struct linux_lock *mirror, struct group_entry **entry);
void group_new_end(struct linux_ls *ls, struct linux_lock *mirror, struct group_entry *entry,
                   const void *name, unsigned int namelen, int rc);
/* The fd a request on lock is written to, and the kernel flags it adds:
 * a group lock goes to the carrier, persistent in a permanent group
 * (the kernel takes a conversion's flags as the lock's). */
int group_fd(const struct linux_ls *ls, const struct linux_lock *lock);
uint32_t group_flags(const struct linux_ls *ls, const struct linux_lock *lock);
/* This member heard of the end of mirror's request. */
void group_heard(struct linux_ls *ls, const struct linux_lock *mirror);
/* A completion of a group lock read from the carrier: settle its entry
 * (table locked). */
void group_settle(struct linux_group *g, const void *result, size_t length);
/* Close the group when the lockspace closes: as if this member died; in
 * the child of a fork, only the child's copies close. */
void group_close(struct linux_ls *ls);

#endif
