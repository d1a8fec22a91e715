/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-goldfish-rtc.c - the Goldfish RTC register by register (virt spec
 * §8): the date from base-ns plus virtual time, the TIME_HIGH latch, setting
 * the time, the alarm on the virtual clock to the nanosecond, interrupt
 * gating and clearing, reset, refused access widths, snapshot round trips
 * and the device-tree node.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <libfdt.h>

#include "core/log.h"
#include "core/module.h"
#include "hw/fdt.h"
#include "hw/goldfish_rtc.h"
#include "tests/support/fdt-test.h"
#include "tests/support/hwtest.h"
#include "tests/support/log-capture.h"
#include "tests/support/vmstate-test.h"

#define RTC_BASE 0x101000
#define REG(r)   (RTC_BASE + GOLDFISH_RTC_##r)
#define BASE_NS  ((uint64_t)GOLDFISH_RTC_DEFAULT_BASE_NS)

static HwTest *t;

/* Creates the RTC with the given properties (NULL: default) and realizes it at 0x101000. */
static GoldfishRTCState *rtc_start(const char *base_ns, const char *clock)
{
    DeviceState *dev;

    t = hwtest_new();
    dev = hwtest_create(t, TYPE_GOLDFISH_RTC);
    if (base_ns) {
        assert_true(object_property_parse(OBJECT(dev), "base-ns", base_ns, NULL));
    }
    if (clock) {
        assert_true(object_property_parse(OBJECT(dev), "clock", clock, NULL));
    }
    hwtest_realize_at(t, RTC_BASE);
    return GOLDFISH_RTC(dev);
}

static int setup_default(void **state)
{
    rtc_start(NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    if (t) {
        hwtest_free(t);
        t = NULL;
    }
    logcapture_cancel();
    return 0;
}

static uint64_t read_time(void)
{
    uint64_t lo = hwtest_readl(REG(TIME_LOW));

    return hwtest_readl(REG(TIME_HIGH)) << 32 | lo;
}

/* ALARM_HIGH first, then ALARM_LOW (which arms), as a driver does. */
static void set_alarm(uint64_t when)
{
    hwtest_writel(REG(ALARM_HIGH), when >> 32);
    hwtest_writel(REG(ALARM_LOW), (uint32_t)when);
}

static int irq(void)
{
    return t->irq_level[0];
}

/* ---- reset values and the region --------------------------------------------------------- */

static void test_registers_after_realize_are_zero(void **state)
{
    assert_int_equal(hwtest_readl(REG(ALARM_LOW)), 0);
    assert_int_equal(hwtest_readl(REG(ALARM_HIGH)), 0);
    assert_int_equal(hwtest_readl(REG(IRQ_ENABLED)), 0);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 0);
    assert_int_equal(irq(), 0);
}

static void test_region_is_named_goldfish_rtc_and_0x24_bytes(void **state)
{
    MemoryRegion *mr = sysbus_mmio_get_region(SYS_BUS_DEVICE(t->dev), 0);

    assert_string_equal(memory_region_name(mr), "goldfish_rtc");
    assert_int_equal(memory_region_size(mr), 0x24);
    assert_int_equal(SYS_BUS_DEVICE(t->dev)->num_irq, 1);
}

static void test_time_high_latch_starts_at_zero(void **state)
{
    assert_int_equal(hwtest_readl(REG(TIME_HIGH)), 0);
}

/* ---- time ----------------------------------------------------------------------------- */

static void test_time_at_virtual_zero_is_2000_01_01(void **state)
{
    assert_int_equal(read_time(), UINT64_C(946684800000000000));
}

static void test_time_is_base_plus_virtual_time(void **state)
{
    hwtest_clock_step(123456789);
    assert_int_equal(read_time(), BASE_NS + 123456789);
}

static void test_base_ns_property_sets_the_date(void **state)
{
    teardown(state);
    rtc_start("1700000000000000000", NULL);
    hwtest_clock_step(5);
    assert_int_equal(read_time(), UINT64_C(1700000000000000005));
}

static void test_time_low_read_latches_time_high(void **state)
{
    uint32_t high0;

    hwtest_readl(REG(TIME_LOW));
    high0 = hwtest_readl(REG(TIME_HIGH));
    assert_int_equal(high0, BASE_NS >> 32);
    /* 2^32 ns later the high word has moved, but TIME_HIGH still shows the latch... */
    hwtest_clock_step(INT64_C(1) << 32);
    assert_int_equal(hwtest_readl(REG(TIME_HIGH)), high0);
    /* ...until TIME_LOW is read again. */
    hwtest_readl(REG(TIME_LOW));
    assert_int_equal(hwtest_readl(REG(TIME_HIGH)), high0 + 1);
}

static void test_time_low_and_high_read_one_consistent_instant(void **state)
{
    /* Just before the low word wraps: the latched high word goes with that low word. */
    uint64_t to_wrap = UINT64_C(0x100000000) - (uint32_t)BASE_NS - 1;

    hwtest_clock_step((int64_t)to_wrap);
    assert_int_equal(hwtest_readl(REG(TIME_LOW)), 0xffffffff);
    hwtest_clock_step(1);
    assert_int_equal(hwtest_readl(REG(TIME_HIGH)), BASE_NS >> 32);
}

static void test_writing_time_low_replaces_the_low_word(void **state)
{
    hwtest_writel(REG(TIME_LOW), 0x1000);
    assert_int_equal(read_time(), (BASE_NS & ~UINT64_C(0xffffffff)) | 0x1000);
}

static void test_writing_time_high_replaces_the_high_word(void **state)
{
    hwtest_writel(REG(TIME_HIGH), 0x12345678);
    assert_int_equal(read_time(), UINT64_C(0x12345678) << 32 | (uint32_t)BASE_NS);
}

static void test_set_time_keeps_running_with_virtual_time(void **state)
{
    hwtest_writel(REG(TIME_HIGH), 0x1);
    hwtest_writel(REG(TIME_LOW), 0x0);
    hwtest_clock_step(1000);
    assert_int_equal(read_time(), UINT64_C(0x100000000) + 1000);
}

/* ---- the alarm ------------------------------------------------------------------------- */

static void test_alarm_fires_at_exactly_its_virtual_time(void **state)
{
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(BASE_NS + 1000);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 1);
    hwtest_clock_step(999);
    assert_int_equal(irq(), 0);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 1);
    hwtest_clock_step(1);
    assert_int_equal(irq(), 1);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 0);
}

static void test_alarm_registers_read_back(void **state)
{
    set_alarm(UINT64_C(0x0123456789abcdef));
    assert_int_equal(hwtest_readl(REG(ALARM_LOW)), 0x89abcdef);
    assert_int_equal(hwtest_readl(REG(ALARM_HIGH)), 0x01234567);
}

static void test_alarm_high_write_alone_does_not_arm(void **state)
{
    hwtest_writel(REG(ALARM_HIGH), (BASE_NS >> 32) + 1);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
}

static void test_alarm_in_the_past_fires_at_once(void **state)
{
    hwtest_writel(REG(IRQ_ENABLED), 1);
    hwtest_clock_step(50);
    set_alarm(BASE_NS + 10);
    assert_int_equal(irq(), 1);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
}

static void test_alarm_at_the_current_time_fires_at_once(void **state)
{
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(BASE_NS);
    assert_int_equal(irq(), 1);
}

static void test_alarm_follows_a_set_time(void **state)
{
    /* The date moves 1 s back: an alarm 1 s after the old date is now 2 s away. */
    hwtest_writel(REG(IRQ_ENABLED), 1);
    hwtest_writel(REG(TIME_HIGH), (BASE_NS - NANOSECONDS_PER_SECOND) >> 32);
    hwtest_writel(REG(TIME_LOW), (uint32_t)(BASE_NS - NANOSECONDS_PER_SECOND));
    set_alarm(BASE_NS + NANOSECONDS_PER_SECOND);
    hwtest_clock_step(1999999999);
    assert_int_equal(irq(), 0);
    hwtest_clock_step(1);
    assert_int_equal(irq(), 1);
}

static void test_rearming_replaces_the_pending_alarm(void **state)
{
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(BASE_NS + 1000);
    set_alarm(BASE_NS + 500);
    hwtest_clock_step(500);
    assert_int_equal(irq(), 1);
    hwtest_writel(REG(CLEAR_INTERRUPT), 1);
    hwtest_clock_step(1000);
    assert_int_equal(irq(), 0); /* the first deadline is gone */
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
}

static void test_alarm_centuries_away_saturates(void **state)
{
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(UINT64_MAX);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 1);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), INT64_MAX);
    hwtest_clock_step(INT64_C(1) << 40);
    assert_int_equal(irq(), 0);
}

/* ---- the date and the alarm at the limits (docs/time.md) ------------------------------------- */

static void test_alarm_past_the_end_of_time_fires_at_the_end(void **state)
{
    clock_advance_virtual_to(INT64_MAX - 10);
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(read_time() + 100); /* 90 ns after the end of virtual time */
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) == INT64_MAX);
    hwtest_clock_step(9);
    assert_int_equal(irq(), 0);
    hwtest_clock_step(1);
    assert_int_equal(irq(), 1);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 0);
}

static void test_time_register_wraps_at_2_to_the_64(void **state)
{
    hwtest_writel(REG(TIME_HIGH), 0xffffffff);
    hwtest_writel(REG(TIME_LOW), 0xfffffff0);
    assert_true(read_time() == UINT64_MAX - 15);
    hwtest_clock_step(20);
    assert_true(read_time() == 4);
}

static void test_largest_base_at_the_end_of_time(void **state)
{
    teardown(state);
    rtc_start("9223372036854775807", NULL);
    clock_advance_virtual_to(INT64_MAX);
    assert_true(read_time() == UINT64_MAX - 1);
}

static void test_negative_base_ns_wraps_to_the_top(void **state)
{
    teardown(state);
    rtc_start("-1", NULL);
    assert_true(read_time() == UINT64_MAX);
    hwtest_clock_step(10);
    assert_true(read_time() == 9);
}

static void test_alarm_set_at_the_end_of_time_for_later_fires_at_once_there(void **state)
{
    clock_advance_virtual_to(INT64_MAX);
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(read_time() + 1);
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) == INT64_MAX); /* due now */
    assert_true(clock_run_timers(CLOCK_VIRTUAL));
    assert_int_equal(irq(), 1);
}

/* ---- interrupt ----------------------------------------------------------------------------- */

static void test_irq_enabled_reads_back_bit_0_only(void **state)
{
    hwtest_writel(REG(IRQ_ENABLED), 0xffffffff);
    assert_int_equal(hwtest_readl(REG(IRQ_ENABLED)), 1);
    hwtest_writel(REG(IRQ_ENABLED), 0xfffffffe);
    assert_int_equal(hwtest_readl(REG(IRQ_ENABLED)), 0);
}

static void test_fired_alarm_raises_irq_only_when_enabled(void **state)
{
    set_alarm(BASE_NS);
    assert_int_equal(irq(), 0);
    hwtest_writel(REG(IRQ_ENABLED), 1);
    assert_int_equal(irq(), 1);
    hwtest_writel(REG(IRQ_ENABLED), 0);
    assert_int_equal(irq(), 0);
}

static void test_clear_interrupt_lowers_the_line(void **state)
{
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(BASE_NS);
    assert_int_equal(irq(), 1);
    hwtest_writel(REG(CLEAR_INTERRUPT), 0);
    assert_int_equal(irq(), 0);
    /* The pending bit is gone: enabling again does not bring the line back. */
    hwtest_writel(REG(IRQ_ENABLED), 0);
    hwtest_writel(REG(IRQ_ENABLED), 1);
    assert_int_equal(irq(), 0);
}

static void test_clear_alarm_cancels_the_pending_alarm(void **state)
{
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(BASE_NS + 100);
    hwtest_writel(REG(CLEAR_ALARM), 1);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 0);
    hwtest_clock_step(1000);
    assert_int_equal(irq(), 0);
}

static void test_clear_alarm_leaves_a_fired_interrupt_pending(void **state)
{
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(BASE_NS);
    hwtest_writel(REG(CLEAR_ALARM), 1);
    assert_int_equal(irq(), 1);
}

/* ---- reset ------------------------------------------------------------------------------- */

static void test_reset_clears_alarm_and_interrupt_but_keeps_the_time(void **state)
{
    hwtest_writel(REG(TIME_HIGH), 0x42);
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(read_time());           /* fires: pending, line high */
    set_alarm(read_time() + 1000000); /* and armed again */
    assert_int_equal(irq(), 1);

    device_cold_reset(t->dev);
    assert_int_equal(irq(), 0);
    assert_int_equal(hwtest_readl(REG(IRQ_ENABLED)), 0);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 0);
    assert_int_equal(hwtest_readl(REG(ALARM_LOW)), 0);
    assert_int_equal(hwtest_readl(REG(ALARM_HIGH)), 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
    assert_int_equal(read_time() >> 32, 0x42);
}

/* ---- malformed accesses ------------------------------------------------------------------- */

static void test_narrow_and_wide_reads_return_zero(void **state)
{
    hwtest_writel(REG(IRQ_ENABLED), 1);
    assert_int_equal(hwtest_readb(REG(IRQ_ENABLED)), 0);
    assert_int_equal(hwtest_readw(REG(IRQ_ENABLED)), 0);
    assert_int_equal(hwtest_readq(REG(TIME_LOW)), 0);
}

static void test_narrow_and_wide_writes_are_ignored(void **state)
{
    hwtest_writeb(REG(IRQ_ENABLED), 1);
    hwtest_writew(REG(IRQ_ENABLED), 1);
    hwtest_writeq(REG(ALARM_LOW), 1);
    assert_int_equal(hwtest_readl(REG(IRQ_ENABLED)), 0);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 0);
    assert_int_equal(irq(), 0);
}

static void test_bad_width_is_logged_as_guest_error(void **state)
{
    char *text;

    logcapture_begin();
    hwtest_writeb(REG(IRQ_ENABLED), 1);
    text = logcapture_end();
    assert_non_null(strstr(text, "goldfish_rtc"));
    g_free(text);
}

static void test_write_only_and_unknown_offsets_read_zero_and_log(void **state)
{
    char *text;

    logcapture_begin();
    assert_int_equal(hwtest_readl(REG(CLEAR_ALARM)), 0);
    assert_int_equal(hwtest_readl(REG(CLEAR_INTERRUPT)), 0);
    assert_int_equal(hwtest_readl(RTC_BASE + 0x20), 0);
    text = logcapture_end();
    assert_non_null(strstr(text, "goldfish_rtc: read of write-only or unknown offset 0x20"));
    g_free(text);
}

static void test_writes_to_alarm_status_and_unknown_offsets_are_ignored(void **state)
{
    hwtest_writel(REG(ALARM_STATUS), 1);
    hwtest_writel(RTC_BASE + 0x20, 0xffffffff);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 0);
    assert_int_equal(read_time(), BASE_NS);
}

static void test_unaligned_access_is_refused(void **state)
{
    hwtest_writel(REG(IRQ_ENABLED) + 2, 1);
    assert_int_equal(hwtest_readl(REG(IRQ_ENABLED)), 0);
    assert_int_equal(hwtest_readl(REG(TIME_LOW) + 1), 0);
}

/* ---- snapshots ----------------------------------------------------------------------------- */

static void test_vmstate_restores_a_pending_alarm_timer(void **state)
{
    GByteArray *saved;

    hwtest_writel(REG(TIME_HIGH), 0x7);
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(read_time() + 1000);
    saved = vmstate_test_save_dev(t->dev);

    device_cold_reset(t->dev);
    hwtest_writel(REG(TIME_HIGH), 0x9);
    vmstate_test_restore_dev(t->dev, saved);

    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 1);
    assert_int_equal(hwtest_readl(REG(IRQ_ENABLED)), 1);
    assert_int_equal(read_time() >> 32, 0x7);
    hwtest_clock_step(999);
    assert_int_equal(irq(), 0);
    hwtest_clock_step(1);
    assert_int_equal(irq(), 1);
}

static void test_vmstate_restores_a_cancelled_alarm_as_cancelled(void **state)
{
    GByteArray *saved = vmstate_test_save_dev(t->dev);

    set_alarm(BASE_NS + 100);
    vmstate_test_restore_dev(t->dev, saved);
    assert_int_equal(hwtest_readl(REG(ALARM_STATUS)), 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
}

static void test_vmstate_load_recomputes_the_irq_line(void **state)
{
    GByteArray *saved;

    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(BASE_NS);
    saved = vmstate_test_save_dev(t->dev);
    hwtest_writel(REG(CLEAR_INTERRUPT), 1);
    assert_int_equal(irq(), 0);
    vmstate_test_restore_dev(t->dev, saved);
    assert_int_equal(irq(), 1);
}

static void test_vmstate_lists_every_guest_visible_field(void **state)
{
    /* tick_offset, alarm_next (8 each), four u32 registers, the timer's deadline. */
    assert_int_equal(vmstate_size(DEVICE_GET_CLASS(t->dev)->vmsd), 8 + 8 + 4 * 4 + 8);
}

/* ---- time sources -------------------------------------------------------------------------- */

static void test_host_clock_runs_from_base_at_realize(void **state)
{
    uint64_t now;

    teardown(state);
    rtc_start("1000000000000000000", "host");
    now = read_time();
    assert_true(now >= UINT64_C(1000000000000000000));
    assert_true(now < UINT64_C(1000000000000000000) + UINT64_C(60000000000));
}

static void test_host_clock_alarm_runs_on_the_virtual_clock(void **state)
{
    teardown(state);
    rtc_start(NULL, "host");
    hwtest_writel(REG(IRQ_ENABLED), 1);
    set_alarm(read_time() + NANOSECONDS_PER_SECOND);
    /* Host time passing does not fire it; the deadline is in virtual ns, about 1 s away. */
    g_usleep(2000);
    clock_run_timers(CLOCK_VIRTUAL);
    assert_int_equal(irq(), 0);
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) <= NANOSECONDS_PER_SECOND);
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) > 900000000);
    hwtest_clock_step(NANOSECONDS_PER_SECOND);
    assert_int_equal(irq(), 1);
}

static void test_unknown_clock_refuses_realize(void **state)
{
    DeviceState *dev;
    Error *err = NULL;

    teardown(state);
    t = hwtest_new();
    dev = hwtest_create(t, TYPE_GOLDFISH_RTC);
    assert_true(object_property_parse(OBJECT(dev), "clock", "sundial", NULL));
    assert_false(qdev_realize(dev, &err));
    assert_non_null(err);
    error_free(err);
}

/* ---- device tree --------------------------------------------------------------------------- */

static void test_fdt_node_matches_qemu_virt(void **state)
{
    const char *node = "/soc/rtc@101000";
    DtContext dt;

    /* Wired to source 11 of a PLIC whose node has phandle 3. */
    fdt_test_write_node_on_plic(&dt, t->dev, 11, 3);
    fdt_test_assert_string(dt.fdt, node, "compatible", "google,goldfish-rtc");
    fdt_test_assert_reg(dt.fdt, node, 0x101000, 0x1000);
    fdt_test_assert_interrupt(dt.fdt, node, 11, 3);
    dt_free(&dt);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_default, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_registers_after_realize_are_zero),
        T(test_region_is_named_goldfish_rtc_and_0x24_bytes),
        T(test_time_high_latch_starts_at_zero),
        T(test_time_at_virtual_zero_is_2000_01_01),
        T(test_time_is_base_plus_virtual_time),
        T(test_base_ns_property_sets_the_date),
        T(test_time_low_read_latches_time_high),
        T(test_time_low_and_high_read_one_consistent_instant),
        T(test_writing_time_low_replaces_the_low_word),
        T(test_writing_time_high_replaces_the_high_word),
        T(test_set_time_keeps_running_with_virtual_time),
        T(test_alarm_fires_at_exactly_its_virtual_time),
        T(test_alarm_registers_read_back),
        T(test_alarm_high_write_alone_does_not_arm),
        T(test_alarm_in_the_past_fires_at_once),
        T(test_alarm_at_the_current_time_fires_at_once),
        T(test_alarm_follows_a_set_time),
        T(test_rearming_replaces_the_pending_alarm),
        T(test_alarm_centuries_away_saturates),
        T(test_alarm_past_the_end_of_time_fires_at_the_end),
        T(test_time_register_wraps_at_2_to_the_64),
        T(test_largest_base_at_the_end_of_time),
        T(test_negative_base_ns_wraps_to_the_top),
        T(test_alarm_set_at_the_end_of_time_for_later_fires_at_once_there),
        T(test_irq_enabled_reads_back_bit_0_only),
        T(test_fired_alarm_raises_irq_only_when_enabled),
        T(test_clear_interrupt_lowers_the_line),
        T(test_clear_alarm_cancels_the_pending_alarm),
        T(test_clear_alarm_leaves_a_fired_interrupt_pending),
        T(test_reset_clears_alarm_and_interrupt_but_keeps_the_time),
        T(test_narrow_and_wide_reads_return_zero),
        T(test_narrow_and_wide_writes_are_ignored),
        T(test_bad_width_is_logged_as_guest_error),
        T(test_write_only_and_unknown_offsets_read_zero_and_log),
        T(test_writes_to_alarm_status_and_unknown_offsets_are_ignored),
        T(test_unaligned_access_is_refused),
        T(test_vmstate_restores_a_pending_alarm_timer),
        T(test_vmstate_restores_a_cancelled_alarm_as_cancelled),
        T(test_vmstate_load_recomputes_the_irq_line),
        T(test_vmstate_lists_every_guest_visible_field),
        T(test_host_clock_runs_from_base_at_realize),
        T(test_host_clock_alarm_runs_on_the_virtual_clock),
        T(test_unknown_clock_refuses_realize),
        T(test_fdt_node_matches_qemu_virt),
    };

    module_call_init(MODULE_INIT_QOM);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
