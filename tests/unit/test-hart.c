/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-hart.c - the hart's mip as its two writers see it: device lines
 * change only their own bit, software writes change only the writable bits
 * under their mask; SEIP is the PLIC's line OR software's bit; reset and
 * the state table keep the split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>

#include "core/module.h"
#include "core/qdev.h"
#include "core/vmstate.h"
#include "cpu/hart.h"
#include "tests/support/hart-test.h"

#define BIT(irq) RV_MIP_BIT(RV_IRQ_##irq)

static RVHart *hart;

static int setup(void **state)
{
    hart = hart_test_new();
    return 0;
}

static int teardown(void **state)
{
    object_root_cleanup();
    hart = NULL;
    return 0;
}

static void line(int irq, int level)
{
    qemu_set_irq(rv_hart_irq_in(hart, irq), level);
}

static void test_a_line_sets_and_clears_only_its_own_bit(void **state)
{
    rv_hart_write_mip(hart, BIT(SSIP) | BIT(STIP), UINT64_MAX);
    line(RV_IRQ_MTIP, 1);
    assert_int_equal(rv_hart_read_mip(hart), BIT(SSIP) | BIT(STIP) | BIT(MTIP));
    line(RV_IRQ_MTIP, 0);
    assert_int_equal(rv_hart_read_mip(hart), BIT(SSIP) | BIT(STIP));
    line(RV_IRQ_MEIP, 1);
    line(RV_IRQ_MSIP, 1);
    assert_int_equal(rv_hart_read_mip(hart), BIT(SSIP) | BIT(STIP) | BIT(MEIP) | BIT(MSIP));
}

static void test_a_software_write_cannot_set_device_owned_bits(void **state)
{
    rv_hart_write_mip(hart, UINT64_MAX, UINT64_MAX);
    assert_int_equal(rv_hart_read_mip(hart), RV_MIP_WRITABLE);
    assert_false(rv_hart_read_mip(hart) & (BIT(MSIP) | BIT(MTIP) | BIT(MEIP)));
}

static void test_a_software_write_cannot_clear_a_device_line(void **state)
{
    line(RV_IRQ_MEIP, 1);
    line(RV_IRQ_MTIP, 1);
    rv_hart_write_mip(hart, 0, UINT64_MAX);
    assert_int_equal(rv_hart_read_mip(hart), BIT(MEIP) | BIT(MTIP));
}

static void test_a_software_write_changes_only_the_bits_in_its_mask(void **state)
{
    rv_hart_write_mip(hart, BIT(SSIP) | BIT(STIP), BIT(SSIP) | BIT(STIP));
    rv_hart_write_mip(hart, 0, BIT(STIP));
    assert_int_equal(rv_hart_read_mip(hart), BIT(SSIP));
    rv_hart_write_mip(hart, UINT64_MAX, BIT(LCOFIP));
    assert_int_equal(rv_hart_read_mip(hart), BIT(SSIP) | BIT(LCOFIP));
}

static void test_seip_reads_as_the_line_or_the_software_bit(void **state)
{
    line(RV_IRQ_SEIP, 1);
    assert_true(rv_hart_read_mip(hart) & BIT(SEIP));
    /* Software's bit is clear: a read-modify-write does not see the line. */
    assert_false(rv_hart_read_mip_rmw(hart) & BIT(SEIP));
    rv_hart_write_mip(hart, BIT(SEIP), BIT(SEIP));
    line(RV_IRQ_SEIP, 0);
    /* The PLIC lowering its line leaves software's SEIP pending. */
    assert_true(rv_hart_read_mip(hart) & BIT(SEIP));
    assert_true(rv_hart_read_mip_rmw(hart) & BIT(SEIP));
    rv_hart_write_mip(hart, 0, BIT(SEIP));
    assert_false(rv_hart_read_mip(hart) & BIT(SEIP));
}

static void test_a_software_clear_of_seip_leaves_the_plic_line_visible(void **state)
{
    rv_hart_write_mip(hart, BIT(SEIP), BIT(SEIP));
    line(RV_IRQ_SEIP, 1);
    rv_hart_write_mip(hart, 0, BIT(SEIP));
    assert_true(rv_hart_read_mip(hart) & BIT(SEIP));
    assert_false(rv_hart_read_mip_rmw(hart) & BIT(SEIP));
}

static void test_an_sswi_line_sets_ssip_and_software_clears_it(void **state)
{
    /* The ACLINT SSWI raises its line on every SETSSIP write and never lowers it. */
    line(RV_IRQ_SSIP, 1);
    assert_true(rv_hart_read_mip(hart) & BIT(SSIP));
    rv_hart_write_mip(hart, 0, BIT(SSIP));
    assert_false(rv_hart_read_mip(hart) & BIT(SSIP));
    line(RV_IRQ_SSIP, 1);
    assert_true(rv_hart_read_mip(hart) & BIT(SSIP));
}

static void test_lines_beyond_bit_63_leave_mip_alone(void **state)
{
    rv_hart_write_mip(hart, BIT(STIP), BIT(STIP));
    line(70, 1);
    assert_int_equal(rv_hart_read_mip(hart), BIT(STIP));
    assert_int_equal(hart->env.lines[1], UINT64_C(1) << 6);
}

static void test_reset_clears_software_bits_and_keeps_line_levels(void **state)
{
    rv_hart_write_mip(hart, RV_MIP_WRITABLE, UINT64_MAX);
    line(RV_IRQ_MTIP, 1);
    device_cold_reset(DEVICE(hart));
    assert_int_equal(rv_hart_read_mip(hart), BIT(MTIP));
}

static void test_state_round_trip_keeps_both_writers_apart(void **state)
{
    const VMStateDescription *vmsd = DEVICE_GET_CLASS(hart)->vmsd;
    GByteArray *saved = g_byte_array_new();

    rv_hart_write_mip(hart, BIT(SSIP) | BIT(SEIP), UINT64_MAX);
    line(RV_IRQ_MEIP, 1);
    vmstate_save(vmsd, hart, saved);
    rv_hart_write_mip(hart, 0, UINT64_MAX);
    line(RV_IRQ_MEIP, 0);
    line(RV_IRQ_MTIP, 1);
    assert_true(vmstate_load(vmsd, hart, saved->data, saved->len, NULL));
    assert_int_equal(rv_hart_read_mip(hart), BIT(SSIP) | BIT(SEIP) | BIT(MEIP));
    assert_int_equal(hart->env.mip_sw, BIT(SSIP) | BIT(SEIP));
    g_byte_array_free(saved, TRUE);
}

static void test_the_mip_field_is_what_a_read_gives(void **state)
{
    rv_hart_write_mip(hart, BIT(STIP), BIT(STIP));
    line(RV_IRQ_MEIP, 1);
    assert_int_equal(hart->env.mip, rv_hart_read_mip(hart));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_a_line_sets_and_clears_only_its_own_bit),
        T(test_a_software_write_cannot_set_device_owned_bits),
        T(test_a_software_write_cannot_clear_a_device_line),
        T(test_a_software_write_changes_only_the_bits_in_its_mask),
        T(test_seip_reads_as_the_line_or_the_software_bit),
        T(test_a_software_clear_of_seip_leaves_the_plic_line_visible),
        T(test_an_sswi_line_sets_ssip_and_software_clears_it),
        T(test_lines_beyond_bit_63_leave_mip_alone),
        T(test_reset_clears_software_bits_and_keeps_line_levels),
        T(test_state_round_trip_keeps_both_writers_apart),
        T(test_the_mip_field_is_what_a_read_gives),
    };

    module_call_init(MODULE_INIT_QOM);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
