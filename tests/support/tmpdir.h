/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tmpdir.h - a temporary directory per test for images, sockets, logs and
 * config files, removed with what the test left in it.  Files only: a test
 * that makes subdirectories removes them itself.  tmpfile_ is for a lone
 * file.  Part of the test support library (tests/support).
 */
#ifndef TERN_TEST_TMPDIR_H
#define TERN_TEST_TMPDIR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A fresh directory from tmpl ("tern-NAME-XXXXXX"); the test fails if none can be made. */
char *tmpdir_new(const char *tmpl);
/* Writes len bytes of data as the file name in dir; returns its path (caller frees). */
char *tmpdir_write(const char *dir, const char *name, const void *data, size_t len);
/* A file of len bytes where byte i is pattern(i); returns its path (caller frees). */
char *tmpdir_write_pattern(const char *dir, const char *name, size_t len,
                           uint8_t (*pattern)(uint64_t i));
/* Removes the files in dir (read-only ones too) and dir itself, then frees dir; NULL: nothing. */
void tmpdir_remove(char *dir);

/*
 * One file, for a test that needs a single image or config file and no
 * directory: made from tmpl ("tern-NAME-XXXXXX") in the system's temporary
 * directory, holding len bytes of data (len < 0: data is a string, without
 * its NUL).  Returns its path; the test fails if it cannot be written.
 */
char *tmpfile_new(const char *tmpl, const void *data, ssize_t len);
/* Removes the file at path and frees path; NULL: nothing. */
void tmpfile_remove(char *path);

#endif
