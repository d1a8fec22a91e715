/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log-capture.c - see log-capture.h.  Both captures go through a temporary
 * file: the log module and stdio write to a path or a descriptor, not to a
 * memory buffer.  A stream handed to a function is a memory stream.
 */
#include "tests/support/log-capture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "core/log.h"

static char *log_path;
static char *stdout_path;
static int stdout_saved = -1;

static char *slurp(const char *path)
{
    char *text = NULL;

    if (!path || !g_file_get_contents(path, &text, NULL, NULL)) {
        text = g_strdup("");
    }
    return text;
}

static void drop(char **path)
{
    if (*path) {
        unlink(*path);
        g_free(*path);
        *path = NULL;
    }
}

void logcapture_begin(void)
{
    int fd;

    drop(&log_path);
    fd = g_file_open_tmp("tern-log-XXXXXX", &log_path, NULL);
    if (fd < 0) {
        fail_msg("logcapture: cannot create a temporary file");
    }
    close(fd);
    if (!log_set_file(log_path, NULL)) {
        fail_msg("logcapture: cannot log to %s", log_path);
    }
    log_set_mask(LOG_GUEST_ERROR);
}

char *logcapture_peek(void)
{
    return slurp(log_path);
}

char *logcapture_end(void)
{
    char *text;

    log_reset();
    text = slurp(log_path);
    drop(&log_path);
    return text;
}

void logcapture_cancel(void)
{
    if (log_path) {
        g_free(logcapture_end());
    }
}

void logcapture_assert_contains(char *text, const char *needle)
{
    if (!strstr(text, needle)) {
        fail_msg("log '%s' does not contain '%s'", text, needle);
    }
    g_free(text);
}

void logcapture_assert_logged(const char *needle)
{
    logcapture_assert_contains(logcapture_peek(), needle);
}

void capture_stdout_begin(void)
{
    int fd = g_file_open_tmp("tern-stdout-XXXXXX", &stdout_path, NULL);

    if (fd < 0) {
        fail_msg("capture_stdout: cannot create a temporary file");
    }
    fflush(stdout);
    stdout_saved = dup(STDOUT_FILENO);
    dup2(fd, STDOUT_FILENO);
    close(fd);
}

char *capture_stdout_end(void)
{
    char *text;

    fflush(stdout);
    if (stdout_saved >= 0) {
        dup2(stdout_saved, STDOUT_FILENO);
        close(stdout_saved);
        stdout_saved = -1;
    }
    text = slurp(stdout_path);
    drop(&stdout_path);
    return text;
}

FILE *stream_capture_begin(StreamCapture *c)
{
    c->text = NULL;
    c->len = 0;
    c->file = open_memstream(&c->text, &c->len);
    if (!c->file) {
        fail_msg("stream_capture: open_memstream failed");
    }
    return c->file;
}

char *stream_capture_end(StreamCapture *c)
{
    char *text;

    fclose(c->file);
    c->file = NULL;
    text = c->text;
    c->text = NULL;
    return text;
}
