/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-timer.c - the clocks and their timers: deadline order, ties in arming
 * order, the virtual clock moving only when told to, and clock_reset(); the
 * deadline helpers and the timer core at the limits of time (docs/time.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>

#include <glib.h>

#include "core/timer.h"

/* What fired, in order, and what the virtual clock showed at the time. */
typedef struct FireLog {
    int ids[32];
    int64_t times[32];
    int count;
} FireLog;

static FireLog fire_log;

typedef struct Probe {
    int id;
    Timer *timer;
    /* Optional action, run by the callback. */
    void (*then)(struct Probe *p);
    Timer *other;
    int64_t other_expire;
} Probe;

static void probe_fired(void *opaque)
{
    Probe *p = opaque;

    if (fire_log.count < 32) {
        fire_log.ids[fire_log.count] = p->id;
        fire_log.times[fire_log.count] = clock_get_ns(CLOCK_VIRTUAL);
        fire_log.count++;
    }
    if (p->then) {
        p->then(p);
    }
}

static int reset_clocks(void **state)
{
    clock_reset();
    fire_log = (FireLog){0};
    return 0;
}

static Timer *probe_timer(Probe *p, int id, int64_t expire)
{
    p->id = id;
    p->timer = timer_new_ns(CLOCK_VIRTUAL, probe_fired, p);
    if (expire >= 0) {
        timer_mod_ns(p->timer, expire);
    }
    return p->timer;
}

static void test_virtual_clock_starts_at_zero(void **state)
{
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 0);
}

/* ---- snapshots ---------------------------------------------------------------- */

static void test_clock_save_lists_armed_virtual_timers_in_firing_order(void **state)
{
    Probe a = {0}, b = {0}, c = {0};
    ClockSaved clock;
    TimerSaved saved[4];

    probe_timer(&a, 1, 300);
    probe_timer(&b, 2, 100);
    probe_timer(&c, 3, -1); /* not armed */
    clock_step_virtual(50);
    assert_int_equal(clock_virtual_save(&clock, saved, 4), 2);
    assert_int_equal(clock.now_ns, 50);
    assert_ptr_equal(saved[0].timer, b.timer);
    assert_int_equal(saved[0].expire_ns, 100);
    assert_ptr_equal(saved[1].timer, a.timer);
    assert_int_equal(clock_virtual_save(&clock, NULL, 0), 2); /* counts without room */
    timer_free(a.timer);
    timer_free(b.timer);
    timer_free(c.timer);
}

static void test_clock_restore_goes_back_in_time_with_the_same_timers(void **state)
{
    Probe a = {0}, b = {0}, c = {0};
    ClockSaved clock;
    TimerSaved saved[4];
    size_t n;

    probe_timer(&a, 1, 200);
    probe_timer(&b, 2, 200); /* same deadline, armed later: fires after a */
    probe_timer(&c, 3, -1);
    n = clock_virtual_save(&clock, saved, 4);
    clock_step_virtual(500); /* both fire */
    timer_mod_ns(c.timer, 600);
    assert_int_equal(fire_log.count, 2);
    clock_virtual_restore(&clock, saved, n);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 0);
    assert_false(timer_pending(c.timer));
    assert_int_equal(timer_expire_time_ns(a.timer), 200);
    clock_step_virtual(500);
    assert_int_equal(fire_log.count, 4);
    assert_int_equal(fire_log.ids[2], 1);
    assert_int_equal(fire_log.ids[3], 2);
    assert_int_equal(fire_log.times[3], 200);
    timer_free(a.timer);
    timer_free(b.timer);
    timer_free(c.timer);
}

static void test_freeing_a_virtual_timer_is_counted(void **state)
{
    uint64_t before = timer_virtual_frees();

    timer_free(timer_new_ns(CLOCK_VIRTUAL, NULL, NULL));
    timer_free(timer_new_ns(CLOCK_RT, NULL, NULL));
    assert_int_equal(timer_virtual_frees(), before + 1);
}

static void test_clock_names(void **state)
{
    assert_string_equal(clock_name(CLOCK_VIRTUAL), "virtual");
    assert_string_equal(clock_name(CLOCK_RT), "realtime");
    assert_string_equal(clock_name(CLOCK_HOST), "host");
    assert_string_equal(clock_name(CLOCK__MAX), "invalid");
}

static void test_timer_fires_with_clock_at_its_deadline(void **state)
{
    Probe p = {0};

    probe_timer(&p, 1, 500);
    assert_true(clock_advance_virtual_to(2000));
    assert_int_equal(fire_log.count, 1);
    assert_int_equal(fire_log.times[0], 500);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 2000);
    assert_false(timer_pending(p.timer));
    timer_free(p.timer);
}

static void test_timer_does_not_fire_before_its_deadline(void **state)
{
    Probe p = {0};

    probe_timer(&p, 1, 500);
    assert_true(clock_advance_virtual_to(499));
    assert_int_equal(fire_log.count, 0);
    assert_true(timer_pending(p.timer));
    timer_free(p.timer);
}

static void test_advance_stops_at_each_deadline_in_order(void **state)
{
    Probe p[3] = {{0}};

    probe_timer(&p[0], 0, 300);
    probe_timer(&p[1], 1, 100);
    probe_timer(&p[2], 2, 200);
    clock_advance_virtual_to(1000);
    assert_int_equal(fire_log.count, 3);
    assert_int_equal(fire_log.ids[0], 1);
    assert_int_equal(fire_log.times[0], 100);
    assert_int_equal(fire_log.ids[1], 2);
    assert_int_equal(fire_log.times[1], 200);
    assert_int_equal(fire_log.ids[2], 0);
    assert_int_equal(fire_log.times[2], 300);
    for (int i = 0; i < 3; i++) {
        timer_free(p[i].timer);
    }
}

static void test_equal_deadlines_fire_in_arming_order(void **state)
{
    /* Arm in an order unrelated to allocation order (and so to addresses). */
    static const int arming[8] = {5, 2, 7, 0, 3, 6, 1, 4};
    Probe p[8] = {{0}};

    for (int i = 0; i < 8; i++) {
        probe_timer(&p[i], i, -1);
    }
    for (int i = 0; i < 8; i++) {
        timer_mod_ns(p[arming[i]].timer, 1000);
    }
    clock_advance_virtual_to(1000);
    assert_int_equal(fire_log.count, 8);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(fire_log.ids[i], arming[i]);
    }
    for (int i = 0; i < 8; i++) {
        timer_free(p[i].timer);
    }
}

static void test_rearming_counts_as_arming_again(void **state)
{
    Probe a = {0}, b = {0};

    probe_timer(&a, 1, 1000);
    probe_timer(&b, 2, 1000);
    timer_mod_ns(a.timer, 1000); /* now armed after b */
    clock_advance_virtual_to(1000);
    assert_int_equal(fire_log.count, 2);
    assert_int_equal(fire_log.ids[0], 2);
    assert_int_equal(fire_log.ids[1], 1);
    timer_free(a.timer);
    timer_free(b.timer);
}

static void test_rearming_a_pending_timer_replaces_its_deadline(void **state)
{
    Probe p = {0};

    probe_timer(&p, 1, 1000);
    timer_mod_ns(p.timer, 3000);
    assert_int_equal(timer_expire_time_ns(p.timer), 3000);
    clock_advance_virtual_to(2000);
    assert_int_equal(fire_log.count, 0);
    clock_advance_virtual_to(3000);
    assert_int_equal(fire_log.count, 1);
    assert_int_equal(fire_log.times[0], 3000);
    timer_free(p.timer);
}

static void arm_other(Probe *p)
{
    timer_mod_ns(p->other, p->other_expire);
}

static void test_timer_armed_by_callback_for_the_past_fires_at_once(void **state)
{
    Probe first = {0}, late = {0};

    probe_timer(&late, 2, -1);
    probe_timer(&first, 1, 500);
    first.then = arm_other;
    first.other = late.timer;
    first.other_expire = 100; /* already behind the clock when armed */
    clock_advance_virtual_to(1000);
    assert_int_equal(fire_log.count, 2);
    assert_int_equal(fire_log.ids[1], 2);
    /* The clock does not go back to 100. */
    assert_int_equal(fire_log.times[1], 500);
    timer_free(first.timer);
    timer_free(late.timer);
}

static void test_timer_armed_by_callback_for_now_fires_in_the_same_advance(void **state)
{
    Probe first = {0}, same = {0};

    probe_timer(&same, 2, -1);
    probe_timer(&first, 1, 500);
    first.then = arm_other;
    first.other = same.timer;
    first.other_expire = 500;
    clock_advance_virtual_to(500);
    assert_int_equal(fire_log.count, 2);
    assert_int_equal(fire_log.ids[1], 2);
    assert_int_equal(fire_log.times[1], 500);
    timer_free(first.timer);
    timer_free(same.timer);
}

static void test_timer_armed_by_callback_within_target_fires_at_its_deadline(void **state)
{
    Probe first = {0}, next = {0};

    probe_timer(&next, 2, -1);
    probe_timer(&first, 1, 500);
    first.then = arm_other;
    first.other = next.timer;
    first.other_expire = 700;
    clock_advance_virtual_to(1000);
    assert_int_equal(fire_log.count, 2);
    assert_int_equal(fire_log.times[1], 700);
    timer_free(first.timer);
    timer_free(next.timer);
}

static void test_advancing_backwards_is_refused(void **state)
{
    clock_advance_virtual_to(1000);
    assert_false(clock_advance_virtual_to(999));
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 1000);
}

static void test_advancing_to_now_is_allowed(void **state)
{
    clock_advance_virtual_to(1000);
    assert_true(clock_advance_virtual_to(1000));
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 1000);
}

static void test_step_returns_new_time_and_fires_timers(void **state)
{
    Probe p = {0};

    probe_timer(&p, 1, 150);
    assert_int_equal(clock_step_virtual(100), 100);
    assert_int_equal(fire_log.count, 0);
    assert_int_equal(clock_step_virtual(100), 200);
    assert_int_equal(fire_log.count, 1);
    assert_int_equal(fire_log.times[0], 150);
    timer_free(p.timer);
}

static void test_negative_step_does_not_move_the_clock(void **state)
{
    clock_step_virtual(100);
    assert_int_equal(clock_step_virtual(-50), 100);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 100);
}

static void test_step_saturates_instead_of_wrapping(void **state)
{
    clock_step_virtual(INT64_MAX - 10);
    assert_int_equal(clock_step_virtual(100), INT64_MAX);
}

static void test_virtual_clock_ignores_host_time(void **state)
{
    int64_t before = clock_get_ns(CLOCK_VIRTUAL);

    g_usleep(5000);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), before);
}

static void test_timer_del_disarms(void **state)
{
    Probe p = {0};

    probe_timer(&p, 1, 100);
    timer_del(p.timer);
    assert_false(timer_pending(p.timer));
    assert_int_equal(timer_expire_time_ns(p.timer), -1);
    clock_advance_virtual_to(1000);
    assert_int_equal(fire_log.count, 0);
    timer_free(p.timer);
}

static void test_anticipate_only_moves_a_deadline_earlier(void **state)
{
    Probe p = {0};

    probe_timer(&p, 1, -1);
    timer_mod_anticipate_ns(p.timer, 500);
    assert_int_equal(timer_expire_time_ns(p.timer), 500);
    timer_mod_anticipate_ns(p.timer, 800);
    assert_int_equal(timer_expire_time_ns(p.timer), 500);
    timer_mod_anticipate_ns(p.timer, 300);
    assert_int_equal(timer_expire_time_ns(p.timer), 300);
    timer_free(p.timer);
}

static void test_scaled_timers_take_deadlines_in_their_unit(void **state)
{
    Timer *us = timer_new_us(CLOCK_VIRTUAL, probe_fired, &(Probe){0});
    Timer *ms = timer_new_ms(CLOCK_VIRTUAL, probe_fired, &(Probe){0});
    Timer *custom = timer_new(CLOCK_VIRTUAL, 10, probe_fired, &(Probe){0});

    timer_mod(us, 3);
    assert_int_equal(timer_expire_time_ns(us), 3000);
    timer_mod(ms, 2);
    assert_int_equal(timer_expire_time_ns(ms), 2000000);
    timer_mod(custom, 7);
    assert_int_equal(timer_expire_time_ns(custom), 70);
    timer_free(us);
    timer_free(ms);
    timer_free(custom);
}

static void test_scaled_deadline_saturates(void **state)
{
    Timer *ms = timer_new_ms(CLOCK_VIRTUAL, probe_fired, &(Probe){0});

    timer_mod(ms, INT64_MAX / 2);
    assert_int_equal(timer_expire_time_ns(ms), INT64_MAX);
    timer_free(ms);
}

static void test_negative_deadline_means_zero(void **state)
{
    Probe p = {0};

    probe_timer(&p, 1, -1);
    timer_mod_ns(p.timer, -5);
    assert_int_equal(timer_expire_time_ns(p.timer), 0);
    timer_free(p.timer);
}

static void test_deadline_is_the_earliest_armed(void **state)
{
    Probe a = {0}, b = {0};

    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
    probe_timer(&a, 1, 900);
    probe_timer(&b, 2, 400);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), 400);
    timer_del(b.timer);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), 900);
    assert_int_equal(clock_deadline_ns(CLOCK_RT), -1);
    timer_free(a.timer);
    timer_free(b.timer);
}

static void test_run_timers_fires_only_expired_ones(void **state)
{
    Probe a = {0}, b = {0};

    probe_timer(&a, 1, 0);
    probe_timer(&b, 2, 10);
    assert_true(clock_run_timers(CLOCK_VIRTUAL));
    assert_int_equal(fire_log.count, 1);
    assert_int_equal(fire_log.ids[0], 1);
    assert_false(clock_run_timers(CLOCK_VIRTUAL));
    assert_true(timer_pending(b.timer));
    timer_free(a.timer);
    timer_free(b.timer);
}

static void free_self(Probe *p)
{
    timer_free(p->timer);
    p->timer = NULL;
}

static void test_callback_may_free_its_own_timer(void **state)
{
    Probe p = {0};

    probe_timer(&p, 1, 10);
    p.then = free_self;
    clock_advance_virtual_to(100);
    assert_int_equal(fire_log.count, 1);
    assert_null(p.timer);
}

static void free_other(Probe *p)
{
    timer_free(p->other);
}

static void test_callback_may_free_another_pending_timer(void **state)
{
    Probe a = {0}, b = {0};

    probe_timer(&a, 1, 10);
    probe_timer(&b, 2, 10);
    a.then = free_other;
    a.other = b.timer;
    clock_advance_virtual_to(100);
    assert_int_equal(fire_log.count, 1);
    timer_free(a.timer);
}

static void rearm_self(Probe *p)
{
    if (fire_log.count < 3) {
        timer_mod_ns(p->timer, clock_get_ns(CLOCK_VIRTUAL) + 100);
    }
}

static void test_periodic_timer_fires_at_each_period(void **state)
{
    Probe p = {0};

    probe_timer(&p, 1, 100);
    p.then = rearm_self;
    clock_advance_virtual_to(1000);
    assert_int_equal(fire_log.count, 3);
    assert_int_equal(fire_log.times[0], 100);
    assert_int_equal(fire_log.times[1], 200);
    assert_int_equal(fire_log.times[2], 300);
    timer_free(p.timer);
}

static void test_clock_reset_disarms_and_rewinds_without_freeing(void **state)
{
    Probe a = {0}, b = {0};
    Timer *rt = timer_new_ms(CLOCK_RT, probe_fired, &a);

    probe_timer(&a, 1, 100);
    probe_timer(&b, 2, 5000);
    timer_mod(rt, 1000);
    clock_advance_virtual_to(1000);
    clock_reset();
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 0);
    assert_false(timer_pending(b.timer));
    assert_false(timer_pending(rt));
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
    assert_int_equal(clock_deadline_ns(CLOCK_RT), -1);
    /* Owners free their timers afterwards (ASan checks this is sound). */
    timer_free(a.timer);
    timer_free(b.timer);
    timer_free(rt);
}

static void test_timer_can_be_rearmed_after_clock_reset(void **state)
{
    Probe p = {0};

    probe_timer(&p, 1, 100);
    clock_reset();
    timer_mod_ns(p.timer, 50);
    clock_advance_virtual_to(50);
    assert_int_equal(fire_log.count, 1);
    timer_free(p.timer);
}

static void test_timer_free_of_null_is_harmless(void **state)
{
    timer_free(NULL);
    timer_del(NULL);
    assert_false(timer_pending(NULL));
}

static void test_realtime_clock_follows_host_monotonic_time(void **state)
{
    int64_t a = clock_get_ns(CLOCK_RT);
    int64_t b;

    g_usleep(10000);
    b = clock_get_ns(CLOCK_RT);
    assert_true(a >= 0);
    assert_true(b - a >= 10 * SCALE_MS);
}

static void test_host_clock_is_wall_clock_time(void **state)
{
    int64_t wall = g_get_real_time() * SCALE_US;
    int64_t host = clock_get_ns(CLOCK_HOST);

    assert_true(host >= wall);
    assert_true(host - wall < 1000 * (int64_t)SCALE_MS);
}

static void count_fired(void *opaque)
{
    (*(int *)opaque)++;
}

static void test_realtime_timer_fires_once_its_time_has_passed(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ms(CLOCK_RT, count_fired, &fired);

    timer_mod_ns(t, clock_get_ns(CLOCK_RT) + 10 * SCALE_MS);
    assert_false(clock_run_timers(CLOCK_RT));
    g_usleep(15000);
    assert_true(clock_run_timers(CLOCK_RT));
    assert_int_equal(fired, 1);
    timer_free(t);
}

static void test_realtime_timers_do_not_move_virtual_time(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ns(CLOCK_RT, count_fired, &fired);

    timer_mod_ns(t, 0);
    clock_run_timers(CLOCK_RT);
    assert_int_equal(fired, 1);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 0);
    timer_free(t);
}

/* ---- deadline arithmetic at the limits (docs/time.md) ---------------------------------------- */

static void test_deadline_add_adds_within_range(void **state)
{
    assert_int_equal(clock_deadline_add(100, 23), 123);
    assert_int_equal(clock_deadline_add(0, 0), 0);
    assert_true(clock_deadline_add(INT64_MAX - 5, 5) == INT64_MAX);
}

static void test_deadline_add_saturates_at_the_end_of_time(void **state)
{
    assert_true(clock_deadline_add(INT64_MAX - 5, 6) == CLOCK_END_OF_TIME);
    assert_true(clock_deadline_add(INT64_MAX, 1) == CLOCK_END_OF_TIME);
    assert_true(clock_deadline_add(1, UINT64_MAX) == CLOCK_END_OF_TIME);
    assert_true(clock_deadline_add(INT64_MAX, UINT64_MAX) == CLOCK_END_OF_TIME);
}

static void test_deadline_add_takes_a_negative_base_without_overflow(void **state)
{
    assert_int_equal(clock_deadline_add(-10, 4), -6);
    assert_true(clock_deadline_add(INT64_MIN, UINT64_MAX) == INT64_MAX);
    assert_true(clock_deadline_add(INT64_MIN, (uint64_t)INT64_MAX) == -1);
}

static void test_deadline_reachable_is_exact_at_the_end(void **state)
{
    assert_true(clock_deadline_reachable(INT64_MAX - 5, 5));
    assert_false(clock_deadline_reachable(INT64_MAX - 5, 6));
    assert_true(clock_deadline_reachable(INT64_MAX, 0));
    assert_false(clock_deadline_reachable(INT64_MAX, 1));
    assert_false(clock_deadline_reachable(0, UINT64_MAX));
    assert_true(clock_deadline_reachable(-1, (uint64_t)INT64_MAX + 1));
}

static void test_muldiv_keeps_the_full_product_and_saturates(void **state)
{
    /* 2^63 * 10 / 20: the product needs 67 bits. */
    assert_true(clock_muldiv(UINT64_C(1) << 63, 10, 20) == UINT64_C(1) << 62);
    assert_true(clock_muldiv(UINT64_MAX, UINT64_MAX, UINT64_MAX) == UINT64_MAX);
    assert_true(clock_muldiv(UINT64_MAX, 2, 1) == UINT64_MAX);
    assert_true(clock_muldiv(7, 3, 2) == 10); /* rounded down */
    assert_true(clock_muldiv(1, 1, 0) == UINT64_MAX);
}

static void test_ns_to_ticks_rounds_down_and_saturates(void **state)
{
    /* 10 MHz, the virt timebase: one tick per 100 ns. */
    assert_true(clock_ns_to_ticks(199, 10000000) == 1);
    assert_true(clock_ns_to_ticks(INT64_MAX, 10000000) == (uint64_t)INT64_MAX / 100);
    assert_true(clock_ns_to_ticks(UINT64_MAX, UINT64_MAX) == UINT64_MAX);
    assert_true(clock_ns_to_ticks(12345, 0) == 0);
}

static void test_ticks_to_ns_rounds_down_and_saturates(void **state)
{
    assert_true(clock_ticks_to_ns(3, 10000000) == 300);
    assert_true(clock_ticks_to_ns(12, 3500) == 3428571); /* a 16550 frame at divisor 0 */
    assert_true(clock_ticks_to_ns(UINT64_MAX, 10000000) == UINT64_MAX);
    assert_true(clock_ticks_to_ns(UINT64_C(1) << 62, 10000000) > (uint64_t)INT64_MAX);
    assert_true(clock_ticks_to_ns(1, 0) == UINT64_MAX); /* a frequency of 0: never */
}

static void test_timeout_ms_rounds_up_and_saturates(void **state)
{
    assert_int_equal(clock_ns_to_timeout_ms(-5), 0);
    assert_int_equal(clock_ns_to_timeout_ms(INT64_MIN), 0);
    assert_int_equal(clock_ns_to_timeout_ms(0), 0);
    assert_int_equal(clock_ns_to_timeout_ms(1), 1);
    assert_int_equal(clock_ns_to_timeout_ms(SCALE_MS), 1);
    assert_int_equal(clock_ns_to_timeout_ms(SCALE_MS + 1), 2);
    assert_int_equal(clock_ns_to_timeout_ms((int64_t)INT_MAX * SCALE_MS), INT_MAX);
    assert_int_equal(clock_ns_to_timeout_ms(INT64_MAX), INT_MAX);
}

static void test_clock_can_be_set_to_the_end_of_time(void **state)
{
    assert_true(clock_advance_virtual_to(INT64_MAX));
    assert_true(clock_get_ns(CLOCK_VIRTUAL) == INT64_MAX);
    /* Nowhere left to go: a step saturates, backwards is refused. */
    assert_true(clock_step_virtual(1) == INT64_MAX);
    assert_true(clock_step_virtual(INT64_MAX) == INT64_MAX);
    assert_false(clock_advance_virtual_to(0));
}

static void test_timer_at_the_end_of_time_fires_only_there(void **state)
{
    Probe p = {0};

    probe_timer(&p, 1, INT64_MAX);
    clock_advance_virtual_to(INT64_MAX - 1);
    assert_int_equal(fire_log.count, 0);
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) == INT64_MAX);
    clock_step_virtual(INT64_MAX);
    assert_int_equal(fire_log.count, 1);
    assert_true(fire_log.times[0] == INT64_MAX);
    timer_free(p.timer);
}

static void test_timer_mod_in_microseconds_saturates_at_the_end_of_time(void **state)
{
    Probe p = {0};

    p.timer = timer_new_us(CLOCK_VIRTUAL, probe_fired, &p);
    timer_mod(p.timer, INT64_MAX / SCALE_US + 1);
    assert_true(timer_expire_time_ns(p.timer) == INT64_MAX);
    timer_mod(p.timer, INT64_MAX / SCALE_US);
    assert_true(timer_expire_time_ns(p.timer) == INT64_MAX / SCALE_US * SCALE_US);
    timer_free(p.timer);
}

/* ---- timers re-armed from their own callbacks at or before now --------------------------------
 */

static int fires;

static void rearm_at_now(void *opaque)
{
    fires++;
    timer_mod_ns(*(Timer **)opaque, clock_get_ns(CLOCK_VIRTUAL));
}

static void rearm_in_the_past(void *opaque)
{
    fires++;
    timer_mod_ns(*(Timer **)opaque, clock_get_ns(CLOCK_VIRTUAL) - 1000);
}

static void test_timer_rearmed_at_now_fires_once_per_pass_up_to_the_bound(void **state)
{
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, rearm_at_now, &t);

    fires = 0;
    timer_mod_ns(t, 0);
    assert_true(clock_run_timers(CLOCK_VIRTUAL));
    assert_int_equal(fires, CLOCK_PASSES_PER_INSTANT);
    /* Still armed and due: the next turn of whoever calls fires it again. */
    assert_true(timer_pending(t));
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), 0);
    clock_run_timers(CLOCK_VIRTUAL);
    assert_int_equal(fires, 2 * CLOCK_PASSES_PER_INSTANT);
    timer_free(t);
}

static void test_advance_with_a_zero_period_timer_ends(void **state)
{
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, rearm_at_now, &t);

    fires = 0;
    timer_mod_ns(t, 500);
    /* It fires at 500 (passes used up), then late at 1000, the only later stop. */
    assert_true(clock_advance_virtual_to(1000));
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 1000);
    assert_int_equal(fires, 2 * CLOCK_PASSES_PER_INSTANT);
    timer_free(t);
}

static void test_huge_step_with_a_timer_rearmed_in_the_past_ends(void **state)
{
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, rearm_in_the_past, &t);

    fires = 0;
    timer_mod_ns(t, 10);
    assert_true(clock_step_virtual(INT64_MAX) == INT64_MAX);
    assert_int_equal(fires, 2 * CLOCK_PASSES_PER_INSTANT);
    assert_true(timer_pending(t));
    timer_free(t);
}

static void test_zero_period_timer_does_not_hold_back_the_other_timers(void **state)
{
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, rearm_at_now, &t);
    Probe later = {0};

    fires = 0;
    timer_mod_ns(t, 100);
    probe_timer(&later, 2, 700);
    clock_advance_virtual_to(1000);
    assert_int_equal(fire_log.count, 1);
    assert_int_equal(fire_log.times[0], 700);
    /* 100, then 700 and 1000: the stops the clock makes. */
    assert_int_equal(fires, 3 * CLOCK_PASSES_PER_INSTANT);
    timer_free(t);
    timer_free(later.timer);
}

static void test_timer_armed_in_a_pass_for_the_past_fires_after_the_due_ones(void **state)
{
    Probe a = {0}, b = {0}, c = {0};

    probe_timer(&c, 3, -1);
    probe_timer(&a, 1, -1);
    probe_timer(&b, 2, -1);
    a.then = arm_other;
    a.other = c.timer;
    a.other_expire = 6; /* between a and b, and already due at 10 */
    clock_virtual_restore(&(ClockSaved){10, 0}, NULL, 0); /* the clock at 10, no stops */
    timer_mod_ns(a.timer, 5);
    timer_mod_ns(b.timer, 8);
    clock_run_timers(CLOCK_VIRTUAL);
    assert_int_equal(fire_log.count, 3);
    assert_int_equal(fire_log.ids[0], 1);
    assert_int_equal(fire_log.ids[1], 2);
    assert_int_equal(fire_log.ids[2], 3);
    timer_free(a.timer);
    timer_free(b.timer);
    timer_free(c.timer);
}

/* ---- the work budget (the fuzzers' per-input limit) --------------------------------------------
 */

static void rearm_one_ns_later(void *opaque)
{
    fires++;
    timer_mod_ns(*(Timer **)opaque, clock_get_ns(CLOCK_VIRTUAL) + 1);
}

static void test_budget_stops_a_timer_storm_where_it_runs_out(void **state)
{
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, rearm_one_ns_later, &t);

    fires = 0;
    clock_budget_set(40, UINT64_MAX, CLOCK_END_OF_TIME);
    timer_mod_ns(t, 100);
    /* A timer every nanosecond: the budget, not the target, ends the advance. */
    clock_advance_virtual_to(1000000);
    assert_int_equal(fires, 40);
    assert_true(clock_budget()->work_exhausted);
    assert_int_equal(clock_budget()->work_used, 40);
    /* The clock stays where the work ran out, the timer armed and due there. */
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 140);
    assert_false(clock_run_timers(CLOCK_VIRTUAL));
    assert_true(timer_pending(t));
    assert_int_equal(fires, 40);
    clock_budget_clear();
    assert_false(clock_budget()->work_exhausted);
    assert_true(clock_run_timers(CLOCK_VIRTUAL));
    assert_int_equal(fires, 41);
    timer_free(t);
}

static void test_budget_limits_virtual_time_without_exhausting_work(void **state)
{
    Probe before = {0}, after = {0};

    probe_timer(&before, 1, 400);
    probe_timer(&after, 2, 900);
    clock_budget_set(1000, UINT64_MAX, 500);
    assert_true(clock_advance_virtual_to(2000));
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 500);
    assert_true(clock_budget()->time_limit_hit);
    assert_false(clock_budget()->work_exhausted);
    assert_int_equal(fire_log.count, 1);
    assert_int_equal(fire_log.times[0], 400);
    /* Later advances stay at the limit. */
    assert_int_equal(clock_step_virtual(100), 500);
    clock_reset(); /* clears the budget too */
    assert_false(clock_budget()->time_limit_hit);
    assert_int_equal(clock_step_virtual(100), 100);
    timer_free(before.timer);
    timer_free(after.timer);
}

#define T(fn) cmocka_unit_test_setup(fn, reset_clocks)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_virtual_clock_starts_at_zero),
        T(test_clock_names),
        T(test_clock_save_lists_armed_virtual_timers_in_firing_order),
        T(test_clock_restore_goes_back_in_time_with_the_same_timers),
        T(test_freeing_a_virtual_timer_is_counted),
        T(test_timer_fires_with_clock_at_its_deadline),
        T(test_timer_does_not_fire_before_its_deadline),
        T(test_advance_stops_at_each_deadline_in_order),
        T(test_equal_deadlines_fire_in_arming_order),
        T(test_rearming_counts_as_arming_again),
        T(test_rearming_a_pending_timer_replaces_its_deadline),
        T(test_timer_armed_by_callback_for_the_past_fires_at_once),
        T(test_timer_armed_by_callback_for_now_fires_in_the_same_advance),
        T(test_timer_armed_by_callback_within_target_fires_at_its_deadline),
        T(test_advancing_backwards_is_refused),
        T(test_advancing_to_now_is_allowed),
        T(test_step_returns_new_time_and_fires_timers),
        T(test_negative_step_does_not_move_the_clock),
        T(test_step_saturates_instead_of_wrapping),
        T(test_virtual_clock_ignores_host_time),
        T(test_timer_del_disarms),
        T(test_anticipate_only_moves_a_deadline_earlier),
        T(test_scaled_timers_take_deadlines_in_their_unit),
        T(test_scaled_deadline_saturates),
        T(test_negative_deadline_means_zero),
        T(test_deadline_is_the_earliest_armed),
        T(test_run_timers_fires_only_expired_ones),
        T(test_callback_may_free_its_own_timer),
        T(test_callback_may_free_another_pending_timer),
        T(test_periodic_timer_fires_at_each_period),
        T(test_clock_reset_disarms_and_rewinds_without_freeing),
        T(test_timer_can_be_rearmed_after_clock_reset),
        T(test_timer_free_of_null_is_harmless),
        T(test_realtime_clock_follows_host_monotonic_time),
        T(test_host_clock_is_wall_clock_time),
        T(test_realtime_timer_fires_once_its_time_has_passed),
        T(test_realtime_timers_do_not_move_virtual_time),
        T(test_deadline_add_adds_within_range),
        T(test_deadline_add_saturates_at_the_end_of_time),
        T(test_deadline_add_takes_a_negative_base_without_overflow),
        T(test_deadline_reachable_is_exact_at_the_end),
        T(test_muldiv_keeps_the_full_product_and_saturates),
        T(test_ns_to_ticks_rounds_down_and_saturates),
        T(test_ticks_to_ns_rounds_down_and_saturates),
        T(test_timeout_ms_rounds_up_and_saturates),
        T(test_clock_can_be_set_to_the_end_of_time),
        T(test_timer_at_the_end_of_time_fires_only_there),
        T(test_timer_mod_in_microseconds_saturates_at_the_end_of_time),
        T(test_budget_stops_a_timer_storm_where_it_runs_out),
        T(test_budget_limits_virtual_time_without_exhausting_work),
        T(test_timer_rearmed_at_now_fires_once_per_pass_up_to_the_bound),
        T(test_advance_with_a_zero_period_timer_ends),
        T(test_huge_step_with_a_timer_rearmed_in_the_past_ends),
        T(test_zero_period_timer_does_not_hold_back_the_other_timers),
        T(test_timer_armed_in_a_pass_for_the_past_fires_after_the_due_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
