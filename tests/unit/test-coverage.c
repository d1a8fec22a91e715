/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-coverage.c - the coverage-intent macros of core/coverage.h, built
 * three ways by meson: plain (asserts on), -DTERN_COVERAGE, -DNDEBUG.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/coverage.h"

#ifdef TERN_COVERAGE
/* Weak: a coverage build of libtern defines it too (core/cutils.c). */
__attribute__((weak)) unsigned tern_coverage_counter;
#endif

static int evaluations;

/* used: in some builds only unevaluated (sizeof) references remain. */
__attribute__((used)) static bool counted(bool value)
{
    evaluations++;
    return value;
}

/* Runs fn in a child; returns the signal that ended it, or 0. */
__attribute__((unused)) static int signal_of_child(void (*fn)(void))
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        /* Keep sanitizers and cmocka quiet: only the assert's abort matters. */
        if (!freopen("/dev/null", "w", stderr)) {
            _exit(5);
        }
        fn();
        _exit(0);
    }
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

__attribute__((unused)) static void always_false(void)
{
    volatile bool cond = false;

    if (ALWAYS(cond)) {
        _exit(3);
    }
    _exit(4);
}

__attribute__((unused)) static void never_true(void)
{
    volatile bool cond = true;

    if (NEVER(cond)) {
        _exit(3);
    }
    _exit(4);
}

#if defined(TERN_COVERAGE)
static void test_coverage_build_makes_always_and_never_constants(void **state)
{
    evaluations = 0;
    assert_int_equal(ALWAYS(counted(false)), 1);
    assert_int_equal(NEVER(counted(true)), 0);
    assert_int_equal(evaluations, 0);
}

static void test_coverage_build_evaluates_testcase_as_a_branch(void **state)
{
    unsigned before = tern_coverage_counter;

    evaluations = 0;
    testcase(counted(false));
    assert_int_equal(evaluations, 1);
    assert_int_equal(tern_coverage_counter, before);
    testcase(counted(true));
    assert_int_equal(evaluations, 2);
    assert_true(tern_coverage_counter != before);
}
#elif !defined(NDEBUG)
static void test_debug_build_passes_true_conditions_through(void **state)
{
    volatile bool yes = true, no = false;

    assert_int_equal(ALWAYS(yes), 1);
    assert_int_equal(NEVER(no), 0);
}

static void test_debug_build_asserts_when_always_is_false(void **state)
{
    assert_int_equal(signal_of_child(always_false), SIGABRT);
}

static void test_debug_build_asserts_when_never_is_true(void **state)
{
    assert_int_equal(signal_of_child(never_true), SIGABRT);
}

static void test_debug_build_does_not_evaluate_testcase(void **state)
{
    evaluations = 0;
    testcase(counted(true));
    assert_int_equal(evaluations, 0);
}
#else
static int exit_code_of_child(void (*fn)(void))
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        fn();
        _exit(0);
    }
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_release_build_takes_the_defensive_path_of_always(void **state)
{
    assert_int_equal(signal_of_child(always_false), 0);
    assert_int_equal(exit_code_of_child(always_false), 4);
}

static void test_release_build_takes_the_defensive_path_of_never(void **state)
{
    assert_int_equal(exit_code_of_child(never_true), 3);
}

static void test_release_build_evaluates_conditions_once_and_testcase_never(void **state)
{
    evaluations = 0;
    assert_int_equal(ALWAYS(counted(true)), 1);
    assert_int_equal(NEVER(counted(false)), 0);
    assert_int_equal(evaluations, 2);
    testcase(counted(true));
    assert_int_equal(evaluations, 2);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#if defined(TERN_COVERAGE)
        cmocka_unit_test(test_coverage_build_makes_always_and_never_constants),
        cmocka_unit_test(test_coverage_build_evaluates_testcase_as_a_branch),
#elif !defined(NDEBUG)
        cmocka_unit_test(test_debug_build_passes_true_conditions_through),
        cmocka_unit_test(test_debug_build_asserts_when_always_is_false),
        cmocka_unit_test(test_debug_build_asserts_when_never_is_true),
        cmocka_unit_test(test_debug_build_does_not_evaluate_testcase),
#else
        cmocka_unit_test(test_release_build_takes_the_defensive_path_of_always),
        cmocka_unit_test(test_release_build_takes_the_defensive_path_of_never),
        cmocka_unit_test(test_release_build_evaluates_conditions_once_and_testcase_never),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
