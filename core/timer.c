/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timer.c - the three clocks and their timers.
 *
 * Each clock keeps its armed timers in one doubly linked list sorted by
 * (deadline, arming sequence number): the head is the next to fire, and
 * timers with equal deadlines fire in the order they were armed, whatever
 * their addresses.  Insertion walks from the tail, since new deadlines are
 * usually the latest ones.  This is not a heap: a machine has tens of timers,
 * not thousands.
 *
 * The virtual clock is a plain counter.  Nothing here reads host time into
 * it; only clock_advance_virtual_to() and clock_step_virtual() move it (the
 * main loop's warp goes through the former).  This file does not know about
 * run states or the main loop.
 *
 * At the limits (docs/time.md): time arithmetic saturates at
 * CLOCK_END_OF_TIME through the helpers below, and due timers fire in
 * bounded passes, so a timer that keeps re-arming itself for "now" can
 * neither overflow anything nor hold the clock in one place.
 */
#include "core/timer.h"

#include <assert.h>
#include <limits.h>
#include <stddef.h>

#include <glib.h>

#include "core/trace.h"

TRACE_EVENT(timer_mod, "clock %s expire %" PRId64 " ns", (const char *clock, int64_t expire_ns),
            (clock, expire_ns))
TRACE_EVENT(timer_del, "clock %s was due %" PRId64 " ns", (const char *clock, int64_t expire_ns),
            (clock, expire_ns))

struct Timer {
    ClockType type;
    int scale;
    TimerCallback *cb;
    void *opaque;
    bool pending;
    int64_t expire_ns;
    uint64_t armed_seq; /* tie-break between equal deadlines */
    Timer *prev, *next;
};

typedef struct TimerList {
    Timer *head, *tail;
} TimerList;

static TimerList timer_lists[CLOCK__MAX];
static uint64_t next_armed_seq;
static int64_t virtual_now_ns;
/* The budgets (clock_budget_set); off unless a fuzzer sets them. */
static bool budget_on;
static uint64_t budget_work, budget_transfer;
static int64_t budget_limit_ns = CLOCK_END_OF_TIME;
static ClockBudget budget;

static const char *const clock_names[CLOCK__MAX] = {
    [CLOCK_VIRTUAL] = "virtual",
    [CLOCK_RT] = "realtime",
    [CLOCK_HOST] = "host",
};

/* ---- deadline arithmetic --------------------------------------------------------- */

int64_t clock_deadline_add(int64_t base_ns, uint64_t delta_ns)
{
    /* In unsigned arithmetic: the room left can exceed INT64_MAX when base is negative. */
    uint64_t room = (uint64_t)CLOCK_END_OF_TIME - (uint64_t)base_ns;

    return delta_ns > room ? CLOCK_END_OF_TIME : (int64_t)((uint64_t)base_ns + delta_ns);
}

bool clock_deadline_reachable(int64_t base_ns, uint64_t delta_ns)
{
    return delta_ns <= (uint64_t)CLOCK_END_OF_TIME - (uint64_t)base_ns;
}

uint64_t clock_muldiv(uint64_t a, uint64_t b, uint64_t c)
{
    unsigned __int128 r;

    if (c == 0) {
        return UINT64_MAX;
    }
    r = (unsigned __int128)a * b / c;
    return r > UINT64_MAX ? UINT64_MAX : (uint64_t)r;
}

uint64_t clock_ns_to_ticks(uint64_t ns, uint64_t freq_hz)
{
    return freq_hz ? clock_muldiv(ns, freq_hz, NANOSECONDS_PER_SECOND) : 0;
}

uint64_t clock_ticks_to_ns(uint64_t ticks, uint64_t freq_hz)
{
    return clock_muldiv(ticks, NANOSECONDS_PER_SECOND, freq_hz);
}

int clock_ns_to_timeout_ms(int64_t delta_ns)
{
    int64_t ms;

    if (delta_ns <= 0) {
        return 0;
    }
    /* Rounded up without adding to delta_ns, which may be INT64_MAX. */
    ms = delta_ns / SCALE_MS + (delta_ns % SCALE_MS != 0);
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Host monotonic time at the first reading: CLOCK_RT counts from there. */
static int64_t rt_origin_us = -1;

/*
 * CLOCK_HOST as a device reads it (goldfish_rtc under -rtc clock=host, the
 * -rtc base=utc start-up read) goes through host_source, which the
 * record/replay layer sets.  The timer machinery reads clock_host_now_ns()
 * itself, so the main loop's own passes never use up a trace's values.
 */
static int64_t (*host_source)(void);

void clock_set_host_source(int64_t (*read_ns)(void))
{
    host_source = read_ns;
}

int64_t clock_host_now_ns(void)
{
    return g_get_real_time() * SCALE_US;
}

int64_t clock_get_ns(ClockType type)
{
    switch (type) {
    case CLOCK_VIRTUAL:
        return virtual_now_ns;
    case CLOCK_RT:
        if (rt_origin_us < 0) {
            rt_origin_us = g_get_monotonic_time();
        }
        return (g_get_monotonic_time() - rt_origin_us) * SCALE_US;
    case CLOCK_HOST:
        return host_source ? host_source() : clock_host_now_ns();
    default:
        return 0;
    }
}

const char *clock_name(ClockType type)
{
    return (unsigned)type < CLOCK__MAX ? clock_names[type] : "invalid";
}

/* a fires before b: earlier deadline, or the same deadline armed earlier. */
static bool timer_before(const Timer *a, const Timer *b)
{
    return a->expire_ns < b->expire_ns ||
           (a->expire_ns == b->expire_ns && a->armed_seq < b->armed_seq);
}

static void timer_unlink(Timer *t)
{
    TimerList *list = &timer_lists[t->type];

    if (!t->pending) {
        return;
    }
    if (t->prev) {
        t->prev->next = t->next;
    } else {
        list->head = t->next;
    }
    if (t->next) {
        t->next->prev = t->prev;
    } else {
        list->tail = t->prev;
    }
    t->prev = t->next = NULL;
    t->pending = false;
}

static void timer_insert(Timer *t, int64_t expire_ns)
{
    TimerList *list = &timer_lists[t->type];
    Timer *after;

    timer_unlink(t);
    t->expire_ns = expire_ns < 0 ? 0 : expire_ns;
    trace_timer_mod(clock_names[t->type], t->expire_ns);
    t->armed_seq = next_armed_seq++;
    /* The new sequence number is the largest, so t goes after equal deadlines. */
    after = list->tail;
    while (after && timer_before(t, after)) {
        after = after->prev;
    }
    t->prev = after;
    t->next = after ? after->next : list->head;
    if (t->prev) {
        t->prev->next = t;
    } else {
        list->head = t;
    }
    if (t->next) {
        t->next->prev = t;
    } else {
        list->tail = t;
    }
    t->pending = true;
}

Timer *timer_new(ClockType type, int scale, TimerCallback *cb, void *opaque)
{
    Timer *t;

    assert((unsigned)type < CLOCK__MAX && scale > 0);
    t = g_new0(Timer, 1);
    t->type = type;
    t->scale = scale;
    t->cb = cb;
    t->opaque = opaque;
    t->expire_ns = -1;
    return t;
}

void *timer_get_opaque(const Timer *t)
{
    return t->opaque;
}

Timer *timer_new_ns(ClockType type, TimerCallback *cb, void *opaque)
{
    return timer_new(type, SCALE_NS, cb, opaque);
}

Timer *timer_new_us(ClockType type, TimerCallback *cb, void *opaque)
{
    return timer_new(type, SCALE_US, cb, opaque);
}

Timer *timer_new_ms(ClockType type, TimerCallback *cb, void *opaque)
{
    return timer_new(type, SCALE_MS, cb, opaque);
}

static uint64_t virtual_timers_freed;

void timer_free(Timer *t)
{
    if (t) {
        virtual_timers_freed += t->type == CLOCK_VIRTUAL;
        timer_unlink(t);
        g_free(t);
    }
}

void timer_mod_ns(Timer *t, int64_t expire_ns)
{
    timer_insert(t, expire_ns);
}

void timer_mod(Timer *t, int64_t expire)
{
    /* In the timer's scale (µs, ms); a deadline past the end of time saturates. */
    if (expire <= 0) {
        timer_insert(t, 0);
    } else {
        timer_insert(t, expire > INT64_MAX / t->scale ? CLOCK_END_OF_TIME : expire * t->scale);
    }
}

void timer_mod_anticipate_ns(Timer *t, int64_t expire_ns)
{
    if (!t->pending || expire_ns < t->expire_ns) {
        timer_insert(t, expire_ns);
    }
}

void timer_del(Timer *t)
{
    if (t) {
        if (t->pending) {
            trace_timer_del(clock_names[t->type], t->expire_ns);
        }
        timer_unlink(t);
    }
}

bool timer_pending(const Timer *t)
{
    return t && t->pending;
}

int64_t timer_expire_time_ns(const Timer *t)
{
    return timer_pending(t) ? t->expire_ns : -1;
}

int64_t clock_deadline_ns(ClockType type)
{
    if ((unsigned)type >= CLOCK__MAX || !timer_lists[type].head) {
        return -1;
    }
    return timer_lists[type].head->expire_ns;
}

/*
 * The next timer a pass begun at sequence number pass_seq fires: the first,
 * in firing order, that is due at now and was armed before the pass began.
 * Timers armed during the pass sort among the due ones; they are skipped.
 */
static Timer *timer_next_in_pass(TimerList *list, int64_t now, uint64_t pass_seq)
{
    for (Timer *t = list->head; t && t->expire_ns <= now; t = t->next) {
        if (t->armed_seq < pass_seq) {
            return t;
        }
    }
    return NULL;
}

/*
 * One pass at now.  A timer is disarmed before its callback, which may
 * re-arm it, arm others or free it (or another timer): t is not touched
 * afterwards, and the next one is looked up again from the head.
 */
static bool timer_run_pass(TimerList *list, int64_t now)
{
    uint64_t pass_seq = next_armed_seq;
    bool fired = false;
    Timer *t;

    while ((t = timer_next_in_pass(list, now, pass_seq))) {
        if (!clock_budget_charge()) {
            break;
        }
        timer_unlink(t);
        t->cb(t->opaque);
        fired = true;
    }
    return fired;
}

/* Up to CLOCK_PASSES_PER_INSTANT passes at now, while timers are due. */
static bool timer_run_passes(TimerList *list, int64_t now)
{
    bool fired = false;

    for (int pass = 0; pass < CLOCK_PASSES_PER_INSTANT; pass++) {
        if (!list->head || list->head->expire_ns > now || !timer_run_pass(list, now)) {
            break;
        }
        fired = true;
    }
    return fired;
}

bool clock_run_timers(ClockType type)
{
    if ((unsigned)type >= CLOCK__MAX) {
        return false;
    }
    return timer_run_passes(&timer_lists[type],
                            type == CLOCK_HOST ? clock_host_now_ns() : clock_get_ns(type));
}

/* The earliest deadline later than now on the list, or -1. */
static int64_t timer_next_deadline_after(const TimerList *list, int64_t now)
{
    for (const Timer *t = list->head; t; t = t->next) {
        if (t->expire_ns > now) {
            return t->expire_ns;
        }
    }
    return -1;
}

bool clock_advance_virtual_to(int64_t target_ns)
{
    TimerList *list = &timer_lists[CLOCK_VIRTUAL];

    if (target_ns < virtual_now_ns) {
        return false;
    }
    if (budget_on && target_ns > budget_limit_ns) {
        target_ns = MAX(budget_limit_ns, virtual_now_ns);
        budget.time_limit_hit = true;
    }
    for (;;) {
        int64_t next;

        /* Deadlines already behind the clock fire at the current time. */
        timer_run_passes(list, virtual_now_ns);
        /* A callback may have moved the clock itself; it never goes back. */
        if (virtual_now_ns >= target_ns || budget.work_exhausted) {
            break;
        }
        /* Strictly later each time: timers left due wait for the next stop. */
        next = timer_next_deadline_after(list, virtual_now_ns);
        virtual_now_ns = next < 0 || next > target_ns ? target_ns : next;
    }
    return true;
}

int64_t clock_step_virtual(int64_t ns)
{
    int64_t target;

    if (ns < 0) {
        return virtual_now_ns;
    }
    target = clock_deadline_add(virtual_now_ns, (uint64_t)ns);
    clock_advance_virtual_to(target);
    return virtual_now_ns;
}

/* ---- budgets --------------------------------------------------------------------------- */

void clock_budget_set(uint64_t work, uint64_t transfer, int64_t limit_ns)
{
    budget_on = true;
    budget_work = work;
    budget_transfer = transfer;
    budget_limit_ns = limit_ns;
    budget = (ClockBudget){0};
}

void clock_budget_clear(void)
{
    budget_on = false;
    budget_limit_ns = CLOCK_END_OF_TIME;
    budget = (ClockBudget){0};
}

bool clock_budget_charge(void)
{
    if (!budget_on) {
        return true;
    }
    if (budget.work_used >= budget_work) {
        budget.work_exhausted = true;
        return false;
    }
    budget.work_used++;
    return true;
}

bool clock_budget_charge_transfer(uint64_t units)
{
    if (!budget_on) {
        return true;
    }
    if (units > budget_transfer - budget.transfer_used) {
        budget.transfer_exhausted = true;
        return false;
    }
    budget.transfer_used += units;
    return true;
}

const ClockBudget *clock_budget(void)
{
    return &budget;
}

void clock_reset(void)
{
    clock_budget_clear();
    for (int type = 0; type < CLOCK__MAX; type++) {
        while (timer_lists[type].head) {
            timer_unlink(timer_lists[type].head);
        }
    }
    virtual_now_ns = 0;
    next_armed_seq = 0;
}

/* ---- snapshots ------------------------------------------------------------------- */

size_t clock_virtual_save(ClockSaved *clock, TimerSaved *out, size_t max)
{
    size_t n = 0;

    clock->now_ns = virtual_now_ns;
    clock->next_armed_seq = next_armed_seq;
    for (Timer *t = timer_lists[CLOCK_VIRTUAL].head; t; t = t->next, n++) {
        if (n < max) {
            out[n] = (TimerSaved){t, t->expire_ns, t->armed_seq};
        }
    }
    return n;
}

void clock_virtual_restore(const ClockSaved *clock, const TimerSaved *saved, size_t n)
{
    TimerList *list = &timer_lists[CLOCK_VIRTUAL];

    while (list->head) {
        timer_unlink(list->head);
    }
    /* Saved in firing order: appending keeps the list sorted. */
    for (size_t i = 0; i < n; i++) {
        Timer *t = saved[i].timer;

        t->expire_ns = saved[i].expire_ns;
        t->armed_seq = saved[i].armed_seq;
        t->next = NULL;
        t->prev = list->tail;
        if (list->tail) {
            list->tail->next = t;
        } else {
            list->head = t;
        }
        list->tail = t;
        t->pending = true;
    }
    virtual_now_ns = clock->now_ns;
    next_armed_seq = clock->next_armed_seq;
}

uint64_t timer_virtual_frees(void)
{
    return virtual_timers_freed;
}
