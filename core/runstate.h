/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runstate.h - the run state of the machine and the requests that change
 * it: shutdown, reset and powerdown, each with its cause, and the process
 * exit status that follows.
 *
 * Requests are recorded where they happen (a device register write, a
 * signal, a QMP command) and acted on by the main loop between iterations,
 * never in the middle of a device callback.  The rules, as QEMU's:
 *  - shutdown: the run ends (exit status 0, or the guest's code); with
 *    -no-shutdown a guest shutdown stops the VM instead (host causes still end
 *    the run);
 *  - reset: the machine's reset handler runs; with -no-reboot a guest reset
 *    ends the run instead;
 *  - powerdown: the registered powerdown handlers run (the guest decides).
 */
#ifndef TERN_RUNSTATE_H
#define TERN_RUNSTATE_H

#include <stdbool.h>

typedef enum {
    RUN_STATE_PRELAUNCH, /* before the first vm_start (-S) */
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,   /* stopped by request (stop) */
    RUN_STATE_SHUTDOWN, /* guest shut down under -no-shutdown */
    RUN_STATE_GUEST_PANICKED,
    RUN_STATE_INTERNAL_ERROR,
    RUN_STATE__MAX
} RunState;

typedef enum {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_UI,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,
    SHUTDOWN_CAUSE_GUEST_PANIC,
    SHUTDOWN_CAUSE_SUBSYSTEM_RESET,
    SHUTDOWN_CAUSE__MAX
} ShutdownCause;

RunState runstate_get(void);
bool runstate_is_running(void);
/* QEMU's names: "prelaunch", "running", "paused", "shutdown", ... */
const char *runstate_name(RunState state);
const char *shutdown_cause_name(ShutdownCause cause); /* "guest-shutdown", ... */
void runstate_set(RunState state);
/* Starts (or resumes) the harts and the virtual clock. */
void vm_start(void);
/* Stops them, entering state (RUN_STATE_PAUSED for a plain stop). */
void vm_stop(RunState state);

void system_shutdown_request(ShutdownCause cause);
/* A shutdown whose exit status is code (sifive_test's fail). */
void system_shutdown_request_with_code(ShutdownCause cause, int code);
void system_reset_request(ShutdownCause cause);
void system_powerdown_request(void);
/*
 * Async-signal-safe: records a host shutdown (status 0) asked for by signal
 * signo sent by process pid (0: unknown, e.g. ^C at the terminal).  It does
 * not wake a blocked main loop: signal handlers call
 * main_loop_shutdown_from_signal().
 */
void runstate_request_shutdown_from_signal(int signo, int pid);
/* True while a request (or a signal) waits for runstate_process_requests(). */
bool runstate_request_pending(void);
/*
 * True while a shutdown signal waits for runstate_process_requests(); then
 * *signo and *pid (each may be NULL) are set.
 */
bool runstate_shutdown_signal_pending(int *signo, int *pid);
/*
 * The signal whose shutdown runstate_process_requests() acted on, and its
 * sender's pid (0: unknown); false when no signal ended the run.  Kept
 * until runstate_reset(): the program reports it as QEMU does.
 */
bool runstate_last_signal(int *signo, int *pid);

/* The machine's reset: what a reset request runs. */
void runstate_set_reset_handler(void (*fn)(ShutdownCause cause, void *opaque), void *opaque);
/* Powerdown handlers (a guest-visible power button), called in registration order. */
void runstate_add_powerdown_handler(void (*fn)(void *opaque), void *opaque);
/* -no-reboot, -no-shutdown. */
void runstate_set_options(bool no_reboot, bool no_shutdown);

/*
 * Observers of what the run state acts on (QMP turns them into events).
 * Registered once per process (from an init function) and kept across
 * tern_init/tern_cleanup; called when a shutdown, reset or powerdown request
 * is acted on, with its cause, before the run ends or the machine resets.
 */
typedef enum {
    RUNSTATE_EVENT_SHUTDOWN,
    RUNSTATE_EVENT_RESET,
    RUNSTATE_EVENT_POWERDOWN,
    RUNSTATE_EVENT_STOP, /* the VM stopped itself: a guest shutdown under -no-shutdown */
} RunStateEvent;
typedef void RunStateObserver(RunStateEvent event, ShutdownCause cause, void *opaque);
void runstate_add_observer(RunStateObserver *fn, void *opaque);
/* True for causes the guest made (guest-shutdown, guest-reset, guest-panic). */
bool shutdown_cause_is_guest(ShutdownCause cause);

/*
 * Acts on pending requests (the main loop calls this each iteration).
 * Returns true when the run must end; *exit_status is then set.
 */
bool runstate_process_requests(int *exit_status);
/* Cause of the last shutdown or reset acted on (for tests and QMP events). */
ShutdownCause runstate_last_shutdown_cause(void);
ShutdownCause runstate_last_reset_cause(void);
/*
 * Back to PRELAUNCH with no request pending and no handler (tern_cleanup);
 * a shutdown signal not yet acted on stays pending.
 */
void runstate_reset(void);

/*
 * ---- snapshots (core/snapshot.c) ----
 * The guest side of the run state: the state, the requests waiting for the
 * main loop (with their causes and exit code) and the last causes acted on.
 * Not saved: a signal received (the host's), handlers, observers, options.
 * runstate_restore() sets them back without running anything.
 */
typedef struct RunStateSaved {
    RunState state;
    bool shutdown_pending, reset_pending, powerdown_pending;
    ShutdownCause shutdown_requested, reset_requested;
    int shutdown_exit_code;
    ShutdownCause last_shutdown_cause, last_reset_cause;
} RunStateSaved;

void runstate_save(RunStateSaved *saved);
void runstate_restore(const RunStateSaved *saved);

#endif
