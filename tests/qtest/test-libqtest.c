/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-libqtest.c - the qtest client (qtest/libqtest.h) against what its
 * header promises when things go wrong: bad arguments, a server that cannot
 * start, that answers oddly, stops reading, closes its end, dies or exits
 * with a status; the transport and binary chosen from the environment; the
 * in-process session checks.  Every failure must reach the failure handler
 * as one line naming what failed, a spawned server must be gone after it,
 * and a broken state must stay quiet.
 *
 * The odd servers are tests/qtest/fake-qtest-server.sh on the stdio
 * transport (QTEST_QEMU_BINARY), driven by a script of actions written by
 * each test.  The well-behaved paths are test-qtest-protocol.c's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>

#include "qtest/libqtest.h"
#include "qtest/qtest.h"
#include "tests/support/qtest-util.h"
#include "tests/support/tmpdir.h"

#define MACHINE "-M virt -bios none -nodefaults"
#define HART0   "/machine/soc0/harts[0]"

static QTestState *qts;   /* the current client; teardown quits it */
static char *script;      /* the fake server's actions */
static char *failure;     /* the last failure reported */
static unsigned failures; /* how many were reported */

static void record_failure(const char *message)
{
    g_free(failure);
    failure = g_strdup(message);
    failures++;
}

static int setup(void **state)
{
    qtest_set_fail_handler(record_failure);
    return 0;
}

static int teardown(void **state)
{
    qtest_set_fail_handler(record_failure);
    qtest_quit(qts);
    qts = NULL;
    tmpfile_remove(script);
    script = NULL;
    g_clear_pointer(&failure, g_free);
    failures = 0;
    unsetenv("QTEST_QEMU_BINARY");
    unsetenv("TERN_QTEST_TRANSPORT");
    return 0;
}

/* The one failure reported since the last call contains text. */
static void assert_failure(const char *text)
{
    if (!failure || !strstr(failure, text)) {
        fail_msg("expected a failure with '%s', got '%s'", text, failure ? failure : "(none)");
    }
    assert_int_equal(failures, 1);
    assert_true(g_str_has_prefix(failure, "qtest: "));
    assert_null(strchr(failure, '\n'));
    g_clear_pointer(&failure, g_free);
    failures = 0;
}

static void assert_no_failure(void)
{
    if (failure) {
        fail_msg("unexpected failure: %s", failure);
    }
}

/* True when no process pid exists any more (it was killed and reaped). */
static bool process_gone(int pid)
{
    return pid > 0 && kill(pid, 0) < 0 && errno == ESRCH;
}

/* A fake server on stdio running actions (see fake-qtest-server.sh). */
static QTestState *fake_start(const char *actions)
{
    char *fake = g_build_filename(getenv("TERN_SOURCE_ROOT"), "tests", "qtest",
                                  "fake-qtest-server.sh", NULL);
    char *args;
    QTestState *s;

    tmpfile_remove(script); /* the previous fake's, when a test starts several */
    script = tmpfile_new("tern-fake-qtest-XXXXXX", actions, -1);
    args = g_strdup_printf("-fake-script %s", script);
    setenv("QTEST_QEMU_BINARY", fake, 1);
    s = qtest_init_transport(QTEST_TRANSPORT_STDIO, args);
    unsetenv("QTEST_QEMU_BINARY");
    g_free(args);
    g_free(fake);
    assert_true(qtest_pid(s) > 0);
    return s;
}

/* ---- arguments and start-up ----------------------------------------------------------------- */

static void test_unparsable_arguments_are_a_failure_naming_them(void **state)
{
    const QTestTransport transports[] = {QTEST_TRANSPORT_INPROC, QTEST_TRANSPORT_UNIX};

    for (size_t i = 0; i < G_N_ELEMENTS(transports); i++) {
        assert_null(qtest_init_transport(transports[i], "-M 'virt"));
        assert_failure("cannot parse arguments '-M 'virt': ");
        assert_null(qtest_init_without_handshake(transports[i], "-M \"virt"));
        assert_failure("cannot parse arguments '-M \"virt': ");
    }
}

static void test_a_second_in_process_state_is_refused(void **state)
{
    qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, MACHINE);
    assert_no_failure();
    assert_null(qtest_init_transport(QTEST_TRANSPORT_INPROC, MACHINE));
    assert_failure("only one in-process qtest state at a time");
    /* The first one is untouched. */
    qtest_writel(qts, 0x80000000, 0x12345678);
    assert_int_equal(qtest_readl(qts, 0x80000000), 0x12345678);
    qtest_quit(qts);
    qts = NULL;
    /* And once it is gone, another may start. */
    qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, MACHINE);
    assert_no_failure();
    assert_false(qtest_broken(qts));
}

static void test_an_in_process_start_failure_names_arguments_and_reason(void **state)
{
    qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, "-M nosuchmachine");
    assert_failure("tern_init with '-M nosuchmachine' failed: ");
    assert_true(qtest_broken(qts));
    /* Broken: quitting checks no status, and the slot is free again. */
    qtest_quit(qts);
    assert_no_failure();
    qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, MACHINE);
    assert_no_failure();
}

static void test_a_missing_binary_fails_on_either_transport(void **state)
{
    setenv("QTEST_QEMU_BINARY", "/nonexistent/tern", 1);
    qts = qtest_init_transport(QTEST_TRANSPORT_UNIX, MACHINE);
    assert_failure("tern ended with status 127 before connecting");
    assert_true(qtest_broken(qts));
    qtest_quit(qts);
    /*
     * On stdio the first request meets the closed pipe: in write() when the
     * child is gone already, else while waiting for the reply.
     */
    qts = qtest_init_transport(QTEST_TRANSPORT_STDIO, MACHINE);
    assert_non_null(failure);
    if (strstr(failure, "cannot send")) {
        assert_failure("cannot send 'endianness' to tern: Broken pipe");
    } else {
        assert_failure(
            "tern closed the connection while 'endianness' waited for its reply (exited)");
    }
    qtest_quit(qts);
    qts = NULL;
    assert_no_failure();
}

static void test_the_binary_is_found_as_the_header_says(void **state)
{
    char *root = g_strdup(getenv("TERN_BUILD_ROOT"));
    char *real = g_build_filename(root, "tern", NULL);
    char *dir = tmpdir_new("tern-libqtest-XXXXXX");
    char *link = g_build_filename(dir, "tern", NULL);
    char *cwd = g_get_current_dir();

    /* $TERN_BUILD_ROOT/tern when QTEST_QEMU_BINARY is unset or empty: here one without tern. */
    setenv("QTEST_QEMU_BINARY", "", 1);
    setenv("TERN_BUILD_ROOT", dir, 1);
    qts = qtest_init_transport(QTEST_TRANSPORT_UNIX, MACHINE);
    assert_failure("tern ended with status 127 before connecting");
    qtest_quit(qts);
    qts = NULL;
    /* Neither set: "tern", as execv takes it (relative to the working directory). */
    assert_int_equal(symlink(real, link), 0);
    unsetenv("TERN_BUILD_ROOT");
    assert_int_equal(chdir(dir), 0);
    qts = qtest_init_transport(QTEST_TRANSPORT_UNIX, MACHINE);
    assert_int_equal(chdir(cwd), 0);
    setenv("TERN_BUILD_ROOT", root, 1);
    assert_no_failure();
    assert_true(qtest_pid(qts) > 0);
    qtest_writeb(qts, 0x80000000, 0xa5);
    assert_int_equal(qtest_readb(qts, 0x80000000), 0xa5);
    qtest_quit(qts);
    qts = NULL;
    assert_no_failure();
    unlink(link);
    tmpdir_remove(dir);
    g_free(link);
    g_free(cwd);
    g_free(real);
    g_free(root);
}

static void test_the_default_transport_comes_from_the_environment(void **state)
{
    static const struct {
        const char *env; /* NULL: unset */
        QTestTransport transport;
    } cases[] = {
        {"inproc", QTEST_TRANSPORT_INPROC},       {"stdio", QTEST_TRANSPORT_STDIO},
        {"unix", QTEST_TRANSPORT_UNIX},           {NULL, QTEST_TRANSPORT_UNIX},
        {"carrier-pigeon", QTEST_TRANSPORT_UNIX}, /* unknown: the default */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        if (cases[i].env) {
            setenv("TERN_QTEST_TRANSPORT", cases[i].env, 1);
        } else {
            unsetenv("TERN_QTEST_TRANSPORT");
        }
        /* qtest_initf formats its arguments first. */
        qts = qtest_initf("-M %s -bios %s -nodefaults -m %dM", "virt", "none", 64);
        assert_no_failure();
        assert_int_equal(qtest_transport(qts), cases[i].transport);
        assert_int_equal(qtest_pid(qts) == 0, cases[i].transport == QTEST_TRANSPORT_INPROC);
        assert_false(qtest_big_endian(qts));
        /* -m 64M reached the machine: the last byte of RAM is there, the next is not. */
        qtest_writeb(qts, 0x80000000 + (64 << 20) - 1, 0x5a);
        assert_int_equal(qtest_readb(qts, 0x80000000 + (64 << 20) - 1), 0x5a);
        qtest_quit(qts);
        qts = NULL;
        assert_no_failure();
    }
    /* The explicit transport wins over the environment. */
    setenv("TERN_QTEST_TRANSPORT", "stdio", 1);
    qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, MACHINE);
    assert_int_equal(qtest_transport(qts), QTEST_TRANSPORT_INPROC);
    qtest_quit(qts);
    qts = qtest_init_without_handshake(QTEST_TRANSPORT_DEFAULT, MACHINE);
    assert_int_equal(qtest_transport(qts), QTEST_TRANSPORT_STDIO);
    expect_line(qts, "endianness\n", "OK little");
}

/* Without a handler, a failure is printed and the process aborts (the header's default). */
static void test_the_default_failure_handler_prints_and_aborts(void **state)
{
    int err[2], wstatus;
    char buf[512] = "";
    ssize_t n;
    pid_t pid;

    assert_int_equal(pipe(err), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(err[1], STDERR_FILENO);
        qtest_set_fail_handler(NULL);
        qtest_init_transport(QTEST_TRANSPORT_INPROC, "-M 'virt");
        _exit(0); /* not reached when the default aborts */
    }
    close(err[1]);
    n = read(err[0], buf, sizeof(buf) - 1);
    close(err[0]);
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFSIGNALED(wstatus));
    assert_int_equal(WTERMSIG(wstatus), SIGABRT);
    assert_true(n > 0);
    assert_true(g_str_has_prefix(buf, "qtest: cannot parse arguments '-M 'virt': "));
}

/* ---- odd replies ---------------------------------------------------------------------------- */

static void test_an_endianness_reply_must_name_big_or_little(void **state)
{
    qts = fake_start("reply OK middle\n");
    assert_failure("endianness reply names 'middle'");
    assert_true(qtest_broken(qts));
    assert_true(process_gone(qtest_pid(qts)));
    qtest_quit(qts);
    qts = fake_start("reply OK big\n");
    assert_no_failure();
    assert_true(qtest_big_endian(qts));
}

static void test_a_reply_that_is_not_ok_or_too_short_is_a_failure(void **state)
{
    qts = fake_start("reply OK little\nreply ERR nope\nreply OK\n");
    qtest_writel(qts, 0x1000, 1);
    assert_failure("unexpected reply 'ERR nope' to 'writel 0x1000 0x1'");
    qtest_quit(qts);
    qts = fake_start("reply OK little\nreply OK\n");
    assert_int_equal(qtest_readl(qts, 0x1000), 0);
    assert_failure("unexpected reply 'OK' to 'readl 0x1000'");
}

static void test_a_reply_without_a_number_is_a_failure(void **state)
{
    qts = fake_start("reply OK little\nreply OK banana\n");
    assert_int_equal(qtest_readq(qts, 0x2000), 0);
    assert_failure("reply to 'readq 0x2000' has no number: 'banana'");
    qtest_quit(qts);
    qts = fake_start("reply OK little\nreply OK 12x\n");
    assert_int_equal(qtest_clock_step(qts, 5), 0);
    assert_failure("reply to 'clock_step 5' has no number: '12x'");
    qtest_quit(qts);
    /* Out of range is no number either. */
    qts = fake_start("reply OK little\nreply OK 0x10000000000000000\n");
    assert_int_equal(qtest_readq(qts, 0), 0);
    assert_failure("has no number: '0x10000000000000000'");
    qtest_quit(qts);
    qts = fake_start("reply OK little\nreply OK 99999999999999999999\n");
    assert_int_equal(qtest_clock_set(qts, 1), 0);
    assert_failure("reply to 'clock_set 1' has no number: '99999999999999999999'");
}

static void test_bulk_replies_of_the_wrong_size_are_failures(void **state)
{
    uint8_t buf[4] = {1, 2, 3, 4};

    qts = fake_start("reply OK little\nreply OK 0x1234\n");
    qtest_memread(qts, 0x80000000, buf, 4);
    assert_failure("reply to 'read 0x80000000 0x4' does not hold 4 bytes");
    assert_memory_equal(buf, "\0\0\0\0", 4); /* cleared, not left as it was */
    qtest_quit(qts);
    qts = fake_start("reply OK little\nreply OK 1234abcd\n");
    qtest_memread(qts, 0x80000000, buf, 3);
    assert_failure("does not hold 3 bytes");
    qtest_quit(qts);
    memset(buf, 0xff, sizeof(buf));
    qts = fake_start("reply OK little\nreply OK AAAA\n"); /* three bytes */
    qtest_bufread(qts, 0x80000000, buf, 4);
    assert_failure("reply to 'b64read 0x80000000 0x4' decodes to 3 bytes");
    assert_memory_equal(buf, "\0\0\0\0", 4);
}

static void test_irq_lines_are_recorded_and_skipped_by_receive(void **state)
{
    char *line;

    qts = fake_start("reply OK little\n"
                     "reply IRQ raise 5\\nIRQ raise 256\\nIRQ raise -1\\nIRQ lower\\nOK 0xff\n"
                     "reply IRQ lower 5\\nIRQ raise 255\\nOK 0xff\n"
                     "reply OK 0xff\n"
                     "reply IRQ raise 7\\nOK\n");
    /* Lines outside the table and short lines are skipped, not recorded. */
    assert_true(qtest_get_irq(qts, 5));
    assert_true(qtest_get_irq(qts, 255));
    assert_false(qtest_get_irq(qts, 5));
    /* receive_line hands out IRQ lines too, and still records them. */
    qtest_sendf(qts, "anything\n");
    line = qtest_receive_line(qts);
    assert_string_equal(line, "IRQ raise 7");
    g_free(line);
    line = qtest_receive_line(qts);
    assert_string_equal(line, "OK");
    g_free(line);
    assert_no_failure();
}

static void test_irq_lines_beyond_the_table_are_a_failure_to_ask_for(void **state)
{
    qts = fake_start("reply OK little\n");
    assert_false(qtest_get_irq(qts, -1));
    assert_failure("IRQ line -1 is beyond the level table (256 lines)");
    qtest_quit(qts);
    qts = fake_start("reply OK little\n");
    assert_false(qtest_get_irq(qts, QTEST_IRQ_LEVELS));
    assert_failure("IRQ line 256 is beyond the level table (256 lines)");
}

static void test_try_receive_waits_without_failing(void **state)
{
    char *line;

    qts = fake_start("reply OK little\nreply IRQ raise 9\\nOK\n");
    assert_null(qtest_try_receive_line(qts, 50));
    assert_no_failure();
    assert_false(qtest_broken(qts));
    qtest_sendf(qts, "ping\n");
    line = qtest_try_receive_line(qts, 10000);
    assert_string_equal(line, "IRQ raise 9");
    g_free(line);
    line = qtest_try_receive_line(qts, 10000);
    assert_string_equal(line, "OK");
    g_free(line);
    assert_no_failure();
}

/* ---- a server that stops ------------------------------------------------------------------- */

static void test_a_server_gone_while_a_reply_waits_is_named(void **state)
{
    static const struct {
        const char *actions, *how;
    } cases[] = {
        {"reply OK little\neat\nexit 0\n", "(exited)"},
        {"reply OK little\neat\nkill\n", "(killed by a signal)"},
        {"reply OK little\nclose\n", "(still running)"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *expected = g_strdup_printf(
            "tern closed the connection while 'readb 0x10' waited for its reply %s", cases[i].how);
        int pid;

        qts = fake_start(cases[i].actions);
        pid = qtest_pid(qts);
        assert_int_equal(qtest_readb(qts, 0x10), 0);
        assert_failure(expected);
        assert_true(process_gone(pid));
        /* Broken: later calls send nothing, fail no more, and return 0. */
        assert_int_equal(qtest_readl(qts, 0x10), 0);
        qtest_writel(qts, 0x10, 1);
        assert_null(failure);
        qtest_quit(qts);
        qts = NULL;
        assert_no_failure();
        g_free(expected);
    }
}

static void test_exit_status_is_waited_for_and_checked_on_quit(void **state)
{
    qts = fake_start("reply OK little\nexit 3\n");
    assert_int_equal(qtest_wait_exit(qts, 10000), 3);
    qtest_quit(qts);
    assert_failure("tern exited with status 3, expected 0");
    qts = NULL;
    qts = fake_start("reply OK little\nexit 3\n");
    qtest_set_expected_status(qts, 3);
    assert_int_equal(qtest_wait_exit(qts, 10000), 3);
    qtest_quit(qts);
    assert_no_failure();
    qts = NULL;
    qts = fake_start("reply OK little\nkill\n");
    assert_int_equal(qtest_wait_exit(qts, 10000), 128 + SIGKILL);
    qtest_quit(qts);
    assert_failure("tern was killed by signal 9");
    qts = NULL;
}

static void test_a_server_still_running_after_the_wait_is_a_failure(void **state)
{
    int pid;

    qts = fake_start("reply OK little\n");
    pid = qtest_pid(qts);
    assert_int_equal(qtest_wait_exit(qts, 100), -1);
    assert_failure("tern did not exit within 100 ms");
    assert_true(process_gone(pid));
}

static void test_a_server_that_stops_reading_times_out_the_send(void **state)
{
    enum { BIG = 1 << 20 }; /* far more than a pipe holds */
    uint8_t *data = g_malloc0(BIG);
    const char *quote;
    int pid;

    qts = fake_start("reply OK little\ndeaf\n");
    pid = qtest_pid(qts);
    qtest_set_timeout(qts, 1);
    qtest_memwrite(qts, 0x80000000, data, BIG);
    assert_non_null(failure);
    /* The message quotes the request's first 200 bytes, not a megabyte of hex. */
    quote = strstr(failure, "'write 0x80000000 0x100000 0x000000");
    assert_non_null(quote);
    assert_non_null(strstr(failure, "' within 1 s"));
    assert_int_equal(strstr(failure, "' within") - (quote + 1), 200);
    assert_failure("tern did not take the request ");
    assert_true(process_gone(pid));
    g_free(data);
}

static void test_a_send_to_a_server_that_exited_is_a_failure(void **state)
{
    qts = fake_start("reply OK little\nexit 0\n");
    assert_int_equal(qtest_wait_exit(qts, 10000), 0);
    qtest_writeb(qts, 0x0, 1);
    assert_failure("cannot send 'writeb 0x0 0x1' to tern: Broken pipe");
}

/* ---- the API, where other tests do not reach ------------------------------------------------ */

/* Outputs of a device: the PLIC's unnamed ones, [n, 2n) being M-mode (one hart: line 1). */
static void test_irq_intercept_out_reports_the_plic_outputs(void **state)
{
    qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, MACHINE);
    qtest_irq_intercept_out(qts, "/machine/plic0");
    qtest_writel(qts, 0xc000028, 1);     /* source 10: priority 1 */
    qtest_writel(qts, 0xc002000, 0x400); /* enabled for hart 0's M context */
    assert_false(qtest_get_irq(qts, 1));
    qtest_set_irq_in(qts, "/machine/plic0", NULL, 10, 1);
    assert_true(qtest_get_irq(qts, 1));
    assert_int_equal(qtest_readl(qts, 0xc200004), 10); /* the claim lowers it */
    assert_false(qtest_get_irq(qts, 1));
    assert_no_failure();
}

/* Blank or absent arguments are no arguments: the default machine starts. */
static void test_blank_arguments_start_the_default_machine(void **state)
{
    static const char *const blanks[] = {"", "   ", NULL};

    for (size_t i = 0; i < G_N_ELEMENTS(blanks); i++) {
        qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, blanks[i]);
        assert_no_failure();
        assert_false(qtest_broken(qts));
        qtest_writel(qts, 0x80000000, 0xfeedface); /* the default machine is virt */
        assert_int_equal(qtest_readl(qts, 0x80000000), 0xfeedface);
        qtest_quit(qts);
        qts = NULL;
        assert_no_failure();
    }
}

/* ---- in-process specifics ------------------------------------------------------------------- */

static void test_in_process_a_missing_reply_fails_at_once(void **state)
{
    char *line;

    qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, MACHINE);
    line = qtest_receive(qts);
    assert_string_equal(line, "");
    g_free(line);
    assert_failure("no reply to 'endianness' (in-process replies are synchronous)");
    assert_true(qtest_broken(qts));
    /* try_receive is no failure, broken or not. */
    assert_null(qtest_try_receive_line(qts, 0));
    assert_null(failure);
}

static void test_in_process_wait_exit_without_an_exit_is_a_failure(void **state)
{
    qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, MACHINE);
    assert_int_equal(qtest_wait_exit(qts, 0), -1);
    assert_failure("tern did not exit within 0 ms");
}

/* An intercept made since the save is the server's to name, and the restore's to undo. */
static void test_in_process_restore_undoes_an_intercept_made_since_the_save(void **state)
{
    char *diff;

    qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, MACHINE);
    qtest_inproc_save(qts);
    qtest_irq_intercept_in(qts, HART0);
    diff = qtest_inproc_check(qts);
    assert_string_equal(diff, "qtest server: the IRQ intercept differs from the saved session");
    g_free(diff);
    qtest_inproc_restore(qts);
    assert_null(qtest_inproc_check(qts));
    /* Gone: a second intercept is allowed again (one per run, else "FAIL"). */
    qtest_irq_intercept_in(qts, HART0);
    qtest_set_irq_in(qts, HART0, NULL, 3, 1);
    assert_true(qtest_get_irq(qts, 3));
    assert_no_failure();
}

static void test_in_process_check_names_what_differs_from_the_save(void **state)
{
    char *diff;

    qts = qtest_init_transport(QTEST_TRANSPORT_INPROC, MACHINE);
    qtest_irq_intercept_in(qts, HART0);
    qtest_inproc_save(qts);
    assert_null(qtest_inproc_check(qts));
    /* A line raised since the save. */
    qtest_set_irq_in(qts, HART0, NULL, 3, 1);
    assert_true(qtest_get_irq(qts, 3));
    diff = qtest_inproc_check(qts);
    assert_string_equal(diff, "qtest client: the IRQ levels differ from the saved session");
    g_free(diff);
    qtest_inproc_restore(qts);
    assert_null(qtest_inproc_check(qts));
    /* A reply nobody read. */
    qtest_sendf(qts, "endianness\n");
    diff = qtest_inproc_check(qts);
    assert_string_equal(diff, "qtest client: unread replies are left");
    g_free(diff);
    qtest_inproc_restore(qts);
    assert_null(qtest_inproc_check(qts));
    /* The server's half: a request line not ended yet. */
    qtest_send_bytes(qts, "readb 0x80000000", 16);
    diff = qtest_inproc_check(qts);
    assert_string_equal(diff, "qtest server: a partial request line is still buffered");
    g_free(diff);
    qtest_inproc_restore(qts);
    assert_null(qtest_inproc_check(qts));
    expect_line(qts, "readb 0x80000000\n", "OK 0x0000000000000000"); /* the piece is gone */
    /* A failure is forgotten by the restore too. */
    qtest_get_irq(qts, -1);
    assert_failure("IRQ line -1");
    assert_true(qtest_broken(qts));
    qtest_inproc_restore(qts);
    assert_false(qtest_broken(qts));
    assert_int_equal(qtest_readb(qts, 0x80000000), 0);
    assert_no_failure();
}

int main(void)
{
#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_unparsable_arguments_are_a_failure_naming_them),
        TEST(test_a_second_in_process_state_is_refused),
        TEST(test_an_in_process_start_failure_names_arguments_and_reason),
        TEST(test_a_missing_binary_fails_on_either_transport),
        TEST(test_the_binary_is_found_as_the_header_says),
        TEST(test_the_default_transport_comes_from_the_environment),
        TEST(test_the_default_failure_handler_prints_and_aborts),
        TEST(test_an_endianness_reply_must_name_big_or_little),
        TEST(test_a_reply_that_is_not_ok_or_too_short_is_a_failure),
        TEST(test_a_reply_without_a_number_is_a_failure),
        TEST(test_bulk_replies_of_the_wrong_size_are_failures),
        TEST(test_irq_lines_are_recorded_and_skipped_by_receive),
        TEST(test_irq_lines_beyond_the_table_are_a_failure_to_ask_for),
        TEST(test_try_receive_waits_without_failing),
        TEST(test_a_server_gone_while_a_reply_waits_is_named),
        TEST(test_exit_status_is_waited_for_and_checked_on_quit),
        TEST(test_a_server_still_running_after_the_wait_is_a_failure),
        TEST(test_a_server_that_stops_reading_times_out_the_send),
        TEST(test_a_send_to_a_server_that_exited_is_a_failure),
        TEST(test_irq_intercept_out_reports_the_plic_outputs),
        TEST(test_blank_arguments_start_the_default_machine),
        TEST(test_in_process_a_missing_reply_fails_at_once),
        TEST(test_in_process_wait_exit_without_an_exit_is_a_failure),
        TEST(test_in_process_check_names_what_differs_from_the_save),
        TEST(test_in_process_restore_undoes_an_intercept_made_since_the_save),
    };
#undef TEST
    return cmocka_run_group_tests(tests, NULL, NULL);
}
