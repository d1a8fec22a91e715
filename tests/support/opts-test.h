/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * opts-test.h - counting what the option store holds, for the option and
 * config-file tests.  Part of the test support library (tests/support).
 */
#ifndef TERN_TEST_OPTS_TEST_H
#define TERN_TEST_OPTS_TEST_H

#include "core/opts.h"

/* How many entries list holds (opts_foreach). */
int opts_test_entries(OptsList *list);
/* How many name=value pairs opts holds, repeats included (opt_foreach). */
int opts_test_values(const Opts *opts);

#endif
