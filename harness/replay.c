/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay.c - the replay checker (docs/replay.md, "Design"): builds the
 * machine from a trace's command line in this process, feeds the inputs,
 * and compares what each replay chardev wrote, the checkpoints, the clock
 * and the exit status with the trace.  The first difference ends the replay
 * and is reported with the input that came before it.
 *
 * Synchronisation points are the inputs and the checks: before each one the
 * main loop runs without blocking until it is idle, then the output every
 * channel produced since the last point is compared with the trace's out
 * events in between.  Within a window the order across channels is not
 * compared (the recorder saw them in host order), the bytes of each are.
 */
#include <inttypes.h>
#include <signal.h>
#include <string.h>

#include "core/chardev.h"
#include "core/main-loop.h"
#include "core/replay.h"
#include "core/snapshot.h"
#include "core/tern.h"
#include "core/timer.h"
#include "harness/trace.h"

/* Main-loop iterations one settle may take before the replay calls it a hang. */
#define SETTLE_LIMIT 1000000
/*
 * Main-loop iterations in a row in which the guest made no progress (no
 * instruction, no virtual time, nothing scheduled) before a run towards a
 * position calls the guest stopped: halted in WFI with no timer, paused.
 */
#define STALL_LIMIT 1000

/* Options that only made sense for the recorded process: dropped with their value (if any). */
static const struct {
    const char *name;
    bool has_value;
} dropped_options[] = {
    {"-record", true},
    {"-pidfile", true},
    {"-daemonize", false},
};

typedef struct Replay {
    const Trace *trace;
    TraceResult *res;
    bool update;
    bool check_outputs; /* scripts have no expected output */
    Trace *updated;
    bool started;
    bool exited;
    int exit_status;
    bool guest;          /* the trace has icount events: the harts run only up to a position */
    bool positioned;     /* an icount event was reached since the last input */
    uint64_t run_budget; /* instructions a run to the end may take */
    /* Guest traces: where each hostclock/entropy value was read (SeamRead), and how many were. */
    GArray *hostclock_reads, *entropy_reads;
    guint hostclock_taken, entropy_taken;
    const TraceEvent *last_input;
    guint last_input_index;
    /* Expected output of the current window per channel, and the events it came from. */
    GPtrArray *expected; /* Stream *: the window's expected output, in first-seen order */
} Replay;

static char *escaped(const guint8 *data, size_t len)
{
    GString *s = g_string_new(NULL);
    size_t at = 0;

    /* One line of it: what a person compares. */
    while (at < len && data[at] != '\n') {
        at++;
    }
    replay_escape(s, data, at, at < len);
    return g_string_free(s, FALSE);
}

static char *event_text(const TraceEvent *e)
{
    GString *s = g_string_new(NULL);

    trace_format_event(s, e);
    if (s->len && s->str[s->len - 1] == '\n') {
        g_string_truncate(s, s->len - 1);
    }
    /* Several lines (a multi-line chunk): the first one tells. */
    if (strchr(s->str, '\n')) {
        g_string_truncate(s, strchr(s->str, '\n') - s->str);
        g_string_append(s, " ...");
    }
    return g_string_free(s, FALSE);
}

static void diverge(Replay *r, TraceOutcome outcome, guint index, const char *expected,
                    const char *got, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

static void diverge(Replay *r, TraceOutcome outcome, guint index, const char *expected,
                    const char *got, const char *fmt, ...)
{
    TraceResult *res = r->res;
    const TraceEvent *e = index && index <= r->trace->events->len
                              ? g_ptr_array_index(r->trace->events, index - 1)
                              : NULL;
    va_list ap;
    char *what;

    if (res->outcome != TRACE_PASS) {
        return; /* the first divergence is the one reported */
    }
    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    res->outcome = outcome;
    res->event = (int)index;
    res->line = e ? e->line : 0;
    res->command = r->last_input ? event_text(r->last_input) : NULL;
    res->expected = g_strdup(expected);
    res->got = g_strdup(got);
    if (index) {
        res->message =
            g_strdup_printf("%s:%d: event %u: %s", r->trace->path, res->line, index, what);
    } else {
        res->message = g_strdup_printf("%s: %s", r->trace->path, what);
    }
    res->what = what;
}

static bool failed(const Replay *r)
{
    return r->res->outcome != TRACE_PASS;
}

/* ---- the window of expected output --------------------------------------------------------- */

/* One chardev's output in a window: its bytes and (expected side) the out events they came from. */
typedef struct Stream {
    char *id;
    GByteArray *bytes;
    GArray *events; /* guint, 1-based event index where each event's bytes start */
} Stream;

static void stream_free(Stream *st)
{
    g_free(st->id);
    g_byte_array_unref(st->bytes);
    g_array_unref(st->events);
    g_free(st);
}

static GPtrArray *streams_new(void)
{
    return g_ptr_array_new_with_free_func((GDestroyNotify)stream_free);
}

static Stream *stream_find(GPtrArray *streams, const char *id)
{
    for (guint i = 0; i < streams->len; i++) {
        Stream *st = g_ptr_array_index(streams, i);
        if (!strcmp(st->id, id)) {
            return st;
        }
    }
    return NULL;
}

/* The stream of id, added (empty) at the end when there is none yet. */
static Stream *stream_get(GPtrArray *streams, const char *id)
{
    Stream *st = stream_find(streams, id);

    if (!st) {
        st = g_new0(Stream, 1);
        st->id = g_strdup(id);
        st->bytes = g_byte_array_new();
        st->events = g_array_new(FALSE, FALSE, sizeof(guint));
        g_ptr_array_add(streams, st);
    }
    return st;
}

static void window_add(Replay *r, const TraceEvent *e, guint index)
{
    Stream *st = stream_get(r->expected, e->id);

    /* Remember where each event's bytes start, to name the event a difference falls in. */
    g_array_append_val(st->events, index);
    g_byte_array_append(st->bytes, e->data->data, e->data->len);
}

/* What every replay chardev wrote since the last window, in creation order. */
static void collect_one(Chardev *chr, void *opaque)
{
    Stream *st;

    if (chardev_is_replay(chr)) {
        st = stream_get(opaque, chardev_id(chr));
        chardev_replay_take_output(chr, st->bytes);
        if (!st->bytes->len) {
            g_ptr_array_remove(opaque, st);
        }
    }
}

/* The event (1-based) whose bytes hold offset off of a window's expected stream. */
static guint source_event(Replay *r, const Stream *st, size_t off)
{
    size_t at = 0;

    for (guint i = 0; i < st->events->len; i++) {
        guint index = g_array_index(st->events, guint, i);
        const TraceEvent *e = g_ptr_array_index(r->trace->events, index - 1);
        if (off < at + e->data->len || i + 1 == st->events->len) {
            return index;
        }
        at += e->data->len;
    }
    return 0;
}

/* Start of the line holding offset off. */
static size_t line_start(const GByteArray *b, size_t off)
{
    while (off > 0 && off <= b->len && b->data[off - 1] != '\n') {
        off--;
    }
    return off;
}

/* "out ID LINE" for the line of b that holds offset off, or "(nothing)" when b has none there. */
static char *side(const char *id, const GByteArray *b, size_t off)
{
    size_t len = b ? b->len : 0, start = b ? line_start(b, MIN(off, len)) : 0;
    char *line, *text;

    if (start >= len) {
        return g_strdup("(nothing)");
    }
    line = escaped(b->data + start, len - start);
    text = g_strdup_printf("out %s %s", id, line);
    g_free(line);
    return text;
}

/* Compares one chardev's window: what the trace has (NULL: nothing) with what came (NULL: nothing).
 */
static void compare_stream(Replay *r, const char *id, const Stream *want, const Stream *got,
                           guint next_index)
{
    const GByteArray *w = want ? want->bytes : NULL, *g = got ? got->bytes : NULL;
    size_t wl = w ? w->len : 0, gl = g ? g->len : 0, off = 0;
    char *ew, *gw;

    while (off < wl && off < gl && w->data[off] == g->data[off]) {
        off++;
    }
    if (off == wl && off == gl) {
        return;
    }
    ew = side(id, w, off);
    gw = side(id, g, off);
    /* Output beyond what the trace has is reported at the event after the window. */
    diverge(r, TRACE_DIVERGED, off < wl ? source_event(r, want, off) : next_index, ew, gw,
            "the output of '%s' differs", id);
    g_free(ew);
    g_free(gw);
}

/*
 * Runs the loop until idle (or ended), as the live loop would after a read.
 * Not in a guest trace: there the live loop went on from a position only by
 * running the harts, and only run_to/run_to_end/run_in_place run it (an
 * input due at a position is delivered right after the iteration that
 * reached it, before any request that iteration left is acted on, as the
 * recorded process's poll() delivered it).
 */
static void settle(Replay *r, guint index)
{
    if (r->guest) {
        return;
    }
    for (int i = 0; !r->exited; i++) {
        if (i == SETTLE_LIMIT) {
            diverge(r, TRACE_DIVERGED, index, NULL, NULL,
                    "the machine did not become idle within %d main-loop iterations", SETTLE_LIMIT);
            return;
        }
        if (main_loop_wait(true)) {
            r->exited = true;
            r->exit_status = main_loop_exit_status();
            break;
        }
        if (main_loop_idle()) {
            break;
        }
    }
}

/* The window's expected output against what was produced, or (updating) the produced as out events.
 */
static void compare_window(Replay *r, GPtrArray *produced, guint index)
{
    if (r->update) {
        for (guint i = 0; i < produced->len; i++) {
            const Stream *st = g_ptr_array_index(produced, i);
            TraceEvent *e = trace_event_new(TRACE_OUT, 0);
            e->id = g_strdup(st->id);
            e->data = g_byte_array_ref(st->bytes);
            g_ptr_array_add(r->updated->events, e);
        }
    } else if (!failed(r) && r->check_outputs) {
        for (guint i = 0; i < r->expected->len; i++) {
            const Stream *want = g_ptr_array_index(r->expected, i);
            compare_stream(r, want->id, want, stream_find(produced, want->id), index);
        }
        for (guint i = 0; i < produced->len; i++) {
            const Stream *got = g_ptr_array_index(produced, i);
            if (!stream_find(r->expected, got->id)) {
                compare_stream(r, got->id, NULL, got, index);
            }
        }
    }
    g_ptr_array_set_size(r->expected, 0);
}

/*
 * Ends the window before event `index` (1-based; events->len + 1 at the
 * end): settles, compares, and (updating) writes what was produced.
 */
static void sync_window(Replay *r, guint index)
{
    GPtrArray *produced = streams_new();

    if (r->started) {
        settle(r, index);
        chardev_foreach(collect_one, produced);
    }
    compare_window(r, produced, index);
    g_ptr_array_free(produced, TRUE);
}

/* ---- guest runs: positions ------------------------------------------------------------------ */

/*
 * One main-loop iteration of a run; false when the guest made no progress
 * in it (no instruction, no virtual time, nothing left scheduled).
 */
static bool run_step(Replay *r)
{
    uint64_t icount = replay_icount();
    int64_t clock = clock_get_ns(CLOCK_VIRTUAL);

    if (main_loop_wait(true)) {
        r->exited = true;
        r->exit_status = main_loop_exit_status();
        return true;
    }
    return replay_icount() != icount || clock_get_ns(CLOCK_VIRTUAL) != clock || !main_loop_idle();
}

/*
 * icount N: runs the machine with the accelerator's stop count at N until
 * the harts have executed N instructions, so that what follows (an input, a
 * read, a signal, the end) happens at the instruction it did when recorded.
 * Not reaching N is a divergence at the icount line.
 */
static void run_to(Replay *r, uint64_t target, guint index)
{
    uint64_t now = replay_icount();
    char *ew = g_strdup_printf("icount %" PRIu64, target), *gw;
    int stalled = 0;

    if (now <= target) {
        replay_set_icount_limit(target);
    }
    while ((now = replay_icount()) < target && !r->exited && stalled < STALL_LIMIT) {
        stalled = run_step(r) ? 0 : stalled + 1;
    }
    gw = g_strdup_printf("icount %" PRIu64, now);
    if (now > target) {
        diverge(r, TRACE_DIVERGED, index, ew, gw,
                "the guest is already past this position: icount %" PRIu64 ", expected %" PRIu64,
                now, target);
    } else if (now < target && r->exited) {
        diverge(r, TRACE_DIVERGED, index, ew, gw,
                "the machine ended (exit %d) at icount %" PRIu64
                ", before reaching icount %" PRIu64,
                r->exit_status, now, target);
    } else if (now < target) {
        diverge(r, TRACE_DIVERGED, index, ew, gw,
                "the guest stopped at icount %" PRIu64 " (halted with no timer, or paused) before "
                "reaching icount %" PRIu64,
                now, target);
    }
    r->positioned = true;
    g_free(ew);
    g_free(gw);
}

/*
 * The end of a trace whose last input has no position after it (a trace
 * written by hand, a build that recorded none): the guest runs until the
 * machine ends, for at most run_budget instructions (the accelerator stops
 * at that count, so a guest that never ends costs the budget, not the
 * replay's --timeout).  A guest that stops without ending is left to the
 * exit check; so is a machine without harts.
 */
static void run_to_end(Replay *r, guint index, const TraceEvent *want_exit)
{
    uint64_t from = replay_icount();
    uint64_t limit = from + r->run_budget < from ? UINT64_MAX : from + r->run_budget;
    int stalled = 0;

    replay_set_icount_limit(limit);
    while (!r->exited && replay_icount() < limit && stalled < STALL_LIMIT) {
        stalled = run_step(r) ? 0 : stalled + 1;
    }
    if (!r->exited && replay_icount() >= limit) {
        char *ew = want_exit ? g_strdup_printf("exit %" G_GINT64_FORMAT, want_exit->value)
                             : g_strdup("(the end)");
        diverge(r, TRACE_DIVERGED, index, ew, "(still running)",
                "the guest was still running %" PRIu64 " instructions after the trace's last input "
                "(icount %" PRIu64 " to %" PRIu64 "); expected '%s'",
                r->run_budget, from, limit, ew);
        g_free(ew);
    }
    r->positioned = true;
}

/* The first event of kind from index i (0-based) on, NULL when there is none. */
static const TraceEvent *next_of_kind(const Replay *r, guint i, TraceKind kind)
{
    for (; i < r->trace->events->len; i++) {
        const TraceEvent *e = g_ptr_array_index(r->trace->events, i);
        if (e->kind == kind) {
            return e;
        }
    }
    return NULL;
}

/*
 * After a position: when the recorded clock of the input that follows
 * (its time event) is ahead, the harts waited in WFI at that count while
 * the live loop warped the clock from deadline to deadline (virtual time
 * moves only with instructions or by that warp, and the count did not
 * move).  The harts are held at the position by the stop count, and the
 * accelerator reports held harts as busy, so the main loop does not warp
 * by itself here: the replay does what the live loop did, a warp to the
 * next deadline (not beyond the recorded clock) and an iteration that fires
 * its timers, until the clock is there.  A clock that cannot get there this
 * way is left to the time check.
 */
static void catch_up_clock(Replay *r, guint i)
{
    const TraceEvent *next = NULL;
    int stalled = 0;

    for (; i < r->trace->events->len && !next; i++) {
        const TraceEvent *e = g_ptr_array_index(r->trace->events, i);
        if (e->kind != TRACE_OUT) {
            next = e;
        }
    }
    if (!next || next->kind != TRACE_TIME) {
        return;
    }
    while (!r->exited && clock_get_ns(CLOCK_VIRTUAL) < next->value && stalled < STALL_LIMIT) {
        int64_t now = clock_get_ns(CLOCK_VIRTUAL);
        int64_t deadline = clock_deadline_ns(CLOCK_VIRTUAL);

        if (deadline > now && deadline <= next->value && replay_icount() == replay_icount_limit()) {
            clock_advance_virtual_to(deadline);
        }
        stalled = run_step(r) ? 0 : stalled + 1;
    }
}

/*
 * The end of a guest trace at its last position: the loop runs with the
 * harts held there until the machine ends (a shutdown the guest or a
 * signal asked for is acted on), or nothing is left to do.
 */
static void run_in_place(Replay *r)
{
    int stalled = 0;

    while (!r->exited && stalled < STALL_LIMIT) {
        stalled = run_step(r) ? 0 : stalled + 1;
    }
}

/* Event i (0-based) is the exit, or a checkpoint with nothing but the exit after it. */
static bool at_the_end(const Replay *r, guint i)
{
    for (; i < r->trace->events->len; i++) {
        const TraceEvent *e = g_ptr_array_index(r->trace->events, i);
        if (e->kind == TRACE_EXIT) {
            return true;
        }
        if (e->kind != TRACE_CHECKPOINT && e->kind != TRACE_OUT) {
            return false;
        }
    }
    return false;
}

/*
 * The last window of a trace cut short (no exit: SIGKILL): its output was
 * recorded up to where the file ends, after the last position.  The guest
 * runs until each channel has produced as much as the trace holds (budget
 * and stall as run_to_end), and only that much is compared: what the guest
 * printed after the cut is not in the trace.
 */
static void sync_cut_window(Replay *r, guint index)
{
    GPtrArray *produced = streams_new();
    uint64_t from = replay_icount();
    uint64_t limit = from + r->run_budget < from ? UINT64_MAX : from + r->run_budget;
    int stalled = 0;

    replay_set_icount_limit(limit);
    for (;;) {
        bool covered = true;

        chardev_foreach(collect_one, produced);
        for (guint i = 0; i < r->expected->len && covered; i++) {
            const Stream *want = g_ptr_array_index(r->expected, i);
            const Stream *got = stream_find(produced, want->id);
            covered = got && got->bytes->len >= want->bytes->len;
        }
        if (covered || r->exited || replay_icount() >= limit || stalled >= STALL_LIMIT) {
            break;
        }
        stalled = run_step(r) ? 0 : stalled + 1;
    }
    for (guint i = 0; i < produced->len;) {
        Stream *got = g_ptr_array_index(produced, i);
        const Stream *want = stream_find(r->expected, got->id);

        if (!want) {
            g_ptr_array_remove_index(produced, i); /* after the cut */
            continue;
        }
        if (got->bytes->len > want->bytes->len) {
            g_byte_array_set_size(got->bytes, want->bytes->len);
        }
        i++;
    }
    compare_window(r, produced, index);
    g_ptr_array_free(produced, TRUE);
}

/* ---- start-up
 * ------------------------------------------------------------------------------------ */

static bool is_option(const char *word, const char *name)
{
    /* QEMU spells options with one dash or two. */
    return !strcmp(word[0] == '-' && word[1] == '-' ? word + 1 : word, name);
}

static GPtrArray *replay_argv(char **words)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    bool qtest = false, qtest_log = false;

    g_ptr_array_add(argv, g_strdup("tern"));
    for (char **w = words; *w; w++) {
        bool dropped = false;
        for (size_t k = 0; k < G_N_ELEMENTS(dropped_options) && !dropped; k++) {
            dropped = is_option(*w, dropped_options[k].name);
            if (dropped && dropped_options[k].has_value && w[1]) {
                w++;
            }
        }
        if (dropped) {
            continue;
        }
        g_ptr_array_add(argv, g_strdup(*w));
        qtest |= is_option(*w, "-qtest");
        /* The qtest log is the recorded process's: the option stays (its errors replay), as none.
         */
        if (is_option(*w, "-qtest-log") && w[1]) {
            qtest_log = true;
            g_ptr_array_add(argv, g_strdup("none"));
            w++;
        }
    }
    /* Without -qtest-log the server logs to stderr: not at replay. */
    if (qtest && !qtest_log) {
        g_ptr_array_add(argv, g_strdup("-qtest-log"));
        g_ptr_array_add(argv, g_strdup("none"));
    }
    g_ptr_array_add(argv, NULL);
    return argv;
}

/* --update: every value a seam takes goes into the new trace where it was taken. */
static void on_take(const char *what, const char *id, const uint8_t *buf, size_t len, int64_t ns,
                    void *opaque)
{
    Replay *r = opaque;
    TraceEvent *e;

    if (!strcmp(what, "entropy")) {
        e = trace_event_new(TRACE_ENTROPY, 0);
        e->id = g_strdup(id);
        e->data = g_byte_array_sized_new((guint)len);
        g_byte_array_append(e->data, buf, (guint)len);
    } else {
        e = trace_event_new(TRACE_HOSTCLOCK, 0);
        e->value = ns;
    }
    g_ptr_array_add(r->updated->events, e);
}

/* A seam's read in a guest trace: its event (1-based) and the position it was read at. */
typedef struct SeamRead {
    guint index;
    uint64_t icount;
} SeamRead;

/* Each hostclock and entropy event with the position before it (0 before the first). */
static void list_seam_reads(Replay *r)
{
    uint64_t at = 0;

    r->hostclock_reads = g_array_new(FALSE, FALSE, sizeof(SeamRead));
    r->entropy_reads = g_array_new(FALSE, FALSE, sizeof(SeamRead));
    for (guint i = 0; i < r->trace->events->len; i++) {
        const TraceEvent *e = g_ptr_array_index(r->trace->events, i);
        SeamRead read = {i + 1, at};

        if (e->kind == TRACE_ICOUNT) {
            at = (uint64_t)e->value;
        } else if (e->kind == TRACE_HOSTCLOCK) {
            g_array_append_val(r->hostclock_reads, read);
        } else if (e->kind == TRACE_ENTROPY) {
            g_array_append_val(r->entropy_reads, read);
        }
    }
}

/*
 * Checking a guest trace: every value a seam takes is taken at the
 * instruction count the recorder wrote before it (the guest read the host
 * clock, or entropy, at the same instruction).  Reads beyond the trace are
 * left to replay_starved().
 */
static void on_take_check(const char *what, const char *id, const uint8_t *buf, size_t len,
                          int64_t ns, void *opaque)
{
    Replay *r = opaque;
    bool clock = !strcmp(what, "hostclock");
    GArray *reads = clock ? r->hostclock_reads : r->entropy_reads;
    guint *taken = clock ? &r->hostclock_taken : &r->entropy_taken;
    uint64_t now = replay_icount();

    if (*taken < reads->len) {
        const SeamRead *want = &g_array_index(reads, SeamRead, *taken);

        if (want->icount != now) {
            char *ew = g_strdup_printf("icount %" PRIu64, want->icount);
            char *gw = g_strdup_printf("icount %" PRIu64, now);
            diverge(r, TRACE_DIVERGED, want->index, ew, gw,
                    "the guest made this %s read at icount %" PRIu64 ", the trace has it at icount "
                    "%" PRIu64,
                    what, now, want->icount);
            g_free(ew);
            g_free(gw);
        }
    }
    (*taken)++;
}

static const TraceEvent *find_kind(const Trace *t, TraceKind kind, guint *index)
{
    for (guint i = 0; i < t->events->len; i++) {
        const TraceEvent *e = g_ptr_array_index(t->events, i);
        if (e->kind == kind) {
            *index = i + 1;
            return e;
        }
    }
    return NULL;
}

/* Starts the machine; false when the replay ends at start-up (an error, expected or not). */
static bool start(Replay *r)
{
    Error *err = NULL;
    char **words = trace_args(r->trace, &err);
    GPtrArray *argv;
    TernInitResult init;
    guint err_index = 0, exit_index = 0;
    const TraceEvent *want_error = find_kind(r->trace, TRACE_ERROR, &err_index);
    const TraceEvent *want_exit = find_kind(r->trace, TRACE_EXIT, &exit_index);

    if (!words) {
        diverge(r, TRACE_BAD, 1, NULL, NULL, "%s", error_get_pretty(err));
        error_free(err);
        return false;
    }
    for (guint i = 0; i < r->trace->events->len; i++) {
        const TraceEvent *e = g_ptr_array_index(r->trace->events, i);
        if (e->kind == TRACE_ENTROPY) {
            replay_queue_entropy(e->data->data, e->data->len);
        } else if (e->kind == TRACE_HOSTCLOCK) {
            replay_queue_hostclock(e->value);
        }
    }
    argv = replay_argv(words);
    g_strfreev(words);
    init = tern_init((int)argv->len - 1, (char **)argv->pdata, &err);
    g_ptr_array_free(argv, TRUE);
    r->started = init == TERN_INIT_RUN;
    if (init == TERN_INIT_ERROR) {
        const char *msg = error_get_pretty(err);
        if (r->update) {
            TraceEvent *e = trace_event_new(TRACE_ERROR, 0);
            e->text = g_strdup(msg);
            g_ptr_array_add(r->updated->events, e);
            e = trace_event_new(TRACE_EXIT, 0);
            e->value = 1;
            g_ptr_array_add(r->updated->events, e);
        } else if (!want_error) {
            diverge(r, TRACE_BAD, 1, NULL, msg, "the command line failed: %s", msg);
        } else if (strcmp(want_error->text, msg)) {
            diverge(r, TRACE_DIVERGED, err_index, want_error->text, msg,
                    "start-up error differs: expected '%s', got '%s'", want_error->text, msg);
        } else if (want_exit && want_exit->value != 1) {
            char *ew = g_strdup_printf("exit %" G_GINT64_FORMAT, want_exit->value);
            diverge(r, TRACE_DIVERGED, exit_index, ew, "exit 1", "expected %s, got exit 1", ew);
            g_free(ew);
        }
        error_free(err);
        return false;
    }
    if (want_error && !r->update) {
        diverge(r, TRACE_DIVERGED, err_index, want_error->text, "(start-up succeeded)",
                "expected start-up to fail with '%s', it succeeded", want_error->text);
        return false;
    }
    if (init == TERN_INIT_DONE) {
        /* -version, -help and the like: they end start-up with status 0. */
        r->exited = true;
        r->exit_status = 0;
    }
    return true;
}

/* ---- the events ---------------------------------------------------------------------------------
 */

static Chardev *input_chardev(Replay *r, const TraceEvent *e, guint index)
{
    Chardev *chr = chardev_find(e->id);

    if (r->exited) {
        char *got = g_strdup_printf("exit %d", r->exit_status);
        diverge(r, TRACE_DIVERGED, index, "(running)", got,
                "the machine ended (exit %d) before this input", r->exit_status);
        g_free(got);
        return NULL;
    }
    if (!chr || !chardev_is_replay(chr)) {
        diverge(r, TRACE_BAD, index, NULL, NULL,
                "no chardev '%s' that reads from the host on this command line", e->id);
        return NULL;
    }
    return chr;
}

/* Delivers one in event: one line, or a piece of one. */
static void deliver_input(Replay *r, const TraceEvent *e, guint index)
{
    Chardev *chr = input_chardev(r, e, index);

    if (r->update) {
        g_ptr_array_add(r->updated->events, trace_event_copy(e));
    }
    r->last_input = e;
    r->positioned = false;
    if (chr) {
        chardev_deliver_input(chr, e->data->data, e->data->len);
    }
}

/*
 * Consecutive in events of one chardev came in one read when recorded (the
 * recorder writes a chunk's lines together, its outputs after them): they
 * are delivered a line at a time, but their output is compared once, after
 * the last.  An update writes each line's output after it.
 */
static bool continues_chunk(const Replay *r, guint i)
{
    const TraceEvent *e = g_ptr_array_index(r->trace->events, i);
    const TraceEvent *prev = g_ptr_array_index(r->trace->events, i - 1);

    return !r->update && e->kind == TRACE_IN && prev->kind == TRACE_IN && !strcmp(e->id, prev->id);
}

static void check_value(Replay *r, const TraceEvent *e, guint index, int64_t got)
{
    if (r->update) {
        TraceEvent *u = trace_event_copy(e);
        u->value = got;
        g_ptr_array_add(r->updated->events, u);
    } else if (e->value != got) {
        char *ew = g_strdup_printf("%s %" G_GINT64_FORMAT, trace_kind_name(e->kind), e->value);
        char *gw = g_strdup_printf("%s %" G_GINT64_FORMAT, trace_kind_name(e->kind), got);
        diverge(r, TRACE_DIVERGED, index, ew, gw, "expected '%s', got '%s'", ew, gw);
        g_free(ew);
        g_free(gw);
    }
}

static void check_checkpoint(Replay *r, const TraceEvent *e, guint index)
{
    Error *err = NULL;
    char *digest = snapshot_digest(&err);

    if (!digest) {
        diverge(r, TRACE_BAD, index, NULL, NULL, "checkpoint: %s", error_get_pretty(err));
        error_free(err);
        return;
    }
    if (r->update) {
        TraceEvent *u = trace_event_copy(e);
        g_free(u->text);
        u->text = g_strdup(digest);
        g_ptr_array_add(r->updated->events, u);
    } else if (strcmp(e->text, digest)) {
        char *ew = g_strdup_printf("checkpoint %s", e->text);
        char *gw = g_strdup_printf("checkpoint %s", digest);
        diverge(r, TRACE_DIVERGED, index, ew, gw, "the machine's state differs at this checkpoint");
        g_free(ew);
        g_free(gw);
    }
    g_free(digest);
}

static void check_exit(Replay *r, const TraceEvent *e, guint index)
{
    if (!r->exited && !r->update) {
        char *ew = g_strdup_printf("exit %" G_GINT64_FORMAT, e->value);
        diverge(r, TRACE_DIVERGED, index, ew, "(still running)",
                "expected '%s', the machine is still running", ew);
        g_free(ew);
        return;
    }
    if (r->exited) {
        check_value(r, e, index, r->exit_status);
    }
}

static void run_events(Replay *r)
{
    const GPtrArray *ev = r->trace->events;

    for (guint i = 1; i < ev->len && !failed(r); i++) {
        const TraceEvent *e = g_ptr_array_index(ev, i);
        guint index = i + 1;

        switch (e->kind) {
        case TRACE_OUT:
            if (!r->update) {
                window_add(r, e, index);
            }
            continue;
        case TRACE_ENTROPY:
        case TRACE_HOSTCLOCK:
            continue; /* queued at start-up, taken by the seams (an update writes what they took) */
        case TRACE_ARGS:
        case TRACE_ERROR:
            continue; /* handled by start() */
        case TRACE_ICOUNT:
            /*
             * A position: the guest runs up to it, then the window of output
             * so far ends (the recorder wrote the output before it).
             */
            run_to(r, (uint64_t)e->value, index);
            if (!failed(r)) {
                catch_up_clock(r, i + 1);
                sync_window(r, index);
            }
            if (r->update) {
                g_ptr_array_add(r->updated->events, trace_event_copy(e));
            }
            continue;
        case TRACE_CHECKPOINT:
        case TRACE_EXIT:
            /* The end with no position after the last input: the guest runs until it ends. */
            if (r->started && !r->exited && at_the_end(r, i)) {
                if (r->guest && r->positioned) {
                    run_in_place(r);
                } else if (!r->positioned) {
                    settle(r, index); /* a shutdown the last input asked for ends it here */
                    if (!r->exited) {
                        run_to_end(r, index, next_of_kind(r, i, TRACE_EXIT));
                    }
                }
            }
            break;
        default:
            break;
        }
        if (!continues_chunk(r, i)) {
            sync_window(r, index);
        }
        if (failed(r)) {
            break;
        }
        switch (e->kind) {
        case TRACE_IN:
            deliver_input(r, e, index);
            break;
        case TRACE_OPEN:
        case TRACE_CLOSE: {
            Chardev *chr = input_chardev(r, e, index);
            r->last_input = e;
            r->positioned = false;
            if (r->update) {
                g_ptr_array_add(r->updated->events, trace_event_copy(e));
            }
            if (chr && e->kind == TRACE_OPEN) {
                chardev_replay_open(chr);
            } else if (chr) {
                chardev_replay_close(chr);
            }
            break;
        }
        case TRACE_SIGNAL:
            r->last_input = e;
            r->positioned = false;
            if (r->update) {
                g_ptr_array_add(r->updated->events, trace_event_copy(e));
            }
            if (!r->exited) {
                main_loop_shutdown_from_signal((int)e->value, 0);
            }
            break;
        case TRACE_TIME:
            check_value(r, e, index, clock_get_ns(CLOCK_VIRTUAL));
            break;
        case TRACE_CHECKPOINT:
            check_checkpoint(r, e, index);
            break;
        case TRACE_EXIT:
            check_exit(r, e, index);
            break;
        default:
            break;
        }
    }
    if (!failed(r) && r->guest && r->started && !r->exited && !next_of_kind(r, 0, TRACE_EXIT)) {
        sync_cut_window(r, ev->len + 1);
    } else if (!failed(r)) {
        sync_window(r, ev->len + 1);
    }
    if (!failed(r) && replay_starved()) {
        diverge(r, TRACE_DIVERGED, 0, NULL, NULL, "the machine read more than the trace holds: %s",
                replay_starved());
    }
}

void trace_replay(const Trace *t, const TraceReplayOptions *opts, TraceResult *res, Trace **updated)
{
    Replay r = {
        .trace = t,
        .res = res,
        .update = opts && opts->update,
        .check_outputs = t->source == TRACE_SOURCE_TRACE,
        .run_budget = opts && opts->run_budget ? opts->run_budget : TRACE_RUN_BUDGET,
        .expected = streams_new(),
    };

    memset(res, 0, sizeof(*res));
    res->outcome = TRACE_PASS;
    if (r.update) {
        r.updated = trace_new_empty(t->path);
        for (guint i = 0; i < t->comments->len; i++) {
            g_ptr_array_add(r.updated->comments, g_strdup(g_ptr_array_index(t->comments, i)));
        }
        g_ptr_array_add(r.updated->events, trace_event_copy(g_ptr_array_index(t->events, 0)));
    }
    /* A guest trace: the harts run only as far as each icount event says, from 0. */
    r.guest = next_of_kind(&r, 0, TRACE_ICOUNT) != NULL;
    replay_set_icount_limit(r.guest ? 0 : UINT64_MAX);
    replay_set_mode(REPLAY_MODE_REPLAY);
    if (r.update) {
        replay_set_take_hook(on_take, &r, true);
    } else if (r.guest) {
        list_seam_reads(&r);
        replay_set_take_hook(on_take_check, &r, false);
    } else if (!r.check_outputs) {
        /* A script has no recorded host inputs: its reads take stand-ins. */
        replay_set_take_hook(NULL, NULL, true);
    }
    if (start(&r)) {
        run_events(&r);
    }
    tern_cleanup();
    replay_set_icount_limit(UINT64_MAX);
    replay_set_take_hook(NULL, NULL, false);
    replay_set_mode(REPLAY_MODE_OFF);
    g_ptr_array_free(r.expected, TRUE);
    if (r.hostclock_reads) {
        g_array_free(r.hostclock_reads, TRUE);
        g_array_free(r.entropy_reads, TRUE);
    }
    if (updated) {
        *updated = r.updated;
    } else {
        trace_free(r.updated);
    }
}

void trace_result_clear(TraceResult *res)
{
    g_free(res->command);
    g_free(res->expected);
    g_free(res->got);
    g_free(res->message);
    g_free(res->what);
    memset(res, 0, sizeof(*res));
}
