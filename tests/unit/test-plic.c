/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-plic.c - the SiFive PLIC of the virt machine, register by register:
 * priorities (WARL), pending bits from input levels, per-context enables
 * and thresholds, claim order and complete, which output line each context
 * drives, hart-config, malformed accesses, saved state and the device-tree
 * node.
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
#include "hw/fdt.h"
#include "hw/plic.h"
#include "tests/support/fdt-test.h"
#include "tests/support/hwtest.h"
#include "tests/support/log-capture.h"
#include "tests/support/vmstate-test.h"

#define BASE         0xc000000
#define PRIORITY(n)  (BASE + 4 * (n))
#define PENDING(w)   (BASE + 0x1000 + 4 * (w))
#define ENABLE(c, w) (BASE + 0x2000 + 0x80 * (c) + 4 * (w))
#define THRESHOLD(c) (BASE + 0x200000 + 0x1000 * (c))
#define CLAIM(c)     (BASE + 0x200004 + 0x1000 * (c))

/* With one hart ("MS"): context 0 is M mode, context 1 S mode; lines S then M. */
#define CTX_M  0
#define CTX_S  1
#define LINE_S 0
#define LINE_M 1

static HwTest *t;
static DeviceState *plic;

/* ---- helpers ----------------------------------------------------------------------- */

/*
 * A realized PLIC for harts harts (NULL-terminated property name, value
 * pairs follow), mapped at BASE, out[i] connected to recorder i, reset,
 * line changes forgotten.
 */
static DeviceState *make_plic(uint32_t harts, ...)
{
    char *n = g_strdup_printf("%u", harts);
    va_list ap;

    t = hwtest_new();
    plic = hwtest_create(t, TYPE_PLIC);
    hwtest_set_prop(plic, "num-harts", n);
    g_free(n);
    va_start(ap, harts);
    hwtest_set_props_v(plic, ap);
    va_end(ap);
    hwtest_ready(t, BASE, 2 * harts);
    return plic;
}

static void assert_realize_fails(const char *prop, const char *value)
{
    t = hwtest_realize_fails(TYPE_PLIC, prop, value);
    plic = t->dev;
}

static void set_input(int n, int level)
{
    qemu_set_irq(qdev_get_gpio_in(plic, n), level);
}

/* Source n with priority prio, enabled (alone in its word) for context c. */
static void route(uint32_t n, uint32_t prio, uint32_t c)
{
    hwtest_writel(PRIORITY(n), prio);
    hwtest_writel(ENABLE(c, n / 32), hwtest_readl(ENABLE(c, n / 32)) | 1u << (n % 32));
}

static int teardown(void **state)
{
    if (t) {
        hwtest_free(t);
        t = NULL;
    }
    plic = NULL;
    logcapture_cancel();
    log_reset();
    return 0;
}

/* ---- reset ------------------------------------------------------------------------- */

static void test_registers_read_zero_after_reset(void **state)
{
    make_plic(1, NULL);
    for (uint32_t n = 1; n < PLIC_NUM_SOURCES; n++) {
        assert_int_equal(hwtest_readl(PRIORITY(n)), 0);
    }
    for (uint32_t w = 0; w < 3; w++) {
        assert_int_equal(hwtest_readl(PENDING(w)), 0);
        assert_int_equal(hwtest_readl(ENABLE(CTX_M, w)), 0);
        assert_int_equal(hwtest_readl(ENABLE(CTX_S, w)), 0);
    }
    assert_int_equal(hwtest_readl(THRESHOLD(CTX_M)), 0);
    assert_int_equal(hwtest_readl(THRESHOLD(CTX_S)), 0);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 0);
    assert_int_equal(t->irq_level[LINE_S], 0);
    assert_int_equal(t->irq_level[LINE_M], 0);
}

static void test_reset_clears_everything_and_lowers_outputs(void **state)
{
    make_plic(1, NULL);
    route(5, 3, CTX_M);
    route(6, 3, CTX_M);
    hwtest_writel(THRESHOLD(CTX_S), 2);
    set_input(5, 1);
    set_input(6, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 5); /* 5 claimed, 6 pending */
    device_cold_reset(plic);
    assert_int_equal(hwtest_readl(PRIORITY(5)), 0);
    assert_int_equal(hwtest_readl(PENDING(0)), 0);
    assert_int_equal(hwtest_readl(ENABLE(CTX_M, 0)), 0);
    assert_int_equal(hwtest_readl(THRESHOLD(CTX_S)), 0);
    assert_int_equal(t->irq_level[LINE_M], 0);
    assert_int_equal(t->irq_level[LINE_S], 0);
    /* 5 is no longer claimed: pending again with a priority, it is claimable. */
    route(5, 1, CTX_M);
    set_input(5, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 5);
}

/* ---- priorities -------------------------------------------------------------------- */

static void test_priority_keeps_value_mod_8(void **state)
{
    make_plic(1, NULL);
    hwtest_writel(PRIORITY(1), 5);
    assert_int_equal(hwtest_readl(PRIORITY(1)), 5);
    hwtest_writel(PRIORITY(1), 9);
    assert_int_equal(hwtest_readl(PRIORITY(1)), 1);
    hwtest_writel(PRIORITY(95), 0xffffffff);
    assert_int_equal(hwtest_readl(PRIORITY(95)), 7);
}

static void test_priority_ignores_values_above_a_non_power_of_2_maximum(void **state)
{
    make_plic(1, "num-priorities", "5", NULL);
    hwtest_writel(PRIORITY(1), 4);
    hwtest_writel(PRIORITY(1), 6);
    assert_int_equal(hwtest_readl(PRIORITY(1)), 4);
    hwtest_writel(PRIORITY(1), 5);
    assert_int_equal(hwtest_readl(PRIORITY(1)), 5);
}

static void test_priority_0_reads_zero_ignores_writes_and_logs(void **state)
{
    make_plic(1, NULL);
    logcapture_begin();
    hwtest_writel(PRIORITY(0), 7);
    assert_int_equal(hwtest_readl(PRIORITY(0)), 0);
    logcapture_assert_contains(logcapture_end(), "sifive_plic: invalid register read at 0x0");
}

static void test_priority_beyond_the_sources_reads_zero_and_logs(void **state)
{
    make_plic(1, NULL);
    logcapture_begin();
    hwtest_writel(PRIORITY(96), 7);
    assert_int_equal(hwtest_readl(PRIORITY(96)), 0);
    assert_int_equal(hwtest_readl(BASE + 0xffc), 0);
    logcapture_assert_contains(logcapture_end(), "sifive_plic: invalid register write at 0x180");
}

static void test_raising_a_priority_above_threshold_raises_the_output(void **state)
{
    make_plic(1, NULL);
    route(7, 0, CTX_M);
    set_input(7, 1);
    assert_int_equal(t->irq_level[LINE_M], 0);
    hwtest_writel(PRIORITY(7), 1);
    assert_int_equal(t->irq_level[LINE_M], 1);
}

/* ---- pending ----------------------------------------------------------------------- */

static void test_input_high_sets_pending_and_low_clears_it(void **state)
{
    make_plic(1, NULL);
    set_input(33, 1);
    assert_int_equal(hwtest_readl(PENDING(1)), 1u << 1);
    set_input(95, 1);
    assert_int_equal(hwtest_readl(PENDING(2)), 1u << 31);
    set_input(33, 0);
    assert_int_equal(hwtest_readl(PENDING(1)), 0);
    assert_int_equal(hwtest_readl(PENDING(2)), 1u << 31);
}

static void test_any_positive_level_sets_pending(void **state)
{
    make_plic(1, NULL);
    set_input(3, 42);
    assert_int_equal(hwtest_readl(PENDING(0)), 1u << 3);
    set_input(3, -1);
    assert_int_equal(hwtest_readl(PENDING(0)), 0);
}

static void test_pending_is_read_only_and_writes_log(void **state)
{
    make_plic(1, NULL);
    set_input(4, 1);
    logcapture_begin();
    hwtest_writel(PENDING(0), 0);
    hwtest_writel(PENDING(1), 0xffffffff);
    logcapture_assert_contains(logcapture_end(), "read-only");
    assert_int_equal(hwtest_readl(PENDING(0)), 1u << 4);
    assert_int_equal(hwtest_readl(PENDING(1)), 0);
}

static void test_pending_word_beyond_the_sources_reads_zero_and_logs(void **state)
{
    make_plic(1, NULL);
    logcapture_begin();
    assert_int_equal(hwtest_readl(PENDING(3)), 0);
    logcapture_assert_contains(logcapture_end(), "invalid register read at 0x100c");
}

static void test_reasserting_a_high_line_re_pends_it(void **state)
{
    make_plic(1, NULL);
    route(10, 1, CTX_M);
    set_input(10, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 10);
    assert_int_equal(hwtest_readl(PENDING(0)), 0);
    set_input(10, 1); /* still high, delivered again */
    assert_int_equal(hwtest_readl(PENDING(0)), 1u << 10);
}

/* ---- enables and thresholds -------------------------------------------------------- */

static void test_enables_are_per_context_and_read_back(void **state)
{
    make_plic(1, NULL);
    hwtest_writel(ENABLE(CTX_M, 0), 0x12345678);
    hwtest_writel(ENABLE(CTX_S, 2), 0x9abcdef0);
    assert_int_equal(hwtest_readl(ENABLE(CTX_M, 0)), 0x12345678);
    assert_int_equal(hwtest_readl(ENABLE(CTX_M, 2)), 0);
    assert_int_equal(hwtest_readl(ENABLE(CTX_S, 0)), 0);
    assert_int_equal(hwtest_readl(ENABLE(CTX_S, 2)), 0x9abcdef0);
}

static void test_source_enabled_in_one_context_interrupts_only_that_one(void **state)
{
    make_plic(1, NULL);
    route(10, 1, CTX_S);
    set_input(10, 1);
    assert_int_equal(t->irq_level[LINE_S], 1);
    assert_int_equal(t->irq_level[LINE_M], 0);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 0);
    assert_int_equal(hwtest_readl(CLAIM(CTX_S)), 10);
}

static void test_enabling_a_pending_source_raises_the_output_at_once(void **state)
{
    make_plic(1, NULL);
    hwtest_writel(PRIORITY(10), 1);
    set_input(10, 1);
    assert_int_equal(t->irq_level[LINE_M], 0);
    hwtest_writel(ENABLE(CTX_M, 0), 1u << 10);
    assert_int_equal(t->irq_level[LINE_M], 1);
    hwtest_writel(ENABLE(CTX_M, 0), 0);
    assert_int_equal(t->irq_level[LINE_M], 0);
}

static void test_enable_word_beyond_the_sources_reads_zero_and_logs(void **state)
{
    make_plic(1, NULL);
    logcapture_begin();
    hwtest_writel(ENABLE(CTX_M, 3), 0xffffffff);
    assert_int_equal(hwtest_readl(ENABLE(CTX_M, 3)), 0);
    logcapture_assert_contains(logcapture_end(), "invalid register write at 0x200c");
}

static void test_threshold_keeps_value_mod_8(void **state)
{
    make_plic(1, NULL);
    hwtest_writel(THRESHOLD(CTX_M), 6);
    assert_int_equal(hwtest_readl(THRESHOLD(CTX_M)), 6);
    hwtest_writel(THRESHOLD(CTX_M), 0x13);
    assert_int_equal(hwtest_readl(THRESHOLD(CTX_M)), 3);
    assert_int_equal(hwtest_readl(THRESHOLD(CTX_S)), 0);
}

static void test_threshold_masks_priorities_at_or_below_it(void **state)
{
    make_plic(1, NULL);
    route(10, 3, CTX_M);
    hwtest_writel(THRESHOLD(CTX_M), 3);
    set_input(10, 1);
    assert_int_equal(t->irq_level[LINE_M], 0);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 0);
    assert_int_equal(hwtest_readl(PENDING(0)), 1u << 10); /* a claim of nothing leaves it */
    hwtest_writel(THRESHOLD(CTX_M), 2);
    assert_int_equal(t->irq_level[LINE_M], 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 10);
}

static void test_priority_zero_is_never_claimable(void **state)
{
    make_plic(1, NULL);
    route(10, 0, CTX_M);
    set_input(10, 1);
    assert_int_equal(t->irq_level[LINE_M], 0);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 0);
}

/* ---- claim and complete ------------------------------------------------------------ */

static void test_claim_returns_zero_when_nothing_is_pending(void **state)
{
    make_plic(1, NULL);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 0);
    assert_int_equal(hwtest_readl(CLAIM(CTX_S)), 0);
}

static void test_claim_picks_the_highest_priority(void **state)
{
    make_plic(1, NULL);
    route(3, 2, CTX_M);
    route(40, 6, CTX_M);
    route(90, 4, CTX_M);
    set_input(3, 1);
    set_input(40, 1);
    set_input(90, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 40);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 90);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 3);
}

static void test_claim_breaks_ties_with_the_lowest_id(void **state)
{
    make_plic(1, NULL);
    route(70, 5, CTX_M);
    route(12, 5, CTX_M);
    route(44, 5, CTX_M);
    set_input(70, 1);
    set_input(44, 1);
    set_input(12, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 12);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 44);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 70);
}

static void test_claim_clears_pending_and_the_next_claim_returns_the_next(void **state)
{
    make_plic(1, NULL);
    route(1, 1, CTX_M);
    route(2, 1, CTX_M);
    set_input(1, 1);
    set_input(2, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 1);
    assert_int_equal(hwtest_readl(PENDING(0)), 1u << 2);
    assert_int_equal(t->irq_level[LINE_M], 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 2);
    assert_int_equal(hwtest_readl(PENDING(0)), 0);
    assert_int_equal(t->irq_level[LINE_M], 0);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 0);
}

static void test_claimed_source_is_not_claimable_until_completed(void **state)
{
    make_plic(1, NULL);
    route(10, 1, CTX_M);
    set_input(10, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 10);
    set_input(10, 1);
    assert_int_equal(hwtest_readl(PENDING(0)), 1u << 10);
    assert_int_equal(t->irq_level[LINE_M], 0);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 0);
}

static void test_claimed_source_is_not_claimable_from_another_context(void **state)
{
    make_plic(1, NULL);
    route(10, 1, CTX_M);
    route(10, 1, CTX_S);
    set_input(10, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_S)), 10);
    set_input(10, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 0);
}

static void test_complete_makes_a_pending_source_claimable_again(void **state)
{
    make_plic(1, NULL);
    route(10, 1, CTX_M);
    set_input(10, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 10);
    set_input(10, 1);
    assert_int_equal(t->irq_level[LINE_M], 0);
    hwtest_writel(CLAIM(CTX_M), 10);
    assert_int_equal(t->irq_level[LINE_M], 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 10);
}

static void test_complete_of_a_source_not_pending_leaves_the_output_low(void **state)
{
    make_plic(1, NULL);
    route(10, 1, CTX_M);
    set_input(10, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 10);
    set_input(10, 0);
    hwtest_writel(CLAIM(CTX_M), 10);
    assert_int_equal(t->irq_level[LINE_M], 0);
    set_input(10, 1);
    assert_int_equal(t->irq_level[LINE_M], 1);
}

static void test_complete_beyond_the_sources_is_ignored_and_logged(void **state)
{
    make_plic(1, NULL);
    route(10, 1, CTX_M);
    set_input(10, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 10);
    set_input(10, 1);
    logcapture_begin();
    hwtest_writel(CLAIM(CTX_M), 96);
    hwtest_writel(CLAIM(CTX_M), 10 + 0x10000);
    logcapture_assert_contains(logcapture_end(), "completes source 96");
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 0); /* 10 is still claimed */
}

static void test_lowering_the_input_before_the_claim_withdraws_it(void **state)
{
    make_plic(1, NULL);
    route(10, 1, CTX_M);
    set_input(10, 1);
    assert_int_equal(t->irq_level[LINE_M], 1);
    set_input(10, 0);
    assert_int_equal(t->irq_level[LINE_M], 0);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 0);
}

/* ---- output lines ------------------------------------------------------------------ */

static void test_m_context_drives_the_second_half_of_the_outputs(void **state)
{
    make_plic(1, NULL);
    route(10, 1, CTX_M);
    set_input(10, 1);
    assert_int_equal(t->irq_level[LINE_M], 1);
    assert_int_equal(t->irq_level[LINE_S], 0);
}

static void test_outputs_are_s_lines_of_every_hart_then_m_lines(void **state)
{
    make_plic(2, NULL);
    /* Contexts: 0 hart0 M, 1 hart0 S, 2 hart1 M, 3 hart1 S.  Lines: S0 S1 M0 M1. */
    route(1, 1, 0);
    route(2, 1, 1);
    route(3, 1, 2);
    route(4, 1, 3);
    set_input(3, 1);
    assert_int_equal(t->irq_level[3], 1);
    assert_int_equal(t->irq_level[0] + t->irq_level[1] + t->irq_level[2], 0);
    set_input(3, 0);
    set_input(4, 1);
    assert_int_equal(t->irq_level[1], 1);
    assert_int_equal(t->irq_level[0] + t->irq_level[2] + t->irq_level[3], 0);
    set_input(4, 0);
    set_input(1, 1);
    assert_int_equal(t->irq_level[2], 1);
    set_input(1, 0);
    set_input(2, 1);
    assert_int_equal(t->irq_level[0], 1);
    assert_int_equal(t->irq_level[1] + t->irq_level[2] + t->irq_level[3], 0);
}

static void test_hart_config_list_gives_each_hart_its_modes(void **state)
{
    make_plic(2, "hart-config", "M,MS", NULL);
    /* Contexts: 0 hart0 M, 1 hart1 M, 2 hart1 S; context 3 does not exist. */
    route(5, 1, 2);
    set_input(5, 1);
    assert_int_equal(t->irq_level[1], 1); /* S line of hart 1 */
    set_input(5, 0);
    route(6, 1, 1);
    set_input(6, 1);
    assert_int_equal(t->irq_level[3], 1); /* M line of hart 1 */
    assert_int_equal(hwtest_readl(THRESHOLD(3)), 0);
}

static void test_hart_config_rejects_bad_modes_counts_and_repeats(void **state)
{
    assert_realize_fails("hart-config", "MX");
    teardown(state);
    assert_realize_fails("hart-config", "MM");
    teardown(state);
    assert_realize_fails("hart-config", "MS,MS"); /* two entries, one hart */
    teardown(state);
    assert_realize_fails("hart-config", "");
}

/* A PLIC with the NULL-terminated property pairs must fail to realize with text in its error. */
static void assert_realize_error(const char *text, ...)
{
    Error *err = NULL;
    va_list ap;

    t = hwtest_new();
    plic = hwtest_create(t, TYPE_PLIC);
    va_start(ap, text);
    hwtest_set_props_v(plic, ap);
    va_end(ap);
    assert_false(qdev_realize(plic, &err));
    if (!strstr(error_get_pretty(err), text)) {
        fail_msg("error '%s' lacks '%s'", error_get_pretty(err), text);
    }
    error_free(err);
}

static void test_hart_config_errors_name_the_problem(void **state)
{
    assert_realize_error("hart-config 'M,,S': no modes for hart 1", "num-harts", "3", "hart-config",
                         "M,,S", NULL);
    teardown(state);
    assert_realize_error("hart-config 'MX': invalid mode 'X'", "hart-config", "MX", NULL);
    teardown(state);
    assert_realize_error("hart-config 'MSM': mode 'M' twice for hart 0", "hart-config", "MSM",
                         NULL);
    teardown(state);
    assert_realize_error("hart-config 'MS,MS' has 2 entries for 1 harts", "hart-config", "MS,MS",
                         NULL);
    teardown(state);
    /* 512 harts of three modes: 1536 contexts, where the layout has room for 1024. */
    assert_realize_error("hart-config 'MSU' makes more than 1024 contexts", "num-harts", "512",
                         "hart-config", "MSU", NULL);
    teardown(state);
    /* 512 contexts of 32 enable words each: more than the 4096 words there are. */
    assert_realize_error("512 contexts of 1024 sources are too many", "num-harts", "512",
                         "num-sources", "1024", "hart-config", "M", NULL);
}

/* A U-mode context has its registers but drives no output line. */
static void test_a_u_mode_context_claims_but_drives_no_line(void **state)
{
    make_plic(1, "hart-config", "MSU", NULL);
    route(5, 1, 2); /* context 2: hart 0, U mode */
    set_input(5, 1);
    assert_int_equal(t->irq_level[0] + t->irq_level[1], 0); /* S and M lines stay low */
    assert_int_equal(hwtest_readl(CLAIM(2)), 5);
    hwtest_writel(CLAIM(2), 5);
    route(6, 1, 1); /* the S context of the same hart does raise its line */
    set_input(6, 1);
    assert_int_equal(t->irq_level[0], 1);
    assert_int_equal(t->irq_level[1], 0);
}

static void test_realize_rejects_bad_hart_and_source_counts(void **state)
{
    assert_realize_fails("num-harts", "0");
    teardown(state);
    assert_realize_fails("num-harts", "513");
    teardown(state);
    assert_realize_fails("num-sources", "0");
    teardown(state);
    assert_realize_fails("num-sources", "1025");
}

/* ---- malformed accesses ------------------------------------------------------------ */

static void test_registers_of_a_missing_context_read_zero_and_log(void **state)
{
    make_plic(1, NULL);
    logcapture_begin();
    assert_int_equal(hwtest_readl(ENABLE(2, 0)), 0);
    assert_int_equal(hwtest_readl(THRESHOLD(2)), 0);
    assert_int_equal(hwtest_readl(CLAIM(2)), 0);
    logcapture_assert_contains(logcapture_end(), "invalid register read at 0x202004");
}

static void test_writes_to_a_missing_context_are_ignored_and_logged(void **state)
{
    make_plic(1, NULL);
    logcapture_begin();
    hwtest_writel(ENABLE(2, 0), 0xffffffff);
    hwtest_writel(THRESHOLD(2), 1);
    hwtest_writel(CLAIM(2), 1);
    logcapture_assert_contains(logcapture_end(), "invalid register write at 0x202000");
    assert_int_equal(hwtest_readl(ENABLE(CTX_M, 0)), 0);
}

static void test_other_context_offsets_read_zero_and_log(void **state)
{
    make_plic(1, NULL);
    logcapture_begin();
    assert_int_equal(hwtest_readl(THRESHOLD(CTX_M) + 8), 0);
    hwtest_writel(THRESHOLD(CTX_M) + 0xffc, 1);
    logcapture_assert_contains(logcapture_end(), "invalid register read at 0x200008");
}

static void test_other_widths_read_zero_and_are_ignored(void **state)
{
    make_plic(1, NULL);
    hwtest_writel(PRIORITY(1), 3);
    hwtest_assert_ignored_widths(PRIORITY(1), 4, 1 | 2);
    assert_int_equal(hwtest_readl(PRIORITY(1)), 3);
    /* 8 bytes, aligned at source 2's priority. */
    assert_int_equal(hwtest_readq(PRIORITY(2)), 0);
    hwtest_writeq(PRIORITY(2), 5);
    assert_int_equal(hwtest_readl(PRIORITY(2)), 0);
}

static void test_narrow_claim_reads_do_not_claim(void **state)
{
    make_plic(1, NULL);
    route(10, 1, CTX_M);
    set_input(10, 1);
    assert_int_equal(hwtest_readb(CLAIM(CTX_M)), 0);
    assert_int_equal(hwtest_readl(PENDING(0)), 1u << 10);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 10);
}

/* ---- state, region, device tree ---------------------------------------------------- */

static void test_state_round_trip_restores_registers_and_outputs(void **state)
{
    GByteArray *saved;

    make_plic(1, NULL);
    route(10, 2, CTX_M);
    route(11, 1, CTX_M);
    hwtest_writel(THRESHOLD(CTX_S), 4);
    set_input(10, 1);
    set_input(11, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 10); /* 10 claimed, 11 pending */
    saved = vmstate_test_save_dev(plic);

    device_cold_reset(plic);
    assert_int_equal(t->irq_level[LINE_M], 0);

    vmstate_test_restore_dev(plic, saved);
    assert_int_equal(t->irq_level[LINE_M], 1);
    assert_int_equal(hwtest_readl(PRIORITY(10)), 2);
    assert_int_equal(hwtest_readl(ENABLE(CTX_M, 0)), 3u << 10);
    assert_int_equal(hwtest_readl(THRESHOLD(CTX_S)), 4);
    assert_int_equal(hwtest_readl(PENDING(0)), 1u << 11);
    set_input(10, 1);
    assert_int_equal(hwtest_readl(CLAIM(CTX_M)), 11); /* 10 is still claimed */
}

static void test_state_load_of_the_wrong_size_is_refused(void **state)
{
    uint8_t junk[16] = {0};
    Error *err = NULL;

    make_plic(1, NULL);
    assert_false(vmstate_load(DEVICE_GET_CLASS(plic)->vmsd, plic, junk, sizeof(junk), &err));
    error_free(err);
}

static void test_region_is_named_as_on_qemu(void **state)
{
    MemoryRegion *mr;

    make_plic(1, NULL);
    mr = sysbus_mmio_get_region(SYS_BUS_DEVICE(plic), 0);
    assert_string_equal(memory_region_name(mr), "riscv.sifive.plic");
    assert_int_equal(memory_region_size(mr), 0x600000);
}

static void test_inputs_are_one_per_source_and_outputs_two_per_hart(void **state)
{
    NamedGPIOList *unnamed;

    make_plic(2, NULL);
    unnamed = qdev_get_named_gpio_list(plic, NULL);
    assert_non_null(unnamed);
    assert_int_equal(unnamed->num_in, 96);
    assert_int_equal(unnamed->num_out, 4);
}

/*
 * A tree with /soc and the PLIC's node, its outputs wired as the board
 * wires them: S output h to SEIP, M output n + h to MEIP of hart h, two
 * harts whose interrupt controllers take phandles 1 and 2.
 */
static void write_fdt(DtContext *dt, uint32_t plic_phandle)
{
    uint32_t harts = PLIC(plic)->num_harts;
    char *soc;

    dt_init(dt);
    soc = dt_add_node(dt, "/", "soc", (uint64_t)-1);
    g_free(soc);
    for (uint32_t h = 0; h < 2; h++) {
        DeviceState *hart = qdev_new(TYPE_RISCV_CPU_RV64);
        char *name = g_strdup_printf("fdt-hart[%u]", h);

        object_property_add_child(object_get_root(), name, OBJECT(hart));
        object_unref(OBJECT(hart));
        g_free(name);
        dt_set_interrupt_controller(dt, hart, dt_alloc_phandle(dt));
        if (h < harts) {
            sysbus_connect_gpio_out(SYS_BUS_DEVICE(plic), h,
                                    rv_hart_irq_in(RV_HART(hart), RV_IRQ_SEIP));
            sysbus_connect_gpio_out(SYS_BUS_DEVICE(plic), harts + h,
                                    rv_hart_irq_in(RV_HART(hart), RV_IRQ_MEIP));
        }
    }
    if (plic_phandle) {
        dt_set_phandle(dt, plic, plic_phandle); /* 0: let the node allocate one */
    }
    SYS_BUS_DEVICE_GET_CLASS(plic)->fdt_node(SYS_BUS_DEVICE(plic), dt);
}

static void test_fdt_node_has_qemus_properties(void **state)
{
    static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";
    const char *node = "/soc/plic@c000000";
    const uint32_t irqs[] = {1, 11, 1, 9, 2, 11, 2, 9};
    const uint32_t reg[] = {0, BASE, 0, 0x600000};
    DtContext dt;

    make_plic(2, NULL);
    write_fdt(&dt, 7);
    fdt_test_assert_bytes(dt.fdt, node, "compatible", compat, sizeof(compat));
    assert_int_equal(fdt_test_cell(dt.fdt, node, "#interrupt-cells", 0), 1);
    assert_int_equal(fdt_test_cell(dt.fdt, node, "#address-cells", 0), 0);
    fdt_test_assert_empty(dt.fdt, node, "interrupt-controller");
    assert_int_equal(fdt_test_cell(dt.fdt, node, "riscv,ndev", 0), 0x60);
    assert_int_equal(fdt_test_cell(dt.fdt, node, "phandle", 0), 7);
    fdt_test_assert_cells(dt.fdt, node, "interrupts-extended", irqs, 8);
    fdt_test_assert_cells(dt.fdt, node, "reg", reg, 4);
    dt_free(&dt);
}

static void test_fdt_node_allocates_the_plic_phandle_when_unset(void **state)
{
    DtContext dt;

    make_plic(1, NULL);
    write_fdt(&dt, 0); /* phandles 1 and 2 went to the harts */
    assert_int_equal(dt_lookup_phandle(&dt, plic), 3);
    assert_int_equal(fdt_test_cell(dt.fdt, "/soc/plic@c000000", "phandle", 0), 3);
    dt_free(&dt);
}

static void test_fdt_lists_only_m_for_a_hart_without_s_mode(void **state)
{
    DtContext dt;
    const fdt32_t *p;
    int len;

    make_plic(2, "hart-config", "M,MS", NULL);
    write_fdt(&dt, 7);
    p = fdt_test_prop(dt.fdt, "/soc/plic@c000000", "interrupts-extended", &len);
    assert_int_equal(len, 6 * 4);
    assert_int_equal(fdt32_to_cpu(p[0]), 1);
    assert_int_equal(fdt32_to_cpu(p[1]), 11);
    assert_int_equal(fdt32_to_cpu(p[2]), 2);
    assert_int_equal(fdt32_to_cpu(p[3]), 11);
    assert_int_equal(fdt32_to_cpu(p[5]), 9);
    dt_free(&dt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_registers_read_zero_after_reset, teardown),
        cmocka_unit_test_teardown(test_reset_clears_everything_and_lowers_outputs, teardown),
        cmocka_unit_test_teardown(test_priority_keeps_value_mod_8, teardown),
        cmocka_unit_test_teardown(test_priority_ignores_values_above_a_non_power_of_2_maximum,
                                  teardown),
        cmocka_unit_test_teardown(test_priority_0_reads_zero_ignores_writes_and_logs, teardown),
        cmocka_unit_test_teardown(test_priority_beyond_the_sources_reads_zero_and_logs, teardown),
        cmocka_unit_test_teardown(test_raising_a_priority_above_threshold_raises_the_output,
                                  teardown),
        cmocka_unit_test_teardown(test_input_high_sets_pending_and_low_clears_it, teardown),
        cmocka_unit_test_teardown(test_any_positive_level_sets_pending, teardown),
        cmocka_unit_test_teardown(test_pending_is_read_only_and_writes_log, teardown),
        cmocka_unit_test_teardown(test_pending_word_beyond_the_sources_reads_zero_and_logs,
                                  teardown),
        cmocka_unit_test_teardown(test_reasserting_a_high_line_re_pends_it, teardown),
        cmocka_unit_test_teardown(test_enables_are_per_context_and_read_back, teardown),
        cmocka_unit_test_teardown(test_source_enabled_in_one_context_interrupts_only_that_one,
                                  teardown),
        cmocka_unit_test_teardown(test_enabling_a_pending_source_raises_the_output_at_once,
                                  teardown),
        cmocka_unit_test_teardown(test_enable_word_beyond_the_sources_reads_zero_and_logs,
                                  teardown),
        cmocka_unit_test_teardown(test_threshold_keeps_value_mod_8, teardown),
        cmocka_unit_test_teardown(test_threshold_masks_priorities_at_or_below_it, teardown),
        cmocka_unit_test_teardown(test_priority_zero_is_never_claimable, teardown),
        cmocka_unit_test_teardown(test_claim_returns_zero_when_nothing_is_pending, teardown),
        cmocka_unit_test_teardown(test_claim_picks_the_highest_priority, teardown),
        cmocka_unit_test_teardown(test_claim_breaks_ties_with_the_lowest_id, teardown),
        cmocka_unit_test_teardown(test_claim_clears_pending_and_the_next_claim_returns_the_next,
                                  teardown),
        cmocka_unit_test_teardown(test_claimed_source_is_not_claimable_until_completed, teardown),
        cmocka_unit_test_teardown(test_claimed_source_is_not_claimable_from_another_context,
                                  teardown),
        cmocka_unit_test_teardown(test_complete_makes_a_pending_source_claimable_again, teardown),
        cmocka_unit_test_teardown(test_complete_of_a_source_not_pending_leaves_the_output_low,
                                  teardown),
        cmocka_unit_test_teardown(test_complete_beyond_the_sources_is_ignored_and_logged, teardown),
        cmocka_unit_test_teardown(test_lowering_the_input_before_the_claim_withdraws_it, teardown),
        cmocka_unit_test_teardown(test_m_context_drives_the_second_half_of_the_outputs, teardown),
        cmocka_unit_test_teardown(test_outputs_are_s_lines_of_every_hart_then_m_lines, teardown),
        cmocka_unit_test_teardown(test_hart_config_list_gives_each_hart_its_modes, teardown),
        cmocka_unit_test_teardown(test_hart_config_rejects_bad_modes_counts_and_repeats, teardown),
        cmocka_unit_test_teardown(test_realize_rejects_bad_hart_and_source_counts, teardown),
        cmocka_unit_test_teardown(test_hart_config_errors_name_the_problem, teardown),
        cmocka_unit_test_teardown(test_a_u_mode_context_claims_but_drives_no_line, teardown),
        cmocka_unit_test_teardown(test_registers_of_a_missing_context_read_zero_and_log, teardown),
        cmocka_unit_test_teardown(test_writes_to_a_missing_context_are_ignored_and_logged,
                                  teardown),
        cmocka_unit_test_teardown(test_other_context_offsets_read_zero_and_log, teardown),
        cmocka_unit_test_teardown(test_other_widths_read_zero_and_are_ignored, teardown),
        cmocka_unit_test_teardown(test_narrow_claim_reads_do_not_claim, teardown),
        cmocka_unit_test_teardown(test_state_round_trip_restores_registers_and_outputs, teardown),
        cmocka_unit_test_teardown(test_state_load_of_the_wrong_size_is_refused, teardown),
        cmocka_unit_test_teardown(test_region_is_named_as_on_qemu, teardown),
        cmocka_unit_test_teardown(test_inputs_are_one_per_source_and_outputs_two_per_hart,
                                  teardown),
        cmocka_unit_test_teardown(test_fdt_node_has_qemus_properties, teardown),
        cmocka_unit_test_teardown(test_fdt_node_allocates_the_plic_phandle_when_unset, teardown),
        cmocka_unit_test_teardown(test_fdt_lists_only_m_for_a_hart_without_s_mode, teardown),
    };

    module_call_init(MODULE_INIT_QOM);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
