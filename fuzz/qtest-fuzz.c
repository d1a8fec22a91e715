/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest-fuzz.c - the fuzz targets of the two protocols a host speaks to a
 * running machine: qtest (protocol text to the in-process server) and qmp
 * (QMP text to the monitor), both on a virt machine with its devices and
 * the virtio ones, built once and restored by the runner after every input.
 *
 * The inputs are raw protocol text, so the parsers see everything a
 * client could send.  What comes back is checked, since a malformed reply
 * is a bug a client would trip on: every qtest reply must be one well-formed
 * OK, FAIL, ERR or IRQ line, one per request line; every QMP output line
 * one JSON object in ASCII ended by "\r\n" (stricter checks: strict_replies).  A failed check
 * prints what was wrong and aborts, so that the engine saves the input.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>

#include "core/chardev.h"
#include "core/runstate.h"
#include "core/snapshot.h"
#include "fuzz/fuzz.h"
#include "fuzz/host-targets.h"
#include "qtest/libqtest.h"
#include "qtest/qmp.h"

/* The chardev the qmp target's monitor serves, and its buffer (big enough for any chunk's replies).
 */
#define QMP_CHARDEV "m0"
/*
 * QMP input goes to the monitor in pieces of at most this many bytes (as
 * the main loop reads them), each ending at a newline if one comes first;
 * the output is taken after each, so the ring buffer never overflows.
 */
#define QMP_PIECE  4096
#define DRIVE_SIZE (64 * 1024)
/*
 * What one qtest input may move with the bulk requests (read, b64read,
 * memset, and write and b64write, which write SIZE bytes however few the
 * data, zeros past it): the server allows 256 MiB a request, whose reply
 * alone (512 MiB of hex) takes seconds and most of libFuzzer's memory; and
 * a transfer over device registers costs one unit of the runner's work
 * budget per access (a 1 MiB memset over the PLIC is 262,144: a "hang").
 * Requests past this total are not sent.
 */
#define QTEST_FUZZ_MAX_TRANSFER (UINT64_C(64) << 10)

/*
 * $TERN_FUZZ_STRICT_REPLIES set: also fail on what the protocols allow but a
 * careful server would not send - a qtest reply that is not one safe line
 * (ERR replies quote the bad word raw: control bytes, invalid UTF-8), a QMP
 * line with a raw DEL (JSON allows it; QEMU escapes it as \u007F).
 */
static bool strict_replies;
static bool keep_replies;
static GString *replies;
static char *machine_digest;
static char *drive_path;

void host_fuzz_set_keep_replies(bool on)
{
    keep_replies = on;
}

const char *host_fuzz_last_replies(void)
{
    return replies ? replies->str : "";
}

const char *host_fuzz_last_machine_digest(void)
{
    return machine_digest ? machine_digest : "";
}

/* At the end of an input, before the runner restores the machine. */
static void replies_end(void)
{
    if (keep_replies) {
        g_free(machine_digest);
        machine_digest = snapshot_digest(NULL);
    }
}

static void replies_start(void)
{
    if (!replies) {
        replies = g_string_new(NULL);
    }
    g_string_truncate(replies, 0);
}

/* The current input failed a check: the rest of it is not run. */
static bool input_failed;

/*
 * A check that failed is a bug found: the input ends as FUZZ_RUN_FAILED
 * (fuzz_fail), and the runner replays it with the trace on and prints the
 * reproducer before the engine saves it.
 */
static void check_failed(const char *target, const char *what, const char *text, size_t len)
{
    char *raw = g_strndup(text, MIN(len, 400));
    char *shown = g_strescape(raw, NULL);

    fprintf(stderr, "tern-fuzz: %s: check failed: %s: '%s'\n", target, what, shown);
    fuzz_fail("%s: check failed: %s: '%s'", target, what, shown);
    input_failed = true;
    g_free(shown);
    g_free(raw);
}

/* ---- the machine both targets drive ---------------------------------------------------- */

/*
 * pre_vm_init: the virtio-blk drive's file (snapshot=on: never written), at
 * a fixed path so that a reproducer's command line still works in a later
 * process; made (atomically: parallel workers share it) when missing or
 * not as expected, and left for the next run.
 */
static uint8_t drive_byte(size_t i)
{
    return (uint8_t)(i * 13 + (i >> 9));
}

static void make_drive(void)
{
    Error *err = NULL;

    strict_replies = getenv("TERN_FUZZ_STRICT_REPLIES") != NULL;
    if (drive_path) {
        return;
    }
    drive_path = fuzz_fixed_image("tern-fuzz-host-drive-64k.img", DRIVE_SIZE, drive_byte, &err);
    if (!drive_path) {
        /* The drive then fails to open, naming the file; the reason is said here. */
        fuzz_fail("%s", error_get_pretty(err));
        error_free(err);
        drive_path = g_build_filename(g_get_tmp_dir(), "tern-fuzz-host-drive-64k.img", NULL);
    }
}

/* virt with every device it has and both virtio devices, deterministic (RTC on the VM clock). */
static GString *virt_cmdline(const char *extra)
{
    char *quoted = g_shell_quote(drive_path);
    GString *s = g_string_new(NULL);

    g_string_printf(s,
                    "riscv64 -M virt -accel qtest -bios none -m 128M -display none "
                    "-rtc base=2000-01-01T00:00:00,clock=vm "
                    "-object rng-builtin,id=r0 -device virtio-rng-device,rng=r0 "
                    "-drive if=none,id=d0,file=%s,format=raw,snapshot=on "
                    "-device virtio-blk-device,drive=d0%s",
                    quoted, extra);
    g_free(quoted);
    return s;
}

/* ---- qtest ------------------------------------------------------------------------- */

static GString *qtest_cmdline(FuzzTarget *t)
{
    return virt_cmdline(" -serial null");
}

static bool is_decimal(const char *s)
{
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        if (!g_ascii_isdigit(*s)) {
            return false;
        }
    }
    return true;
}

/*
 * One reply line (without its '\n'): "OK", "OK ...", "FAIL", "FAIL ...",
 * "ERR ...", or "IRQ raise|lower N"; one safe line.  Returns whether it is
 * an IRQ line (not a reply to a request).
 */
static bool check_qtest_line(const char *line)
{
    size_t len = strlen(line);

    if (strict_replies && !host_fuzz_is_one_safe_line(line, len)) {
        check_failed("qtest", "a reply is not one safe line", line, len);
        return false;
    }
    if (g_str_has_prefix(line, "IRQ ")) {
        const char *n = g_str_has_prefix(line, "IRQ raise ")   ? line + 10
                        : g_str_has_prefix(line, "IRQ lower ") ? line + 10
                                                               : NULL;
        if (!n || !is_decimal(n)) {
            check_failed("qtest", "malformed IRQ line", line, len);
        }
        return true;
    }
    if (!strcmp(line, "OK") || g_str_has_prefix(line, "OK ") || !strcmp(line, "FAIL") ||
        g_str_has_prefix(line, "FAIL ") || (g_str_has_prefix(line, "ERR ") && line[4])) {
        return false;
    }
    check_failed("qtest", "a reply that is not OK, FAIL, ERR or IRQ", line, len);
    return false;
}

/*
 * Takes every reply waiting; returns how many answer requests (IRQ lines
 * excluded).  *answer (if not NULL) gets the first of them, or NULL.
 */
static unsigned drain_qtest(QTestState *s, char **answer)
{
    unsigned answers = 0;
    char *line;

    while ((line = qtest_try_receive_line(s, 0))) {
        if (!check_qtest_line(line)) {
            if (answers++ == 0 && answer) {
                *answer = g_strdup(line);
            }
        }
        if (keep_replies) {
            g_string_append(replies, line);
            g_string_append_c(replies, '\n');
        }
        g_free(line);
    }
    return answers;
}

/*
 * read, b64read, memset, write or b64write whose SIZE would take the input's
 * transfers (*moved) past QTEST_FUZZ_MAX_TRANSFER; else adds it to *moved.
 */
static bool too_big(const char *line, size_t len, uint64_t *moved)
{
    char *text = g_strndup(line, len);
    char **w = g_strsplit_set(text, " \t\r\n", 4);
    bool big = false;

    if (w[0] && w[1] && w[2] &&
        (!strcmp(w[0], "read") || !strcmp(w[0], "b64read") || !strcmp(w[0], "memset") ||
         !strcmp(w[0], "write") || !strcmp(w[0], "b64write"))) {
        char *end = NULL;
        guint64 size = g_ascii_strtoull(w[2], &end, 0);

        if (end != w[2]) {
            big = size > QTEST_FUZZ_MAX_TRANSFER - *moved;
            *moved += big ? 0 : size;
        }
    }
    g_strfreev(w);
    g_free(text);
    return big;
}

/*
 * The input is protocol text, sent line by line (the client acts on a
 * guest's reset or exit request between lines, as tern's main loop would);
 * a last line without '\n' gets one.  Each line must get exactly one reply.
 * Lines that would move more than QTEST_FUZZ_MAX_TRANSFER bytes in all are skipped.
 * With the trace recording (the runner's replay of a failing input), every
 * line sent and its reply go into it: the reproducer is the input itself,
 * replayable on "tern -accel qtest -qtest stdio".
 */
static void qtest_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    unsigned lines = 0, answers = 0;
    uint64_t moved = 0;

    replies_start();
    if (!s) {
        s = fuzz_qtest();
    }
    input_failed = false;
    while (p < end && !input_failed) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

        if (too_big(p, len, &moved)) {
            p += len;
            continue;
        }
        qtest_send_bytes(s, p, len);
        if (!nl) {
            qtest_send_bytes(s, "\n", 1);
        }
        lines++;
        if (fuzz_trace_recording()) {
            char *request = g_strndup(p, nl ? len - 1 : len);
            char *answer = NULL;

            answers += drain_qtest(s, &answer);
            fuzz_trace_add(request, answer);
            g_free(answer);
            g_free(request);
        } else {
            answers += drain_qtest(s, NULL);
        }
        p += len;
    }
    if (!input_failed && answers != lines) {
        char *what = g_strdup_printf("%u request lines got %u replies", lines, answers);
        check_failed("qtest", what, (const char *)data, size);
        g_free(what);
    }
    replies_end();
}

/* ---- qmp --------------------------------------------------------------------------- */

static GString *qmp_cmdline(FuzzTarget *t)
{
    return virt_cmdline(" -nodefaults -chardev ringbuf,id=" QMP_CHARDEV ",size=16M"
                        " -mon chardev=" QMP_CHARDEV ",mode=control");
}

/* Everything the monitor wrote since the last call. */
static GString *qmp_output(void)
{
    Chardev *chr = chardev_find(QMP_CHARDEV);
    GString *out = g_string_new(NULL);
    uint8_t buf[8192];
    size_t n;

    while (chr && (n = chardev_ringbuf_read(chr, buf, sizeof(buf))) > 0) {
        g_string_append_len(out, (const char *)buf, n);
    }
    return out;
}

/* Every line one JSON object, ended by "\r\n", ASCII without control bytes. */
static void check_qmp_output(const GString *out)
{
    size_t at = 0;

    while (at < out->len) {
        const char *line = out->str + at;
        const char *crlf = g_strstr_len(line, (gssize)(out->len - at), "\r\n");
        size_t len;
        json_error_t jerr;
        json_t *obj;

        if (!crlf) {
            check_failed("qmp", "output not ended by \\r\\n", line, out->len - at);
            return;
        }
        len = (size_t)(crlf - line);
        for (size_t i = 0; i < len; i++) {
            uint8_t c = (uint8_t)line[i];

            if (c < 0x20 || c > 0x7f || (strict_replies && c == 0x7f)) {
                check_failed("qmp", "an output line with a control or non-ASCII byte", line, len);
                return;
            }
        }
        obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!json_is_object(obj)) {
            check_failed("qmp", "an output line that is not one JSON object", line, len);
            json_decref(obj);
            return;
        }
        json_decref(obj);
        at += len + 2;
    }
}

static void take_qmp_output(void)
{
    GString *out = qmp_output();

    check_qmp_output(out);
    if (keep_replies) {
        g_string_append_len(replies, out->str, (gssize)out->len);
    }
    g_string_free(out, TRUE);
}

/*
 * The session is host-side state the snapshot does not hold: after every
 * input it goes back to what a new client finds (greeting already read,
 * capabilities not negotiated), and nothing is left to read.
 */
static void qmp_session_save(void *opaque)
{
}

static void qmp_session_restore(void *opaque)
{
    qmp_monitor_reset_session(QMP_CHARDEV);
    g_string_free(qmp_output(), TRUE);
}

static bool qmp_session_check(void *opaque, Error **errp)
{
    GString *left = qmp_output();
    bool fresh = qmp_monitor_session_is_fresh(QMP_CHARDEV);
    size_t pending = left->len;

    g_string_free(left, TRUE);
    if (!fresh) {
        error_setg(errp, "qmp-session: the monitor's session is not a new client's");
        return false;
    }
    if (pending) {
        error_setg(errp, "qmp-session: %zu bytes of output left unread", pending);
        return false;
    }
    return true;
}

/* Once: the greeting read and checked, the session part registered. */
static void qmp_pre_fuzz(QTestState *s)
{
    GString *greeting = qmp_output();

    check_qmp_output(greeting);
    if (!g_str_has_prefix(greeting->str, "{\"QMP\":")) {
        check_failed("qmp", "no greeting", greeting->str, greeting->len);
    }
    g_string_free(greeting, TRUE);
    fuzz_add_harness_part(&(FuzzHarnessPart){
        .name = "qmp-session",
        .save = qmp_session_save,
        .restore = qmp_session_restore,
        .check = qmp_session_check,
    });
}

/*
 * The input is QMP text as a client sends it, starting in capabilities
 * negotiation.  It goes in pieces (QMP_PIECE); after each the machine acts
 * on reset and shutdown requests as the main loop would, and once an exit
 * is decided the rest is never read (the process would be gone).
 */
static void qmp_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    Chardev *chr = chardev_find(QMP_CHARDEV);
    size_t at = 0;

    replies_start();
    input_failed = false;
    if (!chr) {
        check_failed("qmp", "the monitor's chardev is gone", "", 0);
        return;
    }
    while (at < size && !input_failed) {
        size_t len = MIN(size - at, (size_t)QMP_PIECE);
        const uint8_t *nl = memchr(data + at, '\n', len);
        int status = 0;
        bool exited = false;

        if (nl) {
            len = (size_t)(nl - (data + at)) + 1;
        }
        chardev_deliver_input(chr, data + at, len);
        at += len;
        if (runstate_request_pending()) {
            exited = runstate_process_requests(&status);
        }
        take_qmp_output();
        if (exited) {
            break;
        }
    }
    replies_end();
}

/* ---- registration ------------------------------------------------------------------- */

static void register_protocol_targets(void)
{
    fuzz_add_target(&(FuzzTarget){
        .name = "qtest",
        .description = "qtest protocol text to the in-process server on virt",
        .get_init_cmdline = qtest_cmdline,
        .pre_vm_init = make_drive,
        .fuzz = qtest_fuzz,
    });
    fuzz_add_target(&(FuzzTarget){
        .name = "qmp",
        .description = "QMP text to the in-process monitor on virt",
        .get_init_cmdline = qmp_cmdline,
        .pre_vm_init = make_drive,
        .pre_fuzz = qmp_pre_fuzz,
        .fuzz = qmp_fuzz,
    });
}

fuzz_target_init(register_protocol_targets);
