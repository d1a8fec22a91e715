/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-fdset.c - -add-fd's descriptor sets (core/fdset.c): QEMU's checks,
 * /dev/fdset/M opened by access mode, sets listed in id order, cleanup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib.h>

#include "core/fdset.h"

/* An inherited-looking descriptor (FD_CLOEXEC clear) on /dev/null, opened with access. */
static int inheritable(int access)
{
    int fd = open("/dev/null", access);

    assert_true(fd > STDERR_FILENO);
    return fd;
}

static int teardown(void **state)
{
    fdset_cleanup();
    return 0;
}

static void add_fails(const char *fd, const char *set, const char *message)
{
    Error *err = NULL;

    assert_false(fdset_add_option(fd, set, NULL, &err));
    assert_string_equal(error_get_pretty(err), message);
    error_free(err);
}

static void test_add_fd_refuses_what_qemu_refuses(void **state)
{
    int fd = inheritable(O_RDWR), cloexec = open("/dev/null", O_RDWR | O_CLOEXEC);
    char *fd_text = g_strdup_printf("%d", fd), *cloexec_text = g_strdup_printf("%d", cloexec);

    add_fails(NULL, "1", "fd option is required and must be non-negative");
    add_fails("-3", "1", "fd option is required and must be non-negative");
    add_fails("2", "1", "fd cannot be a standard I/O stream");
    add_fails(cloexec_text, "1", "fd is not valid or already in use");
    add_fails(fd_text, NULL, "set option is required and must be non-negative");
    add_fails(fd_text, "-1", "set option is required and must be non-negative");
    add_fails("x", "1", "Parameter 'fd' expects a number");
    add_fails(fd_text, "one", "Parameter 'set' expects a number");
    close(fd);
    add_fails(fd_text, "1", "fd is not valid or already in use"); /* closed */
    close(cloexec);
    g_free(fd_text);
    g_free(cloexec_text);
}

static void test_dev_fdset_opens_the_descriptor_with_the_asked_access(void **state)
{
    int ro = inheritable(O_RDONLY), rw = inheritable(O_RDWR), got;
    char *ro_text = g_strdup_printf("%d", ro), *rw_text = g_strdup_printf("%d", rw);

    assert_true(fdset_add_option(ro_text, "4", "ro", NULL));
    assert_true(fdset_add_option(rw_text, "4", NULL, NULL));
    close(ro); /* the set holds its own duplicates */
    close(rw);
    got = fdset_open("/dev/fdset/4", O_RDWR);
    assert_true(got >= 0);
    assert_int_equal(fcntl(got, F_GETFL) & O_ACCMODE, O_RDWR);
    assert_true(fcntl(got, F_GETFD) & FD_CLOEXEC);
    close(got);
    got = fdset_open("/dev/fdset/4", O_RDONLY);
    assert_int_equal(fcntl(got, F_GETFL) & O_ACCMODE, O_RDONLY);
    close(got);
    assert_int_equal(fdset_open("/dev/fdset/4", O_WRONLY), -1);
    assert_int_equal(errno, EACCES);
    assert_int_equal(fdset_open("/dev/fdset/5", O_RDONLY), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(fdset_open("/dev/fdset/x", O_RDONLY), -1);
    assert_int_equal(errno, EINVAL);
    assert_true(fdset_is_path("/dev/fdset/4"));
    assert_false(fdset_is_path("/dev/null"));
    g_free(ro_text);
    g_free(rw_text);
}

static void record(int64_t set, int fd, const char *opaque, void *arg)
{
    g_string_append_printf(arg, "%" G_GINT64_FORMAT ":%s ", set, opaque ? opaque : "-");
}

static void test_sets_are_listed_by_id_and_descriptors_in_order_added(void **state)
{
    static const char *const adds[][3] = {
        {"2", "a"}, {"1", "b"}, {"3", "c"}, {"2", "d"}, {"1", NULL}};
    int fd = inheritable(O_RDONLY);
    char *fd_text = g_strdup_printf("%d", fd);
    GString *seen = g_string_new(NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(adds); i++) {
        assert_true(fdset_add_option(fd_text, adds[i][0], adds[i][1], NULL));
    }
    fdset_foreach(record, seen);
    assert_string_equal(seen->str, "1:b 1:- 2:a 2:d 3:c ");
    fdset_cleanup();
    g_string_truncate(seen, 0);
    fdset_foreach(record, seen);
    assert_string_equal(seen->str, "");
    g_string_free(seen, TRUE);
    close(fd);
    g_free(fd_text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_add_fd_refuses_what_qemu_refuses, teardown),
        cmocka_unit_test_teardown(test_dev_fdset_opens_the_descriptor_with_the_asked_access,
                                  teardown),
        cmocka_unit_test_teardown(test_sets_are_listed_by_id_and_descriptors_in_order_added,
                                  teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
