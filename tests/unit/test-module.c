/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-module.c - module_init() registration and module_call_init() order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/module.h"

static char trace[16];
static int trace_len;

static void first(void)
{
    trace[trace_len++] = 'a';
}

static void second(void)
{
    trace[trace_len++] = 'b';
}

static void other_type(void)
{
    trace[trace_len++] = 'x';
}

/* Registered from constructors, as every real module does. */
trace_init(first);
trace_init(second);
migration_init(other_type);

static void test_call_init_runs_in_registration_order(void **state)
{
    trace_len = 0;
    module_call_init(MODULE_INIT_TRACE);
    assert_int_equal(trace_len, 2);
    assert_memory_equal(trace, "ab", 2);
    assert_true(module_init_done(MODULE_INIT_TRACE));
}

static void test_call_init_runs_once(void **state)
{
    trace_len = 0;
    module_call_init(MODULE_INIT_TRACE);
    module_call_init(MODULE_INIT_TRACE);
    assert_int_equal(trace_len, 0);
}

static void test_call_init_runs_only_its_type(void **state)
{
    assert_false(module_init_done(MODULE_INIT_MIGRATION));
    trace_len = 0;
    module_call_init(MODULE_INIT_MIGRATION);
    assert_int_equal(trace_len, 1);
    assert_int_equal(trace[0], 'x');
}

static void test_empty_type_is_harmless(void **state)
{
    module_call_init(MODULE_INIT_BLOCK);
    assert_true(module_init_done(MODULE_INIT_BLOCK));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_init_runs_in_registration_order),
        cmocka_unit_test(test_call_init_runs_once),
        cmocka_unit_test(test_call_init_runs_only_its_type),
        cmocka_unit_test(test_empty_type_is_harmless),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
