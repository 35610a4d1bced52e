/*
 * The public calls whose implementation has not landed yet.
 *
 * Each returns DLM_ENOSYS ("lock manager service not available") and
 * touches none of its arguments: a program sees an honest failure, never a
 * false success.  A call leaves this file when its real implementation
 * lands in the file that owns its concern.
 */
#include "config.h"

#include <sys/dlm.h>

dlm_status_t dlm_glc_create(dlm_glc_id_t *idp, dlm_glc_flags_t flags,
                            dlm_nsp_t *ns_listp, int ns_num)
{
    (void)idp; (void)flags; (void)ns_listp; (void)ns_num;
    return DLM_ENOSYS;
}

dlm_status_t dlm_glc_attach(dlm_glc_id_t id, dlm_glc_flags_t flags)
{
    (void)id; (void)flags;
    return DLM_ENOSYS;
}

dlm_status_t dlm_glc_detach(void)
{
    return DLM_ENOSYS;
}

dlm_status_t dlm_glc_destroy(dlm_glc_id_t id, dlm_glc_flags_t flags)
{
    (void)id; (void)flags;
    return DLM_ENOSYS;
}
