/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest-log.h - the time stamp of a qtest log line, formatted without stdio.
 *
 * QEMU 7.2 writes "[I 0.000000] OPENED" when a client connects and then
 * "[R +S.UUUUUU] request", "[S +S.UUUUUU] reply" and "[I +S.UUUUUU] CLOSED",
 * S.UUUUUU being the seconds since the connection opened with six decimals.
 * The server formats its prefixes here, with integer arithmetic: the time
 * is rounded to the nearest microsecond (half a microsecond rounds up,
 * where printf's "%.6f" of a double may round either way on an exact tie).
 *
 * Not here: the log's buffering and line order (qtest.c).
 */
#ifndef TERN_QTEST_LOG_H
#define TERN_QTEST_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for the longest prefix: "[X +" 20 digits "." 6 digits "]" and a NUL. */
#define QTEST_LOG_PREFIX_MAX 40

/*
 * Writes "[TAG +S.UUUUUU]" (relative) or "[TAG S.UUUUUU]" for elapsed_ns
 * (negative counts as 0) to buf, NUL-terminated; returns its length.
 */
size_t qtest_log_format_prefix(char *buf, char tag, bool relative, int64_t elapsed_ns);

#endif
