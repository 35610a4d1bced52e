#include "config.h"

#include "local.h"

#include <errno.h>
#include <stdlib.h>

int local_init(struct engine_ls *ls)
{
    ls->nchunks = (ls->max_locks >> LOCAL_CHUNK_BITS) + 1;
    ls->local = calloc(ls->nchunks, sizeof *ls->local);
    return ls->local != NULL ? 0 : -ENOMEM;
}

void local_destroy(struct engine_ls *ls)
{
    uint32_t i;

    if (ls->local == NULL)
        return;
    for (i = 0; i < ls->nchunks; i++)
        free(ls->local[i]);
    free(ls->local);
    ls->local = NULL;
}

static struct local_lock *slot_of(struct engine_ls *ls, uint32_t lkid, int reserve)
{
    uint32_t index = lkid & LKID_INDEX_MASK;
    uint32_t chunk = index >> LOCAL_CHUNK_BITS;

    if (index == 0 || index > ls->max_locks)
        return NULL;
    if (ls->local[chunk] == NULL) {
        if (!reserve)
            return NULL;
        ls->local[chunk] = calloc(LOCAL_CHUNK_SIZE, sizeof **ls->local);
        if (ls->local[chunk] == NULL)
            return NULL;
    }
    return &ls->local[chunk][index & (LOCAL_CHUNK_SIZE - 1)];
}

struct local_lock *local_find(struct engine_ls *ls, uint32_t lkid)
{
    struct local_lock *local = slot_of(ls, lkid, 0);

    return local != NULL && local->lkid == lkid ? local : NULL;
}

struct local_lock *local_reserve(struct engine_ls *ls, uint32_t lkid)
{
    return slot_of(ls, lkid, 1);
}
