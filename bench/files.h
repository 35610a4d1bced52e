/*
 * The files of a directory: what they occupy, and their removal.
 */
#ifndef DLM_BENCH_FILES_H
#define DLM_BENCH_FILES_H

/* Bytes of storage the regular files of dir occupy (on a tmpfs: the
 * pages touched so far). */
double dir_bytes(const char *dir);

/* Remove the regular files of dir (one level), then dir itself. */
void dir_remove(const char *dir);

#endif
