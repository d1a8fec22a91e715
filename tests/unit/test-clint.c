/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-clint.c - the ACLINT devices of the virt machine, register by
 * register: "riscv.aclint.swi" (msip, and setssip with sswi=1) and
 * "riscv.aclint.mtimer" (mtime at 10 MHz of virtual time, mtimecmp and the
 * MTIP timing), reset values, bad widths and harts, saved state, and their
 * device-tree nodes.
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
#include "cpu/hart.h"
#include "hw/clint.h"
#include "hw/fdt.h"
#include "tests/support/fdt-test.h"
#include "tests/support/hwtest.h"
#include "tests/support/log-capture.h"
#include "tests/support/vmstate-test.h"

#define SWI_BASE    0x2000000
#define MTIMER_BASE 0x2004000
#define MTIME       (MTIMER_BASE + CLINT_MTIME_OFFSET)
#define MTIMECMP(h) (MTIMER_BASE + 8 * (h))
#define MSIP(h)     (SWI_BASE + 4 * (h))

static HwTest *t;

/* ---- helpers ----------------------------------------------------------------------- */

/*
 * Creates type with the given properties (NULL-terminated name, value
 * pairs), realizes and maps it at base, connects GPIO out[h] to recorder h,
 * resets it, and forgets the line changes reset made.
 */
static DeviceState *make_device(const char *type, hwaddr base, uint32_t harts, ...)
{
    char *n = g_strdup_printf("%u", harts);
    va_list ap;

    t = hwtest_new();
    hwtest_create(t, type);
    hwtest_set_prop(t->dev, "num-harts", n);
    g_free(n);
    va_start(ap, harts);
    hwtest_set_props_v(t->dev, ap);
    va_end(ap);
    hwtest_ready(t, base, harts);
    return t->dev;
}

static DeviceState *make_swi(uint32_t harts)
{
    return make_device(TYPE_CLINT_SWI, SWI_BASE, harts, NULL);
}

static DeviceState *make_mtimer(uint32_t harts)
{
    return make_device(TYPE_CLINT_MTIMER, MTIMER_BASE, harts, NULL);
}

/* Realizing type with one property set fails. */
static void assert_realize_fails(const char *type, const char *prop, const char *value)
{
    t = hwtest_realize_fails(type, prop, value);
}

static int teardown(void **state)
{
    if (t) {
        hwtest_free(t);
        t = NULL;
    }
    logcapture_cancel();
    log_reset();
    return 0;
}

/* A hart under the root (freed with the device), declared dt's interrupt controller with phandle.
 */
static RVHart *add_fdt_hart(DtContext *dt, int h, uint32_t phandle)
{
    DeviceState *hart = qdev_new(TYPE_RISCV_CPU_RV64);
    char *name = g_strdup_printf("fdt-hart[%d]", h);

    object_property_add_child(object_get_root(), name, OBJECT(hart));
    object_unref(OBJECT(hart));
    g_free(name);
    dt_set_interrupt_controller(dt, hart, phandle);
    return RV_HART(hart);
}

/* Connects output h of dev (harts from hartid_base) to input irq of harts[hartid_base + h]. */
static void wire_to_harts(DeviceState *dev, RVHart **harts, uint32_t hartid_base,
                          uint32_t num_harts, int irq)
{
    for (uint32_t h = 0; h < num_harts; h++) {
        sysbus_connect_gpio_out(SYS_BUS_DEVICE(dev), h,
                                rv_hart_irq_in(harts[hartid_base + h], irq));
    }
}

/*
 * A tree with /soc and dev's node in it; dev's lines wired as the board
 * wires them, to four harts whose interrupt controllers have phandles 2, 5,
 * 8, 11.  An MSWI without aclint gets an MTIMER beside it (its "mtimer"
 * link), wired too, as the CLINT node lists both.
 */
static void write_fdt(DeviceState *dev, DtContext *dt)
{
    RVHart *harts[4];
    char *soc;

    dt_init(dt);
    soc = dt_add_node(dt, "/", "soc", (uint64_t)-1);
    g_free(soc);
    for (int h = 0; h < 4; h++) {
        harts[h] = add_fdt_hart(dt, h, 2 + 3 * h);
    }
    if (object_dynamic_cast(OBJECT(dev), TYPE_CLINT_SWI)) {
        ClintSwiState *swi = CLINT_SWI(dev);

        wire_to_harts(dev, harts, swi->hartid_base, swi->num_harts,
                      swi->sswi ? RV_IRQ_SSIP : RV_IRQ_MSIP);
        if (!swi->aclint) {
            DeviceState *mtimer = qdev_new(TYPE_CLINT_MTIMER);

            object_property_add_child(object_get_root(), "fdt-mtimer", OBJECT(mtimer));
            object_unref(OBJECT(mtimer));
            assert_true(
                object_property_set_uint(OBJECT(mtimer), "num-harts", swi->num_harts, NULL));
            assert_true(
                object_property_set_uint(OBJECT(mtimer), "hartid-base", swi->hartid_base, NULL));
            assert_true(qdev_realize(mtimer, NULL));
            wire_to_harts(mtimer, harts, swi->hartid_base, swi->num_harts, RV_IRQ_MTIP);
            assert_true(object_property_set_link(OBJECT(dev), "mtimer", OBJECT(mtimer), NULL));
        }
    } else {
        ClintMtimerState *mtimer = CLINT_MTIMER(dev);

        wire_to_harts(dev, harts, mtimer->hartid_base, mtimer->num_harts, RV_IRQ_MTIP);
    }
    SYS_BUS_DEVICE_GET_CLASS(dev)->fdt_node(SYS_BUS_DEVICE(dev), dt);
}

/* ==== riscv.aclint.swi ============================================================= */

static void test_swi_msip_reads_zero_after_reset(void **state)
{
    make_swi(2);
    assert_int_equal(hwtest_readl(MSIP(0)), 0);
    assert_int_equal(hwtest_readl(MSIP(1)), 0);
    assert_int_equal(t->irq_level[0], 0);
    assert_int_equal(t->irq_level[1], 0);
}

static void test_swi_msip_write_one_raises_that_harts_line(void **state)
{
    make_swi(2);
    hwtest_writel(MSIP(1), 1);
    assert_int_equal(hwtest_readl(MSIP(1)), 1);
    assert_int_equal(t->irq_level[1], 1);
    assert_int_equal(t->irq_changes[1], 1);
    assert_int_equal(hwtest_readl(MSIP(0)), 0);
    assert_int_equal(t->irq_changes[0], 0);
}

static void test_swi_msip_write_zero_lowers_the_line(void **state)
{
    make_swi(1);
    hwtest_writel(MSIP(0), 1);
    hwtest_writel(MSIP(0), 0);
    assert_int_equal(hwtest_readl(MSIP(0)), 0);
    assert_int_equal(t->irq_level[0], 0);
}

static void test_swi_msip_keeps_only_bit_0(void **state)
{
    make_swi(1);
    hwtest_writel(MSIP(0), 0xfffffffe);
    assert_int_equal(hwtest_readl(MSIP(0)), 0);
    assert_int_equal(t->irq_level[0], 0);
    hwtest_writel(MSIP(0), 0xffffffff);
    assert_int_equal(hwtest_readl(MSIP(0)), 1);
    assert_int_equal(t->irq_level[0], 1);
}

static void test_swi_reset_clears_msip_and_lowers_lines(void **state)
{
    DeviceState *dev = make_swi(2);

    hwtest_writel(MSIP(0), 1);
    hwtest_writel(MSIP(1), 1);
    device_cold_reset(dev);
    assert_int_equal(hwtest_readl(MSIP(0)), 0);
    assert_int_equal(hwtest_readl(MSIP(1)), 0);
    assert_int_equal(t->irq_level[0], 0);
    assert_int_equal(t->irq_level[1], 0);
}

static void test_swi_other_widths_read_zero_and_are_ignored(void **state)
{
    make_swi(1);
    hwtest_writel(MSIP(0), 1);
    hwtest_assert_ignored_widths(MSIP(0), 4, 1 | 2 | 8);
    assert_int_equal(hwtest_readl(MSIP(0)), 1);
    assert_int_equal(t->irq_changes[0], 1);
}

static void test_swi_msip_of_missing_hart_reads_zero_and_logs(void **state)
{
    make_swi(1);
    logcapture_begin();
    assert_int_equal(hwtest_readl(MSIP(1)), 0);
    logcapture_assert_contains(logcapture_end(), "aclint-swi: invalid read at 0x4");
}

static void test_swi_msip_write_to_missing_hart_is_ignored_and_logged(void **state)
{
    make_swi(1);
    logcapture_begin();
    hwtest_writel(MSIP(1), 1);
    hwtest_writel(SWI_BASE + CLINT_SWI_SIZE - 4, 1);
    logcapture_assert_contains(logcapture_end(), "aclint-swi: invalid write at 0x3ffc");
    assert_int_equal(t->irq_changes[0], 0);
    assert_int_equal(t->irq_changes[1], 0);
}

static void test_swi_sswi_write_one_raises_ssip_and_reads_zero(void **state)
{
    make_device(TYPE_CLINT_SWI, 0x2f00000, 1, "sswi", "1", NULL);
    hwtest_writel(0x2f00000, 1);
    assert_int_equal(t->irq_level[0], 1);
    assert_int_equal(hwtest_readl(0x2f00000), 0);
}

static void test_swi_sswi_write_zero_leaves_ssip_alone(void **state)
{
    make_device(TYPE_CLINT_SWI, 0x2f00000, 1, "sswi", "1", NULL);
    hwtest_writel(0x2f00000, 1);
    hwtest_writel(0x2f00000, 0);
    assert_int_equal(t->irq_level[0], 1);
    assert_int_equal(t->irq_changes[0], 1);
}

static void test_swi_state_round_trip_restores_msip_and_lines(void **state)
{
    DeviceState *dev = make_swi(2);
    GByteArray *saved;

    hwtest_writel(MSIP(1), 1);
    saved = vmstate_test_save_dev(dev);
    hwtest_writel(MSIP(1), 0);
    hwtest_writel(MSIP(0), 1);
    vmstate_test_restore_dev(dev, saved);
    assert_int_equal(hwtest_readl(MSIP(0)), 0);
    assert_int_equal(hwtest_readl(MSIP(1)), 1);
    assert_int_equal(t->irq_level[0], 0);
    assert_int_equal(t->irq_level[1], 1);
}

static void test_swi_realize_rejects_zero_or_too_many_harts(void **state)
{
    assert_realize_fails(TYPE_CLINT_SWI, "num-harts", "0");
    teardown(state);
    assert_realize_fails(TYPE_CLINT_SWI, "num-harts", "513");
}

static void test_swi_region_is_named_as_on_qemu(void **state)
{
    DeviceState *dev = make_swi(1);
    MemoryRegion *mr = sysbus_mmio_get_region(SYS_BUS_DEVICE(dev), 0);

    assert_string_equal(memory_region_name(mr), "riscv.aclint.swi");
    assert_int_equal(memory_region_size(mr), 0x4000);
}

static void test_swi_fdt_writes_the_sifive_clint_node(void **state)
{
    DeviceState *dev = make_swi(2);
    DtContext dt;
    static const char compat[] = "sifive,clint0\0riscv,clint0";
    const uint32_t reg[] = {0, SWI_BASE, 0, 0x10000};
    const uint32_t irqs[] = {2, 3, 2, 7, 5, 3, 5, 7};

    write_fdt(dev, &dt);
    fdt_test_assert_bytes(dt.fdt, "/soc/clint@2000000", "compatible", compat, sizeof(compat));
    fdt_test_assert_cells(dt.fdt, "/soc/clint@2000000", "reg", reg, 4);
    fdt_test_assert_cells(dt.fdt, "/soc/clint@2000000", "interrupts-extended", irqs, 8);
    dt_free(&dt);
}

static void test_swi_fdt_uses_the_harts_from_hartid_base(void **state)
{
    DeviceState *dev = make_device(TYPE_CLINT_SWI, 0x2010000, 1, "hartid-base", "2", NULL);
    DtContext dt;
    const uint32_t irqs[] = {8, 3, 8, 7};

    write_fdt(dev, &dt);
    fdt_test_assert_cells(dt.fdt, "/soc/clint@2010000", "interrupts-extended", irqs, 4);
    dt_free(&dt);
}

static void test_swi_fdt_with_aclint_writes_an_mswi_node(void **state)
{
    DeviceState *dev = make_device(TYPE_CLINT_SWI, SWI_BASE, 1, "aclint", "on", NULL);
    DtContext dt;
    static const char compat[] = "riscv,aclint-mswi";
    const uint32_t reg[] = {0, SWI_BASE, 0, 0x4000};
    const uint32_t irqs[] = {2, 3};

    write_fdt(dev, &dt);
    fdt_test_assert_bytes(dt.fdt, "/soc/mswi@2000000", "compatible", compat, sizeof(compat));
    fdt_test_assert_cells(dt.fdt, "/soc/mswi@2000000", "reg", reg, 4);
    fdt_test_assert_cells(dt.fdt, "/soc/mswi@2000000", "interrupts-extended", irqs, 2);
    assert_true(fdt_path_offset(dt.fdt, "/soc/clint@2000000") < 0);
    dt_free(&dt);
}

static void test_swi_fdt_with_aclint_and_sswi_writes_an_sswi_node(void **state)
{
    DeviceState *dev = make_device(TYPE_CLINT_SWI, 0x2f00000, 1, "aclint", "on", "sswi", "1", NULL);
    DtContext dt;
    static const char compat[] = "riscv,aclint-sswi";
    const uint32_t irqs[] = {2, 1};

    write_fdt(dev, &dt);
    fdt_test_assert_bytes(dt.fdt, "/soc/sswi@2f00000", "compatible", compat, sizeof(compat));
    fdt_test_assert_cells(dt.fdt, "/soc/sswi@2f00000", "interrupts-extended", irqs, 2);
    dt_free(&dt);
}

/* ==== riscv.aclint.mtimer ========================================================== */

static void test_mtimer_reset_values_are_zero_and_mtip_low(void **state)
{
    make_mtimer(2);
    assert_int_equal(hwtest_readq(MTIME), 0);
    assert_int_equal(hwtest_readq(MTIMECMP(0)), 0);
    assert_int_equal(hwtest_readq(MTIMECMP(1)), 0);
    assert_int_equal(t->irq_level[0], 0);
    assert_int_equal(t->irq_level[1], 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
}

static void test_mtimer_mtime_counts_virtual_time_at_10mhz(void **state)
{
    make_mtimer(1);
    hwtest_clock_step(99);
    assert_int_equal(hwtest_readq(MTIME), 0);
    hwtest_clock_step(1);
    assert_int_equal(hwtest_readq(MTIME), 1);
    hwtest_clock_step(NANOSECONDS_PER_SECOND);
    assert_int_equal(hwtest_readq(MTIME), 10000001);
}

static void test_mtimer_mtime_reads_in_4_byte_halves(void **state)
{
    make_mtimer(1);
    hwtest_writeq(MTIME, 0x123456789abcdef0ull);
    assert_int_equal(hwtest_readl(MTIME), 0x9abcdef0);
    assert_int_equal(hwtest_readl(MTIME + 4), 0x12345678);
}

static void test_mtimer_mtime_write_sets_the_value_that_then_counts(void **state)
{
    make_mtimer(1);
    hwtest_clock_step(12345);
    hwtest_writeq(MTIME, 1000);
    assert_int_equal(hwtest_readq(MTIME), 1000);
    hwtest_clock_step(500);
    assert_int_equal(hwtest_readq(MTIME), 1005);
}

static void test_mtimer_mtime_4_byte_writes_replace_one_half(void **state)
{
    make_mtimer(1);
    hwtest_writeq(MTIME, 0x1111111122222222ull);
    hwtest_writel(MTIME, 0x33333333);
    assert_int_equal(hwtest_readq(MTIME), 0x1111111133333333ull);
    hwtest_writel(MTIME + 4, 0x44444444);
    assert_int_equal(hwtest_readq(MTIME), 0x4444444433333333ull);
}

static void test_mtimer_mtimecmp_in_the_past_raises_mtip_at_once(void **state)
{
    make_mtimer(1);
    hwtest_clock_step(1000); /* mtime = 10 */
    hwtest_writeq(MTIMECMP(0), 10);
    assert_int_equal(t->irq_level[0], 1);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
}

static void test_mtimer_mtimecmp_zero_raises_mtip_at_reset_time(void **state)
{
    make_mtimer(1);
    hwtest_writeq(MTIMECMP(0), 0);
    assert_int_equal(t->irq_level[0], 1);
}

static void test_mtimer_mtimecmp_in_the_future_lowers_mtip(void **state)
{
    make_mtimer(1);
    hwtest_writeq(MTIMECMP(0), 0);
    hwtest_writeq(MTIMECMP(0), 100);
    assert_int_equal(t->irq_level[0], 0);
    assert_int_equal(hwtest_readq(MTIMECMP(0)), 100);
}

static void test_mtimer_mtip_rises_exactly_at_the_crossing(void **state)
{
    make_mtimer(1);
    hwtest_writeq(MTIMECMP(0), 100); /* 100 ticks = 10000 ns */
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), 10000);
    hwtest_clock_step(9999);
    assert_int_equal(t->irq_level[0], 0);
    assert_int_equal(hwtest_readq(MTIME), 99);
    hwtest_clock_step(1);
    assert_int_equal(t->irq_level[0], 1);
    assert_int_equal(hwtest_readq(MTIME), 100);
}

static void test_mtimer_crossing_between_ticks_is_timed_as_on_qemu(void **state)
{
    make_mtimer(1);
    hwtest_clock_step(150); /* mtime = 1, half a tick in */
    hwtest_writeq(MTIMECMP(0), 2);
    /* QEMU arms the timer (2 - 1) * 100 ns from now, not at the tick at 200 ns. */
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), 250);
    hwtest_clock_step(99);
    assert_int_equal(t->irq_level[0], 0);
    hwtest_clock_step(1);
    assert_int_equal(t->irq_level[0], 1);
}

static void test_mtimer_mtimecmp_max_never_fires(void **state)
{
    make_mtimer(1);
    hwtest_writeq(MTIMECMP(0), UINT64_MAX);
    assert_int_equal(t->irq_level[0], 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
    hwtest_clock_step(INT64_C(100) * 365 * 24 * 3600 * NANOSECONDS_PER_SECOND);
    assert_int_equal(t->irq_level[0], 0);
}

static void test_mtimer_mtimecmp_beyond_the_end_of_time_arms_nothing(void **state)
{
    make_mtimer(1);
    /* 2^62 ticks are 4.6e20 ns: past INT64_MAX. */
    hwtest_writeq(MTIMECMP(0), UINT64_C(1) << 62);
    assert_int_equal(t->irq_level[0], 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
}

/* ---- mtime and mtimecmp at the limits (docs/time.md) ----------------------------------------- */

/* mtime at virtual time INT64_MAX: 10 MHz is one tick per 100 ns. */
#define MTIME_AT_THE_END ((uint64_t)INT64_MAX / 100)

static void test_mtimer_mtime_at_the_end_of_time(void **state)
{
    make_mtimer(1);
    assert_true(clock_advance_virtual_to(INT64_MAX));
    assert_true(hwtest_readq(MTIME) == MTIME_AT_THE_END);
}

static void test_mtimer_crossing_at_the_end_of_time_is_armed(void **state)
{
    make_mtimer(1);
    clock_advance_virtual_to(INT64_MAX - 1000);
    hwtest_writeq(MTIMECMP(0), hwtest_readq(MTIME) + 10); /* 1000 ns away: the last ns */
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) == INT64_MAX);
    hwtest_clock_step(999);
    assert_int_equal(t->irq_level[0], 0);
    hwtest_clock_step(1);
    assert_int_equal(t->irq_level[0], 1);
    assert_true(hwtest_readq(MTIME) == MTIME_AT_THE_END);
}

static void test_mtimer_crossing_one_tick_past_the_end_arms_nothing(void **state)
{
    make_mtimer(1);
    clock_advance_virtual_to(INT64_MAX - 1000);
    hwtest_writeq(MTIMECMP(0), hwtest_readq(MTIME) + 11);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
    hwtest_clock_step(1000);
    assert_int_equal(t->irq_level[0], 0); /* mtime stops one tick short */
    assert_true(hwtest_readq(MTIME) + 1 == hwtest_readq(MTIMECMP(0)));
}

static void test_mtimer_mtime_written_near_the_wrap_wraps_and_crosses(void **state)
{
    make_mtimer(1);
    hwtest_writeq(MTIME, UINT64_MAX - 4);
    hwtest_writeq(MTIMECMP(0), UINT64_MAX); /* 4 ticks away */
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), 400);
    hwtest_clock_step(400);
    assert_int_equal(t->irq_level[0], 1);
    hwtest_clock_step(200);
    assert_true(hwtest_readq(MTIME) == 1); /* a 64-bit counter: it wraps */
}

static void test_mtimer_mtime_written_at_the_end_of_time(void **state)
{
    make_mtimer(1);
    clock_advance_virtual_to(INT64_MAX);
    hwtest_writeq(MTIME, 0);
    assert_true(hwtest_readq(MTIME) == 0);
    hwtest_writeq(MTIMECMP(0), 1); /* 100 ns after the end of time */
    assert_int_equal(t->irq_level[0], 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
    hwtest_writeq(MTIMECMP(0), 0);
    assert_int_equal(t->irq_level[0], 1);
}

static void test_mtimer_rewriting_mtimecmp_moves_the_deadline(void **state)
{
    make_mtimer(1);
    hwtest_writeq(MTIMECMP(0), 100);
    hwtest_writeq(MTIMECMP(0), 50);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), 5000);
    hwtest_clock_step(5000);
    assert_int_equal(t->irq_level[0], 1);
    hwtest_writeq(MTIMECMP(0), 60); /* in the future again: lowered, re-armed */
    assert_int_equal(t->irq_level[0], 0);
    hwtest_clock_step(1000);
    assert_int_equal(t->irq_level[0], 1);
}

static void test_mtimer_mtimecmp_4_byte_halves_read_and_write(void **state)
{
    make_mtimer(1);
    hwtest_writel(MTIMECMP(0), 0x89abcdef);
    hwtest_writel(MTIMECMP(0) + 4, 0x01234567);
    assert_int_equal(hwtest_readq(MTIMECMP(0)), 0x0123456789abcdefull);
    assert_int_equal(hwtest_readl(MTIMECMP(0)), 0x89abcdef);
    assert_int_equal(hwtest_readl(MTIMECMP(0) + 4), 0x01234567);
}

static void test_mtimer_mtimecmp_half_write_compares_the_whole_value(void **state)
{
    make_mtimer(1);
    hwtest_writeq(MTIMECMP(0), UINT64_MAX);
    hwtest_clock_step(1000);           /* mtime = 10 */
    hwtest_writel(MTIMECMP(0) + 4, 0); /* 0x00000000ffffffff: still ahead */
    assert_int_equal(t->irq_level[0], 0);
    hwtest_writel(MTIMECMP(0), 5); /* 5: behind */
    assert_int_equal(t->irq_level[0], 1);
}

static void test_mtimer_mtime_write_re_evaluates_every_compare(void **state)
{
    make_mtimer(2);
    hwtest_writeq(MTIMECMP(0), 1000);
    hwtest_writeq(MTIMECMP(1), 3000);
    hwtest_writeq(MTIME, 2000);
    assert_int_equal(t->irq_level[0], 1);
    assert_int_equal(t->irq_level[1], 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), 100000);
    hwtest_writeq(MTIME, 0);
    assert_int_equal(t->irq_level[0], 0);
    hwtest_clock_step(100000);
    assert_int_equal(t->irq_level[0], 1);
    assert_int_equal(t->irq_level[1], 0);
    hwtest_clock_step(200000);
    assert_int_equal(t->irq_level[1], 1);
}

static void test_mtimer_harts_have_their_own_compare_and_line(void **state)
{
    make_mtimer(2);
    hwtest_writeq(MTIMECMP(0), 10);
    hwtest_writeq(MTIMECMP(1), 20);
    hwtest_clock_step(1000);
    assert_int_equal(t->irq_level[0], 1);
    assert_int_equal(t->irq_level[1], 0);
    hwtest_clock_step(1000);
    assert_int_equal(t->irq_level[1], 1);
    assert_int_equal(hwtest_readq(MTIMECMP(0)), 10);
    assert_int_equal(hwtest_readq(MTIMECMP(1)), 20);
}

static void test_mtimer_other_widths_read_zero_and_are_ignored(void **state)
{
    make_mtimer(1);
    hwtest_writeq(MTIMECMP(0), 0x1122334455667788ull);
    hwtest_assert_ignored_widths(MTIMECMP(0), 8, 1 | 2);
    assert_int_equal(hwtest_readb(MTIME), 0);
    hwtest_writew(MTIME, 0x5555);
    assert_int_equal(hwtest_readq(MTIMECMP(0)), 0x1122334455667788ull);
    assert_int_equal(hwtest_readq(MTIME), 0);
}

static void test_mtimer_misaligned_8_byte_accesses_are_refused(void **state)
{
    make_mtimer(2);
    hwtest_writeq(MTIMECMP(0), 0x1122334455667788ull);
    assert_int_equal(hwtest_readq(MTIMECMP(0) + 4), 0);
    hwtest_writeq(MTIMECMP(0) + 4, 0);
    assert_int_equal(hwtest_readq(MTIMECMP(0)), 0x1122334455667788ull);
    assert_int_equal(hwtest_readq(MTIMECMP(1)), 0);
}

static void test_mtimer_mtimecmp_of_missing_hart_reads_zero_and_logs(void **state)
{
    make_mtimer(1);
    logcapture_begin();
    assert_int_equal(hwtest_readq(MTIMECMP(1)), 0);
    logcapture_assert_contains(logcapture_end(), "aclint-mtimer: invalid read at 0x8");
}

static void test_mtimer_mtimecmp_write_to_missing_hart_is_ignored_and_logged(void **state)
{
    make_mtimer(1);
    logcapture_begin();
    hwtest_writeq(MTIMECMP(1), 0);
    hwtest_writel(MTIMER_BASE + 0x7ff0, 0);
    logcapture_assert_contains(logcapture_end(), "aclint-mtimer: invalid write at 0x7ff0");
    assert_int_equal(t->irq_changes[0], 0);
    assert_int_equal(t->irq_changes[1], 0);
}

static void test_mtimer_reset_restarts_mtime_and_disarms(void **state)
{
    DeviceState *dev = make_mtimer(1);

    hwtest_clock_step(5000);
    hwtest_writeq(MTIMECMP(0), 1000);
    device_cold_reset(dev);
    assert_int_equal(hwtest_readq(MTIME), 0);
    assert_int_equal(hwtest_readq(MTIMECMP(0)), 0);
    assert_int_equal(t->irq_level[0], 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
    hwtest_clock_step(100);
    assert_int_equal(hwtest_readq(MTIME), 1);
}

static void test_mtimer_reset_lowers_a_raised_mtip(void **state)
{
    DeviceState *dev = make_mtimer(1);

    hwtest_writeq(MTIMECMP(0), 0);
    device_cold_reset(dev);
    assert_int_equal(t->irq_level[0], 0);
}

static void test_mtimer_state_round_trip_restores_registers_and_timer(void **state)
{
    DeviceState *dev = make_mtimer(2);
    GByteArray *saved;

    hwtest_writeq(MTIMECMP(0), 100); /* fires at 10000 ns */
    hwtest_writeq(MTIMECMP(1), 0);   /* MTIP high */
    saved = vmstate_test_save_dev(dev);
    hwtest_writeq(MTIMECMP(0), UINT64_MAX);
    hwtest_writeq(MTIMECMP(1), UINT64_MAX);
    hwtest_writeq(MTIME, 5);
    vmstate_test_restore_dev(dev, saved);
    assert_int_equal(hwtest_readq(MTIME), 0);
    assert_int_equal(hwtest_readq(MTIMECMP(0)), 100);
    assert_int_equal(t->irq_level[0], 0);
    assert_int_equal(t->irq_level[1], 1);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), 10000);
    hwtest_clock_step(10000);
    assert_int_equal(t->irq_level[0], 1);
}

static void test_mtimer_state_round_trip_disarms_a_timer_armed_since(void **state)
{
    DeviceState *dev = make_mtimer(1);
    GByteArray *saved = vmstate_test_save_dev(dev);

    hwtest_writeq(MTIMECMP(0), 100);
    vmstate_test_restore_dev(dev, saved);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
    hwtest_clock_step(20000);
    assert_int_equal(t->irq_level[0], 0);
}

static void test_mtimer_timebase_freq_sets_the_tick_rate(void **state)
{
    make_device(TYPE_CLINT_MTIMER, MTIMER_BASE, 1, "timebase-freq", "1000000", NULL);
    hwtest_clock_step(5000);
    assert_int_equal(hwtest_readq(MTIME), 5);
    hwtest_writeq(MTIMECMP(0), 7);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), 7000);
}

static void test_mtimer_realize_rejects_zero_timebase_freq(void **state)
{
    assert_realize_fails(TYPE_CLINT_MTIMER, "timebase-freq", "0");
}

static void test_mtimer_realize_rejects_too_many_harts(void **state)
{
    assert_realize_fails(TYPE_CLINT_MTIMER, "num-harts", "513");
}

static void test_mtimer_region_is_named_as_on_qemu(void **state)
{
    DeviceState *dev = make_mtimer(1);
    MemoryRegion *mr = sysbus_mmio_get_region(SYS_BUS_DEVICE(dev), 0);

    assert_string_equal(memory_region_name(mr), "riscv.aclint.mtimer");
    assert_int_equal(memory_region_size(mr), 0x8000);
}

static void test_mtimer_fdt_writes_nothing_without_aclint(void **state)
{
    DeviceState *dev = make_mtimer(1);
    DtContext dt;
    int soc;

    write_fdt(dev, &dt);
    soc = fdt_path_offset(dt.fdt, "/soc");
    assert_true(fdt_first_subnode(dt.fdt, soc) < 0);
    dt_free(&dt);
}

static void test_mtimer_fdt_with_aclint_lists_mtime_then_mtimecmp(void **state)
{
    DeviceState *dev = make_device(TYPE_CLINT_MTIMER, MTIMER_BASE, 2, "aclint", "on", NULL);
    DtContext dt;
    static const char compat[] = "riscv,aclint-mtimer";
    const uint32_t reg[] = {0, 0x200bff8, 0, 0x8, 0, 0x2004000, 0, 0x7ff8};
    const uint32_t irqs[] = {2, 7, 5, 7};

    write_fdt(dev, &dt);
    fdt_test_assert_bytes(dt.fdt, "/soc/mtimer@2004000", "compatible", compat, sizeof(compat));
    fdt_test_assert_cells(dt.fdt, "/soc/mtimer@2004000", "reg", reg, 8);
    fdt_test_assert_cells(dt.fdt, "/soc/mtimer@2004000", "interrupts-extended", irqs, 4);
    dt_free(&dt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_swi_msip_reads_zero_after_reset, teardown),
        cmocka_unit_test_teardown(test_swi_msip_write_one_raises_that_harts_line, teardown),
        cmocka_unit_test_teardown(test_swi_msip_write_zero_lowers_the_line, teardown),
        cmocka_unit_test_teardown(test_swi_msip_keeps_only_bit_0, teardown),
        cmocka_unit_test_teardown(test_swi_reset_clears_msip_and_lowers_lines, teardown),
        cmocka_unit_test_teardown(test_swi_other_widths_read_zero_and_are_ignored, teardown),
        cmocka_unit_test_teardown(test_swi_msip_of_missing_hart_reads_zero_and_logs, teardown),
        cmocka_unit_test_teardown(test_swi_msip_write_to_missing_hart_is_ignored_and_logged,
                                  teardown),
        cmocka_unit_test_teardown(test_swi_sswi_write_one_raises_ssip_and_reads_zero, teardown),
        cmocka_unit_test_teardown(test_swi_sswi_write_zero_leaves_ssip_alone, teardown),
        cmocka_unit_test_teardown(test_swi_state_round_trip_restores_msip_and_lines, teardown),
        cmocka_unit_test_teardown(test_swi_realize_rejects_zero_or_too_many_harts, teardown),
        cmocka_unit_test_teardown(test_swi_region_is_named_as_on_qemu, teardown),
        cmocka_unit_test_teardown(test_swi_fdt_writes_the_sifive_clint_node, teardown),
        cmocka_unit_test_teardown(test_swi_fdt_uses_the_harts_from_hartid_base, teardown),
        cmocka_unit_test_teardown(test_swi_fdt_with_aclint_writes_an_mswi_node, teardown),
        cmocka_unit_test_teardown(test_swi_fdt_with_aclint_and_sswi_writes_an_sswi_node, teardown),
        cmocka_unit_test_teardown(test_mtimer_reset_values_are_zero_and_mtip_low, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtime_counts_virtual_time_at_10mhz, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtime_reads_in_4_byte_halves, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtime_write_sets_the_value_that_then_counts,
                                  teardown),
        cmocka_unit_test_teardown(test_mtimer_mtime_4_byte_writes_replace_one_half, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtimecmp_in_the_past_raises_mtip_at_once, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtimecmp_zero_raises_mtip_at_reset_time, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtimecmp_in_the_future_lowers_mtip, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtip_rises_exactly_at_the_crossing, teardown),
        cmocka_unit_test_teardown(test_mtimer_crossing_between_ticks_is_timed_as_on_qemu, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtimecmp_max_never_fires, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtimecmp_beyond_the_end_of_time_arms_nothing,
                                  teardown),
        cmocka_unit_test_teardown(test_mtimer_mtime_at_the_end_of_time, teardown),
        cmocka_unit_test_teardown(test_mtimer_crossing_at_the_end_of_time_is_armed, teardown),
        cmocka_unit_test_teardown(test_mtimer_crossing_one_tick_past_the_end_arms_nothing,
                                  teardown),
        cmocka_unit_test_teardown(test_mtimer_mtime_written_near_the_wrap_wraps_and_crosses,
                                  teardown),
        cmocka_unit_test_teardown(test_mtimer_mtime_written_at_the_end_of_time, teardown),
        cmocka_unit_test_teardown(test_mtimer_rewriting_mtimecmp_moves_the_deadline, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtimecmp_4_byte_halves_read_and_write, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtimecmp_half_write_compares_the_whole_value,
                                  teardown),
        cmocka_unit_test_teardown(test_mtimer_mtime_write_re_evaluates_every_compare, teardown),
        cmocka_unit_test_teardown(test_mtimer_harts_have_their_own_compare_and_line, teardown),
        cmocka_unit_test_teardown(test_mtimer_other_widths_read_zero_and_are_ignored, teardown),
        cmocka_unit_test_teardown(test_mtimer_misaligned_8_byte_accesses_are_refused, teardown),
        cmocka_unit_test_teardown(test_mtimer_mtimecmp_of_missing_hart_reads_zero_and_logs,
                                  teardown),
        cmocka_unit_test_teardown(test_mtimer_mtimecmp_write_to_missing_hart_is_ignored_and_logged,
                                  teardown),
        cmocka_unit_test_teardown(test_mtimer_reset_restarts_mtime_and_disarms, teardown),
        cmocka_unit_test_teardown(test_mtimer_reset_lowers_a_raised_mtip, teardown),
        cmocka_unit_test_teardown(test_mtimer_state_round_trip_restores_registers_and_timer,
                                  teardown),
        cmocka_unit_test_teardown(test_mtimer_state_round_trip_disarms_a_timer_armed_since,
                                  teardown),
        cmocka_unit_test_teardown(test_mtimer_timebase_freq_sets_the_tick_rate, teardown),
        cmocka_unit_test_teardown(test_mtimer_realize_rejects_zero_timebase_freq, teardown),
        cmocka_unit_test_teardown(test_mtimer_realize_rejects_too_many_harts, teardown),
        cmocka_unit_test_teardown(test_mtimer_region_is_named_as_on_qemu, teardown),
        cmocka_unit_test_teardown(test_mtimer_fdt_writes_nothing_without_aclint, teardown),
        cmocka_unit_test_teardown(test_mtimer_fdt_with_aclint_lists_mtime_then_mtimecmp, teardown),
    };

    module_call_init(MODULE_INIT_QOM);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
