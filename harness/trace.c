/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.c - reading and writing traces (docs/replay.md, "Format").
 *
 * Three sources give the same Trace: a versioned trace, a plain qtest
 * script (every line an input to the qtest chardev) and a fuzzer's bash
 * reproducer (the command line from its `cat << EOF |` line, the script
 * between that line and EOF).  Every error names the file and the line, and
 * nothing in a file can make the parser fail other than with an error.
 */
#include <errno.h>
#include <string.h>

#include "core/cutils.h"
#include "core/replay.h"
#include "harness/trace.h"

#define TRACE_MAGIC         "tern-trace"
#define DEFAULT_SCRIPT_ARGS "-M virt -nodefaults -accel qtest"
/* Scripts speak to a qtest server on stdio, as QEMU's reproducers do. */
#define SCRIPT_QTEST         " -qtest stdio"
#define BASH_REPRO_PREFIX    "cat << EOF | "
#define BASH_REPRO_QTEST_END " -qtest stdio"

static const char *const kind_names[] = {
    [TRACE_ARGS] = "args",
    [TRACE_IN] = "in",
    [TRACE_OUT] = "out",
    [TRACE_OPEN] = "open",
    [TRACE_CLOSE] = "close",
    [TRACE_TIME] = "time",
    [TRACE_ICOUNT] = "icount",
    [TRACE_ENTROPY] = "entropy",
    [TRACE_HOSTCLOCK] = "hostclock",
    [TRACE_CHECKPOINT] = "checkpoint",
    [TRACE_ERROR] = "error",
    [TRACE_SIGNAL] = "signal",
    [TRACE_EXIT] = "exit",
};

const char *trace_kind_name(TraceKind kind)
{
    return kind_names[kind];
}

void trace_event_free(TraceEvent *e)
{
    if (!e) {
        return;
    }
    g_free(e->id);
    if (e->data) {
        g_byte_array_unref(e->data);
    }
    g_free(e->text);
    g_free(e);
}

TraceEvent *trace_event_new(TraceKind kind, int line)
{
    TraceEvent *e = g_new0(TraceEvent, 1);

    e->kind = kind;
    e->line = line;
    return e;
}

TraceEvent *trace_event_copy(const TraceEvent *e)
{
    TraceEvent *c = trace_event_new(e->kind, e->line);

    c->id = g_strdup(e->id);
    c->text = g_strdup(e->text);
    c->value = e->value;
    if (e->data) {
        c->data = g_byte_array_sized_new(e->data->len);
        g_byte_array_append(c->data, e->data->data, e->data->len);
    }
    return c;
}

static Trace *trace_new(const char *path, TraceSource source)
{
    Trace *t = g_new0(Trace, 1);

    t->path = g_strdup(path);
    t->source = source;
    t->events = g_ptr_array_new_with_free_func((GDestroyNotify)trace_event_free);
    t->comments = g_ptr_array_new_with_free_func(g_free);
    return t;
}

Trace *trace_new_empty(const char *path)
{
    return trace_new(path, TRACE_SOURCE_TRACE);
}

void trace_free(Trace *t)
{
    if (!t) {
        return;
    }
    g_ptr_array_free(t->events, TRUE);
    g_ptr_array_free(t->comments, TRUE);
    g_free(t->path);
    g_free(t);
}

/* ---- parsing -------------------------------------------------------------------------------- */

typedef struct Parser {
    const char *path;
    int line;
    Error **errp;
} Parser;

static bool parse_fail(Parser *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static bool parse_fail(Parser *p, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(p->errp, "%s:%d: %s", p->path, p->line, msg);
    g_free(msg);
    return false;
}

static bool parse_int(Parser *p, const char *verb, const char *text, int64_t min, int64_t max,
                      int64_t *out)
{
    GError *gerr = NULL;

    if (!g_ascii_string_to_signed(text, 10, min, max, out, &gerr)) {
        parse_fail(p, "%s: '%s' is not a number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                   verb, text, min, max);
        g_error_free(gerr);
        return false;
    }
    return true;
}

static bool is_hex(const char *s)
{
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        if (!g_ascii_isxdigit(*s)) {
            return false;
        }
    }
    return true;
}

/* Splits "ID REST": *rest is "" when there is no space.  ID must be valid. */
static bool split_id(Parser *p, const char *verb, const char *args, char **id, const char **rest)
{
    const char *sp = strchr(args, ' ');

    *id = sp ? g_strndup(args, sp - args) : g_strdup(args);
    *rest = sp ? sp + 1 : "";
    if (!id_wellformed(*id)) {
        g_free(*id);
        *id = NULL;
        return parse_fail(p, "%s: a chardev or object id is missing or not well formed", verb);
    }
    return true;
}

/* One event line of a versioned trace (comments and blanks already skipped). */
static TraceEvent *parse_event(Parser *p, const char *line)
{
    const char *sp = strchr(line, ' ');
    char *verb = sp ? g_strndup(line, sp - line) : g_strdup(line);
    const char *args = sp ? sp + 1 : "";
    TraceEvent *e = NULL;
    int kind = -1;

    for (size_t k = 0; k < G_N_ELEMENTS(kind_names); k++) {
        if (!strcmp(verb, kind_names[k])) {
            kind = (int)k;
        }
    }
    if (kind < 0) {
        parse_fail(p, "unknown event '%s'", verb);
        g_free(verb);
        return NULL;
    }
    e = trace_event_new((TraceKind)kind, p->line);
    switch (e->kind) {
    case TRACE_ARGS: {
        char **words = NULL;
        GError *gerr = NULL;

        if (*args && !g_shell_parse_argv(args, NULL, &words, &gerr)) {
            /* g_shell_parse_argv fails on an all-blank string as well: that is no words. */
            if (!g_error_matches(gerr, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING)) {
                parse_fail(p, "args: %s", gerr->message);
                g_error_free(gerr);
                goto fail;
            }
            g_error_free(gerr);
        }
        g_strfreev(words);
        e->text = g_strdup(args);
        break;
    }
    case TRACE_IN:
    case TRACE_OUT: {
        const char *rest, *why = NULL;

        if (!split_id(p, verb, args, &e->id, &rest)) {
            goto fail;
        }
        e->data = g_byte_array_new();
        if (!replay_unescape(rest, e->data, &why)) {
            parse_fail(p, "%s %s: %s", verb, e->id, why);
            goto fail;
        }
        break;
    }
    case TRACE_OPEN:
    case TRACE_CLOSE:
        if (!id_wellformed(args)) {
            parse_fail(p, "%s: a chardev id is missing or not well formed", verb);
            goto fail;
        }
        e->id = g_strdup(args);
        break;
    case TRACE_ENTROPY: {
        const char *rest;
        size_t n;

        if (!split_id(p, verb, args, &e->id, &rest)) {
            goto fail;
        }
        n = strlen(rest);
        if (!is_hex(rest) || n % 2) {
            parse_fail(p, "entropy %s: '%s' is not an even number of hex digits", e->id, rest);
            goto fail;
        }
        e->data = g_byte_array_sized_new(n / 2);
        for (size_t i = 0; i < n; i += 2) {
            guint8 b =
                (guint8)(g_ascii_xdigit_value(rest[i]) << 4 | g_ascii_xdigit_value(rest[i + 1]));
            g_byte_array_append(e->data, &b, 1);
        }
        break;
    }
    case TRACE_TIME:
    case TRACE_ICOUNT:
    case TRACE_HOSTCLOCK:
        if (!parse_int(p, verb, args, e->kind == TRACE_HOSTCLOCK ? G_MININT64 : 0, G_MAXINT64,
                       &e->value)) {
            goto fail;
        }
        break;
    case TRACE_SIGNAL:
        if (!parse_int(p, verb, args, 1, 64, &e->value)) {
            goto fail;
        }
        break;
    case TRACE_EXIT:
        if (!parse_int(p, verb, args, 0, 255, &e->value)) {
            goto fail;
        }
        break;
    case TRACE_CHECKPOINT:
        if (!is_hex(args)) {
            parse_fail(p, "checkpoint: '%s' is not a hex digest", args);
            goto fail;
        }
        e->text = g_ascii_strdown(args, -1);
        break;
    case TRACE_ERROR:
        if (!*args) {
            parse_fail(p, "error: the message is missing");
            goto fail;
        }
        {
            /* Escaped as in/out text are (the recorder writes it so): decoded here. */
            GByteArray *b = g_byte_array_new();
            const char *why = NULL;
            if (!replay_unescape(args, b, &why)) {
                g_byte_array_unref(b);
                parse_fail(p, "error: %s", why);
                goto fail;
            }
            if (b->len && b->data[b->len - 1] == '\n') {
                b->len--;
            }
            if (memchr(b->data, '\0', b->len)) {
                g_byte_array_unref(b);
                parse_fail(p, "error: a NUL byte in the message");
                goto fail;
            }
            e->text = g_strndup((const char *)b->data, b->len);
            g_byte_array_unref(b);
        }
        break;
    }
    g_free(verb);
    return e;
fail:
    g_free(verb);
    trace_event_free(e);
    return NULL;
}

/* Ordering rules every source obeys: args first and once, nothing after exit. */
static bool add_event(Parser *p, Trace *t, TraceEvent *e)
{
    bool first = t->events->len == 0;
    TraceEvent *last = first ? NULL : g_ptr_array_index(t->events, t->events->len - 1);

    if (first != (e->kind == TRACE_ARGS)) {
        trace_event_free(e);
        return parse_fail(p, first ? "the first event must be 'args'" : "a second 'args' event");
    }
    if (last && last->kind == TRACE_EXIT) {
        trace_event_free(e);
        return parse_fail(p, "an event after 'exit'");
    }
    g_ptr_array_add(t->events, e);
    return true;
}

static TraceEvent *script_args_event(const char *args, int line)
{
    TraceEvent *e = trace_event_new(TRACE_ARGS, line);

    e->text = g_strconcat(args, SCRIPT_QTEST, NULL);
    return e;
}

static TraceEvent *script_input(const char *line, int lineno)
{
    TraceEvent *e = trace_event_new(TRACE_IN, lineno);
    const char newline = '\n';

    e->id = g_strdup(TRACE_QTEST_CHARDEV);
    e->data = g_byte_array_new();
    g_byte_array_append(e->data, (const guint8 *)line, strlen(line));
    g_byte_array_append(e->data, (const guint8 *)&newline, 1);
    return e;
}

/* A line holding a NUL byte cannot be a line of any source. */
static bool check_no_nul(Parser *p, const char *line, size_t len)
{
    if (memchr(line, '\0', len)) {
        return parse_fail(p, "a NUL byte in the line");
    }
    return true;
}

/* The bash reproducer's command: "cat << EOF | BINARY ARGS -qtest stdio". */
static bool bash_args(const char *line, char **args)
{
    const char *rest, *sp;
    size_t n;

    if (!g_str_has_prefix(line, BASH_REPRO_PREFIX) ||
        !g_str_has_suffix(line, BASH_REPRO_QTEST_END)) {
        return false;
    }
    rest = line + strlen(BASH_REPRO_PREFIX);
    sp = strchr(rest, ' ');
    if (!sp || sp - rest > (ptrdiff_t)(strlen(rest) - strlen(BASH_REPRO_QTEST_END))) {
        *args = g_strdup("");
        return true;
    }
    n = strlen(sp + 1) - strlen(BASH_REPRO_QTEST_END);
    *args = g_strndup(sp + 1, n);
    g_strstrip(*args);
    return true;
}

Trace *trace_parse(const char *path, const char *text, size_t len, const char *default_args,
                   Error **errp)
{
    Parser p = {.path = path, .line = 0, .errp = errp};
    Trace *t;
    const char *at = text, *end = text + len;
    bool versioned = len >= strlen(TRACE_MAGIC) && !memcmp(text, TRACE_MAGIC, strlen(TRACE_MAGIC));
    bool bash = false, in_bash_body = false, bash_done = false;

    t = trace_new(path, versioned ? TRACE_SOURCE_TRACE : TRACE_SOURCE_SCRIPT);
    if (!versioned) {
        /* A bash reproducer names its command line; a plain script gets the default. */
        for (const char *l = text; l < end && !bash;) {
            const char *nl = memchr(l, '\n', end - l);
            char *line = g_strndup(l, nl ? (size_t)(nl - l) : (size_t)(end - l));
            char *args = NULL;
            if (bash_args(line, &args)) {
                g_free(args);
                bash = true;
            }
            g_free(line);
            l = nl ? nl + 1 : end;
        }
        if (bash) {
            t->source = TRACE_SOURCE_BASH;
        } else {
            g_ptr_array_add(
                t->events, script_args_event(default_args ? default_args : DEFAULT_SCRIPT_ARGS, 0));
        }
    }
    while (at < end) {
        const char *nl = memchr(at, '\n', end - at);
        size_t n = nl ? (size_t)(nl - at) : (size_t)(end - at);
        char *line;

        p.line++;
        if (!check_no_nul(&p, at, n)) {
            goto fail;
        }
        line = g_strndup(at, n);
        at += n + (nl ? 1 : 0);
        if (versioned) {
            TraceEvent *e;
            if (!nl) {
                parse_fail(&p, "truncated: the last line has no end");
                g_free(line);
                goto fail;
            }
            if (p.line == 1) {
                int64_t version;
                const char *v = line + strlen(TRACE_MAGIC);
                if (*v != ' ' ||
                    !g_ascii_string_to_signed(v + 1, 10, 0, G_MAXINT, &version, NULL)) {
                    parse_fail(&p, "the header must be 'tern-trace VERSION'");
                    g_free(line);
                    goto fail;
                }
                if (version != REPLAY_TRACE_VERSION) {
                    parse_fail(&p,
                               "trace version %" G_GINT64_FORMAT
                               " is not known (this tern-replay reads %d)",
                               version, REPLAY_TRACE_VERSION);
                    g_free(line);
                    goto fail;
                }
                g_free(line);
                continue;
            }
            for (const char *c = line; *c; c++) {
                if ((unsigned char)*c < 0x20) {
                    parse_fail(&p,
                               "a raw control byte 0x%02x in the line (escape it: \\r, \\t, "
                               "\\xHH)",
                               (unsigned char)*c);
                    g_free(line);
                    goto fail;
                }
            }
            if (!*line || *line == '#') {
                if (*line && !t->events->len) {
                    g_ptr_array_add(t->comments, g_strdup(line));
                }
                g_free(line);
                continue;
            }
            e = parse_event(&p, line);
            g_free(line);
            if (!e || !add_event(&p, t, e)) {
                goto fail;
            }
            continue;
        }
        if (n && line[n - 1] == '\r') {
            line[n - 1] = '\0'; /* a script written on another system */
        }
        if (bash) {
            char *args = NULL;
            if (!in_bash_body && !bash_done && bash_args(line, &args)) {
                g_ptr_array_add(t->events, script_args_event(args, p.line));
                g_free(args);
                in_bash_body = true;
            } else if (in_bash_body && !strcmp(line, "EOF")) {
                in_bash_body = false;
                bash_done = true;
            } else if (in_bash_body && *line) {
                g_ptr_array_add(t->events, script_input(line, p.line));
            }
            g_free(line);
            continue;
        }
        g_strstrip(line);
        if (*line && *line != '#') {
            g_ptr_array_add(t->events, script_input(line, p.line));
        }
        g_free(line);
    }
    if (bash && in_bash_body) {
        parse_fail(&p, "truncated: the reproducer's EOF line is missing");
        goto fail;
    }
    if (!t->events->len) {
        error_setg(errp, "%s:%d: no events (an 'args' line is needed)", path, p.line);
        goto fail;
    }
    if (!versioned && t->events->len == 1) {
        error_setg(errp, "%s:%d: nothing to replay (no qtest command)", path, p.line);
        goto fail;
    }
    return t;
fail:
    trace_free(t);
    return NULL;
}

Trace *trace_load(const char *path, const char *default_args, Error **errp)
{
    char *text = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    Trace *t;

    if (!g_file_get_contents(path, &text, &len, &gerr)) {
        error_setg(errp, "%s: %s", path, gerr->message);
        g_error_free(gerr);
        return NULL;
    }
    t = trace_parse(path, text, len, default_args, errp);
    g_free(text);
    return t;
}

char **trace_args(const Trace *t, Error **errp)
{
    const TraceEvent *e = t->events->len ? g_ptr_array_index(t->events, 0) : NULL;
    char **words = NULL;
    GError *gerr = NULL;

    if (!e || e->kind != TRACE_ARGS) {
        error_setg(errp, "%s: no 'args' event", t->path);
        return NULL;
    }
    if (!g_shell_parse_argv(e->text, NULL, &words, &gerr)) {
        if (g_error_matches(gerr, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING)) {
            g_error_free(gerr);
            return g_new0(char *, 1);
        }
        error_setg(errp, "%s:%d: args: %s", t->path, e->line, gerr->message);
        g_error_free(gerr);
        return NULL;
    }
    return words;
}

/* ---- writing -------------------------------------------------------------------------------- */

/* Appends the in/out lines of bytes: one trace line per device line, a last piece with \c. */
void trace_format_data(GString *out, const char *verb, const char *id, const guint8 *data,
                       size_t len)
{
    size_t at = 0;

    while (at < len) {
        const guint8 *nl = memchr(data + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (data + at)) : len - at;

        /* An empty line is "in ID": no trailing space for an editor to strip. */
        g_string_append_printf(out, n || !nl ? "%s %s " : "%s %s", verb, id);
        replay_escape(out, data + at, n, nl != NULL);
        g_string_append_c(out, '\n');
        at += n + (nl ? 1 : 0);
    }
}

void trace_format_event(GString *out, const TraceEvent *e)
{
    const char *verb = kind_names[e->kind];

    switch (e->kind) {
    case TRACE_ARGS:
    case TRACE_CHECKPOINT:
        g_string_append_printf(out, *e->text ? "%s %s\n" : "%s\n", verb, e->text);
        break;
    case TRACE_ERROR:
        g_string_append_printf(out, "%s ", verb);
        replay_escape(out, (const guint8 *)e->text, strlen(e->text), true);
        g_string_append_c(out, '\n');
        break;
    case TRACE_IN:
    case TRACE_OUT:
        trace_format_data(out, verb, e->id, e->data->data, e->data->len);
        break;
    case TRACE_OPEN:
    case TRACE_CLOSE:
        g_string_append_printf(out, "%s %s\n", verb, e->id);
        break;
    case TRACE_ENTROPY:
        g_string_append_printf(out, "%s %s ", verb, e->id);
        for (guint i = 0; i < e->data->len; i++) {
            g_string_append_printf(out, "%02x", e->data->data[i]);
        }
        g_string_append_c(out, '\n');
        break;
    case TRACE_TIME:
    case TRACE_ICOUNT:
    case TRACE_HOSTCLOCK:
    case TRACE_SIGNAL:
    case TRACE_EXIT:
        g_string_append_printf(out, "%s %" G_GINT64_FORMAT "\n", verb, e->value);
        break;
    }
}

GString *trace_format(const Trace *t)
{
    GString *out = g_string_new(TRACE_MAGIC " ");

    g_string_append_printf(out, "%d\n", REPLAY_TRACE_VERSION);
    for (guint i = 0; i < t->comments->len; i++) {
        g_string_append_printf(out, "%s\n", (const char *)g_ptr_array_index(t->comments, i));
    }
    for (guint i = 0; i < t->events->len; i++) {
        trace_format_event(out, g_ptr_array_index(t->events, i));
    }
    return out;
}

bool trace_save(const Trace *t, const char *path, Error **errp)
{
    GString *text = trace_format(t);
    GError *gerr = NULL;
    bool ok = g_file_set_contents(path, text->str, (gssize)text->len, &gerr);

    if (!ok) {
        error_setg(errp, "%s: %s", path, gerr->message);
        g_error_free(gerr);
    }
    g_string_free(text, TRUE);
    return ok;
}
