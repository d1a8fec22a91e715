/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-error.c - Error objects, propagation, prepending and locations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "tests/support/log-capture.h"

static bool fail_with(int value, Error **errp)
{
    if (value < 0) {
        error_setg(errp, "value %d is negative", value);
        return false;
    }
    return true;
}

static void test_setg_formats_message(void **state)
{
    Error *err = NULL;

    assert_false(fail_with(-3, &err));
    assert_non_null(err);
    assert_string_equal(error_get_message(err), "value -3 is negative");
    assert_null(error_get_location(err));
    assert_string_equal(error_get_pretty(err), "value -3 is negative");
    error_free(err);
}

static void test_setg_with_null_errp_is_ignored(void **state)
{
    assert_false(fail_with(-1, NULL));
}

static void test_setg_records_source(void **state)
{
    Error *err = NULL;
    int line = 0;

    fail_with(-1, &err);
    assert_non_null(strstr(error_get_source(err, &line), "test-error.c"));
    assert_true(line > 0);
    error_free(err);
}

static void test_first_error_wins(void **state)
{
    Error *err = NULL;

    error_setg(&err, "first");
    error_setg(&err, "second");
    assert_string_equal(error_get_message(err), "first");
    error_free(err);
}

static void test_setg_errno_appends_strerror(void **state)
{
    Error *err = NULL;
    char *want = g_strdup_printf("open x: %s", strerror(ENOENT));

    error_setg_errno(&err, ENOENT, "open %s", "x");
    assert_string_equal(error_get_message(err), want);
    g_free(want);
    error_free(err);
}

static void test_propagate_moves_error(void **state)
{
    Error *local = NULL, *dst = NULL;

    error_setg(&local, "inner");
    error_propagate(&dst, local);
    assert_string_equal(error_get_message(dst), "inner");
    error_free(dst);
}

static void test_propagate_to_set_destination_frees(void **state)
{
    Error *local = NULL, *dst = NULL;

    error_setg(&dst, "outer");
    error_setg(&local, "inner");
    error_propagate(&dst, local); /* must not leak local (LSan checks) */
    assert_string_equal(error_get_message(dst), "outer");
    error_free(dst);
}

static void test_propagate_to_null_frees(void **state)
{
    Error *local = NULL;

    error_setg(&local, "dropped");
    error_propagate(NULL, local);
    error_propagate(NULL, NULL);
}

static void test_prepend_adds_context(void **state)
{
    Error *err = NULL;

    error_setg(&err, "bad value");
    error_prepend(&err, "property '%s': ", "size");
    assert_string_equal(error_get_message(err), "property 'size': bad value");
    error_prepend(NULL, "ignored");
    error_free(err);
}

static void test_propagate_prepend(void **state)
{
    Error *local = NULL, *dst = NULL;

    error_setg(&local, "no such file");
    error_propagate_prepend(&dst, local, "drive %s: ", "hd0");
    assert_string_equal(error_get_message(dst), "drive hd0: no such file");
    error_free(dst);
}

static void test_propagate_prepend_to_a_set_destination_keeps_the_first(void **state)
{
    Error *local = NULL, *dst = NULL;

    error_setg(&dst, "first");
    error_setg(&local, "second");
    error_propagate_prepend(&dst, local, "context: ");
    assert_string_equal(error_get_message(dst), "first");
    error_free(dst);
    error_propagate_prepend(&dst, NULL, "nothing: "); /* no error: nothing happens */
}

static void test_cmdline_location_is_captured(void **state)
{
    char *argv[] = {"tern", "-m", "12Q", NULL};
    Location loc;
    Error *err = NULL;

    loc_push_none(&loc);
    loc_set_cmdline(argv, 1, 2);
    error_setg(&err, "invalid size");
    loc_pop(&loc);
    assert_string_equal(error_get_location(err), "-m 12Q");
    assert_string_equal(error_get_pretty(err), "-m 12Q: invalid size");
    error_free(err);
    err = NULL;

    /* After the pop, no location is current. */
    error_setg(&err, "later");
    assert_null(error_get_location(err));
    error_free(err);
}

static void test_file_location_is_captured(void **state)
{
    Location loc;
    Error *err = NULL;

    loc_push_none(&loc);
    loc_set_file("tern.cfg", 7);
    error_setg(&err, "unknown group");
    loc_pop(&loc);
    assert_string_equal(error_get_pretty(err), "tern.cfg:7: unknown group");
    error_free(err);
}

static void test_copy_is_independent(void **state)
{
    Error *err = NULL, *copy;

    error_setg(&err, "original");
    copy = error_copy(err);
    error_prepend(&err, "changed: ");
    assert_string_equal(error_get_message(copy), "original");
    error_free(err);
    error_free(copy);
}

static void test_report_err_prints_one_line(void **state)
{
    StreamCapture capture;
    Error *err = NULL;
    char *text;

    error_set_report_stream(stream_capture_begin(&capture));
    error_setg(&err, "something went wrong");
    error_report_err(err);
    error_report("plain %d", 1);
    error_set_report_stream(NULL);
    text = stream_capture_end(&capture);
    assert_string_equal(text, "tern: something went wrong\ntern: plain 1\n");
    free(text);
}

static void test_control_characters_are_escaped_in_what_is_printed(void **state)
{
    static const char raw[] = "a\nb\rc\td\x01"
                              "e\x1b[31mf\x7f"
                              "g\\n h\xc3\xa9";
    static const char shown[] = "a\\nb\\rc\\td\\x01e\\x1b[31mf\\x7fg\\n h\xc3\xa9";
    char *escaped = error_escape_controls(raw);

    assert_string_equal(escaped, shown);
    g_free(escaped);
    /* Text without control characters is returned as it was, backslashes and UTF-8 included. */
    escaped = error_escape_controls("C:\\dir 100% caf\xc3\xa9");
    assert_string_equal(escaped, "C:\\dir 100% caf\xc3\xa9");
    g_free(escaped);
    assert_null(error_escape_controls(NULL));
    /*
     * Terminals break lines at C1 controls (NEL U+0085) and Unicode separators
     * (U+2028, U+2029) too, and a raw C1 byte (0x9b: CSI) is an escape sequence
     * on some: all escaped byte by byte, as is any byte that is not UTF-8.
     */
    escaped = error_escape_controls("a\xc2\x85"
                                    "b\xe2\x80\xa8"
                                    "c\xe2\x80\xa9"
                                    "d\x9b"
                                    "e\xe9"
                                    "f\xe2\x82\xac"
                                    "g\xf0\x9f\x90\xa6");
    assert_string_equal(escaped, "a\\xc2\\x85b\\xe2\\x80\\xa8c\\xe2\\x80\\xa9d\\x9be\\xe9f"
                                 "\xe2\x82\xacg\xf0\x9f\x90\xa6");
    g_free(escaped);
}

static void test_pretty_form_is_one_line_and_the_message_keeps_its_bytes(void **state)
{
    char *argv[] = {"tern", "-m", "12\nQ", NULL};
    Location loc;
    Error *err = NULL;

    loc_push_none(&loc);
    loc_set_cmdline(argv, 1, 2);
    error_setg(&err, "invalid memory size '%s'", argv[2]);
    loc_pop(&loc);
    assert_string_equal(error_get_pretty(err), "-m 12\\nQ: invalid memory size '12\\nQ'");
    assert_string_equal(error_get_message(err), "invalid memory size '12\nQ'");
    assert_string_equal(error_get_location(err), "-m 12\nQ");
    /* A prepend after the pretty form was made is escaped too. */
    error_prepend(&err, "in\tfile: ");
    assert_string_equal(error_get_pretty(err),
                        "-m 12\\nQ: in\\tfile: invalid memory size '12\\nQ'");
    error_free(err);
}

static void test_reports_are_one_line_for_any_input(void **state)
{
    StreamCapture capture;
    Error *err = NULL;
    char *text;

    error_set_report_stream(stream_capture_begin(&capture));
    error_setg(&err, "bad value '%s'", "x\ny");
    error_report_err(err);
    error_report("cannot open '%s'", "two\nlines\r");
    warn_report("odd name '%s'", "\x1b]0;title\x07");
    info_report("%s", "tab\there");
    error_set_report_stream(NULL);
    text = stream_capture_end(&capture);
    assert_string_equal(text, "tern: bad value 'x\\ny'\n"
                              "tern: cannot open 'two\\nlines\\r'\n"
                              "tern: warning: odd name '\\x1b]0;title\\x07'\n"
                              "tern: info: tab\\there\n");
    free(text);
}

static void test_free_or_abort_clears(void **state)
{
    Error *err = NULL;

    error_setg(&err, "x");
    error_free_or_abort(&err);
    assert_null(err);
}

/* Runs tern_bug in a child; returns what it wrote on stderr and whether it died of SIGABRT. */
static char *run_tern_bug_in_child(bool *aborted)
{
    int fds[2];
    pid_t pid;
    int status = 0;
    GString *out = g_string_new(NULL);
    char buf[256];
    ssize_t n;

    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        signal(SIGABRT, SIG_DFL);
        tern_bug("device model", "%s has no GPIO input %s[%d]", "uart", "", 3);
    }
    close(fds[1]);
    while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
        g_string_append_len(out, buf, n);
    }
    close(fds[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    *aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
    return g_string_free(out, FALSE);
}

/* Runs fn in a child; returns its stderr and wait status. */
static char *run_in_child(void (*fn)(void), int *wstatus)
{
    GString *out = g_string_new(NULL);
    char buf[256];
    int fds[2];
    ssize_t n;
    pid_t pid;

    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        signal(SIGABRT, SIG_DFL);
        fn();
        _exit(0);
    }
    close(fds[1]);
    while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
        g_string_append_len(out, buf, n);
    }
    close(fds[0]);
    assert_int_equal(waitpid(pid, wstatus, 0), pid);
    return g_string_free(out, FALSE);
}

static void set_fatal(void)
{
    error_setg(&error_fatal, "cannot go on: %d", 42);
}

static void propagate_fatal(void)
{
    Error *local = NULL;

    error_setg(&local, "from below");
    error_propagate(&error_fatal, local);
}

static void set_abort(void)
{
    error_setg(&error_abort, "a bug");
}

/* &error_fatal: the one-line report, then exit status 1; &error_abort: where, then SIGABRT. */
static void test_error_fatal_exits_1_and_error_abort_aborts(void **state)
{
    int wstatus = 0;
    char *out;

    out = run_in_child(set_fatal, &wstatus);
    /* A prefix: a coverage build's libgcov may add its own lines at exit. */
    assert_true(g_str_has_prefix(out, "tern: cannot go on: 42\n"));
    assert_true(WIFEXITED(wstatus));
    assert_int_equal(WEXITSTATUS(wstatus), 1);
    g_free(out);
    out = run_in_child(propagate_fatal, &wstatus);
    assert_true(g_str_has_prefix(out, "tern: from below\n"));
    assert_true(WIFEXITED(wstatus));
    assert_int_equal(WEXITSTATUS(wstatus), 1);
    g_free(out);
    out = run_in_child(set_abort, &wstatus);
    assert_true(g_str_has_prefix(out, "tern: unexpected error at "));
    assert_non_null(strstr(out, "test-error.c:"));
    assert_true(g_str_has_suffix(out, " (set_abort): a bug\n"));
    assert_true(WIFSIGNALED(wstatus));
    assert_int_equal(WTERMSIG(wstatus), SIGABRT);
    g_free(out);
}

static void test_tern_bug_prints_what_was_misused_and_aborts(void **state)
{
    bool aborted = false;
    char *out = run_tern_bug_in_child(&aborted);

    assert_string_equal(out, "tern: device model misuse: uart has no GPIO input [3]\n");
    assert_true(aborted);
    g_free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setg_formats_message),
        cmocka_unit_test(test_setg_with_null_errp_is_ignored),
        cmocka_unit_test(test_setg_records_source),
        cmocka_unit_test(test_first_error_wins),
        cmocka_unit_test(test_setg_errno_appends_strerror),
        cmocka_unit_test(test_propagate_moves_error),
        cmocka_unit_test(test_propagate_to_set_destination_frees),
        cmocka_unit_test(test_propagate_to_null_frees),
        cmocka_unit_test(test_prepend_adds_context),
        cmocka_unit_test(test_propagate_prepend),
        cmocka_unit_test(test_propagate_prepend_to_a_set_destination_keeps_the_first),
        cmocka_unit_test(test_cmdline_location_is_captured),
        cmocka_unit_test(test_file_location_is_captured),
        cmocka_unit_test(test_copy_is_independent),
        cmocka_unit_test(test_report_err_prints_one_line),
        cmocka_unit_test(test_control_characters_are_escaped_in_what_is_printed),
        cmocka_unit_test(test_pretty_form_is_one_line_and_the_message_keeps_its_bytes),
        cmocka_unit_test(test_reports_are_one_line_for_any_input),
        cmocka_unit_test(test_free_or_abort_clears),
        cmocka_unit_test(test_tern_bug_prints_what_was_misused_and_aborts),
        cmocka_unit_test(test_error_fatal_exits_1_and_error_abort_aborts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
