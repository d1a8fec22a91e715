/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-trace.c - trace events (docs/trace.md): the registry in-process
 * (globs, events files, what a disabled event writes), then the tern
 * program through its command line: -trace enable=/events=/file=/help,
 * -d trace:, -msg timestamp=on, and the errors for bad input.  The QMP
 * commands are tested with the other QMP commands (tests/qmp/test-qmp.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <glib.h>

#include "tests/support/log-capture.h"
#include "tests/support/qtest-util.h"
#include "tests/support/tmpdir.h"

#include "core/error.h"
#include "core/trace.h"

/* An event of the test's own, so that the in-process tests can fire it at will. */
TRACE_EVENT(test_trace_probe, "value %d name %s", (int value, const char *name), (value, name))

#define UART     0x10000000
#define UART_THR (UART + 0)
#define UART_LCR (UART + 3)
#define UART_LSR (UART + 5)
#define MACHINE  "-M virt -bios none -nodefaults "

static char *dir;

static int setup(void **state)
{
    dir = tmpdir_new("tern-trace-XXXXXX");
    return 0;
}

static int teardown(void **state)
{
    trace_reset();
    tmpdir_remove(dir);
    dir = NULL;
    return 0;
}

static char *read_file(const char *path)
{
    char *text = NULL;

    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static TraceEvent *event(const char *name)
{
    TraceEvent *ev = trace_event_find(name);

    assert_non_null(ev);
    return ev;
}

/* ---- the registry, in-process ------------------------------------------------------ */

static void test_events_are_listed_sorted_by_name_with_every_device(void **state)
{
    size_t n = 0;
    TraceEvent *const *list = trace_event_list(&n);
    static const char *const expected[] = {
        "clint_mtimer_write",
        "dma_read",
        "fw_cfg_select",
        "goldfish_rtc_read",
        "irq_set",
        "plic_write",
        "serial_write",
        "sifive_test_write",
        "snapshot_restore",
        "timer_mod",
        "virtio_blk_handle_read",
        "virtio_mmio_write",
        "virtio_queue_notify",
        "virtio_rng_request",
        "virtqueue_pop",
        "virtqueue_push",
    };

    assert_true(n > 30);
    assert_null(list[n]);
    for (size_t i = 1; i < n; i++) {
        assert_true(strcmp(list[i - 1]->name, list[i]->name) < 0);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++) {
        assert_string_equal(event(expected[i])->name, expected[i]);
    }
}

static void test_a_glob_enables_exactly_the_events_it_matches(void **state)
{
    assert_int_equal(trace_enable_events("serial_*"), 3);
    assert_true(event("serial_read")->enabled);
    assert_true(event("serial_write")->enabled);
    assert_true(event("serial_update_parameters")->enabled);
    assert_false(event("plic_write")->enabled);
    assert_false(event("virtio_mmio_write")->enabled);
}

static void test_a_leading_minus_disables(void **state)
{
    trace_enable_events("serial_*");
    assert_int_equal(trace_enable_events("-serial_read"), 1);
    assert_false(event("serial_read")->enabled);
    assert_true(event("serial_write")->enabled);
}

static void test_an_unknown_name_warns_as_qemu_and_an_empty_glob_is_silent(void **state)
{
    StreamCapture cap;
    char *text;

    error_set_report_stream(stream_capture_begin(&cap));
    assert_int_equal(trace_enable_events("nosuch_event"), 0);
    assert_int_equal(trace_enable_events("nosuch_*"), 0);
    error_set_report_stream(NULL);
    text = stream_capture_end(&cap);
    assert_string_equal(text, "tern: warning: trace event 'nosuch_event' does not exist\n");
    free(text);
}

static void test_an_events_file_takes_patterns_comments_blank_lines_and_minus(void **state)
{
    static const char file[] = "# UART and PLIC, not the UART's reads\n"
                               "\n"
                               "serial_*\r\n"
                               "plic_w?ite\n"
                               "-serial_read\n";
    char *path = tmpdir_write(dir, "events", file, sizeof(file) - 1);

    assert_true(trace_read_events_file(path, &error_abort));
    assert_true(event("serial_write")->enabled);
    assert_true(event("serial_update_parameters")->enabled);
    assert_true(event("plic_write")->enabled);
    assert_false(event("serial_read")->enabled);
    assert_false(event("plic_read")->enabled);
    g_free(path);
}

static void test_an_unreadable_events_file_is_an_error(void **state)
{
    char *path = g_build_filename(dir, "missing", NULL);
    Error *err = NULL;
    char *expected = g_strdup_printf("%s: No such file or directory", path);

    assert_false(trace_read_events_file(path, &err));
    assert_string_equal(error_get_pretty(err), expected);
    error_free(err);
    g_free(expected);
    g_free(path);
}

static void test_a_disabled_event_writes_nothing_and_an_enabled_one_its_line(void **state)
{
    char *path = g_build_filename(dir, "out", NULL);
    char *text;

    assert_true(trace_set_file(path, &error_abort));
    trace_test_trace_probe(1, "off");
    trace_enable_events("test_trace_probe");
    trace_test_trace_probe(2, "on");
    trace_enable_events("-test_*");
    trace_test_trace_probe(3, "off again");
    trace_set_file(NULL, &error_abort);
    text = read_file(path);
    assert_string_equal(text, "test_trace_probe value 2 name on\n");
    g_free(text);
    g_free(path);
}

static void test_a_long_line_is_written_whole(void **state)
{
    char *path = g_build_filename(dir, "out", NULL);
    char *big = g_strnfill(3000, 'x');
    char *expected = g_strdup_printf("test_trace_probe value 7 name %s\n", big);
    char *text;

    assert_true(trace_set_file(path, &error_abort));
    trace_enable_events("test_trace_probe");
    trace_test_trace_probe(7, big);
    trace_set_file(NULL, &error_abort);
    text = read_file(path);
    assert_string_equal(text, expected);
    g_free(text);
    g_free(expected);
    g_free(big);
    g_free(path);
}

static int64_t fixed_clock_ns(void)
{
    return INT64_C(3000123999);
}

static void test_the_timestamp_is_pid_0_and_the_clock_it_is_given_in_us(void **state)
{
    char *path = g_build_filename(dir, "out", NULL);
    char *text;

    assert_true(trace_set_file(path, &error_abort));
    trace_set_timestamp(fixed_clock_ns);
    trace_enable_events("test_trace_probe");
    trace_test_trace_probe(1, "t");
    trace_set_file(NULL, &error_abort);
    text = read_file(path);
    /* QEMU's PID@SEC.USEC: with PID 0; the nanoseconds are cut, not rounded. */
    assert_string_equal(text, "0@3.000123:test_trace_probe value 1 name t\n");
    g_free(text);
    g_free(path);
}

static void test_trace_option_keys_and_help(void **state)
{
    Error *err = NULL;
    bool printed;
    char *out;

    capture_stdout_begin();
    assert_true(trace_opt_parse("enable=help", &printed, &error_abort));
    out = capture_stdout_end();
    assert_true(printed);
    assert_non_null(strstr(out, "\nserial_read\nserial_update_parameters\nserial_write\n"));
    g_free(out);

    assert_true(trace_opt_parse("plic_read", &printed, &error_abort));
    assert_false(printed);
    assert_true(event("plic_read")->enabled);

    assert_false(trace_opt_parse("enable=x,bogus=1", &printed, &err));
    assert_string_equal(error_get_pretty(err), "Invalid parameter 'bogus'");
    error_free(err);
}

/* ---- the tern program ---------------------------------------------------------------- */

static char *tern_binary(void)
{
    const char *root = g_getenv("TERN_BUILD_ROOT");

    return g_build_filename(root ? root : ".", "tern", NULL);
}

/* Runs tern with args (NULL-terminated), no stdin; returns its exit status. */
static int run_tern(const char *const *args, char **out, char **err)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    int status;

    g_ptr_array_add(argv, tern_binary());
    for (; *args; args++) {
        g_ptr_array_add(argv, g_strdup(*args));
    }
    g_ptr_array_add(argv, NULL);
    assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL,
                             NULL, out, err, &status, NULL));
    g_ptr_array_free(argv, TRUE);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The UART writes every process-level test makes: LCR, a wait, LCR, LSR, THR. */
static void uart_session(QTestState *s)
{
    qtest_writeb(s, UART_LCR, 0x03);
    qtest_clock_step(s, 12345);
    qtest_writeb(s, UART_LCR, 0x83);
    qtest_writeb(s, UART_LCR, 0x03);
    assert_int_equal(qtest_readb(s, UART_LSR), 0x60);
    qtest_writeb(s, UART_THR, 0x41);
}

/* A spawned tern (the trace options are the program's), whatever $TERN_QTEST_TRANSPORT says. */
static QTestState *G_GNUC_PRINTF(1, 2) start(const char *fmt, ...)
{
    va_list ap;
    char *args;
    QTestState *s;

    va_start(ap, fmt);
    args = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    s = qtest_init_transport(QTEST_TRANSPORT_UNIX, args);
    g_free(args);
    return s;
}

static char *traced_session(const char *trace_args)
{
    char *out = g_build_filename(dir, "trace.log", NULL);
    QTestState *s = start(MACHINE "%s -trace file=%s", trace_args, out);
    char *text;

    uart_session(s);
    qtest_quit(s);
    text = read_file(out);
    g_free(out);
    return text;
}

static void test_serial_writes_give_lines_with_decoded_register_names(void **state)
{
    char *text = traced_session("-trace enable=serial_read -trace enable=serial_w*");

    assert_string_equal(text, "serial_write addr 0x3 (LCR) value 0x03\n"
                              "serial_write addr 0x3 (LCR) value 0x83\n"
                              "serial_write addr 0x3 (LCR) value 0x03\n"
                              "serial_read addr 0x5 (LSR) value 0x60\n"
                              "serial_write addr 0x0 (THR) value 0x41\n");
    g_free(text);
}

static void test_the_divisor_latch_is_named_while_dlab_is_set(void **state)
{
    char *out = g_build_filename(dir, "trace.log", NULL);
    QTestState *s = start(MACHINE "-trace serial_write,file=%s", out);
    char *text;

    qtest_writeb(s, UART_LCR, 0x80);
    qtest_writeb(s, UART, 0x01);
    qtest_writeb(s, UART + 1, 0x00);
    qtest_quit(s);
    text = read_file(out);
    assert_string_equal(text, "serial_write addr 0x3 (LCR) value 0x80\n"
                              "serial_write addr 0x0 (DLL) value 0x01\n"
                              "serial_write addr 0x1 (DLM) value 0x00\n");
    g_free(text);
    g_free(out);
}

static void test_an_events_file_chooses_the_events(void **state)
{
    static const char file[] = "# reads only\nserial_*\n-serial_write\n-serial_update*\n";
    char *events = tmpdir_write(dir, "events", file, sizeof(file) - 1);
    char *args = g_strdup_printf("-trace events=%s", events);
    char *text = traced_session(args);

    assert_string_equal(text, "serial_read addr 0x5 (LSR) value 0x60\n");
    g_free(text);
    g_free(args);
    g_free(events);
}

static void test_d_trace_writes_to_the_D_log(void **state)
{
    char *log = g_build_filename(dir, "d.log", NULL);
    QTestState *s = start(MACHINE "-d trace:serial_w*,trace:plic_read -D %s", log);
    char *text;

    qtest_writeb(s, UART_LCR, 0x03);
    assert_int_equal(qtest_readl(s, 0xc000028), 0); /* PLIC priority[10] */
    qtest_quit(s);
    text = read_file(log);
    assert_string_equal(text, "serial_write addr 0x3 (LCR) value 0x03\n"
                              "plic_read addr 0x28 (priority[10]) size 4 value 0x0\n");
    g_free(text);
    g_free(log);
}

static void test_msg_timestamp_is_the_virtual_clock_and_repeats(void **state)
{
    char *first = traced_session("-msg timestamp=on -trace serial_write");
    char *second = traced_session("-msg timestamp=on -trace serial_write");

    /* A clock_step of 12345 ns between the first and the second write: 12 us. */
    assert_string_equal(first, "0@0.000000:serial_write addr 0x3 (LCR) value 0x03\n"
                               "0@0.000012:serial_write addr 0x3 (LCR) value 0x83\n"
                               "0@0.000012:serial_write addr 0x3 (LCR) value 0x03\n"
                               "0@0.000012:serial_write addr 0x0 (THR) value 0x41\n");
    assert_string_equal(first, second);
    g_free(first);
    g_free(second);
}

static void test_trace_lines_go_to_stderr_by_default(void **state)
{
    char *dtb = g_build_filename(dir, "virt.dtb", NULL);
    char *machine = g_strdup_printf("virt,dumpdtb=%s", dtb);
    const char *args[] = {"-M", machine, "-trace", "serial_update_parameters", NULL};
    char *out = NULL, *err = NULL;

    assert_int_equal(run_tern(args, &out, &err), 0);
    assert_string_equal(err, "serial_update_parameters divider 12 lcr 0x00 char time 210424 ns\n");
    g_free(out);
    g_free(err);
    g_free(machine);
    g_free(dtb);
}

static void test_trace_help_lists_the_events_and_exits_0(void **state)
{
    const char *args[] = {"-trace", "help", NULL};
    char *out = NULL, *err = NULL;

    assert_int_equal(run_tern(args, &out, &err), 0);
    assert_non_null(strstr(out, "\nserial_read\nserial_update_parameters\nserial_write\n"));
    assert_non_null(strstr(out, "\nvirtqueue_pop\nvirtqueue_push\n"));
    assert_string_equal(err, "");
    g_free(out);
    g_free(err);
}

static void test_an_unreadable_events_file_is_one_line_and_exit_1(void **state)
{
    const char *args[] = {"-M", "virt", "-trace", "events=/nonexistent/tern-events", NULL};
    char *out = NULL, *err = NULL;

    assert_int_equal(run_tern(args, &out, &err), 1);
    /* QEMU 7.2: "qemu-system-riscv64:/nonexistent/tern-events: No such file or directory". */
    assert_string_equal(err, "tern: /nonexistent/tern-events: No such file or directory\n");
    g_free(out);
    g_free(err);
}

static void test_an_unknown_trace_key_is_refused(void **state)
{
    const char *args[] = {"-M", "virt", "-trace", "bogus=1", NULL};
    char *out = NULL, *err = NULL;

    assert_int_equal(run_tern(args, &out, &err), 1);
    assert_string_equal(err, "tern: -trace bogus=1: Invalid parameter 'bogus'\n");
    g_free(out);
    g_free(err);
}

static void test_an_unwritable_trace_file_is_refused(void **state)
{
    const char *args[] = {"-M", "virt", "-trace", "file=/nonexistent/tern.log", NULL};
    char *out = NULL, *err = NULL;

    assert_int_equal(run_tern(args, &out, &err), 1);
    /* QEMU 7.2's words, without the option as location, as QEMU. */
    assert_string_equal(err, "tern: Error opening logfile /nonexistent/tern.log: No such file or "
                             "directory\n");
    g_free(out);
    g_free(err);
}

static void test_an_unknown_event_name_is_a_warning_not_an_error(void **state)
{
    char *dtb = g_build_filename(dir, "virt.dtb", NULL);
    char *machine = g_strdup_printf("virt,dumpdtb=%s", dtb);
    const char *args[] = {"-M", machine, "-trace", "nosuch", "-trace", "nosuch*", NULL};
    char *out = NULL, *err = NULL;

    assert_int_equal(run_tern(args, &out, &err), 0);
    assert_string_equal(err, "tern: warning: -trace nosuch: trace event 'nosuch' does not exist\n");
    g_free(out);
    g_free(err);
    g_free(machine);
    g_free(dtb);
}

int main(void)
{
#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_events_are_listed_sorted_by_name_with_every_device),
        TEST(test_a_glob_enables_exactly_the_events_it_matches),
        TEST(test_a_leading_minus_disables),
        TEST(test_an_unknown_name_warns_as_qemu_and_an_empty_glob_is_silent),
        TEST(test_an_events_file_takes_patterns_comments_blank_lines_and_minus),
        TEST(test_an_unreadable_events_file_is_an_error),
        TEST(test_a_disabled_event_writes_nothing_and_an_enabled_one_its_line),
        TEST(test_a_long_line_is_written_whole),
        TEST(test_the_timestamp_is_pid_0_and_the_clock_it_is_given_in_us),
        TEST(test_trace_option_keys_and_help),
        TEST(test_serial_writes_give_lines_with_decoded_register_names),
        TEST(test_the_divisor_latch_is_named_while_dlab_is_set),
        TEST(test_an_events_file_chooses_the_events),
        TEST(test_d_trace_writes_to_the_D_log),
        TEST(test_msg_timestamp_is_the_virtual_clock_and_repeats),
        TEST(test_trace_lines_go_to_stderr_by_default),
        TEST(test_trace_help_lists_the_events_and_exits_0),
        TEST(test_an_unreadable_events_file_is_one_line_and_exit_1),
        TEST(test_an_unknown_trace_key_is_refused),
        TEST(test_an_unwritable_trace_file_is_refused),
        TEST(test_an_unknown_event_name_is_a_warning_not_an_error),
    };

    qtest_util_install_fail_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
