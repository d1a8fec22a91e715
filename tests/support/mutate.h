/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mutate.h - what the black-box mutation runs share (tests/cli,
 * tests/qtest, tests/qmp *-mutate.c): draws from a fixed-seed generator,
 * inputs shown with their control bytes visible, and the input being fed
 * named when a sanitizer aborts the process.  Part of the test support
 * library (tests/support).
 */
#ifndef TERN_TEST_MUTATE_H
#define TERN_TEST_MUTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

/* A number in [0, n) from r (n >= 1). */
uint32_t mutate_rnd(GRand *r, uint32_t n);

/*
 * A piece of text that breaks option and config parsers, drawn from r:
 * separators, control bytes, C1 controls and invalid UTF-8, numbers at and
 * past every integer limit, size suffixes, format directives, paths.
 */
const char *mutate_splice(GRand *r);

/*
 * text as printable ASCII: bytes below 0x20, from 0x7f, the backslash and
 * the single quote as \xNN (so it pastes inside a shell's $'...'); cut after max bytes of output
 * with "...".  The caller frees it.
 */
char *mutate_shown(const char *text, size_t max);

/*
 * The oracle of "one line for any input": true when text holds no C0
 * control (newline included), no DEL, no C1 control (U+0080-U+009F), no
 * U+2028/U+2029 and nothing that is not UTF-8.  Written apart from the
 * escaping in core/error.c, so that it checks that code rather than repeat it.
 */
bool mutate_is_one_safe_line(const char *text);

/*
 * Names what is being fed now ("session 3 line 7: ..."), printed to stderr
 * if the process aborts (a sanitizer's report ends in abort()) before the
 * next call.
 */
void mutate_set_current(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
const char *mutate_current(void);
/* Installs the SIGABRT handler that prints the current input, as "PROGRAM: aborted while ...". */
void mutate_report_aborts(const char *program);

#endif
