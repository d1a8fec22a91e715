/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log-capture.h - what a test reads back from the output it provoked: the
 * guest-error log (-d guest_errors) of a device fed bad programming, and the
 * text a function prints on stdout (help output), kept out of the TAP
 * stream, and what a function prints to a FILE * it is given.  The one copy for every test program
 * (tests/support).
 *
 * One capture of each kind at a time; each begin needs its end (or
 * logcapture_cancel() in a teardown, which is safe when nothing runs).
 */
#ifndef TERN_TEST_LOG_CAPTURE_H
#define TERN_TEST_LOG_CAPTURE_H

#include <stddef.h>
#include <stdio.h>

/* Sends the guest-error log (mask LOG_GUEST_ERROR) to a fresh temporary file. */
void logcapture_begin(void);
/* Everything logged since begin, logging still on (caller frees). */
char *logcapture_peek(void);
/* Stops logging (log_reset) and returns everything logged since begin (caller frees). */
char *logcapture_end(void);
/* Stops logging and drops the text; nothing happens when no capture runs. */
void logcapture_cancel(void);
/* Fails the test unless text contains needle; frees text. */
void logcapture_assert_contains(char *text, const char *needle);
/* logcapture_assert_contains(logcapture_peek(), needle). */
void logcapture_assert_logged(const char *needle);

/* Redirects stdout (the file descriptor and the stdio stream) into a temporary file. */
void capture_stdout_begin(void);
/* Puts stdout back and returns what was printed since begin (caller frees). */
char *capture_stdout_end(void);

/*
 * A stdio stream that collects into memory, for functions that print to a
 * FILE * they are given (config_write, the error-report stream).
 */
typedef struct StreamCapture {
    FILE *file;
    char *text;
    size_t len;
} StreamCapture;

/* Opens the stream; the test fails if it cannot. */
FILE *stream_capture_begin(StreamCapture *c);
/* Closes it and returns what was written (caller frees with free()). */
char *stream_capture_end(StreamCapture *c);

#endif
