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
#include "tests/support/virtio-driver.h"

#include "core/error.h"
#include "core/memory.h"
#include "core/snapshot.h"
#include "core/tern.h"
#include "core/timer.h"
#include "core/trace.h"
#include "tests/support/hwtest.h"

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

/* ---- every device's and the core's events, through the program ---------------------- */

#define CLINT        0x2000000
#define CLINT_MTIME  (CLINT + 0xbff8)
#define CLINT_MTCMP  (CLINT + 0x4000)
#define RTC          0x101000
#define SIFIVE_TEST  0x100000
#define FW_CFG_DATA  0x10100000
#define FW_CFG_CTL   0x10100008
#define FW_CFG_DMA   0x10100010
#define VIRTIO_SLOT7 VD_SLOT(7) /* the first -device lands on the highest slot */
#define RING         0x80100000u
#define BUF          0x80200000u

/* The trace lines of a session: tern with MACHINE, extra and trace_args, driven by drive. */
static char *traced_run(const char *extra, const char *trace_args, void (*drive)(QTestState *))
{
    char *out = g_build_filename(dir, "trace.log", NULL);
    QTestState *s = start(MACHINE "%s %s -trace file=%s", extra, trace_args, out);
    char *text;

    drive(s);
    qtest_quit(s);
    text = read_file(out);
    g_free(out);
    return text;
}

static void drive_clint(QTestState *s)
{
    qtest_writel(s, CLINT, 1);          /* msip[0] */
    qtest_writel(s, CLINT_MTCMP, 1000); /* mtimecmp[0] */
    qtest_writel(s, CLINT_MTCMP + 4, 0);
    qtest_clock_step(s, 100000); /* 10 MHz timer: 1000 ticks */
    assert_int_equal(qtest_readl(s, CLINT_MTIME), 1000);
}

static void test_clint_accesses_give_lines_with_register_names(void **state)
{
    char *text = traced_run("", "-trace clint_*", drive_clint);

    assert_string_equal(text, "clint_swi_write addr 0x0 (msip[0]) size 4 value 0x1\n"
                              "clint_mtimer_write addr 0x0 (mtimecmp[0]) size 4 value 0x3e8\n"
                              "clint_mtimer_write addr 0x4 (mtimecmp[0].hi) size 4 value 0x0\n"
                              "clint_mtimer_read addr 0x7ff8 (mtime) size 4 value 0x3e8\n");
    g_free(text);
}

/* A UART write first, to mark where start-up (its resets drive every line low) ends. */
#define MARK "serial_write addr 0x7 (SCR) value 0x5a\n"

static void drive_clint_after_a_mark(QTestState *s)
{
    qtest_writeb(s, UART + 7, 0x5a);
    qtest_writel(s, CLINT, 1);          /* MSIP up */
    qtest_writel(s, CLINT_MTCMP, 1000); /* 1000 ticks of 10 MHz away: armed */
    qtest_writel(s, CLINT_MTCMP + 4, 0);
    qtest_clock_step(s, 50000);
    qtest_writel(s, CLINT_MTCMP, 0); /* passed: MTIP up, the pending timer deleted */
    qtest_writel(s, CLINT, 0);       /* MSIP down */
}

/* What text has after MARK, which it must have (the caller frees it). */
static char *after_mark(const char *text)
{
    gchar **parts = g_strsplit(text, MARK, 2);
    char *tail;

    assert_int_equal(g_strv_length(parts), 2);
    tail = g_strdup(parts[1]);
    g_strfreev(parts);
    return tail;
}

static void test_arming_mtimecmp_gives_timer_mod_and_the_interrupt_irq_set(void **state)
{
    char *text = traced_run("", "-trace serial_write -trace timer_* -trace irq_set",
                            drive_clint_after_a_mark);

    char *tail = after_mark(text);

    /* MSIP is the hart's line 3, MTIP 7; each mtimecmp write re-arms (and re-drives MTIP). */
    assert_string_equal(tail, "irq_set line rv64-riscv-cpu[3] level 1\n"
                              "irq_set line rv64-riscv-cpu[7] level 0\n"
                              "timer_mod clock virtual expire 100000 ns\n"
                              "irq_set line rv64-riscv-cpu[7] level 0\n"
                              "timer_mod clock virtual expire 100000 ns\n"
                              "timer_del clock virtual was due 100000 ns\n"
                              "irq_set line rv64-riscv-cpu[7] level 1\n"
                              "irq_set line rv64-riscv-cpu[3] level 0\n");
    g_free(tail);
    g_free(text);
}

static void drive_rtc(QTestState *s)
{
    qtest_readl(s, RTC + 0x00);       /* TIME_LOW */
    qtest_readl(s, RTC + 0x04);       /* TIME_HIGH */
    qtest_writel(s, RTC + 0x10, 0x1); /* IRQ_ENABLED */
}

static void test_goldfish_rtc_accesses_give_lines_with_register_names(void **state)
{
    char *text =
        traced_run("-rtc base=2020-01-01T00:00:00,clock=vm", "-trace goldfish_rtc_*", drive_rtc);

    /* 2020-01-01T00:00:00Z is 1577836800 s: 0x15e59a35b98a0000 ns. */
    assert_string_equal(text, "goldfish_rtc_read addr 0x0 (TIME_LOW) size 4 value 0xb98a0000\n"
                              "goldfish_rtc_read addr 0x4 (TIME_HIGH) size 4 value 0x15e59a35\n"
                              "goldfish_rtc_write addr 0x10 (IRQ_ENABLED) size 4 value 0x1\n");
    g_free(text);
}

static void drive_sifive_test(QTestState *s)
{
    qtest_writel(s, SIFIVE_TEST, 0x1234); /* no finisher code: the machine goes on */
}

static void test_sifive_test_writes_give_a_line(void **state)
{
    char *text = traced_run("", "-trace sifive_test_write", drive_sifive_test);

    assert_string_equal(text, "sifive_test_write addr 0x0 (FINISHER) size 4 value 0x1234\n");
    g_free(text);
}

static void drive_fw_cfg(QTestState *s)
{
    uint8_t d[16] = {0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x04,  /* select 0, read, 4 */
                     0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x20, 0x00}; /* to 0x80002000 */

    qtest_writew(s, FW_CFG_CTL, GUINT16_SWAP_LE_BE(0x0001)); /* FW_CFG_ID */
    assert_int_equal(qtest_readb(s, FW_CFG_DATA), 3);
    qtest_memwrite(s, 0x80001000, d, sizeof(d));
    qtest_writel(s, FW_CFG_DMA, 0);
    qtest_writel(s, FW_CFG_DMA + 4, GUINT32_SWAP_LE_BE(0x80001000u)); /* starts it */
}

static void test_fw_cfg_select_read_and_dma_give_lines(void **state)
{
    char *text = traced_run("", "-trace fw_cfg_* -trace dma_*", drive_fw_cfg);

    /*
     * The reset's select of key 0, the guest's; the descriptor read, the transfer (its own
     * select of key 0, the 4 bytes out, the control word written back as 0).
     */
    assert_string_equal(text, "fw_cfg_select key 0x0000 selected\n"
                              "fw_cfg_select key 0x0001 selected\n"
                              "fw_cfg_read key 0x0001 offset 0 size 1 value 0x3\n"
                              "dma_read addr 0x80001000 len 16\n"
                              "fw_cfg_dma_transfer descriptor 0x80001000 control 0xa length 4 "
                              "addr 0x80002000\n"
                              "fw_cfg_select key 0x0000 selected\n"
                              "dma_write addr 0x80002000 len 4\n"
                              "dma_write addr 0x80001000 len 4\n");
    g_free(text);
}

/* virtio-rng on slot 7: legacy set-up, one queue of 8, one 16-byte buffer, notify. */
static void drive_virtio_rng(QTestState *s)
{
    VdBuf buf = {BUF, 16, true};
    VirtioDriver d;

    qtest_writeb(s, UART + 7, 0x5a); /* MARK */
    vd_attach(&d, &vd_qtest_ops, s, VIRTIO_SLOT7, 8);
    assert_int_equal(vd_readl(&d, VD_DEVICE_ID), 4);
    vd_memset(&d, RING, 0, 0x2000);
    vd_setup(&d, VIRTIO_SLOT7, 0, 8, RING, 0);
    vd_chain(&d, &buf, 1);
    vd_submit(&d, 0);
    assert_int_equal(vd_used_idx(&d), 1);
}

static void test_virtio_mmio_registers_are_named(void **state)
{
    char *text = traced_run("-device virtio-rng-device", "-trace virtio_mmio_*", drive_virtio_rng);

    assert_string_equal(text,
                        "virtio_mmio_read offset 0x8 (DeviceID) size 4 value 0x4\n"
                        "virtio_mmio_read offset 0x4 (Version) size 4 value 0x1\n"
                        "virtio_mmio_write offset 0x70 (Status) size 4 value 0x0\n"
                        "virtio_mmio_write offset 0x70 (Status) size 4 value 0x1\n"
                        "virtio_mmio_write offset 0x70 (Status) size 4 value 0x3\n"
                        "virtio_mmio_write offset 0x14 (DeviceFeaturesSel) size 4 value 0x0\n"
                        "virtio_mmio_read offset 0x10 (DeviceFeatures) size 4 value 0x39000000\n"
                        "virtio_mmio_write offset 0x24 (DriverFeaturesSel) size 4 value 0x0\n"
                        "virtio_mmio_write offset 0x20 (DriverFeatures) size 4 value 0x0\n"
                        "virtio_mmio_write offset 0x30 (QueueSel) size 4 value 0x0\n"
                        "virtio_mmio_write offset 0x38 (QueueNum) size 4 value 0x8\n"
                        "virtio_mmio_write offset 0x28 (GuestPageSize) size 4 value 0x1000\n"
                        "virtio_mmio_write offset 0x3c (QueueAlign) size 4 value 0x1000\n"
                        "virtio_mmio_write offset 0x40 (QueuePFN) size 4 value 0x80100\n"
                        "virtio_mmio_write offset 0x70 (Status) size 4 value 0x7\n"
                        "virtio_mmio_write offset 0x50 (QueueNotify) size 4 value 0x0\n");
    g_free(text);
}

static void test_a_virtqueue_notify_pops_the_chain_and_pushes_the_used_element(void **state)
{
    char *text = traced_run("-device virtio-rng-device",
                            "-trace virtio_queue_notify -trace virtqueue_* -trace virtio_rng_* "
                            "-trace virtio_notify -trace dma_* -trace irq_set -trace serial_write",
                            drive_virtio_rng);
    char *tail = after_mark(text);

    /*
     * The driver's Status 0 resets the device: its line (PLIC source 8, slot 7) driven low and
     * the PLIC's outputs (MEIP 11, SEIP 9) re-evaluated.  Then dev 4 (virtio-rng): the avail
     * ring's idx and entry, the descriptor; the 16 bytes out; the used element, then its idx;
     * the used event check; the interrupt: source 8 up, the PLIC's outputs stay low (source 8
     * has priority 0 and is not enabled).
     */
    assert_string_equal(tail, "irq_set line riscv.sifive.plic[8] level 0\n"
                              "irq_set line rv64-riscv-cpu[11] level 0\n"
                              "irq_set line rv64-riscv-cpu[9] level 0\n"
                              "virtio_queue_notify dev 4 queue 0\n"
                              "dma_read addr 0x80100082 len 2\n"
                              "dma_read addr 0x80100084 len 2\n"
                              "dma_read addr 0x80100000 len 16\n"
                              "virtqueue_pop dev 4 queue 0 head 0 out 0 (0 bytes) in 1 (16 bytes)\n"
                              "virtio_rng_request head 0 wants 16 bytes\n"
                              "dma_write addr 0x80200000 len 16\n"
                              "virtio_rng_pushed head 0 got 16 bytes\n"
                              "dma_write addr 0x80101004 len 8\n"
                              "dma_write addr 0x80101002 len 2\n"
                              "virtqueue_push dev 4 queue 0 head 0 len 16 used idx 1\n"
                              "dma_read addr 0x80100082 len 2\n"
                              "dma_read addr 0x80100080 len 2\n"
                              "virtio_notify dev 4 queue 0 isr 0x01\n"
                              "irq_set line riscv.sifive.plic[8] level 1\n"
                              "irq_set line rv64-riscv-cpu[11] level 0\n"
                              "irq_set line rv64-riscv-cpu[9] level 0\n");
    g_free(tail);
    g_free(text);
}

/*
 * Snapshots have no command-line, qtest or QMP entry point (the fuzzer takes and restores them
 * through core/snapshot.h), so snapshot_restore is tested in-process: a virt machine from
 * tern_init() with -trace on its command line, a snapshot, a UART register and a RAM page
 * changed, the clock moved, a restore.
 */
static void test_a_snapshot_restore_gives_a_line_with_what_it_restored(void **state)
{
    char *log = g_build_filename(dir, "snapshot.log", NULL);
    char *trace_arg = g_strdup_printf("snapshot_restore,file=%s", log);
    char *argv[] = {"tern", "-nouserconfig", "-M", "virt", "-accel", "qtest",   "-bios",
                    "none", "-nodefaults",   "-m", "128M", "-trace", trace_arg, NULL};
    uint8_t byte = 0x5a;
    char *text;

    assert_int_equal(tern_init(G_N_ELEMENTS(argv) - 1, argv, &error_abort), TERN_INIT_RUN);
    clock_step_virtual(1000);
    /* A page with data (a page that was all zeroes is zeroed again, not counted). */
    assert_int_equal(address_space_write(address_space_memory(), 0x80000000, &byte, 1), MEMTX_OK);
    assert_true(snapshot_take(&error_abort));
    hwtest_write(UART + 7, 1, 0x5a); /* the UART's scratch register */
    byte = 0xa5;
    assert_int_equal(address_space_write(address_space_memory(), 0x80000000, &byte, 1), MEMTX_OK);
    clock_step_virtual(2000000);
    assert_true(snapshot_restore(&error_abort));
    tern_cleanup(); /* closes the trace file */
    text = read_file(log);
    /* The clock back at the snapshot's 1000 ns; the UART; the page. */
    assert_string_equal(text, "snapshot_restore clock 1000 ns devices 1 pages 1 blocks 0\n");
    g_free(text);
    g_free(trace_arg);
    g_free(log);
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
        TEST(test_clint_accesses_give_lines_with_register_names),
        TEST(test_arming_mtimecmp_gives_timer_mod_and_the_interrupt_irq_set),
        TEST(test_goldfish_rtc_accesses_give_lines_with_register_names),
        TEST(test_sifive_test_writes_give_a_line),
        TEST(test_fw_cfg_select_read_and_dma_give_lines),
        TEST(test_virtio_mmio_registers_are_named),
        TEST(test_a_virtqueue_notify_pops_the_chain_and_pushes_the_used_element),
        TEST(test_a_snapshot_restore_gives_a_line_with_what_it_restored),
    };

    qtest_util_install_fail_handler();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
