/*
 * The Linux engine's table of this process's locks, by lock ID: what the
 * kernel cannot tell a process about its own locks (granted mode, what is
 * in flight, the value block its copy holds) is kept here.
 *
 * The kernel frees a lock's ID once it has handed over the lock's last
 * result, before this process has handled that result: a new lock may get
 * the ID meanwhile, so two locks share it for a moment.  The newest is
 * first in its chain, which is the one an ID names; a result names its
 * lock by its parameter as well (lock_table_find_exact): its address, or
 * a group lock's route.
 */
#include "config.h"

#include <stdlib.h>

#include "linux.h"

static unsigned int bucket_of(uint32_t lkid)
{
    return (lkid ^ (lkid >> 8) ^ (lkid >> 16)) % LINUX_LOCK_BUCKETS;
}

struct linux_lock *lock_table_find(struct linux_ls *ls, uint32_t lkid)
{
    struct linux_lock *lock;

    for (lock = ls->buckets[bucket_of(lkid)]; lock != NULL; lock = lock->next)
        if (lock->lkid == lkid)
            return lock;
    return NULL;
}

struct linux_lock *lock_table_find_exact(struct linux_ls *ls, uint32_t lkid, const void *param)
{
    struct linux_lock *candidate;

    for (candidate = ls->buckets[bucket_of(lkid)]; candidate != NULL; candidate = candidate->next)
        if (linux_lock_param(candidate) == param && candidate->lkid == lkid)
            return candidate;
    return NULL;
}

/* May results come for the lock unasked?  A group lock's come through
 * its group's carrier, not the device. */
static int watched(const struct linux_lock *lock)
{
    return lock->route == 0 && (lock->st.pending != PENDING_NONE || lock->bast != NULL);
}

void lock_table_sync(struct linux_ls *ls, struct linux_lock *lock)
{
    int now = watched(lock);

    if (now == lock->counted)
        return;
    lock->counted = now;
    if (!now)
        ls->interest--;
    else if (ls->interest++ == 0)
        linux_wake_locked(ls);
}

void lock_table_insert(struct linux_ls *ls, struct linux_lock *lock)
{
    struct linux_lock **head = &ls->buckets[bucket_of(lock->lkid)];

    lock->next = *head;
    *head = lock;
    ls->nlocks++;
    lock->counted = 0;      /* the caller syncs once it knows */
}

void lock_table_remove(struct linux_ls *ls, struct linux_lock *lock)
{
    struct linux_lock **link = &ls->buckets[bucket_of(lock->lkid)];

    while (*link != NULL && *link != lock)
        link = &(*link)->next;
    if (*link == lock) {
        *link = lock->next;
        ls->nlocks--;
        if (lock->counted)
            ls->interest--;
        lock->counted = 0;
    }
}

void lock_table_free_all(struct linux_ls *ls)
{
    unsigned int i;

    for (i = 0; i < LINUX_LOCK_BUCKETS; i++) {
        while (ls->buckets[i] != NULL) {
            struct linux_lock *lock = ls->buckets[i];

            ls->buckets[i] = lock->next;
            free(lock);
        }
    }
    ls->nlocks = 0;
    ls->interest = 0;
}
