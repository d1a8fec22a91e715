/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.h - trace events, as QEMU's "log" back end (docs/trace.md).
 *
 * An event is a static TraceEvent defined in the file that emits it, with
 * its format and a typed inline emitter:
 *
 *   TRACE_EVENT(serial_write, "addr 0x%" PRIx64 " (%s) value 0x%02x",
 *               (uint64_t addr, const char *reg, unsigned value), (addr, reg, value))
 *   ...
 *   trace_serial_write(addr, uart_reg_name(s, addr), value);
 *
 * A constructor puts the event on the registry before main(); the registry
 * lists events sorted by name.  A disabled event costs one predictable branch
 * on its `enabled` flag: no formatting and no call (keep the arguments cheap
 * expressions, table look-ups rather than function calls, so the compiler
 * sinks them into the branch).  With -Dtrace=false (TERN_TRACE_DISABLED)
 * the emitters are empty and no event exists.  Every event takes at least
 * one argument.
 *
 * A line is "NAME ARGS\n", with "0@SEC.USEC:" (the virtual clock) in front
 * under -msg timestamp=on; it goes to the -trace file=FILE, else to the log
 * (-D FILE, else stderr), one write per line.  This file knows nothing of
 * the devices that emit events.
 */
#ifndef TERN_TRACE_H
#define TERN_TRACE_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

typedef struct TraceEvent {
    const char *name;
    bool enabled;
    struct TraceEvent *next; /* registration list (the registry sorts it) */
} TraceEvent;

/* Called by the TRACE_EVENT constructors; ev must live for the whole process. */
void trace_event_register(TraceEvent *ev);

/* Formats and writes one line for ev (the emitters call it when ev is enabled). */
void trace_event_emit(TraceEvent *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define TRACE_UNPAREN(...) __VA_ARGS__

/*
 * For the rare trace point whose arguments cost a call: compute them only
 * when trace_event_enabled(name) is true.
 */
#ifdef TERN_TRACE_DISABLED
#define TRACE_EVENT(event, fmt, params, args)                                                      \
    static inline void trace_##event params                                                        \
    {                                                                                              \
    }
#define trace_event_enabled(event) 0
#else
#define trace_event_enabled(event) __builtin_expect(trace_event_##event.enabled, 0)
#define TRACE_EVENT(event, fmt, params, args)                                                      \
    static TraceEvent trace_event_##event = {.name = #event};                                      \
    static void __attribute__((constructor)) trace_event_register_##event(void)                    \
    {                                                                                              \
        trace_event_register(&trace_event_##event);                                                \
    }                                                                                              \
    static inline void trace_##event params                                                        \
    {                                                                                              \
        if (__builtin_expect(trace_event_##event.enabled, 0)) {                                    \
            trace_event_emit(&trace_event_##event, fmt, TRACE_UNPAREN args);                       \
        }                                                                                          \
    }
#endif

/* The registered events sorted by name (owned by the registry; NULL-terminated). */
TraceEvent *const *trace_event_list(size_t *count);
/* The event called name, or NULL. */
TraceEvent *trace_event_find(const char *name);
/* True if name has glob characters ('*' or '?'), as QEMU decides. */
bool trace_event_is_pattern(const char *name);

/*
 * One line of QEMU's -trace enable= / events file syntax: a glob, with a
 * leading '-' disabling.  A name without glob characters that is no event
 * gives QEMU's warning; a glob that matches nothing is silent, as in QEMU.
 * Returns the number of events changed.
 */
size_t trace_enable_events(const char *line);
/* Reads an events file: one pattern per line, '#' comments and blank lines skipped. */
bool trace_read_events_file(const char *path, Error **errp);
/* Writes the event names, one per line, as QEMU's -trace help. */
void trace_list_events(void);

/*
 * The whole -trace argument: PATTERN, enable=PATTERN, events=FILE,
 * file=FILE, or help.  *printed is set when help was written (start-up ends).
 */
bool trace_opt_parse(const char *arg, bool *printed, Error **errp);

/* The output for trace lines: FILE (truncated), or NULL for the log. */
bool trace_set_file(const char *path, Error **errp);
/*
 * -msg timestamp=on: prefix each line with "0@SEC.USEC:" of clock_ns() (vl.c passes the
 * virtual clock; NULL: no prefix).  trace.c depends on no other module, so
 * the clock and the log come from whoever starts the machine.
 */
void trace_set_timestamp(int64_t (*clock_ns)(void));
/* Where lines go without -trace file=: the -D log (vl.c); NULL: stderr. */
void trace_set_log_output(void (*write_fn)(const char *buf, size_t len));
/* Disables every event, closes the trace file, drops the clock and the log (tern_cleanup). */
void trace_reset(void);

#endif
