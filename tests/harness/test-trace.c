/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-trace.c - the trace format of docs/replay.md through harness/trace.h:
 * every event kind parsed and written back unchanged, plain qtest scripts
 * and bash reproducers read as traces, and every kind of bad trace refused
 * with one line naming the file and the line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "harness/trace.h"

static Trace *parse(const char *text, Error **errp)
{
    return trace_parse("t.trace", text, strlen(text), NULL, errp);
}

static const TraceEvent *ev(const Trace *t, guint i)
{
    assert_true(i < t->events->len);
    return g_ptr_array_index(t->events, i);
}

static void assert_data(const TraceEvent *e, const char *want, size_t len)
{
    assert_non_null(e->data);
    assert_int_equal(e->data->len, len);
    assert_memory_equal(e->data->data, want, len);
}

/* The example of docs/replay.md, every event kind once. */
static const char every_kind[] = "tern-trace 1\n"
                                 "# a comment\n"
                                 "\n"
                                 "args -M virt -m 128M -qtest stdio -serial 'file:a b'\n"
                                 "in qtest writel 0x10000000 0x41\n"
                                 "out qtest OK\n"
                                 "out qtest IRQ raise 10\n"
                                 "open mon0\n"
                                 "out mon0 {\"return\": {}}\\r\n"
                                 "in serial0 root\\r\\c\n"
                                 "in serial0\n"
                                 "out serial0 a\\tb\\\\c\\x00\\xff\\c\n"
                                 "close mon0\n"
                                 "time 1000000\n"
                                 "icount 42\n"
                                 "entropy rng0 9f3A00c4\n"
                                 "hostclock 1764680000000000000\n"
                                 "checkpoint 4F1C2A\n"
                                 "signal 15\n"
                                 "exit 0\n";

static void test_every_kind(void **state)
{
    Error *err = NULL;
    Trace *t = parse(every_kind, &err);
    char **args;

    (void)state;
    assert_null(err);
    assert_non_null(t);
    assert_int_equal(t->source, TRACE_SOURCE_TRACE);
    assert_int_equal(t->events->len, 17);
    assert_int_equal(ev(t, 0)->kind, TRACE_ARGS);
    assert_int_equal(ev(t, 0)->line, 4);
    args = trace_args(t, &err);
    assert_non_null(args);
    assert_int_equal(g_strv_length(args), 8);
    assert_string_equal(args[7], "file:a b");
    g_strfreev(args);
    assert_int_equal(ev(t, 1)->kind, TRACE_IN);
    assert_string_equal(ev(t, 1)->id, "qtest");
    assert_data(ev(t, 1), "writel 0x10000000 0x41\n", 23);
    assert_int_equal(ev(t, 3)->kind, TRACE_OUT);
    assert_data(ev(t, 3), "IRQ raise 10\n", 13);
    assert_int_equal(ev(t, 4)->kind, TRACE_OPEN);
    assert_string_equal(ev(t, 4)->id, "mon0");
    assert_data(ev(t, 5), "{\"return\": {}}\r\n", 16);
    /* \c: no newline; an empty text: just the newline. */
    assert_data(ev(t, 6), "root\r", 5);
    assert_data(ev(t, 7), "\n", 1);
    assert_data(ev(t, 8), "a\tb\\c\x00\xff", 7);
    assert_int_equal(ev(t, 9)->kind, TRACE_CLOSE);
    assert_int_equal(ev(t, 10)->value, 1000000);
    assert_int_equal(ev(t, 11)->kind, TRACE_ICOUNT);
    assert_int_equal(ev(t, 11)->value, 42);
    assert_string_equal(ev(t, 12)->id, "rng0");
    assert_data(ev(t, 12), "\x9f\x3a\x00\xc4", 4);
    assert_int_equal(ev(t, 13)->value, INT64_C(1764680000000000000));
    assert_string_equal(ev(t, 14)->text, "4f1c2a"); /* digests compare in lower case */
    assert_int_equal(ev(t, 15)->kind, TRACE_SIGNAL);
    assert_int_equal(ev(t, 15)->value, 15);
    assert_int_equal(ev(t, 16)->kind, TRACE_EXIT);
    assert_int_equal(ev(t, 16)->value, 0);
    trace_free(t);
}

/* Written back, a trace parses to the same events; the text is stable after one round. */
static void test_format_round_trip(void **state)
{
    Error *err = NULL;
    Trace *t = parse(every_kind, &err), *u;
    GString *once, *twice;

    (void)state;
    assert_non_null(t);
    once = trace_format(t);
    u = trace_parse("u.trace", once->str, once->len, NULL, &err);
    assert_null(err);
    assert_non_null(u);
    assert_int_equal(u->events->len, t->events->len);
    for (guint i = 0; i < t->events->len; i++) {
        const TraceEvent *a = ev(t, i), *b = ev(u, i);
        assert_int_equal(a->kind, b->kind);
        assert_int_equal(a->value, b->value);
        assert_true(g_strcmp0(a->id, b->id) == 0);
        assert_true(g_strcmp0(a->text, b->text) == 0);
        assert_int_equal(!!a->data, !!b->data);
        if (a->data) {
            assert_data(b, (const char *)a->data->data, a->data->len);
        }
    }
    twice = trace_format(u);
    assert_string_equal(once->str, twice->str);
    /* The comments before the first event stay (--update keeps what a trace is about). */
    assert_non_null(strstr(once->str, "tern-trace 1\n# a comment\nargs "));
    /* No line ends in a space an editor would strip. */
    assert_null(strstr(once->str, " \n"));
    g_string_free(once, TRUE);
    g_string_free(twice, TRUE);
    trace_free(u);
    trace_free(t);
}

/* A chunk of several lines is written one trace line per device line. */
static void test_format_splits_lines(void **state)
{
    Trace *t = trace_new_empty("x");
    TraceEvent *a = trace_event_new(TRACE_ARGS, 0), *o = trace_event_new(TRACE_OUT, 0);
    static const char out[] = "OK\nIRQ raise 3\n\nprompt> ";
    GString *text;

    (void)state;
    a->text = g_strdup("-M virt");
    o->id = g_strdup("qtest");
    o->data = g_byte_array_new();
    g_byte_array_append(o->data, (const guint8 *)out, sizeof(out) - 1);
    g_ptr_array_add(t->events, a);
    g_ptr_array_add(t->events, o);
    text = trace_format(t);
    assert_string_equal(text->str, "tern-trace 1\n"
                                   "args -M virt\n"
                                   "out qtest OK\n"
                                   "out qtest IRQ raise 3\n"
                                   "out qtest\n"
                                   "out qtest prompt> \\c\n");
    g_string_free(text, TRUE);
    trace_free(t);
}

/* An error line is escaped like in/out text: a backslash or control byte in a message survives. */
static void test_error_text_escapes(void **state)
{
    static const char text[] = "tern-trace 1\nargs -m 'a\\nb'\n"
                               "error -m a\\\\nb: bad \\x1b[0m\nexit 1\n";
    Trace *t = parse(text, NULL);
    GString *back;

    (void)state;
    assert_non_null(t);
    assert_string_equal(ev(t, 1)->text, "-m a\\nb: bad \x1b[0m");
    back = trace_format(t);
    assert_string_equal(back->str, text);
    g_string_free(back, TRUE);
    trace_free(t);
}

static void test_plain_script(void **state)
{
    static const char script[] = "# a reproducer\n"
                                 "outl 0xcf8 0x80001010\r\n"
                                 "\n"
                                 "  writeq 0x1000 0x5  \n"
                                 "clock_step";
    Error *err = NULL;
    Trace *t = trace_parse("s.qtest", script, sizeof(script) - 1, NULL, &err);

    (void)state;
    assert_non_null(t);
    assert_int_equal(t->source, TRACE_SOURCE_SCRIPT);
    assert_int_equal(t->events->len, 4);
    assert_string_equal(ev(t, 0)->text, "-M virt -nodefaults -accel qtest -qtest stdio");
    assert_data(ev(t, 1), "outl 0xcf8 0x80001010\n", 22);
    assert_int_equal(ev(t, 1)->line, 2);
    assert_data(ev(t, 2), "writeq 0x1000 0x5\n", 18);
    assert_data(ev(t, 3), "clock_step\n", 11);
    assert_int_equal(ev(t, 3)->line, 5);
    trace_free(t);
    /* --args gives a script its command line. */
    t = trace_parse("s.qtest", script, sizeof(script) - 1, "-M virt -m 64M -accel qtest", &err);
    assert_non_null(t);
    assert_string_equal(ev(t, 0)->text, "-M virt -m 64M -accel qtest -qtest stdio");
    trace_free(t);
}

static void test_bash_reproducer(void **state)
{
    static const char bash[] = "#!/bin/bash\n"
                               "cat << EOF | tern-system-riscv64 -display none -machine "
                               "accel=qtest, -m 512M -qtest stdio\n"
                               "write 0x10001000 0x2 0x0102\n"
                               "readl 0x10001004\n"
                               "EOF\n";
    Error *err = NULL;
    Trace *t = trace_parse("r.sh", bash, sizeof(bash) - 1, NULL, &err);

    (void)state;
    assert_non_null(t);
    assert_int_equal(t->source, TRACE_SOURCE_BASH);
    assert_int_equal(t->events->len, 3);
    assert_string_equal(ev(t, 0)->text, "-display none -machine accel=qtest, -m 512M -qtest stdio");
    assert_data(ev(t, 2), "readl 0x10001004\n", 17);
    trace_free(t);
}

typedef struct Bad {
    const char *text;
    const char *error;
} Bad;

/* Every bad trace: one line, the file, the line, what was wrong. */
static const Bad bad_traces[] = {
    {"tern-trace 2\nargs\n", "t.trace:1: trace version 2 is not known (this tern-replay reads 1)"},
    {"tern-trace\nargs\n", "t.trace:1: the header must be 'tern-trace VERSION'"},
    {"tern-trace x\nargs\n", "t.trace:1: the header must be 'tern-trace VERSION'"},
    {"tern-trace 1\nargs -M virt\nin qtest readl 0x0",
     "t.trace:3: truncated: the last line has no end"},
    {"tern-trace 1\n", "t.trace:1: no events (an 'args' line is needed)"},
    {"tern-trace 1\nin qtest x\n", "t.trace:2: the first event must be 'args'"},
    {"tern-trace 1\nargs\nargs\n", "t.trace:3: a second 'args' event"},
    {"tern-trace 1\nargs\nexit 0\nin qtest x\n", "t.trace:4: an event after 'exit'"},
    {"tern-trace 1\nargs\nfrobnicate 3\n", "t.trace:3: unknown event 'frobnicate'"},
    {"tern-trace 1\nargs 'open\n", "t.trace:2: args: "},
    {"tern-trace 1\nargs\nin\n", "t.trace:3: in: a chardev or object id is missing"},
    {"tern-trace 1\nargs\nout qtest bad\\q\n", "t.trace:3: out qtest: "},
    {"tern-trace 1\nargs\nout qtest bad\\x4\n", "t.trace:3: out qtest: "},
    {"tern-trace 1\nargs\nopen\n", "t.trace:3: open: a chardev id is missing"},
    {"tern-trace 1\nargs\ntime -5\n", "t.trace:3: time: '-5' is not a number from 0 to "},
    {"tern-trace 1\nargs\ntime 12ms\n", "t.trace:3: time: '12ms' is not a number"},
    {"tern-trace 1\nargs\nicount -1\n", "t.trace:3: icount: '-1' is not a number"},
    {"tern-trace 1\nargs\nicount 12k\n", "t.trace:3: icount: '12k' is not a number"},
    {"tern-trace 1\nargs\nicount\n", "t.trace:3: icount: "},
    {"tern-trace 1\nargs\nexit 256\n", "t.trace:3: exit: '256' is not a number from 0 to 255"},
    {"tern-trace 1\nargs\nsignal 0\n", "t.trace:3: signal: '0' is not a number from 1 to 64"},
    {"tern-trace 1\nargs\ncheckpoint xyz\n", "t.trace:3: checkpoint: 'xyz' is not a hex digest"},
    {"tern-trace 1\nargs\nentropy rng0 abc\n",
     "t.trace:3: entropy rng0: 'abc' is not an even number of hex digits"},
    {"tern-trace 1\nargs\nerror\n", "t.trace:3: error: the message is missing"},
    {"tern-trace 1\nargs\nerror bad \\q\n", "t.trace:3: error: unknown escape"},
    {"tern-trace 1\nargs\nin qtest a\tb\n",
     "t.trace:3: a raw control byte 0x09 in the line (escape it: \\r, \\t, \\xHH)"},
    {"tern-trace 1\r\nargs\r\n", "t.trace:1: "},
    {"# only a comment\n\n", "t.trace:2: nothing to replay"},
    {"cat << EOF | tern-system-riscv64 -M virt -qtest stdio\nreadl 0x0\n",
     "t.trace:2: truncated: the reproducer's EOF line is missing"},
};

static void test_bad_traces(void **state)
{
    (void)state;
    for (size_t i = 0; i < G_N_ELEMENTS(bad_traces); i++) {
        Error *err = NULL;
        Trace *t = parse(bad_traces[i].text, &err);
        const char *msg;

        if (t) {
            fail_msg("bad trace %zu was accepted:\n%s", i, bad_traces[i].text);
        }
        assert_non_null(err);
        msg = error_get_pretty(err);
        if (!g_str_has_prefix(msg, bad_traces[i].error)) {
            fail_msg("bad trace %zu: got '%s', want '%s...'", i, msg, bad_traces[i].error);
        }
        assert_null(strchr(msg, '\n'));
        error_free(err);
    }
}

/* A NUL byte in a trace is an error on its line, not the end of the file. */
static void test_nul_byte(void **state)
{
    static const char text[] = "tern-trace 1\nargs\nin qtest a\0b\n";
    Error *err = NULL;
    Trace *t = trace_parse("n.trace", text, sizeof(text) - 1, NULL, &err);

    (void)state;
    assert_null(t);
    assert_string_equal(error_get_pretty(err), "n.trace:3: a NUL byte in the line");
    error_free(err);
}

/* A file that cannot be read: its name and why. */
static void test_missing_file(void **state)
{
    Error *err = NULL;
    Trace *t = trace_load("/nonexistent/x.trace", NULL, &err);

    (void)state;
    assert_null(t);
    assert_true(g_str_has_prefix(error_get_pretty(err), "/nonexistent/x.trace: "));
    error_free(err);
}

/* Mutated traces never crash the parser: each is a trace or a one-line error. */
static void test_mutants(void **state)
{
    GRand *rnd = g_rand_new_with_seed(10);
    size_t len = sizeof(every_kind) - 1;

    (void)state;
    for (int i = 0; i < 3000; i++) {
        char *m = g_memdup2(every_kind, len);
        size_t n = len;
        Error *err = NULL;
        Trace *t;
        for (int k = g_rand_int_range(rnd, 1, 6); k > 0; k--) {
            size_t at = (size_t)g_rand_int_range(rnd, 0, (gint32)n);
            switch (g_rand_int_range(rnd, 0, 3)) {
            case 0:
                m[at] = (char)g_rand_int_range(rnd, 0, 256);
                break;
            case 1:
                n = at; /* cut */
                break;
            default:
                m[at] = "\\\n #x"[g_rand_int_range(rnd, 0, 5)];
                break;
            }
            if (!n) {
                break;
            }
        }
        t = trace_parse("m.trace", m, n, NULL, &err);
        assert_true(!t != !err);
        if (err) {
            assert_true(g_str_has_prefix(error_get_pretty(err), "m.trace:"));
            assert_null(strchr(error_get_pretty(err), '\n'));
            error_free(err);
        }
        trace_free(t);
        g_free(m);
    }
    g_rand_free(rnd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind),          cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_format_splits_lines), cmocka_unit_test(test_plain_script),
        cmocka_unit_test(test_error_text_escapes),  cmocka_unit_test(test_bash_reproducer),
        cmocka_unit_test(test_bad_traces),          cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_missing_file),        cmocka_unit_test(test_mutants),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
