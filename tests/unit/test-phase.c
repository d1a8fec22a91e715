/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-phase.c - the strict phase counter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/phase.h"

static int reset_phase(void **state)
{
    phase_reset();
    return 0;
}

static void test_starts_with_no_machine(void **state)
{
    assert_int_equal(phase_get(), PHASE_NO_MACHINE);
    assert_true(phase_check(PHASE_NO_MACHINE));
    assert_false(phase_check(PHASE_MACHINE_CREATED));
}

static void test_advances_one_step_at_a_time(void **state)
{
    for (int p = PHASE_MACHINE_CREATED; p < PHASE__MAX; p++) {
        phase_advance(p);
        assert_int_equal(phase_get(), p);
        assert_true(phase_check(p));
        assert_true(phase_check(p - 1));
        if (p + 1 < PHASE__MAX) {
            assert_false(phase_check(p + 1));
        }
    }
}

static void test_names_follow_architecture_doc(void **state)
{
    assert_string_equal(phase_name(PHASE_MACHINE_CREATED), "machine-created");
    assert_string_equal(phase_name(PHASE_ACCEL_CREATED), "accel-created");
    assert_string_equal(phase_name(PHASE_LATE_BACKENDS_CREATED), "late-backends-created");
    assert_string_equal(phase_name(PHASE_MACHINE_INITIALIZED), "machine-initialized");
    assert_string_equal(phase_name(PHASE_MACHINE_READY), "machine-ready");
    assert_string_equal(phase_name(PHASE__MAX), "invalid");
}

static void test_reset_goes_back_to_start(void **state)
{
    phase_advance(PHASE_MACHINE_CREATED);
    phase_reset();
    assert_int_equal(phase_get(), PHASE_NO_MACHINE);
    phase_advance(PHASE_MACHINE_CREATED);
    assert_int_equal(phase_get(), PHASE_MACHINE_CREATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_starts_with_no_machine, reset_phase),
        cmocka_unit_test_setup(test_advances_one_step_at_a_time, reset_phase),
        cmocka_unit_test_setup(test_names_follow_architecture_doc, reset_phase),
        cmocka_unit_test_setup(test_reset_goes_back_to_start, reset_phase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
