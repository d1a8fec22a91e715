/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-devices.c - every device of the virt board driven through the qtest
 * client, with virtual time and interrupts seen as the protocol reports
 * them: UART, CLINT, PLIC, goldfish RTC, sifive_test and fw_cfg.
 *
 * The transport comes from $TERN_QTEST_TRANSPORT (meson runs this program
 * in-process and against a spawned tern); a test needing the other side of
 * the machine (a modem line, which no protocol command reaches) runs
 * in-process only.  virtio devices are tested with their own suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <inttypes.h>
#include <stdlib.h>

#include "tests/support/qtest-util.h"

#include "core/bswap.h"
#include "core/object.h"
#include "core/timer.h"
#include "cpu/hart.h"
#include "hw/uart.h"

#define MACHINE "-M virt -bios none -nodefaults"
#define HART0   "/machine/soc0/harts[0]"

/* UART0 (16550A), PLIC source 10 */
#define UART          0x10000000
#define UART_RBR      (UART + 0)
#define UART_IER      (UART + 1)
#define UART_IIR      (UART + 2)
#define UART_FCR      (UART + 2)
#define UART_LCR      (UART + 3)
#define UART_MCR      (UART + 4)
#define UART_LSR      (UART + 5)
#define UART_MSR      (UART + 6)
#define UART_SCR      (UART + 7)
#define UART_BAUDBASE 399193

/* CLINT */
#define CLINT_MSIP     0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME    0x200bff8

/* PLIC */
#define PLIC              0xc000000
#define PLIC_PRIORITY(n)  (PLIC + 4 * (n))
#define PLIC_PENDING      (PLIC + 0x1000)
#define PLIC_ENABLE(c)    (PLIC + 0x2000 + 0x80 * (c))
#define PLIC_THRESHOLD(c) (PLIC + 0x200000 + 0x1000 * (c))
#define PLIC_CLAIM(c)     (PLIC + 0x200004 + 0x1000 * (c))

/* goldfish RTC, PLIC source 11 */
#define RTC              0x101000
#define RTC_TIME_LOW     (RTC + 0x00)
#define RTC_TIME_HIGH    (RTC + 0x04)
#define RTC_ALARM_LOW    (RTC + 0x08)
#define RTC_ALARM_HIGH   (RTC + 0x0c)
#define RTC_IRQ_ENABLED  (RTC + 0x10)
#define RTC_CLEAR_ALARM  (RTC + 0x14)
#define RTC_ALARM_STATUS (RTC + 0x18)
#define RTC_CLEAR_IRQ    (RTC + 0x1c)
#define RTC_BASE_NS      (UINT64_C(946684800) * NANOSECONDS_PER_SECOND) /* 2000-01-01 */

#define SIFIVE_TEST 0x100000

/* fw_cfg */
#define FW_CFG_DATA 0x10100000
#define FW_CFG_CTL  0x10100008
#define FW_CFG_DMA  0x10100010

static QTestState *qts;

static int setup(void **state)
{
    qtest_util_install_fail_handler();
    qts = qtest_init(MACHINE);
    return 0;
}

static int teardown(void **state)
{
    QTestState *s = qts;

    qts = NULL;
    qtest_quit(s);
    return 0;
}

/* A fresh machine with other options (the one from setup is dropped). */
static void restart(const char *args)
{
    qtest_quit(qts);
    qts = qtest_init(args);
}

/* ---- UART ----------------------------------------------------------------------------------- */

static void uart_intercept(void)
{
    qtest_irq_intercept_out_named(qts, "/machine/uart0", "sysbus-irq");
}

static bool uart_irq(void)
{
    return qtest_get_irq(qts, 0);
}

static void test_uart_resets_to_16550_defaults(void **state)
{
    assert_int_equal(qtest_readb(qts, UART_IER), 0x00);
    assert_int_equal(qtest_readb(qts, UART_IIR), 0x01);
    assert_int_equal(qtest_readb(qts, UART_LCR), 0x00);
    assert_int_equal(qtest_readb(qts, UART_MCR), 0x08);
    assert_int_equal(qtest_readb(qts, UART_LSR), 0x60);
    assert_int_equal(qtest_readb(qts, UART_MSR), 0xb0);
    assert_int_equal(qtest_readb(qts, UART_SCR), 0x00);
}

static void test_uart_scratch_and_divisor_latch(void **state)
{
    qtest_writeb(qts, UART_SCR, 0x5a);
    assert_int_equal(qtest_readb(qts, UART_SCR), 0x5a);
    qtest_writeb(qts, UART_LCR, 0x83);                  /* DLAB, 8N1 */
    assert_int_equal(qtest_readb(qts, UART_RBR), 0x0c); /* reset divisor: 12 */
    qtest_writeb(qts, UART_RBR, 0x01);
    qtest_writeb(qts, UART_IER, 0x02);
    assert_int_equal(qtest_readb(qts, UART_RBR), 0x01);
    assert_int_equal(qtest_readb(qts, UART_IER), 0x02);
    qtest_writeb(qts, UART_LCR, 0x03);
    assert_int_equal(qtest_readb(qts, UART_IER), 0x00); /* the divisor write did not touch IER */
}

static void test_uart_loopback_echoes_bytes(void **state)
{
    qtest_writeb(qts, UART_MCR, 0x10);
    qtest_writeb(qts, UART_RBR, 'A');
    assert_int_equal(qtest_readb(qts, UART_LSR), 0x61); /* TEMT, THRE, DR */
    assert_int_equal(qtest_readb(qts, UART_RBR), 'A');
    assert_int_equal(qtest_readb(qts, UART_LSR), 0x60);
    /* Without FIFOs a second unread byte overruns and replaces the first. */
    qtest_writeb(qts, UART_RBR, 'B');
    qtest_writeb(qts, UART_RBR, 'C');
    assert_int_equal(qtest_readb(qts, UART_LSR), 0x63); /* OE, cleared by this read */
    assert_int_equal(qtest_readb(qts, UART_LSR), 0x61);
    assert_int_equal(qtest_readb(qts, UART_RBR), 'C');
}

static void test_uart_fifo_holds_16_bytes_then_overruns(void **state)
{
    qtest_writeb(qts, UART_FCR, 0x07); /* enable, clear both */
    assert_int_equal(qtest_readb(qts, UART_IIR), 0xc1);
    qtest_writeb(qts, UART_MCR, 0x10);
    for (int i = 0; i < 17; i++) {
        qtest_writeb(qts, UART_RBR, 'a' + i);
    }
    assert_int_equal(qtest_readb(qts, UART_LSR), 0x63);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(qtest_readb(qts, UART_RBR), 'a' + i);
    }
    assert_int_equal(qtest_readb(qts, UART_LSR), 0x60); /* the 17th byte was lost */
    /* FCR bit 1 empties the receive FIFO. */
    qtest_writeb(qts, UART_RBR, 'x');
    qtest_writeb(qts, UART_FCR, 0x03);
    assert_int_equal(qtest_readb(qts, UART_LSR), 0x60);
}

static void test_uart_irq_rx_data(void **state)
{
    uart_intercept();
    qtest_writeb(qts, UART_MCR, 0x10);
    qtest_writeb(qts, UART_IER, 0x01);
    assert_false(uart_irq());
    qtest_writeb(qts, UART_RBR, 0x42);
    assert_true(uart_irq());
    assert_int_equal(qtest_readb(qts, UART_IIR), 0x04);
    assert_int_equal(qtest_readb(qts, UART_RBR), 0x42);
    assert_false(uart_irq());
    assert_int_equal(qtest_readb(qts, UART_IIR), 0x01);
}

static void test_uart_irq_rx_data_at_the_fifo_trigger_level(void **state)
{
    uart_intercept();
    qtest_writeb(qts, UART_FCR, 0x47); /* trigger level 4 */
    qtest_writeb(qts, UART_MCR, 0x10);
    qtest_writeb(qts, UART_IER, 0x01);
    for (int i = 0; i < 3; i++) {
        qtest_writeb(qts, UART_RBR, '0' + i);
        assert_false(uart_irq());
    }
    qtest_writeb(qts, UART_RBR, '3');
    assert_true(uart_irq());
    assert_int_equal(qtest_readb(qts, UART_IIR), 0xc4);
    qtest_readb(qts, UART_RBR);
    assert_false(uart_irq()); /* below the level again */
}

static void test_uart_irq_thr_empty(void **state)
{
    uart_intercept();
    qtest_writeb(qts, UART_IER, 0x02);
    assert_true(uart_irq());
    assert_int_equal(qtest_readb(qts, UART_IIR), 0x02); /* the read acknowledges it */
    assert_false(uart_irq());
    assert_int_equal(qtest_readb(qts, UART_IIR), 0x01);
    qtest_writeb(qts, UART_RBR, 'z'); /* transmitted at once: THR empty again */
    assert_true(uart_irq());
    qtest_writeb(qts, UART_IER, 0x00);
    assert_false(uart_irq());
}

static void test_uart_irq_line_status(void **state)
{
    uart_intercept();
    qtest_writeb(qts, UART_MCR, 0x10);
    qtest_writeb(qts, UART_IER, 0x04);
    qtest_writeb(qts, UART_RBR, '1');
    assert_false(uart_irq()); /* data ready is not a line-status event */
    qtest_writeb(qts, UART_RBR, '2');
    assert_true(uart_irq()); /* overrun */
    assert_int_equal(qtest_readb(qts, UART_IIR), 0x06);
    assert_int_equal(qtest_readb(qts, UART_LSR), 0x63);
    assert_false(uart_irq());
}

static void test_uart_irq_char_timeout_after_four_character_times(void **state)
{
    /* 8N1 (10 bits) at divisor 1: one character every 10 s / baudbase. */
    const int64_t char_ns = INT64_C(10) * NANOSECONDS_PER_SECOND / UART_BAUDBASE;
    int64_t t0;

    uart_intercept();
    qtest_writeb(qts, UART_LCR, 0x83);
    qtest_writeb(qts, UART_RBR, 0x01);
    qtest_writeb(qts, UART_IER, 0x00);
    qtest_writeb(qts, UART_LCR, 0x03);
    qtest_writeb(qts, UART_FCR, 0x47); /* trigger level 4 */
    qtest_writeb(qts, UART_MCR, 0x10);
    qtest_writeb(qts, UART_IER, 0x01);
    t0 = qtest_clock_step(qts, 1000);
    qtest_writeb(qts, UART_RBR, 'x');
    assert_false(uart_irq());
    assert_int_equal(qtest_clock_step_next(qts), t0 + 4 * char_ns);
    assert_true(uart_irq());
    assert_int_equal(qtest_readb(qts, UART_IIR), 0xcc);
    assert_int_equal(qtest_readb(qts, UART_RBR), 'x');
    assert_false(uart_irq());
    assert_int_equal(qtest_readb(qts, UART_IIR), 0xc1);
}

static void test_uart_irq_modem_status_in_process(void **state)
{
    SerialMM *smm = SERIAL_MM(object_resolve_path("/machine/uart0", NULL));

    uart_intercept();
    qtest_writeb(qts, UART_IER, 0x08);
    assert_false(uart_irq());
    serial_set_modem_lines(&smm->serial, 0xa0); /* CTS drops */
    assert_true(uart_irq());
    assert_int_equal(qtest_readb(qts, UART_IIR), 0x00);
    assert_int_equal(qtest_readb(qts, UART_MSR), 0xa1); /* DCTS, cleared by the read */
    assert_false(uart_irq());
    assert_int_equal(qtest_readb(qts, UART_MSR), 0xa0);
}

static void test_uart_irq_reaches_the_hart_through_the_plic(void **state)
{
    qtest_irq_intercept_in(qts, HART0);
    qtest_writel(qts, PLIC_PRIORITY(10), 1);
    qtest_writel(qts, PLIC_ENABLE(0), 1u << 10);
    qtest_writeb(qts, UART_IER, 0x02);
    assert_true(qtest_get_irq(qts, RV_IRQ_MEIP));
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 10);
    assert_false(qtest_get_irq(qts, RV_IRQ_MEIP));
    assert_int_equal(qtest_readb(qts, UART_IIR), 0x02); /* the UART line drops */
    qtest_writel(qts, PLIC_CLAIM(0), 10);
    assert_false(qtest_get_irq(qts, RV_IRQ_MEIP));
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 0);
}

/* ---- CLINT ---------------------------------------------------------------------------------- */

static void test_clint_mtime_follows_the_virtual_clock(void **state)
{
    assert_int_equal(qtest_readq(qts, CLINT_MTIME), 0);
    qtest_clock_step(qts, 1000);
    assert_int_equal(qtest_readq(qts, CLINT_MTIME), 10); /* 10 MHz */
    qtest_clock_step(qts, 12345);
    assert_int_equal(qtest_readq(qts, CLINT_MTIME), 133);
    qtest_clock_set(qts, NANOSECONDS_PER_SECOND);
    assert_int_equal(qtest_readq(qts, CLINT_MTIME), 10000000);
    assert_int_equal(qtest_readl(qts, CLINT_MTIME), 10000000);
    assert_int_equal(qtest_readl(qts, CLINT_MTIME + 4), 0);
    assert_int_equal(qtest_readw(qts, CLINT_MTIME), 0); /* 2-byte accesses are refused */
}

static void test_clint_mtime_write_moves_the_count(void **state)
{
    qtest_writeq(qts, CLINT_MTIME, 1000);
    assert_int_equal(qtest_readq(qts, CLINT_MTIME), 1000);
    qtest_clock_step(qts, 100);
    assert_int_equal(qtest_readq(qts, CLINT_MTIME), 1001);
}

static void test_clint_timer_interrupt_at_mtimecmp(void **state)
{
    qtest_irq_intercept_in(qts, HART0);
    qtest_writeq(qts, CLINT_MTIMECMP, 50); /* 5000 ns */
    assert_false(qtest_get_irq(qts, RV_IRQ_MTIP));
    qtest_clock_set(qts, 4999);
    assert_false(qtest_get_irq(qts, RV_IRQ_MTIP));
    assert_int_equal(qtest_clock_step_next(qts), 5000);
    assert_true(qtest_get_irq(qts, RV_IRQ_MTIP));
    assert_int_equal(qtest_readq(qts, CLINT_MTIME), 50);
    /* A later compare value lowers it; one already passed raises it at once. */
    qtest_writeq(qts, CLINT_MTIMECMP, UINT64_MAX);
    assert_false(qtest_get_irq(qts, RV_IRQ_MTIP));
    qtest_writel(qts, CLINT_MTIMECMP, 10);
    qtest_writel(qts, CLINT_MTIMECMP + 4, 0);
    assert_true(qtest_get_irq(qts, RV_IRQ_MTIP));
    assert_int_equal(qtest_readq(qts, CLINT_MTIMECMP), 10);
}

static void test_clint_software_interrupt(void **state)
{
    qtest_irq_intercept_in(qts, HART0);
    qtest_writel(qts, CLINT_MSIP, 1);
    assert_true(qtest_get_irq(qts, RV_IRQ_MSIP));
    assert_int_equal(qtest_readl(qts, CLINT_MSIP), 1);
    qtest_writel(qts, CLINT_MSIP, 0xfffffffe); /* only bit 0 counts */
    assert_false(qtest_get_irq(qts, RV_IRQ_MSIP));
    assert_int_equal(qtest_readl(qts, CLINT_MSIP), 0);
}

static void test_clint_second_hart_has_its_own_registers(void **state)
{
    restart(MACHINE " -smp 2");
    qtest_irq_intercept_in(qts, "/machine/soc0/harts[1]");
    qtest_writel(qts, CLINT_MSIP, 1); /* hart 0: not seen on hart 1 */
    assert_false(qtest_get_irq(qts, RV_IRQ_MSIP));
    qtest_writel(qts, CLINT_MSIP + 4, 1);
    assert_true(qtest_get_irq(qts, RV_IRQ_MSIP));
    qtest_writeq(qts, CLINT_MTIMECMP + 8, 3);
    assert_int_equal(qtest_clock_step_next(qts), 300);
    assert_true(qtest_get_irq(qts, RV_IRQ_MTIP));
}

/* ---- PLIC ----------------------------------------------------------------------------------- */

static void plic_raise(int source, int level)
{
    qtest_set_irq_in(qts, "/machine/unattached/device[2]", NULL, source, level);
}

static void test_plic_priorities_are_warl_modulo_8(void **state)
{
    qtest_writel(qts, PLIC_PRIORITY(1), 0xff);
    assert_int_equal(qtest_readl(qts, PLIC_PRIORITY(1)), 7);
    qtest_writel(qts, PLIC_PRIORITY(95), 9);
    assert_int_equal(qtest_readl(qts, PLIC_PRIORITY(95)), 1);
    qtest_writel(qts, PLIC_PRIORITY(0), 5);
    assert_int_equal(qtest_readl(qts, PLIC_PRIORITY(0)), 0);
    qtest_writel(qts, PLIC_THRESHOLD(0), 0xf);
    assert_int_equal(qtest_readl(qts, PLIC_THRESHOLD(0)), 7);
}

static void test_plic_pending_follows_the_input_level(void **state)
{
    plic_raise(10, 1);
    assert_int_equal(qtest_readl(qts, PLIC_PENDING), 1u << 10);
    plic_raise(40, 1);
    assert_int_equal(qtest_readl(qts, PLIC_PENDING + 4), 1u << 8);
    plic_raise(10, 0);
    assert_int_equal(qtest_readl(qts, PLIC_PENDING), 0);
    qtest_writel(qts, PLIC_PENDING, 0xffffffff); /* read-only */
    assert_int_equal(qtest_readl(qts, PLIC_PENDING), 0);
}

static void test_plic_threshold_masks_lower_priorities(void **state)
{
    qtest_irq_intercept_in(qts, HART0);
    qtest_writel(qts, PLIC_PRIORITY(10), 3);
    qtest_writel(qts, PLIC_ENABLE(0), 1u << 10);
    qtest_writel(qts, PLIC_THRESHOLD(0), 3);
    plic_raise(10, 1);
    assert_false(qtest_get_irq(qts, RV_IRQ_MEIP));
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 0);
    qtest_writel(qts, PLIC_THRESHOLD(0), 2);
    assert_true(qtest_get_irq(qts, RV_IRQ_MEIP));
    qtest_writel(qts, PLIC_ENABLE(0), 0); /* disabled: not claimable */
    assert_false(qtest_get_irq(qts, RV_IRQ_MEIP));
}

static void test_plic_claims_by_priority_then_lowest_id(void **state)
{
    const int sources[] = {5, 10, 11, 20}, priorities[] = {1, 3, 3, 2};

    qtest_irq_intercept_in(qts, HART0);
    for (int i = 0; i < 4; i++) {
        qtest_writel(qts, PLIC_PRIORITY(sources[i]), priorities[i]);
        plic_raise(sources[i], 1);
    }
    qtest_writel(qts, PLIC_ENABLE(0), (1u << 5) | (1u << 10) | (1u << 11) | (1u << 20));
    assert_true(qtest_get_irq(qts, RV_IRQ_MEIP));
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 10);
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 11);
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 20);
    assert_true(qtest_get_irq(qts, RV_IRQ_MEIP));
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 5);
    assert_false(qtest_get_irq(qts, RV_IRQ_MEIP));
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 0);
    assert_int_equal(qtest_readl(qts, PLIC_PENDING), 0); /* claiming cleared pending */
}

static void test_plic_claimed_source_waits_for_complete(void **state)
{
    qtest_irq_intercept_in(qts, HART0);
    qtest_writel(qts, PLIC_PRIORITY(10), 1);
    qtest_writel(qts, PLIC_ENABLE(0), 1u << 10);
    plic_raise(10, 1);
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 10);
    plic_raise(10, 1); /* pending again, but still claimed */
    assert_int_equal(qtest_readl(qts, PLIC_PENDING), 1u << 10);
    assert_false(qtest_get_irq(qts, RV_IRQ_MEIP));
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 0);
    qtest_writel(qts, PLIC_CLAIM(0), 10); /* complete */
    assert_true(qtest_get_irq(qts, RV_IRQ_MEIP));
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 10);
    qtest_writel(qts, PLIC_CLAIM(0), 10);
    assert_false(qtest_get_irq(qts, RV_IRQ_MEIP));
}

static void test_plic_s_context_drives_seip(void **state)
{
    qtest_irq_intercept_in(qts, HART0);
    qtest_writel(qts, PLIC_PRIORITY(11), 2);
    qtest_writel(qts, PLIC_ENABLE(1), 1u << 11);
    plic_raise(11, 1);
    assert_true(qtest_get_irq(qts, RV_IRQ_SEIP));
    assert_false(qtest_get_irq(qts, RV_IRQ_MEIP));
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 0); /* not enabled for M */
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(1)), 11);
    assert_false(qtest_get_irq(qts, RV_IRQ_SEIP));
}

/* ---- goldfish RTC --------------------------------------------------------------------------- */

static uint64_t rtc_now(void)
{
    uint64_t low = qtest_readl(qts, RTC_TIME_LOW); /* latches TIME_HIGH */

    return (uint64_t)qtest_readl(qts, RTC_TIME_HIGH) << 32 | low;
}

static void rtc_set_alarm(uint64_t ns)
{
    qtest_writel(qts, RTC_ALARM_HIGH, (uint32_t)(ns >> 32));
    qtest_writel(qts, RTC_ALARM_LOW, (uint32_t)ns); /* arms */
}

static void test_rtc_counts_from_2000_on_the_virtual_clock(void **state)
{
    assert_int_equal(rtc_now(), RTC_BASE_NS);
    qtest_clock_step(qts, 1234);
    assert_int_equal(rtc_now(), RTC_BASE_NS + 1234);
    /* Setting the time moves the offset; the clock goes on from there. */
    qtest_writel(qts, RTC_TIME_HIGH, 0);
    qtest_writel(qts, RTC_TIME_LOW, 1000);
    qtest_clock_step(qts, 10);
    assert_int_equal(rtc_now(), 1010);
}

static void test_rtc_alarm_fires_at_the_right_virtual_time(void **state)
{
    qtest_irq_intercept_out_named(qts, "/machine/rtc", "sysbus-irq");
    qtest_clock_set(qts, 100);
    qtest_writel(qts, RTC_IRQ_ENABLED, 1);
    rtc_set_alarm(RTC_BASE_NS + 100 + 5000);
    assert_int_equal(qtest_readl(qts, RTC_ALARM_STATUS), 1);
    assert_false(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_clock_step_next(qts), 5100);
    assert_true(qtest_get_irq(qts, 0));
    assert_int_equal(qtest_readl(qts, RTC_ALARM_STATUS), 0);
    qtest_writel(qts, RTC_CLEAR_IRQ, 1);
    assert_false(qtest_get_irq(qts, 0));
}

static void test_rtc_alarm_in_the_past_fires_at_once(void **state)
{
    qtest_irq_intercept_out_named(qts, "/machine/rtc", "sysbus-irq");
    qtest_clock_set(qts, 1000);
    rtc_set_alarm(RTC_BASE_NS + 10);
    assert_false(qtest_get_irq(qts, 0)); /* pending, but masked */
    qtest_writel(qts, RTC_IRQ_ENABLED, 1);
    assert_true(qtest_get_irq(qts, 0));
    qtest_writel(qts, RTC_IRQ_ENABLED, 0);
    assert_false(qtest_get_irq(qts, 0));
}

static void test_rtc_clear_alarm_disarms_it(void **state)
{
    char *reply;

    rtc_set_alarm(RTC_BASE_NS + 5000);
    qtest_writel(qts, RTC_CLEAR_ALARM, 1);
    assert_int_equal(qtest_readl(qts, RTC_ALARM_STATUS), 0);
    reply = qtest_cmd(qts, "clock_step\n");
    assert_string_equal(reply, "FAIL cannot advance clock to the next deadline because there is "
                               "no pending deadline");
    g_free(reply);
}

static void test_rtc_interrupt_is_plic_source_11(void **state)
{
    qtest_irq_intercept_in(qts, HART0);
    qtest_writel(qts, PLIC_PRIORITY(11), 1);
    qtest_writel(qts, PLIC_ENABLE(0), 1u << 11);
    qtest_writel(qts, RTC_IRQ_ENABLED, 1);
    rtc_set_alarm(RTC_BASE_NS + 700);
    assert_int_equal(qtest_clock_step_next(qts), 700);
    assert_true(qtest_get_irq(qts, RV_IRQ_MEIP));
    assert_int_equal(qtest_readl(qts, PLIC_CLAIM(0)), 11);
}

/* ---- sifive_test ---------------------------------------------------------------------------- */

static void test_sifive_test_fail_ends_the_run_with_its_code(void **state)
{
    qtest_writel(qts, SIFIVE_TEST, 0x00423333);
    assert_int_equal(qtest_wait_exit(qts, 10000), 0x42);
    qtest_set_expected_status(qts, 0x42);
}

static void test_sifive_test_pass_ends_the_run_with_0(void **state)
{
    qtest_writew(qts, SIFIVE_TEST, 0x5555);
    assert_int_equal(qtest_wait_exit(qts, 10000), 0);
}

static void test_sifive_test_reset_resets_the_devices(void **state)
{
    qtest_writeb(qts, UART_SCR, 0x5a);
    qtest_writel(qts, SIFIVE_TEST, 0x7777);
    /* The main loop acts on the request before the next command. */
    assert_int_equal(qtest_readb(qts, UART_SCR), 0);
    assert_int_equal(qtest_readl(qts, 0x1000), 0x297);
}

static void test_sifive_test_reads_zero_and_ignores_other_writes(void **state)
{
    assert_int_equal(qtest_readl(qts, SIFIVE_TEST), 0);
    qtest_writeb(qts, SIFIVE_TEST, 0x55);       /* byte writes are ignored */
    qtest_writel(qts, SIFIVE_TEST + 4, 0x5555); /* so are other offsets */
    qtest_writel(qts, SIFIVE_TEST, 0x1234);     /* and unknown status values */
    assert_int_equal(qtest_readl(qts, 0x1000), 0x297);
}

/* ---- fw_cfg --------------------------------------------------------------------------------- */

/*
 * The registers are big-endian and qtest stores values little-endian, so
 * numbers go in byte-swapped: "writew 0x10100008 0x1900" selects key 0x19.
 */
static void fw_cfg_select(uint16_t key)
{
    qtest_writew(qts, FW_CFG_CTL, GUINT16_SWAP_LE_BE(key));
}

static void fw_cfg_read(void *buf, size_t len)
{
    uint8_t *p = buf;

    for (size_t i = 0; i < len; i++) {
        p[i] = qtest_readb(qts, FW_CFG_DATA);
    }
}

static void test_fw_cfg_signature_and_id(void **state)
{
    char sig[5] = {0};

    fw_cfg_select(0x0000);
    assert_int_equal(qtest_readl(qts, FW_CFG_DATA), 0x554d4551); /* "QEMU" in memory order */
    fw_cfg_select(0x0000);
    qtest_memread(qts, FW_CFG_DATA, sig, 4);
    assert_string_equal(sig, "QEMU");
    assert_int_equal(qtest_readl(qts, FW_CFG_DATA), 0); /* past the end */
    fw_cfg_select(0x0001);
    assert_int_equal(qtest_readl(qts, FW_CFG_DATA), 3); /* traditional + DMA */
    assert_int_equal(qtest_readq(qts, FW_CFG_DMA), UINT64_C(0x47464320554d4551)); /* "QEMU CFG" */
    assert_int_equal(qtest_readw(qts, FW_CFG_CTL), 0);
}

static void test_fw_cfg_cpu_count(void **state)
{
    restart(MACHINE " -smp 3");
    fw_cfg_select(0x0005);
    assert_int_equal(qtest_readw(qts, FW_CFG_DATA), 3);
}

static void test_fw_cfg_file_directory(void **state)
{
    static const struct {
        const char *name;
        uint16_t key;
        uint32_t size;
    } files[] = {
        {"bios-geometry", 0x20, 0}, {"bootorder", 0x21, 0}, {"etc/boot-fail-wait", 0x22, 4}};
    uint8_t count[4], entry[64], value[4];

    fw_cfg_select(0x0019);
    fw_cfg_read(count, 4);
    assert_int_equal(load_be32(count), G_N_ELEMENTS(files));
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        fw_cfg_read(entry, sizeof(entry));
        assert_int_equal(load_be32(entry), files[i].size);
        assert_int_equal(load_be16(entry + 4), files[i].key);
        assert_string_equal((char *)entry + 8, files[i].name);
    }
    fw_cfg_select(0x0022);
    fw_cfg_read(value, 4);
    assert_int_equal(load_be32(value), 0xffffffff);
}

/* Writes a DMA descriptor at desc and starts it; returns the control word written back. */
static uint32_t fw_cfg_dma(uint64_t desc, uint32_t control, uint32_t len, uint64_t addr)
{
    uint8_t d[16];

    for (int i = 0; i < 4; i++) {
        d[i] = (uint8_t)(control >> (24 - 8 * i));
        d[4 + i] = (uint8_t)(len >> (24 - 8 * i));
    }
    for (int i = 0; i < 8; i++) {
        d[8 + i] = (uint8_t)(addr >> (56 - 8 * i));
    }
    qtest_memwrite(qts, desc, d, sizeof(d));
    qtest_writel(qts, FW_CFG_DMA, GUINT32_SWAP_LE_BE((uint32_t)(desc >> 32)));
    qtest_writel(qts, FW_CFG_DMA + 4, GUINT32_SWAP_LE_BE((uint32_t)desc)); /* starts it */
    qtest_memread(qts, desc, d, 4);
    return load_be32(d);
}

static void test_fw_cfg_dma_reads_an_item_into_ram(void **state)
{
    char buf[8] = {0};

    /* SELECT key 0 | READ 4 bytes to 0x80002000. */
    assert_int_equal(fw_cfg_dma(0x80001000, 0x0000000a, 4, 0x80002000), 0);
    qtest_memread(qts, 0x80002000, buf, 4);
    assert_string_equal(buf, "QEMU");
    /* SELECT the boot-fail-wait file and SKIP 2, then READ 2. */
    qtest_memset(qts, 0x80002000, 0, 8);
    assert_int_equal(fw_cfg_dma(0x80001000, 0x0022000c, 2, 0x80002000), 0);
    assert_int_equal(fw_cfg_dma(0x80001000, 0x00000002, 2, 0x80002000), 0);
    qtest_memread(qts, 0x80002000, buf, 4);
    assert_int_equal((uint8_t)buf[0], 0xff);
    assert_int_equal((uint8_t)buf[1], 0xff);
    assert_int_equal(buf[2], 0);
}

static void test_fw_cfg_dma_write_is_an_error(void **state)
{
    uint32_t control = fw_cfg_dma(0x80001000, 0x00220018, 4, 0x80002000);

    assert_true(control & 0x01);
}

static void test_fw_cfg_dma_with_one_8_byte_write(void **state)
{
    uint8_t d[16] = {0, 0, 0, 0x0a, 0, 0, 0, 4, 0, 0, 0, 0, 0x80, 0, 0x20, 0};
    char buf[5] = {0};

    qtest_memwrite(qts, 0x80001000, d, sizeof(d));
    qtest_writeq(qts, FW_CFG_DMA, GUINT64_SWAP_LE_BE(UINT64_C(0x80001000)));
    qtest_memread(qts, 0x80002000, buf, 4);
    assert_string_equal(buf, "QEMU");
}

int main(void)
{
#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_uart_resets_to_16550_defaults),
        TEST(test_uart_scratch_and_divisor_latch),
        TEST(test_uart_loopback_echoes_bytes),
        TEST(test_uart_fifo_holds_16_bytes_then_overruns),
        TEST(test_uart_irq_rx_data),
        TEST(test_uart_irq_rx_data_at_the_fifo_trigger_level),
        TEST(test_uart_irq_thr_empty),
        TEST(test_uart_irq_line_status),
        TEST(test_uart_irq_char_timeout_after_four_character_times),
        TEST(test_uart_irq_reaches_the_hart_through_the_plic),
        TEST(test_clint_mtime_follows_the_virtual_clock),
        TEST(test_clint_mtime_write_moves_the_count),
        TEST(test_clint_timer_interrupt_at_mtimecmp),
        TEST(test_clint_software_interrupt),
        TEST(test_clint_second_hart_has_its_own_registers),
        TEST(test_plic_priorities_are_warl_modulo_8),
        TEST(test_plic_pending_follows_the_input_level),
        TEST(test_plic_threshold_masks_lower_priorities),
        TEST(test_plic_claims_by_priority_then_lowest_id),
        TEST(test_plic_claimed_source_waits_for_complete),
        TEST(test_plic_s_context_drives_seip),
        TEST(test_rtc_counts_from_2000_on_the_virtual_clock),
        TEST(test_rtc_alarm_fires_at_the_right_virtual_time),
        TEST(test_rtc_alarm_in_the_past_fires_at_once),
        TEST(test_rtc_clear_alarm_disarms_it),
        TEST(test_rtc_interrupt_is_plic_source_11),
        TEST(test_sifive_test_fail_ends_the_run_with_its_code),
        TEST(test_sifive_test_pass_ends_the_run_with_0),
        TEST(test_sifive_test_reset_resets_the_devices),
        TEST(test_sifive_test_reads_zero_and_ignores_other_writes),
        TEST(test_fw_cfg_signature_and_id),
        TEST(test_fw_cfg_cpu_count),
        TEST(test_fw_cfg_file_directory),
        TEST(test_fw_cfg_dma_reads_an_item_into_ram),
        TEST(test_fw_cfg_dma_write_is_an_error),
        TEST(test_fw_cfg_dma_with_one_8_byte_write),
        TEST(test_uart_irq_modem_status_in_process),
    };
#undef TEST
    /* No protocol command moves a modem input line: the last test runs in-process only. */
    const char *transport = getenv("TERN_QTEST_TRANSPORT");
    bool inproc = transport && !strcmp(transport, "inproc");

    return _cmocka_run_group_tests("devices", tests, G_N_ELEMENTS(tests) - !inproc, NULL, NULL);
}
