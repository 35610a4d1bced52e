/*
 * <sys/dlm.h>: the values the Tru64 reference gives, the choices the design
 * made where it is silent, and a Tru64-style program that must compile
 * unchanged with -pedantic -Werror in every C and C++ dialect.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <sys/dlm.h>

#include "harness.h"

static void lock_modes_are_numbered_from_one(void)
{
    CU_ASSERT_EQUAL(DLM_NOMODE, 0);
    CU_ASSERT_EQUAL(DLM_NLMODE, 1);
    CU_ASSERT_EQUAL(DLM_CRMODE, 2);
    CU_ASSERT_EQUAL(DLM_CWMODE, 3);
    CU_ASSERT_EQUAL(DLM_PRMODE, 4);
    CU_ASSERT_EQUAL(DLM_PWMODE, 5);
    CU_ASSERT_EQUAL(DLM_EXMODE, 6);
}

static void lock_flags_have_the_tru64_bits(void)
{
    CU_ASSERT_EQUAL(DLM_NOQUEUE, 0x8);
    CU_ASSERT_EQUAL(DLM_SYNCSTS, 0x10);
    CU_ASSERT_EQUAL(DLM_NODLCKWT, 0x20);
    CU_ASSERT_EQUAL(DLM_NODLCKBLK, 0x40);
    CU_ASSERT_EQUAL(DLM_EXPEDITE, 0x80);
    CU_ASSERT_EQUAL(DLM_QUECVT, 0x100);
    CU_ASSERT_EQUAL(DLM_DEQALL, 0x200);
    CU_ASSERT_EQUAL(DLM_INVVALBLK, 0x400);
    CU_ASSERT_EQUAL(DLM_VALB, 0x1000);
    CU_ASSERT_EQUAL(DLM_PERSIST, 0x2000);
    CU_ASSERT_EQUAL(DLM_GROUP_LOCK, 0x4000);
    CU_ASSERT_EQUAL(DLM_TXID_LOCAL, 0x8000);
    CU_ASSERT_EQUAL(DLM_TXID_GLOBAL, 0x10000);
}

/* The design: flags of the other calls are single bits of their own, none
 * shared with a lock flag or with each other. */
static void call_flags_are_distinct_single_bits(void)
{
    static const unsigned int lock_flags =
        DLM_NOQUEUE | DLM_SYNCSTS | DLM_NODLCKWT | DLM_NODLCKBLK | DLM_EXPEDITE |
        DLM_QUECVT | DLM_DEQALL | DLM_INVVALBLK | DLM_VALB | DLM_PERSIST |
        DLM_GROUP_LOCK | DLM_TXID_LOCAL | DLM_TXID_GLOBAL;
    static const unsigned int call_flags[] = {
        DLM_USER, DLM_GROUP, DLM_JOIN_SAME_OK, DLM_CANCELWAITOK,
        DLM_GLC_OWNED, DLM_GLC_PERM, DLM_GLC_LOCKS, DLM_GLC_FORCE,
        DLM_RD_PROCESS, DLM_RD_GROUP, DLM_RD_INVALIDATE,
    };
    unsigned int seen = lock_flags;
    size_t i;

    for (i = 0; i < sizeof call_flags / sizeof call_flags[0]; i++) {
        CU_ASSERT_EQUAL(call_flags[i] & (call_flags[i] - 1), 0);
        CU_ASSERT_EQUAL(call_flags[i] & seen, 0);
        seen |= call_flags[i];
    }
}

static void status_codes_have_the_tru64_values(void)
{
    static const struct { int value, expected; const char *name; } codes[] = {
#define CODE(name, value) { name, value, #name }
        CODE(DLM_SUCCESS, 0), CODE(DLM_SYNCH, 1), CODE(DLM_SUCCVALNOTVALID, 2),
        CODE(DLM_SYNCVALNOTVALID, 3), CODE(DLM_MORE_TO_RECOVER, 4),
        CODE(DLM_MORE_TO_TRAVERSE, 5), CODE(DLM_ABORT, 16), CODE(DLM_ATTACHED, 17),
        CODE(DLM_BADPARAM, 18), CODE(DLM_CANCEL, 19), CODE(DLM_CANCELGRANT, 20),
        CODE(DLM_CANCELWAIT, 21), CODE(DLM_CVTUNGRANT, 22), CODE(DLM_DEADLOCK, 23),
        CODE(DLM_EFAULT, 24), CODE(DLM_ENOENT, 25), CODE(DLM_ENOSYS, 26),
        CODE(DLM_HASLOCKS, 27), CODE(DLM_INSFMEM, 28), CODE(DLM_INTR, 29),
        CODE(DLM_IVBUFLEN, 30), CODE(DLM_IVLOCKID, 31), CODE(DLM_LKBUSY, 32),
        CODE(DLM_NOACCESS, 33), CODE(DLM_NOLOCKID, 34), CODE(DLM_NOTATTACHED, 35),
        CODE(DLM_NOTQUEUED, 36), CODE(DLM_PARNOTGRANT, 37), CODE(DLM_RETRY, 38),
        CODE(DLM_SUBLOCKS, 39), CODE(DLM_TIMEOUT, 40), CODE(DLM_TOOMANYNS, 41),
        CODE(DLM_UNEXPERR, 42), CODE(DLM_HASPROCS, 43), CODE(DLM_KILLFAIL, 44),
        CODE(DLM_ATTACHEDGROUP, 45), CODE(DLM_NO_GROUP, 46), CODE(DLM_ENAMETOOLONG, 47),
        CODE(DLM_TOOMANYRD, 48), CODE(DLM_IS_PR, 49), CODE(DLM_NOT_PR, 50),
        CODE(DLM_IVRDID, 51), CODE(DLM_PR_RD_MISMATCH, 52), CODE(DLM_IVHNDL, 53),
        CODE(DLM_EALREADY, 54), CODE(DLM_EINPROGRESS, 55), CODE(DLM_PUBNS_DISALLOW, 56),
#undef CODE
    };
    size_t i;

    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (codes[i].value != codes[i].expected)
            fprintf(stderr, "%s is %d, the reference says %d\n",
                    codes[i].name, codes[i].value, codes[i].expected);
        CU_ASSERT_EQUAL(codes[i].value, codes[i].expected);
    }
}

/* The design's choices where the Tru64 record is silent. */
static void limits_are_the_designed_choices(void)
{
    CU_ASSERT_EQUAL(DLM_RESNAMELEN, 32);
    CU_ASSERT_EQUAL(DLM_VALBLKSIZE, 4);
    CU_ASSERT_EQUAL(DLM_NSPROCMAX, 16);
    CU_ASSERT_EQUAL(DLM_RDNAMELEN, 31);
}

static void types_have_the_tru64_shapes(void)
{
    dlm_lkinfo_t lkinfo;
    dlm_rsbinfo_t rsbinfo;

    CU_ASSERT_EQUAL(sizeof(dlm_lkid_t), 8);
    CU_ASSERT_EQUAL(offsetof(dlm_lkid_t, seqn), 0);
    CU_ASSERT_EQUAL(offsetof(dlm_lkid_t, hndl), 4);
    CU_ASSERT_EQUAL(sizeof(dlm_valb_t), DLM_VALBLKSIZE * 4);
    CU_ASSERT_EQUAL(sizeof(uchar_t), 1);
    CU_ASSERT_EQUAL(sizeof(ushort_t), 2);
    CU_ASSERT_EQUAL(sizeof(uint_t), 4);
    CU_ASSERT_EQUAL(sizeof(ulong_t), sizeof(long));
    CU_ASSERT_EQUAL(sizeof(callback_arg_t), sizeof(void *));
    CU_ASSERT_EQUAL(sizeof(dlm_trans_id_t), sizeof(long));
    CU_ASSERT_EQUAL(sizeof lkinfo.resnam, DLM_RESNAMELEN);
    CU_ASSERT_EQUAL(sizeof rsbinfo.valb, sizeof(dlm_valb_t));
    CU_ASSERT_EQUAL(INTRANSIT, 0);
    CU_ASSERT_EQUAL(GRANTED, 1);
    CU_ASSERT_EQUAL(CONVERTING, 2);
    CU_ASSERT_EQUAL(WAITING, 3);
}

/* Compile (and, with link_flags, link) tests/tru64_program.c with the
 * given compiler and dialect; the command is echoed to the test log. */
static int compile_tru64_program(const char *compiler_var, const char *dialect,
                                 const char *extra)
{
    char command[4096];
    const char *compiler = harness_env(compiler_var);
    int n;

    n = snprintf(command, sizeof command,
                 "%s %s -pedantic -Wall -Wextra -Werror %s %s "
                 "-I'%s/include' -I'%s/compat' '%s/tests/tru64_program.c' "
                 "-o tru64_program.$$ %s && rm -f tru64_program.$$",
                 compiler, dialect, harness_env("TEST_CFLAGS"), extra,
                 harness_env("TOP_SRCDIR"), harness_env("TOP_SRCDIR"),
                 harness_env("TOP_SRCDIR"), harness_env("TEST_LINK"));
    CU_ASSERT_FATAL(n > 0 && (size_t)n < sizeof command);
    printf("\n  %s\n", command);
    return harness_system(command);
}

#define DIALECT_TEST(fn, compiler, dialect, extra)                      \
    static void fn(void)                                                \
    {                                                                   \
        CU_ASSERT_EQUAL(compile_tru64_program(compiler, dialect, extra), 0); \
    }

DIALECT_TEST(program_compiles_as_c89, "CC", "-x c -std=c89", "")
DIALECT_TEST(program_compiles_as_c99, "CC", "-x c -std=c99", "")
DIALECT_TEST(program_compiles_as_c11, "CC", "-x c -std=c11", "")
DIALECT_TEST(program_compiles_with_glibc_shorthands, "CC", "-x c -std=c99",
             "-D_DEFAULT_SOURCE -DTRU64_PROGRAM_GLIBC_SHORTHANDS")
DIALECT_TEST(program_compiles_as_cxx98, "CXX", "-x c++ -std=c++98", "")
DIALECT_TEST(program_compiles_as_cxx11, "CXX", "-x c++ -std=c++11", "")
DIALECT_TEST(program_compiles_as_cxx17, "CXX", "-x c++ -std=c++17",
             "-D_DEFAULT_SOURCE -DTRU64_PROGRAM_GLIBC_SHORTHANDS")

static const struct harness_test value_tests[] = {
    { "lock modes are numbered from one", lock_modes_are_numbered_from_one },
    { "lock flags have the Tru64 bits", lock_flags_have_the_tru64_bits },
    { "call flags are distinct single bits", call_flags_are_distinct_single_bits },
    { "status codes have the Tru64 values", status_codes_have_the_tru64_values },
    { "limits are the designed choices", limits_are_the_designed_choices },
    { "types have the Tru64 shapes", types_have_the_tru64_shapes },
    { NULL, NULL }
};

static const struct harness_test program_tests[] = {
    { "C89", program_compiles_as_c89 },
    { "C99", program_compiles_as_c99 },
    { "C11", program_compiles_as_c11 },
    { "C99 beside glibc's ushort, uint, ulong", program_compiles_with_glibc_shorthands },
    { "C++98", program_compiles_as_cxx98 },
    { "C++11", program_compiles_as_cxx11 },
    { "C++17 beside glibc's ushort, uint, ulong", program_compiles_as_cxx17 },
    { NULL, NULL }
};

static const struct harness_suite values = { "header values", value_tests };
static const struct harness_suite program = {
    "Tru64 program builds with -pedantic -Werror and links", program_tests
};

int main(void)
{
    static const struct harness_suite *const suites[] = { &values, &program, NULL };

    return harness_run(suites);
}
