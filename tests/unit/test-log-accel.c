/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-log-accel.c - the -d item parser, the -D log file and accelerator
 * selection at the API, with their one-line errors: what the command-line
 * tests (tests/cli) check through a spawned tern, here in-process so the
 * error paths are seen by the sanitizers and the coverage report too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <glib.h>

#include "core/accel.h"
#include "core/error.h"
#include "core/log.h"
#include "tests/support/tmpdir.h"

static void assert_error(Error *err, const char *expected)
{
    assert_non_null(err);
    assert_string_equal(error_get_pretty(err), expected);
    error_free(err);
}

static void test_log_items_parse_and_name_what_is_wrong(void **state)
{
    uint32_t mask = 0x1234, all = 0;
    Error *err = NULL;

    assert_true(log_parse_items("guest_errors,unimp", &mask, &error_abort));
    assert_int_equal(mask, LOG_GUEST_ERROR | LOG_UNIMP);
    assert_true(log_parse_items("all", &all, &error_abort));
    for (const LogItem *item = log_items; item->name; item++) {
        assert_true(all & item->mask);
    }
    /* A refused list leaves the mask as it was. */
    assert_false(log_parse_items("guest_errors,,int", &mask, &err));
    assert_error(err, "empty log item in 'guest_errors,,int'");
    err = NULL;
    assert_false(log_parse_items("guest_errors,nosuch", &mask, &err));
    assert_error(err, "unknown log item 'nosuch' (-d help lists them)");
    assert_int_equal(mask, LOG_GUEST_ERROR | LOG_UNIMP);
}

static void test_the_log_file_is_truncated_and_an_unopenable_one_named(void **state)
{
    char *dir = tmpdir_new("tern-log-XXXXXX");
    char *path = tmpdir_write(dir, "log", "old contents\n", 13);
    char *text = NULL;
    Error *err = NULL;

    assert_false(log_set_file("/nonexistent-dir/tern.log", &err));
    assert_error(err, "cannot open log file '/nonexistent-dir/tern.log': No such file or "
                      "directory");
    assert_true(log_set_file(path, &error_abort));
    log_set_mask(LOG_GUEST_ERROR);
    tern_log_mask(LOG_GUEST_ERROR, "one %d\n", 1);
    tern_log_mask(LOG_UNIMP, "not logged\n");
    log_reset(); /* closes the file */
    assert_int_equal(log_get_mask(), 0);
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    assert_string_equal(text, "one 1\n");
    g_free(text);
    g_free(path);
    tmpdir_remove(dir);
}

static bool refuse_init(Error **errp)
{
    error_setg(errp, "no such hardware");
    return false;
}

static int cleanups;

static void count_cleanup(void)
{
    cleanups++;
}

static const AccelOps refusing = {
    .name = "test-refusing", .desc = "refuses", .init_machine = refuse_init};
static const AccelOps plain = {.name = "test-plain", .desc = "accepts", .cleanup = count_cleanup};

static void test_an_accelerator_is_chosen_by_name_and_may_refuse(void **state)
{
    Error *err = NULL;

    accel_register(&refusing);
    accel_register(&plain);
    assert_ptr_equal(accel_find("test-plain"), &plain);
    assert_null(accel_find("nosuch"));
    assert_false(accel_configure("nosuch", &err));
    assert_error(err, "invalid accelerator 'nosuch' (-accel help lists them)");
    err = NULL;
    assert_false(accel_configure("test-refusing", &err));
    assert_error(err, "accelerator 'test-refusing': no such hardware");
    assert_null(accel_current()); /* a refused one is not current */
    assert_true(accel_configure("test-plain", &error_abort));
    assert_ptr_equal(accel_current(), &plain);
    accel_reset();
    assert_null(accel_current());
    assert_int_equal(cleanups, 1);
    accel_reset(); /* nothing current: nothing to clean */
    assert_int_equal(cleanups, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_items_parse_and_name_what_is_wrong),
        cmocka_unit_test(test_the_log_file_is_truncated_and_an_unopenable_one_named),
        cmocka_unit_test(test_an_accelerator_is_chosen_by_name_and_may_refuse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
