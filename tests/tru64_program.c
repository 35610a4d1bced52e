/*
 * A program written against the documented Tru64 prototypes, the way a
 * TruCluster application calls them: every one of the 26 calls, every
 * argument of its documented type, the callbacks in their documented
 * shapes.  The header test compiles it as C89, C99, C11 and C++ with
 * -pedantic -Werror and links it with the library; it is never run.
 */
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/dlm.h>

#ifdef TRU64_PROGRAM_GLIBC_SHORTHANDS
/* glibc's own shorthands, declared by <sys/types.h> under the default
 * feature macros, live beside the Tru64 ones. */
static ushort glibc_ushort;
static uint glibc_uint;
static ulong glibc_ulong;
#endif

static void completion(callback_arg_t notprm, dlm_lkid_t *lkid_p, dlm_status_t status)
{
    (void)notprm;
    (void)lkid_p;
    if (status != DLM_SUCCESS)
        dlm_perrno(status);
}

static void blocking(callback_arg_t notprm, callback_arg_t hint, dlm_lkid_t *lkid_p,
                     dlm_lkmode_t blocked_mode)
{
    (void)notprm;
    (void)hint;
    (void)lkid_p;
    (void)blocked_mode;
}

int main(void)
{
    dlm_nsp_t nsp;
    dlm_lkid_t lkid, sublkid;
    dlm_lock_mode_t mode = DLM_EXMODE;
    dlm_valb_t valb;
    dlm_lkinfo_t lkinfo;
    dlm_rsbinfo_t rsbinfo;
    dlm_glc_id_t glc;
    dlm_rd_id_t rd;
    dlm_rd_collection_hndl_t collection;
    dlm_trans_id_t trans_id = 42;
    dlm_status_t status;
    int oldsig;
    uchar_t resnam[DLM_RESNAMELEN] = "master";
    ushort_t resnlen = 6;
    uint_t timeout = 10 * 100;
    cpl_callback_t cplrtn = completion;
    blk_callback_t blkrtn = blocking;
    callback_arg_t notprm = (callback_arg_t)&lkid;
    char prefix[] = "tru64_program";
    char rdname[DLM_RDNAMELEN + 1] = "dom";
    usr_lk_states_t state = GRANTED;

    status = dlm_nsjoin(geteuid(), &nsp, DLM_USER | DLM_JOIN_SAME_OK);
    status = dlm_set_signal(SIGIO, &oldsig);
    status = dlm_set_signal(0, NULL);
    status = dlm_lock(nsp, resnam, resnlen, (dlm_lkid_t *)NULL, &lkid, DLM_EXMODE,
                      &valb, DLM_VALB | DLM_SYNCSTS, notprm, (callback_arg_t)NULL,
                      blkrtn, (uint_t)0);
    status = dlm_locktp(nsp, resnam, resnlen, 0, &lkid, mode, &valb,
                        DLM_VALB | DLM_TXID_LOCAL, notprm, 0, blocking, timeout,
                        trans_id, (dlm_rd_id_t)0);
    status = dlm_quelock(0, resnam, resnlen, &lkid, &sublkid, DLM_NLMODE, NULL, 0,
                         0, 0, NULL, 0, cplrtn);
    status = dlm_quelocktp(nsp, resnam, resnlen, NULL, &lkid, DLM_PRMODE, &valb,
                           DLM_NOQUEUE | DLM_NODLCKWT | DLM_NODLCKBLK, notprm, 0,
                           blkrtn, 0, completion, (dlm_trans_id_t)0, 0);
    status = dlm_cvt(&lkid, DLM_PWMODE, &valb, DLM_VALB | DLM_QUECVT, notprm, 0,
                     blocking, 0);
    status = dlm_quecvt(&lkid, DLM_NLMODE, &valb, DLM_VALB, notprm, 0, NULL, 0,
                        completion);
    status = dlm_cancel(&lkid, DLM_CANCELWAITOK);
    status = dlm_get_lkinfo(&lkid, &lkinfo);
    status = dlm_get_rsbinfo(nsp, resnam, resnlen, &rsbinfo, (dlm_lkid_t *)0);
    status = dlm_unlock(&lkid, &valb, DLM_VALB);
    status = dlm_unlock(&lkid, NULL, DLM_DEQALL);
    status = dlm_unlock(NULL, NULL, DLM_DEQALL);
    status = dlm_glc_create(&glc, DLM_GLC_OWNED, &nsp, 1);
    status = dlm_glc_attach(glc, 0);
    status = dlm_rd_attach(rdname, &rd, DLM_RD_GROUP);
    status = dlm_rd_collect(rd, &collection, 0);
    status = dlm_rd_validate(rd, &collection, 0);
    status = dlm_rd_detach(rd, DLM_RD_INVALIDATE);
    status = dlm_glc_detach();
    status = dlm_glc_destroy(glc, DLM_GLC_LOCKS | DLM_GLC_FORCE);
    status = dlm_nsleave(&nsp, 0);
    status = dlm_detach();
    printf("%d notifications, state %d, lock %u.%u, %s\n", dlm_notify(), (int)state,
           lkid.seqn, lkid.hndl, dlm_sperrno(status));
    dlm_perror(prefix, status);
    dlm_perrno(DLM_SUCCESS);
    (void)lkinfo.lkstate;
    (void)rsbinfo.valb.valblk[0];
#ifdef TRU64_PROGRAM_GLIBC_SHORTHANDS
    (void)glibc_ushort;
    (void)glibc_uint;
    (void)glibc_ulong;
#endif
    return 0;
}
