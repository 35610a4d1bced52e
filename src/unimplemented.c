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

dlm_status_t dlm_nsjoin(dlm_nsid_t nsid, dlm_nsp_t *nsp, dlm_flags_t flags)
{
    (void)nsid; (void)nsp; (void)flags;
    return DLM_ENOSYS;
}

dlm_status_t dlm_nsleave(dlm_nsp_t *nsp, dlm_flags_t flags)
{
    (void)nsp; (void)flags;
    return DLM_ENOSYS;
}

dlm_status_t dlm_detach(void)
{
    return DLM_ENOSYS;
}

dlm_status_t dlm_set_signal(int newsig, int *oldsig)
{
    (void)newsig; (void)oldsig;
    return DLM_ENOSYS;
}

/* Nothing can be pending, so nothing is delivered. */
int dlm_notify(void)
{
    return 0;
}

dlm_status_t dlm_lock(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                      dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                      dlm_valb_t *valb_p, dlm_flags_t flags,
                      callback_arg_t notprm, callback_arg_t hint,
                      blk_callback_t blkrtn, uint_t timeout)
{
    return dlm_locktp(nsp, resnam, resnlen, parid, lkid_p, rqmode, valb_p, flags,
                      notprm, hint, blkrtn, timeout, 0, 0);
}

dlm_status_t dlm_locktp(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                        dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                        dlm_valb_t *valb_p, dlm_flags_t flags,
                        callback_arg_t notprm, callback_arg_t hint,
                        blk_callback_t blkrtn, uint_t timeout,
                        dlm_trans_id_t trans_id, dlm_rd_id_t rd_id)
{
    (void)nsp; (void)resnam; (void)resnlen; (void)parid; (void)lkid_p;
    (void)rqmode; (void)valb_p; (void)flags; (void)notprm; (void)hint;
    (void)blkrtn; (void)timeout; (void)trans_id; (void)rd_id;
    return DLM_ENOSYS;
}

dlm_status_t dlm_quelock(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                         dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                         dlm_valb_t *valb_p, dlm_flags_t flags,
                         callback_arg_t notprm, callback_arg_t hint,
                         blk_callback_t blkrtn, uint_t timeout,
                         cpl_callback_t cplrtn)
{
    return dlm_quelocktp(nsp, resnam, resnlen, parid, lkid_p, rqmode, valb_p, flags,
                         notprm, hint, blkrtn, timeout, cplrtn, 0, 0);
}

dlm_status_t dlm_quelocktp(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                           dlm_lkid_t *parid, dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode,
                           dlm_valb_t *valb_p, dlm_flags_t flags,
                           callback_arg_t notprm, callback_arg_t hint,
                           blk_callback_t blkrtn, uint_t timeout,
                           cpl_callback_t cplrtn,
                           dlm_trans_id_t trans_id, dlm_rd_id_t rd_id)
{
    (void)nsp; (void)resnam; (void)resnlen; (void)parid; (void)lkid_p;
    (void)rqmode; (void)valb_p; (void)flags; (void)notprm; (void)hint;
    (void)blkrtn; (void)timeout; (void)cplrtn; (void)trans_id; (void)rd_id;
    return DLM_ENOSYS;
}

dlm_status_t dlm_cvt(dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode, dlm_valb_t *valb_p,
                     dlm_flags_t flags, callback_arg_t notprm, callback_arg_t hint,
                     blk_callback_t blkrtn, uint_t timeout)
{
    (void)lkid_p; (void)rqmode; (void)valb_p; (void)flags; (void)notprm;
    (void)hint; (void)blkrtn; (void)timeout;
    return DLM_ENOSYS;
}

dlm_status_t dlm_quecvt(dlm_lkid_t *lkid_p, dlm_lkmode_t rqmode, dlm_valb_t *valb_p,
                        dlm_flags_t flags, callback_arg_t notprm, callback_arg_t hint,
                        blk_callback_t blkrtn, uint_t timeout,
                        cpl_callback_t cplrtn)
{
    (void)lkid_p; (void)rqmode; (void)valb_p; (void)flags; (void)notprm;
    (void)hint; (void)blkrtn; (void)timeout; (void)cplrtn;
    return DLM_ENOSYS;
}

dlm_status_t dlm_unlock(dlm_lkid_t *lkid_p, dlm_valb_t *valb_p, dlm_flags_t flags)
{
    (void)lkid_p; (void)valb_p; (void)flags;
    return DLM_ENOSYS;
}

dlm_status_t dlm_cancel(dlm_lkid_t *lkid_p, dlm_flags_t flags)
{
    (void)lkid_p; (void)flags;
    return DLM_ENOSYS;
}

dlm_status_t dlm_get_lkinfo(dlm_lkid_t *lkid_p, dlm_lkinfo_t *lkinfo)
{
    (void)lkid_p; (void)lkinfo;
    return DLM_ENOSYS;
}

dlm_status_t dlm_get_rsbinfo(dlm_nsp_t nsp, uchar_t *resnam, ushort_t resnlen,
                             dlm_rsbinfo_t *rsbinfo, dlm_lkid_t *par_lkid)
{
    (void)nsp; (void)resnam; (void)resnlen; (void)rsbinfo; (void)par_lkid;
    return DLM_ENOSYS;
}

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

dlm_status_t dlm_rd_attach(char *name, dlm_rd_id_t *rd_id_p, dlm_rd_flags_t attach_flag)
{
    (void)name; (void)rd_id_p; (void)attach_flag;
    return DLM_ENOSYS;
}

dlm_status_t dlm_rd_detach(dlm_rd_id_t rd_id, dlm_rd_flags_t detach_flag)
{
    (void)rd_id; (void)detach_flag;
    return DLM_ENOSYS;
}

dlm_status_t dlm_rd_collect(dlm_rd_id_t rd_id, dlm_rd_collection_hndl_t *hndl_p,
                            dlm_rd_flags_t collect_flag)
{
    (void)rd_id; (void)hndl_p; (void)collect_flag;
    return DLM_ENOSYS;
}

dlm_status_t dlm_rd_validate(dlm_rd_id_t rd_id, dlm_rd_collection_hndl_t *hndl_p,
                             dlm_rd_flags_t validate_flag)
{
    (void)rd_id; (void)hndl_p; (void)validate_flag;
    return DLM_ENOSYS;
}
