/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A program that fails on purpose: case 1 passes, case 7 compares 2 with 3.
 * The emulator must exit with status 7 and print "FAIL: case 7"; the runners
 * expect exactly that, so the pass/fail path itself is tested. */
#include "isa.h"

TEST_BEGIN
    TEST_CASE(1, a0, 2, li a0, 2)
    TEST_CASE(7, a0, 3, li a0, 2)
    TEST_PASS
