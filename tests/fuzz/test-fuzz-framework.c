/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-fuzz-framework.c - the fuzz framework on its own: the registry, the
 * runner's snapshot reset (the same input twice, B after A, the check
 * mode naming hidden state), the budgets (a timer storm is a hang, a long
 * clock step stops at the time budget), direct and serialized accesses
 * giving the same machine, the trace replaying on a fresh tern, and the
 * crash path (report, reproducer, abort).  The targets here are the
 * test's own, registered with fuzz_target_init() like real ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/object.h"
#include "core/snapshot.h"
#include "core/timer.h"
#include "fuzz/fuzz.h"
#include "tests/support/hidden-state-device.h"

#define UART_BASE 0x10000000 /* virt's ns16550a */
#define RAM_BASE  0x80000000

/* ---- the test's targets ------------------------------------------------------------------------
 */

static GString *virt_cmdline(FuzzTarget *t)
{
    return g_string_new("riscv64 -M virt -bios none -nodefaults -m 64M -serial null "
                        "-device hidden-state-device,id=h0");
}

/*
 * The input, a byte at a time: 0-3 UART register writes (scratch, line
 * control, interrupt enable, THR), 4 a RAM write, 5 a clock step to the next
 * deadline, 6 a read of the UART's line status, 7 arms the storm timer, 8
 * a 1 ms ticker, 9 a 1000 s clock step, 10 kicks the hidden state.
 */
static Timer *storm, *ticker;

static void storm_cb(void *opaque)
{
    timer_mod_ns(storm, clock_get_ns(CLOCK_VIRTUAL) + 1);
}

static void ticker_cb(void *opaque)
{
    timer_mod_ns(ticker, clock_get_ns(CLOCK_VIRTUAL) + SCALE_MS);
}

static void bytes_pre_fuzz(QTestState *s)
{
    storm = timer_new_ns(CLOCK_VIRTUAL, storm_cb, NULL);
    ticker = timer_new_ns(CLOCK_VIRTUAL, ticker_cb, NULL);
}

static void bytes_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    static const unsigned uart_reg[] = {7, 3, 1, 0};

    for (size_t i = 0; i + 1 < size; i += 2) {
        uint8_t op = data[i] % 11, v = data[i + 1];
        switch (op) {
        case 0:
        case 1:
        case 2:
        case 3:
            fuzz_write(1, UART_BASE + uart_reg[op], v);
            break;
        case 4:
            fuzz_memwrite(RAM_BASE + v * 16, &data[i], 2);
            break;
        case 5:
            fuzz_clock_step_next();
            break;
        case 6:
            fuzz_read(1, UART_BASE + 5);
            break;
        case 7:
            timer_mod_ns(storm, clock_get_ns(CLOCK_VIRTUAL) + 1);
            fuzz_clock_step(INT64_C(1000000000));
            break;
        case 8:
            timer_mod_ns(ticker, clock_get_ns(CLOCK_VIRTUAL) + SCALE_MS);
            break;
        case 9:
            fuzz_clock_step(INT64_C(1000) * NANOSECONDS_PER_SECOND);
            break;
        default:
            hidden_state_device_kick(
                HIDDEN_STATE_DEVICE(object_resolve_path("/machine/peripheral/h0", NULL)));
            break;
        }
    }
}

static void register_test_targets(void)
{
    fuzz_add_target(&(FuzzTarget){.name = "test-bytes",
                                  .description = "the framework test's byte interpreter",
                                  .get_init_cmdline = virt_cmdline,
                                  .pre_fuzz = bytes_pre_fuzz,
                                  .fuzz = bytes_fuzz});
}
fuzz_target_init(register_test_targets);

/* ---- helpers -----------------------------------------------------------------------------------
 */

static FuzzTarget *start(void)
{
    FuzzTarget *t;
    Error *err = NULL;

    fuzz_register_targets();
    t = fuzz_find_target("test-bytes");
    assert_non_null(t);
    if (!fuzz_start(t, &err)) {
        fail_msg("fuzz_start: %s", error_get_pretty(err));
    }
    fuzz_set_budgets(FUZZ_DEFAULT_WORK_BUDGET, FUZZ_DEFAULT_TIME_BUDGET_NS);
    return t;
}

static void stop(void)
{
    /* The timers are the test's (pre_fuzz made them); the machine goes first. */
    fuzz_stop();
    timer_free(storm);
    timer_free(ticker);
    storm = ticker = NULL;
}

/* Runs an input; returns its transcript and, in *digest, the machine's digest after it. */
static char *run_input(const uint8_t *data, size_t len, FuzzRunResult expect, char **digest)
{
    FuzzRunResult r;
    Error *err = NULL;
    GString *t;

    r = fuzz_run(data, len, &err);
    if (r != expect) {
        fail_msg("fuzz_run gave %d, expected %d: %s", r, expect,
                 err ? error_get_pretty(err) : "(no error)");
    }
    error_free(err);
    t = fuzz_trace_transcript();
    if (digest) {
        /* The machine as the input left it (the runner digests it before the restore). */
        assert_non_null(fuzz_last_digest());
        *digest = g_strdup(fuzz_last_digest());
    }
    return g_string_free(t, FALSE);
}

static const uint8_t input_a[] = {0, 0x5a, 1, 0x83, 3, 0x41, 4, 7, 5, 0, 6, 0, 2, 0x0f, 5, 0, 6, 0};
static const uint8_t input_b[] = {2, 0x02, 3, 0x42, 3, 0x43, 6, 0, 4, 9, 5, 0, 6, 0, 0, 0x11};

/* ---- the registry ------------------------------------------------------------------------------
 */

static void test_registry(void **state)
{
    GPtrArray *list;
    Error *err = NULL;
    FuzzTarget dup = {.name = "test-bytes", .description = "again", .fuzz = bytes_fuzz};

    fuzz_register_targets();
    assert_non_null(fuzz_find_target("test-bytes"));
    assert_null(fuzz_find_target("no-such-target"));
    assert_false(fuzz_add_target_checked(&dup, &err));
    assert_string_equal(error_get_pretty(err), "fuzz target 'test-bytes' is registered twice");
    error_free(err);
    err = NULL;
    assert_true(fuzz_add_target_checked(
        &(FuzzTarget){.name = "test-late", .description = "registered last", .fuzz = bytes_fuzz},
        &err));
    /* The usage order: the most recently registered first. */
    list = fuzz_targets();
    assert_true(list->len >= 2);
    assert_string_equal(((FuzzTarget *)list->pdata[0])->name, "test-late");
    g_ptr_array_free(list, TRUE);
}

/* ---- reset by snapshot
 * --------------------------------------------------------------------------- */

static void test_same_input_twice(void **state)
{
    char *t1, *t2, *d1, *d2, *d0;

    start();
    fuzz_trace_set_recording(true);
    fuzz_set_digest(true);
    /* An empty input leaves the machine as the snapshot has it. */
    g_free(run_input(NULL, 0, FUZZ_RUN_OK, &d0));
    t1 = run_input(input_a, sizeof(input_a), FUZZ_RUN_OK, &d1);
    t2 = run_input(input_a, sizeof(input_a), FUZZ_RUN_OK, &d2);
    assert_string_equal(t1, t2);
    assert_string_equal(d1, d2);
    assert_string_not_equal(d0, d1); /* the input changed the machine... */
    {
        char *now = snapshot_digest(NULL);
        assert_string_equal(d0, now); /* ...and the restore put it back */
        g_free(now);
    }
    /* The transcript holds what the input did, replies included. */
    assert_non_null(strstr(t1, "writeb 0x10000007 0x5a\nOK\n"));
    assert_non_null(strstr(t1, "clock_step\n"));
    g_free(t1);
    g_free(t2);
    g_free(d0);
    g_free(d1);
    g_free(d2);
    stop();
}

static void test_b_after_a_is_b_alone(void **state)
{
    char *alone, *after;

    char *d_alone, *d_after;

    start();
    fuzz_trace_set_recording(true);
    fuzz_set_digest(true);
    alone = run_input(input_b, sizeof(input_b), FUZZ_RUN_OK, &d_alone);
    g_free(run_input(input_a, sizeof(input_a), FUZZ_RUN_OK, NULL));
    after = run_input(input_b, sizeof(input_b), FUZZ_RUN_OK, &d_after);
    assert_string_equal(alone, after);
    assert_string_equal(d_alone, d_after);
    g_free(alone);
    g_free(after);
    g_free(d_alone);
    g_free(d_after);
    stop();
}

static void test_check_mode_names_hidden_state(void **state)
{
    static const uint8_t kick[] = {10, 0};
    Error *err = NULL;

    start();
    fuzz_set_check_reset(true);
    /* Everything the virt devices hold is restored: the check passes. */
    assert_int_equal(fuzz_run(input_a, sizeof(input_a), &err), FUZZ_RUN_OK);
    assert_int_equal(fuzz_run(input_b, sizeof(input_b), &err), FUZZ_RUN_OK);
    /* A device hiding state from its table is named with the offset. */
    assert_int_equal(fuzz_run(kick, sizeof(kick), &err), FUZZ_RUN_FAILED);
    assert_non_null(err);
    assert_non_null(strstr(error_get_pretty(err), "device '/machine/peripheral/h0'"));
    assert_non_null(strstr(error_get_pretty(err), "outside the state table"));
    error_free(err);
    stop();
}

/* ---- budgets
 * ------------------------------------------------------------------------------------- */

static void test_timer_storm_is_a_hang(void **state)
{
    static const uint8_t storm_input[] = {0, 1, 7, 0};
    Error *err = NULL;

    start();
    fuzz_set_budgets(5000, FUZZ_DEFAULT_TIME_BUDGET_NS);
    assert_int_equal(fuzz_run(storm_input, sizeof(storm_input), &err), FUZZ_RUN_HANG);
    assert_non_null(strstr(error_get_pretty(err), "hang: the input used up its budget of 5000"));
    error_free(err);
    err = NULL;
    /* The machine is back: the next input runs normally. */
    assert_int_equal(fuzz_run(input_a, sizeof(input_a), &err), FUZZ_RUN_OK);
    assert_false(clock_budget()->work_exhausted);
    stop();
}

static void test_time_budget_stops_the_clock(void **state)
{
    static const uint8_t long_step[] = {8, 0, 9, 0};
    char *t;

    start();
    fuzz_trace_set_recording(true);
    t = run_input(long_step, sizeof(long_step), FUZZ_RUN_OK, NULL);
    /* 1000 s asked, 10 s allowed: the clock stops at the budget, not a hang. */
    assert_non_null(strstr(t, "clock_step 1000000000000\nOK 10000000000\n"));
    g_free(t);
    stop();
}

/* ---- direct and serialized accesses ------------------------------------------------------------
 */

static void test_serialized_equals_direct(void **state)
{
    char *td, *ts, *dd, *ds;

    start();
    fuzz_trace_set_recording(true);
    fuzz_set_digest(true);
    fuzz_set_check_reset(true);
    td = run_input(input_a, sizeof(input_a), FUZZ_RUN_OK, &dd);
    fuzz_set_serialize(true);
    ts = run_input(input_a, sizeof(input_a), FUZZ_RUN_OK, &ds);
    assert_string_equal(td, ts);
    assert_string_equal(dd, ds);
    g_free(td);
    g_free(ts);
    g_free(dd);
    g_free(ds);
    stop();
}

/* ---- the trace replays on a fresh tern
 * ------------------------------------------------------------ */

static void test_trace_replays_on_tern(void **state)
{
    GString *transcript;
    QTestState *s;
    char **lines;
    guint replayed = 0;

    start();
    fuzz_trace_set_recording(true);
    g_free(run_input(input_a, sizeof(input_a), FUZZ_RUN_OK, NULL));
    transcript = fuzz_trace_transcript();
    stop();

    /*
     * A spawned tern speaking over stdio, as "tern -accel qtest -qtest stdio
     * < trace" would: every request gets the reply the fuzzer saw.  (tern
     * has no hidden-state-device, a test type; it has no I/O.)
     */
    s = qtest_init_transport(QTEST_TRANSPORT_STDIO,
                             "-M virt -bios none -nodefaults -m 64M -serial null");
    lines = g_strsplit(transcript->str, "\n", -1);
    for (guint i = 0; lines[i] && lines[i][0] && lines[i + 1]; i += 2) {
        char *reply = qtest_cmd(s, "%s\n", lines[i]);
        assert_string_equal(reply, lines[i + 1]);
        g_free(reply);
        replayed++;
    }
    assert_int_equal(replayed, 9); /* input_a's nine operations */
    qtest_quit(s);
    g_strfreev(lines);
    g_string_free(transcript, TRUE);
}

/* ---- the crash path
 * -------------------------------------------------------------------------------- */

static void test_hang_crashes_with_reproducer(void **state)
{
    static const uint8_t storm_input[] = {3, 0x41, 7, 0};
    int pipefd[2], status;
    pid_t pid;
    GString *err = g_string_new(NULL);
    char buf[4096];
    ssize_t n;

    assert_int_equal(pipe(pipefd), 0);
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        signal(SIGABRT, SIG_DFL);
        start();
        fuzz_set_budgets(3000, FUZZ_DEFAULT_TIME_BUDGET_NS);
        fuzz_run_or_crash(storm_input, sizeof(storm_input));
        _exit(0); /* not reached */
    }
    close(pipefd[1]);
    while ((n = read(pipefd[0], buf, sizeof(buf))) > 0) {
        g_string_append_len(err, buf, n);
    }
    close(pipefd[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
    /* The reproducer: the trace of the replayed input, a bash line, a C test. */
    assert_non_null(strstr(err->str, "==== tern-fuzz reproducer: target test-bytes ===="));
    assert_non_null(strstr(err->str, "cat << EOF | tern-system-riscv64 -M virt"));
    assert_non_null(strstr(err->str, "writeb 0x10000000 0x41\nclock_step 1000000000\nEOF\n"));
    assert_non_null(strstr(err->str, "qtest_writeb(s, 0x10000000, 0x41);"));
    assert_non_null(strstr(err->str, "qtest_clock_step(s, 1000000000);"));
    /* QEMU's shape: the second-to-last line names the site (the minimizer's token). */
    {
        char **lines = g_strsplit(g_strchomp(err->str), "\n", -1);
        guint nl = g_strv_length(lines);
        assert_true(nl >= 2);
        assert_true(g_str_has_prefix(lines[nl - 2], "tern: ERROR:"));
        assert_non_null(strstr(lines[nl - 2], "hang: the input used up its budget of 3000"));
        g_strfreev(lines);
    }
    g_string_free(err, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_same_input_twice),
        cmocka_unit_test(test_b_after_a_is_b_alone),
        cmocka_unit_test(test_check_mode_names_hidden_state),
        cmocka_unit_test(test_timer_storm_is_a_hang),
        cmocka_unit_test(test_time_budget_stops_the_clock),
        cmocka_unit_test(test_serialized_equals_direct),
        cmocka_unit_test(test_trace_replays_on_tern),
        cmocka_unit_test(test_hang_crashes_with_reproducer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
