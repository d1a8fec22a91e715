/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-replay.c - the replay checker (harness/replay.c) in-process, and
 * tern-replay as a program: a qtest session, a QMP session and console
 * output replayed and checked; every kind of divergence reported at the
 * right event with expected and got; option-parsing regressions; --update,
 * --jobs, --shard, TAP, the summary line, bad traces, --minimize and
 * --to-test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/replay.h"
#include "core/runstate.h"
#include "harness/trace.h"
#include "tests/support/tmpdir.h"

/* A virt machine with a qtest server and a console on its own chardev (replayed, not stdio). */
#define QTEST_ARGS                                                                                 \
    "-M virt -nodefaults -accel qtest -qtest stdio -chardev stdio,id=con0 -serial chardev:con0"
#define UART "0x10000000"

static Trace *parse(const char *text)
{
    Error *err = NULL;
    Trace *t = trace_parse("test.trace", text, strlen(text), NULL, &err);

    if (!t) {
        fail_msg("%s", error_get_pretty(err));
    }
    return t;
}

/* Replays t with --update and returns the trace this build produced (as text). */
static char *record_by_update(const char *text)
{
    Trace *t = parse(text), *u = NULL;
    TraceReplayOptions o = {.update = true};
    TraceResult res;
    GString *s;

    trace_replay(t, &o, &res, &u);
    if (res.outcome != TRACE_PASS) {
        fail_msg("update failed: %s", res.message);
    }
    assert_non_null(u);
    s = trace_format(u);
    trace_free(u);
    trace_free(t);
    trace_result_clear(&res);
    return g_string_free(s, FALSE);
}

static TraceOutcome replay_text(const char *text, TraceResult *res)
{
    Trace *t = parse(text);

    trace_replay(t, NULL, res, NULL);
    trace_free(t);
    return res->outcome;
}

static const char session[] = "tern-trace 1\n"
                              "args " QTEST_ARGS "\n"
                              "in qtest writeb " UART " 0x48\n"
                              "in qtest writeb " UART " 0x69\n"
                              "in qtest readb 0x10000005\n"
                              "in qtest clock_step 1000\n"
                              "in qtest writel 0x80000000 0x12345678\n"
                              "in qtest readl 0x80000000\n"
                              "checkpoint 00\n";

/* --update fills in every reply, the console bytes and the checkpoint; the result replays. */
static void test_update_then_replay(void **state)
{
    char *rec = record_by_update(session), *again;
    TraceResult res;

    (void)state;
    assert_non_null(strstr(rec, "out qtest OK\n"));
    assert_non_null(strstr(rec, "out con0 H\\c\n"));
    assert_non_null(strstr(rec, "out con0 i\\c\n"));
    assert_non_null(
        strstr(rec, "out qtest OK 0x0000000000000060\n")); /* LSR: THR and transmitter empty */
    assert_non_null(strstr(rec, "out qtest OK 1000\n"));
    assert_non_null(strstr(rec, "out qtest OK 0x0000000012345678\n"));
    assert_null(strstr(rec, "checkpoint 00\n"));
    assert_int_equal(replay_text(rec, &res), TRACE_PASS);
    trace_result_clear(&res);
    /* Deterministic: a second update writes the same text. */
    again = record_by_update(rec);
    assert_string_equal(rec, again);
    g_free(again);
    g_free(rec);
}

/* Changes the first occurrence of from into to in text (a copy). */
static char *edit(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    GString *s;

    assert_non_null(at);
    s = g_string_new_len(text, at - text);
    g_string_append(s, to);
    g_string_append(s, at + strlen(from));
    return g_string_free(s, FALSE);
}

static int line_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    int line = 1;

    assert_non_null(at);
    for (const char *p = text; p < at; p++) {
        line += *p == '\n';
    }
    return line;
}

/* A wrong reply: the event, its line, the command before it, expected and got. */
static void test_reply_divergence(void **state)
{
    char *rec = record_by_update(session);
    char *bad = edit(rec, "out qtest OK 0x0000000012345678", "out qtest OK 0x0000000012345679");
    TraceResult res;
    char *where;

    (void)state;
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_int_equal(res.line, line_of(bad, "out qtest OK 0x0000000012345679"));
    assert_string_equal(res.command, "in qtest readl 0x80000000");
    assert_string_equal(res.expected, "out qtest OK 0x0000000012345679");
    assert_string_equal(res.got, "out qtest OK 0x0000000012345678");
    where = g_strdup_printf("test.trace:%d: event %d: ", res.line, res.event);
    assert_true(g_str_has_prefix(res.message, where));
    g_free(where);
    trace_result_clear(&res);
    g_free(bad);
    /* Console output is checked byte for byte too. */
    bad = edit(rec, "out con0 i\\c", "out con0 o\\c");
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_string_equal(res.expected, "out con0 o\\c");
    assert_string_equal(res.got, "out con0 i\\c");
    assert_string_equal(res.command, "in qtest writeb 0x10000000 0x69");
    trace_result_clear(&res);
    g_free(bad);
    g_free(rec);
}

/* Output the trace does not have, and output it has but the machine does not give. */
static void test_missing_and_extra_output(void **state)
{
    char *rec = record_by_update(session);
    char *extra = edit(rec, "out qtest OK 1000\n", "");
    char *missing = edit(rec, "out qtest OK 1000\n", "out qtest OK 1000\nout qtest OK\n");
    TraceResult res;

    (void)state;
    /*
     * clock_step and the writel after it are one chunk now (no output
     * between them): the first line that differs is the writel's reply.
     */
    assert_int_equal(replay_text(extra, &res), TRACE_DIVERGED);
    assert_string_equal(res.expected, "out qtest OK");
    assert_string_equal(res.got, "out qtest OK 1000");
    assert_string_equal(res.command, "in qtest writel 0x80000000 0x12345678");
    trace_result_clear(&res);
    g_free(extra);
    /* The last reply of a window missing from the trace: named at the next input. */
    extra = edit(rec, "out qtest OK 0x0000000012345678\n", "");
    assert_int_equal(replay_text(extra, &res), TRACE_DIVERGED);
    assert_string_equal(res.expected, "(nothing)");
    assert_string_equal(res.got, "out qtest OK 0x0000000012345678");
    assert_int_equal(res.line, line_of(extra, "checkpoint "));
    trace_result_clear(&res);
    assert_int_equal(replay_text(missing, &res), TRACE_DIVERGED);
    assert_string_equal(res.expected, "out qtest OK");
    assert_string_equal(res.got, "(nothing)");
    assert_int_equal(res.line, line_of(missing, "out qtest OK 1000\n") + 1);
    trace_result_clear(&res);
    g_free(extra);
    g_free(missing);
    g_free(rec);
}

static void test_checkpoint_divergence(void **state)
{
    char *rec = record_by_update(session);
    /* The same commands with another value written: every reply but one the same. */
    char *other =
        edit(rec,
             "writel 0x80000000 0x12345678\nout qtest OK\nin qtest readl 0x80000000\nout "
             "qtest OK 0x0000000012345678",
             "writel 0x80000000 0x12345678\nout qtest OK\nin qtest writel 0x80000004 "
             "0x1\nout qtest OK\nin qtest readl 0x80000000\nout qtest OK 0x0000000012345678");
    TraceResult res;

    (void)state;
    assert_int_equal(replay_text(other, &res), TRACE_DIVERGED);
    assert_true(g_str_has_prefix(res.expected, "checkpoint "));
    assert_true(g_str_has_prefix(res.got, "checkpoint "));
    assert_string_not_equal(res.expected, res.got);
    assert_non_null(strstr(res.message, "the machine's state differs"));
    trace_result_clear(&res);
    g_free(other);
    g_free(rec);
}

/* A guest-requested exit (sifive_test) ends the machine: exit is checked, later inputs diverge. */
static void test_exit_status(void **state)
{
    static const char text[] = "tern-trace 1\n"
                               "args " QTEST_ARGS "\n"
                               "in qtest writel 0x100000 0x23333\n"
                               "exit 0\n";
    char *rec = record_by_update(text), *bad;
    TraceResult res;

    (void)state;
    assert_non_null(strstr(rec, "exit 2\n")); /* FAIL with code 2: status 2 */
    assert_int_equal(replay_text(rec, &res), TRACE_PASS);
    trace_result_clear(&res);
    bad = edit(rec, "exit 2", "exit 3");
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_string_equal(res.expected, "exit 3");
    assert_string_equal(res.got, "exit 2");
    trace_result_clear(&res);
    g_free(bad);
    bad = edit(rec, "exit 2\n", "in qtest readl 0x0\n");
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_non_null(strstr(res.message, "the machine ended (exit 2) before this input"));
    trace_result_clear(&res);
    g_free(bad);
    g_free(rec);
}

/* A host signal recorded in the trace is replayed as the same shutdown request. */
static void test_signal(void **state)
{
    static const char text[] = "tern-trace 1\n"
                               "args " QTEST_ARGS "\n"
                               "in qtest readl 0x80000000\n"
                               "signal 15\n"
                               "exit 0\n";
    char *rec = record_by_update(text);
    TraceResult res;

    (void)state;
    assert_non_null(strstr(rec, "signal 15\nexit 0\n"));
    assert_int_equal(replay_text(rec, &res), TRACE_PASS);
    trace_result_clear(&res);
    g_free(rec);
}

/* Option-parsing regressions: the error line and the status. */
static void test_option_error_trace(void **state)
{
    static const char ok[] = "tern-trace 1\n"
                             "args -M virt -m 12Q\n"
                             "error -m: invalid size '12Q'\n"
                             "exit 1\n";
    char *rec = record_by_update(ok), *bad;
    TraceResult res;

    (void)state;
    /* The real message, whatever its wording: the update writes it, the replay agrees. */
    assert_int_equal(replay_text(rec, &res), TRACE_PASS);
    trace_result_clear(&res);
    bad = edit(rec, "error ", "error not this: ");
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_true(g_str_has_prefix(res.expected, "not this: "));
    trace_result_clear(&res);
    g_free(bad);
    /* An error expected where start-up succeeds. */
    bad = g_strdup("tern-trace 1\nargs -M virt -accel qtest\nerror -m: nope\nexit 1\n");
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_non_null(strstr(res.message, "it succeeded"));
    trace_result_clear(&res);
    g_free(bad);
    /* A command line that fails where no error is expected: a bad trace, named. */
    assert_int_equal(replay_text("tern-trace 1\nargs -M nosuchboard\n", &res), TRACE_BAD);
    assert_non_null(strstr(res.message, "the command line failed: "));
    trace_result_clear(&res);
    g_free(rec);
}

/* Input to a chardev the command line does not have. */
static void test_bad_replays(void **state)
{
    TraceResult res;

    (void)state;
    assert_int_equal(replay_text("tern-trace 1\nargs " QTEST_ARGS "\nin nosuch hello\n", &res),
                     TRACE_BAD);
    assert_non_null(strstr(res.message, "no chardev 'nosuch'"));
    assert_int_equal(res.line, 3);
    trace_result_clear(&res);
}

/* ---- positions (icount) with a fake instruction count ------------------------------------- */

/*
 * A stand-in for the interpreter's count (no hart runs under -accel qtest):
 * a hart that, whenever the count is read while the machine runs (running,
 * no shutdown asked for), has run up to the accelerator's stop count
 * (replay_icount_limit), or FAKE_OVERSHOOT past it with fake_ignores_limit,
 * or to fake_halt (a guest that stops there) if that comes first.
 * fake_limits lists the distinct stop counts the replay set, in order.
 */
#define FAKE_OVERSHOOT 5
static uint64_t fake_count, fake_halt;
static bool fake_ignores_limit;
static GArray *fake_limits;

static uint64_t fake_icount(void)
{
    uint64_t limit = replay_icount_limit();
    uint64_t stop =
        fake_ignores_limit && limit < UINT64_MAX - FAKE_OVERSHOOT ? limit + FAKE_OVERSHOOT : limit;

    if (!fake_limits->len || g_array_index(fake_limits, uint64_t, fake_limits->len - 1) != limit) {
        g_array_append_val(fake_limits, limit);
    }
    if (runstate_is_running() && !runstate_request_pending() &&
        runstate_last_shutdown_cause() == SHUTDOWN_CAUSE_NONE) {
        fake_count = MAX(fake_count, MIN(stop, fake_halt));
    }
    return fake_count;
}

static int fake_setup(void **state)
{
    fake_count = 0;
    fake_halt = UINT64_MAX;
    fake_ignores_limit = false;
    fake_limits = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    replay_set_icount_source(fake_icount);
    return 0;
}

static int fake_teardown(void **state)
{
    replay_set_icount_source(NULL);
    g_array_free(fake_limits, TRUE);
    return 0;
}

static const char positioned[] = "tern-trace 1\n"
                                 "args " QTEST_ARGS "\n"
                                 "icount 100\n"
                                 "in qtest writeb " UART " 0x41\n"
                                 "icount 250\n"
                                 "in qtest readb 0x10000005\n"
                                 "icount 280\n"
                                 "in qtest writel 0x100000 0x5555\n"
                                 "checkpoint 00\n"
                                 "exit 0\n";

/*
 * Each icount event is a stop count the harts run up to, exactly, before
 * what follows; the shutdown the last input asks for ends the machine with
 * no instruction run after it.
 */
static void test_icount_positions_are_run_to_in_order(void **state)
{
    /* After the last input (no position after it) the run to the end gets the budget. */
    static const uint64_t want[] = {0, 100, 250, 280, 280 + TRACE_RUN_BUDGET};
    char *rec = record_by_update(positioned);
    TraceResult res;

    (void)state;
    fake_count = 0;
    g_array_set_size(fake_limits, 0);
    assert_int_equal(replay_text(rec, &res), TRACE_PASS);
    trace_result_clear(&res);
    assert_int_equal(fake_count, 280);
    assert_int_equal(fake_limits->len, G_N_ELEMENTS(want));
    for (guint i = 0; i < fake_limits->len; i++) {
        assert_int_equal(g_array_index(fake_limits, uint64_t, i), want[i]);
    }
    /* The replay leaves no stop count behind. */
    assert_true(replay_icount_limit() == UINT64_MAX);
    g_free(rec);
}

/* --update keeps the positions and puts each window's output before the position it ends at. */
static void test_update_keeps_positions_and_replays(void **state)
{
    char *rec = record_by_update(positioned);
    TraceResult res;

    (void)state;
    assert_non_null(strstr(rec, "icount 100\nin qtest writeb " UART " 0x41\n"));
    assert_non_null(strstr(rec, "out con0 A\\c\nout qtest OK\nicount 250\n"));
    assert_non_null(strstr(rec, "out qtest OK 0x0000000000000060\nicount 280\n"));
    assert_non_null(strstr(rec, "in qtest writel 0x100000 0x5555\nout qtest OK\ncheckpoint "));
    fake_count = 0;
    g_array_set_size(fake_limits, 0);
    assert_int_equal(replay_text(rec, &res), TRACE_PASS);
    trace_result_clear(&res);
    g_free(rec);
}

/* A guest that stops short of a position: a divergence at the icount line, with both counts. */
static void test_guest_stopping_before_a_position_diverges_there(void **state)
{
    TraceResult res;

    (void)state;
    fake_halt = 240;
    assert_int_equal(replay_text(positioned, &res), TRACE_DIVERGED);
    assert_int_equal(res.line, 5);
    assert_string_equal(res.expected, "icount 250");
    assert_string_equal(res.got, "icount 240");
    assert_non_null(strstr(res.message, "the guest stopped at icount 240"));
    assert_string_equal(res.command, "in qtest writeb " UART " 0x41");
    trace_result_clear(&res);
}

/* A count that does not honour the stop count runs past the position: named as such. */
static void test_guest_running_past_a_position_diverges_there(void **state)
{
    TraceResult res;

    (void)state;
    fake_ignores_limit = true;
    assert_int_equal(replay_text(positioned, &res), TRACE_DIVERGED);
    assert_int_equal(res.line, 3);
    assert_string_equal(res.expected, "icount 100");
    assert_string_equal(res.got, "icount 105");
    assert_non_null(strstr(res.message, "already past this position: icount 105, expected 100"));
    trace_result_clear(&res);
}

/* A machine that ended before a position (sifive_test): the exit and the count it ended at. */
static void test_machine_ending_before_a_position_diverges_there(void **state)
{
    static const char text[] = "tern-trace 1\n"
                               "args " QTEST_ARGS "\n"
                               "in qtest writel 0x100000 0x5555\n"
                               "icount 100\n"
                               "exit 0\n";
    TraceResult res;

    (void)state;
    assert_int_equal(replay_text(text, &res), TRACE_DIVERGED);
    assert_int_equal(res.line, 4);
    assert_non_null(strstr(res.message, "the machine ended (exit 0) at icount 0"));
    trace_result_clear(&res);
}

/* No hart at all (no count source): a position is never reached. */
static void test_position_without_harts_diverges(void **state)
{
    TraceResult res;

    (void)state;
    replay_set_icount_source(NULL);
    assert_int_equal(replay_text("tern-trace 1\nargs " QTEST_ARGS "\nicount 5\n", &res),
                     TRACE_DIVERGED);
    assert_int_equal(res.line, 3);
    assert_non_null(strstr(res.message, "the guest stopped at icount 0"));
    trace_result_clear(&res);
}

/*
 * After the last input with no position after it, the guest runs until the
 * machine ends, within the budget: a guest that never ends is a divergence at
 * the exit event, not a hang.
 */
static void test_run_to_the_end_has_a_budget(void **state)
{
    static const char text[] = "tern-trace 1\n"
                               "args " QTEST_ARGS "\n"
                               "icount 10\n"
                               "in qtest readl 0x80000000\n"
                               "out qtest OK 0x0000000000000000\n"
                               "exit 0\n";
    Trace *t = parse(text);
    TraceReplayOptions o = {.run_budget = 1000};
    TraceResult res;

    (void)state;
    trace_replay(t, &o, &res, NULL);
    assert_int_equal(res.outcome, TRACE_DIVERGED);
    assert_int_equal(res.line, 6);
    assert_string_equal(res.expected, "exit 0");
    assert_string_equal(res.got, "(still running)");
    assert_non_null(strstr(res.message, "the guest was still running 1000 instructions after the "
                                        "trace's last input (icount 10 to 1010)"));
    assert_int_equal(fake_count, 1010);
    trace_result_clear(&res);
    trace_free(t);
}

/* A plain script: replies are not checked, the run is; --update makes it a checked trace. */
static void test_script(void **state)
{
    static const char script[] = "writeb 0x10000000 0x41\nreadb 0x10000005\n";
    Error *err = NULL;
    Trace *t = trace_parse("s.qtest", script, strlen(script), NULL, &err);
    TraceReplayOptions o = {.update = true};
    TraceResult res;
    Trace *u = NULL;
    GString *text;

    (void)state;
    assert_non_null(t);
    trace_replay(t, NULL, &res, NULL);
    assert_int_equal(res.outcome, TRACE_PASS);
    trace_result_clear(&res);
    trace_replay(t, &o, &res, &u);
    text = trace_format(u);
    assert_non_null(strstr(text->str, "args -M virt -nodefaults -accel qtest -qtest stdio\n"
                                      "in qtest writeb 0x10000000 0x41\n"
                                      "out qtest OK\n"
                                      "in qtest readb 0x10000005\n"
                                      "out qtest OK 0x0000000000000060\n"));
    g_string_free(text, TRUE);
    trace_result_clear(&res);
    trace_free(u);
    trace_free(t);
}

/* A QMP session on a socket chardev: no socket is made; the session replays. */
static void test_qmp_session(void **state)
{
    char *dir = tmpdir_new("tern-replay-qmp-XXXXXX");
    char *sock = g_build_filename(dir, "qmp.sock", NULL);
    char *text = g_strdup_printf("tern-trace 1\n"
                                 "args -M virt -nodefaults -accel qtest -qtest stdio "
                                 "-chardev socket,id=mon0,path=%s,server=on,wait=off "
                                 "-mon chardev=mon0,mode=control\n"
                                 "open mon0\n"
                                 "in mon0 {\"execute\": \"qmp_capabilities\"}\n"
                                 "in mon0 {\"execute\": \"query-status\", \"id\": 7}\n"
                                 "in mon0 {\"execute\": \"stop\"}\n"
                                 "close mon0\n",
                                 sock);
    char *rec = record_by_update(text), *bad;
    TraceResult res;

    (void)state;
    assert_false(g_file_test(sock, G_FILE_TEST_EXISTS));
    assert_non_null(strstr(rec, "out mon0 {\"QMP\": "));
    assert_non_null(strstr(rec, "\"id\": 7"));
    assert_non_null(strstr(rec, "\"event\": \"STOP\""));
    assert_int_equal(replay_text(rec, &res), TRACE_PASS);
    trace_result_clear(&res);
    bad = edit(rec, "\"running\": true", "\"running\": false");
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_string_equal(res.command, "in mon0 {\"execute\": \"query-status\", \"id\": 7}");
    trace_result_clear(&res);
    g_free(bad);
    g_free(rec);
    g_free(text);
    g_free(sock);
    tmpdir_remove(dir);
}

/* ---- tern-replay, the program ------------------------------------------------------------- */

static char *program(const char *name)
{
    const char *root = g_getenv("TERN_BUILD_ROOT");

    return root ? g_build_filename(root, name, NULL) : g_strdup(name);
}

static int run(char **args, char **out, char **err)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    GError *gerr = NULL;
    int status = -1;

    g_ptr_array_add(argv, program("tern-replay"));
    for (char **a = args; *a; a++) {
        g_ptr_array_add(argv, g_strdup(*a));
    }
    g_ptr_array_add(argv, NULL);
    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                      &status, &gerr)) {
        fail_msg("cannot run tern-replay: %s", gerr->message);
    }
    g_ptr_array_free(argv, TRUE);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Writes n traces (some failing) into a fresh directory; returns it. */
static char *corpus(int n, int failing)
{
    char *dir = tmpdir_new("tern-replay-corpus-XXXXXX");
    char *good = record_by_update(session);
    char *bad = edit(good, "out qtest OK 0x0000000012345678", "out qtest OK 0xdead");

    for (int i = 0; i < n; i++) {
        char *name = g_strdup_printf("t%02d.trace", i);
        const char *text = i < failing ? bad : good;
        g_free(tmpdir_write(dir, name, text, strlen(text)));
        g_free(name);
    }
    g_free(good);
    g_free(bad);
    return dir;
}

static void test_program_summary_and_tap(void **state)
{
    char *dir = corpus(6, 2), *out, *err;
    char *plain[] = {dir, NULL};
    char *tap[] = {"--tap", "--jobs", "3", dir, NULL};

    (void)state;
    assert_int_equal(run(plain, &out, &err), 1);
    assert_non_null(strstr(out, "FAIL "));
    assert_non_null(strstr(out, "t00.trace:"));
    assert_non_null(strstr(
        out, "  expected: out qtest OK 0xdead\n  got:      out qtest OK 0x0000000012345678\n"));
    assert_true(g_str_has_suffix(out, "tern-replay: 4 passed, 2 failed\n"));
    g_free(out);
    g_free(err);
    /* TAP, in list order whatever the jobs' timing. */
    assert_int_equal(run(tap, &out, &err), 1);
    assert_true(g_str_has_prefix(out, "1..6\nnot ok 1 - "));
    assert_non_null(strstr(out, "\nnot ok 2 - "));
    assert_non_null(strstr(out, "\nok 3 - "));
    assert_non_null(strstr(out, "\nok 6 - "));
    assert_true(g_str_has_suffix(out, "# tern-replay: 4 passed, 2 failed\n"));
    g_free(out);
    g_free(err);
    tmpdir_remove(dir);
}

/* Shards are disjoint, cover everything, and do not depend on the other files. */
static void test_program_shards(void **state)
{
    char *dir = corpus(9, 0);
    int total = 0;
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    (void)state;
    for (int k = 1; k <= 3; k++) {
        char *shard = g_strdup_printf("%d/3", k), *out, *err;
        char *args[] = {"--tap", "--shard", shard, dir, NULL};
        char **lines;
        assert_int_equal(run(args, &out, &err), 0);
        lines = g_strsplit(out, "\n", -1);
        for (char **l = lines; *l; l++) {
            const char *name = strstr(*l, " - ");
            if (g_str_has_prefix(*l, "ok ") && name) {
                assert_false(g_hash_table_contains(seen, name + 3));
                g_hash_table_add(seen, g_strdup(name + 3));
                total++;
            }
        }
        g_strfreev(lines);
        g_free(out);
        g_free(err);
        g_free(shard);
    }
    assert_int_equal(total, 9);
    g_hash_table_destroy(seen);
    tmpdir_remove(dir);
}

/* An update whose replay stops early (the machine ended) leaves the file as it was. */
static void test_program_update_keeps_a_cut_short_trace(void **state)
{
    static const char text[] = "tern-trace 1\n"
                               "args " QTEST_ARGS "\n"
                               "in qtest writel 0x100000 0x5555\n"
                               "in qtest readl 0x80000000\n";
    char *dir = tmpdir_new("tern-replay-upd-XXXXXX");
    char *path = tmpdir_write(dir, "cut.trace", text, strlen(text)), *out, *err, *after;
    char *args[] = {"--update", path, NULL};

    (void)state;
    assert_int_equal(run(args, &out, &err), 1);
    assert_non_null(strstr(out, "the machine ended (exit 0) before this input"));
    assert_true(g_file_get_contents(path, &after, NULL, NULL));
    assert_string_equal(after, text);
    g_free(after);
    g_free(out);
    g_free(err);
    g_free(path);
    tmpdir_remove(dir);
}

static void test_program_update(void **state)
{
    char *dir = corpus(1, 1), *path = g_build_filename(dir, "t00.trace", NULL), *out, *err;
    char *update[] = {"--update", path, NULL};
    char *check[] = {path, NULL};
    char *text;

    (void)state;
    assert_int_equal(run(check, &out, &err), 1);
    g_free(out);
    g_free(err);
    assert_int_equal(run(update, &out, &err), 0);
    assert_non_null(strstr(out, "updated "));
    g_free(out);
    g_free(err);
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    assert_null(strstr(text, "0xdead"));
    g_free(text);
    assert_int_equal(run(check, &out, &err), 0);
    g_free(out);
    g_free(err);
    g_free(path);
    tmpdir_remove(dir);
}

/* Bad traces and bad arguments: one line each, a failure, never a crash. */
static void test_program_bad_input(void **state)
{
    char *dir = tmpdir_new("tern-replay-bad-XXXXXX");
    char *p = tmpdir_write(dir, "v9.trace", "tern-trace 9\nargs\n", 18), *out, *err;
    char *args[] = {p, NULL};
    char *shard[] = {"--shard", "4/3", p, NULL};
    char *jobs[] = {"--jobs", "x", p, NULL};
    char *unknown[] = {"--frob", NULL};
    char *none[] = {"/nonexistent.trace", NULL};

    (void)state;
    assert_int_equal(run(args, &out, &err), 1);
    assert_non_null(strstr(out, "FAIL "));
    assert_non_null(strstr(out, "v9.trace:1: trace version 9 is not known"));
    assert_true(g_str_has_suffix(out, "tern-replay: 0 passed, 1 failed\n"));
    g_free(out);
    g_free(err);
    assert_int_equal(run(shard, &out, &err), 2);
    assert_string_equal(err, "tern-replay: --shard: '4/3' is not K/N with 1 <= K <= N\n");
    g_free(out);
    g_free(err);
    assert_int_equal(run(jobs, &out, &err), 2);
    assert_string_equal(err, "tern-replay: --jobs: 'x' is not a number from 1 to 256\n");
    g_free(out);
    g_free(err);
    assert_int_equal(run(unknown, &out, &err), 2);
    assert_string_equal(err, "tern-replay: unknown option '--frob' (--help lists them)\n");
    g_free(out);
    g_free(err);
    assert_int_equal(run(none, &out, &err), 1);
    assert_non_null(strstr(out, "/nonexistent.trace: "));
    g_free(out);
    g_free(err);
    g_free(p);
    tmpdir_remove(dir);
}

/* Writes text as NAME in dir, runs --minimize on it and returns the .min file's text. */
static char *minimize(const char *dir, const char *name, const char *text, const char *want_failure)
{
    char *path = tmpdir_write(dir, name, text, strlen(text)), *out, *err, *min;
    char *minpath = g_strdup_printf("%s.min", path);
    char *args[] = {"--minimize", path, NULL};
    Error *e = NULL;
    Trace *m;

    assert_int_equal(run(args, &out, &err), 0);
    if (!strstr(out, want_failure)) {
        fail_msg("--minimize said '%s', not '%s'", out, want_failure);
    }
    assert_true(g_file_get_contents(minpath, &min, NULL, NULL));
    m = trace_parse(minpath, min, strlen(min), NULL, &e); /* the result is a trace */
    assert_non_null(m);
    trace_free(m);
    g_free(out);
    g_free(err);
    g_free(minpath);
    g_free(path);
    return min;
}

/* A trace of noise writes, the writes that matter, and reads; edit makes one read fail. */
static char *failing_trace(const char *writes, const char *reads, const char *from, const char *to)
{
    GString *t = g_string_new("tern-trace 1\nargs " QTEST_ARGS "\n");
    char *rec, *bad;

    for (int i = 0; i < 8; i++) {
        g_string_append_printf(t, "in qtest writel 0x%x 0x%x\n", 0x80001000 + 4 * i, i);
    }
    g_string_append_printf(t, "%s%s", writes, reads);
    rec = record_by_update(t->str);
    bad = edit(rec, from, to);
    g_free(rec);
    g_string_free(t, TRUE);
    return bad;
}

/* --minimize keeps the failure (both sides of it) and drops every step it does not need. */
static void test_program_minimize(void **state)
{
    char *dir = tmpdir_new("tern-replay-min-XXXXXX");
    char *bad, *min;

    (void)state;
    /* Removal: the noise and the later read go, the write the read depends on stays. */
    bad = failing_trace("in qtest write 0x80002000 0x8000000000000000 0x\n" /* not split */
                        "in qtest writel 0x80000000 0xff00ff\n",
                        "in qtest readl 0x80000000\nin qtest readl 0x80000004\n",
                        "out qtest OK 0x0000000000ff00ff", "out qtest OK 0xff");
    min = minimize(dir, "remove.trace", bad,
                   "failure: diverged: expected 'out qtest OK 0xff', got 'out qtest OK "
                   "0x0000000000ff00ff'\n");
    assert_true(g_str_has_suffix(min, "in qtest writel 0x80000000 0xff00ff\nout qtest OK\n"
                                      "in qtest readl 0x80000000\nout qtest OK 0xff\n"));
    assert_null(strstr(min, "0x80001000"));
    g_free(min);
    g_free(bad);
    /* Split writes: of an 8-byte write only the byte the read sees is left. */
    bad = failing_trace("in qtest write 0x80000000 0x8 0x0102030405060708\n",
                        "in qtest readb 0x80000001\n", "out qtest OK 0x0000000000000002",
                        "out qtest OK 0x99");
    min = minimize(dir, "split.trace", bad, "failure: diverged: ");
    assert_true(g_str_has_suffix(min, "in qtest write 0x80000001 0x1 0x02\nout qtest OK\n"
                                      "in qtest readb 0x80000001\nout qtest OK 0x99\n"));
    g_free(min);
    g_free(bad);
    /* Clear bits: the bits of a written value the read does not see are cleared. */
    bad = failing_trace("in qtest writew 0x80000010 0xff02\n", "in qtest readb 0x80000010\n",
                        "out qtest OK 0x0000000000000002", "out qtest OK 0x99");
    min = minimize(dir, "bits.trace", bad, "failure: diverged: ");
    assert_true(g_str_has_suffix(min, "in qtest writew 0x80000010 0x2\nout qtest OK\n"
                                      "in qtest readb 0x80000010\nout qtest OK 0x99\n"));
    g_free(min);
    g_free(bad);
    tmpdir_remove(dir);
}

/* A trace that passes has nothing to minimize: one line, a failure status. */
static void test_program_minimize_passing(void **state)
{
    char *dir = tmpdir_new("tern-replay-min-XXXXXX");
    char *rec = record_by_update(session);
    char *path = tmpdir_write(dir, "ok.trace", rec, strlen(rec)), *out, *err;
    char *args[] = {"--minimize", path, NULL};

    (void)state;
    assert_int_equal(run(args, &out, &err), 1);
    assert_non_null(strstr(err, "ok.trace passes; there is no failure to keep\n"));
    g_free(out);
    g_free(err);
    g_free(path);
    g_free(rec);
    tmpdir_remove(dir);
}

static void test_program_to_test(void **state)
{
    char *rec = record_by_update(session);
    char *dir = tmpdir_new("tern-replay-totest-XXXXXX");
    char *path = tmpdir_write(dir, "s.trace", rec, strlen(rec)), *out, *err;
    char *args[] = {"--to-test", path, NULL};

    (void)state;
    assert_int_equal(run(args, &out, &err), 0);
    assert_non_null(strstr(out,
                           "qtest_init_without_handshake(QTEST_TRANSPORT_DEFAULT, "
                           "\"-M virt -nodefaults -chardev stdio,id=con0 -serial chardev:con0\")"));
    assert_non_null(strstr(out, "qtest_sendf(s, \"%s\\n\", \"readl 0x80000000\");\n"
                                "    expect_line(s, \"OK 0x0000000012345678\");\n"));
    g_free(out);
    g_free(err);
    g_free(path);
    g_free(rec);
    tmpdir_remove(dir);
}

/*
 * The whole loop: tern -record a qtest session fed from a file (console
 * output on a file chardev, the client leaving, SIGTERM), then the
 * recording replays in this process with every line checked.
 */
static void test_record_then_replay(void **state)
{
    char *dir = tmpdir_new("tern-replay-e2e-XXXXXX");
    static const char script[] = "writel 0x80000000 0x5\nreadl 0x80000000\n"
                                 "writeb 0x10000000 0x41\nclock_step 100\nreadb 0x10000005\n";
    char *in = tmpdir_write(dir, "s.qtest", script, strlen(script));
    char *trace = g_build_filename(dir, "rec.trace", NULL);
    char *tern = program("tern");
    char *cmd = g_strdup_printf("exec %s -record %s -M virt -nodefaults -accel qtest -qtest stdio "
                                "-qtest-log none -serial file:%s/out.txt < %s > /dev/null",
                                tern, trace, dir, in);
    char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    GError *gerr = NULL;
    GPid pid;
    char *text = NULL;
    int status;
    Error *err = NULL;
    Trace *t;
    TraceResult res;

    (void)state;
    assert_true(
        g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &gerr));
    for (int i = 0; i < 1000; i++) {
        g_free(text);
        text = NULL;
        if (g_file_get_contents(trace, &text, NULL, NULL) && strstr(text, "close qtest\n")) {
            break;
        }
        g_usleep(10000);
    }
    assert_non_null(text);
    assert_non_null(strstr(text, "close qtest\n"));
    kill(pid, SIGTERM);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    g_free(text);
    assert_true(g_file_get_contents(trace, &text, NULL, NULL));
    assert_non_null(strstr(text, "out serial0 A\\c\n"));
    assert_non_null(strstr(text, "signal 15\ncheckpoint "));
    assert_true(g_str_has_suffix(text, "exit 0\n"));
    t = trace_load(trace, NULL, &err);
    assert_non_null(t);
    trace_replay(t, NULL, &res, NULL);
    if (res.outcome != TRACE_PASS) {
        fail_msg("the recording does not replay: %s", res.message);
    }
    trace_result_clear(&res);
    trace_free(t);
    g_free(text);
    g_free(cmd);
    g_free(tern);
    g_free(trace);
    g_free(in);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_update_then_replay),
        cmocka_unit_test(test_reply_divergence),
        cmocka_unit_test(test_missing_and_extra_output),
        cmocka_unit_test(test_checkpoint_divergence),
        cmocka_unit_test(test_exit_status),
        cmocka_unit_test(test_signal),
        cmocka_unit_test(test_option_error_trace),
        cmocka_unit_test(test_bad_replays),
        cmocka_unit_test_setup_teardown(test_icount_positions_are_run_to_in_order, fake_setup,
                                        fake_teardown),
        cmocka_unit_test_setup_teardown(test_update_keeps_positions_and_replays, fake_setup,
                                        fake_teardown),
        cmocka_unit_test_setup_teardown(test_guest_stopping_before_a_position_diverges_there,
                                        fake_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_guest_running_past_a_position_diverges_there,
                                        fake_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_machine_ending_before_a_position_diverges_there,
                                        fake_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_position_without_harts_diverges, fake_setup,
                                        fake_teardown),
        cmocka_unit_test_setup_teardown(test_run_to_the_end_has_a_budget, fake_setup,
                                        fake_teardown),
        cmocka_unit_test(test_script),
        cmocka_unit_test(test_qmp_session),
        cmocka_unit_test(test_program_summary_and_tap),
        cmocka_unit_test(test_program_shards),
        cmocka_unit_test(test_program_update),
        cmocka_unit_test(test_program_update_keeps_a_cut_short_trace),
        cmocka_unit_test(test_program_bad_input),
        cmocka_unit_test(test_program_minimize),
        cmocka_unit_test(test_program_minimize_passing),
        cmocka_unit_test(test_program_to_test),
        cmocka_unit_test(test_record_then_replay),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
