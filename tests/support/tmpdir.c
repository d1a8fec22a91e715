/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tmpdir.c - see tmpdir.h.
 *
 * Helper code, not a test: its assertions live in tests/unit/test-support.c.
 */
#include "tests/support/tmpdir.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>

char *tmpdir_new(const char *tmpl)
{
    char *dir = g_dir_make_tmp(tmpl, NULL);

    if (!dir) {
        fail_msg("cannot make a temporary directory from %s", tmpl);
    }
    return dir;
}

char *tmpdir_write(const char *dir, const char *name, const void *data, size_t len)
{
    char *path = g_build_filename(dir, name, NULL);

    if (!g_file_set_contents(path, data, (gssize)len, NULL)) {
        fail_msg("cannot write %s", path);
    }
    return path;
}

char *tmpdir_write_pattern(const char *dir, const char *name, size_t len,
                           uint8_t (*pattern)(uint64_t i))
{
    uint8_t *data = g_malloc(len ? len : 1);
    char *path;

    for (size_t i = 0; i < len; i++) {
        data[i] = pattern(i);
    }
    path = tmpdir_write(dir, name, data, len);
    g_free(data);
    return path;
}

void tmpdir_remove(char *dir)
{
    GDir *d;
    const char *name;

    if (!dir) {
        return;
    }
    d = g_dir_open(dir, 0, NULL);
    while (d && (name = g_dir_read_name(d))) {
        char *path = g_build_filename(dir, name, NULL);

        g_chmod(path, 0600);
        g_remove(path);
        g_free(path);
    }
    if (d) {
        g_dir_close(d);
    }
    g_rmdir(dir);
    g_free(dir);
}

char *tmpfile_new(const char *tmpl, const void *data, ssize_t len)
{
    char *path = NULL;
    int fd = g_file_open_tmp(tmpl, &path, NULL);

    if (fd < 0) {
        fail_msg("cannot make a temporary file from %s", tmpl);
    }
    close(fd);
    if (!g_file_set_contents(path, data, len, NULL)) {
        fail_msg("cannot write %s", path);
    }
    return path;
}

void tmpfile_remove(char *path)
{
    if (path) {
        g_unlink(path);
        g_free(path);
    }
}
