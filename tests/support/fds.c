/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fds.c - see fds.h.
 *
 * Helper code, not a test: its assertions live in tests/unit/test-support.c.
 */
#include "tests/support/fds.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>

unsigned fds_open_count(void)
{
    GDir *dir = g_dir_open("/proc/self/fd", 0, NULL);
    unsigned n = 0;

    assert_non_null(dir);
    while (g_dir_read_name(dir)) {
        n++;
    }
    g_dir_close(dir);
    return n;
}
