/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-qtest-log.c - the qtest log as QEMU 7.2 writes it, and written
 * cheaply: the "[R +S.UUUUUU]" prefix from its integer formatter with fixed
 * times, every line of a many-command chunk present and in order, the
 * chunk's log written before its replies are sent (in-process and through
 * a spawned tern, where a reader of the reply pipe then reads the file);
 * and held lines reach the file when the process dies in the middle of a
 * chunk (killed, aborted, faulting, or in tern_bug()).  A request line
 * shares the stamp of the reply line just before it, never across chunks,
 * deferred work or a blocked send.
 *
 * Not here: the log lines of each command (test-qtest-protocol.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>

#include "tests/support/tmpdir.h"

#include "core/error.h"
#include "core/main-loop.h"
#include "core/memory.h"
#include "core/tern.h"
#include "qtest/qtest-log.h"
#include "qtest/qtest.h"

#define MACHINE "-M virt -bios none -nodefaults -accel qtest"
#define T       "\\+[0-9]+\\.[0-9]{6}\\]"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(TEST_ASAN)
#define TEST_ASAN 1
#endif

static char *tmp_dir;

static void expect_prefix(char tag, bool relative, int64_t ns, const char *expected)
{
    char buf[QTEST_LOG_PREFIX_MAX];
    size_t len = qtest_log_format_prefix(buf, tag, relative, ns);

    assert_string_equal(buf, expected);
    assert_int_equal(len, strlen(expected));
}

static void test_prefix_of_zero_is_the_opened_and_first_request_stamp(void **state)
{
    expect_prefix('I', false, 0, "[I 0.000000]");
    expect_prefix('R', true, 0, "[R +0.000000]");
}

static void test_prefix_of_ten_seconds_has_two_integer_digits(void **state)
{
    expect_prefix('R', true, INT64_C(10000000000), "[R +10.000000]");
    expect_prefix('S', true, INT64_C(10000001000), "[S +10.000001]");
}

static void test_prefix_rounds_to_the_nearest_microsecond(void **state)
{
    expect_prefix('S', true, 1234567, "[S +0.001235]");
    expect_prefix('S', true, 1234499, "[S +0.001234]");
    expect_prefix('S', true, 1234500, "[S +0.001235]");
    expect_prefix('R', true, 999999500, "[R +1.000000]"); /* the carry reaches the seconds */
    expect_prefix('R', true, INT64_C(3599999999500), "[R +3600.000000]");
    expect_prefix('R', true, 3599999999, "[R +3.600000]");
}

static void test_prefix_keeps_leading_zeros_of_the_fraction(void **state)
{
    expect_prefix('R', true, 42000, "[R +0.000042]");
    expect_prefix('R', true, INT64_C(7000000000) + 5000, "[R +7.000005]");
}

static void test_prefix_clamps_negative_and_holds_the_largest_time(void **state)
{
    expect_prefix('R', true, -5, "[R +0.000000]");
    expect_prefix('R', true, INT64_MAX, "[R +9223372036.854776]");
    assert_true(strlen("[R +9223372036.854776]") < QTEST_LOG_PREFIX_MAX);
}

/* ---- one chunk, in-process ------------------------------------------------------------------ */

typedef struct Session {
    char **argv; /* the machine's command line */
    QTestServer *s;
    char *log;
    GString *replies;
    int sends;
    int bad_order; /* replies sent while their "[S +t]" line was not yet in the file */
} Session;

static int count_substr(const char *text, const char *needle)
{
    int n = 0;

    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

/* At each send: the file already holds a reply line for every reply line sent so far. */
static void session_collect(void *opaque, const char *text, size_t len)
{
    Session *se = opaque;
    char *logged = NULL;
    int replies;

    g_string_append_len(se->replies, text, len);
    se->sends++;
    replies = count_substr(se->replies->str, "\n");
    assert_true(g_file_get_contents(se->log, &logged, NULL, NULL));
    if (count_substr(logged, "\n[S +") < replies) {
        se->bad_order++;
    }
    g_free(logged);
}

static char **init_machine(void)
{
    char *line = g_strconcat("tern -nouserconfig ", MACHINE, NULL);
    char **argv = NULL;
    int argc;
    Error *err = NULL;

    assert_true(g_shell_parse_argv(line, &argc, &argv, NULL));
    g_free(line);
    assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_RUN);
    return argv;
}

/* A machine and a server logging to q.log in the test's directory, connected. */
static void session_start(Session *se)
{
    *se = (Session){.argv = init_machine(), .replies = g_string_new(NULL)};
    se->log = g_build_filename(tmp_dir, "q.log", NULL);
    se->s = qtest_server_new(session_collect, se);
    assert_true(qtest_server_set_log_path(se->s, se->log, NULL));
    qtest_server_open(se->s);
}

/* Frees the server (its log closed) unless the test did, and the machine; the log file stays. */
static void session_end(Session *se)
{
    if (se->s) {
        qtest_server_free(se->s);
    }
    g_free(se->log);
    g_string_free(se->replies, TRUE);
    tern_cleanup();
    g_strfreev(se->argv);
}

static void check_lines(const char *text, const char *const *patterns, size_t n)
{
    char **lines = g_strsplit(text, "\n", -1);

    if (g_strv_length(lines) != n + 1 || *lines[n]) {
        print_error("log has %u lines, expected %zu:\n%s\n", g_strv_length(lines) - 1, n, text);
        fail();
    }
    for (size_t i = 0; i < n; i++) {
        if (!g_regex_match_simple(patterns[i], lines[i], 0, 0)) {
            print_error("log line %zu '%s' does not match '%s'\n", i + 1, lines[i], patterns[i]);
            fail();
        }
    }
    g_strfreev(lines);
}

static void
test_every_line_of_a_many_command_chunk_is_logged_in_order_before_the_replies(void **state)
{
    static const char chunk[] = "writel 0x80000000 0x12345678\n"
                                "readl 0x80000000\n"
                                "bogus 1\n"
                                "\n"
                                "readb 0x80000000\n"
                                "endianness\n";
    static const char *const patterns[] = {
        "^\\[I 0\\.000000\\] OPENED$",
        "^\\[R " T " writel 0x80000000 0x12345678$",
        "^\\[S " T " OK$",
        "^\\[R " T " readl 0x80000000$",
        "^\\[S " T " OK 0x0000000012345678$",
        "^\\[R " T " bogus 1$",
        "^\\[S " T " FAIL Unknown command 'bogus'$",
        "^\\[R " T "$",
        "^\\[S " T " ERR empty command$",
        "^\\[R " T " readb 0x80000000$",
        "^\\[S " T " OK 0x0000000000000078$",
        "^\\[R " T " endianness$",
        "^\\[S " T " OK little$",
        "^\\[I " T " CLOSED$",
    };
    Session se;
    char *text;

    session_start(&se);
    qtest_server_feed(se.s, chunk, strlen(chunk));
    assert_string_equal(se.replies->str, "OK\nOK 0x0000000012345678\nFAIL Unknown command "
                                         "'bogus'\nERR empty command\nOK 0x0000000000000078\n"
                                         "OK little\n");
    assert_int_equal(se.sends, 1); /* the chunk's replies in one send */
    assert_int_equal(se.bad_order, 0);
    /* The file held every line of the chunk when its replies went out. */
    assert_true(g_file_get_contents(se.log, &text, NULL, NULL));
    assert_int_equal(count_substr(text, "[R +"), 6);
    g_free(text);
    qtest_server_free(se.s); /* logs CLOSED */
    se.s = NULL;
    assert_true(g_file_get_contents(se.log, &text, NULL, NULL));
    check_lines(text, patterns, G_N_ELEMENTS(patterns));
    g_free(text);
    session_end(&se);
}

/* Lines fed in pieces (a request split across reads) are logged once each, in order. */
static void test_a_request_split_across_chunks_is_logged_once_when_complete(void **state)
{
    Session se;
    char *text;

    session_start(&se);
    qtest_server_feed(se.s, "endian", 6);
    assert_int_equal(se.sends, 0);
    qtest_server_feed(se.s, "ness\nreadw 0x80", 15);
    qtest_server_feed(se.s, "000000\n", 7);
    assert_int_equal(se.sends, 2);
    assert_int_equal(se.bad_order, 0);
    assert_true(g_file_get_contents(se.log, &text, NULL, NULL));
    assert_int_equal(count_substr(text, "] endianness\n"), 1);
    assert_non_null(strstr(text, "] OK little\n[R +"));
    assert_non_null(strstr(text, "] readw 0x80000000\n[S +"));
    g_free(text);
    session_end(&se);
}

/* ---- the stamps: one clock read per command, never a stale one ----------------------------- */

/* The microseconds of the stamp on the first line of the log that ends with suffix. */
static int64_t stamp_of(const char *text, const char *suffix)
{
    const char *end = strstr(text, suffix), *open;
    unsigned long long sec, usec;

    assert_non_null(end);
    for (open = end; open > text && *open != '['; open--) {
        continue;
    }
    assert_int_equal(sscanf(open + 3, "+%llu.%llu]", &sec, &usec), 2);
    return (int64_t)(sec * 1000000 + usec);
}

/* A request line shares the stamp of the reply before it only within one chunk. */
static void test_the_first_request_of_a_chunk_has_a_stamp_of_its_own(void **state)
{
    Session se;
    char *text;

    session_start(&se);
    qtest_server_feed(se.s, "endianness\n", 11);
    g_usleep(20 * 1000);
    qtest_server_feed(se.s, "readb 0x80000000\n", 17);
    assert_true(g_file_get_contents(se.log, &text, NULL, NULL));
    assert_true(stamp_of(text, "] readb 0x80000000\n") - stamp_of(text, "] OK little\n") >= 20000);
    g_free(text);
    session_end(&se);
}

static void slow_bh(void *opaque)
{
    g_usleep(20 * 1000);
}

static BH *slow_work;

/* A register whose read schedules 20 ms of deferred work (a bottom half). */
static uint64_t slow_work_read(void *opaque, hwaddr addr, unsigned size)
{
    bh_schedule(slow_work);
    return 0;
}

static const MemoryRegionOps slow_work_ops = {.read = slow_work_read,
                                              .endianness = DEVICE_LITTLE_ENDIAN};

/* Deferred work between a reply and the next request of a chunk: the request reads the clock. */
static void test_a_request_after_deferred_work_has_a_stamp_of_its_own(void **state)
{
    static const char chunk[] = "readl 0x90000000\nendianness\n";
    Session se;
    MemoryRegion region;
    char *text;

    session_start(&se);
    slow_work = bh_new(slow_bh, NULL);
    memory_region_init_io(&region, NULL, &slow_work_ops, NULL, "slow-work", 0x1000);
    memory_region_add_subregion_overlap(address_space_memory()->root, 0x90000000, &region, 100);
    qtest_server_feed(se.s, chunk, strlen(chunk));
    assert_true(g_file_get_contents(se.log, &text, NULL, NULL));
    assert_true(stamp_of(text, "] endianness\n") - stamp_of(text, "] OK 0x0000000000000000\n") >=
                20000);
    /* Within a command the two lines may share a stamp, never go backwards. */
    assert_true(stamp_of(text, "] OK little\n") >= stamp_of(text, "] endianness\n"));
    g_free(text);
    memory_region_del_subregion(address_space_memory()->root, &region);
    memory_region_finalize(&region);
    bh_delete(slow_work);
    session_end(&se);
}

static int slow_sends;

/* A reader that is slow to take the first batch: its send blocks 50 ms. */
static void slow_first_send(void *opaque, const char *text, size_t len)
{
    if (!slow_sends++) {
        g_usleep(50 * 1000);
    }
}

/*
 * A chunk whose replies pass the 64 KiB batch is sent in the middle of it;
 * the request after that send reads the clock, not the stamp from before
 * the send blocked.
 */
static void test_a_request_after_a_blocked_send_has_a_stamp_of_its_own(void **state)
{
    char **argv = init_machine();
    char *log = g_build_filename(tmp_dir, "q.log", NULL), *text, **lines;
    GString *chunk = g_string_new(NULL);
    QTestServer *s = qtest_server_new(slow_first_send, NULL);
    int64_t gap = 0;

    for (int i = 0; i < 4000; i++) {
        g_string_append(chunk, "readq 0x80000000\n"); /* 22-byte replies: 2,979 fill a batch */
    }
    assert_true(qtest_server_set_log_path(s, log, NULL));
    qtest_server_open(s);
    slow_sends = 0;
    qtest_server_feed(s, chunk->str, chunk->len);
    assert_int_equal(slow_sends, 2);
    qtest_server_free(s);
    assert_true(g_file_get_contents(log, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (int i = 1; lines[i] && lines[i + 1]; i++) {
        if (g_str_has_prefix(lines[i], "[S +") && g_str_has_prefix(lines[i + 1], "[R +")) {
            int64_t d = stamp_of(lines[i + 1], "]") - stamp_of(lines[i], "]");
            gap = d > gap ? d : gap;
        }
    }
    if (gap < 50000) {
        print_error(
            "no request line is stamped after the 50 ms send (largest gap %" PRId64 " us)\n", gap);
        fail();
    }
    g_strfreev(lines);
    g_free(text);
    g_string_free(chunk, TRUE);
    g_free(log);
    tern_cleanup();
    g_strfreev(argv);
}

/* ---- one chunk, through a spawned tern ------------------------------------------------------ */

/*
 * 200 commands in one write to tern's stdin: each reply line read from its
 * stdout already has its "[S +t]" line in the log file.
 */
static void test_a_spawned_tern_writes_the_log_before_the_replies_reach_the_pipe(void **state)
{
    const char *root = getenv("TERN_BUILD_ROOT");
    char *tern, *log, **lines;
    const char *argv[16];
    GString *chunk = g_string_new(NULL);
    GPid pid;
    int in_fd, out_fd, got = 0;
    FILE *out;
    char line[256];

    assert_non_null(root);
    tern = g_build_filename(root, "tern", NULL);
    log = g_build_filename(tmp_dir, "spawned.log", NULL);
    argv[0] = tern;
    argv[1] = "-nouserconfig";
    argv[2] = "-M";
    argv[3] = "virt";
    argv[4] = "-bios";
    argv[5] = "none";
    argv[6] = "-nodefaults";
    argv[7] = "-qtest";
    argv[8] = "stdio";
    argv[9] = "-qtest-log";
    argv[10] = log;
    argv[11] = NULL;
    assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                         NULL, &pid, &in_fd, &out_fd, NULL, NULL));
    for (int i = 0; i < 100; i++) {
        g_string_append_printf(chunk, "writel 0x%x 0x%x\nreadl 0x%x\n", 0x80000000 + 4 * i, i,
                               0x80000000 + 4 * i);
    }
    assert_int_equal(write(in_fd, chunk->str, chunk->len), (ssize_t)chunk->len);
    out = fdopen(out_fd, "r");
    while (got < 200 && fgets(line, sizeof(line), out)) {
        char *text = NULL;

        got++;
        assert_true(g_file_get_contents(log, &text, NULL, NULL));
        if (count_substr(text, "\n[S +") < got) {
            print_error("reply %d '%s' was readable before its log line:\n%s\n", got, line, text);
            fail();
        }
        g_free(text);
    }
    assert_int_equal(got, 200);
    close(in_fd);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    g_spawn_close_pid(pid);
    fclose(out);
    assert_true(g_file_get_contents(log, (char **)&lines, NULL, NULL));
    {
        char **l = g_strsplit((char *)lines, "\n", -1);
        /* OPENED, then request and reply lines alternating, in the order sent. */
        assert_true(g_regex_match_simple("^\\[I 0\\.000000\\] OPENED$", l[0], 0, 0));
        for (int i = 0; i < 100; i++) {
            char *w = g_strdup_printf("^\\[R " T " writel 0x%x 0x%x$", 0x80000000 + 4 * i, i);
            char *r = g_strdup_printf("^\\[S " T " OK 0x%016x$", i);
            assert_true(g_regex_match_simple(w, l[1 + 4 * i], 0, 0));
            assert_true(g_regex_match_simple("^\\[S " T " OK$", l[2 + 4 * i], 0, 0));
            assert_true(g_str_has_prefix(l[3 + 4 * i], "[R +"));
            assert_true(g_regex_match_simple(r, l[4 + 4 * i], 0, 0));
            g_free(w);
            g_free(r);
        }
        g_strfreev(l);
    }
    g_free(lines);
    g_string_free(chunk, TRUE);
    g_free(tern);
    g_free(log);
}

/* In the spawned child: stderr goes to the file whose descriptor the parent passed. */
static void stderr_to_fd(gpointer fd)
{
    dup2(GPOINTER_TO_INT(fd), 2);
}

/*
 * Runs tern with the qtest log on stderr (a file) and OPTIONS, feeds it
 * INPUT as one chunk and closes its stdin, and checks stderr's lines
 * against the patterns.  At EOF the server logs CLOSED and keeps running;
 * once that line is in the file tern alone is sent SIGTERM.  (Not
 * timeout(1): it signals its whole process group as well, and under ASan
 * that group holds LeakSanitizer's exit-time tracer, which then never
 * finishes.)
 */
static void check_stderr_of_one_chunk(const char *input, const char *options,
                                      const char *const *patterns, size_t n)
{
    const char *root = getenv("TERN_BUILD_ROOT");
    char *line, *err_path, *err = NULL, **argv;
    int err_fd, in_fd, status;
    GPid pid;

    assert_non_null(root);
    line = g_strdup_printf("%s/tern -nouserconfig " MACHINE " %s -qtest stdio", root, options);
    assert_true(g_shell_parse_argv(line, NULL, &argv, NULL));
    err_path = g_build_filename(tmp_dir, "stderr.log", NULL);
    err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(err_fd >= 0);
    assert_true(g_spawn_async_with_pipes(
        NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, stderr_to_fd,
        GINT_TO_POINTER(err_fd), &pid, &in_fd, NULL, NULL, NULL));
    close(err_fd);
    assert_int_equal(write(in_fd, input, strlen(input)), (ssize_t)strlen(input));
    close(in_fd);
    /* Up to 60 s for a loaded machine; the CLOSED line normally comes within milliseconds. */
    for (int i = 0; i < 6000 && !(err && strstr(err, "CLOSED\n")); i++) {
        g_free(err);
        err = NULL;
        g_usleep(10 * 1000);
        g_file_get_contents(err_path, &err, NULL, NULL);
    }
    kill(pid, SIGTERM);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    g_spawn_close_pid(pid);
    g_free(err);
    assert_true(g_file_get_contents(err_path, &err, NULL, NULL));
    check_lines(err, patterns, n);
    g_free(err);
    g_free(err_path);
    g_strfreev(argv);
    g_free(line);
}

/*
 * The default log is stderr, where -d lines also go: a guest error logged
 * while a command runs comes between that command's request and reply
 * lines, as QEMU writes them, although the log lines are held per chunk.
 */
static void test_a_guest_error_line_lands_between_its_request_and_reply_lines(void **state)
{
    static const char *const patterns[] = {
        "^\\[I 0\\.000000\\] OPENED$",
        "^\\[R " T " endianness$",
        "^\\[S " T " OK little$",
        "^\\[R " T " readw 0x10100008$",
        "^fw_cfg: the selector register is write-only; read 0$",
        "^\\[S " T " OK 0x0000000000000000$",
        "^\\[R " T " endianness$",
        "^\\[S " T " OK little$",
        "^\\[I " T " CLOSED$",
    };

    check_stderr_of_one_chunk("endianness\nreadw 0x10100008\nendianness\n", "-d guest_errors",
                              patterns, G_N_ELEMENTS(patterns));
}

/* A trace line (-trace, docs/trace.md) written during a command keeps the same place. */
static void test_a_trace_line_lands_between_its_request_and_reply_lines(void **state)
{
    static const char *const patterns[] = {
        "^\\[I 0\\.000000\\] OPENED$", "^\\[R " T " endianness$",
        "^\\[S " T " OK little$",      "^\\[R " T " writeb 0x10000007 0x5a$",
        "^serial_write .*0x5a.*$",     "^\\[S " T " OK$",
        "^\\[I " T " CLOSED$",
    };

#ifdef TERN_TRACE_DISABLED
    fprintf(stderr, "SKIP: built with -Dtrace=false: no trace events to place\n");
    skip();
#endif
    check_stderr_of_one_chunk("endianness\nwriteb 0x10000007 0x5a\n", "-trace serial_write",
                              patterns, G_N_ELEMENTS(patterns));
}

/* ---- a process that dies in the middle of a chunk ------------------------------------------- */

/*
 * One chunk: a quick command, then 1000 memsets of 16 MiB of RAM (each
 * some ms, seconds in all), and a SIGKILL 0.3 s in.  The lines held before the
 * kill were written once they were 1 ms old: the first requests are in the
 * file although the chunk never ended.
 */
static void test_a_tern_killed_in_a_long_chunk_has_written_its_first_request_lines(void **state)
{
    const char *root = getenv("TERN_BUILD_ROOT");
    char *tern, *log, *text = NULL;
    const char *argv[] = {NULL,   "-nouserconfig", "-M",     "virt",  "-m",         "128M", "-bios",
                          "none", "-nodefaults",   "-qtest", "stdio", "-qtest-log", NULL,   NULL};
    GString *chunk = g_string_new("endianness\n");
    GPid pid;
    int in_fd, status;

    assert_non_null(root);
    tern = g_build_filename(root, "tern", NULL);
    log = g_build_filename(tmp_dir, "killed.log", NULL);
    argv[0] = tern;
    argv[12] = log;
    for (int i = 0; i < 1000; i++) {
        g_string_append_printf(chunk, "memset 0x%x 0x1000000 0x5a\n", 0x80000000 + (i % 8 << 24));
    }
    assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                         NULL, NULL, &pid, &in_fd, NULL, NULL, NULL));
    /* The 0.3 s count from when the server is up (OPENED), not from the spawn. */
    for (int i = 0; i < 1000 && !(text && strstr(text, "OPENED\n")); i++) {
        g_free(text);
        text = NULL;
        g_usleep(10 * 1000);
        g_file_get_contents(log, &text, NULL, NULL);
    }
    assert_non_null(text);
    assert_non_null(strstr(text, "OPENED\n"));
    g_free(text);
    assert_int_equal(write(in_fd, chunk->str, chunk->len), (ssize_t)chunk->len);
    g_usleep(300 * 1000);
    kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    g_spawn_close_pid(pid);
    close(in_fd);
    assert_true(g_file_get_contents(log, &text, NULL, NULL));
    if (!g_regex_match_simple("^\\[I 0\\.000000\\] OPENED\n\\[R " T " endianness\n\\[S " T
                              " OK little\n\\[R " T " memset 0x80000000 0x1000000 0x5a\n",
                              text, 0, 0) ||
        count_substr(text, "] memset ") == 1000) {
        print_error("expected the first requests of a chunk cut short, got:\n%s\n", text);
        fail();
    }
    g_free(text);
    g_string_free(chunk, TRUE);
    g_free(log);
    g_free(tern);
}

typedef enum { CRASH_ABORT, CRASH_FAULT, CRASH_BUG, CRASH_OVERFLOW } CrashKind;

static CrashKind crash_kind;
static int *volatile crash_pointer = (int *)16; /* unmapped, and not NULL for UBSan */

static uint64_t crash_read(void *opaque, hwaddr addr, unsigned size)
{
    switch (crash_kind) {
    case CRASH_ABORT:
        abort();
    case CRASH_FAULT:
        *crash_pointer = 1;
        break;
    case CRASH_BUG:
        tern_bug("test device", "read at 0x%" PRIx64, (uint64_t)addr);
    case CRASH_OVERFLOW: {
        char *volatile p = g_malloc(8);
        p[8] = 1; /* ASan reports it and dies, without a signal */
        g_free(p);
        break;
    }
    }
    return 0;
}

static const MemoryRegionOps crash_ops = {.read = crash_read, .endianness = DEVICE_LITTLE_ENDIAN};

typedef enum {
    CHILD_HOOKED,        /* the server's crash handlers in place */
    CHILD_ABRT_DEFAULT,  /* SIGABRT's handler taken away after the server set it */
    CHILD_REQUESTS_ONLY, /* the fuzzers' log: no handlers, each request written at once */
} ChildMode;

static void ignore_replies(void *opaque, const char *text, size_t len)
{
}

/* The SIGSEGV action before the server's (cmocka's or ASan's in a real run): 7 for our fault. */
static void previous_fault_handler(int sig, siginfo_t *info, void *context)
{
    _exit(info->si_addr == (void *)crash_pointer ? 7 : 8);
}

/*
 * In a forked child: a machine with a region at 0x80000000 whose reads
 * crash as kind says, a server logging to log, one chunk whose second
 * command reads the region.  Exits 3 if it could not get that far.  The
 * SIGSEGV action in place before the server's is previous_fault_handler();
 * exits 4 if a requests-only server replaced it.
 */
static void crash_child(const char *log, const char *err, CrashKind kind, ChildMode mode)
{
    static const char chunk[] = "endianness\nreadl 0x80000000\nendianness\n";
    static char *argv[] = {"tern", "-nouserconfig", "-M",     "virt",  "-bios",
                           "none", "-nodefaults",   "-accel", "qtest", NULL};
    static MemoryRegion region;
    int fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    QTestServer *s;
    struct sigaction sa = {.sa_sigaction = previous_fault_handler, .sa_flags = SA_SIGINFO};

    signal(SIGBUS, SIG_DFL); /* cmocka's handlers would turn a crash into a failed test */
    signal(SIGFPE, SIG_DFL);
    signal(SIGILL, SIG_DFL);
    sigaction(SIGSEGV, &sa, NULL);
    if (fd < 0 || dup2(fd, 2) < 0 || tern_init(9, argv, NULL) != TERN_INIT_RUN) {
        _exit(3);
    }
    crash_kind = kind;
    memory_region_init_io(&region, NULL, &crash_ops, NULL, "crash", 0x1000);
    memory_region_add_subregion_overlap(address_space_memory()->root, 0x80000000, &region, 100);
    s = qtest_server_new(ignore_replies, NULL);
    if (!qtest_server_set_log_path(s, log, NULL)) {
        _exit(3);
    }
    if (mode == CHILD_ABRT_DEFAULT) {
        signal(SIGABRT, SIG_DFL); /* only error.c's own flush is left */
    } else if (mode == CHILD_REQUESTS_ONLY) {
        qtest_server_set_log_requests_only(s, true);
        sigaction(SIGSEGV, NULL, &sa);
        if (sa.sa_sigaction != previous_fault_handler) {
            _exit(4);
        }
    }
    qtest_server_open(s);
    qtest_server_feed(s, chunk, strlen(chunk));
    _exit(0);
}

/* Forks crash_child(); returns its wait status and the log it wrote. */
static char *run_crash_child(CrashKind kind, ChildMode mode, int *status)
{
    char *log = g_build_filename(tmp_dir, "crash.log", NULL);
    char *err = g_build_filename(tmp_dir, "crash.err", NULL);
    char *text = NULL, *err_text = NULL;
    pid_t pid;

    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        crash_child(log, err, kind, mode);
    }
    assert_int_equal(waitpid(pid, status, 0), pid);
    assert_true(g_file_get_contents(log, &text, NULL, NULL));
    assert_true(g_file_get_contents(err, &err_text, NULL, NULL));
    if (WIFEXITED(*status) && WEXITSTATUS(*status) != 7 && WEXITSTATUS(*status) != 1) {
        print_error("the child did not crash (exit %d):\n%s\n", WEXITSTATUS(*status), err_text);
        fail();
    }
    g_free(err_text);
    g_free(log);
    g_free(err);
    return text;
}

static void expect_crash_log(const char *text)
{
    if (!g_regex_match_simple("^\\[I 0\\.000000\\] OPENED\n\\[R " T " endianness\n\\[S " T
                              " OK little\n\\[R " T " readl 0x80000000\n$",
                              text, 0, 0)) {
        print_error("expected the lines up to the request at fault, got:\n%s\n", text);
        fail();
    }
}

static void test_an_abort_in_a_command_writes_the_held_lines_up_to_its_request(void **state)
{
    int status;
    char *text = run_crash_child(CRASH_ABORT, CHILD_HOOKED, &status);

    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT); /* the default action, after the flush */
    expect_crash_log(text);
    g_free(text);
}

/*
 * A real fault: the handler writes the lines, puts the previous action
 * back and returns; the access traps again, now under that action (ASan's
 * report, a fuzzer's), with the fault's own address.
 */
static void
test_a_segfault_in_a_command_writes_the_held_lines_then_runs_the_previous_handler(void **state)
{
    int status;
    char *text = run_crash_child(CRASH_FAULT, CHILD_HOOKED, &status);

    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 7); /* previous_fault_handler(), for this fault */
    expect_crash_log(text);
    g_free(text);
}

/* tern_bug() writes them itself: here the SIGABRT handler is taken away first. */
static void test_a_tern_bug_in_a_command_writes_the_held_lines_without_the_signal_hook(void **state)
{
    int status;
    char *text = run_crash_child(CRASH_BUG, CHILD_ABRT_DEFAULT, &status);

    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
    expect_crash_log(text);
    g_free(text);
}

/*
 * The fuzzers' log leaves the crash signals to the fuzz engine (the child
 * exits 4 otherwise) and has each request in the file before it runs.
 */
static void test_a_requests_only_log_installs_no_handler_and_writes_each_request_first(void **state)
{
    int status;
    char *text = run_crash_child(CRASH_ABORT, CHILD_REQUESTS_ONLY, &status);

    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
    if (!g_regex_match_simple("^\\[I 0\\.000000\\] OPENED\n\\[R " T " endianness\n\\[R " T
                              " readl 0x80000000\n$",
                              text, 0, 0)) {
        print_error("expected the requests up to the one at fault, got:\n%s\n", text);
        fail();
    }
    g_free(text);
}

#ifdef TEST_ASAN
/* Built with ASan only (the overflow is not caught otherwise): its death callback writes them. */
static void test_an_asan_report_in_a_command_writes_the_held_lines_up_to_its_request(void **state)
{
    int status;
    char *text = run_crash_child(CRASH_OVERFLOW, CHILD_HOOKED, &status);

    /* ASan's exit code, or its abort with abort_on_error=1 (as meson's test setup runs it). */
    assert_true((WIFEXITED(status) && WEXITSTATUS(status) == 1) ||
                (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT));
    expect_crash_log(text);
    g_free(text);
}
#endif

static int setup(void **state)
{
    tmp_dir = tmpdir_new("tern-qtest-log-XXXXXX");
    return 0;
}

static int teardown(void **state)
{
    tmpdir_remove(tmp_dir);
    tmp_dir = NULL;
    return 0;
}

int main(void)
{
#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_prefix_of_zero_is_the_opened_and_first_request_stamp),
        TEST(test_prefix_of_ten_seconds_has_two_integer_digits),
        TEST(test_prefix_rounds_to_the_nearest_microsecond),
        TEST(test_prefix_keeps_leading_zeros_of_the_fraction),
        TEST(test_prefix_clamps_negative_and_holds_the_largest_time),
        TEST(test_every_line_of_a_many_command_chunk_is_logged_in_order_before_the_replies),
        TEST(test_a_request_split_across_chunks_is_logged_once_when_complete),
        TEST(test_the_first_request_of_a_chunk_has_a_stamp_of_its_own),
        TEST(test_a_request_after_deferred_work_has_a_stamp_of_its_own),
        TEST(test_a_request_after_a_blocked_send_has_a_stamp_of_its_own),
        TEST(test_a_spawned_tern_writes_the_log_before_the_replies_reach_the_pipe),
        TEST(test_a_guest_error_line_lands_between_its_request_and_reply_lines),
        TEST(test_a_trace_line_lands_between_its_request_and_reply_lines),
        TEST(test_a_tern_killed_in_a_long_chunk_has_written_its_first_request_lines),
        TEST(test_an_abort_in_a_command_writes_the_held_lines_up_to_its_request),
        TEST(test_a_segfault_in_a_command_writes_the_held_lines_then_runs_the_previous_handler),
        TEST(test_a_tern_bug_in_a_command_writes_the_held_lines_without_the_signal_hook),
        TEST(test_a_requests_only_log_installs_no_handler_and_writes_each_request_first),
#ifdef TEST_ASAN
        TEST(test_an_asan_report_in_a_command_writes_the_held_lines_up_to_its_request),
#endif
    };
#undef TEST
    return cmocka_run_group_tests(tests, NULL, NULL);
}
