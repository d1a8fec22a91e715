/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-clock-limits.c - the virtual clock at its limits through the qtest
 * protocol (docs/time.md): clock_set to INT64_MAX, clock_step of huge,
 * negative and unparsable values, then every device of the virt board poked
 * at (or just before) the end of virtual time, each reply OK or the
 * documented FAIL.  The sanitizer build runs this program in-process and
 * against a spawned tern ($TERN_QTEST_TRANSPORT); UBSan is fatal there, so a
 * deadline that overflows fails the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <glib.h>

#include "tests/support/qtest-util.h"
#include "tests/support/virtio-driver.h"

#include "cpu/hart.h"

#define MACHINE "-M virt -bios none -nodefaults"
#define HART0   "/machine/soc0/harts[0]"

#define END          "9223372036854775807" /* INT64_MAX */
#define END_NS       INT64_MAX
#define MTIME_AT_END UINT64_C(92233720368547758) /* INT64_MAX ns at 10 MHz */

#define UART          0x10000000
#define UART_RBR      (UART + 0)
#define UART_IER      (UART + 1)
#define UART_IIR      (UART + 2)
#define UART_FCR      (UART + 2)
#define UART_LCR      (UART + 3)
#define UART_MCR      (UART + 4)
#define UART_LSR      (UART + 5)
#define IIR_FIFO_NONE 0xc1
#define IIR_FIFO_CTI  0xcc
#define IIR_FIFO_RDI  0xc4

#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME    0x200bff8

#define PLIC         0xc000000
#define PLIC_PENDING (PLIC + 0x1000)

#define RTC              0x101000
#define RTC_TIME_LOW     (RTC + 0x00)
#define RTC_TIME_HIGH    (RTC + 0x04)
#define RTC_ALARM_LOW    (RTC + 0x08)
#define RTC_ALARM_HIGH   (RTC + 0x0c)
#define RTC_IRQ_ENABLED  (RTC + 0x10)
#define RTC_ALARM_STATUS (RTC + 0x18)
#define RTC_CLEAR_IRQ    (RTC + 0x1c)

#define SIFIVE_TEST 0x100000

#define FW_CFG_DATA 0x10100000
#define FW_CFG_CTL  0x10100008

#define QNUM 8
#define RING 0x80100000u
#define BUF  0x80200000u

static QTestState *qts;

static int setup(void **state)
{
    qtest_util_install_fail_handler();
    qts = qtest_init(MACHINE);
    return 0;
}

static int setup_rng(void **state)
{
    qtest_util_install_fail_handler();
    qts = qtest_init(MACHINE " -device virtio-rng-device");
    return 0;
}

static int teardown(void **state)
{
    QTestState *s = qts;

    qts = NULL;
    qtest_quit(s);
    return 0;
}

/* ---- the clock commands ---------------------------------------------------------------------- */

static void test_clock_set_reaches_the_end_of_time_and_stays(void **state)
{
    expect_line(qts, "clock_set " END "\n", "OK " END);
    expect_line(qts, "clock_set " END "\n", "OK " END);
    expect_line(qts, "clock_step 1\n", "FAIL could not advance time");
    expect_line(qts, "clock_step " END "\n", "FAIL could not advance time");
    expect_line(qts, "clock_set 0\n", "FAIL " END);
    expect_line(qts, "clock_set -9223372036854775808\n", "FAIL " END);
    expect_line(qts, "clock_step\n",
                "FAIL cannot advance clock to the next deadline because "
                "there is no pending deadline");
}

static void test_clock_step_past_the_end_is_refused_not_wrapped(void **state)
{
    expect_line(qts, "clock_step 1000\n", "OK 1000");
    expect_line(qts, "clock_step " END "\n", "FAIL could not advance time");
    expect_line(qts, "clock_step 9223372036854774808\n", "FAIL could not advance time");
    expect_line(qts, "clock_step 9223372036854774807\n", "OK " END);
}

static void test_clock_numbers_beyond_int64_are_errors(void **state)
{
    expect_line(qts, "clock_set 9223372036854775808\n",
                "ERR clock_set: invalid number '9223372036854775808' for NS");
    expect_line(qts, "clock_set 18446744073709551615\n",
                "ERR clock_set: invalid number '18446744073709551615' for NS");
    expect_line(qts, "clock_step 9223372036854775808\n",
                "ERR clock_step: invalid number '9223372036854775808' for NS");
    expect_line(qts, "clock_step -9223372036854775809\n",
                "ERR clock_step: invalid number '-9223372036854775809' for NS");
    expect_line(qts, "clock_step -9223372036854775808\n", "FAIL could not advance time");
    expect_line(qts, "clock_step 0x7fffffffffffffff\n", "OK " END);
}

/* ---- every device at the end of time --------------------------------------------------------- */

/* FIFOs on (trigger level 14), RX data interrupt on, loopback: THR writes land in the RX FIFO. */
static void uart_loopback_fifo(void)
{
    qtest_writeb(qts, UART_FCR, 0xc1);
    qtest_writeb(qts, UART_IER, 0x01);
    qtest_writeb(qts, UART_MCR, 0x10);
}

static void test_uart_writes_at_the_end_of_time(void **state)
{
    qtest_clock_set(qts, END_NS);
    uart_loopback_fifo();
    for (int i = 0; i < 5; i++) {
        qtest_writeb(qts, UART_RBR, 'a' + i);
    }
    /* The timeout fell due at once; the post-command pass fired it. */
    assert_int_equal(qtest_readb(qts, UART_IIR), IIR_FIFO_CTI);
    assert_int_equal(qtest_readb(qts, UART_RBR), 'a');
    assert_int_equal(qtest_readb(qts, UART_IIR), IIR_FIFO_CTI); /* re-armed at the end */
    for (int i = 0; i < 13; i++) {                              /* one more than the FIFO holds */
        qtest_writeb(qts, UART_RBR, 'f' + i);
    }
    assert_int_equal(qtest_readb(qts, UART_LSR), 0x63);         /* TEMT, THRE, OE, DR */
    assert_int_equal(qtest_readb(qts, UART_IIR), IIR_FIFO_RDI); /* at the trigger level */
    /* The slowest line the divisor allows, and divisor 0. */
    qtest_writeb(qts, UART_LCR, 0x8f);
    qtest_writeb(qts, UART_RBR, 0xff);
    qtest_writeb(qts, UART_IER, 0xff);
    qtest_writeb(qts, UART_LCR, 0x0f);
    qtest_writeb(qts, UART_RBR, 'x');
    qtest_writeb(qts, UART_LCR, 0x80);
    qtest_writeb(qts, UART_RBR, 0);
    qtest_writeb(qts, UART_IER, 0);
    qtest_writeb(qts, UART_LCR, 0x03);
    qtest_writeb(qts, UART_RBR, 'y');
    assert_int_equal(qtest_readb(qts, UART_LSR) & 0x61, 0x61);
    /* Every timeout armed at the end of time has fired: none is left. */
    expect_line(qts, "clock_step\n",
                "FAIL cannot advance clock to the next deadline because "
                "there is no pending deadline");
}

static void test_uart_timeout_just_before_the_end_fires_at_the_end(void **state)
{
    qtest_clock_set(qts, END_NS - 10);
    uart_loopback_fifo();
    qtest_writeb(qts, UART_RBR, 'a');
    assert_int_equal(qtest_readb(qts, UART_IIR), IIR_FIFO_NONE);
    /* 4 character times saturate at the end of time: the next deadline is there. */
    assert_true(qtest_clock_step_next(qts) == END_NS);
    assert_int_equal(qtest_readb(qts, UART_IIR), IIR_FIFO_CTI);
}

static void test_clint_at_the_end_of_time(void **state)
{
    qtest_irq_intercept_in(qts, HART0);
    qtest_clock_set(qts, END_NS);
    assert_true(qtest_readq(qts, CLINT_MTIME) == MTIME_AT_END);
    qtest_writeq(qts, CLINT_MTIMECMP, UINT64_MAX); /* out of reach: nothing armed */
    assert_false(qtest_get_irq(qts, RV_IRQ_MTIP));
    expect_line(qts, "clock_step\n",
                "FAIL cannot advance clock to the next deadline because "
                "there is no pending deadline");
    qtest_writeq(qts, CLINT_MTIMECMP, MTIME_AT_END + 1);
    assert_false(qtest_get_irq(qts, RV_IRQ_MTIP));
    qtest_writeq(qts, CLINT_MTIMECMP, MTIME_AT_END);
    assert_true(qtest_get_irq(qts, RV_IRQ_MTIP));
    /* mtime written back to 0: the compare lies out of reach again, nothing armed. */
    qtest_writeq(qts, CLINT_MTIME, 0);
    assert_false(qtest_get_irq(qts, RV_IRQ_MTIP));
    expect_line(qts, "clock_step\n",
                "FAIL cannot advance clock to the next deadline because "
                "there is no pending deadline");
    /* Then near its wrap: the compare is behind it. */
    qtest_writeq(qts, CLINT_MTIME, UINT64_MAX - 1);
    assert_true(qtest_get_irq(qts, RV_IRQ_MTIP));
    assert_true(qtest_readq(qts, CLINT_MTIME) == UINT64_MAX - 1);
}

static void test_clint_crossing_just_before_the_end(void **state)
{
    qtest_irq_intercept_in(qts, HART0);
    qtest_clock_set(qts, END_NS - 1000);
    qtest_writeq(qts, CLINT_MTIMECMP, MTIME_AT_END); /* crossed at the very end */
    assert_false(qtest_get_irq(qts, RV_IRQ_MTIP));
    assert_true(qtest_clock_step_next(qts) == END_NS);
    assert_true(qtest_get_irq(qts, RV_IRQ_MTIP));
}

static uint64_t rtc_time(void)
{
    uint64_t lo = qtest_readl(qts, RTC_TIME_LOW);

    return (uint64_t)qtest_readl(qts, RTC_TIME_HIGH) << 32 | lo;
}

static void rtc_alarm(uint64_t when)
{
    qtest_writel(qts, RTC_ALARM_HIGH, (uint32_t)(when >> 32));
    qtest_writel(qts, RTC_ALARM_LOW, (uint32_t)when);
}

static void test_rtc_alarm_at_the_end_of_time(void **state)
{
    qtest_clock_set(qts, END_NS - 10);
    qtest_writel(qts, RTC_IRQ_ENABLED, 1);
    rtc_alarm(rtc_time() + 100); /* past the end: saturates there */
    assert_int_equal(qtest_readl(qts, RTC_ALARM_STATUS), 1);
    assert_true(qtest_clock_step_next(qts) == END_NS);
    assert_int_equal(qtest_readl(qts, RTC_ALARM_STATUS), 0);
    assert_true(qtest_readl(qts, PLIC_PENDING) & (1u << 11));
    qtest_writel(qts, RTC_CLEAR_IRQ, 1);
    rtc_alarm(UINT64_MAX);
    rtc_alarm(rtc_time() + 1); /* due at once at the end of time */
    assert_int_equal(qtest_readl(qts, RTC_ALARM_STATUS), 0);
    /* The 64-bit date wraps. */
    qtest_writel(qts, RTC_TIME_HIGH, 0xffffffff);
    qtest_writel(qts, RTC_TIME_LOW, 0xffffffff);
    assert_true(rtc_time() == UINT64_MAX);
}

static void test_fw_cfg_plic_and_sifive_test_at_the_end_of_time(void **state)
{
    qtest_clock_set(qts, END_NS);
    qtest_writew(qts, FW_CFG_CTL, 0); /* signature, big-endian selector */
    assert_int_equal(qtest_readb(qts, FW_CFG_DATA), 'Q');
    qtest_writel(qts, PLIC + 4 * 10, 7);
    assert_int_equal(qtest_readl(qts, PLIC + 4 * 10), 7);
    assert_int_equal(qtest_readl(qts, SIFIVE_TEST), 0);
}

static void test_virtio_rng_notify_at_the_end_of_time(void **state)
{
    VirtioDriver d;
    VdBuf buf = {BUF, 32, true};
    uint32_t id, len;

    qtest_clock_set(qts, END_NS);
    vd_attach(&d, &vd_qtest_ops, qts, VD_SLOT(7), QNUM);
    assert_int_equal(vd_readl(&d, VD_DEVICE_ID), 4);
    vd_memset(&d, RING, 0, 0x2000);
    vd_setup(&d, VD_SLOT(7), 0, QNUM, RING, 0);
    vd_chain(&d, &buf, 1);
    vd_submit(&d, 0);
    assert_int_equal(vd_used_idx(&d), d.avail_idx);
    vd_used_elem(&d, (uint16_t)(d.avail_idx - 1), &id, &len);
    assert_int_equal(len, 32);
    expect_line(qts, "clock_step 1\n", "FAIL could not advance time");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_clock_set_reaches_the_end_of_time_and_stays, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_clock_step_past_the_end_is_refused_not_wrapped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_clock_numbers_beyond_int64_are_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_uart_writes_at_the_end_of_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uart_timeout_just_before_the_end_fires_at_the_end,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_clint_at_the_end_of_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clint_crossing_just_before_the_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rtc_alarm_at_the_end_of_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fw_cfg_plic_and_sifive_test_at_the_end_of_time, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_virtio_rng_notify_at_the_end_of_time, setup_rng,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
