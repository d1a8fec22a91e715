/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdset.c - the file descriptor sets of fdset.h.
 *
 * One flat list of (set, fd, opaque) entries kept sorted by set id, so
 * query-fdsets and lookups see the sets in id order and each set's
 * descriptors in the order they were added, whatever order -add-fd came in.
 */
#include "core/fdset.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#define FDSET_PREFIX "/dev/fdset/"

typedef struct FdsetEntry {
    int64_t set;
    int fd;
    char *opaque;
} FdsetEntry;

static GArray *entries; /* FdsetEntry, sorted by set (stable) */

/* A decimal number as QEMU's option parser takes it; false when text is not one. */
static bool parse_int(const char *text, int64_t *value)
{
    char *end;

    if (!text || !*text) {
        return false;
    }
    errno = 0;
    *value = strtoll(text, &end, 0);
    return !*end && errno == 0;
}

bool fdset_add_option(const char *fd_text, const char *set_text, const char *opaque, Error **errp)
{
    int64_t fd = -1, set = -1;
    int flags, dup;
    FdsetEntry e;
    guint i;

    if (fd_text && !parse_int(fd_text, &fd)) {
        error_setg(errp, "Parameter 'fd' expects a number");
        return false;
    }
    if (set_text && !parse_int(set_text, &set)) {
        error_setg(errp, "Parameter 'set' expects a number");
        return false;
    }
    if (fd < 0 || fd > INT32_MAX) {
        error_setg(errp, "fd option is required and must be non-negative");
        return false;
    }
    if (fd <= STDERR_FILENO) {
        error_setg(errp, "fd cannot be a standard I/O stream");
        return false;
    }
    /* Inherited descriptors have FD_CLOEXEC clear; every one Tern opens has it set. */
    flags = fcntl((int)fd, F_GETFD);
    if (flags == -1 || (flags & FD_CLOEXEC)) {
        error_setg(errp, "fd is not valid or already in use");
        return false;
    }
    if (set < 0) {
        error_setg(errp, "set option is required and must be non-negative");
        return false;
    }
    dup = fcntl((int)fd, F_DUPFD_CLOEXEC, 0);
    if (dup < 0) {
        error_setg_errno(errp, errno, "error duplicating fd");
        return false;
    }
    if (!entries) {
        entries = g_array_new(FALSE, FALSE, sizeof(FdsetEntry));
    }
    e = (FdsetEntry){set, dup, g_strdup(opaque)};
    for (i = 0; i < entries->len && g_array_index(entries, FdsetEntry, i).set <= set; i++) {
    }
    g_array_insert_val(entries, i, e);
    return true;
}

bool fdset_is_path(const char *path)
{
    return g_str_has_prefix(path, FDSET_PREFIX);
}

int fdset_open(const char *path, int access)
{
    int64_t set;
    bool found = false;

    if (!fdset_is_path(path) || !parse_int(path + strlen(FDSET_PREFIX), &set)) {
        errno = EINVAL;
        return -1;
    }
    for (guint i = 0; entries && i < entries->len; i++) {
        FdsetEntry *e = &g_array_index(entries, FdsetEntry, i);
        int mode;

        if (e->set != set) {
            continue;
        }
        found = true;
        mode = fcntl(e->fd, F_GETFL);
        if (mode != -1 && (mode & O_ACCMODE) == (access & O_ACCMODE)) {
            return fcntl(e->fd, F_DUPFD_CLOEXEC, 0);
        }
    }
    errno = found ? EACCES : ENOENT;
    return -1;
}

void fdset_foreach(void (*fn)(int64_t set, int fd, const char *opaque, void *arg), void *arg)
{
    for (guint i = 0; entries && i < entries->len; i++) {
        FdsetEntry *e = &g_array_index(entries, FdsetEntry, i);

        fn(e->set, e->fd, e->opaque, arg);
    }
}

void fdset_cleanup(void)
{
    for (guint i = 0; entries && i < entries->len; i++) {
        FdsetEntry *e = &g_array_index(entries, FdsetEntry, i);

        close(e->fd);
        g_free(e->opaque);
    }
    if (entries) {
        g_array_free(entries, TRUE);
        entries = NULL;
    }
}
