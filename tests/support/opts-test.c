/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opts-test.c - see opts-test.h.
 *
 * Helper code, not a test: its assertions live in tests/unit/test-support.c.
 */
#include "tests/support/opts-test.h"

static int count_entry(void *opaque, Opts *opts, Error **errp)
{
    (*(int *)opaque)++;
    return 0;
}

int opts_test_entries(OptsList *list)
{
    int n = 0;

    opts_foreach(list, count_entry, &n, NULL);
    return n;
}

static int count_value(void *opaque, const char *name, const char *value, Error **errp)
{
    (*(int *)opaque)++;
    return 0;
}

int opts_test_values(const Opts *opts)
{
    int n = 0;

    opt_foreach(opts, count_value, &n, NULL);
    return n;
}
