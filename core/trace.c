/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.c - the trace event registry, the -trace option and the line
 * writer (see trace.h and docs/trace.md).  Not here: the events themselves
 * (each file defines its own) and the QMP commands (qtest/qmp.c).
 *
 * Differences from QEMU 7.2: events are listed sorted by name (QEMU lists
 * them in build order); the -msg timestamp=on prefix has QEMU's shape,
 * "PID@SEC.USEC:", with PID 0 and the virtual clock (QEMU: the thread id and
 * the host clock), so that two runs give the same trace; -trace file=FILE
 * takes trace lines only (QEMU's log
 * back end moves the whole -D log there).
 */
#include "core/trace.h"

#include "core/cutils.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

static TraceEvent *registered; /* in registration order, newest first */
static size_t registered_count;
static TraceEvent **sorted; /* NULL until asked for, after a registration */
static FILE *trace_file;
static int64_t (*trace_clock_ns)(void); /* -msg timestamp=on: the virtual clock; NULL: none */
static void (*trace_log_output)(const char *buf, size_t len); /* NULL: stderr */

void trace_event_register(TraceEvent *ev)
{
    ev->next = registered;
    registered = ev;
    registered_count++;
    g_free(sorted);
    sorted = NULL;
}

static int compare_events(const void *a, const void *b)
{
    const TraceEvent *ea = *(TraceEvent *const *)a;
    const TraceEvent *eb = *(TraceEvent *const *)b;

    return strcmp(ea->name, eb->name);
}

TraceEvent *const *trace_event_list(size_t *count)
{
    if (!sorted) {
        size_t i = 0;

        sorted = g_new0(TraceEvent *, registered_count + 1);
        for (TraceEvent *ev = registered; ev; ev = ev->next) {
            sorted[i++] = ev;
        }
        qsort(sorted, registered_count, sizeof(*sorted), compare_events);
    }
    if (count) {
        *count = registered_count;
    }
    return sorted;
}

TraceEvent *trace_event_find(const char *name)
{
    for (TraceEvent *ev = registered; ev; ev = ev->next) {
        if (!strcmp(ev->name, name)) {
            return ev;
        }
    }
    return NULL;
}

bool trace_event_is_pattern(const char *name)
{
    return strchr(name, '*') || strchr(name, '?');
}

size_t trace_enable_events(const char *line)
{
    bool enable = line[0] != '-';
    const char *pattern = enable ? line : line + 1;
    TraceEvent *const *list = trace_event_list(NULL);
    size_t changed = 0;

    if (!trace_event_is_pattern(pattern)) {
        TraceEvent *ev = trace_event_find(pattern);

        if (!ev) {
            warn_report("trace event '%s' does not exist", pattern);
            return 0;
        }
        ev->enabled = enable;
        return 1;
    }
    for (size_t i = 0; list[i]; i++) {
        if (g_pattern_match_simple(pattern, list[i]->name)) {
            list[i]->enabled = enable;
            changed++;
        }
    }
    return changed;
}

bool trace_read_events_file(const char *path, Error **errp)
{
    Location loc;
    FILE *f = fopen(path, "r");
    char buf[1024];
    int lineno = 0;
    int err = errno;

    loc_push_none(&loc);
    if (!f) {
        /* QEMU's words: the file as the location, then the reason. */
        loc_set_file(path, 0);
        error_setg(errp, "%s", g_strerror(err));
        loc_pop(&loc);
        return false;
    }
    while (fgets(buf, sizeof(buf), f)) {
        size_t len = strcspn(buf, "\r\n");

        loc_set_file(path, ++lineno);
        buf[len] = '\0';
        if (len == 0 || buf[0] == '#') {
            continue;
        }
        trace_enable_events(buf);
    }
    if (ferror(f)) {
        err = errno;
        loc_set_file(path, 0);
        error_setg(errp, "%s", g_strerror(err));
        loc_pop(&loc);
        fclose(f);
        return false;
    }
    loc_pop(&loc);
    fclose(f);
    return true;
}

void trace_list_events(void)
{
    TraceEvent *const *list = trace_event_list(NULL);

    for (size_t i = 0; list[i]; i++) {
        printf("%s\n", list[i]->name);
    }
}

static bool is_help(const char *s)
{
    return !strcmp(s, "help") || !strcmp(s, "?");
}

bool trace_opt_parse(const char *arg, bool *printed, Error **errp)
{
    gchar **parts = g_strsplit(arg, ",", -1);
    const char *enable = NULL, *events = NULL, *file = NULL;
    bool ok = true;

    *printed = false;
    for (gchar **p = parts; *p && ok; p++) {
        char *eq = strchr(*p, '=');

        if (!eq && p == parts) {
            enable = *p; /* the implied key, as QEMU's */
            continue;
        }
        if (eq) {
            *eq = '\0';
        }
        if (eq && !strcmp(*p, "enable")) {
            enable = eq + 1;
        } else if (eq && !strcmp(*p, "events")) {
            events = eq + 1;
        } else if (eq && !strcmp(*p, "file")) {
            file = eq + 1;
        } else {
            error_setg(errp, "Invalid parameter '%s'", *p);
            ok = false;
        }
    }
    if (ok && enable && is_help(enable)) {
        trace_list_events();
        *printed = true;
    } else if (ok) {
        if (enable) {
            trace_enable_events(enable);
        }
        ok = (!events || trace_read_events_file(events, errp)) &&
             (!file || trace_set_file(file, errp));
    }
    g_strfreev(parts);
    return ok;
}

bool trace_set_file(const char *path, Error **errp)
{
    FILE *f = NULL;

    if (path) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

        f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f) {
            Location loc;

            /* QEMU's words, and no location (QEMU names the file only). */
            loc_push_none(&loc);
            error_setg_errno(errp, errno, "Error opening logfile %s", path);
            loc_pop(&loc);
            if (fd >= 0) {
                close(fd);
            }
            return false;
        }
        setvbuf(f, NULL, _IOLBF, 0);
    }
    if (trace_file) {
        fclose(trace_file);
    }
    trace_file = f;
    return true;
}

void trace_set_timestamp(int64_t (*clock_ns)(void))
{
    trace_clock_ns = clock_ns;
}

void trace_set_log_output(void (*write_fn)(const char *buf, size_t len))
{
    trace_log_output = write_fn;
}

/* stderr, one write per line (so that other writers' lines never land inside it). */
static void trace_write_stderr(const char *buf, size_t len)
{
    write_full(STDERR_FILENO, buf, len);
}

void trace_event_emit(TraceEvent *ev, const char *fmt, ...)
{
    char stack[512];
    char *buf = stack;
    size_t len = 0;
    va_list ap;
    int n;

    if (trace_clock_ns) {
        int64_t now = trace_clock_ns();

        /*
         * QEMU's log back end's shape, PID@SEC.USEC:, with a fixed PID of 0 and the virtual
         * clock in place of the host's, so that two runs give the same lines.
         */
        len = (size_t)snprintf(buf, sizeof(stack), "0@%" PRId64 ".%06" PRId64 ":", now / 1000000000,
                               now % 1000000000 / 1000);
    }
    len += (size_t)snprintf(buf + len, sizeof(stack) - len, "%s ", ev->name);
    va_start(ap, fmt);
    n = vsnprintf(buf + len, sizeof(stack) - len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        n = 0; /* an encoding error: the line without its arguments */
        buf[len] = '\0';
    }
    if ((size_t)n + 1 >= sizeof(stack) - len) {
        /* A long line: the whole of it, from the heap. */
        char *tail;

        va_start(ap, fmt);
        tail = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        buf = g_strdup_printf("%.*s%s\n", (int)len, stack, tail);
        g_free(tail);
        len = strlen(buf);
    } else {
        len += (size_t)n;
        buf[len++] = '\n';
    }
    if (trace_file) {
        fwrite(buf, 1, len, trace_file);
    } else if (trace_log_output) {
        trace_log_output(buf, len);
    } else {
        trace_write_stderr(buf, len);
    }
    if (buf != stack) {
        g_free(buf);
    }
}

void trace_reset(void)
{
    TraceEvent *const *list = trace_event_list(NULL);

    for (size_t i = 0; list[i]; i++) {
        list[i]->enabled = false;
    }
    trace_set_file(NULL, NULL);
    trace_clock_ns = NULL;
    trace_log_output = NULL;
}
