/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mutate.c - shared pieces of the mutation runs (see mutate.h).
 *
 * Helper code, not a test: its assertions live in tests/unit/test-support.c
 * (test_mutate_shows_every_byte_printably_and_cuts).
 */
#include "tests/support/mutate.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

static char current[512];
static char report_head[128];

uint32_t mutate_rnd(GRand *r, uint32_t n)
{
    return (uint32_t)g_rand_int_range(r, 0, (gint32)n);
}

char *mutate_shown(const char *text, size_t max)
{
    GString *s = g_string_new(NULL);

    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (s->len >= max) {
            g_string_append(s, "...");
            break;
        }
        if (*p < 0x20 || *p >= 0x7f || *p == '\\' || *p == '\'') {
            g_string_append_printf(s, "\\x%02x", *p);
        } else {
            g_string_append_c(s, (char)*p);
        }
    }
    return g_string_free(s, FALSE);
}

bool mutate_is_one_safe_line(const char *text)
{
    const char *end;

    if (!g_utf8_validate(text, -1, &end)) {
        return false;
    }
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
            return false;
        }
    }
    return true;
}

void mutate_set_current(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_vsnprintf(current, sizeof(current), fmt, ap);
    va_end(ap);
}

const char *mutate_current(void)
{
    return current;
}

/* Async-signal-safe: write(2) of buffers filled before the signal. */
static void on_abort(int signo)
{
    (void)!write(2, report_head, strnlen(report_head, sizeof(report_head)));
    (void)!write(2, current, strnlen(current, sizeof(current)));
    (void)!write(2, "\n", 1);
    signal(signo, SIG_DFL);
    raise(signo);
}

void mutate_report_aborts(const char *program)
{
    g_snprintf(report_head, sizeof(report_head), "\n%s: aborted while feeding ", program);
    signal(SIGABRT, on_abort);
}

/* What breaks parsers: separators, control bytes, limits, directives. */
static const char *const mutate_splices[] = {
    "\n",
    "\r\n",
    "\t",
    "\x01",
    "\x1b[31m",
    "\x7f",
    "\xc2\x85",
    "\xe2\x80\xa8",
    "\xff",
    "\xc3\x28",
    ",",
    ",,",
    "=",
    "==",
    ":",
    "\\",
    "'",
    "\"",
    " ",
    "%s%n%x",
    "%",
    "-",
    "--",
    "0",
    "-1",
    "1.5",
    "0x",
    "0x0",
    "0xffffffffffffffff",
    "0x10000000000000000",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "4294967296",
    "2147483648",
    "1e999",
    "99999999999999999999T",
    "16E",
    "8E",
    "1P",
    "1k",
    "id=",
    "=on",
    ",id=x",
    "on",
    "off",
    "yes",
    "no",
    "/",
    "/dev/null",
    ".",
    "..",
    "[",
    "]",
};

const char *mutate_splice(GRand *r)
{
    return mutate_splices[mutate_rnd(r, G_N_ELEMENTS(mutate_splices))];
}
