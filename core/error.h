/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * error.h - errors that travel to the caller instead of ending the process.
 *
 * A function that can fail takes "Error **errp" last, returns false (or NULL)
 * and sets *errp with error_setg().  Callers pass NULL to ignore, a local
 * Error * to inspect, or - in a program's main() only - &error_fatal (report
 * and exit 1) or &error_abort (report and abort: a bug).
 *
 * An error remembers where it was raised from the user's point of view: the
 * command-line option or config file line current when error_setg() ran (see
 * loc_*).  error_get_pretty() returns "LOCATION: message".
 *
 * Everything printed is one line whatever the input held: error_get_pretty()
 * and the *_report() functions escape control characters (see
 * error_escape_controls()); error_get_message() keeps the raw bytes.
 */
#ifndef TERN_ERROR_H
#define TERN_ERROR_H

#include <stdarg.h>
#include <stdbool.h>

typedef struct Error Error;

/* Pass &error_fatal or &error_abort as errp from main() only. */
extern Error *error_fatal;
extern Error *error_abort;

void error_setg_internal(Error **errp, const char *src, int line, const char *func, const char *fmt,
                         ...) __attribute__((format(printf, 5, 6)));
void error_setg_errno_internal(Error **errp, const char *src, int line, const char *func,
                               int os_errno, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#define error_setg(errp, ...) error_setg_internal((errp), __FILE__, __LINE__, __func__, __VA_ARGS__)
#define error_setg_errno(errp, os_errno, ...)                                                      \
    error_setg_errno_internal((errp), __FILE__, __LINE__, __func__, (os_errno), __VA_ARGS__)

/* Moves local into *dst (or frees it if dst is NULL or already set). */
void error_propagate(Error **dst, Error *local);
/* Prefixes the message of *errp (if set) with the formatted text. */
void error_prepend(Error **errp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void error_propagate_prepend(Error **dst, Error *local, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The message alone, without location. */
const char *error_get_message(const Error *err);
/* The location prefix ("-m 12Q", "tern.cfg:3"), or NULL. */
const char *error_get_location(const Error *err);
/*
 * "LOCATION: message", or the message when there is no location, with its
 * control characters escaped: one line for any input.
 */
const char *error_get_pretty(const Error *err);
/*
 * A copy of text (caller frees; NULL for NULL) safe to print as part of one
 * line: \n \r \t become those two characters; other C0 controls, DEL, C1
 * controls (U+0080-U+009F), U+2028/U+2029 and bytes that are not valid
 * UTF-8 become \xNN per byte.  Backslashes and other UTF-8 are kept, so text
 * without such characters is returned unchanged.
 */
char *error_escape_controls(const char *text);
/* Source position that raised it (for debugging and tests). */
const char *error_get_source(const Error *err, int *line);

Error *error_copy(const Error *err);
void error_free(Error *err);
/* Frees *errp and sets it to NULL; aborts if it was not set (for tests). */
void error_free_or_abort(Error **errp);

/*
 * What goes before "tern: " on every report (QEMU's -msg): the host's UTC
 * time when timestamp is set, then guest_name (NULL: none).  Reset with
 * (false, NULL).
 */
void error_set_report_prefix(bool timestamp, const char *guest_name);
/* Prints "tern: LOCATION: message" as one line on stderr and frees err. */
void error_report_err(Error *err);
/* Prints "tern: [current location: ]message" on stderr. */
void error_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void info_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A bug in Tern's own code (a type or device declared wrongly), never
 * something a user, guest or host file caused: prints "tern: WHAT misuse:
 * message" on stderr and aborts.  The object model ("object model") and the
 * device model ("device model") report through it.
 */
__attribute__((noreturn)) void tern_bug(const char *what, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Where output of error_report & co. goes; stderr when NULL (tests capture it). */
#include <stdio.h>
void error_set_report_stream(FILE *stream);

/*
 * Locations: a stack of "where are we reading input from".  Option parsing
 * sets the current option; the config reader sets file and line.
 */
typedef enum { LOC_NONE, LOC_CMDLINE, LOC_FILE } LocationKind;

typedef struct Location {
    LocationKind kind;
    int num;         /* LOC_CMDLINE: argument count; LOC_FILE: line number */
    const void *ptr; /* LOC_CMDLINE: char **argv at the option; LOC_FILE: file name */
    struct Location *prev;
} Location;

Location *loc_push_none(Location *loc);
Location *loc_pop(Location *loc);
/* Sets the current location to the option argv[idx] and its cnt-1 arguments. */
void loc_set_cmdline(char **argv, int idx, int cnt);
void loc_set_file(const char *fname, int lno);
void loc_set_none(void);
/* The current location as text (caller frees), or NULL for none. */
char *loc_to_string(void);

/*
 * fn runs before each error_report() line and each -d log line: a writer
 * that holds lines for the same file (the qtest log, written per input
 * chunk) writes them out first, so lines of both keep their order.  It
 * also runs before tern_bug() and error_free_or_abort() abort, and before
 * &error_abort / &error_fatal end the process.  NULL for none.
 */
void error_set_before_write(void (*fn)(void));
void error_before_write(void);

#endif
