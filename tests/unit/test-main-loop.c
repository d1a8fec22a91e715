/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-main-loop.c - bottom halves, fd handlers, the order of one iteration,
 * when the loop blocks and when it warps virtual time, the wake-up pipe and
 * the signal path, and main_loop_cleanup().
 *
 * Blocking tests keep their waits to tens of milliseconds; a realtime guard
 * timer makes a wrongly blocking loop fail instead of hang.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <poll.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <glib.h>

#include "core/main-loop.h"
#include "tests/support/fds.h"
#include "core/runstate.h"
#include "core/timer.h"

/* Acts on a shutdown signal a test left pending (runstate_reset() keeps it: it is the process's).
 */
static void forget_pending_signal(void)
{
    int status;

    if (runstate_shutdown_signal_pending(NULL, NULL)) {
        runstate_process_requests(&status);
    }
    runstate_reset();
}

static int reset_all(void **state)
{
    main_loop_cleanup();
    forget_pending_signal();
    clock_reset();
    return 0;
}

/* ---- helpers ---------------------------------------------------------- */

typedef struct Trace {
    char text[128];
} Trace;

static Trace trace;

static void trace_add(const char *what)
{
    g_strlcat(trace.text, what, sizeof(trace.text));
}

static void trace_bh(void *opaque)
{
    trace_add(opaque);
}

static void count_call(void *opaque)
{
    (*(int *)opaque)++;
}

static int setup(void **state)
{
    reset_all(state);
    trace = (Trace){{0}};
    return 0;
}

static int64_t elapsed_ms_since(int64_t start_us)
{
    return (g_get_monotonic_time() - start_us) / 1000;
}

/* A realtime timer that ends main_loop_run() with status 99: "it blocked". */
static void guard_fired(void *opaque)
{
    system_shutdown_request_with_code(SHUTDOWN_CAUSE_HOST_ERROR, 99);
}

static Timer *guard_new(int ms)
{
    Timer *t = timer_new_ms(CLOCK_RT, guard_fired, NULL);

    timer_mod_ns(t, clock_get_ns(CLOCK_RT) + (int64_t)ms * SCALE_MS);
    return t;
}

static void make_pipe(int fds[2])
{
    assert_int_equal(pipe(fds), 0);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
}

static void close_pipe(int fds[2])
{
    set_fd_handler(fds[0], NULL, NULL, NULL);
    set_fd_handler(fds[1], NULL, NULL, NULL);
    close(fds[0]);
    close(fds[1]);
}

static void drain(int fd)
{
    char buf[64];

    while (read(fd, buf, sizeof(buf)) > 0) {
        continue;
    }
}

/* ---- bottom halves ---------------------------------------------------- */

static void test_bh_runs_once_though_scheduled_twice(void **state)
{
    int calls = 0;
    BH *bh = bh_new(count_call, &calls);

    bh_schedule(bh);
    bh_schedule(bh);
    assert_true(bh_poll());
    assert_int_equal(calls, 1);
    assert_false(bh_poll());
    assert_int_equal(calls, 1);
    bh_delete(bh);
}

static void test_bh_save_and_restore_put_back_the_scheduled_list(void **state)
{
    BH *a = bh_new(trace_bh, "a"), *b = bh_new(trace_bh, "b"), *c = bh_new(trace_bh, "c");
    BH *saved[4];
    size_t n;

    bh_schedule(b);
    bh_schedule(a);
    n = bh_save_scheduled(saved, 4);
    assert_int_equal(n, 2);
    assert_ptr_equal(saved[0], b);
    assert_int_equal(bh_save_scheduled(NULL, 0), 2);
    bh_poll();
    bh_schedule(c);
    bh_restore_scheduled(saved, n); /* c is cancelled, b and a come back in order */
    bh_poll();
    assert_string_equal(trace.text, "baba");
    bh_delete(a);
    bh_delete(b);
    bh_delete(c);
}

static void test_deleting_a_bh_is_counted(void **state)
{
    uint64_t before = bh_deletes();

    bh_delete(bh_new(trace_bh, "x"));
    bh_delete(NULL);
    assert_int_equal(bh_deletes(), before + 1);
}

static void test_bhs_run_in_scheduling_order(void **state)
{
    BH *a = bh_new(trace_bh, "a"), *b = bh_new(trace_bh, "b"), *c = bh_new(trace_bh, "c");

    bh_schedule(c);
    bh_schedule(a);
    bh_schedule(b);
    bh_poll();
    assert_string_equal(trace.text, "cab");
    bh_delete(a);
    bh_delete(b);
    bh_delete(c);
}

static BH *self_bh;

static void reschedule_self(void *opaque)
{
    (*(int *)opaque)++;
    bh_schedule(self_bh);
}

static void test_bh_rescheduling_itself_runs_once_per_poll(void **state)
{
    int calls = 0;

    self_bh = bh_new(reschedule_self, &calls);
    bh_schedule(self_bh);
    bh_poll();
    assert_int_equal(calls, 1);
    bh_poll();
    assert_int_equal(calls, 2);
    bh_delete(self_bh);
}

static void test_cancelled_bh_does_not_run(void **state)
{
    int calls = 0;
    BH *bh = bh_new(count_call, &calls);

    bh_schedule(bh);
    bh_cancel(bh);
    assert_false(bh_poll());
    assert_int_equal(calls, 0);
    bh_delete(bh);
}

static void test_deleting_a_scheduled_bh_unschedules_it(void **state)
{
    int calls = 0;
    BH *bh = bh_new(count_call, &calls);
    BH *other = bh_new(count_call, &calls);

    bh_schedule(bh);
    bh_schedule(other);
    bh_delete(bh);
    bh_poll();
    assert_int_equal(calls, 1);
    bh_delete(other);
}

static void delete_self(void *opaque)
{
    bh_delete(*(BH **)opaque);
    *(BH **)opaque = NULL;
}

static void test_bh_may_delete_itself(void **state)
{
    BH *bh = NULL;

    bh = bh_new(delete_self, &bh);
    bh_schedule(bh);
    bh_poll();
    assert_null(bh);
}

static void delete_other(void *opaque)
{
    bh_delete(opaque);
}

static void test_bh_may_delete_a_later_scheduled_bh(void **state)
{
    int calls = 0;
    BH *victim = bh_new(count_call, &calls);
    BH *killer = bh_new(delete_other, victim);

    bh_schedule(killer);
    bh_schedule(victim);
    bh_poll();
    assert_int_equal(calls, 0);
    bh_delete(killer);
}

static void test_bh_delete_of_null_is_harmless(void **state)
{
    bh_delete(NULL);
    bh_cancel(NULL);
}

/* ---- fd handlers ------------------------------------------------------ */

typedef struct Watcher {
    int fd;
    int reads, writes;
    /* Optional action on read. */
    void (*then)(struct Watcher *w);
    struct Watcher *other;
} Watcher;

static void watcher_read(void *opaque)
{
    Watcher *w = opaque;

    w->reads++;
    drain(w->fd);
    if (w->then) {
        w->then(w);
    }
}

static void watcher_write(void *opaque)
{
    Watcher *w = opaque;

    w->writes++;
    set_fd_handler(w->fd, NULL, NULL, NULL);
}

/* A new pipe in fds whose read end w watches with watcher_read. */
static void watch_read_end(int fds[2], Watcher *w)
{
    make_pipe(fds);
    w->fd = fds[0];
    set_fd_handler(fds[0], watcher_read, NULL, w);
}

static void test_read_handler_runs_when_fd_is_readable(void **state)
{
    int fds[2];
    Watcher w = {0};

    watch_read_end(fds, &w);
    main_loop_wait(true);
    assert_int_equal(w.reads, 0);
    assert_int_equal(write(fds[1], "x", 1), 1);
    main_loop_wait(true);
    assert_int_equal(w.reads, 1);
    close_pipe(fds);
}

static void test_write_handler_runs_when_fd_is_writable(void **state)
{
    int fds[2];
    Watcher w = {0};

    make_pipe(fds);
    w.fd = fds[1];
    set_fd_handler(fds[1], NULL, watcher_write, &w);
    main_loop_wait(true);
    assert_int_equal(w.writes, 1);
    close_pipe(fds);
}

static void test_read_handler_sees_hangup(void **state)
{
    int fds[2];
    Watcher w = {0};

    watch_read_end(fds, &w);
    close(fds[1]);
    main_loop_wait(true);
    assert_int_equal(w.reads, 1);
    set_fd_handler(fds[0], NULL, NULL, NULL);
    close(fds[0]);
}

static void test_null_handlers_remove_the_watch(void **state)
{
    int fds[2];
    Watcher w = {0};

    watch_read_end(fds, &w);
    set_fd_handler(fds[0], NULL, NULL, NULL);
    assert_int_equal(write(fds[1], "x", 1), 1);
    main_loop_wait(true);
    assert_int_equal(w.reads, 0);
    close_pipe(fds);
}

static void test_second_handler_for_an_fd_replaces_the_first(void **state)
{
    int fds[2];
    Watcher first = {0}, second = {0};

    make_pipe(fds);
    first.fd = second.fd = fds[0];
    set_fd_handler(fds[0], watcher_read, NULL, &first);
    set_fd_handler(fds[0], watcher_read, NULL, &second);
    assert_int_equal(write(fds[1], "x", 1), 1);
    main_loop_wait(true);
    assert_int_equal(first.reads, 0);
    assert_int_equal(second.reads, 1);
    close_pipe(fds);
}

static void remove_self(Watcher *w)
{
    set_fd_handler(w->fd, NULL, NULL, NULL);
}

static void test_handler_may_remove_itself(void **state)
{
    int fds[2];
    Watcher w = {0};

    watch_read_end(fds, &w);
    w.then = remove_self;
    assert_int_equal(write(fds[1], "x", 1), 1);
    main_loop_wait(true);
    assert_int_equal(write(fds[1], "y", 1), 1);
    main_loop_wait(true);
    assert_int_equal(w.reads, 1);
    close_pipe(fds);
}

static void remove_other(Watcher *w)
{
    set_fd_handler(w->other->fd, NULL, NULL, NULL);
}

static void test_handler_may_remove_another_ready_handler(void **state)
{
    int a[2], b[2];
    Watcher wa = {0}, wb = {0};

    watch_read_end(a, &wa);
    watch_read_end(b, &wb);
    wa.then = wb.then = remove_other;
    wa.other = &wb;
    wb.other = &wa;
    assert_int_equal(write(a[1], "x", 1), 1);
    assert_int_equal(write(b[1], "x", 1), 1);
    main_loop_wait(true);
    /* Whichever ran first removed the other before its turn. */
    assert_int_equal(wa.reads + wb.reads, 1);
    close_pipe(a);
    close_pipe(b);
}

static void add_other(Watcher *w)
{
    set_fd_handler(w->other->fd, watcher_read, NULL, w->other);
}

static void test_handler_may_add_a_handler(void **state)
{
    int a[2], b[2];
    Watcher wa = {0}, wb = {0};

    watch_read_end(a, &wa);
    make_pipe(b);
    wb.fd = b[0]; /* watched only once wa's handler adds it */
    wa.then = add_other;
    wa.other = &wb;
    assert_int_equal(write(a[1], "x", 1), 1);
    assert_int_equal(write(b[1], "x", 1), 1);
    main_loop_wait(true);
    assert_int_equal(wa.reads, 1);
    main_loop_wait(true);
    assert_int_equal(wb.reads, 1);
    close_pipe(a);
    close_pipe(b);
}

static void test_many_fd_handlers_all_run(void **state)
{
    enum { N = 40 };
    int fds[N][2];
    Watcher w[N];

    memset(w, 0, sizeof(w));
    for (int i = 0; i < N; i++) {
        make_pipe(fds[i]);
        w[i].fd = fds[i][0];
        set_fd_handler(fds[i][0], watcher_read, NULL, &w[i]);
        assert_int_equal(write(fds[i][1], "x", 1), 1);
    }
    main_loop_wait(true);
    for (int i = 0; i < N; i++) {
        assert_int_equal(w[i].reads, 1);
        close_pipe(fds[i]);
    }
}

typedef struct OrderedWatcher {
    int fd;
    const char *name;
} OrderedWatcher;

static void trace_ordered_read(void *opaque)
{
    OrderedWatcher *w = opaque;

    drain(w->fd);
    trace_add(w->name);
}

static void test_fd_handlers_run_in_the_order_they_were_added(void **state)
{
    static const char *const names[4] = {"0", "1", "2", "3"};
    int fds[4][2];
    OrderedWatcher w[4];

    for (int i = 0; i < 4; i++) {
        make_pipe(fds[i]);
    }
    /* Add in an order unrelated to the fd numbers, then remove the first. */
    for (int i = 3; i >= 0; i--) {
        w[i] = (OrderedWatcher){fds[i][0], names[i]};
        set_fd_handler(fds[i][0], trace_ordered_read, NULL, &w[i]);
        assert_int_equal(write(fds[i][1], "x", 1), 1);
    }
    set_fd_handler(fds[3][0], NULL, NULL, NULL);
    main_loop_wait(true);
    assert_string_equal(trace.text, "210");
    for (int i = 0; i < 4; i++) {
        close_pipe(fds[i]);
    }
}

typedef struct Reopener {
    int fd;        /* the watched fd: ready when polled */
    Watcher *late; /* watches the new file behind the same number */
} Reopener;

static void reopen_other(void *opaque)
{
    Reopener *r = opaque;
    int fresh[2];

    drain(r->fd);
    /* Replace the other watched file by an empty pipe under the same fd number. */
    set_fd_handler(r->late->fd, NULL, NULL, NULL);
    make_pipe(fresh);
    dup2(fresh[0], r->late->fd);
    close(fresh[0]);
    set_fd_handler(r->late->fd, watcher_read, NULL, r->late);
    close(fresh[1]);
}

static void test_events_of_a_removed_watch_do_not_reach_its_successor(void **state)
{
    int a[2], b[2];
    Watcher late = {0};
    Reopener r;

    make_pipe(a);
    make_pipe(b);
    r = (Reopener){a[0], &late};
    late.fd = b[0];
    set_fd_handler(a[0], reopen_other, NULL, &r);
    set_fd_handler(b[0], watcher_read, NULL, &(Watcher){.fd = b[0]});
    assert_int_equal(write(a[1], "x", 1), 1);
    assert_int_equal(write(b[1], "x", 1), 1);
    main_loop_wait(true);
    /* b's readiness was for the old file: the new watch was not polled yet. */
    assert_int_equal(late.reads, 0);
    close_pipe(a);
    set_fd_handler(b[0], NULL, NULL, NULL);
    close(b[0]);
    close(b[1]);
}

static void test_closed_fd_left_watched_is_dropped(void **state)
{
    int fds[2];
    Watcher w = {0};

    watch_read_end(fds, &w);
    close(fds[0]);
    close(fds[1]);
    main_loop_wait(true);
    main_loop_wait(true);
    assert_int_equal(w.reads, 0);
}

/* ---- one iteration ---------------------------------------------------- */

static void trace_timer(void *opaque)
{
    trace_add(opaque);
}

static void trace_fd_read(void *opaque)
{
    drain(*(int *)opaque);
    trace_add("f");
}

static void test_iteration_runs_bhs_then_fd_handlers_then_timers(void **state)
{
    int fds[2];
    BH *bh = bh_new(trace_bh, "b");
    Timer *t = timer_new_ns(CLOCK_RT, trace_timer, "t");

    make_pipe(fds);
    set_fd_handler(fds[0], trace_fd_read, NULL, &fds[0]);
    assert_int_equal(write(fds[1], "x", 1), 1);
    timer_mod_ns(t, 0);
    bh_schedule(bh);
    main_loop_wait(true);
    assert_string_equal(trace.text, "bft");
    close_pipe(fds);
    bh_delete(bh);
    timer_free(t);
}

static void shutdown_with_7(void *opaque)
{
    system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 7);
}

static void test_request_from_a_bh_ends_the_same_iteration(void **state)
{
    BH *bh = bh_new(shutdown_with_7, NULL);

    bh_schedule(bh);
    assert_true(main_loop_wait(true));
    bh_delete(bh);
}

static void test_run_returns_the_requested_exit_status(void **state)
{
    BH *bh = bh_new(shutdown_with_7, NULL);

    bh_schedule(bh);
    assert_int_equal(main_loop_run(), 7);
    bh_delete(bh);
}

static void count_reset(ShutdownCause cause, void *opaque)
{
    (*(int *)opaque)++;
}

static void test_reset_request_runs_between_iterations(void **state)
{
    int resets = 0;

    runstate_set_reset_handler(count_reset, &resets);
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_false(main_loop_wait(true));
    assert_int_equal(resets, 1);
}

static bool cpu_run_count(void *opaque)
{
    (*(int *)opaque)++;
    return false;
}

static void test_harts_run_only_while_the_vm_runs(void **state)
{
    int runs = 0;

    main_loop_set_hooks(&(MainLoopHooks){.cpu_run = cpu_run_count, .opaque = &runs});
    main_loop_wait(true);
    assert_int_equal(runs, 0);
    vm_start();
    main_loop_wait(true);
    assert_int_equal(runs, 1);
    vm_stop(RUN_STATE_PAUSED);
    main_loop_wait(true);
    assert_int_equal(runs, 1);
}

/* ---- time at its limits (docs/time.md) --------------------------------- */

static void test_warp_reaches_a_deadline_at_the_end_of_time(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, count_call, &fired);

    main_loop_set_hooks(&(MainLoopHooks){.warp_virtual = true});
    vm_start();
    timer_mod_ns(t, INT64_MAX);
    main_loop_wait(false);
    assert_int_equal(fired, 1);
    assert_true(clock_get_ns(CLOCK_VIRTUAL) == INT64_MAX);
    timer_free(t);
}

static Timer *zero_period;

static void rearm_zero_period(void *opaque)
{
    (*(int *)opaque)++;
    timer_mod_ns(zero_period, clock_get_ns(CLOCK_VIRTUAL));
}

static void test_zero_period_virtual_timer_does_not_hold_the_loop(void **state)
{
    int fired = 0;
    Timer *guard = guard_new(2000);

    zero_period = timer_new_ns(CLOCK_VIRTUAL, rearm_zero_period, &fired);
    main_loop_set_hooks(&(MainLoopHooks){.warp_virtual = true});
    vm_start();
    timer_mod_ns(zero_period, 1000);
    /* The warp's passes at 1000, then the turn's own: each bounded. */
    main_loop_wait(false);
    assert_int_equal(fired, 2 * CLOCK_PASSES_PER_INSTANT);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 1000);
    main_loop_wait(false);
    assert_int_equal(fired, 4 * CLOCK_PASSES_PER_INSTANT);
    timer_free(zero_period);
    timer_free(guard);
}

static void test_realtime_deadline_at_the_end_of_time_is_waited_for_in_bounded_ms(void **state)
{
    int fds[2];
    Watcher w = {0};
    int fired = 0;
    Timer *far = timer_new_ns(CLOCK_RT, count_call, &fired);
    Timer *guard = guard_new(2000);

    timer_mod_ns(far, INT64_MAX);
    timer_del(guard); /* the far timer alone decides the wait */
    watch_read_end(fds, &w);
    assert_int_equal(write(fds[1], "x", 1), 1);
    main_loop_wait(false); /* the timeout saturates at INT_MAX ms; the fd ends the wait */
    assert_int_equal(w.reads, 1);
    assert_int_equal(fired, 0);
    assert_true(timer_pending(far));
    close_pipe(fds);
    timer_free(far);
    timer_free(guard);
}

/* ---- virtual time ----------------------------------------------------- */

static void test_idle_harts_warp_virtual_time_to_the_next_deadline(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, count_call, &fired);
    Timer *guard = guard_new(2000);
    int64_t start = g_get_monotonic_time();

    main_loop_set_hooks(&(MainLoopHooks){.warp_virtual = true});
    vm_start();
    timer_mod_ns(t, NANOSECONDS_PER_SECOND); /* one virtual second */
    main_loop_wait(false);
    assert_int_equal(fired, 1);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), NANOSECONDS_PER_SECOND);
    assert_true(elapsed_ms_since(start) < 500);
    timer_free(t);
    timer_free(guard);
}

static void test_warp_visits_each_deadline_in_turn(void **state)
{
    Timer *a = timer_new_ns(CLOCK_VIRTUAL, trace_timer, "a");
    Timer *b = timer_new_ns(CLOCK_VIRTUAL, trace_timer, "b");

    main_loop_set_hooks(&(MainLoopHooks){.warp_virtual = true});
    vm_start();
    timer_mod_ns(b, 2000);
    timer_mod_ns(a, 1000);
    main_loop_wait(false);
    assert_string_equal(trace.text, "a");
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 1000);
    main_loop_wait(false);
    assert_string_equal(trace.text, "ab");
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 2000);
    timer_free(a);
    timer_free(b);
}

static void test_no_warp_before_the_vm_starts(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, count_call, &fired);

    main_loop_set_hooks(&(MainLoopHooks){.warp_virtual = true});
    timer_mod_ns(t, 1000);
    main_loop_wait(true);
    assert_int_equal(fired, 0);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 0);
    timer_free(t);
}

static void test_no_warp_while_paused(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, count_call, &fired);

    main_loop_set_hooks(&(MainLoopHooks){.warp_virtual = true});
    vm_start();
    vm_stop(RUN_STATE_PAUSED);
    timer_mod_ns(t, 1000);
    main_loop_wait(true);
    assert_int_equal(fired, 0);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 0);
    timer_free(t);
}

static void test_no_warp_without_the_accelerators_consent(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, count_call, &fired);

    vm_start();
    timer_mod_ns(t, 1000);
    main_loop_wait(true);
    assert_int_equal(fired, 0);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 0);
    timer_free(t);
}

static bool cpu_busy(void *opaque)
{
    return true;
}

static void test_no_warp_while_harts_are_busy(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, count_call, &fired);

    main_loop_set_hooks(&(MainLoopHooks){.cpu_run = cpu_busy, .warp_virtual = true});
    vm_start();
    timer_mod_ns(t, 1000);
    main_loop_wait(false);
    assert_int_equal(fired, 0);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 0);
    timer_free(t);
}

static void test_warp_when_harts_go_idle(void **state)
{
    int fired = 0, runs = 0;
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, count_call, &fired);

    main_loop_set_hooks(
        &(MainLoopHooks){.cpu_run = cpu_run_count, .opaque = &runs, .warp_virtual = true});
    vm_start();
    timer_mod_ns(t, 1000);
    main_loop_wait(false);
    assert_int_equal(runs, 1);
    assert_int_equal(fired, 1);
    timer_free(t);
}

static void test_expired_virtual_timers_wait_while_the_vm_is_stopped(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, count_call, &fired);

    timer_mod_ns(t, 0);
    main_loop_wait(true);
    assert_int_equal(fired, 0);
    vm_start();
    main_loop_wait(true);
    assert_int_equal(fired, 1);
    timer_free(t);
}

static void test_run_warps_until_a_timer_requests_shutdown(void **state)
{
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, shutdown_with_7, NULL);
    Timer *guard = guard_new(2000);

    main_loop_set_hooks(&(MainLoopHooks){.warp_virtual = true});
    vm_start();
    timer_mod_ns(t, 5000);
    assert_int_equal(main_loop_run(), 7);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 5000);
    timer_free(t);
    timer_free(guard);
}

/* ---- blocking --------------------------------------------------------- */

static void test_wait_blocks_until_the_next_realtime_deadline(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ms(CLOCK_RT, count_call, &fired);
    int64_t start = g_get_monotonic_time();
    int64_t deadline = clock_get_ns(CLOCK_RT) + 30 * SCALE_MS;

    timer_mod_ns(t, deadline);
    main_loop_wait(false);
    assert_int_equal(fired, 1);
    assert_true(clock_get_ns(CLOCK_RT) >= deadline);
    assert_true(elapsed_ms_since(start) >= 29);
    assert_true(elapsed_ms_since(start) < 1000);
    timer_free(t);
}

static void test_wait_blocks_until_the_next_host_deadline(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ms(CLOCK_HOST, count_call, &fired);
    int64_t start = g_get_monotonic_time();

    timer_mod_ns(t, clock_get_ns(CLOCK_HOST) + 20 * SCALE_MS);
    for (int i = 0; i < 10 && !fired; i++) {
        main_loop_wait(false);
    }
    assert_int_equal(fired, 1);
    assert_true(elapsed_ms_since(start) >= 15);
    assert_true(elapsed_ms_since(start) < 1000);
    timer_free(t);
}

static void test_nonblocking_wait_returns_at_once(void **state)
{
    Timer *guard = guard_new(2000);
    int64_t start = g_get_monotonic_time();

    main_loop_wait(true);
    assert_true(elapsed_ms_since(start) < 500);
    timer_free(guard);
}

static BH *harts_bh;

static bool cpu_schedules_bh_and_idles(void *opaque)
{
    bh_schedule(harts_bh);
    return false;
}

static void test_wait_does_not_block_with_a_bh_scheduled_by_the_harts(void **state)
{
    int calls = 0;
    Timer *guard = guard_new(2000);
    int64_t start = g_get_monotonic_time();

    harts_bh = bh_new(count_call, &calls);
    main_loop_set_hooks(&(MainLoopHooks){.cpu_run = cpu_schedules_bh_and_idles});
    vm_start();
    main_loop_wait(false);
    assert_true(elapsed_ms_since(start) < 500);
    assert_int_equal(calls, 0);
    main_loop_set_hooks(NULL);
    main_loop_wait(true);
    assert_int_equal(calls, 1);
    bh_delete(harts_bh);
    timer_free(guard);
}

static bool cpu_requests_shutdown_and_idles(void *opaque)
{
    system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 5);
    return false;
}

static void test_request_made_by_harts_is_not_left_waiting(void **state)
{
    Timer *guard = guard_new(2000);
    int64_t start = g_get_monotonic_time();

    main_loop_set_hooks(
        &(MainLoopHooks){.cpu_run = cpu_requests_shutdown_and_idles, .warp_virtual = true});
    vm_start();
    assert_int_equal(main_loop_run(), 5);
    assert_true(elapsed_ms_since(start) < 500);
    timer_free(guard);
}

static void test_virtual_deadline_is_not_waited_for_in_host_time(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, count_call, &fired);
    Timer *rt = timer_new_ms(CLOCK_RT, count_call, &fired);

    /* No warp (qtest): a virtual deadline 1 ms ahead never arrives by waiting. */
    vm_start();
    timer_mod_ns(t, SCALE_MS);
    timer_mod_ns(rt, clock_get_ns(CLOCK_RT) + 20 * SCALE_MS);
    main_loop_wait(false);
    assert_int_equal(clock_get_ns(CLOCK_VIRTUAL), 0);
    assert_true(timer_pending(t));
    assert_false(timer_pending(rt));
    timer_free(t);
    timer_free(rt);
}

static void test_expired_virtual_timer_is_not_left_waiting(void **state)
{
    int fired = 0;
    Timer *t = timer_new_ns(CLOCK_VIRTUAL, count_call, &fired);
    Timer *guard = guard_new(2000);
    int64_t start = g_get_monotonic_time();

    vm_start();
    timer_mod_ns(t, 0);
    main_loop_wait(false);
    assert_int_equal(fired, 1);
    assert_true(elapsed_ms_since(start) < 500);
    timer_free(t);
    timer_free(guard);
}

static gpointer notify_later(gpointer data)
{
    g_usleep(20000);
    main_loop_notify();
    return NULL;
}

static void test_notify_wakes_a_blocked_wait(void **state)
{
    Timer *guard = guard_new(2000);
    int64_t start = g_get_monotonic_time();
    GThread *thread;

    thread = g_thread_new("notify", notify_later, NULL);
    main_loop_wait(false); /* nothing due: blocks until notified */
    g_thread_join(thread);
    assert_true(elapsed_ms_since(start) >= 15);
    assert_true(elapsed_ms_since(start) < 1000);
    assert_true(timer_pending(guard));
    timer_free(guard);
}

static void on_signal(int signo)
{
    main_loop_shutdown_from_signal(signo, 0);
}

static void test_signal_during_blocked_wait_ends_the_run_with_status_0(void **state)
{
    struct sigaction sa, old;
    struct itimerval in_20ms = {.it_value = {.tv_usec = 20000}};
    Timer *guard = guard_new(2000);
    int64_t start = g_get_monotonic_time();
    int status;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* poll() must still wake: the pipe does it */
    sigaction(SIGALRM, &sa, &old);
    vm_start();
    setitimer(ITIMER_REAL, &in_20ms, NULL);
    status = main_loop_run();
    sigaction(SIGALRM, &old, NULL);
    assert_int_equal(status, 0);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_HOST_SIGNAL);
    assert_true(elapsed_ms_since(start) < 1000);
    timer_free(guard);
}

/*
 * Start-up waits end on a shutdown signal, even one delivered with
 * SA_RESTART (the wake-up pipe ends the poll): a server waiting for its
 * first client, a FIFO waiting for its reader.
 */
static void test_signal_ends_a_wait_for_a_client(void **state)
{
    struct sigaction sa, old;
    struct itimerval in_20ms = {.it_value = {.tv_usec = 20000}};
    int fds[2];
    int signo = 0, pid = -1;

    assert_int_equal(pipe(fds), 0); /* never written: the wait can only end by the signal */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, &old);
    setitimer(ITIMER_REAL, &in_20ms, NULL);
    errno = 0;
    assert_false(main_loop_wait_fd(fds[0], POLLIN));
    assert_int_equal(errno, EINTR);
    sigaction(SIGALRM, &old, NULL);
    /* The signal is still pending, for tern_init() to act on. */
    assert_true(runstate_shutdown_signal_pending(&signo, &pid));
    assert_int_equal(signo, SIGALRM);
    assert_int_equal(pid, 0);
    /* Ready fds are not waited for. */
    forget_pending_signal();
    assert_int_equal(write(fds[1], "x", 1), 1);
    assert_true(main_loop_wait_fd(fds[0], POLLIN));
    close(fds[0]);
    close(fds[1]);
}

static void test_signal_ends_a_wait_for_a_fifo_reader(void **state)
{
    struct sigaction sa, old;
    struct itimerval in_50ms = {.it_value = {.tv_usec = 50000}};
    char *dir = g_dir_make_tmp("tern-main-loop-XXXXXX", NULL);
    char *fifo = g_build_filename(dir, "fifo", NULL);
    char *file = g_build_filename(dir, "file", NULL);
    int fd;

    assert_int_equal(mkfifo(fifo, 0600), 0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old);
    setitimer(ITIMER_REAL, &in_50ms, NULL);
    errno = 0;
    assert_int_equal(main_loop_open_output(fifo, O_WRONLY | O_CLOEXEC, 0600), -1);
    assert_int_equal(errno, EINTR);
    sigaction(SIGALRM, &old, NULL);
    assert_true(runstate_shutdown_signal_pending(NULL, NULL));
    forget_pending_signal();
    /* A FIFO with a reader and a regular file open at once, in blocking mode. */
    fd = open(fifo, O_RDONLY | O_NONBLOCK);
    assert_true(fd >= 0);
    {
        int w = main_loop_open_output(fifo, O_WRONLY | O_CLOEXEC, 0600);
        assert_true(w >= 0);
        assert_int_equal(fcntl(w, F_GETFL) & O_NONBLOCK, 0);
        close(w);
    }
    close(fd);
    fd = main_loop_open_output(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    close(fd);
    unlink(fifo);
    unlink(file);
    g_rmdir(dir);
    g_free(file);
    g_free(fifo);
    g_free(dir);
}

static void test_raised_signal_ends_the_run_with_status_0(void **state)
{
    struct sigaction sa, old;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, &old);
    raise(SIGUSR1);
    sigaction(SIGUSR1, &old, NULL);
    assert_int_equal(main_loop_run(), 0);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_HOST_SIGNAL);
}

/* ---- cleanup ---------------------------------------------------------- */

static void test_cleanup_drops_fd_handlers(void **state)
{
    int fds[2];
    Watcher w = {0};

    watch_read_end(fds, &w);
    assert_int_equal(write(fds[1], "x", 1), 1);
    main_loop_cleanup();
    main_loop_wait(true);
    assert_int_equal(w.reads, 0);
    close(fds[0]);
    close(fds[1]);
}

static void test_cleanup_cancels_bhs_without_freeing_them(void **state)
{
    int calls = 0;
    BH *bh = bh_new(count_call, &calls);

    bh_schedule(bh);
    main_loop_cleanup();
    assert_false(bh_poll());
    assert_int_equal(calls, 0);
    /* Still the owner's: it can be scheduled again, then deleted. */
    bh_schedule(bh);
    assert_true(bh_poll());
    bh_delete(bh);
}

static void test_cleanup_forgets_the_hooks(void **state)
{
    int runs = 0;

    main_loop_set_hooks(
        &(MainLoopHooks){.cpu_run = cpu_run_count, .opaque = &runs, .warp_virtual = true});
    main_loop_cleanup();
    vm_start();
    main_loop_wait(true);
    assert_int_equal(runs, 0);
}

static void test_cycles_of_use_and_cleanup_leak_no_descriptors(void **state)
{
    int before;

    main_loop_wait(true); /* the wake-up pipe exists from here on */
    before = (int)fds_open_count();
    for (int i = 0; i < 100; i++) {
        int fds[2];
        Watcher w = {0};

        make_pipe(fds);
        w.fd = fds[0];
        set_fd_handler(fds[0], watcher_read, NULL, &w);
        main_loop_notify();
        main_loop_wait(true);
        main_loop_cleanup();
        runstate_reset();
        clock_reset();
        close(fds[0]);
        close(fds[1]);
    }
    assert_int_equal((int)fds_open_count(), before);
}

static void test_notify_preserves_errno(void **state)
{
    errno = ERANGE;
    main_loop_notify();
    assert_int_equal(errno, ERANGE);
    main_loop_cleanup();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, reset_all)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_bh_runs_once_though_scheduled_twice),
        T(test_bhs_run_in_scheduling_order),
        T(test_bh_save_and_restore_put_back_the_scheduled_list),
        T(test_deleting_a_bh_is_counted),
        T(test_bh_rescheduling_itself_runs_once_per_poll),
        T(test_cancelled_bh_does_not_run),
        T(test_deleting_a_scheduled_bh_unschedules_it),
        T(test_bh_may_delete_itself),
        T(test_bh_may_delete_a_later_scheduled_bh),
        T(test_bh_delete_of_null_is_harmless),
        T(test_read_handler_runs_when_fd_is_readable),
        T(test_write_handler_runs_when_fd_is_writable),
        T(test_read_handler_sees_hangup),
        T(test_null_handlers_remove_the_watch),
        T(test_second_handler_for_an_fd_replaces_the_first),
        T(test_handler_may_remove_itself),
        T(test_handler_may_remove_another_ready_handler),
        T(test_handler_may_add_a_handler),
        T(test_many_fd_handlers_all_run),
        T(test_fd_handlers_run_in_the_order_they_were_added),
        T(test_events_of_a_removed_watch_do_not_reach_its_successor),
        T(test_closed_fd_left_watched_is_dropped),
        T(test_iteration_runs_bhs_then_fd_handlers_then_timers),
        T(test_request_from_a_bh_ends_the_same_iteration),
        T(test_run_returns_the_requested_exit_status),
        T(test_reset_request_runs_between_iterations),
        T(test_harts_run_only_while_the_vm_runs),
        T(test_idle_harts_warp_virtual_time_to_the_next_deadline),
        T(test_warp_visits_each_deadline_in_turn),
        T(test_no_warp_before_the_vm_starts),
        T(test_no_warp_while_paused),
        T(test_no_warp_without_the_accelerators_consent),
        T(test_no_warp_while_harts_are_busy),
        T(test_warp_when_harts_go_idle),
        T(test_expired_virtual_timers_wait_while_the_vm_is_stopped),
        T(test_run_warps_until_a_timer_requests_shutdown),
        T(test_wait_blocks_until_the_next_realtime_deadline),
        T(test_wait_blocks_until_the_next_host_deadline),
        T(test_nonblocking_wait_returns_at_once),
        T(test_wait_does_not_block_with_a_bh_scheduled_by_the_harts),
        T(test_request_made_by_harts_is_not_left_waiting),
        T(test_virtual_deadline_is_not_waited_for_in_host_time),
        T(test_expired_virtual_timer_is_not_left_waiting),
        T(test_notify_wakes_a_blocked_wait),
        T(test_signal_during_blocked_wait_ends_the_run_with_status_0),
        T(test_signal_ends_a_wait_for_a_client),
        T(test_signal_ends_a_wait_for_a_fifo_reader),
        T(test_raised_signal_ends_the_run_with_status_0),
        T(test_cleanup_drops_fd_handlers),
        T(test_cleanup_cancels_bhs_without_freeing_them),
        T(test_cleanup_forgets_the_hooks),
        T(test_cycles_of_use_and_cleanup_leak_no_descriptors),
        T(test_notify_preserves_errno),
        T(test_warp_reaches_a_deadline_at_the_end_of_time),
        T(test_zero_period_virtual_timer_does_not_hold_the_loop),
        T(test_realtime_deadline_at_the_end_of_time_is_waited_for_in_bounded_ms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
