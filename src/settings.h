/*
 * Settings: which engine to use and where the embedded engine keeps
 * its lockspaces.
 *
 * Each setting comes from the environment first, then from the
 * configuration file, then from the built-in default:
 *
 *   setting        variable                  file key       default
 *   engine         DLM_TRU64_ENGINE          engine         embedded
 *   embedded_dir   DLM_TRU64_EMBEDDED_DIR    embedded_dir   /dev/shm/dlm_tru64
 *
 * The file is DLM_TRU64_CONFIG if set, else /etc/dlm_tru64.conf; it holds
 * "key = value" lines, with '#' starting a comment.  A missing file is not
 * an error; one that cannot be read is, so that no setting it holds is
 * silently replaced by its default (which could be another engine than
 * the one the machine's other processes use: see engine_select.c).
 */
#ifndef DLM_TRU64_SETTINGS_H
#define DLM_TRU64_SETTINGS_H

#include <stddef.h>

#define SETTING_VALUE_MAX 256

enum setting_key {
    SETTING_ENGINE,
    SETTING_EMBEDDED_DIR,
};

/* Copy the setting's value into value (SETTING_VALUE_MAX bytes); return 0,
 * -ENAMETOOLONG when the configured value does not fit, or the -errno of
 * a configuration file that exists but cannot be read. */
int setting_get(enum setting_key key, char value[SETTING_VALUE_MAX]);

/* The configuration file's path. */
const char *setting_config_path(void);

/* Make the directory embedded_dir names if it is missing: world-writable
 * and sticky, like /tmp, so that every user can make files there (the
 * embedded engine's segments, the Linux engine's group tables) and only
 * their owners can remove them.  0 or -errno. */
int setting_dir_make(const char *dir);

#endif
