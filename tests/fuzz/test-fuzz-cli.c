/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-fuzz-cli.c - the tern-fuzz program's command line as build scripts
 * and users meet it (../shared/spec/fuzzing.md §3): the usage list in the
 * shape OSS-Fuzz scripts parse, --list, the -target-NAME executable name,
 * the exit statuses of an unknown or unconfigured target, and the build
 * without an engine running files and corpus directories.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "tests/support/tmpdir.h"

static char *fuzz_binary(void)
{
    return g_build_filename(getenv("TERN_BUILD_ROOT"), "tern-fuzz", NULL);
}

/*
 * Runs argv with env additions (NAME=VALUE, NULL-terminated, may be NULL);
 * returns the exit status, stdout and stderr.
 */
static int run(char **argv, char **env_add, char **out, char **err)
{
    char **env = g_get_environ();
    GError *gerr = NULL;
    int status = -1;

    env = g_environ_unsetenv(env, "TERN_FUZZ_OBJECTS");
    env = g_environ_unsetenv(env, "QEMU_FUZZ_OBJECTS");
    env = g_environ_unsetenv(env, "QTEST_LOG");
    for (char **e = env_add; e && *e; e++) {
        char **kv = g_strsplit(*e, "=", 2);
        env = g_environ_setenv(env, kv[0], kv[1], TRUE);
        g_strfreev(kv);
    }
    if (!g_spawn_sync(NULL, argv, env, 0, NULL, NULL, out, err, &status, &gerr)) {
        fail_msg("spawn %s: %s", argv[0], gerr->message);
    }
    g_strfreev(env);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The names a build script extracts: awk '$1 ~ /\*\/ {print $2}'. */
static GPtrArray *usage_names(const char *usage)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    char **lines = g_strsplit(usage, "\n", -1);

    for (char **l = lines; *l; l++) {
        char **w = g_strsplit_set(g_strstrip(*l), " \t", -1);
        GPtrArray *words = g_ptr_array_new();
        for (char **p = w; *p; p++) {
            if (**p) {
                g_ptr_array_add(words, *p);
            }
        }
        if (words->len >= 2 && strchr(words->pdata[0], '*')) {
            g_ptr_array_add(names, g_strdup(words->pdata[1]));
        }
        g_ptr_array_free(words, TRUE);
        g_strfreev(w);
    }
    g_strfreev(lines);
    return names;
}

static void test_usage_lists_every_target_as_scripts_parse_it(void **state)
{
    char *bin = fuzz_binary(), *out, *err, *list_out, *list_err;
    char *argv[] = {bin, NULL}, *list_argv[] = {bin, "--list", NULL};
    GPtrArray *names;
    char **listed;
    char *first_line;

    assert_int_equal(run(argv, NULL, &out, &err), 0);
    first_line =
        g_strdup_printf("Usage: %s --fuzz-target=FUZZ_TARGET [LIBFUZZER ARGUMENTS]\n", bin);
    assert_true(g_str_has_prefix(out, first_line));
    assert_non_null(strstr(out, " * generic-fuzz-uart  : "));
    names = usage_names(out);

    /* --list: the same names, one a line, in the same order. */
    assert_int_equal(run(list_argv, NULL, &list_out, &list_err), 0);
    listed = g_strsplit(g_strchomp(list_out), "\n", -1);
    assert_int_equal(g_strv_length(listed), names->len);
    for (guint i = 0; i < names->len; i++) {
        assert_string_equal(listed[i], names->pdata[i]);
    }
    /* Every kind of target of issue 9 is there. */
    static const char *const expected[] = {
        "generic-fuzz",
        "generic-fuzz-uart",
        "generic-fuzz-clint",
        "generic-fuzz-plic",
        "generic-fuzz-rtc",
        "generic-fuzz-fw-cfg",
        "generic-fuzz-sifive-test",
        "generic-fuzz-virtio-blk",
        "generic-fuzz-virtio-rng",
        "generic-fuzz-virt",
        "virtio-blk",
        "virtio-rng",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++) {
        assert_true(g_strv_contains((const char *const *)listed, expected[i]));
    }
    g_strfreev(listed);
    g_ptr_array_free(names, TRUE);
    g_free(first_line);
    g_free(out);
    g_free(err);
    g_free(list_out);
    g_free(list_err);
    g_free(bin);
}

static void test_unknown_target_is_one_line_and_status_1(void **state)
{
    char *bin = fuzz_binary(), *out, *err;
    char *argv[] = {bin, "--fuzz-target=no-such-target", NULL};

    assert_int_equal(run(argv, NULL, &out, &err), 1);
    assert_string_equal(out, "");
    assert_string_equal(err, "tern-fuzz: --fuzz-target=no-such-target: no such fuzz target "
                             "(--list shows them)\n");
    g_free(out);
    g_free(err);
    g_free(bin);
}

static void test_generic_fuzz_without_objects_prints_usage_and_ends_0(void **state)
{
    char *bin = fuzz_binary(), *out, *err;
    char *argv[] = {bin, "--fuzz-target=generic-fuzz", NULL};
    char *nomatch_env[] = {"TERN_FUZZ_OBJECTS=no-such-device",
                           "TERN_FUZZ_ARGS=-M virt -bios none -nodefaults", NULL};

    /* As QEMU's: its usage, status 0. */
    assert_int_equal(run(argv, NULL, &out, &err), 0);
    assert_non_null(strstr(err, "TERN_FUZZ_OBJECTS (or QEMU_FUZZ_OBJECTS, required)"));
    g_free(out);
    g_free(err);
    /* Objects that match nothing: one line, status 1. */
    assert_int_equal(run(argv, nomatch_env, &out, &err), 1);
    assert_non_null(strstr(err, "tern-fuzz: fuzz target 'generic-fuzz': no fuzzable region "
                                "matches the objects 'no-such-device'\n"));
    g_free(out);
    g_free(err);
    g_free(bin);
}

static void test_no_engine_runs_files_and_corpus_directories(void **state)
{
    char *bin = fuzz_binary(), *out, *err;
    char *corpus =
        g_build_filename(getenv("TERN_SOURCE_ROOT"), "corpora", "generic-fuzz-uart", NULL);
    char *argv[] = {bin, "--fuzz-target=generic-fuzz-uart", corpus, NULL};
    char *none_argv[] = {bin, "--fuzz-target=generic-fuzz-uart", NULL};
    char *missing_argv[] = {bin, "--fuzz-target=generic-fuzz-uart", "/nonexistent/input", NULL};
    char *expect;
    GDir *dir = g_dir_open(corpus, 0, NULL);
    unsigned files = 0;

    assert_non_null(dir);
    while (g_dir_read_name(dir)) {
        files++;
    }
    g_dir_close(dir);
    assert_true(files > 0);
    assert_int_equal(run(argv, NULL, &out, &err), 0);
    expect = g_strdup_printf("tern-fuzz: generic-fuzz-uart: ran %u inputs\n", files);
    assert_true(g_str_has_suffix(err, expect));
    g_free(expect);
    g_free(out);
    g_free(err);
    /* No input in a build without an engine: said, status 1. */
    assert_int_equal(run(none_argv, NULL, &out, &err), 1);
    assert_non_null(strstr(err, "this build has no fuzzing engine"));
    g_free(out);
    g_free(err);
    /* A file that is not there: one line, status 1. */
    assert_int_equal(run(missing_argv, NULL, &out, &err), 1);
    assert_non_null(strstr(err, "/nonexistent/input"));
    g_free(out);
    g_free(err);
    g_free(corpus);
    g_free(bin);
}

static void test_target_named_by_the_executable(void **state)
{
    char *bin = fuzz_binary(), *out, *err;
    char *dir = tmpdir_new("tern-fuzz-cli-XXXXXX");
    char *link = g_build_filename(dir, "tern-fuzz-target-generic-fuzz-clint", NULL);
    char *input = g_build_filename(dir, "empty", NULL);
    char *argv[] = {link, input, NULL};

    assert_true(g_file_set_contents(input, "", 0, NULL));
    assert_int_equal(symlink(bin, link), 0);
    /* OSS-Fuzz style: the name after "-target-" is the target. */
    assert_int_equal(run(argv, NULL, &out, &err), 0);
    assert_true(g_str_has_suffix(err, "tern-fuzz: generic-fuzz-clint: ran 1 inputs\n"));
    g_free(out);
    g_free(err);
    unlink(link);
    unlink(input);
    tmpdir_remove(dir);
    g_free(link);
    g_free(input);
    g_free(bin);
}

/*
 * Every target's seeds through the program with TERN_FUZZ_CHECK_RESET=1:
 * after each input the whole machine (and every harness part) is compared
 * with the snapshot, so a seed that leaves state behind fails here.
 */
static void test_every_corpus_runs_with_reset_checks(void **state)
{
    char *bin = fuzz_binary(), *out, *err;
    char *list_argv[] = {bin, "--list", NULL};
    char *env[] = {"TERN_FUZZ_CHECK_RESET=1", "TERN_FUZZ_OBJECTS=serial*",
                   "TERN_FUZZ_ARGS=-M virt -bios none -nodefaults -serial null", NULL};
    char **targets;
    unsigned checked = 0;

    assert_int_equal(run(list_argv, NULL, &out, &err), 0);
    targets = g_strsplit(g_strchomp(out), "\n", -1);
    g_free(out);
    g_free(err);
    for (char **t = targets; *t; t++) {
        /* The legacy virtio targets share the modern ones' seeds; generic-fuzz the uart's. */
        char *name = g_str_has_suffix(*t, "-legacy") ? g_strndup(*t, strlen(*t) - 7)
                     : !strcmp(*t, "generic-fuzz")   ? g_strdup("generic-fuzz-uart")
                                                     : g_strdup(*t);
        char *corpus = g_build_filename(getenv("TERN_SOURCE_ROOT"), "corpora", name, NULL);
        char *opt = g_strdup_printf("--fuzz-target=%s", *t);
        char *argv[] = {bin, opt, corpus, NULL};
        int status;

        if (!g_file_test(corpus, G_FILE_TEST_IS_DIR)) {
            fail_msg("target %s has no seed corpus %s", *t, corpus);
        }
        status = run(argv, env, &out, &err);
        if (status != 0 || !strstr(err, " inputs\n")) {
            fail_msg("%s over %s with reset checks: status %d\n%s", *t, corpus, status, err);
        }
        checked++;
        g_free(out);
        g_free(err);
        g_free(opt);
        g_free(corpus);
        g_free(name);
    }
    assert_true(checked >= 19);
    g_strfreev(targets);
    g_free(bin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage_lists_every_target_as_scripts_parse_it),
        cmocka_unit_test(test_unknown_target_is_one_line_and_status_1),
        cmocka_unit_test(test_generic_fuzz_without_objects_prints_usage_and_ends_0),
        cmocka_unit_test(test_no_engine_runs_files_and_corpus_directories),
        cmocka_unit_test(test_target_named_by_the_executable),
        cmocka_unit_test(test_every_corpus_runs_with_reset_checks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
