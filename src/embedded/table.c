#include "config.h"

#include "table.h"

#include <string.h>

#include "tx.h"

static const uint32_t queue_state[NQUEUES] = {
    [QUEUE_GRANT] = LOCK_GRANTED,
    [QUEUE_CONVERT] = LOCK_CONVERTING,
    [QUEUE_WAIT] = LOCK_WAITING,
};

/* FNV-1a: names are short and often differ only in their last bytes. */
static uint32_t name_hash(const void *name, unsigned int len)
{
    const uint8_t *byte = name;
    uint32_t hash = 2166136261u;

    while (len-- > 0) {
        hash ^= *byte++;
        hash *= 16777619u;
    }
    return hash;
}

static uint32_t *bucket_of(struct engine_ls *ls, const void *name, unsigned int len)
{
    return &ls->hash[name_hash(name, len) & ls->hash_mask];
}

struct seg_resource *resource_find(struct engine_ls *ls, const void *name, unsigned int len)
{
    uint32_t index = *bucket_of(ls, name, len);
    uint32_t guard = 0;

    while (index != 0 && guard++ <= ls->max_resources) {
        struct seg_resource *res = resource_at(ls, index);

        if (res->in_use && res->namelen == len && memcmp(res->name, name, len) == 0)
            return res;
        index = res->hash_next;
    }
    return NULL;
}

struct seg_resource *resource_create(struct engine_ls *ls, const void *name, unsigned int len)
{
    static const uint8_t zero_lvb[ENGINE_LVB_LEN];
    struct seg_header *hdr = ls->hdr;
    uint32_t *bucket = bucket_of(ls, name, len);
    uint8_t padded[ENGINE_RESNAME_MAXLEN] = { 0 };
    struct seg_resource *res;
    uint32_t index = hdr->res_free;
    enum queue q;

    if (index != 0) {
        res = resource_at(ls, index);
        tx_put(ls, &hdr->res_free, res->hash_next);
    } else if (hdr->res_unused <= ls->max_resources && hdr->res_unused != 0) {
        index = hdr->res_unused;
        res = resource_at(ls, index);
        tx_put(ls, &hdr->res_unused, index + 1);
    } else {
        return NULL;
    }
    memcpy(padded, name, len);
    tx_put_bytes(ls, res->name, padded, sizeof padded);
    tx_put_bytes(ls, res->lvb, zero_lvb, sizeof zero_lvb);
    tx_put(ls, &res->namelen, len);
    for (q = 0; q < NQUEUES; q++) {
        tx_put(ls, &res->head[q], 0);
        tx_put(ls, &res->tail[q], 0);
    }
    tx_put(ls, &res->nlocks, 0);
    tx_put(ls, &res->lvb_seq, 0);
    tx_put(ls, &res->flags, 0);
    tx_put(ls, &res->hash_next, *bucket);
    tx_put(ls, &res->in_use, 1);
    tx_put(ls, bucket, index);
    tx_put(ls, &hdr->nresources, hdr->nresources + 1);
    return res;
}

void resource_release_if_unused(struct engine_ls *ls, struct seg_resource *res)
{
    struct seg_header *hdr = ls->hdr;
    uint32_t index = resource_index(ls, res);
    uint32_t *link = bucket_of(ls, res->name, res->namelen <= ENGINE_RESNAME_MAXLEN
                               ? res->namelen : ENGINE_RESNAME_MAXLEN);
    uint32_t guard = 0;

    if (res->nlocks != 0 || !res->in_use)
        return;
    while (*link != index && *link != 0 && guard++ <= ls->max_resources)
        link = &resource_at(ls, *link)->hash_next;
    if (*link != index) {
        ls->damaged = 1;    /* in use, yet not in its chain */
        return;
    }
    tx_put(ls, link, res->hash_next);
    tx_put(ls, &res->in_use, 0);
    tx_put(ls, &res->hash_next, hdr->res_free);
    tx_put(ls, &hdr->res_free, index);
    tx_put(ls, &hdr->nresources, hdr->nresources - 1);
}

struct seg_lock *lock_alloc(struct engine_ls *ls)
{
    static const uint8_t zero_lvb[ENGINE_LVB_LEN];
    struct seg_header *hdr = ls->hdr;
    struct seg_lock *lock;
    uint32_t index = hdr->lock_free;

    if (index != 0) {
        lock = lock_at(ls, index);
        tx_put(ls, &hdr->lock_free, lock->next);
    } else if (hdr->lock_unused <= ls->max_locks && hdr->lock_unused != 0) {
        index = hdr->lock_unused;
        lock = lock_at(ls, index);
        tx_put(ls, &hdr->lock_unused, index + 1);
    } else {
        return NULL;
    }
    /* The generation is never 0 in a lock ID, and changes with each use. */
    tx_put(ls, &lock->gen, (lock->gen + 1) & LKID_GEN_MASK ? lock->gen + 1 : 1);
    tx_put(ls, &lock->state, LOCK_FREE);
    tx_put(ls, &lock->owner, 0);
    tx_put(ls, &lock->group, 0);
    tx_put(ls, &lock->group_perm, 0);
    tx_put(ls, &lock->resource, 0);
    tx_put(ls, &lock->grmode, (uint32_t)ENGINE_MODE_IV);
    tx_put(ls, &lock->rqmode, (uint32_t)ENGINE_MODE_IV);
    tx_put(ls, &lock->flags, 0);
    tx_put(ls, &lock->prev, 0);
    tx_put(ls, &lock->next, 0);
    tx_put(ls, &lock->pend_next, 0);
    tx_put(ls, &lock->pend_prev, 0);
    tx_put(ls, &lock->notify, 0);
    tx_put(ls, &lock->ast_status, 0);
    tx_put(ls, &lock->sbflags, 0);
    tx_put(ls, &lock->bast_mode, 0);
    tx_put(ls, &lock->highbast, 0);
    tx_put_bytes(ls, lock->lvb, zero_lvb, sizeof zero_lvb);
    tx_put(ls, &hdr->nlocks, hdr->nlocks + 1);
    return lock;
}

void lock_free(struct engine_ls *ls, struct seg_lock *lock)
{
    struct seg_header *hdr = ls->hdr;

    tx_put(ls, &lock->state, LOCK_FREE);
    tx_put(ls, &lock->owner, 0);
    tx_put(ls, &lock->next, hdr->lock_free);
    tx_put(ls, &hdr->lock_free, lock_index(ls, lock));
    tx_put(ls, &hdr->nlocks, hdr->nlocks - 1);
}

uint32_t lock_blocks_end(struct engine_ls *ls)
{
    uint32_t end = ls->hdr->lock_unused;

    return end <= ls->max_locks + 1 ? end : 0;
}

struct seg_lock *lock_by_id(struct engine_ls *ls, uint32_t lkid)
{
    uint32_t index = lkid & LKID_INDEX_MASK;
    struct seg_lock *lock;

    if (index == 0 || index > ls->max_locks)
        return NULL;
    lock = &ls->locks[index];
    if (lock->state == LOCK_FREE || lkid_of(ls, lock) != lkid)
        return NULL;
    return lock;
}

void queue_add(struct engine_ls *ls, struct seg_resource *res, struct seg_lock *lock,
               enum queue queue, int at_head)
{
    uint32_t index = lock_index(ls, lock);

    if (at_head && res->head[queue] != 0) {
        tx_put(ls, &lock->prev, 0);
        tx_put(ls, &lock->next, res->head[queue]);
        tx_put(ls, &lock_at(ls, res->head[queue])->prev, index);
        tx_put(ls, &res->head[queue], index);
    } else {
        tx_put(ls, &lock->prev, res->tail[queue]);
        tx_put(ls, &lock->next, 0);
        if (res->tail[queue] != 0)
            tx_put(ls, &lock_at(ls, res->tail[queue])->next, index);
        else
            tx_put(ls, &res->head[queue], index);
        tx_put(ls, &res->tail[queue], index);
    }
    tx_put(ls, &lock->state, queue_state[queue]);
}

void queue_del(struct engine_ls *ls, struct seg_resource *res, struct seg_lock *lock)
{
    enum queue queue;

    switch (lock->state) {
    case LOCK_GRANTED: queue = QUEUE_GRANT; break;
    case LOCK_CONVERTING: queue = QUEUE_CONVERT; break;
    case LOCK_WAITING: queue = QUEUE_WAIT; break;
    default:
        ls->damaged = 1;
        return;
    }
    if (lock->prev != 0)
        tx_put(ls, &lock_at(ls, lock->prev)->next, lock->next);
    else
        tx_put(ls, &res->head[queue], lock->next);
    if (lock->next != 0)
        tx_put(ls, &lock_at(ls, lock->next)->prev, lock->prev);
    else
        tx_put(ls, &res->tail[queue], lock->prev);
    tx_put(ls, &lock->prev, 0);
    tx_put(ls, &lock->next, 0);
}
