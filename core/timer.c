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
 */
#include "core/timer.h"

#include <assert.h>
#include <stddef.h>

#include <glib.h>

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

static const char *const clock_names[CLOCK__MAX] = {
    [CLOCK_VIRTUAL] = "virtual",
    [CLOCK_RT] = "realtime",
    [CLOCK_HOST] = "host",
};

/* Host monotonic time at the first reading: CLOCK_RT counts from there. */
static int64_t rt_origin_us = -1;

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
        return g_get_real_time() * SCALE_US;
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
    int64_t ns;

    /* A deadline past the end of time saturates instead of wrapping around. */
    if (expire > INT64_MAX / t->scale) {
        ns = INT64_MAX;
    } else if (expire < 0) {
        ns = 0;
    } else {
        ns = expire * t->scale;
    }
    timer_insert(t, ns);
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
 * Fires the head of the list.  The timer is disarmed before its callback,
 * which may re-arm it, arm others (for a time already passed: they go to the
 * head and fire in the same run) or free it; t is not touched afterwards.
 */
static void timer_fire_head(TimerList *list)
{
    Timer *t = list->head;

    timer_unlink(t);
    t->cb(t->opaque);
}

bool clock_run_timers(ClockType type)
{
    TimerList *list;
    int64_t now;
    bool fired = false;

    if ((unsigned)type >= CLOCK__MAX) {
        return false;
    }
    list = &timer_lists[type];
    now = clock_get_ns(type);
    while (list->head && list->head->expire_ns <= now) {
        timer_fire_head(list);
        fired = true;
    }
    return fired;
}

bool clock_advance_virtual_to(int64_t target_ns)
{
    TimerList *list = &timer_lists[CLOCK_VIRTUAL];

    if (target_ns < virtual_now_ns) {
        return false;
    }
    while (list->head && list->head->expire_ns <= target_ns) {
        /* A deadline already behind the clock fires at the current time. */
        if (list->head->expire_ns > virtual_now_ns) {
            virtual_now_ns = list->head->expire_ns;
        }
        timer_fire_head(list);
    }
    /* A callback may have moved the clock itself; never go back. */
    if (target_ns > virtual_now_ns) {
        virtual_now_ns = target_ns;
    }
    return true;
}

int64_t clock_step_virtual(int64_t ns)
{
    int64_t target;

    if (ns < 0) {
        return virtual_now_ns;
    }
    target = ns > INT64_MAX - virtual_now_ns ? INT64_MAX : virtual_now_ns + ns;
    clock_advance_virtual_to(target);
    return virtual_now_ns;
}

void clock_reset(void)
{
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
