/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-runstate.c - run states and the shutdown, reset and powerdown
 * requests: what each does when processed, under -no-shutdown and
 * -no-reboot, and the signal path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>

#include "core/main-loop.h"
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

typedef struct ResetLog {
    int count;
    ShutdownCause cause;
    void *opaque;
} ResetLog;

static ResetLog reset_log;

static void record_reset(ShutdownCause cause, void *opaque)
{
    reset_log.count++;
    reset_log.cause = cause;
    reset_log.opaque = opaque;
}

static int setup(void **state)
{
    reset_all(state);
    reset_log = (ResetLog){0};
    return 0;
}

static void test_starts_in_prelaunch(void **state)
{
    assert_int_equal(runstate_get(), RUN_STATE_PRELAUNCH);
    assert_false(runstate_is_running());
}

static void test_runstate_save_and_restore_bring_back_pending_requests(void **state)
{
    RunStateSaved saved;

    vm_start();
    system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 3);
    runstate_save(&saved);
    assert_true(saved.shutdown_pending);
    assert_int_equal(saved.shutdown_exit_code, 3);
    runstate_reset();
    assert_false(runstate_request_pending());
    runstate_restore(&saved);
    assert_true(runstate_request_pending());
    assert_int_equal(runstate_get(), RUN_STATE_RUNNING);
}

static void test_runstate_restore_withdraws_requests_made_since(void **state)
{
    RunStateSaved saved;

    runstate_save(&saved);
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    system_powerdown_request();
    runstate_restore(&saved);
    assert_false(runstate_request_pending());
    assert_int_equal(runstate_get(), RUN_STATE_PRELAUNCH);
}

static void test_run_state_names_are_qemus(void **state)
{
    /* In QEMU's order, the order of RunState. */
    static const char *const names[RUN_STATE__MAX] = {
        "prelaunch", "running", "paused", "shutdown", "guest-panicked", "internal-error",
    };

    for (int i = 0; i < RUN_STATE__MAX; i++) {
        assert_string_equal(runstate_name(i), names[i]);
    }
    assert_string_equal(runstate_name(RUN_STATE__MAX), "invalid");
}

static void test_shutdown_cause_names_are_qemus(void **state)
{
    static const char *const names[SHUTDOWN_CAUSE__MAX] = {
        "none",    "host-error",     "host-qmp-quit", "host-qmp-system-reset", "host-signal",
        "host-ui", "guest-shutdown", "guest-reset",   "guest-panic",           "subsystem-reset",
    };

    for (int i = 0; i < SHUTDOWN_CAUSE__MAX; i++) {
        assert_string_equal(shutdown_cause_name(i), names[i]);
    }
    assert_string_equal(shutdown_cause_name(SHUTDOWN_CAUSE__MAX), "invalid");
}

static void test_vm_start_runs_and_vm_stop_enters_the_given_state(void **state)
{
    vm_start();
    assert_int_equal(runstate_get(), RUN_STATE_RUNNING);
    assert_true(runstate_is_running());
    vm_stop(RUN_STATE_PAUSED);
    assert_int_equal(runstate_get(), RUN_STATE_PAUSED);
    assert_false(runstate_is_running());
    vm_start();
    assert_true(runstate_is_running());
}

static void test_runstate_set_ignores_invalid_states(void **state)
{
    runstate_set(RUN_STATE_PAUSED);
    runstate_set(RUN_STATE__MAX);
    assert_int_equal(runstate_get(), RUN_STATE_PAUSED);
}

static void test_nothing_pending_means_nothing_to_do(void **state)
{
    int status = 42;

    assert_false(runstate_request_pending());
    assert_false(runstate_process_requests(&status));
    assert_int_equal(status, 42);
}

static void test_shutdown_ends_the_run_with_status_0(void **state)
{
    int status = -1;

    vm_start();
    system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    assert_true(runstate_request_pending());
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 0);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
}

static void test_shutdown_with_code_ends_the_run_with_that_code(void **state)
{
    int status = -1;

    system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 3);
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 3);
}

static void test_request_is_acted_on_once(void **state)
{
    int status = -1;

    system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    assert_true(runstate_process_requests(&status));
    assert_false(runstate_request_pending());
    assert_false(runstate_process_requests(&status));
}

static void test_no_shutdown_stops_the_vm_on_guest_shutdown(void **state)
{
    int status = -1;

    runstate_set_options(false, true);
    vm_start();
    system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 3);
    assert_false(runstate_process_requests(&status));
    assert_int_equal(status, -1);
    assert_int_equal(runstate_get(), RUN_STATE_SHUTDOWN);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
}

static void test_no_shutdown_still_exits_on_host_shutdown(void **state)
{
    int status = -1;

    runstate_set_options(false, true);
    vm_start();
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 0);
}

static void test_code_of_a_stopped_shutdown_does_not_stick(void **state)
{
    int status = -1;

    runstate_set_options(false, true);
    system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 3);
    runstate_process_requests(&status);
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI);
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 0);
}

static void test_reset_runs_the_reset_handler_with_its_cause(void **state)
{
    int status = -1;
    int cookie;

    runstate_set_reset_handler(record_reset, &cookie);
    vm_start();
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_false(runstate_process_requests(&status));
    assert_int_equal(reset_log.count, 1);
    assert_int_equal(reset_log.cause, SHUTDOWN_CAUSE_GUEST_RESET);
    assert_ptr_equal(reset_log.opaque, &cookie);
    assert_int_equal(runstate_last_reset_cause(), SHUTDOWN_CAUSE_GUEST_RESET);
    assert_true(runstate_is_running());
}

static void test_reset_without_a_handler_is_harmless(void **state)
{
    int status = -1;

    system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    assert_false(runstate_process_requests(&status));
    assert_int_equal(runstate_last_reset_cause(), SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
}

static void test_reset_of_a_stopped_vm_leaves_it_in_prelaunch(void **state)
{
    int status = -1;

    runstate_set_reset_handler(record_reset, NULL);
    vm_start();
    vm_stop(RUN_STATE_SHUTDOWN);
    system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    assert_false(runstate_process_requests(&status));
    assert_int_equal(reset_log.count, 1);
    assert_int_equal(runstate_get(), RUN_STATE_PRELAUNCH);
}

static void test_no_reboot_turns_guest_reset_into_exit(void **state)
{
    int status = -1;

    runstate_set_reset_handler(record_reset, NULL);
    runstate_set_options(true, false);
    vm_start();
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 0);
    assert_int_equal(reset_log.count, 0);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_GUEST_RESET);
}

static void test_no_reboot_leaves_subsystem_resets_alone(void **state)
{
    int status = -1;

    runstate_set_reset_handler(record_reset, NULL);
    runstate_set_options(true, false);
    system_reset_request(SHUTDOWN_CAUSE_SUBSYSTEM_RESET);
    assert_false(runstate_process_requests(&status));
    assert_int_equal(reset_log.count, 1);
}

static void test_no_reboot_with_no_shutdown_stops_on_guest_reset(void **state)
{
    int status = -1;

    runstate_set_reset_handler(record_reset, NULL);
    runstate_set_options(true, true);
    vm_start();
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_false(runstate_process_requests(&status));
    assert_int_equal(reset_log.count, 0);
    assert_int_equal(runstate_get(), RUN_STATE_SHUTDOWN);
}

static int powerdown_order[4];
static int powerdown_calls;

static void record_powerdown(void *opaque)
{
    if (powerdown_calls < 4) {
        powerdown_order[powerdown_calls] = *(int *)opaque;
    }
    powerdown_calls++;
}

static void test_powerdown_calls_handlers_in_registration_order(void **state)
{
    static int ids[3] = {7, 3, 5};
    int status = -1;

    powerdown_calls = 0;
    for (int i = 0; i < 3; i++) {
        runstate_add_powerdown_handler(record_powerdown, &ids[i]);
    }
    system_powerdown_request();
    assert_false(runstate_process_requests(&status));
    assert_int_equal(powerdown_calls, 3);
    assert_int_equal(powerdown_order[0], 7);
    assert_int_equal(powerdown_order[1], 3);
    assert_int_equal(powerdown_order[2], 5);
}

static void test_requests_wait_for_processing(void **state)
{
    runstate_set_reset_handler(record_reset, NULL);
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    assert_int_equal(reset_log.count, 0);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_NONE);
}

static void on_signal(int signo)
{
    runstate_request_shutdown_from_signal(signo, 0);
}

static void test_signal_ends_the_run_with_status_0(void **state)
{
    struct sigaction sa, old;
    int status = -1;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, &old);
    vm_start();
    raise(SIGUSR1);
    sigaction(SIGUSR1, &old, NULL);
    assert_true(runstate_request_pending());
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 0);
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_HOST_SIGNAL);
}

static void test_signal_wins_over_a_guest_exit_code(void **state)
{
    int status = -1;

    system_shutdown_request_with_code(SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 3);
    runstate_request_shutdown_from_signal(SIGTERM, 0);
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 0);
}

static void test_signal_ends_the_run_even_under_no_shutdown(void **state)
{
    int status = -1;

    runstate_set_options(false, true);
    runstate_request_shutdown_from_signal(SIGINT, 0);
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 0);
}

/* The sender is kept with the signal, for the program's "from pid N" line. */
static void test_signal_and_its_sender_are_kept_for_the_report(void **state)
{
    int status = -1, signo = 0, pid = 0;

    assert_false(runstate_last_signal(&signo, &pid));
    assert_false(runstate_shutdown_signal_pending(NULL, NULL));
    runstate_request_shutdown_from_signal(SIGTERM, 4321);
    assert_true(runstate_shutdown_signal_pending(&signo, &pid));
    assert_int_equal(signo, SIGTERM);
    assert_int_equal(pid, 4321);
    assert_false(runstate_last_signal(&signo, &pid)); /* not acted on yet */
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 0);
    assert_false(runstate_shutdown_signal_pending(NULL, NULL));
    assert_true(runstate_last_signal(&signo, &pid));
    assert_int_equal(signo, SIGTERM);
    assert_int_equal(pid, 4321);
    /* ^C at the terminal has no sender. */
    runstate_request_shutdown_from_signal(SIGINT, 0);
    assert_true(runstate_process_requests(&status));
    assert_true(runstate_last_signal(&signo, &pid));
    assert_int_equal(signo, SIGINT);
    assert_int_equal(pid, 0);
    runstate_reset();
    assert_false(runstate_last_signal(&signo, &pid));
}

/* A shutdown signal belongs to the process: a reset between runs keeps it until it is acted on. */
static void test_runstate_reset_keeps_a_pending_signal(void **state)
{
    int status = -1, signo = 0, pid = 0;

    runstate_request_shutdown_from_signal(SIGTERM, 42);
    runstate_reset();
    assert_true(runstate_request_pending());
    assert_true(runstate_shutdown_signal_pending(&signo, &pid));
    assert_int_equal(signo, SIGTERM);
    assert_int_equal(pid, 42);
    assert_true(runstate_process_requests(&status));
    assert_int_equal(status, 0);
    assert_false(runstate_request_pending());
}

static void test_runstate_reset_forgets_state_requests_handlers_and_options(void **state)
{
    int status = -1;

    runstate_set_reset_handler(record_reset, NULL);
    runstate_add_powerdown_handler(record_powerdown, &status);
    runstate_set_options(true, true);
    vm_start();
    system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    system_powerdown_request();
    runstate_reset();

    assert_int_equal(runstate_get(), RUN_STATE_PRELAUNCH);
    assert_false(runstate_request_pending());
    assert_int_equal(runstate_last_shutdown_cause(), SHUTDOWN_CAUSE_NONE);
    /* No handler is called, and -no-reboot is forgotten: a reset is a reset. */
    powerdown_calls = 0;
    system_powerdown_request();
    system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    assert_false(runstate_process_requests(&status));
    assert_int_equal(powerdown_calls, 0);
    assert_int_equal(reset_log.count, 0);
    assert_int_equal(runstate_last_reset_cause(), SHUTDOWN_CAUSE_GUEST_RESET);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, reset_all)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_starts_in_prelaunch),
        T(test_run_state_names_are_qemus),
        T(test_runstate_save_and_restore_bring_back_pending_requests),
        T(test_runstate_restore_withdraws_requests_made_since),
        T(test_shutdown_cause_names_are_qemus),
        T(test_vm_start_runs_and_vm_stop_enters_the_given_state),
        T(test_runstate_set_ignores_invalid_states),
        T(test_nothing_pending_means_nothing_to_do),
        T(test_shutdown_ends_the_run_with_status_0),
        T(test_shutdown_with_code_ends_the_run_with_that_code),
        T(test_request_is_acted_on_once),
        T(test_no_shutdown_stops_the_vm_on_guest_shutdown),
        T(test_no_shutdown_still_exits_on_host_shutdown),
        T(test_code_of_a_stopped_shutdown_does_not_stick),
        T(test_reset_runs_the_reset_handler_with_its_cause),
        T(test_reset_without_a_handler_is_harmless),
        T(test_reset_of_a_stopped_vm_leaves_it_in_prelaunch),
        T(test_no_reboot_turns_guest_reset_into_exit),
        T(test_no_reboot_leaves_subsystem_resets_alone),
        T(test_no_reboot_with_no_shutdown_stops_on_guest_reset),
        T(test_powerdown_calls_handlers_in_registration_order),
        T(test_requests_wait_for_processing),
        T(test_signal_ends_the_run_with_status_0),
        T(test_signal_wins_over_a_guest_exit_code),
        T(test_signal_ends_the_run_even_under_no_shutdown),
        T(test_signal_and_its_sender_are_kept_for_the_report),
        T(test_runstate_reset_keeps_a_pending_signal),
        T(test_runstate_reset_forgets_state_requests_handlers_and_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
