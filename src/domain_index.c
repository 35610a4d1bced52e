#include "config.h"

#include "domain_index.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "syslock.h"

/* Kinds of the layer's own resources (resname_own). */
#define HEAD_KIND 'I'
#define PART_KIND 'E'

static const unsigned char head_magic[4] = { 'd', 'l', 'm', 'I' };
static const unsigned char entry_magic[4] = { 'd', 'l', 'm', 'E' };

/* An entry: the magic word, the name's length, the name; cut into parts
 * of a value block each. */
#define ENTRY_HEADER (sizeof entry_magic + 1)
#define ENTRY_PARTS ((ENTRY_HEADER + ENGINE_RESNAME_MAXLEN + ENGINE_LVB_LEN - 1) / ENGINE_LVB_LEN)

struct entry {
    unsigned char bytes[ENTRY_PARTS * ENGINE_LVB_LEN];
};

/* What a namespace keeps of the head of one domain's index there: the
 * anchor of the latest value this process wrote. */
struct index_head {
    struct persist_mark mark;
    struct syslock *anchor;
    struct index_head *next;
};

/* A result of read_entry(): the slot holds no entry. */
#define NO_ENTRY 1

/* A result of a change of the head: it has nothing to write. */
#define UNCHANGED 1

/* Numbers in value blocks are little-endian, whatever the nodes are. */
static void put_le32(unsigned char *at, uint32_t n)
{
    int i;

    for (i = 0; i < 4; i++)
        at[i] = (unsigned char)(n >> 8 * i);
}

static uint32_t get_le32(const unsigned char *at)
{
    return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16
           | (uint32_t)at[3] << 24;
}

static void head_name(const struct persist_mark *mark, struct resname *name)
{
    resname_own(name, HEAD_KIND, mark->bytes, sizeof mark->bytes);
}

static void part_name(const struct persist_mark *mark, uint32_t slot, unsigned int part,
                      struct resname *name)
{
    unsigned char key[sizeof mark->bytes + 5];

    memcpy(key, mark->bytes, sizeof mark->bytes);
    put_le32(key + sizeof mark->bytes, slot);
    key[sizeof mark->bytes + 4] = (unsigned char)part;
    resname_own(name, PART_KIND, key, sizeof key);
}

static unsigned int parts_for(unsigned int namelen)
{
    return (unsigned int)((ENTRY_HEADER + namelen + ENGINE_LVB_LEN - 1) / ENGINE_LVB_LEN);
}

/* A head's value block: the magic word, the count, the domain's state. */
#define HEAD_COUNT_AT   sizeof head_magic
#define HEAD_STATE_AT   (HEAD_COUNT_AT + 4)
#define STATE_INVALID   0x01        /* DLM_RD_INVALIDATE, not recovered since */

struct head_value {
    uint32_t count;
    unsigned char state;
};

/* What a head's value block holds: nothing for a head never written. */
static struct head_value head_read(const char *lvb)
{
    const unsigned char *bytes = (const unsigned char *)lvb;
    struct head_value value = { 0, 0 };

    if (memcmp(bytes, head_magic, sizeof head_magic) == 0) {
        value.count = get_le32(bytes + HEAD_COUNT_AT);
        if (value.count > DOMAIN_INDEX_MAX)
            value.count = DOMAIN_INDEX_MAX;
        value.state = bytes[HEAD_STATE_AT];
    }
    return value;
}

static void head_write(char *lvb, struct head_value value)
{
    unsigned char *bytes = (unsigned char *)lvb;

    memcpy(bytes, head_magic, sizeof head_magic);
    put_le32(bytes + HEAD_COUNT_AT, value.count);
    bytes[HEAD_STATE_AT] = value.state;
}

/* --- writing -------------------------------------------------------------------------- */

/* What ns keeps of the head of mark's index, made on first use. */
static struct index_head *head_of(struct namespace *ns, const struct persist_mark *mark)
{
    struct index_head *head;

    for (head = ns->index_heads; head != NULL; head = head->next)
        if (memcmp(&head->mark, mark, sizeof *mark) == 0)
            return head;
    head = calloc(1, sizeof *head);
    if (head != NULL) {
        head->mark = *mark;
        head->next = ns->index_heads;
        ns->index_heads = head;
    }
    return head;
}

/* Under the head's EX lock: claim the first slot from `from` on whose
 * part 0 no entry stands, and hold that part in EX with part0: 0 and
 * *slot, -ENOSPC, or a negative engine error. */
static int claim_slot(struct namespace *ns, const struct persist_mark *mark, uint32_t from,
                      struct syslock *part0, uint32_t *slot)
{
    uint32_t k;
    int rc;

    for (k = from; k < DOMAIN_INDEX_MAX; k++) {
        struct resname name;

        part_name(mark, k, 0, &name);
        rc = syslock_granted(syslock_request(ns, part0, ENGINE_MODE_EX, ENGINE_LKF_VALBLK, &name));
        if (rc != 0)
            return rc;
        if (memcmp(part0->lvb, entry_magic, sizeof entry_magic) != 0) {
            *slot = k;
            return 0;
        }
        rc = syslock_release(ns, part0, 0);     /* an entry past the count */
        if (rc != 0)
            return rc;
    }
    return -ENOSPC;
}

/* Write bytes into a part by lock, on the heap and held in EX, and keep
 * it as the part's anchor; or release and free it. */
static int keep_part(struct namespace *ns, struct syslock *lock, const unsigned char *bytes)
{
    int rc;

    memcpy(lock->lvb, bytes, ENGINE_LVB_LEN);
    rc = persist_anchor(ns, lock, 0);
    if (rc == 0) {
        persist_keep(ns, lock);
    } else {
        syslock_release(ns, lock, 0);
        free(lock);
    }
    return rc;
}

/* Write the parts of the entry for name in slot, part 0 last: part0
 * holds that part in EX, and is kept or freed like the others. */
static int write_entry(struct namespace *ns, const struct persist_mark *mark, uint32_t slot,
                       const struct resname *name, struct syslock *part0)
{
    struct entry entry = { { 0 } };
    unsigned int part, parts = parts_for(name->len);
    int rc = 0;

    memcpy(entry.bytes, entry_magic, sizeof entry_magic);
    entry.bytes[sizeof entry_magic] = (unsigned char)name->len;
    memcpy(entry.bytes + ENTRY_HEADER, name->bytes, name->len);
    for (part = 1; rc == 0 && part < parts; part++) {
        struct syslock *lock = calloc(1, sizeof *lock);
        struct resname pname;

        part_name(mark, slot, part, &pname);
        rc = lock != NULL ? syslock_granted(syslock_request(ns, lock, ENGINE_MODE_EX,
                                                            ENGINE_LKF_VALBLK, &pname))
                          : -ENOMEM;
        if (rc == 0)
            rc = keep_part(ns, lock, entry.bytes + part * ENGINE_LVB_LEN);
        else
            free(lock);
    }
    if (rc == 0)
        return keep_part(ns, part0, entry.bytes);
    syslock_release(ns, part0, 0);
    free(part0);
    return rc;
}

/* Take the head of the index of mark in ns in EX, let change rewrite the
 * value it holds (0; UNCHANGED; or a negative error), and keep what it
 * wrote by the head's new anchor. */
static int change_head(struct namespace *ns, const struct persist_mark *mark,
                       int (*change)(struct namespace *ns, struct head_value *value, void *arg),
                       void *arg)
{
    struct index_head *head = head_of(ns, mark);
    struct syslock *lock = calloc(1, sizeof *lock);
    struct head_value value;
    struct resname name;
    int rc = head != NULL && lock != NULL ? 0 : -ENOMEM;

    head_name(mark, &name);
    if (rc == 0)
        rc = syslock_granted(syslock_request(ns, lock, ENGINE_MODE_EX, ENGINE_LKF_VALBLK, &name));
    if (rc == 0) {
        value = head_read(lock->lvb);
        rc = change(ns, &value, arg);
        if (rc == 0) {
            head_write(lock->lvb, value);
            rc = persist_anchor(ns, lock, 0);
        }
        if (rc != 0)
            syslock_release(ns, lock, 0);
    }
    if (rc != 0) {
        free(lock);
        return rc == UNCHANGED ? 0 : rc;
    }
    /* The head's latest value is this anchor's: the one before can go. */
    if (head->anchor != NULL) {
        syslock_release(ns, head->anchor, 0);
        free(head->anchor);
    }
    head->anchor = lock;
    return 0;
}

struct addition {
    const struct persist_mark *mark;
    const struct resname *name;
    int invalid;
};

/* Write the entry in the first free slot from the count, and count it. */
static int place_entry(struct namespace *ns, struct head_value *value, void *arg)
{
    struct addition *a = arg;
    struct syslock *part0 = calloc(1, sizeof *part0);
    uint32_t slot = 0;
    int rc = part0 != NULL ? claim_slot(ns, a->mark, value->count, part0, &slot) : -ENOMEM;

    if (rc != 0) {
        free(part0);
        return rc;
    }
    rc = write_entry(ns, a->mark, slot, a->name, part0);
    if (rc == 0) {
        value->count = slot + 1;
        a->invalid = (value->state & STATE_INVALID) != 0;
    }
    return rc;
}

int domain_index_add(struct namespace *ns, const struct persist_mark *mark,
                     const struct resname *name, int *invalid)
{
    struct addition a = { mark, name, 0 };
    int rc = change_head(ns, mark, place_entry, &a);

    *invalid = a.invalid;
    return rc;
}

static int set_state(struct namespace *ns, struct head_value *value, void *arg)
{
    unsigned char state = *(const int *)arg ? value->state | STATE_INVALID
                                             : value->state & ~STATE_INVALID;

    (void)ns;
    if (state == value->state)
        return UNCHANGED;
    value->state = state;
    return 0;
}

int domain_index_set_invalid(struct namespace *ns, const struct persist_mark *mark, int invalid)
{
    return change_head(ns, mark, set_state, &invalid);
}

/* --- reading -------------------------------------------------------------------------- */

static int read_part(struct namespace *ns, const struct persist_mark *mark, uint32_t slot,
                     unsigned int part, unsigned char *bytes)
{
    struct resname name;

    part_name(mark, slot, part, &name);
    return syslock_peek(ns, &name, (char *)bytes, NULL);
}

/* The name entry slot holds: 0, NO_ENTRY, or a negative engine error. */
static int read_entry(struct namespace *ns, const struct persist_mark *mark, uint32_t slot,
                      struct resname *name)
{
    struct entry entry;
    unsigned int part, len;
    int rc = read_part(ns, mark, slot, 0, entry.bytes);

    if (rc != 0)
        return rc;
    len = entry.bytes[sizeof entry_magic];
    if (memcmp(entry.bytes, entry_magic, sizeof entry_magic) != 0 || len == 0
        || len > ENGINE_RESNAME_MAXLEN)
        return NO_ENTRY;
    for (part = 1; rc == 0 && part < parts_for(len); part++)
        rc = read_part(ns, mark, slot, part, entry.bytes + part * ENGINE_LVB_LEN);
    memcpy(name->bytes, entry.bytes + ENTRY_HEADER, len);
    name->len = len;
    return rc;
}

int domain_index_scan(struct namespace *ns, const struct persist_mark *mark,
                      int (*visit)(const struct resname *name, void *arg), void *arg)
{
    char lvb[ENGINE_LVB_LEN];
    struct resname name;
    uint32_t slot, count;
    int rc;

    head_name(mark, &name);
    rc = syslock_peek(ns, &name, lvb, NULL);
    count = rc == 0 ? head_read(lvb).count : 0;
    for (slot = 0; rc == 0 && slot < count; slot++) {
        rc = read_entry(ns, mark, slot, &name);
        if (rc == 0)
            rc = visit(&name, arg);
        else if (rc == NO_ENTRY)
            rc = 0;             /* half written, or lost with its node */
    }
    return rc;
}

void domain_index_forget(struct namespace *ns)
{
    while (ns->index_heads != NULL) {
        struct index_head *head = ns->index_heads;

        ns->index_heads = head->next;
        free(head->anchor);
        free(head);
    }
}
