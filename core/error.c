/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * error.c - Error objects, locations and the one-line reports of main().
 *
 * Not here: deciding to exit.  Only &error_fatal / &error_abort, which only
 * main() passes, end the process.
 *
 * One line for any input: an error quotes what the user wrote (an option
 * value, a file name, a config line), and that may hold a newline.  What is
 * printed - error_get_pretty(), error_report() and friends - therefore has
 * its control characters escaped (error_escape_controls()); the message
 * itself (error_get_message()) keeps the bytes, for callers that encode it
 * their own way (QMP's JSON).
 */
#include "core/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

struct Error {
    char *msg;      /* the message alone */
    char *location; /* user-facing location, or NULL */
    char *pretty;   /* cached "location: msg" */
    const char *src;
    const char *func;
    int line;
};

Error *error_fatal;
Error *error_abort;

static FILE *report_stream;

void error_set_report_stream(FILE *stream)
{
    report_stream = stream;
}

static void (*before_write)(void);

void error_set_before_write(void (*fn)(void))
{
    before_write = fn;
}

void error_before_write(void)
{
    if (before_write) {
        before_write();
    }
}

static FILE *error_stream(void)
{
    error_before_write();
    return report_stream ? report_stream : stderr;
}

/* -msg timestamp=on and -msg guest-name=on with -name: what goes before "tern: ". */
static bool report_timestamp;
static char *report_guest_name;

void error_set_report_prefix(bool timestamp, const char *guest_name)
{
    report_timestamp = timestamp;
    g_free(report_guest_name);
    report_guest_name = g_strdup(guest_name);
}

/*
 * The host's UTC time as QEMU writes it ("2026-12-02T21:44:38.962686Z "),
 * then the guest's name; empty unless asked for.  Host time only reaches
 * stderr, and only when the user asked for it.
 */
static char *report_prefix(void)
{
    GString *prefix = g_string_new(NULL);

    if (report_timestamp) {
        gint64 now = g_get_real_time();
        GDateTime *dt = g_date_time_new_from_unix_utc(now / G_USEC_PER_SEC);
        char *date = dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S") : NULL;

        if (date) {
            g_string_append_printf(prefix, "%s.%06dZ ", date, (int)(now % G_USEC_PER_SEC));
        }
        g_free(date);
        if (dt) {
            g_date_time_unref(dt);
        }
    }
    if (report_guest_name) {
        g_string_append_printf(prefix, "%s ", report_guest_name);
    }
    return g_string_free(prefix, FALSE);
}

/* ---- one line ------------------------------------------------------------ */

/*
 * The character at p: its length in bytes (*len) and whether it must be
 * escaped to keep a report on one line of a terminal.  That is every C0
 * control and DEL, every C1 control (U+0080-U+009F, NEL among them), the
 * Unicode line and paragraph separators (U+2028, U+2029), and each byte that
 * does not start valid UTF-8 (a C1 control's raw byte, a Latin-1 file name).
 */
static bool char_needs_escape(const unsigned char *p, size_t *len)
{
    gunichar c;

    *len = 1;
    if (*p < 0x80) {
        return *p < 0x20 || *p == 0x7f;
    }
    c = g_utf8_get_char_validated((const char *)p, -1);
    if (c == (gunichar)-1 || c == (gunichar)-2) {
        return true;
    }
    *len = (size_t)(g_utf8_next_char(p) - (const char *)p);
    return (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029;
}

/*
 * \n, \r and \t as those two characters, every other character of
 * char_needs_escape() as \xNN per byte.  A backslash stays as it is: text
 * without such characters prints exactly as before, and the goal is one
 * line, not a reversible encoding.  Other UTF-8 (accents, CJK) stays too.
 */
static void append_escaped(GString *out, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;

    while (*p) {
        size_t len;

        if (!char_needs_escape(p, &len)) {
            g_string_append_len(out, (const char *)p, (gssize)len);
        } else if (*p == '\n') {
            g_string_append(out, "\\n");
        } else if (*p == '\r') {
            g_string_append(out, "\\r");
        } else if (*p == '\t') {
            g_string_append(out, "\\t");
        } else {
            for (size_t i = 0; i < len; i++) {
                g_string_append_printf(out, "\\x%02x", p[i]);
            }
        }
        p += len;
    }
}

char *error_escape_controls(const char *text)
{
    GString *out;

    if (!text) {
        return NULL;
    }
    out = g_string_sized_new(strlen(text) + 8);
    append_escaped(out, text);
    return g_string_free(out, FALSE);
}

/* ---- locations ---------------------------------------------------------- */

static Location std_loc = {.kind = LOC_NONE};
static Location *cur_loc = &std_loc;

Location *loc_push_none(Location *loc)
{
    loc->kind = LOC_NONE;
    loc->num = 0;
    loc->ptr = NULL;
    loc->prev = cur_loc;
    cur_loc = loc;
    return loc;
}

Location *loc_pop(Location *loc)
{
    if (cur_loc == loc && loc->prev) {
        cur_loc = loc->prev;
        loc->prev = NULL;
    }
    return loc;
}

void loc_set_cmdline(char **argv, int idx, int cnt)
{
    cur_loc->kind = LOC_CMDLINE;
    cur_loc->num = cnt;
    cur_loc->ptr = argv + idx;
}

void loc_set_file(const char *fname, int lno)
{
    cur_loc->kind = LOC_FILE;
    cur_loc->num = lno;
    cur_loc->ptr = fname;
}

void loc_set_none(void)
{
    cur_loc->kind = LOC_NONE;
    cur_loc->ptr = NULL;
}

char *loc_to_string(void)
{
    GString *s;

    switch (cur_loc->kind) {
    case LOC_CMDLINE: {
        char *const *argp = cur_loc->ptr;
        s = g_string_new(NULL);
        for (int i = 0; i < cur_loc->num; i++) {
            g_string_append_printf(s, "%s%s", i ? " " : "", argp[i]);
        }
        return g_string_free(s, FALSE);
    }
    case LOC_FILE:
        if (cur_loc->num > 0) {
            return g_strdup_printf("%s:%d", (const char *)cur_loc->ptr, cur_loc->num);
        }
        return g_strdup(cur_loc->ptr);
    case LOC_NONE:
    default:
        return NULL;
    }
}

/* ---- errors ------------------------------------------------------------- */

static void error_handle_special(Error **errp, Error *err)
{
    if (errp == &error_abort) {
        fprintf(error_stream(), "tern: unexpected error at %s:%d (%s): %s\n", err->src, err->line,
                err->func, error_get_pretty(err));
        abort();
    }
    if (errp == &error_fatal) {
        error_report_err(err);
        exit(1);
    }
}

static void error_setv(Error **errp, const char *src, int line, const char *func, const char *fmt,
                       va_list ap, const char *suffix)
{
    Error *err;

    if (!errp) {
        return;
    }
    /* The first error wins: a second one is a bug in the caller, keep the first. */
    if (errp != &error_abort && errp != &error_fatal && *errp) {
        return;
    }
    err = g_new0(Error, 1);
    err->msg = g_strdup_vprintf(fmt, ap);
    if (suffix) {
        char *full = g_strdup_printf("%s: %s", err->msg, suffix);
        g_free(err->msg);
        err->msg = full;
    }
    err->location = loc_to_string();
    err->src = src;
    err->line = line;
    err->func = func;
    error_handle_special(errp, err);
    *errp = err;
}

void error_setg_internal(Error **errp, const char *src, int line, const char *func, const char *fmt,
                         ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, src, line, func, fmt, ap, NULL);
    va_end(ap);
}

void error_setg_errno_internal(Error **errp, const char *src, int line, const char *func,
                               int os_errno, const char *fmt, ...)
{
    va_list ap;
    int saved = errno;

    va_start(ap, fmt);
    error_setv(errp, src, line, func, fmt, ap, os_errno ? strerror(os_errno) : NULL);
    va_end(ap);
    errno = saved;
}

void error_propagate(Error **dst, Error *local)
{
    if (!local) {
        return;
    }
    error_handle_special(dst, local);
    if (dst && !*dst) {
        *dst = local;
    } else {
        error_free(local);
    }
}

static void error_vprepend(Error **errp, const char *fmt, va_list ap)
{
    char *prefix, *msg;

    if (!errp || !*errp) {
        return;
    }
    prefix = g_strdup_vprintf(fmt, ap);
    msg = g_strconcat(prefix, (*errp)->msg, NULL);
    g_free(prefix);
    g_free((*errp)->msg);
    (*errp)->msg = msg;
    g_clear_pointer(&(*errp)->pretty, g_free);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vprepend(errp, fmt, ap);
    va_end(ap);
}

void error_propagate_prepend(Error **dst, Error *local, const char *fmt, ...)
{
    va_list ap;

    if (!local) {
        return;
    }
    if (dst && dst != &error_fatal && dst != &error_abort && *dst) {
        error_free(local);
        return;
    }
    va_start(ap, fmt);
    error_vprepend(&local, fmt, ap);
    va_end(ap);
    error_propagate(dst, local);
}

const char *error_get_message(const Error *err)
{
    return err->msg;
}

const char *error_get_location(const Error *err)
{
    return err->location;
}

const char *error_get_pretty(const Error *err)
{
    Error *e = (Error *)err;

    if (!e->pretty) {
        char *raw = e->location ? g_strdup_printf("%s: %s", e->location, e->msg) : g_strdup(e->msg);

        e->pretty = error_escape_controls(raw);
        g_free(raw);
    }
    return e->pretty;
}

const char *error_get_source(const Error *err, int *line)
{
    if (line) {
        *line = err->line;
    }
    return err->src;
}

Error *error_copy(const Error *err)
{
    Error *copy = g_new0(Error, 1);

    copy->msg = g_strdup(err->msg);
    copy->location = g_strdup(err->location);
    copy->src = err->src;
    copy->line = err->line;
    copy->func = err->func;
    return copy;
}

void error_free(Error *err)
{
    if (!err) {
        return;
    }
    g_free(err->msg);
    g_free(err->location);
    g_free(err->pretty);
    g_free(err);
}

void error_free_or_abort(Error **errp)
{
    if (!errp || !*errp) {
        error_before_write(); /* held log lines, the request at fault among them */
        abort();
    }
    error_free(*errp);
    *errp = NULL;
}

void tern_bug(const char *what, const char *fmt, ...)
{
    va_list ap;

    error_before_write(); /* held log lines, the request at fault among them */
    fflush(stdout);
    fprintf(stderr, "tern: %s misuse: ", what);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

void error_report_err(Error *err)
{
    char *prefix = report_prefix();

    fprintf(error_stream(), "%stern: %s\n", prefix, error_get_pretty(err));
    g_free(prefix);
    error_free(err);
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    char *loc = loc_to_string();
    char *msg = g_strdup_vprintf(fmt, ap);
    char *line = g_strdup_printf("%s%s%s%s", kind, loc ? loc : "", loc ? ": " : "", msg);
    char *shown = error_escape_controls(line);
    char *prefix = report_prefix();

    fprintf(error_stream(), "%stern: %s\n", prefix, shown);
    g_free(prefix);
    g_free(shown);
    g_free(line);
    g_free(loc);
    g_free(msg);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("info: ", fmt, ap);
    va_end(ap);
}
