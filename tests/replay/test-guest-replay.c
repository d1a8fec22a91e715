/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-guest-replay.c - record and replay of a guest run, end to end: the
 * echo guest (tests/replay/guest/echo.S) runs on the hart under
 * `tern -record` with its console on stdio, typed at as a person would;
 * the recording replays in this process (harness/replay.c) byte for byte,
 * and an altered recording (an output byte, an instruction count, a host
 * clock value) fails at the line that was changed or the first one it makes
 * wrong.
 *
 * argv[1]: the echo guest's ELF (built by tests/replay/meson.build).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "core/error.h"
#include "harness/trace.h"
#include "tests/support/tmpdir.h"
#include "tests/support/unix-sock.h"

/* Seconds any one wait may take (a loaded CI machine is slow, never this slow). */
#define WAIT_S 30

static const char *echo_elf;

/* One recorded session: tern running the guest with stdin and stdout piped. */
typedef struct Session {
    char *dir;
    char *trace;
    GPid pid;
    int in, out;
    GString *console; /* what the guest printed so far */
    size_t seen;      /* where the next wait starts looking */
} Session;

static char *program(const char *name)
{
    const char *root = g_getenv("TERN_BUILD_ROOT");

    return root ? g_build_filename(root, name, NULL) : g_strdup(name);
}

/* Starts the echo guest under tern -record; extra: more options (NULL: none). */
static void session_start(Session *s, const char *extra)
{
    char *tern = program("tern");
    GPtrArray *argv = g_ptr_array_new();
    gchar **more = g_strsplit(extra ? extra : "", " ", -1);
    GError *gerr = NULL;

    memset(s, 0, sizeof(*s));
    s->dir = tmpdir_new("tern-guest-replay-XXXXXX");
    s->trace = g_build_filename(s->dir, "echo.trace", NULL);
    s->console = g_string_new(NULL);
    g_ptr_array_add(argv, tern);
    g_ptr_array_add(argv, "-record");
    g_ptr_array_add(argv, s->trace);
    g_ptr_array_add(argv, "-M");
    g_ptr_array_add(argv, "virt");
    g_ptr_array_add(argv, "-bios");
    g_ptr_array_add(argv, "none");
    g_ptr_array_add(argv, "-kernel");
    g_ptr_array_add(argv, (char *)echo_elf);
    g_ptr_array_add(argv, "-nographic");
    for (gchar **m = more; *m; m++) {
        if (**m) {
            g_ptr_array_add(argv, *m);
        }
    }
    g_ptr_array_add(argv, NULL);
    if (!g_spawn_async_with_pipes(NULL, (char **)argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                  NULL, &s->pid, &s->in, &s->out, NULL, &gerr)) {
        fail_msg("cannot run %s: %s", tern, gerr->message);
    }
    g_ptr_array_free(argv, TRUE);
    g_strfreev(more);
    g_free(tern);
}

/* Reads the console until text appears after what earlier waits consumed. */
static void wait_console(Session *s, const char *text)
{
    gint64 end = g_get_monotonic_time() + WAIT_S * G_USEC_PER_SEC;

    for (;;) {
        const char *at = strstr(s->console->str + s->seen, text);
        struct pollfd p = {.fd = s->out, .events = POLLIN};
        char buf[4096];
        ssize_t n;

        if (at) {
            s->seen = (size_t)(at - s->console->str) + strlen(text);
            return;
        }
        if (g_get_monotonic_time() >= end) {
            fail_msg("no '%s' on the console within %d s; it has: '%s'", text, WAIT_S,
                     s->console->str);
        }
        if (poll(&p, 1, 100) <= 0) {
            continue;
        }
        n = read(s->out, buf, sizeof(buf));
        if (n <= 0) {
            fail_msg("the console closed before '%s'; it has: '%s'", text, s->console->str);
        }
        g_string_append_len(s->console, buf, n);
    }
}

static void type(Session *s, const char *keys)
{
    assert_int_equal(write(s->in, keys, strlen(keys)), (ssize_t)strlen(keys));
}

static int session_wait_exit(Session *s)
{
    gint64 end = g_get_monotonic_time() + WAIT_S * G_USEC_PER_SEC;
    int status;
    pid_t got;

    while ((got = waitpid(s->pid, &status, WNOHANG)) == 0 && g_get_monotonic_time() < end) {
        g_usleep(10000);
    }
    if (got != s->pid) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &status, 0);
        fail_msg("tern did not exit within %d s", WAIT_S);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void session_free(Session *s)
{
    close(s->in);
    close(s->out);
    g_spawn_close_pid(s->pid);
    g_string_free(s->console, TRUE);
    g_unlink(s->trace);
    g_free(s->trace);
    tmpdir_remove(s->dir);
}

static char *file_text(const char *path)
{
    char *text = NULL;

    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

/*
 * "hi", Enter, "a", then q: the console shows the banner, the prompt,
 * "HI", a new prompt, "A" and "bye", and the machine ends with status 0.
 * Returns the recording's text.
 */
static char *record_echo_session(void)
{
    Session s;
    char *text;

    session_start(&s, NULL);
    wait_console(&s, "tern echo guest\n> ");
    type(&s, "hi");
    wait_console(&s, "HI");
    type(&s, "\r");
    wait_console(&s, "\n> ");
    type(&s, "a");
    wait_console(&s, "A");
    type(&s, "q");
    wait_console(&s, "\nbye\n");
    assert_int_equal(session_wait_exit(&s), 0);
    text = file_text(s.trace);
    session_free(&s);
    return text;
}

static Trace *parse(const char *text)
{
    Error *err = NULL;
    Trace *t = trace_parse("echo.trace", text, strlen(text), NULL, &err);

    if (!t) {
        fail_msg("%s", error_get_pretty(err));
    }
    return t;
}

static TraceOutcome replay_text(const char *text, TraceResult *res)
{
    Trace *t = parse(text);

    trace_replay(t, NULL, res, NULL);
    trace_free(t);
    return res->outcome;
}

/* The 1-based line of the first line of text that starts with prefix. */
static int line_starting(const char *text, const char *prefix)
{
    gchar **lines = g_strsplit(text, "\n", -1);
    int found = 0;

    for (int i = 0; lines[i] && !found; i++) {
        if (g_str_has_prefix(lines[i], prefix)) {
            found = i + 1;
        }
    }
    g_strfreev(lines);
    if (!found) {
        fail_msg("no line starting with '%s' in:\n%s", prefix, text);
    }
    return found;
}

/* Line n (1-based) of text, a copy. */
static char *line_at(const char *text, int n)
{
    gchar **lines = g_strsplit(text, "\n", -1);
    char *line;

    assert_true(n >= 1 && (guint)n <= g_strv_length(lines));
    line = g_strdup(lines[n - 1]);
    g_strfreev(lines);
    return line;
}

/* text with line n (1-based) replaced by with. */
static char *replace_line(const char *text, int n, const char *with)
{
    gchar **lines = g_strsplit(text, "\n", -1);
    char *out;

    assert_true(n >= 1 && (guint)n <= g_strv_length(lines));
    g_free(lines[n - 1]);
    lines[n - 1] = g_strdup(with);
    out = g_strjoinv("\n", lines);
    g_strfreev(lines);
    return out;
}

static uint64_t icount_of(const char *line)
{
    assert_true(g_str_has_prefix(line, "icount "));
    return g_ascii_strtoull(line + 7, NULL, 10);
}

/* ---- the tests ------------------------------------------------------------------------------ */

/*
 * The recording: console output a line at a time (the prompt a partial
 * line), each typed byte an input with the instruction count and virtual
 * time it arrived at, the count the guest ended at, the checkpoint and the
 * exit status.
 */
static void test_a_guest_session_is_recorded_with_its_positions(void **state)
{
    char *text = record_echo_session();
    gchar **lines = g_strsplit(text, "\n", -1);
    guint n = g_strv_length(lines), inputs = 0;
    uint64_t last = 0;

    (void)state;
    assert_string_equal(lines[0], "tern-trace 1");
    assert_string_equal(lines[2], "out serial0 tern echo guest");
    assert_string_equal(lines[3], "out serial0 > \\c");
    for (guint i = 4; i < n; i++) {
        if (g_str_has_prefix(lines[i], "in serial0 ")) {
            /* Each typed byte: its position, then the clock, then the byte. */
            assert_true(g_str_has_prefix(lines[i - 2], "icount "));
            assert_true(g_str_has_prefix(lines[i - 1], "time "));
            assert_true(icount_of(lines[i - 2]) > last);
            last = icount_of(lines[i - 2]);
            inputs++;
        }
    }
    assert_int_equal(inputs, 5); /* h i \r a q */
    assert_non_null(strstr(text, "\nin serial0 h\\c\nout serial0 H\\c\n"));
    assert_non_null(strstr(text, "\nin serial0 \\r\\c\nout serial0\nout serial0 > \\c\n"));
    assert_non_null(strstr(text, "\nin serial0 q\\c\nout serial0\nout serial0 bye\nicount "));
    assert_string_equal(lines[n - 1], "");
    assert_string_equal(lines[n - 2], "exit 0");
    assert_true(g_str_has_prefix(lines[n - 3], "checkpoint "));
    assert_true(icount_of(lines[n - 4]) > last);
    g_strfreev(lines);
    g_free(text);
}

/* tern-replay's checker runs the recording to every position and finds every byte the same. */
static void test_a_recorded_guest_session_replays(void **state)
{
    char *text = record_echo_session();
    TraceResult res;

    (void)state;
    if (replay_text(text, &res) != TRACE_PASS) {
        fail_msg("the recording does not replay: %s\n%s", res.message, text);
    }
    trace_result_clear(&res);
    g_free(text);
}

/* --update of a guest recording keeps it: the replay is the recorded run. */
static void test_update_of_a_guest_recording_replays_the_same(void **state)
{
    char *text = record_echo_session();
    Trace *t = parse(text), *u = NULL;
    TraceReplayOptions o = {.update = true};
    TraceResult res;
    GString *updated;

    (void)state;
    trace_replay(t, &o, &res, &u);
    if (res.outcome != TRACE_PASS) {
        fail_msg("update failed: %s", res.message);
    }
    trace_result_clear(&res);
    updated = trace_format(u);
    /* The same positions, checkpoint and exit; the output lines as the update groups them. */
    assert_non_null(strstr(updated->str, strstr(text, "checkpoint ")));
    assert_int_equal(replay_text(updated->str, &res), TRACE_PASS);
    trace_result_clear(&res);
    g_string_free(updated, TRUE);
    trace_free(u);
    trace_free(t);
    g_free(text);
}

/* One output byte changed: a divergence at that line, with both sides. */
static void test_a_changed_output_byte_fails_at_its_line(void **state)
{
    char *text = record_echo_session();
    int line = line_starting(text, "out serial0 bye");
    char *bad = replace_line(text, line, "out serial0 bYe");
    TraceResult res;

    (void)state;
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_int_equal(res.line, line);
    assert_string_equal(res.expected, "out serial0 bYe");
    assert_string_equal(res.got, "out serial0 bye");
    assert_string_equal(res.command, "in serial0 q\\c");
    trace_result_clear(&res);
    g_free(bad);
    g_free(text);
}

/*
 * The position of an input moved 100 instructions later: the input reaches
 * the guest later, so the virtual clock on the next line (which follows the
 * instructions) is not the recorded one.
 */
static void test_a_changed_icount_fails_at_the_time_it_arrives(void **state)
{
    char *text = record_echo_session();
    int in_line = line_starting(text, "in serial0 a");
    char *icount_line = line_at(text, in_line - 2);
    char *time_line = line_at(text, in_line - 1);
    char *moved = g_strdup_printf("icount %" PRIu64, icount_of(icount_line) + 100);
    char *bad = replace_line(text, in_line - 2, moved);
    TraceResult res;

    (void)state;
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_int_equal(res.line, in_line - 1);
    assert_string_equal(res.expected, time_line);
    assert_true(g_str_has_prefix(res.got, "time "));
    assert_true(g_ascii_strtoll(res.got + 5, NULL, 10) > g_ascii_strtoll(time_line + 5, NULL, 10));
    trace_result_clear(&res);
    g_free(bad);
    g_free(moved);
    g_free(time_line);
    g_free(icount_line);
    g_free(text);
}

/* A position beyond the instruction the guest ended the machine at: named at its line. */
static void test_a_position_after_the_end_fails_at_its_line(void **state)
{
    char *text = record_echo_session();
    int line = line_starting(text, "checkpoint ") - 1;
    char *last = line_at(text, line);
    uint64_t end = icount_of(last);
    char *moved = g_strdup_printf("icount %" PRIu64, end + 1);
    char *bad = replace_line(text, line, moved);
    char *want = g_strdup_printf("the machine ended (exit 0) at icount %" PRIu64
                                 ", before reaching icount %" PRIu64,
                                 end, end + 1);
    TraceResult res;

    (void)state;
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_int_equal(res.line, line);
    assert_non_null(strstr(res.message, want));
    trace_result_clear(&res);
    g_free(want);
    g_free(bad);
    g_free(moved);
    g_free(last);
    g_free(text);
}

/*
 * The guest reads the host clock (goldfish RTC under -rtc clock=host) in the
 * middle of a slice: the recording has the value with the instruction count
 * of the read; the replay gives the guest that value at that count.  A
 * changed value changes what the guest prints (a divergence at that output
 * line); a changed count is a divergence at the read's line.
 */
static void test_a_host_clock_read_is_positioned_and_replayed(void **state)
{
    Session s;
    char *text, *bad, *value, *icount_line, *moved;
    int clock_line, out_line;
    TraceResult res;

    (void)state;
    session_start(&s, "-rtc clock=host");
    wait_console(&s, "> ");
    type(&s, "t");
    wait_console(&s, "\n> ");
    type(&s, "q");
    assert_int_equal(session_wait_exit(&s), 0);
    text = file_text(s.trace);
    session_free(&s);
    if (replay_text(text, &res) != TRACE_PASS) {
        fail_msg("the recording does not replay: %s\n%s", res.message, text);
    }
    trace_result_clear(&res);
    /* The read after 't' (the first hostclock line is the RTC's realize, at count 0). */
    clock_line = line_starting(text, "in serial0 t") + 2;
    value = line_at(text, clock_line);
    icount_line = line_at(text, clock_line - 1);
    assert_true(g_str_has_prefix(value, "hostclock "));
    assert_true(g_str_has_prefix(icount_line, "icount "));
    out_line = clock_line + 1;
    /* Another value: the guest prints other digits. */
    moved =
        g_strdup_printf("hostclock %" G_GINT64_FORMAT, g_ascii_strtoll(value + 10, NULL, 10) + 1);
    bad = replace_line(text, clock_line, moved);
    g_free(moved);
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_int_equal(res.line, out_line);
    assert_true(g_str_has_prefix(res.expected, "out serial0 "));
    assert_true(g_str_has_prefix(res.got, "out serial0 "));
    assert_string_not_equal(res.expected, res.got);
    trace_result_clear(&res);
    g_free(bad);
    /* The read one instruction earlier than the guest makes it. */
    moved = g_strdup_printf("icount %" PRIu64, icount_of(icount_line) - 1);
    bad = replace_line(text, clock_line - 1, moved);
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_int_equal(res.line, clock_line);
    assert_string_equal(res.expected, moved);
    assert_string_equal(res.got, icount_line);
    assert_non_null(strstr(res.message, "the guest made this hostclock read at icount"));
    trace_result_clear(&res);
    g_free(bad);
    g_free(moved);
    g_free(icount_line);
    g_free(value);
    g_free(text);
}

/*
 * The guest waits for input in WFI ('w'), woken by the timer every 1 ms of
 * virtual time: an input arrives while the hart is idle and the live loop
 * has warped the clock past the last instruction.  The replay holds the
 * hart at the position and warps as the live loop did, to the recorded
 * clock and not beyond: the recording replays, and a clock one ns later
 * than the recorded one is a divergence at its line.
 */
static void test_input_while_the_guest_waits_in_wfi_replays(void **state)
{
    Session s;
    char *text, *time_line, *later, *bad;
    int line;
    TraceResult res;

    (void)state;
    session_start(&s, NULL);
    wait_console(&s, "> ");
    type(&s, "w");
    wait_console(&s, "wfi\n> ");
    g_usleep(100000); /* the guest sleeps and wakes a few hundred times */
    type(&s, "a");
    wait_console(&s, "A");
    g_usleep(100000);
    type(&s, "q");
    assert_int_equal(session_wait_exit(&s), 0);
    text = file_text(s.trace);
    session_free(&s);
    if (replay_text(text, &res) != TRACE_PASS) {
        fail_msg("the recording does not replay: %s\n%s", res.message, text);
    }
    trace_result_clear(&res);
    line = line_starting(text, "in serial0 a") - 1;
    time_line = line_at(text, line);
    later = g_strdup_printf("time %" G_GINT64_FORMAT, g_ascii_strtoll(time_line + 5, NULL, 10) + 1);
    bad = replace_line(text, line, later);
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_int_equal(res.line, line);
    assert_string_equal(res.expected, later);
    assert_string_equal(res.got, time_line);
    trace_result_clear(&res);
    g_free(bad);
    g_free(later);
    g_free(time_line);
    g_free(text);
}

/* Sends a QMP command and reads lines until its reply (events before it are skipped). */
static char *qmp(int fd, GString *buf, const char *command)
{
    gint64 end = g_get_monotonic_time() + WAIT_S * G_USEC_PER_SEC;

    assert_int_equal(write(fd, command, strlen(command)), (ssize_t)strlen(command));
    for (;;) {
        char *nl = strchr(buf->str, '\n');
        char chunk[4096];
        ssize_t n;

        if (nl) {
            char *line = g_strndup(buf->str, (gsize)(nl - buf->str));

            g_string_erase(buf, 0, nl - buf->str + 1);
            if (strstr(line, "\"return\"") || strstr(line, "\"error\"")) {
                return line;
            }
            g_free(line);
            continue;
        }
        if (g_get_monotonic_time() >= end) {
            fail_msg("no reply to %s within %d s", command, WAIT_S);
        }
        n = read(fd, chunk, sizeof(chunk));
        if (n <= 0) {
            fail_msg("QMP closed before the reply to %s", command);
        }
        g_string_append_len(buf, chunk, n);
    }
}

/*
 * A QMP client stops the guest, asks for its status and lets it go on
 * while it runs: the commands are inputs with positions (two at the same
 * count while it is paused), their events carry recorded host-clock stamps,
 * and the whole run, ended by quit, replays.
 */
static void test_qmp_stop_and_cont_around_a_running_guest_replays(void **state)
{
    Session s;
    char *sock, *extra, *reply, *text;
    GString *buf = g_string_new(NULL);
    TraceResult res;
    int fd;

    (void)state;
    sock = g_strdup_printf("%s/qmp-%d.sock", g_get_tmp_dir(), (int)getpid());
    extra = g_strdup_printf("-qmp unix:%s,server=on,wait=off", sock);
    session_start(&s, extra);
    wait_console(&s, "> ");
    fd = usock_connect_retry(sock, WAIT_S * 1000, s.pid);
    g_free(qmp(fd, buf, "{\"execute\": \"qmp_capabilities\"}\n"));
    g_free(qmp(fd, buf, "{\"execute\": \"stop\"}\n"));
    reply = qmp(fd, buf, "{\"execute\": \"query-status\"}\n");
    assert_non_null(strstr(reply, "\"status\": \"paused\""));
    g_free(reply);
    type(&s, "x"); /* read by the UART while paused, echoed once the guest runs */
    g_free(qmp(fd, buf, "{\"execute\": \"cont\"}\n"));
    wait_console(&s, "X");
    g_free(qmp(fd, buf, "{\"execute\": \"quit\"}\n"));
    assert_int_equal(session_wait_exit(&s), 0);
    close(fd);
    text = file_text(s.trace);
    session_free(&s);
    assert_non_null(strstr(text, "\"event\": \"STOP\"}"));
    assert_non_null(strstr(text, "\"event\": \"RESUME\"}"));
    if (replay_text(text, &res) != TRACE_PASS) {
        fail_msg("the recording does not replay: %s\n%s", res.message, text);
    }
    trace_result_clear(&res);
    g_unlink(sock);
    g_string_free(buf, TRUE);
    g_free(text);
    g_free(extra);
    g_free(sock);
}

/* The guest's own failure status (sifive_test FAIL, code 3) is recorded and checked. */
static void test_a_guest_exit_status_is_recorded_and_checked(void **state)
{
    Session s;
    char *text, *bad;
    TraceResult res;

    (void)state;
    session_start(&s, NULL);
    wait_console(&s, "> ");
    type(&s, "f");
    assert_int_equal(session_wait_exit(&s), 3);
    text = file_text(s.trace);
    session_free(&s);
    assert_true(g_str_has_suffix(text, "\nexit 3\n"));
    assert_int_equal(replay_text(text, &res), TRACE_PASS);
    trace_result_clear(&res);
    bad = replace_line(text, line_starting(text, "exit 3"), "exit 0");
    assert_int_equal(replay_text(bad, &res), TRACE_DIVERGED);
    assert_string_equal(res.expected, "exit 0");
    assert_string_equal(res.got, "exit 3");
    trace_result_clear(&res);
    g_free(bad);
    g_free(text);
}

/*
 * SIGKILL while the guest waits for input after echoing a byte: the echo,
 * a partial line, was written when the main loop's iteration ended (no
 * event came after it), so the killed recording has it; it replays as far
 * as it goes.
 */
static void test_a_killed_recording_keeps_the_partial_line_and_replays(void **state)
{
    Session s;
    gint64 end;
    char *text = NULL;
    TraceResult res;

    (void)state;
    session_start(&s, NULL);
    wait_console(&s, "> ");
    type(&s, "h");
    wait_console(&s, "H");
    end = g_get_monotonic_time() + WAIT_S * G_USEC_PER_SEC;
    do {
        g_free(text);
        g_usleep(10000);
        text = file_text(s.trace);
    } while (!g_str_has_suffix(text, "\nout serial0 H\\c\n") && g_get_monotonic_time() < end);
    assert_true(g_str_has_suffix(text, "\nout serial0 H\\c\n"));
    kill(s.pid, SIGKILL);
    assert_int_equal(session_wait_exit(&s), 128 + SIGKILL);
    g_free(text);
    text = file_text(s.trace);
    session_free(&s);
    assert_true(g_str_has_suffix(text, "\nin serial0 h\\c\nout serial0 H\\c\n"));
    if (replay_text(text, &res) != TRACE_PASS) {
        fail_msg("the killed recording does not replay: %s\n%s", res.message, text);
    }
    trace_result_clear(&res);
    g_free(text);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_guest_session_is_recorded_with_its_positions),
        cmocka_unit_test(test_a_recorded_guest_session_replays),
        cmocka_unit_test(test_update_of_a_guest_recording_replays_the_same),
        cmocka_unit_test(test_a_changed_output_byte_fails_at_its_line),
        cmocka_unit_test(test_a_changed_icount_fails_at_the_time_it_arrives),
        cmocka_unit_test(test_a_position_after_the_end_fails_at_its_line),
        cmocka_unit_test(test_a_host_clock_read_is_positioned_and_replayed),
        cmocka_unit_test(test_input_while_the_guest_waits_in_wfi_replays),
        cmocka_unit_test(test_qmp_stop_and_cont_around_a_running_guest_replays),
        cmocka_unit_test(test_a_guest_exit_status_is_recorded_and_checked),
        cmocka_unit_test(test_a_killed_recording_keeps_the_partial_line_and_replays),
    };

    if (argc != 2) {
        fprintf(stderr, "usage: %s ECHO_ELF\n", argv[0]);
        return 1;
    }
    echo_elf = argv[1];
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests_name("guest-replay", tests, NULL, NULL);
}
