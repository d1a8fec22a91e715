/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest-util.c - see qtest-util.h.
 */
#include "tests/support/qtest-util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <glib.h>

static void qtest_util_fail(const char *message)
{
    fail_msg("%s", message);
}

void qtest_util_install_fail_handler(void)
{
    qtest_set_fail_handler(qtest_util_fail);
}

void expect_line(QTestState *s, const char *request, const char *expected)
{
    char *line;

    if (request) {
        qtest_send_bytes(s, request, strlen(request));
    }
    line = qtest_receive_line(s);
    if (strcmp(line, expected)) {
        print_error("request '%s': got '%s', expected '%s'\n", request ? request : "(none)", line,
                    expected);
        g_free(line);
        fail();
    }
    g_free(line);
}
