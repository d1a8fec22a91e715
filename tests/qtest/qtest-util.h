/*
 * qtest-util.h - what the qtest test programs share: client failures as
 * cmocka failures, and the helpers that compare replies byte for byte.
 * Header-only; each test program includes it once.
 */
#ifndef TERN_TEST_QTEST_UTIL_H
#define TERN_TEST_QTEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>

#include "qtest/libqtest.h"

/* A client-side failure (timeout, server gone, unexpected reply) fails the test. */
static inline void qtest_util_fail(const char *message)
{
    fail_msg("%s", message);
}

static inline void qtest_util_install_fail_handler(void)
{
    qtest_set_fail_handler(qtest_util_fail);
}

/* Sends request (with its '\n') and checks the next line, IRQ lines included, is expected. */
static inline void expect_line(QTestState *s, const char *request, const char *expected)
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

#endif
