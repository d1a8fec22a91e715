/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timer.h - clocks and timers.
 *
 * Three clocks, in nanoseconds:
 *  - CLOCK_VIRTUAL: guest time.  A counter that only the accelerator moves
 *    (interp: with retired instructions, and by warping to the next deadline
 *    while every hart waits; qtest: clock_step/clock_set).  Starts at 0 on
 *    every tern_init().  This is the only clock devices may use for
 *    guest-visible state unless an option asks for host time.
 *  - CLOCK_RT: host monotonic time since start-up (for host-side timeouts).
 *  - CLOCK_HOST: host wall-clock time (only behind -rtc clock=host).
 *
 * Timers fire in deadline order; equal deadlines fire in the order they were
 * armed (a sequence number, never an address), so runs are reproducible.  A
 * timer is owned by whoever created it; clock_reset() disarms every timer but
 * frees none.
 */
#ifndef TERN_TIMER_H
#define TERN_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { CLOCK_VIRTUAL, CLOCK_RT, CLOCK_HOST, CLOCK__MAX } ClockType;

#define SCALE_NS 1
#define SCALE_US 1000
#define SCALE_MS 1000000

/* One second of any clock. */
#define NANOSECONDS_PER_SECOND INT64_C(1000000000)

/*
 * ---- deadline arithmetic at the limits (docs/time.md) ----
 * Every clock is an int64_t count of ns from 0 to CLOCK_END_OF_TIME (about
 * 292 years).  Device code never adds to or scales a time by hand: these
 * helpers saturate instead of overflowing, so a deadline past the end of time
 * becomes the end of time (a timer armed there fires only if the clock is set
 * to INT64_MAX exactly), or, where a device must not fire early, is seen as
 * out of reach (clock_deadline_reachable()) and not armed at all.
 */
#define CLOCK_END_OF_TIME INT64_MAX

/* base + delta_ns, or CLOCK_END_OF_TIME when that lies past it. */
int64_t clock_deadline_add(int64_t base_ns, uint64_t delta_ns);
/* Whether base + delta_ns is at most CLOCK_END_OF_TIME. */
bool clock_deadline_reachable(int64_t base_ns, uint64_t delta_ns);
/* a * b / c rounded down, or UINT64_MAX when that does not fit (c == 0 too). */
uint64_t clock_muldiv(uint64_t a, uint64_t b, uint64_t c);
/* ns of a clock as ticks of a freq_hz counter, rounded down, saturating at UINT64_MAX. */
uint64_t clock_ns_to_ticks(uint64_t ns, uint64_t freq_hz);
/* ticks of a freq_hz counter as ns, rounded down, saturating at UINT64_MAX (freq 0: never). */
uint64_t clock_ticks_to_ns(uint64_t ticks, uint64_t freq_hz);
/* A wait of delta_ns as poll() ms: rounded up, 0 when not positive, at most INT_MAX. */
int clock_ns_to_timeout_ms(int64_t delta_ns);

/*
 * How many passes over the due timers one instant gets (see clock_run_timers()):
 * a timer that re-arms itself at or before the current time fires at most this
 * many times at one instant, so no clock command or main-loop turn spins.
 */
#define CLOCK_PASSES_PER_INSTANT 16

typedef void TimerCallback(void *opaque);
typedef struct Timer Timer;

/* The clock's current time in ns. */
int64_t clock_get_ns(ClockType type);
/*
 * Where clock_get_ns(CLOCK_HOST) takes its value: NULL (the default) is the
 * host's clock, clock_host_now_ns().  The record/replay layer (core/replay.c)
 * installs its reader while it records or replays; the timer machinery's
 * own host-time reads never go through it.  Not reset by clock_reset().
 */
void clock_set_host_source(int64_t (*read_ns)(void));
/* The host's wall clock in ns since the epoch, read directly. */
int64_t clock_host_now_ns(void);
const char *clock_name(ClockType type);

Timer *timer_new(ClockType type, int scale, TimerCallback *cb, void *opaque);
Timer *timer_new_ns(ClockType type, TimerCallback *cb, void *opaque);
/* The opaque the timer calls back with (the snapshot digest names a timer by it). */
void *timer_get_opaque(const Timer *t);
Timer *timer_new_us(ClockType type, TimerCallback *cb, void *opaque);
Timer *timer_new_ms(ClockType type, TimerCallback *cb, void *opaque);
/* Disarms and frees (NULL is fine). */
void timer_free(Timer *t);
/* Arms t to fire when its clock reaches expire (in the timer's scale); re-arms if pending. */
void timer_mod(Timer *t, int64_t expire);
void timer_mod_ns(Timer *t, int64_t expire_ns);
/* Arms only if not pending or the new deadline is earlier. */
void timer_mod_anticipate_ns(Timer *t, int64_t expire_ns);
void timer_del(Timer *t);
bool timer_pending(const Timer *t);
/* Deadline in ns, or -1 when not pending. */
int64_t timer_expire_time_ns(const Timer *t);

/* The earliest deadline on the clock in ns, or -1 when no timer is armed. */
int64_t clock_deadline_ns(ClockType type);
/*
 * Fires the timers of the clock whose deadline has passed, in passes: a pass
 * fires, in (deadline, arming) order, the timers that were due and armed when
 * it began; a timer armed by a callback for a time already passed (or re-armed
 * at the current time) waits for the next pass.  At most
 * CLOCK_PASSES_PER_INSTANT passes run; timers still due after them stay armed
 * and due (the next call, or the next stop of the clock, fires them).
 * Returns true if any fired.
 */
bool clock_run_timers(ClockType type);

/*
 * Virtual time moves only through these.  clock_advance_virtual_to() moves
 * the clock forward to target, stopping at each deadline on the way to run
 * the passes above with the clock showing exactly that deadline; timers left
 * due after the last pass at an instant fire at the next stop, late.  Every
 * stop is later than the one before, so an advance ends after at most one
 * stop per distinct deadline between now and target.  Moving backwards is
 * refused (returns false); the clock never goes back.
 */
bool clock_advance_virtual_to(int64_t target_ns);
/* Advances by ns, saturating at CLOCK_END_OF_TIME; returns the new time. */
int64_t clock_step_virtual(int64_t ns);
/* While virtual time is stopped (vm stopped) clock_get_ns(VIRTUAL) stays put. */

/* Disarms every timer and sets the virtual clock back to 0 (tern_cleanup). */
void clock_reset(void);

/*
 * ---- budgets (the fuzzers' per-input limits, docs/fuzzing.md) ----
 * Three limits, none involving the wall clock, so a run that reaches one
 * reaches it at the same point every time:
 *  - work: every timer callback and bottom half run costs a unit; when
 *    none is left nothing more runs (due timers stay armed and due,
 *    scheduled bottom halves stay scheduled) and the virtual clock stops
 *    moving.  Running out means the event loop never quietens: a hang.
 *  - transfer: bytes devices move, in units of one started 4 KiB of DMA
 *    (dma_memory_*) or one MMIO access of a transfer split into several
 *    (address_space_read/write).  A transfer that does not fit fails with
 *    MEMTX_ERROR (cut short at the access, for a split one), as a bus
 *    error would; the guest sees its device's error path.  Not a hang:
 *    the work is bounded, only large.
 *  - time: the virtual clock is never advanced past limit_ns; an advance
 *    beyond it ends there.
 */
typedef struct ClockBudget {
    uint64_t work_used;      /* work units charged since clock_budget_set() */
    bool work_exhausted;     /* a callback was refused */
    uint64_t transfer_used;  /* transfer units charged */
    bool transfer_exhausted; /* a transfer was refused */
    bool time_limit_hit;     /* an advance was cut at limit_ns */
} ClockBudget;
/* Sets the three limits (UINT64_MAX, CLOCK_END_OF_TIME: none). */
void clock_budget_set(uint64_t work, uint64_t transfer, int64_t limit_ns);
/* Removes the budget (tern_cleanup does too). */
void clock_budget_clear(void);
/* Charges one work unit; false (and nothing may run) when the budget is spent. */
bool clock_budget_charge(void);
/* Charges transfer units at once; false, charging nothing, when they do not fit. */
bool clock_budget_charge_transfer(uint64_t units);
const ClockBudget *clock_budget(void);

/*
 * ---- snapshots (core/snapshot.c) ----
 * The virtual clock with its armed timers, saved and put back exactly: the
 * same deadlines and the same arming sequence numbers, so that ties still
 * fire in the order they would have.  Only the virtual clock: realtime and
 * host timers belong to the host side.
 */
typedef struct TimerSaved {
    Timer *timer;
    int64_t expire_ns;
    uint64_t armed_seq;
} TimerSaved;

typedef struct ClockSaved {
    int64_t now_ns;
    uint64_t next_armed_seq;
} ClockSaved;

/*
 * Writes up to max armed virtual timers, in firing order, to out and the
 * clock to *clock; returns how many timers are armed (which may exceed max).
 */
size_t clock_virtual_save(ClockSaved *clock, TimerSaved *out, size_t max);
/*
 * Sets the virtual clock to clock->now_ns (backwards too: this is the one
 * way it goes back), disarms every virtual timer and arms exactly the n
 * saved ones, with their deadlines and sequence numbers.  Allocates nothing.
 * The saved timers must still exist (see timer_virtual_frees()).
 */
void clock_virtual_restore(const ClockSaved *clock, const TimerSaved *saved, size_t n);
/* How many virtual-clock timers have been freed since start-up (a stale-pointer guard). */
uint64_t timer_virtual_frees(void);

#endif
