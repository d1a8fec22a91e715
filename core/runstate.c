/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runstate.c - the run state and the shutdown, reset and powerdown requests.
 *
 * A request only records itself (a flag, its cause, an exit code); the main
 * loop acts on it through runstate_process_requests(), between iterations,
 * so no device callback ever sees the machine reset or stopped under it.
 * The signal path is separate: a signal handler may only touch a
 * sig_atomic_t (main_loop_shutdown_from_signal() adds the wake-up).
 *
 * This is a leaf: it knows nothing of the main loop.  The loop (main-loop.c)
 * owns the iteration and asks this file, before it would block, whether a
 * request is pending; so a request made from any callback inside the loop
 * is acted on at the start of the next iteration without a wake-up.
 *
 * This file does not reset devices itself: vl.c installs the machine's reset
 * as the reset handler.
 */
#include "core/runstate.h"

#include <signal.h>
#include <stddef.h>

#include <glib.h>

#include "core/replay.h"

typedef struct PowerdownHandler {
    void (*fn)(void *opaque);
    void *opaque;
} PowerdownHandler;

static RunState current_state = RUN_STATE_PRELAUNCH;

static ShutdownCause shutdown_requested; /* SHUTDOWN_CAUSE_NONE: none pending */
static bool shutdown_pending;
static int shutdown_exit_code;
static ShutdownCause reset_requested;
static bool reset_pending;
static bool powerdown_pending;
/* The signal that asked for a shutdown, or 0, and its sender (0: unknown). */
static volatile sig_atomic_t signal_received;
static volatile sig_atomic_t signal_pid;
/* The signal acted on, for the program's report. */
static int last_signal, last_signal_pid;

static ShutdownCause last_shutdown_cause, last_reset_cause;

static void (*reset_handler)(ShutdownCause cause, void *opaque);
static void *reset_handler_opaque;
static GArray *powerdown_handlers;

static bool opt_no_reboot, opt_no_shutdown;

static const char *const runstate_names[RUN_STATE__MAX] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_GUEST_PANICKED] = "guest-panicked",
    [RUN_STATE_INTERNAL_ERROR] = "internal-error",
};

static const char *const shutdown_cause_names[SHUTDOWN_CAUSE__MAX] = {
    [SHUTDOWN_CAUSE_NONE] = "none",
    [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
    [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
    [SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET] = "host-qmp-system-reset",
    [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
    [SHUTDOWN_CAUSE_HOST_UI] = "host-ui",
    [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
    [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
    [SHUTDOWN_CAUSE_GUEST_PANIC] = "guest-panic",
    [SHUTDOWN_CAUSE_SUBSYSTEM_RESET] = "subsystem-reset",
};

RunState runstate_get(void)
{
    return current_state;
}

bool runstate_is_running(void)
{
    return current_state == RUN_STATE_RUNNING;
}

const char *runstate_name(RunState state)
{
    return (unsigned)state < RUN_STATE__MAX ? runstate_names[state] : "invalid";
}

const char *shutdown_cause_name(ShutdownCause cause)
{
    return (unsigned)cause < SHUTDOWN_CAUSE__MAX ? shutdown_cause_names[cause] : "invalid";
}

void runstate_set(RunState state)
{
    if ((unsigned)state < RUN_STATE__MAX) {
        current_state = state;
    }
}

void vm_start(void)
{
    runstate_set(RUN_STATE_RUNNING);
}

void vm_stop(RunState state)
{
    runstate_set(state);
}

/* As QEMU: the guest's own shutdowns, resets and panics, not the host's or a subsystem's. */
static bool cause_is_guest(ShutdownCause cause)
{
    return cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN || cause == SHUTDOWN_CAUSE_GUEST_RESET ||
           cause == SHUTDOWN_CAUSE_GUEST_PANIC;
}

void system_shutdown_request_with_code(ShutdownCause cause, int code)
{
    shutdown_requested = cause;
    shutdown_exit_code = code;
    shutdown_pending = true;
}

void system_shutdown_request(ShutdownCause cause)
{
    system_shutdown_request_with_code(cause, 0);
}

void system_reset_request(ShutdownCause cause)
{
    reset_requested = cause;
    reset_pending = true;
}

void system_powerdown_request(void)
{
    powerdown_pending = true;
}

void runstate_request_shutdown_from_signal(int signo, int pid)
{
    /* The pid first: the main loop reads it once it sees the signal. */
    signal_pid = pid > 0 ? pid : 0;
    signal_received = signo > 0 ? signo : 1;
}

bool runstate_shutdown_signal_pending(int *signo, int *pid)
{
    int received = signal_received;

    if (!received) {
        return false;
    }
    if (signo) {
        *signo = received;
    }
    if (pid) {
        *pid = signal_pid;
    }
    return true;
}

bool runstate_last_signal(int *signo, int *pid)
{
    if (!last_signal) {
        return false;
    }
    *signo = last_signal;
    *pid = last_signal_pid;
    return true;
}

bool runstate_request_pending(void)
{
    return shutdown_pending || reset_pending || powerdown_pending || signal_received;
}

void runstate_set_reset_handler(void (*fn)(ShutdownCause cause, void *opaque), void *opaque)
{
    reset_handler = fn;
    reset_handler_opaque = opaque;
}

void runstate_add_powerdown_handler(void (*fn)(void *opaque), void *opaque)
{
    PowerdownHandler h = {fn, opaque};

    if (!powerdown_handlers) {
        powerdown_handlers = g_array_new(FALSE, FALSE, sizeof(PowerdownHandler));
    }
    g_array_append_val(powerdown_handlers, h);
}

void runstate_set_options(bool no_reboot, bool no_shutdown)
{
    opt_no_reboot = no_reboot;
    opt_no_shutdown = no_shutdown;
}

/* Returns true when the shutdown ends the run. */
#define RUNSTATE_MAX_OBSERVERS 4

static struct {
    RunStateObserver *fn;
    void *opaque;
} observers[RUNSTATE_MAX_OBSERVERS];
static unsigned observer_count;

void runstate_add_observer(RunStateObserver *fn, void *opaque)
{
    g_assert(observer_count < RUNSTATE_MAX_OBSERVERS);
    observers[observer_count].fn = fn;
    observers[observer_count].opaque = opaque;
    observer_count++;
}

static void notify_observers(RunStateEvent event, ShutdownCause cause)
{
    for (unsigned i = 0; i < observer_count; i++) {
        observers[i].fn(event, cause, observers[i].opaque);
    }
}

bool shutdown_cause_is_guest(ShutdownCause cause)
{
    return cause_is_guest(cause);
}

static bool process_shutdown(ShutdownCause cause, int code, int *exit_status)
{
    last_shutdown_cause = cause;
    notify_observers(RUNSTATE_EVENT_SHUTDOWN, cause);
    if (opt_no_shutdown && cause_is_guest(cause)) {
        bool was_running = runstate_is_running();

        vm_stop(RUN_STATE_SHUTDOWN);
        if (was_running) {
            /* As QEMU's vm_stop(): a STOP event only when the VM was running. */
            notify_observers(RUNSTATE_EVENT_STOP, cause);
        }
        return false;
    }
    *exit_status = code;
    return true;
}

static void process_reset(ShutdownCause cause)
{
    last_reset_cause = cause;
    notify_observers(RUNSTATE_EVENT_RESET, cause);
    if (reset_handler) {
        reset_handler(cause, reset_handler_opaque);
    }
    /* As QEMU: a machine reset while stopped stays stopped, but is fresh again. */
    if (!runstate_is_running()) {
        runstate_set(RUN_STATE_PRELAUNCH);
    }
}

static void process_powerdown(void)
{
    notify_observers(RUNSTATE_EVENT_POWERDOWN, SHUTDOWN_CAUSE_NONE);
    /* A handler may register another; index, do not hold a pointer into the array. */
    for (guint i = 0; powerdown_handlers && i < powerdown_handlers->len; i++) {
        PowerdownHandler h = g_array_index(powerdown_handlers, PowerdownHandler, i);

        h.fn(h.opaque);
    }
}

bool runstate_process_requests(int *exit_status)
{
    int status = 0;

    if (signal_received) {
        last_signal = signal_received;
        last_signal_pid = signal_pid;
        replay_record_signal(last_signal);
        signal_received = 0;
        signal_pid = 0;
        shutdown_pending = false;
        last_shutdown_cause = SHUTDOWN_CAUSE_HOST_SIGNAL;
        notify_observers(RUNSTATE_EVENT_SHUTDOWN, SHUTDOWN_CAUSE_HOST_SIGNAL);
        *exit_status = 0;
        return true;
    }
    if (shutdown_pending) {
        ShutdownCause cause = shutdown_requested;
        int code = shutdown_exit_code;

        shutdown_pending = false;
        shutdown_requested = SHUTDOWN_CAUSE_NONE;
        shutdown_exit_code = 0;
        if (process_shutdown(cause, code, &status)) {
            *exit_status = status;
            return true;
        }
    }
    if (reset_pending) {
        ShutdownCause cause = reset_requested;

        reset_pending = false;
        reset_requested = SHUTDOWN_CAUSE_NONE;
        /* -no-reboot, as QEMU: any reset but a subsystem's becomes a shutdown. */
        if (opt_no_reboot && cause != SHUTDOWN_CAUSE_SUBSYSTEM_RESET) {
            if (process_shutdown(cause, 0, &status)) {
                *exit_status = status;
                return true;
            }
        } else {
            process_reset(cause);
        }
    }
    if (powerdown_pending) {
        powerdown_pending = false;
        process_powerdown();
    }
    return false;
}

ShutdownCause runstate_last_shutdown_cause(void)
{
    return last_shutdown_cause;
}

ShutdownCause runstate_last_reset_cause(void)
{
    return last_reset_cause;
}

void runstate_reset(void)
{
    current_state = RUN_STATE_PRELAUNCH;
    shutdown_pending = reset_pending = powerdown_pending = false;
    shutdown_requested = reset_requested = SHUTDOWN_CAUSE_NONE;
    shutdown_exit_code = 0;
    /*
     * A shutdown signal not yet acted on is the process's, not the run's: it
     * stays for the next run (runstate_process_requests() consumes it).
     */
    last_signal = last_signal_pid = 0;
    last_shutdown_cause = last_reset_cause = SHUTDOWN_CAUSE_NONE;
    reset_handler = NULL;
    reset_handler_opaque = NULL;
    if (powerdown_handlers) {
        g_array_free(powerdown_handlers, TRUE);
        powerdown_handlers = NULL;
    }
    opt_no_reboot = opt_no_shutdown = false;
}

/* ---- snapshots ------------------------------------------------------------------- */

void runstate_save(RunStateSaved *saved)
{
    *saved = (RunStateSaved){
        .state = current_state,
        .shutdown_pending = shutdown_pending,
        .reset_pending = reset_pending,
        .powerdown_pending = powerdown_pending,
        .shutdown_requested = shutdown_requested,
        .reset_requested = reset_requested,
        .shutdown_exit_code = shutdown_exit_code,
        .last_shutdown_cause = last_shutdown_cause,
        .last_reset_cause = last_reset_cause,
    };
}

void runstate_restore(const RunStateSaved *saved)
{
    current_state = saved->state;
    shutdown_pending = saved->shutdown_pending;
    reset_pending = saved->reset_pending;
    powerdown_pending = saved->powerdown_pending;
    shutdown_requested = saved->shutdown_requested;
    reset_requested = saved->reset_requested;
    shutdown_exit_code = saved->shutdown_exit_code;
    last_shutdown_cause = saved->last_shutdown_cause;
    last_reset_cause = saved->last_reset_cause;
}
