/*
 * <tru64/types.h> - the Tru64 UNIX <sys/types.h> shorthands that glibc lacks.
 *
 * Tru64 declared uchar_t, ushort_t, uint_t and ulong_t in <sys/types.h>, and
 * the DLM prototypes use them.  glibc offers ushort, uint and ulong (without
 * the _t) under its default feature macros but none of these four, so they
 * are supplied here.  They are plain typedefs of the standard unsigned types,
 * so any program that already spells the same types itself still agrees.
 *
 * Each typedef sits behind a guard macro: a program (or another porting
 * layer) that provides its own can define the guard first.  C89 forbids
 * repeating a typedef, so the guards are what makes coexistence possible.
 */
#ifndef TRU64_TYPES_H
#define TRU64_TYPES_H

#ifndef TRU64_UCHAR_T_DEFINED
#define TRU64_UCHAR_T_DEFINED
typedef unsigned char uchar_t;
#endif

#ifndef TRU64_USHORT_T_DEFINED
#define TRU64_USHORT_T_DEFINED
typedef unsigned short ushort_t;
#endif

#ifndef TRU64_UINT_T_DEFINED
#define TRU64_UINT_T_DEFINED
typedef unsigned int uint_t;
#endif

#ifndef TRU64_ULONG_T_DEFINED
#define TRU64_ULONG_T_DEFINED
typedef unsigned long ulong_t;
#endif

#endif /* TRU64_TYPES_H */
