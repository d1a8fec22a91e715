/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-cli.c - every bad command line in bad-inputs.txt, through the public
 * entry points: the tern program (spawned) and tern_init() (in-process).
 *
 * For each case: exit status 1, nothing on stdout, exactly one line on stderr
 * that starts with "tern: " and contains the expected text, and nothing
 * written to the case's temporary directory.  In-process, tern_init() must
 * return TERN_INIT_ERROR with the same message, and tern_cleanup() must free
 * everything (LeakSanitizer checks under the sanitizer build).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "core/tern.h"

typedef struct CliCase {
    char *args;     /* as written in the table */
    char *expected; /* as written in the table */
    int line;
} CliCase;

static const char *build_root, *source_root;

static char *replace_all(char *text, const char *token, const char *value)
{
    gchar **parts = g_strsplit(text, token, -1);
    char *result = g_strjoinv(value, parts);

    g_strfreev(parts);
    g_free(text);
    return result;
}

/*
 * @SRC@ and @TMP@; in ARGS also control characters, which the table cannot
 * hold as bytes: @LF@ @CR@ @TAB@ @ESC@ @DEL@ (inside quotes, they reach the
 * option value as they are).
 */
static char *substitute(const char *text, const char *tmpdir, bool controls)
{
    static const char *const control_tokens[][2] = {
        {"@LF@", "\n"}, {"@CR@", "\r"}, {"@TAB@", "\t"}, {"@ESC@", "\x1b"}, {"@DEL@", "\x7f"},
    };
    char *s = g_strdup(text);

    s = replace_all(s, "@SRC@", source_root);
    s = replace_all(s, "@TMP@", tmpdir);
    for (size_t i = 0; controls && i < G_N_ELEMENTS(control_tokens); i++) {
        s = replace_all(s, control_tokens[i][0], control_tokens[i][1]);
    }
    return s;
}

static bool dir_is_empty(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    bool empty = dir && g_dir_read_name(dir) == NULL;

    if (dir) {
        g_dir_close(dir);
    }
    return empty;
}

static void run_case(void **state)
{
    const CliCase *c = *state;
    char *tmpdir = g_dir_make_tmp("tern-cli-XXXXXX", NULL);
    char *args = substitute(c->args, tmpdir, true);
    char *expected = substitute(c->expected, tmpdir, false);
    char *cmdline = g_strdup_printf("tern %s", args);
    char **argv = NULL, *out = NULL, *err_text = NULL;
    int argc = 0, status = -1;
    GError *gerr = NULL;
    Error *err = NULL;

    print_message("# line %d: tern %s\n", c->line, c->args);
    assert_true(g_shell_parse_argv(cmdline, &argc, &argv, &gerr));

    /* In-process: the library's answer. */
    assert_int_equal(tern_init(argc, argv, &err), TERN_INIT_ERROR);
    assert_non_null(err);
    {
        char *line = g_strdup_printf("tern: %s", error_get_pretty(err));
        if (!strstr(line, expected)) {
            print_error("in-process error '%s' lacks '%s'\n", line, expected);
            fail();
        }
        assert_null(strchr(line, '\n'));
        g_free(line);
    }
    error_free(err);
    tern_cleanup();
    assert_true(dir_is_empty(tmpdir));

    /* The program: one line, status 1, nothing on stdout. */
    g_free(argv[0]);
    argv[0] = g_build_filename(build_root, "tern", NULL);
    assert_true(g_spawn_sync(tmpdir, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &out,
                             &err_text, &status, &gerr));
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_string_equal(out, "");
    assert_true(g_str_has_prefix(err_text, "tern: "));
    assert_true(g_str_has_suffix(err_text, "\n"));
    assert_ptr_equal(strchr(err_text, '\n'), err_text + strlen(err_text) - 1);
    if (!strstr(err_text, expected)) {
        print_error("stderr '%s' lacks '%s'\n", err_text, expected);
        fail();
    }
    assert_true(dir_is_empty(tmpdir));

    g_rmdir(tmpdir);
    g_free(out);
    g_free(err_text);
    g_strfreev(argv);
    g_free(cmdline);
    g_free(args);
    g_free(expected);
    g_free(tmpdir);
}

/* ---- good runs of the programs ------------------------------------------------ */

static char *program(const char *name)
{
    return g_build_filename(build_root, name, NULL);
}

/* Runs argv to completion; returns its exit status, -1 if it did not exit normally. */
static int run_program(char **argv, char **out, char **err)
{
    int status;

    assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, out, err,
                             &status, NULL));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_version_exits_zero(void **state)
{
    char *argv[] = {program("tern"), "-version", NULL};
    char *out, *err;

    assert_int_equal(run_program(argv, &out, &err), 0);
    assert_true(g_str_has_prefix(out, "Tern emulator version "));
    assert_string_equal(err, "");
    g_free(out);
    g_free(err);
    g_free(argv[0]);
}

static void test_other_programs_link_the_core(void **state)
{
    static const char *const names[] = {"tern-replay", "tern-fuzz"};

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *argv[] = {program(names[i]), "--version", NULL};
        char *out, *err;

        assert_int_equal(run_program(argv, &out, &err), 0);
        assert_true(g_str_has_prefix(out, names[i]));
        g_free(out);
        g_free(err);
        g_free(argv[0]);
    }
}

/* Starts tern, lets its main loop run, sends signo, and returns the exit status. */
static int run_until_signal(char **args, int signo)
{
    GPtrArray *argv = g_ptr_array_new();
    GPid pid;
    int status;

    g_ptr_array_add(argv, program("tern"));
    for (char **a = args; *a; a++) {
        g_ptr_array_add(argv, *a);
    }
    g_ptr_array_add(argv, NULL);
    assert_true(g_spawn_async(NULL, (char **)argv->pdata, NULL,
                              G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL |
                                  G_SPAWN_STDOUT_TO_DEV_NULL,
                              NULL, NULL, &pid, NULL));
    g_usleep(300 * 1000);
    /* Still running: the main loop waits for events instead of exiting. */
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
    kill(pid, signo);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    g_free(argv->pdata[0]);
    g_ptr_array_free(argv, TRUE);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_sigterm_ends_the_main_loop_with_status_0(void **state)
{
    char *args[] = {"-nouserconfig", "-M", "none", NULL};

    assert_int_equal(run_until_signal(args, SIGTERM), 0);
}

static void test_sigint_ends_the_virt_machine_with_status_0(void **state)
{
    char *args[] = {"-nouserconfig", "-M", "virt", "-nographic", "-serial", "null", NULL};

    assert_int_equal(run_until_signal(args, SIGINT), 0);
}

static void test_embedded_default_config_runs(void **state)
{
    char *cfg = g_build_filename(source_root, "docs", "examples", "virt-default.cfg", NULL);
    char *args[] = {"-nouserconfig", "-readconfig", cfg, NULL};

    assert_int_equal(run_until_signal(args, SIGTERM), 0);
    g_free(cfg);
}

int main(void)
{
    char *path, *contents = NULL;
    gchar **lines;
    GArray *tests = g_array_new(FALSE, TRUE, sizeof(struct CMUnitTest));
    GPtrArray *cases = g_ptr_array_new();
    int rc;

    build_root = g_getenv("TERN_BUILD_ROOT");
    source_root = g_getenv("TERN_SOURCE_ROOT");
    if (!build_root || !source_root) {
        fprintf(stderr,
                "test-cli: TERN_BUILD_ROOT and TERN_SOURCE_ROOT must be set (meson does)\n");
        return 1;
    }
    path = g_build_filename(source_root, "tests", "cli", "bad-inputs.txt", NULL);
    if (!g_file_get_contents(path, &contents, NULL, NULL)) {
        fprintf(stderr, "test-cli: cannot read %s\n", path);
        return 1;
    }
    lines = g_strsplit(contents, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        char *tab = strchr(lines[i], '\t');
        CliCase *c;
        struct CMUnitTest t = {0};

        if (lines[i][0] == '#' || !lines[i][0]) {
            continue;
        }
        if (!tab) {
            fprintf(stderr, "test-cli: %s:%d: no tab between arguments and expected text\n", path,
                    i + 1);
            return 1;
        }
        c = g_new0(CliCase, 1);
        c->args = g_strndup(lines[i], tab - lines[i]);
        c->expected = g_strdup(tab + 1);
        c->line = i + 1;
        g_ptr_array_add(cases, c);
        t.name = g_strdup_printf("bad input line %d: %s", c->line, c->args);
        t.test_func = run_case;
        t.initial_state = c;
        g_array_append_val(tests, t);
    }
    {
        const struct CMUnitTest runs[] = {
            cmocka_unit_test(test_version_exits_zero),
            cmocka_unit_test(test_other_programs_link_the_core),
            cmocka_unit_test(test_sigterm_ends_the_main_loop_with_status_0),
            cmocka_unit_test(test_sigint_ends_the_virt_machine_with_status_0),
            cmocka_unit_test(test_embedded_default_config_runs),
        };
        for (size_t i = 0; i < G_N_ELEMENTS(runs); i++) {
            g_array_append_val(tests, runs[i]);
        }
    }
    rc = _cmocka_run_group_tests("cli", (struct CMUnitTest *)tests->data, tests->len, NULL, NULL);
    for (guint i = 0; i < cases->len; i++) {
        g_free((char *)g_array_index(tests, struct CMUnitTest, i).name);
    }
    for (guint i = 0; i < cases->len; i++) {
        CliCase *c = cases->pdata[i];
        g_free(c->args);
        g_free(c->expected);
        g_free(c);
    }
    g_ptr_array_free(cases, TRUE);
    g_array_free(tests, TRUE);
    g_strfreev(lines);
    g_free(contents);
    g_free(path);
    return rc;
}
