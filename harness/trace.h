/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.h - the trace format of docs/replay.md: parsing, writing, and the
 * replay checker.
 *
 * A Trace is a list of events in file order.  trace_load reads a versioned
 * trace, a plain qtest script or a fuzzer's bash reproducer; every error
 * names the file and line.  trace_replay builds the machine in this process
 * from the trace's command line (tern_init under REPLAY_MODE_REPLAY), feeds
 * the inputs and checks every output, checkpoint and the exit status; the
 * first divergence is reported as a TraceResult.  One replay per process at
 * a time (the core is one machine): the runner forks a child per trace.
 */
#ifndef TERN_TRACE_H
#define TERN_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "core/error.h"

/* The chardev -qtest makes (core/vl.c): a script's commands go to it. */
#define TRACE_QTEST_CHARDEV "qtest"

typedef enum {
    TRACE_ARGS,       /* args WORDS */
    TRACE_IN,         /* in ID TEXT */
    TRACE_OUT,        /* out ID TEXT */
    TRACE_OPEN,       /* open ID */
    TRACE_CLOSE,      /* close ID */
    TRACE_TIME,       /* time NS */
    TRACE_ICOUNT,     /* icount N */
    TRACE_ENTROPY,    /* entropy ID HEX */
    TRACE_HOSTCLOCK,  /* hostclock NS */
    TRACE_CHECKPOINT, /* checkpoint HEX */
    TRACE_ERROR,      /* error TEXT */
    TRACE_SIGNAL,     /* signal N */
    TRACE_EXIT,       /* exit N */
} TraceKind;

typedef struct TraceEvent {
    TraceKind kind;
    int line;         /* 1-based line in the file it came from (0: made by a program) */
    char *id;         /* IN, OUT, OPEN, CLOSE, ENTROPY */
    GByteArray *data; /* IN, OUT, ENTROPY: the decoded bytes */
    char *text;       /* ARGS (the quoted words), CHECKPOINT (hex), ERROR */
    int64_t value;    /* TIME, ICOUNT, HOSTCLOCK, SIGNAL, EXIT */
} TraceEvent;

typedef enum {
    TRACE_SOURCE_TRACE,  /* tern-trace 1 */
    TRACE_SOURCE_SCRIPT, /* a plain qtest script */
    TRACE_SOURCE_BASH,   /* a fuzzer's bash reproducer */
} TraceSource;

typedef struct Trace {
    char *path;
    TraceSource source;
    GPtrArray *events;   /* TraceEvent *, owned */
    GPtrArray *comments; /* the "# ..." lines before the first event (kept by --update) */
} Trace;

/*
 * Reads path.  default_args: the command line of a script without one
 * (NULL: "-M virt -nodefaults -accel qtest"); " -qtest stdio" is appended
 * to a script's or reproducer's command line.  Errors: "FILE:LINE: what was wrong".
 */
Trace *trace_load(const char *path, const char *default_args, Error **errp);
Trace *trace_parse(const char *path, const char *text, size_t len, const char *default_args,
                   Error **errp);
void trace_free(Trace *t);
/* An empty versioned trace (events are added by the caller, args first). */
Trace *trace_new_empty(const char *path);
TraceEvent *trace_event_new(TraceKind kind, int line);
const char *trace_kind_name(TraceKind kind);
/* One event's trace lines; in/out data split at its newlines. */
void trace_format_event(GString *out, const TraceEvent *e);
void trace_format_data(GString *out, const char *verb, const char *id, const guint8 *data,
                       size_t len);
/* The text of a versioned trace (scripts come out as versioned traces). */
GString *trace_format(const Trace *t);
bool trace_save(const Trace *t, const char *path, Error **errp);
/* A copy of e (line kept). */
TraceEvent *trace_event_copy(const TraceEvent *e);
void trace_event_free(TraceEvent *e);
/* The argument words of the ARGS event (g_strfreev), NULL with errp set. */
char **trace_args(const Trace *t, Error **errp);

typedef enum {
    TRACE_PASS,
    TRACE_DIVERGED, /* an output, checkpoint, time or exit differs */
    TRACE_BAD,      /* the trace cannot be replayed (an unknown chardev, a command line that fails
                       where no error was expected) */
} TraceOutcome;

typedef struct TraceResult {
    TraceOutcome outcome;
    int event;      /* 1-based index of the diverging event (0: none) */
    int line;       /* its line in the trace */
    char *command;  /* the last input before it, escaped (or NULL) */
    char *expected; /* escaped */
    char *got;      /* escaped */
    char *message;  /* one line: "FILE:LINE: event N: ..." */
    char *what;     /* the same without where: what differs */
} TraceResult;

/* Instructions a guest may run after the trace's last position before the replay gives up. */
#define TRACE_RUN_BUDGET UINT64_C(1000000000)

typedef struct TraceReplayOptions {
    bool update;         /* rewrite the expected parts instead of checking them */
    uint64_t run_budget; /* 0: TRACE_RUN_BUDGET */
} TraceReplayOptions;

/*
 * Replays t in this process and fills *res (trace_result_clear frees it).
 * With update, *updated receives the trace with every out, checkpoint,
 * time, error and exit event as this build produced them.
 */
void trace_replay(const Trace *t, const TraceReplayOptions *opts, TraceResult *res,
                  Trace **updated);
void trace_result_clear(TraceResult *res);

#endif
