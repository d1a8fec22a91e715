/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest.c - the qtest protocol server (../shared/spec/qtest-protocol.md).
 *
 * Input is cut into lines; each line is split on every single space (an
 * empty word is a word) and dispatched by its first word.  Every request
 * gets exactly one reply line.  Where QEMU asserts on a malformed request,
 * this file answers "ERR <command>: <what>" and changes nothing; where QEMU
 * answers (FAIL replies, "ERR invalid argument size", lenient hex and base64)
 * the reply is QEMU's, byte for byte.
 *
 * Interrupt interception is per run, not per connection: the wrapped lines
 * are recorded in a hidden property of the intercepted device, whose release
 * (when the device is finalized) puts the original handlers back, so nothing
 * dangles whichever of server and machine goes first.
 *
 * Not here: the client (libqtest.c), the accelerator (accel-qtest.c).
 */
#include "qtest/qtest.h"
#include "qtest/qtest-log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "core/accel.h"
#include "core/bswap.h"
#include "core/chardev.h"
#include "core/cutils.h"
#include "core/machine.h"
#include "core/main-loop.h"
#include "core/memory.h"
#include "core/module.h"
#include "core/object.h"
#include "core/qdev.h"
#include "core/timer.h"
#include "core/vl.h"
#include "cpu/hart.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QTEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(QTEST_ASAN)
#define QTEST_ASAN 1
#endif
#ifdef QTEST_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

#define QTEST_IO_SPACE_SIZE   0x10000
#define QTEST_LINE_SLACK      4096 /* command, address and size words around the data */
#define QTEST_ECHO_MAX        64   /* longest bad word quoted back in an ERR reply */
#define QTEST_DEFERRED_ROUNDS 1000

struct QTestServer {
    QTestSendFunc *send;
    void *opaque;
    FILE *log;
    int log_fd; /* fileno(log), or -1 (a stream without a descriptor: written through stdio) */
    bool own_log;
    bool log_requests_only; /* no "[S +t]" lines: QEMU's in-process fuzzer log */
    bool open;
    unsigned closes; /* bumped by every close: a feed stops when its connection went */
    int64_t opened_ns;
    GString *in;      /* a partial line waiting for its '\n' */
    GString *line;    /* the line being executed (split in place) */
    GPtrArray *words; /* its words when a line has more than a command's few (reused) */
    GString *out;     /* the reply being built */
    GString *log_buf; /* log lines not yet written (qtest_flush) */
    GString *replies; /* replies not yet sent: always after log_buf's lines */
    bool discarding;  /* the current line outgrew the limit: drop it up to its '\n' */
    uint64_t transfer_limit;
    GArray *irq_levels;   /* int per line number: libqtest's 256, grown for larger N */
    GArray *saved_levels; /* qtest_server_session_save(), or NULL */
    void *saved_intercept;
    unsigned depth;       /* qtest_server_feed() calls under way (nested: a DMA fill) */
    MemoryRegion io_root; /* the empty 64 KiB port I/O space */
    AddressSpace io_as;
    int64_t log_held_ns; /* when the oldest line in log_buf was logged */
    /* The last reply line's stamp, which the next request line of the chunk may share. */
    int64_t reply_ns;
    bool reply_ns_fresh;
    /* The prefix last formatted, for the relative stamp prefix_ns (tag at [1]). */
    int64_t prefix_ns;
    size_t prefix_len;
    char prefix[QTEST_LOG_PREFIX_MAX];
};

/* The server intercepted lines report to: the newest one. */
static QTestServer *irq_sink;

/* ---- log and replies ------------------------------------------------------------------------ */

/*
 * The log and the replies of one chunk of input are collected and go out
 * together when the chunk is done (or its replies pass QTEST_REPLY_BATCH):
 * the log lines first, in one write(), then the replies in one send.  A
 * reader of both never sees a reply before its log line, and a command
 * costs no flush of its own.  Outside a feed (an IRQ line moved by a timer)
 * everything goes out at once.
 *
 * A long chunk must not keep its lines from the file when the process dies
 * in it, as it may while a fuzzer drives it: held lines are written early
 * once the oldest is more than QTEST_LOG_HOLD_NS old (timed with the stamp
 * each line has anyway; a SIGKILL loses at most that much), and a crash or
 * a fatal error writes them first (qtest_crash_flush(), qtest_log_flush()).
 */
#define QTEST_REPLY_BATCH (64 * 1024)
#define QTEST_LOG_HOLD_NS (1000 * 1000)

/*
 * Set while log_buf changes: a crash then writes nothing rather than a torn
 * buffer.  The fences keep the compiler from moving the buffer's stores out.
 */
static volatile sig_atomic_t log_busy;

static inline void log_busy_set(int busy)
{
    atomic_signal_fence(memory_order_seq_cst);
    log_busy = busy;
    atomic_signal_fence(memory_order_seq_cst);
}

/* g_string_append_len() without its general insert path: the log and reply buffers only grow. */
static inline void qtest_buf_append(GString *buf, const char *text, size_t len)
{
    if (buf->len + len < buf->allocated_len) {
        memcpy(buf->str + buf->len, text, len);
        buf->len += len;
        buf->str[buf->len] = '\0';
    } else {
        g_string_append_len(buf, text, len);
    }
}

static void qtest_write_log(QTestServer *s)
{
    const char *p = s->log_buf->str;
    size_t left = s->log_buf->len;

    /* A write, and the send of the replies after it, may block: no stamp is shared past it. */
    s->reply_ns_fresh = false;

    if (!left || !s->log) {
        g_string_truncate(s->log_buf, 0);
        return;
    }
    log_busy_set(1);
    if (s->log_fd < 0) {
        fwrite(p, 1, left, s->log);
        fflush(s->log);
    } else {
        /* As QEMU's unchecked fprintf: a full disk loses log lines, not replies. */
        write_full(s->log_fd, p, left);
    }
    g_string_truncate(s->log_buf, 0);
    log_busy_set(0);
}

/* ---- held log lines on a crash -------------------------------------------------------------- */

/*
 * While a server has a log with a descriptor, the crash signals run
 * qtest_crash_handler(): it writes the held lines with write() (all it
 * does is async-signal-safe), puts the previous action back and lets it
 * run.  A fault returns to the faulting instruction, which traps again
 * under that action (ASan's report, a fuzzer's, or the default core dump);
 * a sent signal (abort(), kill) is raised again, to be delivered once the
 * handler returns.  Under ASan its death callback writes them too, for the
 * errors it reports without a signal.  One server at a time: the last to
 * be given a log.
 *
 * Not for the fuzzers' requests-only log: there the fuzz engine owns the
 * crash signals and the death callback (libFuzzer leaves a handler it finds
 * in place and so would skip its own, which saves the crashing input), and
 * each request line is written as it is logged instead.  The callback, once
 * set, stays: there is no reading back the one it would replace.
 */
static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
static struct sigaction crash_saved[G_N_ELEMENTS(crash_signals)];
static QTestServer *volatile crash_server;

static void qtest_crash_flush(void)
{
    QTestServer *s = crash_server;

    if (!s || log_busy || s->log_fd < 0) {
        return;
    }
    write_full(s->log_fd, s->log_buf->str, s->log_buf->len); /* write() only: signal-safe */
    s->log_buf->len = 0; /* written once, whichever hook comes first */
}

static void qtest_crash_handler(int sig, siginfo_t *info, void *context)
{
    int saved_errno = errno;

    (void)context;
    qtest_crash_flush();
    for (size_t i = 0; i < G_N_ELEMENTS(crash_signals); i++) {
        if (crash_signals[i] == sig) {
            sigaction(sig, &crash_saved[i], NULL);
        }
    }
    if (info->si_code <= 0) {
        raise(sig); /* sent, not a fault: blocked here, so delivered on return */
    }
    errno = saved_errno;
}

/* Makes s the server a crash writes out (NULL: none, previous handlers back). */
static void qtest_crash_hooks_set(QTestServer *s)
{
    if (s && !crash_server) {
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = qtest_crash_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK; /* ASan's alternate stack, if any */
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < G_N_ELEMENTS(crash_signals); i++) {
            sigaction(crash_signals[i], &sa, &crash_saved[i]);
        }
#ifdef QTEST_ASAN
        static bool death_callback_set;
        if (!death_callback_set) {
            __sanitizer_set_death_callback(qtest_crash_flush);
            death_callback_set = true;
        }
#endif
    } else if (!s && crash_server) {
        for (size_t i = 0; i < G_N_ELEMENTS(crash_signals); i++) {
            sigaction(crash_signals[i], &crash_saved[i], NULL);
        }
    }
    crash_server = s;
}

static void qtest_crash_hooks_update(QTestServer *s)
{
    if (s->log_fd >= 0 && !s->log_requests_only) {
        qtest_crash_hooks_set(s);
    } else if (crash_server == s) {
        qtest_crash_hooks_set(NULL);
    }
}

static void qtest_flush(QTestServer *s)
{
    qtest_write_log(s);
    if (s->replies->len) {
        s->send(s->opaque, s->replies->str, s->replies->len);
        g_string_truncate(s->replies, 0);
    }
}

void qtest_log_flush(void)
{
    if (irq_sink) {
        qtest_write_log(irq_sink);
    }
}

/*
 * The stamp of a relative log line: the clock, read once per command where
 * it can be (a clock read costs about as much as the rest of a RAM
 * command's log line).  A request line takes the stamp of the reply line
 * logged just before it in the same chunk, when only the end of that
 * command and the request's parse came between them, far under the
 * microsecond the stamp shows.  The sharing ends with the chunk, whenever
 * deferred work ran in between (qtest_stamp_forget()), and at every write
 * of the log or send of the replies (qtest_write_log()), either of which
 * may block on a slow reader.
 */
static int64_t qtest_log_stamp(QTestServer *s, char tag)
{
    int64_t ns;

    if (tag == 'R' && s->reply_ns_fresh) {
        ns = s->reply_ns;
    } else {
        ns = clock_get_ns(CLOCK_RT) - s->opened_ns;
    }
    s->reply_ns = ns;
    s->reply_ns_fresh = tag == 'S';
    return ns;
}

static inline void qtest_stamp_forget(QTestServer *s)
{
    s->reply_ns_fresh = false;
}

/*
 * Appends "[TAG +t] text" (or "[TAG 0.000000] text" for !relative) to the
 * log, written straight into log_buf.  Lines a few per microsecond apart
 * share one stamp text: the prefix is formatted again only when the stamp
 * changed.
 */
static void qtest_log_append(QTestServer *s, char tag, bool relative, const char *text, size_t len)
{
    int64_t ns = relative ? qtest_log_stamp(s, tag) : 0;
    GString *buf = s->log_buf;
    bool held = buf->len;
    size_t n, need;
    char *p;

    if (!relative) {
        qtest_stamp_forget(s);
        s->prefix_len = 0; /* the cache holds relative prefixes only */
        n = qtest_log_format_prefix(s->prefix, tag, false, 0);
    } else if (s->prefix_len && ns == s->prefix_ns) {
        n = s->prefix_len;
        s->prefix[1] = tag;
    } else {
        n = s->prefix_len = qtest_log_format_prefix(s->prefix, tag, true, ns);
        s->prefix_ns = ns;
    }
    need = n + 1 + len + 1;
    log_busy_set(1);
    if (buf->len + need >= buf->allocated_len) {
        size_t old = buf->len;

        g_string_set_size(buf, old + need); /* grows it; the length is set back below */
        buf->len = old;
    }
    p = buf->str + buf->len;
    memcpy(p, s->prefix, n);
    p += n;
    if (len) {
        *p++ = ' ';
        memcpy(p, text, len);
        p += len;
    }
    *p++ = '\n';
    *p = '\0';
    buf->len = (size_t)(p - buf->str);
    log_busy_set(0);
    if (!s->depth) {
        qtest_flush(s);
    } else if (s->log_requests_only) {
        qtest_write_log(s); /* no reply lines to keep behind: the request is out before it runs */
    } else if (!held) {
        s->log_held_ns = ns;
    } else if ((uint64_t)(ns - s->log_held_ns) > QTEST_LOG_HOLD_NS) {
        qtest_write_log(s); /* earlier than the replies still: the order holds */
    }
}

static void qtest_log_line(QTestServer *s, const char *tag, const char *text, size_t len)
{
    if (!s->log || (s->log_requests_only && tag[0] == 'S')) {
        return;
    }
    qtest_log_append(s, tag[0], true, text, len);
}

/* Logs a line as "[S +t] ..." and sends it; line ends in its '\n' (len counts it). */
static void qtest_emit(QTestServer *s, const char *line, size_t len)
{
    qtest_log_line(s, "S", line, len - 1);
    qtest_buf_append(s->replies, line, len);
    if (!s->depth || s->replies->len >= QTEST_REPLY_BATCH) {
        qtest_flush(s);
    }
}

/* Sends the reply built in s->out (without its '\n'). */
static void qtest_send_out(QTestServer *s)
{
    g_string_append_c(s->out, '\n');
    qtest_emit(s, s->out->str, s->out->len);
    g_string_truncate(s->out, 0);
}

/* "OK" and "OK 0x%016x": the replies of nearly every command, built without printf. */
static void qtest_send_ok(QTestServer *s)
{
    qtest_emit(s, "OK\n", 3);
}

static void qtest_send_ok_hex64(QTestServer *s, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    char text[22] = "OK 0x";

    for (int i = 0; i < 16; i++) {
        text[5 + i] = hex[(v >> (60 - 4 * i)) & 0xf];
    }
    text[21] = '\n';
    qtest_emit(s, text, sizeof(text));
}

static void G_GNUC_PRINTF(2, 3) qtest_sendf(QTestServer *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_string_truncate(s->out, 0);
    g_string_append_vprintf(s->out, fmt, ap);
    va_end(ap);
    qtest_send_out(s);
}

/* ---- requests ------------------------------------------------------------------------------- */

typedef struct QTestCommand QTestCommand;

typedef struct Request {
    QTestServer *s;
    const QTestCommand *cmd;
    char **words;
    int nwords;
} Request;

struct QTestCommand {
    const char *name;
    void (*run)(Request *r);
    unsigned size;                 /* access width (sized commands); 1: irq_intercept_out */
    int nargs;                     /* mandatory arguments */
    const char *const argnames[4]; /* for "missing argument" */
};

static void G_GNUC_PRINTF(2, 3) req_err(Request *r, const char *fmt, ...)
{
    QTestServer *s = r->s;
    va_list ap;

    g_string_printf(s->out, "ERR %s: ", r->cmd->name);
    va_start(ap, fmt);
    g_string_append_vprintf(s->out, fmt, ap);
    va_end(ap);
    qtest_send_out(s);
}

/* A word quoted back in an error: shortened when long. */
static char *req_quote(const char *word)
{
    size_t len = strlen(word);

    if (len <= QTEST_ECHO_MAX) {
        return g_strdup(word);
    }
    return g_strdup_printf("%.*s...", QTEST_ECHO_MAX, word);
}

/* True when every mandatory argument is there; else answers which one is missing. */
static bool req_check_args(Request *r)
{
    if (r->nwords - 1 >= r->cmd->nargs) {
        return true;
    }
    req_err(r, "missing argument %s", r->cmd->argnames[r->nwords - 1]);
    return false;
}

/*
 * Numbers as C's strtoull/strtoll with base 0 (spec §2.1): the whole word,
 * not empty, in range.  A leading '-' on an unsigned field wraps modulo 2^64
 * as strtoull does.
 */
/*
 * The common forms ("0x" + up to 16 hex digits, or up to 19 decimal digits)
 * are parsed here directly: strtoull's locale handling was the server's
 * hottest function.  Anything else (octal, signs, overflow) goes to libc.
 */
/* Digit values by character: 0-15, or 16 for anything that is not a hex digit. */
static uint8_t hex_digit[256];

static void hex_digit_init(void)
{
    memset(hex_digit, 16, sizeof(hex_digit));
    for (int i = 0; i < 10; i++) {
        hex_digit['0' + i] = i;
    }
    for (int i = 0; i < 6; i++) {
        hex_digit['a' + i] = hex_digit['A' + i] = 10 + i;
    }
}

static bool parse_fast(const char *word, uint64_t *value)
{
    const unsigned char *p = (const unsigned char *)word;
    uint64_t v = 0;
    unsigned d;
    int n;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        for (p += 2, n = 0; (d = hex_digit[*p]) < 16; p++, n++) {
            v = v << 4 | d;
        }
        if (*p || n == 0 || n > 16) {
            return false;
        }
        *value = v;
        return true;
    }
    if (p[0] < '1' || p[0] > '9') {
        return false; /* "0", octal, signs, empty: libc decides */
    }
    for (n = 0; (d = (unsigned)*p - '0') < 10; p++, n++) {
        v = v * 10 + d;
    }
    if (*p || n > 19) {
        return false;
    }
    *value = v;
    return true;
}

static bool parse_u64(const char *word, uint64_t *value)
{
    char *end;
    unsigned long long v;

    if (parse_fast(word, value)) {
        return true;
    }
    errno = 0;
    v = strtoull(word, &end, 0);
    if (errno || end == word || *end) {
        return false;
    }
    *value = v;
    return true;
}

static bool parse_i64(const char *word, int64_t *value)
{
    char *end;
    long long v;
    uint64_t u;

    if (parse_fast(word, &u) && u <= INT64_MAX) {
        *value = (int64_t)u;
        return true;
    }
    errno = 0;
    v = strtoll(word, &end, 0);
    if (errno || end == word || *end) {
        return false;
    }
    *value = v;
    return true;
}

static bool req_bad_number(Request *r, int i)
{
    char *q = req_quote(r->words[i]);

    req_err(r, "invalid number '%s' for %s", q, r->cmd->argnames[i - 1]);
    g_free(q);
    return false;
}

static bool req_u64(Request *r, int i, uint64_t *value)
{
    return parse_u64(r->words[i], value) || req_bad_number(r, i);
}

static bool req_i64(Request *r, int i, int64_t *value)
{
    return parse_i64(r->words[i], value) || req_bad_number(r, i);
}

static bool req_i32(Request *r, int i, int *value)
{
    int64_t v;

    if (!parse_i64(r->words[i], &v) || v < INT_MIN || v > INT_MAX) {
        return req_bad_number(r, i);
    }
    *value = (int)v;
    return true;
}

/* A SIZE the bulk commands accept. */
static bool req_size_ok(Request *r, uint64_t size)
{
    if (size > r->s->transfer_limit) {
        req_err(r, "SIZE exceeds limit (%" PRIu64 " bytes)", r->s->transfer_limit);
        return false;
    }
    return true;
}

/* Guest memory as hart 0 sees it, or an ERR when there is no machine yet. */
static AddressSpace *req_memory(Request *r)
{
    AddressSpace *as = address_space_memory();

    if (!as) {
        req_err(r, "no machine yet");
    }
    return as;
}

/* ---- memory and ports ----------------------------------------------------------------------- */

static bool req_port(Request *r, uint64_t *port)
{
    if (!req_u64(r, 1, port)) {
        return false;
    }
    if (*port > 0xffff) {
        req_err(r, "port address 0x%" PRIx64 " out of range", *port);
        return false;
    }
    return true;
}

static void cmd_out(Request *r)
{
    uint64_t port = 0, value = 0;
    uint8_t buf[4];

    if (!req_port(r, &port) || !req_u64(r, 2, &value)) {
        return;
    }
    store_le_sized(buf, value, r->cmd->size);
    address_space_write(&r->s->io_as, port, buf, r->cmd->size);
    qtest_send_ok(r->s);
}

static void cmd_in(Request *r)
{
    uint64_t port = 0;
    uint8_t buf[4];

    if (!req_port(r, &port)) {
        return;
    }
    address_space_read(&r->s->io_as, port, buf, r->cmd->size);
    qtest_sendf(r->s, "OK 0x%04x", (unsigned)load_le_sized(buf, r->cmd->size));
}

static void cmd_write_sized(Request *r)
{
    uint64_t addr = 0, value = 0;
    uint8_t buf[8];
    AddressSpace *as;

    if (!req_u64(r, 1, &addr) || !req_u64(r, 2, &value) || !(as = req_memory(r))) {
        return;
    }
    store_le_sized(buf, value, r->cmd->size);
    address_space_write(as, addr, buf, r->cmd->size);
    qtest_send_ok(r->s);
}

static void cmd_read_sized(Request *r)
{
    uint64_t addr = 0;
    uint8_t buf[8];
    AddressSpace *as;

    if (!req_u64(r, 1, &addr) || !(as = req_memory(r))) {
        return;
    }
    address_space_read(as, addr, buf, r->cmd->size);
    qtest_send_ok_hex64(r->s, load_le_sized(buf, r->cmd->size));
}

static void cmd_read(Request *r)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t addr = 0, size = 0;
    AddressSpace *as;
    uint8_t *data;
    GString *out = r->s->out;

    if (!req_u64(r, 1, &addr) || !req_u64(r, 2, &size)) {
        return;
    }
    if (size == 0) {
        req_err(r, "SIZE must be non-zero");
        return;
    }
    if (!req_size_ok(r, size) || !(as = req_memory(r))) {
        return;
    }
    data = g_malloc(size);
    address_space_read(as, addr, data, size);
    g_string_truncate(out, 0);
    g_string_set_size(out, 5 + 2 * size);
    memcpy(out->str, "OK 0x", 5);
    for (uint64_t i = 0; i < size; i++) {
        out->str[5 + 2 * i] = hex[data[i] >> 4];
        out->str[6 + 2 * i] = hex[data[i] & 15];
    }
    g_free(data);
    qtest_send_out(r->s);
}

/* QEMU's hex digit decoder: -1 for anything else. */
static int hex_nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/*
 * write DATA (spec §3.1): the first two characters are skipped, byte i comes
 * from characters 2+2i and 3+2i, missing bytes are zero.  A bad digit is not
 * an error: QEMU computes (-1 << 4) | low, i.e. 0xf0|low for a bad high
 * nibble and 0xff for a bad low one, and so does this.
 */
static void cmd_write(Request *r)
{
    const char *text = r->words[3];
    size_t text_len = strlen(text);
    uint64_t addr = 0, size = 0;
    AddressSpace *as;
    uint8_t *data;

    if (!req_u64(r, 1, &addr) || !req_u64(r, 2, &size)) {
        return;
    }
    if (text_len < 3) {
        qtest_sendf(r->s, "ERR invalid argument size");
        return;
    }
    if (!req_size_ok(r, size) || !(as = req_memory(r))) {
        return;
    }
    data = g_malloc0(size ? size : 1);
    for (uint64_t i = 0; i < size && i * 2 + 4 <= text_len; i++) {
        int hi = hex_nibble(text[2 + 2 * i]), lo = hex_nibble(text[3 + 2 * i]);
        uint8_t b = hi < 0 ? 0xf0 : (uint8_t)(hi << 4);

        data[i] = lo < 0 ? 0xff : (uint8_t)(b | lo);
    }
    address_space_write(as, addr, data, size);
    g_free(data);
    qtest_send_ok(r->s);
}

static void cmd_b64read(Request *r)
{
    uint64_t addr = 0, size = 0;
    AddressSpace *as;
    uint8_t *data;
    char *b64;

    if (!req_u64(r, 1, &addr) || !req_u64(r, 2, &size) || !req_size_ok(r, size) ||
        !(as = req_memory(r))) {
        return;
    }
    data = g_malloc(size ? size : 1);
    address_space_read(as, addr, data, size);
    b64 = g_base64_encode(data, size);
    g_free(data);
    g_string_assign(r->s->out, "OK ");
    g_string_append(r->s->out, b64);
    g_free(b64);
    qtest_send_out(r->s);
}

/*
 * b64write: glib's lenient decoder (as QEMU).  A length mismatch is only
 * logged; SIZE bytes are written, zeros past the decoded data (QEMU writes
 * whatever its buffer held there).
 */
static void cmd_b64write(Request *r)
{
    const char *text = r->words[3];
    uint64_t addr = 0, size = 0;
    AddressSpace *as;
    uint8_t *data, *decoded;
    gsize decoded_len = 0;

    if (!req_u64(r, 1, &addr) || !req_u64(r, 2, &size)) {
        return;
    }
    if (strlen(text) < 3) {
        qtest_sendf(r->s, "ERR invalid argument size");
        return;
    }
    if (!req_size_ok(r, size) || !(as = req_memory(r))) {
        return;
    }
    decoded = g_base64_decode(text, &decoded_len);
    if (decoded_len != size) {
        char *msg = g_strdup_printf("b64write: data length mismatch (told %" PRIu64 ", found %zu)",
                                    size, (size_t)decoded_len);
        qtest_log_line(r->s, "S", msg, strlen(msg));
        g_free(msg);
    }
    data = g_malloc0(size ? size : 1);
    memcpy(data, decoded, MIN((uint64_t)decoded_len, size));
    g_free(decoded);
    address_space_write(as, addr, data, size);
    g_free(data);
    qtest_send_ok(r->s);
}

static void cmd_memset(Request *r)
{
    uint64_t addr = 0, size = 0, byte = 0;
    AddressSpace *as;
    uint8_t *data;

    if (!req_u64(r, 1, &addr) || !req_u64(r, 2, &size) || !req_u64(r, 3, &byte) ||
        !req_size_ok(r, size) || !(as = req_memory(r))) {
        return;
    }
    if (size) {
        data = g_malloc(size);
        memset(data, (int)(byte & 0xff), size);
        address_space_write(as, addr, data, size);
        g_free(data);
    }
    qtest_send_ok(r->s);
}

static void cmd_endianness(Request *r)
{
    qtest_sendf(r->s, "OK little");
}

/* ---- the virtual clock (qtest accelerator only) --------------------------------------------- */

static bool clock_commands_available(void)
{
    const AccelOps *accel = accel_current();

    return accel && !strcmp(accel->name, "qtest");
}

static void cmd_clock_step(Request *r)
{
    int64_t now = clock_get_ns(CLOCK_VIRTUAL), step = 0, target = 0;

    if (r->nwords > 1) {
        if (!req_i64(r, 1, &step)) {
            return;
        }
        /* Refused, not saturated: a step that cannot be taken in full is not taken. */
        if (step <= 0 || !clock_deadline_reachable(now, (uint64_t)step)) {
            qtest_sendf(r->s, "FAIL could not advance time");
            return;
        }
        target = clock_deadline_add(now, (uint64_t)step);
    } else {
        target = clock_deadline_ns(CLOCK_VIRTUAL);
        if (target < 0) {
            qtest_sendf(r->s, "FAIL cannot advance clock to the next deadline because there is "
                              "no pending deadline");
            return;
        }
        target = MAX(target, now);
    }
    clock_advance_virtual_to(target);
    qtest_sendf(r->s, "OK %" PRIi64, clock_get_ns(CLOCK_VIRTUAL));
}

static void cmd_clock_set(Request *r)
{
    int64_t now = clock_get_ns(CLOCK_VIRTUAL), target = 0;

    if (!req_i64(r, 1, &target)) {
        return;
    }
    if (target < now) {
        qtest_sendf(r->s, "FAIL %" PRIi64, now);
        return;
    }
    clock_advance_virtual_to(target);
    qtest_sendf(r->s, "OK %" PRIi64, clock_get_ns(CLOCK_VIRTUAL));
}

/* ---- interrupt lines ------------------------------------------------------------------------ */

/*
 * One wrapped line.  In: the device's own input, whose handler now points
 * here (the original is called first).  Out: a line of ours stored in the
 * device's output field; it forwards to the line that was there.
 */
typedef struct IrqHook {
    qemu_irq irq;
    qemu_irq *field; /* out: the device's field */
    qemu_irq old_irq;
    qemu_irq_handler old_handler;
    void *old_opaque;
} IrqHook;

typedef struct Intercept {
    DeviceState *dev;
    GPtrArray *hooks;
} Intercept;

#define INTERCEPT_PROP "qtest-irq-intercept"

/* The device of this run whose lines are wrapped, or NULL. */
static Intercept *intercept;

static void irq_report(int n, int level)
{
    QTestServer *s = irq_sink;
    char line[64];
    int len;

    if (!s) {
        return;
    }
    if (n < 0) {
        return; /* qemu_irq line numbers are never negative */
    }
    if ((guint)n >= s->irq_levels->len) {
        g_array_set_size(s->irq_levels, (guint)n + 1);
    }
    if (g_array_index(s->irq_levels, int, n) == level) {
        return;
    }
    g_array_index(s->irq_levels, int, n) = level;
    /* Not through s->out: a reply may be half built when a line moves. */
    len = snprintf(line, sizeof(line), "IRQ %s %d\n", level ? "raise" : "lower", n);
    qtest_emit(s, line, (size_t)len);
}

static void irq_in_handler(void *opaque, int n, int level)
{
    IrqHook *hook = opaque;

    if (hook->old_handler) {
        hook->old_handler(hook->old_opaque, n, level);
    }
    irq_report(n, level);
}

static void irq_out_handler(void *opaque, int n, int level)
{
    IrqHook *hook = opaque;

    qemu_set_irq(hook->old_irq, level);
    irq_report(n, level);
}

/* The device is going away: put its lines back as they were. */
static void intercept_release(Object *obj, ObjectProperty *prop)
{
    Intercept *ic = prop->opaque;

    for (guint i = ic->hooks->len; i-- > 0;) {
        IrqHook *hook = ic->hooks->pdata[i];
        if (hook->field) {
            *hook->field = hook->old_irq;
            qemu_free_irq(hook->irq);
        } else {
            qemu_irq_set_handler(hook->irq, hook->old_handler, hook->old_opaque, NULL, NULL);
        }
        g_free(hook);
    }
    g_ptr_array_free(ic->hooks, TRUE);
    if (intercept == ic) {
        intercept = NULL;
    }
    g_free(ic);
}

static Intercept *intercept_new(DeviceState *dev)
{
    Intercept *ic = g_new0(Intercept, 1);

    ic->dev = dev;
    ic->hooks = g_ptr_array_new();
    return ic;
}

static void intercept_in_line(Intercept *ic, qemu_irq irq)
{
    IrqHook *hook = g_new0(IrqHook, 1);

    hook->irq = irq;
    qemu_irq_set_handler(irq, irq_in_handler, hook, &hook->old_handler, &hook->old_opaque);
    g_ptr_array_add(ic->hooks, hook);
}

static void intercept_out_line(Intercept *ic, qemu_irq *field, int n)
{
    IrqHook *hook = g_new0(IrqHook, 1);

    hook->field = field;
    hook->old_irq = *field;
    hook->irq = qemu_allocate_irq(irq_out_handler, hook, n);
    *field = hook->irq;
    g_ptr_array_add(ic->hooks, hook);
}

/* Resolves a QOM path to a device; else answers FAIL (unknown) or ERR (not a device). */
static DeviceState *req_device(Request *r, const char *path)
{
    Object *obj = object_resolve_path(path, NULL);
    char *q;

    if (!obj) {
        qtest_sendf(r->s, "FAIL Unknown device");
        return NULL;
    }
    if (!object_dynamic_cast(obj, TYPE_DEVICE)) {
        q = req_quote(path);
        req_err(r, "'%s' is not a device", q);
        g_free(q);
        return NULL;
    }
    return DEVICE(obj);
}

static void cmd_irq_intercept(Request *r)
{
    bool out = r->cmd->size != 0;
    const char *name = r->nwords > 2 ? r->words[2] : NULL;
    DeviceState *dev = req_device(r, r->words[1]);
    Intercept *ic;
    bool wrapped = false;

    if (!dev) {
        return;
    }
    if (!out && name) {
        qtest_sendf(r->s, "FAIL Interception of named in-GPIOs not yet supported");
        return;
    }
    if (intercept) {
        qtest_sendf(r->s, intercept->dev == dev ? "OK" : "FAIL IRQ intercept already enabled");
        return;
    }
    ic = intercept_new(dev);
    for (NamedGPIOList *ngl = dev->gpios; ngl; ngl = ngl->next) {
        if (!out) {
            for (int i = 0; i < ngl->num_in; i++) {
                intercept_in_line(ic, ngl->in[i]);
            }
            wrapped = true; /* upstream counts a list with no inputs too */
        } else if (!g_strcmp0(ngl->name, name)) {
            for (int i = 0; i < ngl->num_out; i++) {
                intercept_out_line(ic, ngl->out[i], i);
            }
            wrapped = true;
        }
    }
    if (!wrapped) {
        g_ptr_array_free(ic->hooks, TRUE);
        g_free(ic);
        qtest_sendf(r->s, "FAIL No intercepts installed");
        return;
    }
    intercept = ic;
    object_property_add(OBJECT(dev), INTERCEPT_PROP, INTERCEPT_PROP, NULL, NULL, intercept_release,
                        ic);
    qtest_send_ok(r->s);
}

static void cmd_set_irq_in(Request *r)
{
    const char *list = r->words[2];
    DeviceState *dev = req_device(r, r->words[1]);
    NamedGPIOList *ngl;
    int num = 0, level = 0;
    char *q;

    if (!dev || !req_i32(r, 3, &num) || !req_i32(r, 4, &level)) {
        return;
    }
    ngl = qdev_get_named_gpio_list(dev, strcmp(list, "unnamed-gpio-in") ? list : NULL);
    if (!ngl || num < 0 || num >= ngl->num_in) {
        q = req_quote(list);
        req_err(r, "no input line %d in list '%s'", num, q);
        g_free(q);
        return;
    }
    qemu_set_irq(ngl->in[num], level);
    qtest_send_ok(r->s);
}

/*
 * Tern has no loadable modules.  PREFIX+NAME names a compiled-in feature
 * when it is "accel-" and an accelerator, or "hw-" and a QOM type.
 */
static void cmd_module_load(Request *r)
{
    char *module = g_strconcat(r->words[1], r->words[2], NULL);
    bool found = (g_str_has_prefix(module, "accel-") && accel_find(module + 6)) ||
                 (g_str_has_prefix(module, "hw-") && object_class_by_name(module + 3));

    g_free(module);
    qtest_sendf(r->s, found ? "OK" : "FAIL");
}

/* ---- csr (spec §8) -------------------------------------------------------------------------- */

typedef struct HartSearch {
    uint64_t id;
    RVHart *found;
} HartSearch;

static int csr_match_hart(Object *obj, void *opaque)
{
    HartSearch *hs = opaque;
    Object *hart = object_dynamic_cast(obj, TYPE_RISCV_CPU);

    if (hart && RV_HART(hart)->env.mhartid == hs->id) {
        hs->found = RV_HART(hart);
        return 1;
    }
    return 0;
}

/*
 * csr SUB CPU CSR VAL: CPU is a hart's mhartid; get_csr reads the CSR and
 * set_csr writes VAL with a full mask, both at the hart's privilege and as
 * an access between instructions.  The reply carries the value read, or VAL
 * echoed (set_csr and an unknown SUB, as QEMU).  QEMU aborts on an unknown
 * hart or an access that would raise an exception: this answers ERR.
 */
static void cmd_csr(Request *r)
{
    const char *sub = r->words[1];
    HartSearch hs = {0};
    uint64_t value, old;
    int csrno = 0;
    bool get = !strcmp(sub, "get_csr"), set = !strcmp(sub, "set_csr");

    if (!req_u64(r, 2, &hs.id) || !req_i32(r, 3, &csrno) || !req_u64(r, 4, &value)) {
        return;
    }
    object_child_foreach_recursive(object_get_root(), csr_match_hart, &hs);
    if (!hs.found) {
        req_err(r, "no hart with id %" PRIu64, hs.id);
        return;
    }
    if ((get || set) && (csrno < 0 || !rv_csr_debug_rmw(&hs.found->env, (unsigned)csrno, &old,
                                                        value, UINT64_MAX, set))) {
        req_err(r, "%s of CSR %d raises an exception on hart %" PRIu64, sub, csrno, hs.id);
        return;
    }
    qtest_sendf(r->s, "OK 0 %016" PRIx64, get ? old : value);
}

/* ---- dispatch ------------------------------------------------------------------------------- */

static const QTestCommand commands[] = {
    {"outb", cmd_out, 1, 2, {"ADDR", "VALUE"}},
    {"outw", cmd_out, 2, 2, {"ADDR", "VALUE"}},
    {"outl", cmd_out, 4, 2, {"ADDR", "VALUE"}},
    {"inb", cmd_in, 1, 1, {"ADDR"}},
    {"inw", cmd_in, 2, 1, {"ADDR"}},
    {"inl", cmd_in, 4, 1, {"ADDR"}},
    {"writeb", cmd_write_sized, 1, 2, {"ADDR", "VALUE"}},
    {"writew", cmd_write_sized, 2, 2, {"ADDR", "VALUE"}},
    {"writel", cmd_write_sized, 4, 2, {"ADDR", "VALUE"}},
    {"writeq", cmd_write_sized, 8, 2, {"ADDR", "VALUE"}},
    {"readb", cmd_read_sized, 1, 1, {"ADDR"}},
    {"readw", cmd_read_sized, 2, 1, {"ADDR"}},
    {"readl", cmd_read_sized, 4, 1, {"ADDR"}},
    {"readq", cmd_read_sized, 8, 1, {"ADDR"}},
    {"read", cmd_read, 0, 2, {"ADDR", "SIZE"}},
    {"write", cmd_write, 0, 3, {"ADDR", "SIZE", "DATA"}},
    {"b64read", cmd_b64read, 0, 2, {"ADDR", "SIZE"}},
    {"b64write", cmd_b64write, 0, 3, {"ADDR", "SIZE", "B64"}},
    {"memset", cmd_memset, 0, 3, {"ADDR", "SIZE", "BYTE"}},
    {"endianness", cmd_endianness, 0, 0, {NULL}},
    {"clock_step", cmd_clock_step, 0, 0, {"NS"}},
    {"clock_set", cmd_clock_set, 0, 1, {"NS"}},
    {"irq_intercept_in", cmd_irq_intercept, 0, 1, {"QOM-PATH", "NAME"}},
    {"irq_intercept_out", cmd_irq_intercept, 1, 1, {"QOM-PATH", "NAME"}},
    {"set_irq_in", cmd_set_irq_in, 0, 4, {"QOM-PATH", "NAME", "NUM", "LEVEL"}},
    {"module_load", cmd_module_load, 0, 2, {"PREFIX", "NAME"}},
    {"csr", cmd_csr, 0, 4, {"SUB", "CPU", "CSR", "VAL"}},
};

/* The length of each command's name, filled with the hex digits' table (qtest_server_new()). */
static uint8_t name_len[G_N_ELEMENTS(commands)];

static void command_names_init(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        name_len[i] = (uint8_t)strlen(commands[i].name);
    }
}

/*
 * The command named name (len bytes).  Every command costs this lookup, so
 * a name is compared only with the names of its length whose first and
 * last letters match: "readq" is compared with "readq" only, not with
 * "readb", "readw" and "readl" first.
 */
static const QTestCommand *qtest_find_command(const char *name, size_t len)
{
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        const char *c = commands[i].name;

        size_t k = 1;

        if (name_len[i] != len || c[0] != name[0] || c[len - 1] != name[len - 1]) {
            continue;
        }
        while (k < len && c[k] == name[k]) {
            k++; /* a few bytes: no memcmp call */
        }
        if (k < len) {
            continue;
        }
        if (commands[i].run == cmd_clock_step || commands[i].run == cmd_clock_set) {
            return clock_commands_available() ? &commands[i] : NULL;
        }
        return &commands[i];
    }
    return NULL;
}

bool qtest_run_deferred(void)
{
    bool any = false;

    for (int round = 0; round < QTEST_DEFERRED_ROUNDS; round++) {
        bool ran = bh_poll();
        ran |= clock_run_timers(CLOCK_VIRTUAL);
        if (!ran) {
            break;
        }
        any = true;
    }
    return any;
}

/*
 * Splits s->line in place on every single space (as g_strsplit: "" has no
 * words).  The words go to the few slots of a command's usual length and
 * move to s->words only for a longer line.  Returns their count; *words
 * points at them, and *first_len is the first word's length.  Returns -1
 * for a line with a NUL byte (found by the same pass).
 */
static int qtest_split(QTestServer *s, char **slots, int nslots, char ***words, size_t *first_len)
{
    char *p = s->line->str, *end = p + s->line->len;
    GPtrArray *more = NULL;
    int n = 0;

    *words = slots;
    *first_len = s->line->len;
    if (!s->line->len) {
        return 0;
    }
    slots[n++] = p;
    for (; p < end; p++) {
        if (*p != ' ') {
            if (!*p) {
                return -1;
            }
            continue; /* a byte loop: words are a few bytes, too short for memchr's setup */
        }
        *p = '\0';
        if (n == 1) {
            *first_len = (size_t)(p - s->line->str);
        }
        if (n == nslots && !more) {
            more = s->words;
            more->len = 0; /* no free function: forgetting the pointers is enough */
            for (int i = 0; i < n; i++) {
                g_ptr_array_add(more, slots[i]);
            }
        }
        if (more) {
            g_ptr_array_add(more, p + 1);
        } else {
            slots[n] = p + 1;
        }
        n++;
    }
    if (more) {
        *words = (char **)more->pdata;
    }
    return n;
}

static void qtest_execute_line(QTestServer *s, const char *text, size_t len)
{
    char *slots[8];
    size_t name_len;
    Request r = {.s = s};

    g_string_truncate(s->line, 0);
    qtest_buf_append(s->line, text, len);
    r.nwords = qtest_split(s, slots, G_N_ELEMENTS(slots), &r.words, &name_len);
    if (r.nwords < 0) {
        GString *shown = g_string_new(NULL);
        for (size_t i = 0; i < len; i++) {
            if (text[i]) {
                g_string_append_c(shown, text[i]);
            } else {
                g_string_append(shown, "\\0");
            }
        }
        qtest_log_line(s, "R", shown->str, shown->len);
        g_string_free(shown, TRUE);
        qtest_sendf(s, "ERR NUL byte in command");
        return;
    }
    qtest_log_line(s, "R", text, len);
    if (r.nwords == 0) {
        qtest_sendf(s, "ERR empty command");
    } else if (!(r.cmd = qtest_find_command(r.words[0], name_len))) {
        qtest_sendf(s, "FAIL Unknown command '%s'", r.words[0]);
    } else if (req_check_args(&r)) {
        r.cmd->run(&r);
    }
}

static size_t qtest_line_limit(QTestServer *s)
{
    uint64_t limit = s->transfer_limit * 2 + QTEST_LINE_SLACK;

    return limit > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)limit;
}

static void qtest_feed_lines(QTestServer *s, const void *buf, size_t len)
{
    const char *p = buf, *end = p + len;
    unsigned closes = s->closes;

    qtest_stamp_forget(s); /* a chunk's first request reads the clock */

    while (p < end && s->closes == closes) {
        const char *nl = memchr(p, '\n', end - p);
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

        if (s->discarding) {
            if (nl) {
                s->discarding = false;
                qtest_log_line(s, "R", "(line too long)", 15);
                qtest_sendf(s, "ERR line too long (limit %zu bytes)", qtest_line_limit(s));
            }
        } else if (!nl) {
            if (s->in->len + n > qtest_line_limit(s)) {
                s->discarding = true;
                g_string_truncate(s->in, 0);
            } else {
                g_string_append_len(s->in, p, n);
            }
        } else if (s->in->len + n > qtest_line_limit(s)) {
            g_string_truncate(s->in, 0);
            qtest_log_line(s, "R", "(line too long)", 15);
            qtest_sendf(s, "ERR line too long (limit %zu bytes)", qtest_line_limit(s));
        } else if (s->in->len) {
            GString *line = s->in;
            s->in = g_string_new(NULL);
            g_string_append_len(line, p, n);
            qtest_execute_line(s, line->str, line->len);
            g_string_free(line, TRUE);
            if (s->depth == 1 && qtest_run_deferred()) {
                qtest_stamp_forget(s);
            }
        } else {
            qtest_execute_line(s, p, n);
            if (s->depth == 1 && qtest_run_deferred()) {
                qtest_stamp_forget(s);
            }
        }
        p += n + (nl != NULL);
    }
}

void qtest_server_feed(QTestServer *s, const void *buf, size_t len)
{
    GString *in = s->in, *line = s->line, *out = s->out;
    GPtrArray *words = s->words;
    bool discarding = s->discarding;

    if (!s->depth++) {
        qtest_feed_lines(s, buf, len);
        s->depth--;
        qtest_flush(s);
        return;
    }
    /*
     * Fed while a command runs (a fuzzer's DMA fill made from inside a
     * device's memory read): the nested lines get buffers of their own, so
     * the command under way keeps its words and reply, and its deferred
     * work is left to it.
     */
    s->in = g_string_new(NULL);
    s->line = g_string_new(NULL);
    s->out = g_string_new(NULL);
    s->words = g_ptr_array_new();
    s->discarding = false;
    qtest_feed_lines(s, buf, len);
    g_string_free(s->in, TRUE);
    g_string_free(s->line, TRUE);
    g_string_free(s->out, TRUE);
    g_ptr_array_free(s->words, TRUE);
    s->in = in;
    s->line = line;
    s->out = out;
    s->words = words;
    s->discarding = discarding;
    s->depth--;
    qtest_flush(s); /* the nested lines' replies, before their feed returns */
}

/* ---- the server object ---------------------------------------------------------------------- */

QTestServer *qtest_server_new(QTestSendFunc *send, void *opaque)
{
    QTestServer *s = g_new0(QTestServer, 1);

    if (!hex_digit['0' + 1]) {
        hex_digit_init();
        command_names_init();
    }
    s->send = send;
    s->opaque = opaque;
    s->in = g_string_new(NULL);
    s->line = g_string_new(NULL);
    s->out = g_string_new(NULL);
    s->log_buf = g_string_new(NULL);
    s->replies = g_string_new(NULL);
    s->log_fd = -1;
    s->words = g_ptr_array_new();
    s->transfer_limit = QTEST_DEFAULT_TRANSFER_LIMIT;
    s->irq_levels = g_array_sized_new(FALSE, TRUE, sizeof(int), QTEST_IRQ_LEVELS);
    g_array_set_size(s->irq_levels, QTEST_IRQ_LEVELS);
    s->opened_ns = clock_get_ns(CLOCK_RT);
    memory_region_init(&s->io_root, NULL, "io", QTEST_IO_SPACE_SIZE);
    address_space_init(&s->io_as, &s->io_root, "I/O");
    s->io_as.unassigned_value = UINT64_MAX;
    irq_sink = s;
    error_set_before_write(qtest_log_flush); /* -d lines and error reports after held log lines */
    return s;
}

void qtest_server_free(QTestServer *s)
{
    if (!s) {
        return;
    }
    qtest_server_close(s);
    qtest_server_set_log(s, NULL, false);
    if (irq_sink == s) {
        irq_sink = NULL;
        error_set_before_write(NULL);
    }
    address_space_destroy(&s->io_as);
    memory_region_finalize(&s->io_root);
    g_string_free(s->in, TRUE);
    g_string_free(s->line, TRUE);
    g_string_free(s->out, TRUE);
    g_string_free(s->log_buf, TRUE);
    g_string_free(s->replies, TRUE);
    g_ptr_array_free(s->words, TRUE);
    g_array_free(s->irq_levels, TRUE);
    if (s->saved_levels) {
        g_array_free(s->saved_levels, TRUE);
    }
    g_free(s);
}

/* ---- the session as a fuzzer resets it ------------------------------------------------------ */

void qtest_server_session_save(QTestServer *s)
{
    if (s->saved_levels) {
        g_array_free(s->saved_levels, TRUE);
    }
    s->saved_levels = g_array_copy(s->irq_levels);
    s->saved_intercept = intercept;
}

void qtest_server_session_restore(QTestServer *s)
{
    g_string_truncate(s->in, 0);
    s->discarding = false;
    /* Only one intercept per run: one made since the save is the only one there is. */
    if (intercept && intercept != s->saved_intercept) {
        object_property_del(OBJECT(intercept->dev), INTERCEPT_PROP); /* intercept_release */
    }
    if (s->saved_levels) {
        g_array_set_size(s->irq_levels, s->saved_levels->len);
        memcpy(s->irq_levels->data, s->saved_levels->data, s->saved_levels->len * sizeof(int));
    }
}

bool qtest_server_session_check(QTestServer *s, Error **errp)
{
    if (s->in->len || s->discarding) {
        error_setg(errp, "qtest server: a partial request line is still buffered");
        return false;
    }
    if (intercept != s->saved_intercept) {
        error_setg(errp, "qtest server: the IRQ intercept differs from the saved session");
        return false;
    }
    if (s->saved_levels &&
        (s->irq_levels->len != s->saved_levels->len ||
         memcmp(s->irq_levels->data, s->saved_levels->data, s->saved_levels->len * sizeof(int)))) {
        error_setg(errp, "qtest server: the IRQ level cache differs from the saved session");
        return false;
    }
    return true;
}

void qtest_server_set_log(QTestServer *s, FILE *log, bool own)
{
    qtest_write_log(s);
    if (s->log && s->own_log) {
        fclose(s->log);
    }
    if (log) {
        fflush(log); /* what stdio holds goes before the lines written past it */
    }
    s->log = log;
    s->log_fd = log ? fileno(log) : -1;
    s->own_log = own;
    qtest_crash_hooks_update(s);
}

void qtest_server_set_log_requests_only(QTestServer *s, bool on)
{
    s->log_requests_only = on;
    qtest_crash_hooks_update(s);
}

bool qtest_server_set_log_path(QTestServer *s, const char *path, Error **errp)
{
    FILE *f;
    int fd;

    if (!path) {
        qtest_server_set_log(s, stderr, false);
        return true;
    }
    if (!strcmp(path, "none")) {
        qtest_server_set_log(s, NULL, false);
        return true;
    }
    /* A FIFO waits for its reader, as QEMU; a shutdown signal ends the wait. */
    fd = main_loop_open_output(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        error_setg_errno(errp, errno, "cannot open qtest log '%s'", path);
        if (fd >= 0) {
            close(fd);
        }
        return false;
    }
    qtest_server_set_log(s, f, true);
    return true;
}

void qtest_server_set_transfer_limit(QTestServer *s, uint64_t bytes)
{
    s->transfer_limit = bytes;
}

void qtest_server_open(QTestServer *s)
{
    s->open = true;
    s->opened_ns = clock_get_ns(CLOCK_RT);
    memset(s->irq_levels->data, 0, s->irq_levels->len * sizeof(int));
    g_string_truncate(s->in, 0);
    s->discarding = false;
    if (s->log) {
        qtest_log_append(s, 'I', false, "OPENED", 6);
    }
}

void qtest_server_close(QTestServer *s)
{
    if (!s->open) {
        return;
    }
    s->open = false;
    s->closes++;
    g_string_truncate(s->in, 0);
    s->discarding = false;
    if (s->log) {
        qtest_log_append(s, 'I', true, "CLOSED", 6);
    }
}

bool qtest_server_is_open(const QTestServer *s)
{
    return s->open;
}

/* ---- the chardev transport: the "qtest" object ---------------------------------------------- */

typedef struct QTestObject {
    Object parent_obj;
    char *chardev; /* id */
    char *log;
    bool log_to_stderr; /* -qtest without -qtest-log; -object qtest without log= logs nothing */
    Chardev *chr;
    QTestServer *server;
    /*
     * Replies to one chunk of input are collected here and written at once
     * when the chunk is done: one write per read, not one per command.
     */
    GString *pending;
    bool feeding;
} QTestObject;

#define QTEST_OBJECT(obj) OBJECT_CHECK(QTestObject, (obj), TYPE_QTEST)

static QTestObject *qtest_current;
static Object *qtest_machine_link; /* target of /machine/qtest for -object qtest */

QTestServer *qtest_server_chardev_current(void)
{
    return qtest_current ? qtest_current->server : NULL;
}

static void qtest_chardev_flush(QTestObject *q)
{
    if (q->pending && q->pending->len) {
        chardev_write(q->chr, (const uint8_t *)q->pending->str, q->pending->len);
        g_string_truncate(q->pending, 0);
    }
}

static void qtest_chardev_send(void *opaque, const char *text, size_t len)
{
    QTestObject *q = opaque;

    if (q->feeding) {
        if (!q->pending) {
            q->pending = g_string_sized_new(64 * 1024);
        }
        g_string_append_len(q->pending, text, len);
        if (q->pending->len >= 64 * 1024) {
            qtest_chardev_flush(q);
        }
        return;
    }
    /* Outside a command (an IRQ line from a timer): at once. */
    chardev_write(q->chr, (const uint8_t *)text, len);
}

static size_t qtest_chardev_can_receive(void *opaque)
{
    return 64 * 1024;
}

static void qtest_chardev_receive(void *opaque, const uint8_t *buf, size_t len)
{
    QTestObject *q = opaque;

    q->feeding = true;
    qtest_server_feed(q->server, buf, len);
    q->feeding = false;
    qtest_chardev_flush(q);
}

static void qtest_chardev_event(void *opaque, ChardevEvent event)
{
    QTestObject *q = opaque;

    if (event == CHARDEV_EVENT_OPENED) {
        qtest_server_open(q->server);
    } else {
        qtest_server_close(q->server);
    }
}

static char *qtest_get_chardev(Object *obj, Error **errp)
{
    return g_strdup(QTEST_OBJECT(obj)->chardev);
}

static void qtest_set_str(Object *obj, char **field, const char *value, Error **errp)
{
    if (QTEST_OBJECT(obj)->server) {
        error_setg(errp, "qtest properties cannot change once the server runs");
        return;
    }
    g_free(*field);
    *field = g_strdup(value);
}

static void qtest_set_chardev(Object *obj, const char *value, Error **errp)
{
    qtest_set_str(obj, &QTEST_OBJECT(obj)->chardev, value, errp);
}

static char *qtest_get_log(Object *obj, Error **errp)
{
    return g_strdup(QTEST_OBJECT(obj)->log);
}

static void qtest_set_log(Object *obj, const char *value, Error **errp)
{
    qtest_set_str(obj, &QTEST_OBJECT(obj)->log, value, errp);
}

static bool qtest_complete(Object *obj, Error **errp)
{
    QTestObject *q = QTEST_OBJECT(obj);
    MachineState *ms = machine_current();
    ChardevFrontend fe = {
        .can_receive = qtest_chardev_can_receive,
        .receive = qtest_chardev_receive,
        .event = qtest_chardev_event,
        .opaque = q,
    };
    QTestServer *s;

    if (qtest_current) {
        error_setg(errp, "only one qtest server can run");
        return false;
    }
    if (!q->chardev) {
        error_setg(errp, "qtest needs chardev=ID");
        return false;
    }
    q->chr = chardev_find(q->chardev);
    if (!q->chr) {
        error_setg(errp, "no chardev with id '%s'", q->chardev);
        return false;
    }
    s = qtest_server_new(qtest_chardev_send, q);
    if (!qtest_server_set_log_path(s, q->log ? q->log : q->log_to_stderr ? NULL : "none", errp)) {
        qtest_server_free(s);
        return false;
    }
    q->server = s;
    if (!chardev_set_frontend(q->chr, &fe, errp)) {
        q->server = NULL;
        qtest_server_free(s);
        return false;
    }
    /* Sockets report their connection; other back ends are open from the start. */
    if (strcmp(chardev_backend(q->chr), "socket")) {
        qtest_server_open(s);
    }
    qtest_current = q;
    /* -object qtest lives in /objects: QEMU also shows it as /machine/qtest. */
    if (!obj->parent && ms && !object_property_find(OBJECT(ms), "qtest")) {
        qtest_machine_link = obj;
        object_property_add_link(OBJECT(ms), "qtest", TYPE_QTEST, &qtest_machine_link, NULL, 0);
    }
    return true;
}

static void qtest_object_finalize(Object *obj)
{
    QTestObject *q = QTEST_OBJECT(obj);

    if (q->server) {
        if (chardev_find(chardev_id(q->chr)) == q->chr) {
            chardev_clear_frontend(q->chr);
        }
        qtest_server_free(q->server);
    }
    if (qtest_current == q) {
        qtest_current = NULL;
    }
    if (qtest_machine_link == obj) {
        qtest_machine_link = NULL;
    }
    if (q->pending) {
        g_string_free(q->pending, TRUE);
    }
    g_free(q->chardev);
    g_free(q->log);
}

static void qtest_class_init(ObjectClass *klass, const void *data)
{
    USER_CREATABLE_CLASS(klass)->complete = qtest_complete;
    object_class_property_add_str(klass, "chardev", qtest_get_chardev, qtest_set_chardev);
    object_class_property_set_description(klass, "chardev", "the chardev the server speaks on");
    object_class_property_add_str(klass, "log", qtest_get_log, qtest_set_log);
    object_class_property_set_description(klass, "log", "log file (none: no log)");
}

static const InterfaceInfo qtest_interfaces[] = {{TYPE_USER_CREATABLE}, {NULL}};

static const TypeInfo qtest_type = {
    .name = TYPE_QTEST,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(QTestObject),
    .instance_finalize = qtest_object_finalize,
    .class_init = qtest_class_init,
    .interfaces = qtest_interfaces,
};

bool qtest_server_start_chardev(Chardev *chr, const char *log, Error **errp)
{
    MachineState *ms = machine_current();
    Object *obj;

    if (qtest_current) {
        error_setg(errp, "only one qtest server can run");
        return false;
    }
    if (!ms) {
        error_setg(errp, "the qtest server needs a machine");
        return false;
    }
    obj = object_new(TYPE_QTEST);
    QTEST_OBJECT(obj)->chardev = g_strdup(chardev_id(chr));
    QTEST_OBJECT(obj)->log = g_strdup(log);
    QTEST_OBJECT(obj)->log_to_stderr = true;
    object_property_add_child(OBJECT(ms), "qtest", obj);
    object_unref(obj);
    if (!qtest_complete(obj, errp)) {
        object_unparent(obj);
        return false;
    }
    return true;
}

/* -qtest SPEC [-qtest-log FILE|none], called at PHASE_LATE_BACKENDS_CREATED. */
static bool qtest_late_backend_init(const char *spec, Error **errp)
{
    const char *log = vl_qtest_log();
    Error *err = NULL;
    Chardev *chr = chardev_new_from_spec("qtest", spec, &err);

    if (!chr) {
        if (!err) {
            error_setg(&err, "the qtest server needs a transport");
        }
        error_propagate(errp, err);
        return false;
    }
    return qtest_server_start_chardev(chr, log, errp);
}

static const LateBackend qtest_late_backend = {
    .option = "qtest",
    .init = qtest_late_backend_init,
};

static void qtest_register(void)
{
    type_register_static(&qtest_type);
    vl_register_late_backend(&qtest_late_backend);
}

type_init(qtest_register)
