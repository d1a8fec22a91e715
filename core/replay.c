/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay.c - the recorder and the replay-side value queues of replay.h.
 *
 * A recording is written with one write(2) per trace line, so that whatever
 * the process dies of (SIGKILL, a crash in a device), the file holds every
 * event up to the last one, each line complete.  The one thing held in
 * memory is console output not yet ended by '\n' (output is coalesced into
 * lines): it is written before any other event, and at the end of the
 * main-loop iteration it was written in, so what a SIGKILL can lose is one
 * iteration's partial line.  Before each event from outside, the harts'
 * instruction count is written when it moved (icount: the event's
 * position).  The line encoding (replay_escape/replay_unescape) is the one
 * harness/trace.c reads.
 */
#include "core/replay.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "core/cutils.h"
#include "core/timer.h"

/* A partial output line longer than this is written (with \c) without waiting for its end. */
#define PENDING_OUT_MAX 4096

static ReplayMode mode = REPLAY_MODE_OFF;

/* ---- recording state ---- */
static int rec_fd = -1;
static char *rec_path;
static bool time_written;    /* a time line was written (last_time is meaningful) */
static int64_t last_time;    /* the virtual clock of the last time line */
static uint64_t last_icount; /* the instruction count of the last icount line (0 before any) */
/*
 * Output is coalesced into lines: the partial line a chardev's front end
 * has written so far (the UART writes one byte at a time) waits here until
 * its '\n', until any other event is written, or until the main loop's
 * iteration ends (the flush watch below), whichever comes first.
 */
static char *pending_id;    /* the chardev the partial line is from, NULL: none */
static GByteArray *pending; /* its bytes, no '\n' among them */

/* ---- replay state ---- */
static GByteArray *entropy_queue; /* bytes not yet taken */
static GArray *hostclock_queue;   /* int64_t, from hostclock_next on */
static guint hostclock_next;
static char *starved;           /* what ran out, NULL while nothing has */
static ReplayTakeFn *take_hook; /* the harness's --update: every value a seam takes */
static void *take_opaque;
static bool lenient; /* --update: a read beyond the trace takes a stand-in, not a divergence */
static int64_t hostclock_last; /* the last value taken: given again once the queue is empty */

ReplayMode replay_mode(void)
{
    return mode;
}

static void replay_clear_queues(void)
{
    if (entropy_queue) {
        g_byte_array_free(entropy_queue, TRUE);
        entropy_queue = NULL;
    }
    if (hostclock_queue) {
        g_array_free(hostclock_queue, TRUE);
        hostclock_queue = NULL;
    }
    hostclock_next = 0;
    hostclock_last = 0;
    g_free(starved);
    starved = NULL;
}

/*
 * The host-clock seam (clock_get_ns(CLOCK_HOST), installed with
 * clock_set_host_source while recording or replaying): recorded as
 * hostclock, or taken from the trace -- the last value again once the
 * trace has none left, replay_starved() telling the harness.
 */
static int64_t replay_host_clock(void)
{
    int64_t ns;

    if (mode == REPLAY_MODE_REPLAY) {
        if (replay_take_hostclock(&ns)) {
            hostclock_last = ns;
        }
        if (take_hook) {
            take_hook("hostclock", NULL, NULL, 0, hostclock_last, take_opaque);
        }
        return hostclock_last;
    }
    ns = clock_host_now_ns();
    replay_record_hostclock(ns);
    return ns;
}

void replay_set_mode(ReplayMode new_mode)
{
    if (new_mode == REPLAY_MODE_OFF) {
        replay_record_close();
        replay_clear_queues();
    }
    mode = new_mode;
    clock_set_host_source(mode == REPLAY_MODE_OFF ? NULL : replay_host_clock);
}

/* ---- the line encoding ---- */

void replay_escape(GString *out, const uint8_t *buf, size_t len, bool ends_line)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t c = buf[i];

        if (c == '\\') {
            g_string_append(out, "\\\\");
        } else if (c == '\r') {
            g_string_append(out, "\\r");
        } else if (c == '\t') {
            g_string_append(out, "\\t");
        } else if (c < 0x20 || c > 0x7e) {
            g_string_append_printf(out, "\\x%02x", c);
        } else {
            g_string_append_c(out, (char)c);
        }
    }
    if (!ends_line) {
        g_string_append(out, "\\c");
    }
}

bool replay_unescape(const char *text, GByteArray *out, const char **why)
{
    bool ends_line = true;

    for (const char *p = text; *p; p++) {
        uint8_t c = (uint8_t)*p;

        if (c != '\\') {
            g_byte_array_append(out, &c, 1);
            continue;
        }
        switch (*++p) {
        case '\\':
            c = '\\';
            break;
        case 'r':
            c = '\r';
            break;
        case 't':
            c = '\t';
            break;
        case 'x': {
            int hi = g_ascii_xdigit_value(p[1]);
            int lo = hi < 0 ? -1 : g_ascii_xdigit_value(p[2]);

            if (hi < 0 || lo < 0) {
                *why = "\\x needs two hex digits";
                return false;
            }
            c = (uint8_t)(hi << 4 | lo);
            p += 2;
            break;
        }
        case 'c':
            if (p[1]) {
                *why = "\\c is only allowed at the end of the line";
                return false;
            }
            ends_line = false;
            continue;
        case '\0':
            *why = "a lone backslash at the end of the line";
            return false;
        default:
            *why = "unknown escape (\\\\, \\r, \\t, \\xHH or a final \\c)";
            return false;
        }
        g_byte_array_append(out, &c, 1);
    }
    if (ends_line) {
        g_byte_array_append(out, (const uint8_t *)"\n", 1);
    }
    return true;
}

/* ---- recording ---- */

bool replay_recording(void)
{
    return rec_fd >= 0;
}

/*
 * One trace line, '\n' added, in one write(2) (the loop only finishes a
 * short write).  A failing write ends the recording with a warning: the run
 * itself goes on as it would have without -record.
 */
static void rec_write_raw(GString *line)
{
    if (rec_fd < 0) {
        return;
    }
    g_string_append_c(line, '\n');
    if (!write_full(rec_fd, line->str, line->len)) {
        warn_report("-record: writing '%s' failed: %s; the recording stops here", rec_path,
                    errno ? g_strerror(errno) : "nothing written");
        /* Closed first: what is pending is dropped, not written again. */
        close(rec_fd);
        rec_fd = -1;
        replay_record_close();
    }
}

/* Writes the pending partial output line, with \c (its line goes on in a later out line). */
static void rec_flush_pending(void)
{
    if (pending && pending->len && pending_id && rec_fd >= 0) {
        GString *line = g_string_new(NULL);

        g_string_append_printf(line, "out %s ", pending_id);
        replay_escape(line, pending->data, pending->len, false);
        rec_write_raw(line);
        g_string_free(line, TRUE);
    }
    if (pending) {
        g_byte_array_set_size(pending, 0);
    }
    g_free(pending_id);
    pending_id = NULL;
}

/*
 * The main loop calls this once an iteration, after its fd handlers: a
 * partial output line is written then, so SIGKILL can take from a
 * recording at most the partial line of one iteration.  Where a line is
 * split changes nothing the checker compares (it compares bytes per window).
 */
void replay_record_iteration_end(void)
{
    if (pending && pending->len) {
        rec_flush_pending();
    }
}

/* Every line but coalesced output: the pending partial line goes first, so order is kept. */
static void rec_write_line(GString *line)
{
    rec_flush_pending();
    rec_write_raw(line);
}

static void rec_printf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static void rec_printf(const char *fmt, ...)
{
    GString *line;
    va_list ap;

    if (rec_fd < 0) {
        return;
    }
    line = g_string_new(NULL);
    va_start(ap, fmt);
    g_string_append_vprintf(line, fmt, ap);
    va_end(ap);
    rec_write_line(line);
    g_string_free(line, TRUE);
}

/* Words made of these stay as they are; any other word is g_shell_quote'd. */
static bool word_is_plain(const char *w)
{
    if (!*w) {
        return false;
    }
    for (; *w; w++) {
        if (!g_ascii_isalnum(*w) && !strchr("-_=,.:/@%+", *w)) {
            return false;
        }
    }
    return true;
}

bool replay_record_open(const char *path, int argc, char **argv, Error **errp)
{
    GString *line;
    bool skipped = false;
    int fd;

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        error_setg_errno(errp, errno, "-record: cannot open '%s'", path);
        return false;
    }
    replay_record_close();
    rec_fd = fd;
    rec_path = g_strdup(path);
    time_written = false;
    last_time = 0;
    last_icount = 0;
    replay_set_mode(REPLAY_MODE_RECORD);

    rec_printf("tern-trace %d", REPLAY_TRACE_VERSION);
    line = g_string_new("args");
    for (int i = 1; i < argc; i++) {
        /* The first "-record PATH" (or "--record PATH") is this recording's, not the run's. */
        if (!skipped && i + 1 < argc &&
            (!strcmp(argv[i], "-record") || !strcmp(argv[i], "--record")) &&
            !strcmp(argv[i + 1], path)) {
            skipped = true;
            i++;
            continue;
        }
        g_string_append_c(line, ' ');
        if (word_is_plain(argv[i])) {
            g_string_append(line, argv[i]);
        } else {
            char *q = g_shell_quote(argv[i]);
            g_string_append(line, q);
            g_free(q);
        }
    }
    rec_write_line(line);
    g_string_free(line, TRUE);
    return rec_fd >= 0;
}

/* A time line when the virtual clock moved since the last one (or first, if not at 0). */
static void rec_time(void)
{
    int64_t now = clock_get_ns(CLOCK_VIRTUAL);

    if (time_written ? now != last_time : now != 0) {
        rec_printf("time %" PRId64, now);
        time_written = true;
        last_time = now;
    }
}

/*
 * An icount line when the instruction count moved since the last one: the
 * position of the event that follows (an input, a seam's read, a signal,
 * the final checkpoint).  Nothing without a hart (qtest): the count stays 0.
 */
static void rec_icount(void)
{
    uint64_t now = replay_icount();

    if (rec_fd >= 0 && now != last_icount) {
        rec_printf("icount %" PRIu64, now);
        last_icount = now;
    }
}

/* One line per '\n'-ended piece of buf, the last piece with \c if it has no '\n'. */
static void rec_chunk(const char *kind, const char *id, const uint8_t *buf, size_t len)
{
    size_t start = 0;

    while (start < len && rec_fd >= 0) {
        const uint8_t *nl = memchr(buf + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - buf) : len;
        GString *line = g_string_new(NULL);

        /* An empty line is "KIND ID": no trailing space for an editor to strip. */
        g_string_append_printf(line, end > start || !nl ? "%s %s " : "%s %s", kind, id);
        replay_escape(line, buf + start, end - start, nl != NULL);
        rec_write_line(line);
        g_string_free(line, TRUE);
        start = nl ? end + 1 : len;
    }
}

void replay_record_chardev_in(const char *id, const uint8_t *buf, size_t len)
{
    if (rec_fd < 0 || !len) {
        return;
    }
    rec_flush_pending();
    rec_icount();
    rec_time();
    rec_chunk("in", id, buf, len);
}

/*
 * Coalesced: each '\n' ends an out line (with what was pending before it);
 * what follows the last '\n' waits in pending.  Output of another chardev
 * first writes the pending piece of this one.
 */
void replay_record_chardev_out(const char *id, const uint8_t *buf, size_t len)
{
    size_t start = 0;

    if (rec_fd < 0 || !len) {
        return;
    }
    if (pending_id && strcmp(pending_id, id)) {
        rec_flush_pending();
    }
    if (!pending) {
        pending = g_byte_array_new();
    }
    while (start < len && rec_fd >= 0) {
        const uint8_t *nl = memchr(buf + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - buf) : len;

        if (!nl) {
            g_byte_array_append(pending, buf + start, (guint)(end - start));
            break;
        }
        GString *line = g_string_new(NULL);
        /* An empty line is "out ID": no trailing space for an editor to strip. */
        g_string_append_printf(line, pending->len || end > start ? "out %s " : "out %s", id);
        replay_escape(line, pending->data, pending->len, true);
        replay_escape(line, buf + start, end - start, true);
        g_byte_array_set_size(pending, 0);
        rec_write_raw(line);
        g_string_free(line, TRUE);
        start = end + 1;
    }
    if (rec_fd < 0) {
        return; /* a write failed: the recording ended (and dropped what was pending) */
    }
    if (!pending->len) {
        g_free(pending_id);
        pending_id = NULL;
        return;
    }
    if (!pending_id) {
        pending_id = g_strdup(id);
    }
    if (pending->len >= PENDING_OUT_MAX) {
        rec_flush_pending();
    }
}

void replay_record_chardev_open(const char *id)
{
    rec_flush_pending();
    rec_icount();
    rec_printf("open %s", id);
}

void replay_record_chardev_close(const char *id)
{
    rec_flush_pending();
    rec_icount();
    rec_printf("close %s", id);
}

void replay_record_entropy(const char *id, const uint8_t *buf, size_t len)
{
    GString *line;

    if (rec_fd < 0 || !len) {
        return;
    }
    rec_flush_pending();
    rec_icount();
    line = g_string_new(NULL);
    g_string_append_printf(line, "entropy %s ", id);
    for (size_t i = 0; i < len; i++) {
        g_string_append_printf(line, "%02x", buf[i]);
    }
    rec_write_line(line);
    g_string_free(line, TRUE);
}

void replay_record_hostclock(int64_t ns)
{
    rec_flush_pending();
    rec_icount();
    rec_printf("hostclock %" PRId64, ns);
}

void replay_record_checkpoint(const char *digest)
{
    rec_flush_pending();
    rec_icount();
    rec_printf("checkpoint %s", digest);
}

void replay_record_error(const char *message)
{
    GString *line;

    if (rec_fd < 0) {
        return;
    }
    line = g_string_new("error ");
    replay_escape(line, (const uint8_t *)message, strlen(message), true);
    rec_write_line(line);
    g_string_free(line, TRUE);
}

void replay_record_exit(int status)
{
    rec_printf("exit %d", status);
}

void replay_record_close(void)
{
    rec_flush_pending();
    if (pending) {
        g_byte_array_free(pending, TRUE);
        pending = NULL;
    }
    if (rec_fd >= 0) {
        close(rec_fd);
        rec_fd = -1;
    }
    g_free(rec_path);
    rec_path = NULL;
    if (mode == REPLAY_MODE_RECORD) {
        mode = REPLAY_MODE_OFF;
        clock_set_host_source(NULL);
    }
}

/* ---- replay ---- */

void replay_queue_entropy(const uint8_t *buf, size_t len)
{
    if (!entropy_queue) {
        entropy_queue = g_byte_array_new();
    }
    g_byte_array_append(entropy_queue, buf, len);
}

void replay_queue_hostclock(int64_t ns)
{
    if (!hostclock_queue) {
        hostclock_queue = g_array_new(FALSE, FALSE, sizeof(int64_t));
    }
    g_array_append_val(hostclock_queue, ns);
}

static void set_starved(const char *what)
{
    if (!starved) {
        starved = g_strdup(what);
    }
}

bool replay_take_entropy(const char *id, uint8_t *buf, size_t len)
{
    size_t have = entropy_queue ? entropy_queue->len : 0;
    size_t n = MIN(have, len);

    if (have < len && !lenient) {
        char *what =
            g_strdup_printf("entropy: %zu bytes asked for, the trace has %zu left", len, have);
        set_starved(what);
        g_free(what);
        return false;
    }
    if (n) {
        memcpy(buf, entropy_queue->data, n);
        g_byte_array_remove_range(entropy_queue, 0, n);
    }
    memset(buf + n, 0, len - n); /* lenient: zeros stand in for what the trace lacks */
    if (take_hook && len) {
        take_hook("entropy", id, buf, len, 0, take_opaque);
    }
    return true;
}

bool replay_take_hostclock(int64_t *ns)
{
    if (!hostclock_queue || hostclock_next >= hostclock_queue->len) {
        if (!lenient) {
            set_starved("hostclock: a host-clock read, the trace has no value left");
        }
        return false;
    }
    *ns = g_array_index(hostclock_queue, int64_t, hostclock_next++);
    return true;
}

void replay_set_take_hook(ReplayTakeFn *fn, void *opaque, bool lenient_reads)
{
    take_hook = fn;
    take_opaque = opaque;
    lenient = lenient_reads;
}

void replay_record_signal(int signo)
{
    if (replay_recording()) {
        rec_flush_pending();
        rec_icount();
        rec_printf("signal %d", signo);
    }
}

const char *replay_starved(void)
{
    return starved;
}

/* ---- instruction counts ------------------------------------------------------------------ */

static uint64_t (*replay_icount_read)(void);
static uint64_t replay_icount_stop = UINT64_MAX;

void replay_set_icount_source(uint64_t (*read)(void))
{
    replay_icount_read = read;
}

uint64_t replay_icount(void)
{
    return replay_icount_read ? replay_icount_read() : 0;
}

void replay_set_icount_limit(uint64_t limit)
{
    replay_icount_stop = limit;
}

uint64_t replay_icount_limit(void)
{
    return replay_icount_stop;
}
