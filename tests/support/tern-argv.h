/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tern-argv.h - a tern command line as a compound literal, for tests that
 * call tern_init() in-process: TERN_ARGV("-M", "virt") is
 * {"tern", "-nouserconfig", "-M", "virt", NULL} and TERN_ARGC(...) its
 * count without the NULL.  -nouserconfig keeps a user's config file out of
 * the tests; a test of the config file itself writes its own argv.
 * Part of the test support library (tests/support); macros only.
 */
#ifndef TERN_TEST_TERN_ARGV_H
#define TERN_TEST_TERN_ARGV_H

#define TERN_ARGV(...) ((char *[]){"tern", "-nouserconfig", __VA_ARGS__, NULL})
#define TERN_ARGC(...)                                                                             \
    ((int)(sizeof((char *[]){"tern", "-nouserconfig", __VA_ARGS__}) / sizeof(char *)))

#endif
