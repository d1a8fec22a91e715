/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main-loop.h - the loop that runs everything: harts (through the
 * accelerator's hooks), bottom halves, fd handlers (poll), timers, and the
 * run-state requests that end it.
 *
 * One iteration, in order:
 *   1. bottom halves scheduled so far, in scheduling order;
 *   2. pending shutdown/reset/powerdown requests (runstate.h);
 *   3. the harts, if running and the accelerator has cpu_run;
 *   4. when the harts are idle and the accelerator warps (interp), the
 *      virtual clock jumps to its next deadline;
 *   5. poll() on the fd handlers, blocking until the next host deadline
 *      (realtime/host timers) only when nothing else is due;
 *   6. fd handlers, then expired timers of every clock.
 * Nothing here is threaded; a signal handler may call main_loop_notify().
 */
#ifndef TERN_MAIN_LOOP_H
#define TERN_MAIN_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct MainLoopHooks {
    /* Runs harts for a slice; true while there is more to do. NULL: no guest code. */
    bool (*cpu_run)(void *opaque);
    void *opaque;
    /* When the harts are idle, jump virtual time to the next deadline. */
    bool warp_virtual;
} MainLoopHooks;

void main_loop_set_hooks(const MainLoopHooks *hooks);

typedef void IOHandler(void *opaque);
/*
 * Watches fd: read is called when it is readable, write when writable; both
 * NULL removes the watch.  One watch per fd (a new call replaces it).
 */
void set_fd_handler(int fd, IOHandler *read, IOHandler *write, void *opaque);

typedef struct BH BH;
typedef void BHFunc(void *opaque);
BH *bh_new(BHFunc *cb, void *opaque);
/* Runs cb once at the start of the next iteration (scheduling twice runs it once). */
void bh_schedule(BH *bh);
void bh_cancel(BH *bh);
void bh_delete(BH *bh);
/* Runs every scheduled bottom half now; true if any ran. */
bool bh_poll(void);

/*
 * One iteration.  nonblocking: poll with a zero timeout.  Returns true when a
 * request ended the run (main_loop_run returns then).
 */
bool main_loop_wait(bool nonblocking);
/* Iterates until a shutdown is requested; returns the process exit status. */
int main_loop_run(void);
/*
 * For a driver that runs the loop itself with main_loop_wait(true) (the
 * replay harness): nothing is left to do without host input -- no bottom
 * half scheduled, no request waiting, no virtual timer due -- and the exit
 * status of the last run ended by main_loop_wait.
 */
bool main_loop_idle(void);
int main_loop_exit_status(void);
/* Wakes a blocked poll(); async-signal-safe. */
void main_loop_notify(void);
/*
 * For signal handlers (async-signal-safe): records a host shutdown request
 * (signal signo from process pid, 0 when unknown) with the run state and
 * wakes the loop, which ends the run with status 0.  It also wakes the
 * start-up waits below.
 */
void main_loop_shutdown_from_signal(int signo, int pid);

/*
 * ---- waits outside the loop (start-up) ----
 * A server socket's first client (wait=on) and a FIFO's reader are waited
 * for before the loop runs.  A shutdown signal ends such a wait: the signal
 * handler's wake-up is polled with the fd, so a signal is never missed.
 * Then the wait fails with EINTR, the signal stays pending, and tern_init()
 * ends start-up as that shutdown (core/vl.c).
 *
 * main_loop_wait_fd: blocks until fd has one of events.  Returns true; false
 * with errno set (EINTR: a shutdown signal is pending).
 */
bool main_loop_wait_fd(int fd, short events);
/*
 * open(2) for output files (flags must include O_WRONLY or O_RDWR), made
 * with O_NONBLOCK so that open() itself never waits (a tty's carrier), then
 * set back to what flags asked.  A FIFO with no reader yet is waited for
 * (checked every 20 ms) with shutdown signals watched.  Returns the fd, or
 * -1 with errno (EINTR: a shutdown signal is pending).
 */
int main_loop_open_output(const char *path, int flags, int mode);
/* Drops fd handlers, cancels bottom halves and forgets the hooks (tern_cleanup). */
void main_loop_cleanup(void);

/*
 * ---- snapshots (core/snapshot.c) ----
 * bh_save_scheduled writes up to max scheduled bottom halves, in the order
 * they will run, and returns how many are scheduled (may exceed max).
 * bh_restore_scheduled cancels every scheduled bottom half and schedules the
 * n given ones in that order; it allocates nothing.  bh_deletes counts
 * bh_delete calls since start-up, so that a snapshot can refuse to schedule
 * a bottom half that may have been freed.
 */
size_t bh_save_scheduled(BH **out, size_t max);
void bh_restore_scheduled(BH *const *saved, size_t n);
uint64_t bh_deletes(void);

#endif
