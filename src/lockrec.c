#include "config.h"

#include "lockrec.h"

#include "glc.h"
#include "recovery.h"

#include <stdlib.h>
#include <string.h>

/* Records live in chunks that never move, found through a growing
 * directory; freed slots are reused, youngest first. */
#define CHUNK_BITS 10
#define CHUNK_SIZE (1u << CHUNK_BITS)

struct slot {
    struct lockrec *rec;        /* NULL: free */
    uint32_t generation;
    uint32_t next_free;
};

static struct slot **chunks;
static uint32_t nchunks;
static uint32_t free_head;      /* index of the first free slot, 0: none */
static uint32_t used;           /* slots ever handed out (index 0 is never) */

static struct slot *slot_at(uint32_t index)
{
    if (index == 0 || index > used)
        return NULL;
    return &chunks[index >> CHUNK_BITS][index & (CHUNK_SIZE - 1)];
}

static uint32_t take_slot(void)
{
    uint32_t index;

    if (free_head != 0) {
        index = free_head;
        free_head = slot_at(index)->next_free;
        return index;
    }
    if (used == UINT32_MAX)
        return 0;
    index = used + 1;
    if ((index >> CHUNK_BITS) >= nchunks) {
        struct slot **grown = realloc(chunks, (nchunks + 1) * sizeof *chunks);

        if (grown == NULL)
            return 0;
        chunks = grown;
        chunks[nchunks] = calloc(CHUNK_SIZE, sizeof **chunks);
        if (chunks[nchunks] == NULL)
            return 0;
        nchunks++;
    }
    used = index;
    return index;
}

struct lockrec *lockrec_new(struct namespace *ns)
{
    struct lockrec *rec = calloc(1, sizeof *rec);
    uint32_t index;
    struct slot *slot;

    if (rec == NULL)
        return NULL;
    index = take_slot();
    if (index == 0) {
        free(rec);
        return NULL;
    }
    slot = slot_at(index);
    /* Generations stay below LKID_GROUP_MARK. */
    slot->generation = slot->generation + 1 == LKID_GROUP_MARK ? 1 : slot->generation + 1;
    slot->rec = rec;
    rec->index = index;
    rec->lkid.hndl = index;
    rec->lkid.seqn = slot->generation;
    rec->ns = ns;
    rec->lksb.lvb = rec->lvb;
    ns->nlocks++;
    return rec;
}

void lockrec_free(struct lockrec *rec)
{
    struct slot *slot = slot_at(rec->index);

    if (rec->parent != NULL)
        rec->parent->nchildren--;
    if (rec->domain != NULL)
        rec->domain->nlocks--;
    rec->ns->nlocks--;
    slot->rec = NULL;
    slot->next_free = free_head;
    free_head = rec->index;
    free(rec);
}

/* A member keeps records for the few group locks it manipulates. */
static struct lockrec *find_group_lock(const dlm_lkid_t *lkid)
{
    struct lockrec *rec;

    for (rec = lockrec_next(NULL); rec != NULL; rec = lockrec_next(rec))
        if (rec->lkid.seqn == lkid->seqn && rec->lkid.hndl == lkid->hndl)
            return rec;
    return NULL;
}

struct lockrec *lockrec_find_for_call(const dlm_lkid_t *lkid)
{
    return lkid != NULL && lkid_is_group(lkid) ? glc_lockrec(lkid) : lockrec_find(lkid);
}

/* The record in slot index of that generation, or NULL. */
static struct lockrec *record_at(uint32_t index, uint32_t generation)
{
    struct slot *slot = slot_at(index);

    return slot != NULL && slot->generation == generation ? slot->rec : NULL;
}

struct lockrec *lockrec_find(const dlm_lkid_t *lkid)
{
    struct lockrec *rec;

    if (lkid == NULL)
        return NULL;
    if (lkid_is_group(lkid))
        return find_group_lock(lkid);
    /* A group lock is known by its group-wide ID only. */
    rec = record_at(lkid->hndl, lkid->seqn);
    return rec != NULL && !lkid_is_group(&rec->lkid) ? rec : NULL;
}

/* A tag names the record's slot and the slot's generation, whatever the
 * record's ID (a group lock is renamed once the engine has its ID). */
void *lockrec_tag(const struct lockrec *rec)
{
    return (void *)((uintptr_t)slot_at(rec->index)->generation << 32 | rec->index);
}

struct lockrec *lockrec_untag(void *tag)
{
    return record_at((uint32_t)((uintptr_t)tag & 0xffffffffu), (uint32_t)((uintptr_t)tag >> 32));
}

struct lockrec *lockrec_next(struct lockrec *prev)
{
    uint32_t index;

    for (index = prev != NULL ? prev->index + 1 : 1; index <= used; index++) {
        struct slot *slot = slot_at(index);

        if (slot->rec != NULL)
            return slot->rec;
    }
    return NULL;
}

void lockrec_forget_all(void)
{
    uint32_t index, i;

    for (index = 1; index <= used; index++)
        free(slot_at(index)->rec);
    for (i = 0; i < nchunks; i++)
        free(chunks[i]);
    free(chunks);
    chunks = NULL;
    nchunks = 0;
    free_head = 0;
    used = 0;
}
