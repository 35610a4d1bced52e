/*
 * The subjects measured side by side: our DLM through <sys/dlm.h>, and
 * its peers on one machine - fcntl OFD locks, flock, and a process-shared
 * robust pthread mutex and rwlock in shared memory (the floor: no lock
 * manager can beat an uncontended mutex).
 *
 * Each subject offers an exclusive lock on one of SUBJECT_SLOTS
 * independent resources, so that scenarios can contend on one resource
 * or spread over several.
 */
#ifndef DLM_BENCH_SUBJECTS_H
#define DLM_BENCH_SUBJECTS_H

#include <pthread.h>
#include <stdint.h>

#include <sys/dlm.h>

#define SUBJECT_SLOTS 64

struct subject;

struct subject_ops {
    const char *name;       /* as the table prints it */
    const char *key;        /* for the machine-readable file */
    /* Per process or thread, after fork: take slot's resource. */
    int (*open)(struct subject *s, unsigned int slot);
    int (*lock)(struct subject *s);         /* exclusive; waits */
    int (*unlock)(struct subject *s);
    void (*close)(struct subject *s);
};

/* One process's or thread's hold on a subject's resource.  The DLM's
 * options: with want_bast its blocking routine counts the requests it
 * blocks (requested); with valb each grant reads the value block and each
 * release writes it back one higher; with a nonzero parent the resource
 * is a sublock of that lock's. */
struct subject {
    const struct subject_ops *ops;
    unsigned int slot;
    int fd;
    dlm_nsp_t ns;
    uchar_t name[DLM_RESNAMELEN];
    unsigned short namelen;
    dlm_lkid_t lkid;
    dlm_lkid_t parent;
    pthread_mutex_t *mutex;
    pthread_rwlock_t *rwlock;
    int want_bast;
    int valb;
    dlm_valb_t value;
    volatile int requested;
};

extern const struct subject_ops subject_dlm;
extern const struct subject_ops subject_ofd;
extern const struct subject_ops subject_flock;
extern const struct subject_ops subject_mutex;
extern const struct subject_ops subject_rwlock;

/* The DLM and its host peers, in table order. */
extern const struct subject_ops *const host_subjects[];
extern const unsigned int host_nsubjects;

/* Before any fork: the peers' shared state (lock files in dir, mutexes
 * and rwlocks in shared memory).  0 or -1. */
int subjects_prepare(const char *dir);
void subjects_cleanup(void);

/* Join the caller's own user namespace (the same handle when joined). */
dlm_status_t bench_join(dlm_nsp_t *ns);

/* The name of resource slot i of a scenario: "bench.<tag>.<i>". */
unsigned short bench_resname(uchar_t *buf, unsigned int size, const char *tag, unsigned long i);

#endif
