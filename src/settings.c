#include "config.h"

#include "settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


struct setting {
    const char *variable;
    const char *file_key;
    const char *fallback;
};

static const struct setting settings[] = {
    [SETTING_ENGINE]       = { "DLM_TRU64_ENGINE", "engine", "embedded" },
    [SETTING_EMBEDDED_DIR] = { "DLM_TRU64_EMBEDDED_DIR", "embedded_dir", "/dev/shm/dlm_tru64" },
};

static int copy_value(const char *from, char value[SETTING_VALUE_MAX])
{
    size_t len = strlen(from);

    if (len >= SETTING_VALUE_MAX)
        return -ENAMETOOLONG;
    memcpy(value, from, len + 1);
    return 0;
}

/* Strip leading and trailing white space in place; return the start. */
static char *trim(char *s)
{
    char *end;

    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

const char *setting_config_path(void)
{
    const char *path = getenv("DLM_TRU64_CONFIG");

    return path != NULL ? path : "/etc/dlm_tru64.conf";
}

/* Look key up in the configuration file: 1 and the value when found, 1
 * and *error when the file cannot be read.  Lines are read whole,
 * whatever their length, so that the rest of a long line is never taken
 * for a line of its own, nor its value cut short. */
static int file_lookup(const char *key, char value[SETTING_VALUE_MAX], int *error)
{
    char *line = NULL;
    size_t size = 0;
    FILE *file;
    int found = 0;

    file = fopen(setting_config_path(), "re");
    if (file == NULL) {
        if (errno == ENOENT)
            return 0;
        *error = -errno;
        return 1;
    }
    errno = 0;
    while (!found && getline(&line, &size, file) >= 0) {
        char *equals, *name;

        line[strcspn(line, "#\n")] = '\0';
        equals = strchr(line, '=');
        if (equals == NULL)
            continue;
        *equals = '\0';
        name = trim(line);
        if (strcmp(name, key) == 0) {
            *error = copy_value(trim(equals + 1), value);
            found = 1;
        }
    }
    /* A read that failed (out of memory, a directory, an I/O error) is
     * no end of the file: the setting may be further on. */
    if (!found && !feof(file)) {
        *error = errno != 0 ? -errno : -EIO;
        found = 1;
    }
    free(line);
    fclose(file);
    return found;
}

int setting_get(enum setting_key key, char value[SETTING_VALUE_MAX])
{
    const struct setting *setting = &settings[key];
    const char *from_env = getenv(setting->variable);
    int error = 0;

    if (from_env != NULL && *from_env != '\0')
        return copy_value(from_env, value);
    if (file_lookup(setting->file_key, value, &error))
        return error;
    return copy_value(setting->fallback, value);
}

int setting_dir_make(const char *dir)
{
    if (mkdir(dir, 01777) == 0)
        return chmod(dir, 01777) == 0 ? 0 : -errno;
    return errno == EEXIST ? 0 : -errno;
}
