/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-replay-core.c - the core side of record and replay, in-process: the
 * line encoding (replay_escape/replay_unescape), the replay back ends that
 * REPLAY_MODE_REPLAY makes of stdio, file and socket chardevs, the entropy
 * and host-clock queues with their seams, and a recording of those seams
 * made by tern_init itself (-record).  The spawned side is test-record.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/chardev.h"
#include "core/main-loop.h"
#include "core/memory.h"
#include "core/object.h"
#include "core/replay.h"
#include "core/rng.h"
#include "core/snapshot.h"
#include "core/tern.h"
#include "core/timer.h"
#include "tests/support/fds.h"
#include "tests/support/tern-argv.h"
#include "tests/support/tmpdir.h"

#define RTC_BASE 0x101000

static int cleanup(void **state)
{
    tern_cleanup();
    return 0;
}

/* ---- the line encoding ------------------------------------------------------------------ */

static char *escaped(const void *buf, size_t len, bool ends_line)
{
    GString *s = g_string_new(NULL);

    replay_escape(s, buf, len, ends_line);
    return g_string_free(s, FALSE);
}

static void test_escape_writes_the_documented_forms(void **state)
{
    static const uint8_t piece[] = {'a', ' ', '\\', '\r', '\t', 0x01, 0x7f, 0xff, 0, '~', '\n'};
    char *s = escaped(piece, sizeof(piece), true);

    assert_string_equal(s, "a \\\\\\r\\t\\x01\\x7f\\xff\\x00~\\x0a");
    g_free(s);
    s = escaped("prompt> ", 8, false);
    assert_string_equal(s, "prompt> \\c");
    g_free(s);
    s = escaped("", 0, true);
    assert_string_equal(s, "");
    g_free(s);
}

static void assert_unescapes_to(const char *text, const void *bytes, size_t len)
{
    GByteArray *out = g_byte_array_new();
    const char *why = NULL;

    assert_true(replay_unescape(text, out, &why));
    assert_int_equal(out->len, len);
    assert_memory_equal(out->data, bytes, len);
    g_byte_array_free(out, TRUE);
}

static void test_unescape_reads_every_form(void **state)
{
    assert_unescapes_to("OK 0x60", "OK 0x60\n", 8);
    assert_unescapes_to("", "\n", 1);
    assert_unescapes_to("\\c", "", 0);
    assert_unescapes_to("a\\\\b\\r\\t\\x00\\xFf\\c", "a\\b\r\t\0\xff", 7);
    assert_unescapes_to("\\\\c", "\\c\n", 3); /* an escaped backslash, then a plain c */
    assert_unescapes_to("  two spaces  ", "  two spaces  \n", 15);
}

/* Every byte value, in pieces that do and do not end a line, comes back as it was. */
static void test_escape_and_unescape_round_trip(void **state)
{
    uint8_t all[256];

    for (int i = 0; i < 256; i++) {
        all[i] = (uint8_t)i;
    }
    for (size_t start = 0; start < 256; start += 37) {
        for (int ends = 0; ends < 2; ends++) {
            size_t len = MIN((size_t)64, 256 - start);
            char *text = escaped(all + start, len, ends);
            GByteArray *out = g_byte_array_new();
            const char *why = NULL;

            /* One trace line: printable ASCII only, no line break. */
            for (const char *p = text; *p; p++) {
                assert_true(*p >= 0x20 && *p <= 0x7e);
            }
            assert_true(replay_unescape(text, out, &why));
            assert_int_equal(out->len, len + ends);
            assert_memory_equal(out->data, all + start, len);
            if (ends) {
                assert_int_equal(out->data[len], '\n');
            }
            g_byte_array_free(out, TRUE);
            g_free(text);
        }
    }
}

static void assert_bad_escape(const char *text, const char *why_part)
{
    GByteArray *out = g_byte_array_new();
    const char *why = NULL;

    assert_false(replay_unescape(text, out, &why));
    assert_non_null(why);
    if (!strstr(why, why_part)) {
        fail_msg("'%s': the reason '%s' does not mention '%s'", text, why, why_part);
    }
    g_byte_array_free(out, TRUE);
}

static void test_unescape_refuses_bad_escapes(void **state)
{
    assert_bad_escape("\\n", "unknown escape");
    assert_bad_escape("a\\q", "unknown escape");
    assert_bad_escape("\\x4", "two hex digits");
    assert_bad_escape("\\xg0", "two hex digits");
    assert_bad_escape("\\x", "two hex digits");
    assert_bad_escape("end\\", "lone backslash");
    assert_bad_escape("\\cmore", "only allowed at the end");
    assert_bad_escape("\\c\\c", "only allowed at the end");
}

/* ---- the recorder's lines ------------------------------------------------------------------ */

/* Every kind of line the recorder writes, exactly; nothing once it is closed. */
static void test_recorder_writes_each_event_as_one_line(void **state)
{
    Error *err = NULL;
    char *dir = tmpdir_new("tern-replay-core-XXXXXX");
    char *path = g_build_filename(dir, "r.trace", NULL);
    char *argv[] = {"tern", "-M", "virt", "-record", path, "-append", "-record x", NULL};
    char *text = NULL;
    const char *expected;

    assert_true(replay_record_open(path, 7, argv, &err));
    assert_int_equal(replay_mode(), REPLAY_MODE_RECORD);
    assert_true(replay_recording());
    replay_record_chardev_in("qtest", (const uint8_t *)"readl 0x0\nreadl", 15); /* clock at 0 */
    replay_record_chardev_out("qtest", (const uint8_t *)"OK 0x0\r\n", 8);
    assert_true(clock_advance_virtual_to(5));
    replay_record_chardev_in("qtest", (const uint8_t *)" 0x4\n", 5);
    replay_record_chardev_in("qtest", (const uint8_t *)"\n", 1); /* the clock did not move */
    replay_record_chardev_open("compat_monitor0");
    replay_record_chardev_close("compat_monitor0");
    replay_record_entropy("rng0", (const uint8_t *)"\x00\xab", 2);
    replay_record_hostclock(INT64_C(1764680000000000000));
    replay_record_checkpoint("00ff");
    replay_record_error("-m 5x: bad\\size");
    replay_record_exit(3);
    replay_record_close();
    assert_false(replay_recording());
    assert_int_equal(replay_mode(), REPLAY_MODE_OFF);
    replay_record_exit(4); /* closed: nothing */

    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    expected = "tern-trace 1\n"
               "args -M virt -append '-record x'\n"
               "in qtest readl 0x0\n"
               "in qtest readl\\c\n"
               "out qtest OK 0x0\\r\n"
               "time 5\n"
               "in qtest  0x4\n"
               "in qtest\n"
               "open compat_monitor0\n"
               "close compat_monitor0\n"
               "entropy rng0 00ab\n"
               "hostclock 1764680000000000000\n"
               "checkpoint 00ff\n"
               "error -m 5x: bad\\\\size\n"
               "exit 3\n";
    assert_string_equal(text, expected);
    g_free(text);

    /* Reopened with the clock already moved: the first input has its time line. */
    assert_true(replay_record_open(path, 1, argv, &err));
    replay_record_chardev_in("serial0", (const uint8_t *)"x", 1);
    replay_record_close();
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    assert_string_equal(text, "tern-trace 1\nargs\ntime 5\nin serial0 x\\c\n");
    g_free(text);
    g_unlink(path);
    g_free(path);
    tmpdir_remove(dir);
}

/* ---- replay back ends ------------------------------------------------------------------- */

static char *take_output(const char *id)
{
    Chardev *chr = chardev_find(id);
    GByteArray *out = g_byte_array_new();

    assert_non_null(chr);
    chardev_replay_take_output(chr, out);
    g_byte_array_append(out, (const uint8_t *)"", 1);
    return (char *)g_byte_array_free(out, FALSE);
}

static void deliver(const char *id, const char *text)
{
    chardev_deliver_input(chardev_find(id), (const uint8_t *)text, strlen(text));
    while (!main_loop_idle()) {
        main_loop_wait(true);
    }
}

static void expect_reply(const char *id, const char *input, const char *output)
{
    char *got;

    deliver(id, input);
    got = take_output(id);
    assert_string_equal(got, output);
    g_free(got);
}

static void collect_id(Chardev *chr, void *opaque)
{
    g_string_append_printf(opaque, "%s%s:%s", ((GString *)opaque)->len ? " " : "", chardev_id(chr),
                           chardev_backend(chr));
}

#define BACKENDS_ARGS                                                                              \
    "-M", "virt", "-accel", "qtest", "-bios", "none", "-nodefaults", "-qtest", "stdio",            \
        "-qtest-log", "none", "-serial", "file:/nonexistent-dir/out.txt", "-qmp",                  \
        "/nonexistent-dir/ttyS9", "-chardev", "ringbuf,id=rb0"

/*
 * qtest on stdio and a console on a file, replayed: no fd is taken (the
 * descriptor count stays), no file is made, the qtest front end is open
 * from the start, and what the front ends write is kept until taken.
 */
static void test_stdio_and_file_become_replay_back_ends(void **state)
{
    Error *err = NULL;
    unsigned fds = fds_open_count();
    char **argv = TERN_ARGV(BACKENDS_ARGS);
    GString *ids = g_string_new(NULL);
    char *out;

    replay_set_mode(REPLAY_MODE_REPLAY);
    assert_int_equal(tern_init(TERN_ARGC(BACKENDS_ARGS), argv, &err), TERN_INIT_RUN);
    assert_null(err);
    assert_int_equal(replay_mode(), REPLAY_MODE_REPLAY);
    assert_int_equal(fds_open_count(), fds);
    assert_false(g_file_test("/nonexistent-dir", G_FILE_TEST_EXISTS));

    assert_true(chardev_is_replay(chardev_find("qtest")));
    assert_true(chardev_is_replay(chardev_find("serial0")));
    assert_false(chardev_is_replay(chardev_find("rb0"))); /* in memory already: left alone */
    chardev_foreach(collect_id, ids);
    assert_true(chardev_is_replay(chardev_find("compat_monitor0")));
    assert_string_equal(ids->str, "rb0:ringbuf serial0:file compat_monitor0:serial qtest:stdio");
    /* A monitor on a device (not a socket) greets at creation, as live. */
    out = take_output("compat_monitor0");
    assert_true(g_str_has_prefix(out, "{\"QMP\": "));
    g_free(out);
    g_string_free(ids, TRUE);

    expect_reply("qtest", "readb 0x10000005\n", "OK 0x0000000000000060\n");
    /* Input cut mid-line: nothing until the rest comes. */
    expect_reply("qtest", "writeb 0x1000", "");
    expect_reply("qtest", "0000 0x41\nclock_step 10\n", "OK\nOK 10\n");
    out = take_output("serial0");
    assert_string_equal(out, "A");
    g_free(out);
    out = take_output("serial0"); /* taken means forgotten */
    assert_string_equal(out, "");
    g_free(out);

    tern_cleanup();
    assert_int_equal(replay_mode(), REPLAY_MODE_OFF);
    assert_int_equal(fds_open_count(), fds);
}

/*
 * A socket server with wait=off is not open until chardev_replay_open: QMP
 * greets only then, as it greets a client that connects.  The socket file
 * is never made (its directory does not even exist).
 */
static void test_socket_server_without_wait_opens_on_replay_open(void **state)
{
    Error *err = NULL;
    char *out;
    Chardev *chr;

    replay_set_mode(REPLAY_MODE_REPLAY);
    assert_int_equal(
        tern_init(TERN_ARGC("-M", "virt", "-accel", "qtest", "-bios", "none", "-nodefaults", "-qmp",
                            "unix:/nonexistent-dir/q.sock,server=on,wait=off"),
                  TERN_ARGV("-M", "virt", "-accel", "qtest", "-bios", "none", "-nodefaults", "-qmp",
                            "unix:/nonexistent-dir/q.sock,server=on,wait=off"),
                  &err),
        TERN_INIT_RUN);
    assert_null(err);
    chr = chardev_find("compat_monitor0");
    assert_non_null(chr);
    assert_true(chardev_is_replay(chr));
    assert_string_equal(chardev_backend(chr), "socket");
    assert_null(chardev_socket_address(chr));
    out = take_output("compat_monitor0");
    assert_string_equal(out, ""); /* nobody there yet: no greeting */
    g_free(out);

    chardev_replay_open(chr);
    out = take_output("compat_monitor0");
    assert_true(g_str_has_prefix(out, "{\"QMP\": {\"version\": "));
    assert_true(g_str_has_suffix(out, "}\r\n"));
    g_free(out);
    expect_reply("compat_monitor0", "{\"execute\": \"qmp_capabilities\"}\n",
                 "{\"return\": {}}\r\n");
    expect_reply(
        "compat_monitor0", "{\"execute\": \"query-status\"}\n",
        "{\"return\": {\"running\": true, \"singlestep\": false, \"status\": \"running\"}}\r\n");

    /* The client leaves and another comes: a new session, greeted again. */
    chardev_replay_close(chr);
    chardev_replay_open(chr);
    out = take_output("compat_monitor0");
    assert_true(g_str_has_prefix(out, "{\"QMP\": "));
    g_free(out);
    expect_reply("compat_monitor0", "{\"execute\": \"query-status\"}\n",
                 "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting capabilities "
                 "negotiation with 'qmp_capabilities'\"}}\r\n");
}

/* A client socket (-qtest unix:PATH, tern connecting) is open from creation, no socket made. */
static void test_client_socket_is_open_at_creation(void **state)
{
    Error *err = NULL;
    unsigned fds = fds_open_count();

    replay_set_mode(REPLAY_MODE_REPLAY);
    assert_int_equal(
        tern_init(TERN_ARGC("-M", "virt", "-accel", "qtest", "-bios", "none", "-nodefaults",
                            "-qtest", "unix:/nonexistent-dir/q.sock", "-qtest-log", "none"),
                  TERN_ARGV("-M", "virt", "-accel", "qtest", "-bios", "none", "-nodefaults",
                            "-qtest", "unix:/nonexistent-dir/q.sock", "-qtest-log", "none"),
                  &err),
        TERN_INIT_RUN);
    assert_null(err);
    assert_int_equal(fds_open_count(), fds);
    assert_string_equal(chardev_backend(chardev_find("qtest")), "socket");
    expect_reply("qtest", "clock_step 7\n", "OK 7\n");
}

/* A server that waits for its client is open at creation, as the live one is when it returns. */
static void test_socket_server_with_wait_is_open_at_creation(void **state)
{
    Error *err = NULL;
    char *out;

    replay_set_mode(REPLAY_MODE_REPLAY);
    assert_int_equal(
        tern_init(TERN_ARGC("-M", "virt", "-accel", "qtest", "-bios", "none", "-nodefaults", "-qmp",
                            "unix:/nonexistent-dir/q.sock,server=on"),
                  TERN_ARGV("-M", "virt", "-accel", "qtest", "-bios", "none", "-nodefaults", "-qmp",
                            "unix:/nonexistent-dir/q.sock,server=on"),
                  &err),
        TERN_INIT_RUN);
    assert_null(err);
    out = take_output("compat_monitor0");
    assert_true(g_str_has_prefix(out, "{\"QMP\": "));
    g_free(out);
}

/* Option errors that do not depend on the host come out in a replay as they did live. */
static void test_replay_keeps_the_host_independent_errors(void **state)
{
    Error *err = NULL;

    replay_set_mode(REPLAY_MODE_REPLAY);
    assert_int_equal(tern_init(TERN_ARGC("-M", "virt", "-nodefaults", "-chardev", "socket,id=c0"),
                               TERN_ARGV("-M", "virt", "-nodefaults", "-chardev", "socket,id=c0"),
                               &err),
                     TERN_INIT_ERROR);
    assert_non_null(err);
    assert_string_equal(error_get_pretty(err), "-chardev socket,id=c0: chardev backend 'socket' "
                                               "needs either path= or host=/port=");
    error_free(err);
}

/* A replay records nothing: -record left in a replayed command line is ignored. */
static void test_record_option_is_ignored_in_a_replay(void **state)
{
    Error *err = NULL;

    replay_set_mode(REPLAY_MODE_REPLAY);
    assert_int_equal(
        tern_init(TERN_ARGC("-record", "/nonexistent-dir/x.trace", "-M", "virt", "-nodefaults"),
                  TERN_ARGV("-record", "/nonexistent-dir/x.trace", "-M", "virt", "-nodefaults"),
                  &err),
        TERN_INIT_RUN);
    assert_null(err);
    assert_int_equal(replay_mode(), REPLAY_MODE_REPLAY);
    assert_false(replay_recording());
}

/* ---- entropy and host-clock queues ---------------------------------------------------------- */

static void test_queues_give_values_in_order_then_starve(void **state)
{
    uint8_t buf[4];
    int64_t ns;

    replay_set_mode(REPLAY_MODE_REPLAY);
    assert_null(replay_starved());
    replay_queue_entropy((const uint8_t *)"\x01\x02\x03", 3);
    replay_queue_entropy((const uint8_t *)"\x04", 1);
    replay_queue_hostclock(5);
    replay_queue_hostclock(-7);

    assert_true(replay_take_entropy("rng0", buf, 3));
    assert_memory_equal(buf, "\x01\x02\x03", 3);
    assert_true(replay_take_hostclock(&ns));
    assert_int_equal(ns, 5);
    assert_true(replay_take_hostclock(&ns));
    assert_int_equal(ns, -7);
    assert_null(replay_starved());

    assert_false(replay_take_hostclock(&ns));
    assert_non_null(replay_starved());
    assert_non_null(strstr(replay_starved(), "hostclock"));
    assert_false(replay_take_entropy("rng0", buf, 2));      /* one byte left: not enough */
    assert_non_null(strstr(replay_starved(), "hostclock")); /* the first shortage is kept */

    /* OFF drops the queues and the shortage. */
    replay_set_mode(REPLAY_MODE_OFF);
    assert_null(replay_starved());
    replay_set_mode(REPLAY_MODE_REPLAY);
    assert_false(replay_take_entropy("rng0", buf, 1));
    assert_non_null(strstr(replay_starved(), "entropy: 1 bytes asked for, the trace has 0 left"));
    replay_set_mode(REPLAY_MODE_OFF);
}

static uint64_t rtc_time_ns(void)
{
    uint64_t lo = 0, hi = 0;

    assert_int_equal(address_space_ld(address_space_memory(), RTC_BASE + 0x00, 4, &lo), 0);
    assert_int_equal(address_space_ld(address_space_memory(), RTC_BASE + 0x04, 4, &hi), 0);
    return hi << 32 | lo;
}

/*
 * -rtc base=utc,clock=host, replayed: the start-up read (the base), the
 * device's own read at realize, and one per TIME_LOW read, in that order,
 * all from the queue; the guest sees base - first + now.
 */
static void test_host_clock_reads_come_from_the_trace(void **state)
{
    Error *err = NULL;
    const int64_t base = INT64_C(1764680000000000000);

    replay_set_mode(REPLAY_MODE_REPLAY);
    replay_queue_hostclock(base);
    replay_queue_hostclock(1000);
    replay_queue_hostclock(3000);
    assert_int_equal(tern_init(TERN_ARGC("-M", "virt", "-accel", "qtest", "-bios", "none",
                                         "-nodefaults", "-rtc", "base=utc,clock=host"),
                               TERN_ARGV("-M", "virt", "-accel", "qtest", "-bios", "none",
                                         "-nodefaults", "-rtc", "base=utc,clock=host"),
                               &err),
                     TERN_INIT_RUN);
    assert_null(err);
    assert_int_equal(rtc_time_ns(), (uint64_t)base + 2000);
    /* The main loop's own passes take nothing from the queue. */
    for (int i = 0; i < 10; i++) {
        main_loop_wait(true);
    }
    assert_null(replay_starved());
    /* One read too many: the last value again, and the harness is told. */
    assert_int_equal(rtc_time_ns(), (uint64_t)base + 2000);
    assert_non_null(replay_starved());
}

static RngBackend *rng0(void)
{
    Object *obj = object_resolve_path("/objects/rng0", NULL);

    assert_non_null(obj);
    return RNG_BACKEND(obj);
}

/* rng-random replayed: the trace's bytes, not the file's (here /dev/null, which has none). */
static void test_entropy_comes_from_the_trace(void **state)
{
    Error *err = NULL;
    uint8_t buf[4];

    replay_set_mode(REPLAY_MODE_REPLAY);
    replay_queue_entropy((const uint8_t *)"\x9f\x3a\x00\xc4", 4);
    assert_int_equal(tern_init(TERN_ARGC("-M", "virt", "-nodefaults", "-object",
                                         "rng-random,id=rng0,filename=/dev/null"),
                               TERN_ARGV("-M", "virt", "-nodefaults", "-object",
                                         "rng-random,id=rng0,filename=/dev/null"),
                               &err),
                     TERN_INIT_RUN);
    assert_null(err);
    assert_int_equal(rng_backend_read(rng0(), buf, 4), 4);
    assert_memory_equal(buf, "\x9f\x3a\x00\xc4", 4);
    assert_null(replay_starved());
    assert_int_equal(rng_backend_read(rng0(), buf, 1), 0);
    assert_non_null(strstr(replay_starved(), "entropy"));
}

/* ---- instruction counts and coalesced output ------------------------------------------------ */

/* A stand-in for the interpreter's count: what the test says. */
static uint64_t fake_count;

static uint64_t fake_icount(void)
{
    return fake_count;
}

static char *trace_text(const char *path)
{
    char *text = NULL;

    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

/*
 * icount N goes before an event whenever the count moved since the last
 * icount line: inputs, the seams' reads, signals, the final checkpoint;
 * before the time line of the same input; never before output.
 */
static void test_icount_line_comes_before_each_event_the_count_moved_for(void **state)
{
    Error *err = NULL;
    char *dir = tmpdir_new("tern-replay-core-XXXXXX");
    char *path = g_build_filename(dir, "r.trace", NULL);
    char *argv[] = {"tern", NULL};
    char *text;

    fake_count = 0;
    replay_set_icount_source(fake_icount);
    assert_true(replay_record_open(path, 1, argv, &err));
    replay_record_chardev_in("serial0", (const uint8_t *)"a", 1); /* count 0: no line */
    fake_count = 1000;
    replay_record_chardev_out("serial0", (const uint8_t *)"x\n", 2);
    assert_true(clock_advance_virtual_to(8000));
    replay_record_chardev_in("serial0", (const uint8_t *)"b", 1);
    replay_record_chardev_in("serial0", (const uint8_t *)"c", 1); /* the count did not move */
    fake_count = 1500;
    replay_record_entropy("rng0", (const uint8_t *)"\x01", 1);
    replay_record_hostclock(42); /* still 1500 */
    fake_count = 2000;
    replay_record_hostclock(43);
    fake_count = 2100;
    replay_record_chardev_open("c0");
    fake_count = 2200;
    replay_record_chardev_close("c0");
    fake_count = 2300;
    replay_record_signal(15);
    fake_count = 2400;
    replay_record_checkpoint("00ff");
    replay_record_exit(0);
    replay_record_close();
    replay_set_icount_source(NULL);
    text = trace_text(path);
    assert_string_equal(text, "tern-trace 1\n"
                              "args\n"
                              "in serial0 a\\c\n"
                              "out serial0 x\n"
                              "icount 1000\n"
                              "time 8000\n"
                              "in serial0 b\\c\n"
                              "in serial0 c\\c\n"
                              "icount 1500\n"
                              "entropy rng0 01\n"
                              "hostclock 42\n"
                              "icount 2000\n"
                              "hostclock 43\n"
                              "icount 2100\n"
                              "open c0\n"
                              "icount 2200\n"
                              "close c0\n"
                              "icount 2300\n"
                              "signal 15\n"
                              "icount 2400\n"
                              "checkpoint 00ff\n"
                              "exit 0\n");
    g_free(text);
    g_unlink(path);
    g_free(path);
    tmpdir_remove(dir);
}

/* Without a source (qtest) the count stays 0: no icount line at all, as before the hart. */
static void test_no_icount_line_without_a_source(void **state)
{
    Error *err = NULL;
    char *dir = tmpdir_new("tern-replay-core-XXXXXX");
    char *path = g_build_filename(dir, "r.trace", NULL);
    char *argv[] = {"tern", NULL};
    char *text;

    replay_set_icount_source(NULL);
    assert_int_equal(replay_icount(), 0);
    assert_true(replay_record_open(path, 1, argv, &err));
    replay_record_chardev_in("qtest", (const uint8_t *)"readl 0\n", 8);
    replay_record_hostclock(1);
    replay_record_checkpoint("00");
    replay_record_close();
    text = trace_text(path);
    assert_null(strstr(text, "icount"));
    g_free(text);
    g_unlink(path);
    g_free(path);
    tmpdir_remove(dir);
}

/* Byte-at-a-time console output becomes one out line per line of text. */
static void test_output_written_a_byte_at_a_time_is_one_line(void **state)
{
    Error *err = NULL;
    char *dir = tmpdir_new("tern-replay-core-XXXXXX");
    char *path = g_build_filename(dir, "r.trace", NULL);
    char *argv[] = {"tern", NULL};
    static const char banner[] = "Hello\r\nworld\n\n";
    char *text;

    assert_true(replay_record_open(path, 1, argv, &err));
    for (size_t i = 0; i < strlen(banner); i++) {
        replay_record_chardev_out("serial0", (const uint8_t *)banner + i, 1);
    }
    /* A chunk with several lines and a partial one, then the rest of that line. */
    replay_record_chardev_out("serial0", (const uint8_t *)"a\nb\nc", 5);
    replay_record_chardev_out("serial0", (const uint8_t *)"d\n", 2);
    replay_record_close();
    text = trace_text(path);
    assert_string_equal(text, "tern-trace 1\nargs\n"
                              "out serial0 Hello\\r\n"
                              "out serial0 world\n"
                              "out serial0\n"
                              "out serial0 a\n"
                              "out serial0 b\n"
                              "out serial0 cd\n");
    g_free(text);
    g_unlink(path);
    g_free(path);
    tmpdir_remove(dir);
}

/*
 * A partial line is written (with \c) before any other event, before
 * another chardev's output, once it holds 4096 bytes or more, and at the end:
 * the order of events is kept and nothing is lost.
 */
static void test_partial_output_is_written_before_anything_else(void **state)
{
    Error *err = NULL;
    char *dir = tmpdir_new("tern-replay-core-XXXXXX");
    char *path = g_build_filename(dir, "r.trace", NULL);
    char *argv[] = {"tern", NULL};
    char *text, *expected;
    char big[5000];

    memset(big, 'z', sizeof(big));
    assert_true(replay_record_open(path, 1, argv, &err));
    replay_record_chardev_out("serial0", (const uint8_t *)"=> ", 3);
    replay_record_chardev_in("serial0", (const uint8_t *)"v", 1);
    replay_record_chardev_out("serial0", (const uint8_t *)"v", 1);
    replay_record_chardev_out("qtest", (const uint8_t *)"OK", 2);
    replay_record_chardev_out("qtest", (const uint8_t *)"\n", 1);
    replay_record_chardev_out("serial1", (const uint8_t *)"p", 1);
    replay_record_checkpoint("00");
    replay_record_chardev_out("serial0", (const uint8_t *)big, sizeof(big));
    replay_record_chardev_out("serial0", (const uint8_t *)"tail", 4);
    replay_record_close();
    text = trace_text(path);
    expected = g_strdup_printf("tern-trace 1\nargs\n"
                               "out serial0 => \\c\n"
                               "in serial0 v\\c\n"
                               "out serial0 v\\c\n"
                               "out qtest OK\n"
                               "out serial1 p\\c\n"
                               "checkpoint 00\n"
                               "out serial0 %.5000s\\c\n"
                               "out serial0 tail\\c\n",
                               big);
    assert_string_equal(text, expected);
    g_free(expected);
    g_free(text);
    g_unlink(path);
    g_free(path);
    tmpdir_remove(dir);
}

static int count_of(const char *text, const char *needle)
{
    gchar **parts = g_strsplit(text, needle, -1);
    int n = (int)g_strv_length(parts) - 1;

    g_strfreev(parts);
    return n;
}

/*
 * A partial line pending when the main loop's iteration ends is written
 * then (what SIGKILL can take is one iteration's partial line), and the
 * flush leaves the machine's state as it was (snapshot_digest).
 */
static void test_partial_output_is_written_when_the_loop_iteration_ends(void **state)
{
    Error *err = NULL;
    char *dir = tmpdir_new("tern-replay-core-XXXXXX");
    char *trace = g_build_filename(dir, "r.trace", NULL);
    char *text, *before, *after;

    assert_int_equal(tern_init(TERN_ARGC("-record", trace, "-M", "virt", "-accel", "qtest", "-bios",
                                         "none", "-nodefaults"),
                               TERN_ARGV("-record", trace, "-M", "virt", "-accel", "qtest", "-bios",
                                         "none", "-nodefaults"),
                               &err),
                     TERN_INIT_RUN);
    main_loop_wait(true);
    before = snapshot_digest(&err);
    assert_non_null(before);
    replay_record_chardev_out("serial0", (const uint8_t *)"Hit any key: 3", 14);
    text = trace_text(trace);
    assert_null(strstr(text, "Hit any key"));
    g_free(text);
    after = snapshot_digest(&err);
    assert_string_equal(before, after); /* pending output is not machine state */
    main_loop_wait(true);
    text = trace_text(trace);
    assert_true(g_str_has_suffix(text, "\nout serial0 Hit any key: 3\\c\n"));
    g_free(text);
    /* Written once: the next iteration adds nothing. */
    main_loop_wait(true);
    text = trace_text(trace);
    assert_int_equal(count_of(text, "Hit any key"), 1);
    g_free(text);
    tern_cleanup();
    g_free(before);
    g_free(after);
    g_unlink(trace);
    g_free(trace);
    tmpdir_remove(dir);
}

/* ---- recording, in-process -------------------------------------------------------------- */

/* tern_init -record: the host-clock reads and the entropy bytes, each as it happened. */
static void test_host_reads_are_recorded(void **state)
{
    Error *err = NULL;
    char *dir = tmpdir_new("tern-replay-core-XXXXXX");
    char *bytes = tmpdir_write(dir, "entropy.bin", "\x01\x02\xfe\xff\x55", 5);
    char *trace = g_build_filename(dir, "t.trace", NULL);
    char *object = g_strdup_printf("rng-random,id=rng0,filename=%s", bytes);
    char *text = NULL;
    gchar **lines;
    uint8_t buf[4];
    uint64_t t0, t1;
    int64_t ns[3];
    unsigned fds = fds_open_count();

    assert_int_equal(
        tern_init(TERN_ARGC("-record", trace, "-M", "virt", "-accel", "qtest", "-bios", "none",
                            "-nodefaults", "-rtc", "base=utc,clock=host", "-object", object),
                  TERN_ARGV("-record", trace, "-M", "virt", "-accel", "qtest", "-bios", "none",
                            "-nodefaults", "-rtc", "base=utc,clock=host", "-object", object),
                  &err),
        TERN_INIT_RUN);
    assert_null(err);
    assert_int_equal(replay_mode(), REPLAY_MODE_RECORD);
    assert_true(replay_recording());
    assert_int_equal(rng_backend_read(rng0(), buf, 4), 4);
    assert_memory_equal(buf, "\x01\x02\xfe\xff", 4);
    t0 = rtc_time_ns();
    g_usleep(2000);
    t1 = rtc_time_ns();
    assert_true(t1 > t0);
    for (int i = 0; i < 10; i++) {
        main_loop_wait(true); /* the loop's host-clock passes: not recorded */
    }
    tern_cleanup(); /* closes the recording */
    assert_false(replay_recording());
    assert_int_equal(replay_mode(), REPLAY_MODE_OFF);
    assert_int_equal(fds_open_count(), fds);

    assert_true(g_file_get_contents(trace, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    assert_string_equal(lines[0], "tern-trace 1");
    assert_true(g_str_has_prefix(lines[1], "args -nouserconfig -M virt "));
    assert_null(strstr(lines[1], "-record"));
    for (int i = 0; i < 2; i++) {
        assert_true(g_str_has_prefix(lines[2 + i], "hostclock "));
        ns[i] = g_ascii_strtoll(lines[2 + i] + 10, NULL, 10);
    }
    assert_true(ns[0] > INT64_C(1600000000) * 1000000000 && ns[1] >= ns[0]);
    assert_string_equal(lines[4], "entropy rng0 0102feff");
    assert_true(g_str_has_prefix(lines[5], "hostclock "));
    ns[2] = g_ascii_strtoll(lines[5] + 10, NULL, 10);
    /* The guest's time is the base plus the host time since realize: the recorded values. */
    assert_int_equal(t0, (uint64_t)(ns[0] - ns[1] + ns[2]));
    assert_true(g_str_has_prefix(lines[6], "hostclock "));
    assert_string_equal(lines[7], ""); /* the end: no exit line, the loop never ran */
    assert_null(lines[8]);
    /* A second cleanup is harmless. */
    tern_cleanup();
    g_strfreev(lines);
    g_free(text);
    g_unlink(trace);
    g_free(trace);
    g_free(object);
    g_free(bytes);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_writes_the_documented_forms),
        cmocka_unit_test(test_unescape_reads_every_form),
        cmocka_unit_test(test_escape_and_unescape_round_trip),
        cmocka_unit_test(test_unescape_refuses_bad_escapes),
        cmocka_unit_test_teardown(test_recorder_writes_each_event_as_one_line, cleanup),
        cmocka_unit_test_teardown(test_stdio_and_file_become_replay_back_ends, cleanup),
        cmocka_unit_test_teardown(test_socket_server_without_wait_opens_on_replay_open, cleanup),
        cmocka_unit_test_teardown(test_socket_server_with_wait_is_open_at_creation, cleanup),
        cmocka_unit_test_teardown(test_client_socket_is_open_at_creation, cleanup),
        cmocka_unit_test_teardown(test_replay_keeps_the_host_independent_errors, cleanup),
        cmocka_unit_test_teardown(test_record_option_is_ignored_in_a_replay, cleanup),
        cmocka_unit_test_teardown(test_queues_give_values_in_order_then_starve, cleanup),
        cmocka_unit_test_teardown(test_host_clock_reads_come_from_the_trace, cleanup),
        cmocka_unit_test_teardown(test_entropy_comes_from_the_trace, cleanup),
        cmocka_unit_test_teardown(test_host_reads_are_recorded, cleanup),
        cmocka_unit_test_teardown(test_icount_line_comes_before_each_event_the_count_moved_for,
                                  cleanup),
        cmocka_unit_test_teardown(test_no_icount_line_without_a_source, cleanup),
        cmocka_unit_test_teardown(test_output_written_a_byte_at_a_time_is_one_line, cleanup),
        cmocka_unit_test_teardown(test_partial_output_is_written_before_anything_else, cleanup),
        cmocka_unit_test_teardown(test_partial_output_is_written_when_the_loop_iteration_ends,
                                  cleanup),
    };

    return cmocka_run_group_tests_name("replay-core", tests, NULL, NULL);
}
