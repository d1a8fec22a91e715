/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest-util.h - what the qtest test programs share: client failures as
 * cmocka failures, and the helper that compares replies byte for byte.
 * Part of the test support library (tests/support).
 */
#ifndef TERN_TEST_QTEST_UTIL_H
#define TERN_TEST_QTEST_UTIL_H

#include "qtest/libqtest.h"

/* A client-side failure (timeout, server gone, unexpected reply) fails the test. */
void qtest_util_install_fail_handler(void);

/* Sends request (with its '\n'; NULL: nothing) and checks the next line, IRQ lines included, is
 * expected. */
void expect_line(QTestState *s, const char *request, const char *expected);

#endif
