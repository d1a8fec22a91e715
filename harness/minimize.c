/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * minimize.c - tern-replay --minimize: shrinks a failing trace while it
 * keeps failing the same way, with the passes QEMU's qtest minimizer uses
 * (read for the idea, not the code): remove steps, split bulk writes in
 * two, clear the bits of written values.
 *
 * A *step* is one input (a run of in events to one chardev, an open, a
 * close or a signal) with the outputs and checks that follow it up to the
 * next input; removing a step removes its expected output with it.  The
 * *signature* of a failure is what must stay the same: for a crash, the
 * sanitizer's SUMMARY line or Tern's own "tern: ERROR:" line (else the
 * signal); for a divergence, both sides of the first difference.
 * Every attempt replays in a child process, as tern-replay does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cutils.h"
#include "harness/replay-tools.h"
#include "harness/trace.h"

#define MAX_ATTEMPTS       20000
#define MINIMIZE_TIMEOUT_S 60
#define RESULT_TAG         "@@tern-replay-result "

typedef struct Minimizer {
    const char *path;
    TraceSource source;
    char *signature;
    int attempts;
} Minimizer;

/* ---- one attempt ------------------------------------------------------------------------------
 */

static void child_replay(const Trace *t, int fd)
{
    TraceResult res;
    TraceReplayOptions ro = {0};
    GString *line = g_string_new(RESULT_TAG);
    char *dir = g_path_get_dirname(t->path);

    dup2(fd, STDERR_FILENO);
    /* As tern-replay runs a trace: in its directory, with a time limit (a hang is a failure). */
    alarm(MINIMIZE_TIMEOUT_S);
    if (chdir(dir) < 0) {
        _exit(4);
    }
    g_free(dir);
    trace_replay(t, &ro, &res, NULL);
    /* Both sides: the same failure is the same thing expected and the same thing got. */
    if (res.expected || res.got) {
        g_string_append_printf(
            line, "%c expected '%s', got '%s'\n", res.outcome == TRACE_PASS ? 'P' : 'F',
            res.expected ? res.expected : "(nothing)", res.got ? res.got : "(nothing)");
    } else {
        g_string_append_printf(line, "%c %s\n", res.outcome == TRACE_PASS ? 'P' : 'F',
                               res.what ? res.what : "");
    }
    if (write(fd, line->str, line->len) < 0) {
        _exit(3);
    }
    _exit(0);
}

/* The first line of text starting with prefix (g_free), or NULL. */
static char *find_line(const char *text, const char *prefix)
{
    const char *p = strstr(text, prefix);
    const char *end;

    if (!p) {
        return NULL;
    }
    end = strchr(p, '\n');
    return end ? g_strndup(p, end - p) : g_strdup(p);
}

/* Replays t in a child; its failure signature (g_free), or NULL when it passes. */
static char *signature(const Trace *t)
{
    int p[2], status = 0;
    GString *out = g_string_new(NULL);
    char buf[4096], *sig = NULL, *result;
    ssize_t n;
    pid_t pid;

    if (pipe(p) < 0) {
        g_string_free(out, TRUE);
        return g_strdup("(pipe failed)");
    }
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        child_replay(t, p[1]);
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        g_string_free(out, TRUE);
        return g_strdup("(fork failed)"); /* never equal to a real signature: nothing is removed */
    }
    while ((n = read(p[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) {
            g_string_append_len(out, buf, n);
        }
    }
    close(p[0]);
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        continue;
    }
    result = find_line(out->str, RESULT_TAG);
    if (result && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        const char *r = result + strlen(RESULT_TAG);
        sig = r[0] == 'P' ? NULL : g_strdup_printf("diverged: %s", r + 2);
    } else {
        /* A crash: the sanitizer's summary, Tern's own fatal line, or the signal. */
        sig = find_line(out->str, "SUMMARY: ");
        if (!sig) {
            sig = find_line(out->str, "tern: ERROR:");
        }
        if (!sig) {
            sig = WIFSIGNALED(status) ? g_strdup_printf("crash: signal %d", WTERMSIG(status))
                                      : g_strdup_printf("crash: exit %d", WEXITSTATUS(status));
        }
    }
    g_free(result);
    g_string_free(out, TRUE);
    return sig;
}

static bool still_fails(Minimizer *m, const Trace *t)
{
    char *sig;
    bool same;

    m->attempts++;
    sig = signature(t);
    same = sig && !strcmp(sig, m->signature);
    g_free(sig);
    return same;
}

/* ---- steps ------------------------------------------------------------------------------------
 */

static bool is_input(const TraceEvent *e)
{
    return e->kind == TRACE_IN || e->kind == TRACE_OPEN || e->kind == TRACE_CLOSE ||
           e->kind == TRACE_SIGNAL;
}

/* Start index of every step (events before the first input belong to none). */
static GArray *steps_of(const Trace *t)
{
    GArray *starts = g_array_new(FALSE, FALSE, sizeof(guint));

    for (guint i = 1; i < t->events->len; i++) {
        if (is_input(g_ptr_array_index(t->events, i))) {
            g_array_append_val(starts, i);
        }
    }
    return starts;
}

/* A copy of t without steps [first, first + count); the last step keeps the final exit. */
static Trace *without_steps(const Trace *t, GArray *starts, guint first, guint count)
{
    Trace *c = trace_new_empty(t->path);
    guint from = g_array_index(starts, guint, first);
    guint to =
        first + count < starts->len ? g_array_index(starts, guint, first + count) : t->events->len;

    c->source = t->source;
    for (guint i = 0; i < t->events->len; i++) {
        const TraceEvent *e = g_ptr_array_index(t->events, i);
        if (i >= from && i < to && e->kind != TRACE_EXIT) {
            continue;
        }
        g_ptr_array_add(c->events, trace_event_copy(e));
    }
    return c;
}

/* Removes runs of chunk steps from the end backwards, halving chunk down to one step. */
static bool pass_remove(Minimizer *m, Trace **t)
{
    bool changed = false;
    GArray *starts = steps_of(*t);

    for (guint chunk = MAX(starts->len / 2, 1);; chunk /= 2) {
        guint k = starts->len;

        while (k > 0 && m->attempts < MAX_ATTEMPTS) {
            guint first = k > chunk ? k - chunk : 0;
            Trace *c = without_steps(*t, starts, first, k - first);
            /* Steps before first are untouched either way: go on from there. */
            if (still_fails(m, c)) {
                trace_free(*t);
                *t = c;
                changed = true;
                g_array_unref(starts);
                starts = steps_of(*t);
            } else {
                trace_free(c);
            }
            k = first;
        }
        if (chunk <= 1) {
            break;
        }
    }
    g_array_unref(starts);
    return changed;
}

/* ---- rewriting single qtest commands --------------------------------------------------------- */

static char *event_line(const TraceEvent *e)
{
    const guint8 *d = e->data->data;
    size_t n = e->data->len;

    if (!n || d[n - 1] != '\n' || memchr(d, '\n', n - 1)) {
        return NULL; /* only whole single lines are rewritten */
    }
    return g_strndup((const char *)d, n - 1);
}

static TraceEvent *qtest_line_event(const TraceEvent *like, const char *line)
{
    TraceEvent *e = trace_event_copy(like);

    g_byte_array_set_size(e->data, 0);
    g_byte_array_append(e->data, (const guint8 *)line, strlen(line));
    g_byte_array_append(e->data, (const guint8 *)"\n", 1);
    return e;
}

/* "write ADDR LEN 0xDATA" with LEN > 1 -> two writes of halves. */
static bool pass_split_writes(Minimizer *m, Trace **t)
{
    bool changed = false;

    for (guint i = 1; i < (*t)->events->len && m->attempts < MAX_ATTEMPTS; i++) {
        const TraceEvent *e = g_ptr_array_index((*t)->events, i);
        char *line, **w;
        uint64_t addr, len;

        if (e->kind != TRACE_IN || strcmp(e->id, TRACE_QTEST_CHARDEV) || !(line = event_line(e))) {
            continue;
        }
        w = g_strsplit(line, " ", -1);
        g_free(line);
        if (g_strv_length(w) == 4 && !strcmp(w[0], "write") &&
            qemu_strtou64(w[1], NULL, 0, &addr) == 0 && qemu_strtou64(w[2], NULL, 0, &len) == 0 &&
            len > 1 && g_str_has_prefix(w[3], "0x") && strlen(w[3]) % 2 == 0 &&
            (strlen(w[3]) - 2) / 2 == len) {
            guint64 half = len / 2;
            char *a =
                g_strdup_printf("write 0x%" G_GINT64_MODIFIER "x 0x%" G_GINT64_MODIFIER "x 0x%.*s",
                                addr, half, (int)(2 * half), w[3] + 2);
            char *b =
                g_strdup_printf("write 0x%" G_GINT64_MODIFIER "x 0x%" G_GINT64_MODIFIER "x 0x%s",
                                addr + half, len - half, w[3] + 2 + 2 * half);
            Trace *c = trace_new_empty((*t)->path);
            c->source = (*t)->source;
            for (guint j = 0; j < (*t)->events->len; j++) {
                const TraceEvent *x = g_ptr_array_index((*t)->events, j);
                if (j == i) {
                    const TraceEvent *reply =
                        j + 1 < (*t)->events->len ? g_ptr_array_index((*t)->events, j + 1) : NULL;
                    g_ptr_array_add(c->events, qtest_line_event(x, a));
                    /* Each half has the write's reply ("OK"), so the trace still expects it. */
                    if (reply && reply->kind == TRACE_OUT &&
                        !strcmp(reply->id, TRACE_QTEST_CHARDEV)) {
                        g_ptr_array_add(c->events, trace_event_copy(reply));
                    }
                    g_ptr_array_add(c->events, qtest_line_event(x, b));
                } else {
                    g_ptr_array_add(c->events, trace_event_copy(x));
                }
            }
            if (still_fails(m, c)) {
                trace_free(*t);
                *t = c;
                changed = true;
                i--; /* the first half may split again */
            } else {
                trace_free(c);
            }
            g_free(a);
            g_free(b);
        }
        g_strfreev(w);
    }
    return changed;
}

/* "writeb|w|l|q ADDR VALUE": clear each set bit that is not needed. */
static bool pass_clear_bits(Minimizer *m, Trace **t)
{
    bool changed = false;

    for (guint i = 1; i < (*t)->events->len && m->attempts < MAX_ATTEMPTS; i++) {
        const TraceEvent *e = g_ptr_array_index((*t)->events, i);
        char *line, **w;
        uint64_t value;

        if (e->kind != TRACE_IN || strcmp(e->id, TRACE_QTEST_CHARDEV) || !(line = event_line(e))) {
            continue;
        }
        w = g_strsplit(line, " ", -1);
        g_free(line);
        if (g_strv_length(w) == 3 && g_str_has_prefix(w[0], "write") && strlen(w[0]) == 6 &&
            strchr("bwlq", w[0][5]) && qemu_strtou64(w[2], NULL, 0, &value) == 0) {
            for (int bit = 63; bit >= 0 && m->attempts < MAX_ATTEMPTS; bit--) {
                guint64 v = value & ~(UINT64_C(1) << bit);
                char *nl;
                Trace *c;
                if (v == value) {
                    continue;
                }
                nl = g_strdup_printf("%s %s 0x%" G_GINT64_MODIFIER "x", w[0], w[1], v);
                c = trace_new_empty((*t)->path);
                c->source = (*t)->source;
                for (guint j = 0; j < (*t)->events->len; j++) {
                    const TraceEvent *x = g_ptr_array_index((*t)->events, j);
                    g_ptr_array_add(c->events,
                                    j == i ? qtest_line_event(x, nl) : trace_event_copy(x));
                }
                g_free(nl);
                if (still_fails(m, c)) {
                    trace_free(*t);
                    *t = c;
                    value = v;
                    changed = true;
                } else {
                    trace_free(c);
                }
            }
        }
        g_strfreev(w);
    }
    return changed;
}

/* ---- output ------------------------------------------------------------------------------------
 */

/* A script stays a script (a bash reproducer stays one), so QEMU's tools still read it. */
static GString *format_like_source(const Trace *t)
{
    GString *out;
    const TraceEvent *args = g_ptr_array_index(t->events, 0);

    if (t->source == TRACE_SOURCE_TRACE) {
        return trace_format(t);
    }
    out = g_string_new(NULL);
    if (t->source == TRACE_SOURCE_BASH) {
        char *a = g_strdup(args->text);
        if (g_str_has_suffix(a, " -qtest stdio")) {
            a[strlen(a) - strlen(" -qtest stdio")] = '\0';
        }
        g_string_append_printf(out, "cat << EOF | tern-system-riscv64 %s -qtest stdio\n", a);
        g_free(a);
    }
    for (guint i = 1; i < t->events->len; i++) {
        const TraceEvent *e = g_ptr_array_index(t->events, i);
        if (e->kind == TRACE_IN) {
            g_string_append_len(out, (const char *)e->data->data, e->data->len);
        }
    }
    if (t->source == TRACE_SOURCE_BASH) {
        g_string_append(out, "EOF\n");
    }
    return out;
}

int replay_minimize(const char *path, const char *args, const char *out)
{
    Error *err = NULL;
    Trace *t = trace_load(path, args, &err);
    Minimizer m = {.path = path};
    char *dest = out ? g_strdup(out) : g_strdup_printf("%s.min", path);
    guint before;
    GString *text;
    GError *gerr = NULL;
    int rc = 0;

    if (!t) {
        fprintf(stderr, "tern-replay: --minimize: %s\n", error_get_pretty(err));
        error_free(err);
        g_free(dest);
        return 1;
    }
    m.source = t->source;
    m.signature = signature(t);
    if (!m.signature) {
        fprintf(stderr, "tern-replay: --minimize: %s passes; there is no failure to keep\n", path);
        trace_free(t);
        g_free(dest);
        return 1;
    }
    printf("failure: %s\n", m.signature);
    before = t->events->len;
    pass_remove(&m, &t);
    if (pass_split_writes(&m, &t)) {
        pass_remove(&m, &t);
    }
    pass_clear_bits(&m, &t);
    text = format_like_source(t);
    if (!g_file_set_contents(dest, text->str, (gssize)text->len, &gerr)) {
        fprintf(stderr, "tern-replay: --minimize: %s: %s\n", dest, gerr->message);
        g_error_free(gerr);
        rc = 1;
    } else {
        printf("minimized %s: %u events -> %u, %d replays%s; written to %s\n", path, before,
               t->events->len, m.attempts, m.attempts >= MAX_ATTEMPTS ? " (attempt limit)" : "",
               dest);
    }
    g_string_free(text, TRUE);
    trace_free(t);
    g_free(m.signature);
    g_free(dest);
    return rc;
}
