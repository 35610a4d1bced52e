/*
 * The table of this process's lock records, and the lock IDs that name
 * them: hndl is the record's index, seqn the generation of its slot, so a
 * stale or forged ID never names a newer lock.  An all-zero ID names no
 * lock.  A group lock's ID is the same in every member of its container:
 * seqn has LKID_GROUP_MARK set (which no generation has), and the record
 * that the member keeps for it while it manipulates it is found by that
 * ID (glc.h).  Callers hold the process mutex.
 */
#ifndef DLM_TRU64_LOCKREC_H
#define DLM_TRU64_LOCKREC_H

#include <stdint.h>

#include "process.h"

#define LKID_GROUP_MARK 0x80000000u

static inline int lkid_is_group(const dlm_lkid_t *lkid)
{
    return (lkid->seqn & LKID_GROUP_MARK) != 0;
}

/* A new, zeroed record with a fresh ID, or NULL when out of memory. */
struct lockrec *lockrec_new(struct namespace *ns);
void lockrec_free(struct lockrec *rec);

/* The record an ID names, or NULL. */
struct lockrec *lockrec_find(const dlm_lkid_t *lkid);

/* The record an ID names for a call that acts on it: a group lock's is
 * brought up to date, or made when another member held it (glc.h). */
struct lockrec *lockrec_find_for_call(const dlm_lkid_t *lkid);

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
