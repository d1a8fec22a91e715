/*
 * logcapture.h - capture what a device logs under -d guest_errors, so a
 * test can check that bad guest programming was reported.  Header-only.
 */
#ifndef TERN_TEST_LOGCAPTURE_H
#define TERN_TEST_LOGCAPTURE_H

#include <unistd.h>
#include <glib.h>

#include "core/log.h"

static char *logcapture_path;

/* Sends the guest-error log to a fresh temporary file. */
static inline void logcapture_begin(void)
{
    int fd = g_file_open_tmp("tern-log-XXXXXX", &logcapture_path, NULL);

    close(fd);
    if (!log_set_file(logcapture_path, NULL)) {
        g_error("logcapture: cannot log to %s", logcapture_path);
    }
    log_set_mask(LOG_GUEST_ERROR);
}

/* Stops logging; returns everything logged since begin (caller frees). */
static inline char *logcapture_end(void)
{
    char *text = NULL;

    log_reset();
    if (!logcapture_path || !g_file_get_contents(logcapture_path, &text, NULL, NULL)) {
        text = g_strdup("");
    }
    if (logcapture_path) {
        unlink(logcapture_path);
    }
    g_free(logcapture_path);
    logcapture_path = NULL;
    return text;
}

#endif
