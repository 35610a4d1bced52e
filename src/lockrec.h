/*
 * The table of this process's lock records, and the lock IDs that name
 * them: hndl is the record's index, seqn the generation of its slot, so a
 * stale or forged ID never names a newer lock.  An all-zero ID names no
 * lock.  Callers hold the process mutex.
 */
#ifndef DLM_TRU64_LOCKREC_H
#define DLM_TRU64_LOCKREC_H

#include <stdint.h>

#include "process.h"

/* A new, zeroed record with a fresh ID, or NULL when out of memory. */
struct lockrec *lockrec_new(struct namespace *ns);
void lockrec_free(struct lockrec *rec);

/* The record an ID names, or NULL. */
struct lockrec *lockrec_find(const dlm_lkid_t *lkid);

/* An ID as an engine callback argument, and back. */
void *lockrec_tag(const struct lockrec *rec);
struct lockrec *lockrec_untag(void *tag);

/* The next record in use after prev (NULL: the first), or NULL. */
struct lockrec *lockrec_next(struct lockrec *prev);

/* Free every record and the table (the child of a fork owns none). */
void lockrec_forget_all(void);

static inline int lkid_is_zero(const dlm_lkid_t *lkid)
{
    return lkid == NULL || (lkid->seqn == 0 && lkid->hndl == 0);
}

#endif
