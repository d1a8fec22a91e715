/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-sifive-test.c - the SiFive test device ("riscv.sifive.test") through
 * the memory API, as a guest reaches it: every status it reacts to (PASS,
 * FAIL with its code, RESET) and the run-state request each one records,
 * the exit status that follows, -no-shutdown and -no-reboot, unknown
 * statuses, the access sizes and offsets it ignores (with a guest-error
 * line), the accesses the memory core refuses for it (unaligned, 8 bytes),
 * and reads, which are always 0 and change nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>

#include "core/log.h"
#include "core/module.h"
#include "core/runstate.h"
#include "hw/sifive_test.h"
#include "tests/support/hwtest.h"
#include "tests/support/log-capture.h"

#define BASE 0x100000 /* where the virt board maps it */
#define SIZE 0x1000

static HwTest *t;

static int setup(void **state)
{
    runstate_reset();
    runstate_set_options(false, false);
    t = hwtest_start(TYPE_SIFIVE_TEST, BASE, 0, NULL);
    return 0;
}

static int teardown(void **state)
{
    logcapture_cancel();
    hwtest_free(t);
    t = NULL;
    runstate_reset();
    runstate_set_options(false, false);
    return 0;
}

/* A shutdown is pending; processing it ends the run with status. */
static void assert_run_ends_with(int status)
{
    int exit_status = -1;

    assert_true(runstate_request_pending());
    assert_true(runstate_process_requests(&exit_status));
    assert_int_equal(exit_status, status);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    assert_int_equal(runstate_last_reset_cause(), SHUTDOWN_CAUSE_NONE);
    assert_false(runstate_request_pending());
}

/* Nothing was requested, and nothing happens when the loop looks. */
static void assert_nothing_requested(void)
{
    int exit_status = -1;

    assert_false(runstate_request_pending());
    assert_false(runstate_process_requests(&exit_status));
    assert_int_equal(exit_status, -1);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_NONE);
    assert_int_equal(runstate_last_reset_cause(), SHUTDOWN_CAUSE_NONE);
}

static void write_ignored_and_logged(hwaddr addr, unsigned size, uint64_t value, const char *line)
{
    logcapture_begin();
    hwtest_write(addr, size, value);
    logcapture_assert_contains(logcapture_end(), line);
    assert_nothing_requested();
}

/* ---- PASS ---------------------------------------------------------------------------------- */

static void test_pass_ends_the_run_with_status_0(void **state)
{
    hwtest_writel(BASE, SIFIVE_TEST_PASS);
    assert_run_ends_with(0);
}

static void test_pass_ignores_the_code_in_the_high_half(void **state)
{
    hwtest_writel(BASE, 0x002a0000u | SIFIVE_TEST_PASS);
    assert_run_ends_with(0);
}

static void test_pass_is_only_recorded_until_the_loop_acts(void **state)
{
    hwtest_writel(BASE, SIFIVE_TEST_PASS);
    /* The write returned: the request waits, the run state is untouched. */
    assert_true(runstate_request_pending());
    assert_int_equal(runstate_get(), RUN_STATE_PRELAUNCH);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_NONE);
    assert_run_ends_with(0);
}

/* ---- FAIL ---------------------------------------------------------------------------------- */

static void test_fail_ends_the_run_with_its_code(void **state)
{
    static const uint32_t codes[] = {1, 2, 0x7f, 0x80, 0xff, 0x100, 0x1234, 0xffff};

    for (size_t i = 0; i < G_N_ELEMENTS(codes); i++) {
        hwtest_writel(BASE, codes[i] << 16 | SIFIVE_TEST_FAIL);
        assert_run_ends_with((int)codes[i]);
    }
}

static void test_fail_with_code_0_ends_with_status_0(void **state)
{
    hwtest_writel(BASE, SIFIVE_TEST_FAIL);
    assert_run_ends_with(0);
}

static void test_a_later_write_replaces_a_pending_request(void **state)
{
    hwtest_writel(BASE, 7u << 16 | SIFIVE_TEST_FAIL);
    hwtest_writel(BASE, 9u << 16 | SIFIVE_TEST_FAIL);
    assert_run_ends_with(9);
}

/* ---- RESET --------------------------------------------------------------------------------- */

static int resets;
static ShutdownCause reset_cause;

static void count_reset(ShutdownCause cause, void *opaque)
{
    resets++;
    reset_cause = cause;
}

static void test_reset_resets_the_machine_and_the_run_goes_on(void **state)
{
    int exit_status = -1;

    resets = 0;
    runstate_set_reset_handler(count_reset, NULL);
    hwtest_writel(BASE, SIFIVE_TEST_RESET);
    assert_true(runstate_request_pending());
    assert_int_equal(resets, 0);
    assert_false(runstate_process_requests(&exit_status));
    assert_int_equal(exit_status, -1);
    assert_int_equal(resets, 1);
    assert_int_equal(reset_cause, SHUTDOWN_CAUSE_GUEST_RESET);
    assert_int_equal(runstate_last_reset_cause(), SHUTDOWN_CAUSE_GUEST_RESET);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_NONE);
}

static void test_reset_ignores_the_high_half(void **state)
{
    int exit_status = -1;

    hwtest_writel(BASE, 0xffff0000u | SIFIVE_TEST_RESET);
    assert_false(runstate_process_requests(&exit_status));
    assert_int_equal(runstate_last_reset_cause(), SHUTDOWN_CAUSE_GUEST_RESET);
}

static void test_reset_under_no_reboot_ends_the_run_with_status_0(void **state)
{
    int exit_status = -1;

    runstate_set_options(true, false);
    hwtest_writel(BASE, SIFIVE_TEST_RESET);
    assert_true(runstate_process_requests(&exit_status));
    assert_int_equal(exit_status, 0);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_GUEST_RESET);
}

/* ---- -no-shutdown -------------------------------------------------------------------------- */

static void test_pass_and_fail_under_no_shutdown_stop_the_vm(void **state)
{
    static const uint32_t values[] = {SIFIVE_TEST_PASS, 3u << 16 | SIFIVE_TEST_FAIL};

    runstate_set_options(false, true);
    for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
        int exit_status = -1;

        vm_start();
        hwtest_writel(BASE, values[i]);
        assert_false(runstate_process_requests(&exit_status));
        assert_int_equal(exit_status, -1);
        assert_int_equal(runstate_get(), RUN_STATE_SHUTDOWN);
        assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    }
}

/* ---- what it ignores ----------------------------------------------------------------------- */

static void test_unknown_statuses_are_ignored_and_logged(void **state)
{
    static const uint32_t statuses[] = {0x0000, 0x0001, 0x3332, 0x3334, 0x5554,
                                        0x5556, 0x7776, 0x7778, 0x8888, 0xffff};

    for (size_t i = 0; i < G_N_ELEMENTS(statuses); i++) {
        char *line = g_strdup_printf("sifive_test: unknown status 0x%x ignored", statuses[i]);

        write_ignored_and_logged(BASE, 4, 0x00010000u | statuses[i], line);
        g_free(line);
    }
}

static void test_a_known_code_in_the_high_half_is_not_a_status(void **state)
{
    write_ignored_and_logged(BASE, 4, (uint32_t)SIFIVE_TEST_PASS << 16,
                             "sifive_test: unknown status 0x0 ignored");
    write_ignored_and_logged(BASE, 4, (uint32_t)SIFIVE_TEST_FAIL << 16 | 0x1,
                             "sifive_test: unknown status 0x1 ignored");
}

static void test_two_byte_writes_act_with_code_0(void **state)
{
    hwtest_writew(BASE, SIFIVE_TEST_PASS);
    assert_run_ends_with(0);
    hwtest_writew(BASE, SIFIVE_TEST_FAIL);
    assert_run_ends_with(0);
    runstate_set_reset_handler(count_reset, NULL);
    resets = 0;
    hwtest_writew(BASE, SIFIVE_TEST_RESET);
    assert_true(runstate_request_pending());
    assert_false(runstate_process_requests(&(int){0}));
    assert_int_equal(resets, 1);
}

static void test_one_byte_writes_are_ignored_and_logged(void **state)
{
    /* Not even the low byte of a status: a byte store cannot hold one. */
    write_ignored_and_logged(BASE, 1, 0x55,
                             "sifive_test: ignored 1-byte write of 0x55 at offset 0x0");
    write_ignored_and_logged(BASE + 1, 1, 0x55,
                             "sifive_test: ignored 1-byte write of 0x55 at offset 0x1");
}

static void test_writes_past_offset_0_are_ignored_and_logged(void **state)
{
    static const hwaddr offsets[] = {4, 8, 0x10, 0x800, SIZE - 4};

    for (size_t i = 0; i < G_N_ELEMENTS(offsets); i++) {
        char *line = g_strdup_printf("sifive_test: ignored 4-byte write of 0x5555 at offset 0x%x",
                                     (unsigned)offsets[i]);

        write_ignored_and_logged(BASE + offsets[i], 4, SIFIVE_TEST_PASS, line);
        g_free(line);
    }
    write_ignored_and_logged(BASE + 2, 2, SIFIVE_TEST_PASS,
                             "sifive_test: ignored 2-byte write of 0x5555 at offset 0x2");
}

static void test_unaligned_writes_are_refused_before_the_device(void **state)
{
    /* The region is 1..4 bytes, aligned: the memory core refuses the rest. */
    write_ignored_and_logged(BASE + 2, 4, SIFIVE_TEST_PASS,
                             "invalid write at offset 0x2, size 4, region 'riscv.sifive.test': "
                             "unaligned");
    write_ignored_and_logged(BASE + 1, 2, SIFIVE_TEST_PASS,
                             "invalid write at offset 0x1, size 2, region 'riscv.sifive.test': "
                             "unaligned");
}

static void test_eight_byte_writes_are_refused_before_the_device(void **state)
{
    write_ignored_and_logged(BASE, 8, 5u << 16 | SIFIVE_TEST_FAIL,
                             "invalid write at offset 0x0, size 8, region 'riscv.sifive.test': "
                             "access size not accepted");
}

static void test_writes_beyond_the_region_do_not_reach_it(void **state)
{
    hwtest_writel(BASE + SIZE, SIFIVE_TEST_PASS);
    hwtest_writel(BASE - 4, SIFIVE_TEST_PASS);
    assert_nothing_requested();
}

/* ---- reads --------------------------------------------------------------------------------- */

static void test_reads_return_0_at_every_size_and_offset(void **state)
{
    static const hwaddr offsets[] = {0, 4, 8, 0x100, SIZE - 4};

    hwtest_writel(BASE + 4, 0xdeadbeef); /* ignored: nothing to read back */
    for (size_t i = 0; i < G_N_ELEMENTS(offsets); i++) {
        assert_int_equal(hwtest_readb(BASE + offsets[i]), 0);
        assert_int_equal(hwtest_readw(BASE + offsets[i]), 0);
        assert_int_equal(hwtest_readl(BASE + offsets[i]), 0);
    }
    for (hwaddr off = 1; off < 4; off++) {
        assert_int_equal(hwtest_readb(BASE + off), 0);
    }
    assert_int_equal(hwtest_readw(BASE + 2), 0);
    assert_int_equal(hwtest_readq(BASE), 0); /* refused by the memory core: 0 as well */
}

static void test_reads_request_nothing_and_log_nothing(void **state)
{
    char *text;

    logcapture_begin();
    for (hwaddr off = 0; off < 16; off += 4) {
        hwtest_readl(BASE + off);
    }
    text = logcapture_end();
    assert_string_equal(text, "");
    g_free(text);
    assert_nothing_requested();
}

static void test_a_pending_request_survives_reads(void **state)
{
    hwtest_writel(BASE, 4u << 16 | SIFIVE_TEST_FAIL);
    assert_int_equal(hwtest_readl(BASE), 0);
    assert_run_ends_with(4);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_pass_ends_the_run_with_status_0),
        T(test_pass_ignores_the_code_in_the_high_half),
        T(test_pass_is_only_recorded_until_the_loop_acts),
        T(test_fail_ends_the_run_with_its_code),
        T(test_fail_with_code_0_ends_with_status_0),
        T(test_a_later_write_replaces_a_pending_request),
        T(test_reset_resets_the_machine_and_the_run_goes_on),
        T(test_reset_ignores_the_high_half),
        T(test_reset_under_no_reboot_ends_the_run_with_status_0),
        T(test_pass_and_fail_under_no_shutdown_stop_the_vm),
        T(test_unknown_statuses_are_ignored_and_logged),
        T(test_a_known_code_in_the_high_half_is_not_a_status),
        T(test_two_byte_writes_act_with_code_0),
        T(test_one_byte_writes_are_ignored_and_logged),
        T(test_writes_past_offset_0_are_ignored_and_logged),
        T(test_unaligned_writes_are_refused_before_the_device),
        T(test_eight_byte_writes_are_refused_before_the_device),
        T(test_writes_beyond_the_region_do_not_reach_it),
        T(test_reads_return_0_at_every_size_and_offset),
        T(test_reads_request_nothing_and_log_nothing),
        T(test_a_pending_request_survives_reads),
    };

    module_call_init(MODULE_INIT_QOM);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
