/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest-log.c - the "[R +S.UUUUUU]" prefix of a qtest log line, built with
 * integer arithmetic (qtest-log.h).  The server writes one such prefix per
 * request and per reply, so this is on the path of every command when the
 * log is on: no printf, no floating point.
 *
 * Not here: writing the log (qtest.c).
 */
#include "qtest/qtest-log.h"

#include <string.h>

size_t qtest_log_format_prefix(char *buf, char tag, bool relative, int64_t elapsed_ns)
{
    uint64_t us = elapsed_ns > 0 ? ((uint64_t)elapsed_ns + 500) / 1000 : 0;
    uint64_t sec = us / 1000000;
    uint32_t frac = (uint32_t)(us % 1000000);
    char digits[20];
    size_t n = 0, len = 0;

    buf[len++] = '[';
    buf[len++] = tag;
    buf[len++] = ' ';
    if (relative) {
        buf[len++] = '+';
    }
    do {
        digits[n++] = (char)('0' + sec % 10);
        sec /= 10;
    } while (sec);
    while (n) {
        buf[len++] = digits[--n];
    }
    buf[len++] = '.';
    for (int i = 5; i >= 0; i--) {
        buf[len + i] = (char)('0' + frac % 10);
        frac /= 10;
    }
    len += 6;
    buf[len++] = ']';
    buf[len] = '\0';
    return len;
}
