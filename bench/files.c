#include "files.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_entry(const char *name)
{
    return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

double dir_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    double total = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;

        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (is_entry(e->d_name) && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            total += (double)st.st_blocks * 512;
    }
    closedir(d);
    return total;
}

void dir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[4096];

        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (is_entry(e->d_name))
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}
