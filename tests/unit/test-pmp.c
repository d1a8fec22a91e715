/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-pmp.c - physical memory protection (cpu/pmp.c) against the
 * privileged spec 1.12, section 3.7: OFF, TOR, NA4 and NAPOT matching,
 * priority by lowest entry, partial matches failing, the M-mode default
 * and locking, WARL of pmpcfg/pmpaddr, and the page-uniformity answer the
 * TLB relies on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/module.h"
#include "core/qdev.h"
#include "cpu/hart.h"
#include "tests/support/hart-test.h"

static CPURVState *env;

static int setup(void **state)
{
    (void)state;
    env = &hart_test_new()->env;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    object_root_cleanup();
    env = NULL;
    return 0;
}

#define R     0x01
#define W     0x02
#define X     0x04
#define TOR   0x08
#define NA4   0x10
#define NAPOT 0x18
#define L     0x80

#define LOAD  RV_ACCESS_LOAD
#define STORE RV_ACCESS_STORE
#define FETCH RV_ACCESS_FETCH
#define M     RV_PRIV_M
#define S     RV_PRIV_S
#define U     RV_PRIV_U

/* pmpaddr for a NAPOT region of size bytes (a power of two, at least 8) at base. */
static uint64_t napot(uint64_t base, uint64_t size)
{
    return (base >> 2) | ((size >> 3) - 1);
}

static void entry(unsigned i, uint64_t addr, uint8_t cfg)
{
    rv_pmp_write_addr(env, i, addr);
    rv_pmp_write_cfg(env, i, cfg);
}

static bool check(uint64_t paddr, unsigned size, RVAccess acc, unsigned priv)
{
    return rv_pmp_check(env, paddr, size, acc, priv);
}

static void test_with_no_entry_set_m_is_allowed_and_s_and_u_are_denied(void **state)
{
    (void)state;
    for (RVAccess acc = LOAD; acc <= FETCH; acc++) {
        assert_true(check(0x80000000, 4, acc, M));
        assert_false(check(0x80000000, 4, acc, S));
        assert_false(check(0x80000000, 4, acc, U));
    }
}

static void test_napot_matches_its_power_of_two_region(void **state)
{
    (void)state;
    entry(0, napot(0x80000000, 0x10000), R | X | NAPOT);
    assert_true(check(0x80000000, 4, LOAD, S));
    assert_true(check(0x8000fff8, 8, LOAD, U));
    assert_true(check(0x80008000, 2, FETCH, S));
    assert_false(check(0x80000000, 4, STORE, S));
    assert_false(check(0x80010000, 1, LOAD, S));
    assert_false(check(0x7ffffffc, 4, LOAD, S));
}

static void test_napot_with_all_ones_covers_all_of_memory(void **state)
{
    (void)state;
    entry(0, UINT64_MAX, R | W | X | NAPOT);
    assert_true(check(0, 8, STORE, U));
    assert_true(check(0xfffffffffff8, 8, LOAD, S));
}

static void test_na4_matches_four_bytes(void **state)
{
    (void)state;
    entry(0, 0x1000 >> 2, R | NA4);
    assert_true(check(0x1000, 4, LOAD, S));
    assert_true(check(0x1003, 1, LOAD, S));
    assert_false(check(0x1004, 1, LOAD, S));
    assert_false(check(0xfff, 1, LOAD, S));
}

static void test_tor_matches_from_the_previous_address_up_to_its_own(void **state)
{
    (void)state;
    entry(0, 0x2000 >> 2, R | W | TOR); /* entry 0: from 0 */
    entry(1, 0x3000 >> 2, R | TOR);
    assert_true(check(0, 8, STORE, S));
    assert_true(check(0x1ff8, 8, STORE, S));
    assert_false(check(0x2000, 4, STORE, S));
    assert_true(check(0x2000, 4, LOAD, S));
    assert_true(check(0x2ffc, 4, LOAD, U));
    assert_false(check(0x3000, 4, LOAD, U));
}

static void test_tor_with_an_empty_range_matches_nothing(void **state)
{
    (void)state;
    rv_pmp_write_addr(env, 0, 0x3000 >> 2);
    entry(1, 0x2000 >> 2, R | W | X | TOR);
    assert_false(check(0x2800, 4, LOAD, S));
    assert_true(check(0x2800, 4, LOAD, M));
}

static void test_the_lowest_numbered_matching_entry_decides(void **state)
{
    (void)state;
    entry(0, 0x1000 >> 2, NA4); /* no permission */
    entry(1, napot(0, 0x10000), R | W | X | NAPOT);
    assert_false(check(0x1000, 4, LOAD, S));
    assert_true(check(0x1004, 4, LOAD, S));
    entry(2, 0x1004 >> 2, NA4); /* lower priority than entry 1 */
    assert_true(check(0x1004, 4, LOAD, S));
}

static void test_an_access_matching_only_some_bytes_fails_even_in_m(void **state)
{
    (void)state;
    entry(0, 0x1000 >> 2, R | W | NA4);
    assert_false(check(0xffc, 8, LOAD, S));
    assert_false(check(0x1002, 4, LOAD, S));
    assert_false(check(0xffc, 8, LOAD, M));
}

static void test_an_access_across_two_allowing_entries_fails(void **state)
{
    (void)state;
    entry(0, 0x1000 >> 2, R | NA4);
    entry(1, 0x1004 >> 2, R | NA4);
    assert_true(check(0x1000, 4, LOAD, S));
    assert_true(check(0x1004, 4, LOAD, S));
    assert_false(check(0x1000, 8, LOAD, S));
}

static void test_an_unlocked_entry_does_not_restrict_m(void **state)
{
    (void)state;
    entry(0, napot(0x80000000, 0x1000), NAPOT);
    assert_true(check(0x80000000, 8, STORE, M));
    assert_true(check(0x80000000, 4, FETCH, M));
    assert_false(check(0x80000000, 8, LOAD, S));
}

static void test_a_locked_entry_restricts_m(void **state)
{
    (void)state;
    entry(0, napot(0x80000000, 0x1000), R | L | NAPOT);
    assert_true(check(0x80000000, 8, LOAD, M));
    assert_false(check(0x80000000, 8, STORE, M));
    assert_false(check(0x80000000, 4, FETCH, M));
    assert_true(check(0x80001000, 8, STORE, M)); /* outside: the M default */
}

static void test_a_locked_entry_ignores_writes_to_its_cfg_and_addr(void **state)
{
    (void)state;
    entry(3, 0x1000 >> 2, R | L | NA4);
    rv_pmp_write_cfg(env, 3, R | W | X | NAPOT);
    rv_pmp_write_addr(env, 3, 0x2000 >> 2);
    assert_int_equal(env->pmpcfg[3], R | L | NA4);
    assert_int_equal(rv_pmp_read_addr(env, 3), 0x1000 >> 2);
}

static void test_a_locked_tor_entry_also_locks_the_address_below_it(void **state)
{
    (void)state;
    rv_pmp_write_addr(env, 4, 0x1000 >> 2);
    entry(5, 0x2000 >> 2, R | L | TOR);
    rv_pmp_write_addr(env, 4, 0);
    assert_int_equal(rv_pmp_read_addr(env, 4), 0x1000 >> 2);
    rv_pmp_write_cfg(env, 4, R | NA4); /* entry 4's cfg stays writable */
    assert_int_equal(env->pmpcfg[4], R | NA4);
}

static void test_a_locked_napot_entry_leaves_the_address_below_it_writable(void **state)
{
    (void)state;
    entry(5, napot(0x80000000, 0x1000), R | L | NAPOT);
    rv_pmp_write_addr(env, 4, 0x1234);
    assert_int_equal(rv_pmp_read_addr(env, 4), 0x1234);
}

static void test_pmpcfg_reserved_bits_read_zero_and_rw_01_is_kept(void **state)
{
    (void)state;
    rv_pmp_write_cfg(env, 0, 0x7f);
    assert_int_equal(env->pmpcfg[0], 0x1f);
    rv_pmp_write_cfg(env, 1, W);
    assert_int_equal(env->pmpcfg[1], W);
}

static void test_pmpaddr_holds_bits_53_to_0(void **state)
{
    (void)state;
    rv_pmp_write_addr(env, 0, UINT64_MAX);
    assert_int_equal(rv_pmp_read_addr(env, 0), (UINT64_C(1) << 54) - 1);
}

static void test_pmp_writes_flush_the_tlb(void **state)
{
    (void)state;
    env->tlb[RV_ACCESS_LOAD][2].tag = 4;
    rv_pmp_write_addr(env, 0, 0x100);
    assert_int_equal(env->tlb[RV_ACCESS_LOAD][2].tag, 0);
    env->tlb[RV_ACCESS_LOAD][2].tag = 4;
    rv_pmp_write_cfg(env, 0, R | NA4);
    assert_int_equal(env->tlb[RV_ACCESS_LOAD][2].tag, 0);
}

static void test_a_page_no_entry_touches_is_uniform(void **state)
{
    (void)state;
    assert_true(rv_pmp_page_uniform(env, 0x80000000, S));
    entry(0, napot(0x90000000, 0x1000), R | NAPOT);
    assert_true(rv_pmp_page_uniform(env, 0x80000000, S));
}

static void test_a_page_inside_one_entry_is_uniform(void **state)
{
    (void)state;
    entry(0, napot(0x80000000, 0x200000), R | W | X | NAPOT);
    assert_true(rv_pmp_page_uniform(env, 0x80001000, S));
    assert_true(rv_pmp_page_uniform(env, 0x801ff000, U));
}

static void test_a_page_an_entry_covers_in_part_is_not_uniform(void **state)
{
    (void)state;
    entry(0, 0x80000800 >> 2, R | NA4);
    assert_false(rv_pmp_page_uniform(env, 0x80000000, M));
    entry(1, napot(0x80000000, 0x10000), R | W | X | NAPOT);
    assert_false(rv_pmp_page_uniform(env, 0x80000000, S)); /* entry 0 comes first */
    assert_true(rv_pmp_page_uniform(env, 0x80001000, S));
}

static void test_a_page_a_higher_entry_covers_whole_is_uniform_whatever_lies_below(void **state)
{
    (void)state;
    entry(0, napot(0x80000000, 0x10000), R | NAPOT);
    entry(1, 0x80000800 >> 2, R | W | NA4);
    assert_true(rv_pmp_page_uniform(env, 0x80000000, S));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_with_no_entry_set_m_is_allowed_and_s_and_u_are_denied),
        T(test_napot_matches_its_power_of_two_region),
        T(test_napot_with_all_ones_covers_all_of_memory),
        T(test_na4_matches_four_bytes),
        T(test_tor_matches_from_the_previous_address_up_to_its_own),
        T(test_tor_with_an_empty_range_matches_nothing),
        T(test_the_lowest_numbered_matching_entry_decides),
        T(test_an_access_matching_only_some_bytes_fails_even_in_m),
        T(test_an_access_across_two_allowing_entries_fails),
        T(test_an_unlocked_entry_does_not_restrict_m),
        T(test_a_locked_entry_restricts_m),
        T(test_a_locked_entry_ignores_writes_to_its_cfg_and_addr),
        T(test_a_locked_tor_entry_also_locks_the_address_below_it),
        T(test_a_locked_napot_entry_leaves_the_address_below_it_writable),
        T(test_pmpcfg_reserved_bits_read_zero_and_rw_01_is_kept),
        T(test_pmpaddr_holds_bits_53_to_0),
        T(test_pmp_writes_flush_the_tlb),
        T(test_a_page_no_entry_touches_is_uniform),
        T(test_a_page_inside_one_entry_is_uniform),
        T(test_a_page_an_entry_covers_in_part_is_not_uniform),
        T(test_a_page_a_higher_entry_covers_whole_is_uniform_whatever_lies_below),
    };

    module_call_init(MODULE_INIT_QOM);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
