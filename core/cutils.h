/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cutils.h - number, size and identifier parsers shared by options, config
 * files, the qtest protocol and the rest.  Pure functions: no allocation, no
 * global state, no locale.  Also write_full(), the one loop that writes a
 * whole buffer to a descriptor.
 *
 * The qemu_strto* functions follow QEMU's contract: they return 0 on success
 * and -EINVAL (not a number, trailing garbage when endptr is NULL, empty
 * string) or -ERANGE (out of range) on failure; *result is written only on
 * success.  When endptr is non-NULL, parsing may stop early and *endptr gets
 * the first unparsed character; when it is NULL the whole string must parse.
 * Leading whitespace is refused (QEMU's options never have it).
 */
#ifndef TERN_CUTILS_H
#define TERN_CUTILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* base 0 means C rules (0x..., 0...); a leading '-' is refused with -EINVAL. */
int qemu_strtou64(const char *nptr, const char **endptr, int base, uint64_t *result);
int qemu_strtoi64(const char *nptr, const char **endptr, int base, int64_t *result);

/*
 * Sizes: a decimal number (fractions allowed with a suffix: "1.5G"), or a
 * hexadecimal integer "0x..." without fraction, then an optional suffix
 * B K M G T P E (case-insensitive, binary multiples).  No suffix means bytes
 * (qemu_strtosz) or MiB (qemu_strtosz_MiB).  Negative values, empty strings and
 * results above UINT64_MAX fail.
 */
int qemu_strtosz(const char *nptr, const char **end, uint64_t *result);
int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result);

/* on/yes/true/y and off/no/false/n (case-sensitive, as QEMU); false on anything else. */
bool qemu_parse_bool(const char *str, bool *result);

/* An identifier as QEMU's id_wellformed(): a letter, then letters, digits, '-', '.', '_'. */
bool id_wellformed(const char *id);

/*
 * Writes all of buf to fd, again after a short write or EINTR; stops at
 * the first error or a write of nothing (errno tells which, 0 for the
 * latter).  Returns whether everything was written.  Calls only write(), so
 * a signal handler may use it.
 */
bool write_full(int fd, const void *buf, size_t len);

#endif
