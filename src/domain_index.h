/*
 * The index of a recovery domain's persistent resources in one namespace:
 * how dlm_rd_collect() and DLM_RD_INVALIDATE find them.
 *
 * They must be found on every node, and no engine can list a namespace's
 * resources cluster-wide: the kernel DLM has no call for it (its debugfs
 * dump is one node's view, and root's only).  So the layer keeps the list
 * itself, in the lock manager, as it keeps the marks (persist.h):
 *
 *  - entry k of a domain's index is one to three of the layer's own
 *    resources, its parts, whose value blocks hold end to end a magic
 *    word, a length and the engine name of a persistent resource;
 *  - the index's head, another of them, holds in its value block how many
 *    entries have been allocated, and whether the domain is invalidated.
 *
 * Each value block written stays with its writer's anchor: an NL lock,
 * ENGINE_LKF_PERSISTENT, whose latest request carried ENGINE_LKF_VALBLK.
 * It stays as an orphan when its process dies, and its copy of the value
 * block is what the kernel DLM rebuilds the resource's from when the node
 * that mastered it fails (fs/dlm recover_lvb: the copy of the highest
 * sequence).  An entry therefore lasts as long as the resource it names,
 * whose anchor the same process holds.  The head's count can go back only
 * when the node of its latest writer fails, and then only past entries
 * written there, which are gone with their resources; a writer that finds
 * an entry past the count skips it.
 *
 * Writers take turns through an EX lock on the head, which is not
 * persistent (a writer killed midway leaves no lock behind), and write
 * part 0, the one with the magic word, last: an entry half written is no
 * entry, and the next writer takes its slot.
 *
 * An entry is a hint: the resource's mark says whether it belongs to the
 * domain.  A resource indexed twice (made persistent again after it was
 * lost) is found twice, and recovering it twice is recovering it.
 *
 * Callers hold the process mutex.
 */
#ifndef DLM_TRU64_DOMAIN_INDEX_H
#define DLM_TRU64_DOMAIN_INDEX_H

#include "persist.h"

/* Entries one domain's index holds in one namespace. */
#define DOMAIN_INDEX_MAX 65536u

/* Add name, a resource of ns becoming persistent in the domain of mark,
 * to the domain's index there: 0, -ENOSPC when the index is full, or a
 * negative engine error.  *invalid: whether the domain is invalidated
 * there (domain_index_set_invalid), so that its new resource must be
 * too. */
int domain_index_add(struct namespace *ns, const struct persist_mark *mark,
                     const struct resname *name, int *invalid);

/* Say in the index's head whether the domain of mark is invalidated in
 * ns: from DLM_RD_INVALIDATE until a recovery that leaves nothing more to
 * recover, the resources made persistent in it are born invalid (Tru64
 * dlm_rd_detach).  0 or a negative engine error. */
int domain_index_set_invalid(struct namespace *ns, const struct persist_mark *mark, int invalid);

/* Call visit with each name in the index of the domain of mark in ns, in
 * the order of its entries, until visit returns other than 0: returns
 * that, 0 after the last, or a negative engine error. */
int domain_index_scan(struct namespace *ns, const struct persist_mark *mark,
                      int (*visit)(const struct resname *name, void *arg), void *arg);

/* Free what ns keeps of the heads it anchors, whose lockspace is closed
 * (the anchors stay in the lock manager as orphans). */
void domain_index_forget(struct namespace *ns);

#endif
