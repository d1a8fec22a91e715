/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cutils.c - number, size and identifier parsers (see cutils.h for the
 * contract).
 *
 * The digits are read here rather than with strtoull(): the C library skips
 * leading whitespace, accepts a sign on unsigned numbers and depends on the
 * locale, none of which an option value may do.  Nothing here allocates or
 * keeps state.
 */
#include "core/cutils.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "core/coverage.h"

#ifdef TERN_COVERAGE
unsigned tern_coverage_counter; /* see core/coverage.h */
#endif

static bool is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* The value of c as a digit in base, or -1. */
static int digit_value(char c, int base)
{
    int v;

    if (is_ascii_digit(c)) {
        v = c - '0';
    } else if (c >= 'a' && c <= 'z') {
        v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'Z') {
        v = c - 'A' + 10;
    } else {
        return -1;
    }
    return v < base ? v : -1;
}

/*
 * Reads an unsigned magnitude at s in base (0: C rules).  Returns 0, -EINVAL
 * when there is no digit, or -ERANGE when it does not fit; *end gets the first
 * character after the digits (s itself when there were none).
 */
static int parse_magnitude(const char *s, const char **end, int base, uint64_t *result)
{
    const char *p = s;
    uint64_t value = 0;
    bool overflow = false;
    const char *digits;

    if (base == 0) {
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2], 16) >= 0) {
            base = 16;
            p += 2;
        } else if (p[0] == '0') {
            base = 8;
        } else {
            base = 10;
        }
    } else if (base == 16 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
               digit_value(p[2], 16) >= 0) {
        p += 2;
    }
    digits = p;
    for (int d; (d = digit_value(*p, base)) >= 0; p++) {
        if (value > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) {
            overflow = true;
        } else {
            value = value * (uint64_t)base + (uint64_t)d;
        }
    }
    if (p == digits) {
        *end = s;
        return -EINVAL;
    }
    *end = p;
    testcase(overflow);
    if (overflow) {
        return -ERANGE;
    }
    *result = value;
    return 0;
}

/* Common tail: with endptr NULL, anything left over is an error. */
static int finish(const char *stop, const char **endptr, int ret)
{
    if (endptr) {
        *endptr = stop;
    } else if (ret == 0 && *stop) {
        return -EINVAL;
    }
    return ret;
}

int qemu_strtou64(const char *nptr, const char **endptr, int base, uint64_t *result)
{
    const char *stop = nptr;
    uint64_t value;
    int ret;

    if (!nptr || (base != 0 && (base < 2 || base > 36))) {
        return finish(nptr, endptr, -EINVAL);
    }
    if (is_space(*nptr) || *nptr == '-') {
        return finish(nptr, endptr, -EINVAL);
    }
    ret = parse_magnitude(*nptr == '+' ? nptr + 1 : nptr, &stop, base, &value);
    if (ret == -EINVAL) {
        stop = nptr;
    }
    ret = finish(stop, endptr, ret);
    if (ret == 0) {
        *result = value;
    }
    return ret;
}

int qemu_strtoi64(const char *nptr, const char **endptr, int base, int64_t *result)
{
    const char *stop = nptr, *p = nptr;
    bool negative = false;
    uint64_t magnitude;
    int ret;

    if (!nptr || (base != 0 && (base < 2 || base > 36)) || is_space(*nptr)) {
        return finish(nptr, endptr, -EINVAL);
    }
    if (*p == '-' || *p == '+') {
        negative = *p == '-';
        p++;
    }
    ret = parse_magnitude(p, &stop, base, &magnitude);
    if (ret == -EINVAL) {
        stop = nptr;
    } else if (ret == 0 && magnitude > (negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX)) {
        ret = -ERANGE;
    }
    testcase(negative && magnitude == (uint64_t)INT64_MAX + 1); /* INT64_MIN itself */
    ret = finish(stop, endptr, ret);
    if (ret == 0) {
        /* -(INT64_MAX + 1) is computed without overflowing a signed value. */
        *result = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
    }
    return ret;
}

/* The multiplier of a size suffix, or 0 when c is not one. */
static uint64_t suffix_multiplier(char c)
{
    switch (c) {
    case 'b':
    case 'B':
        return 1;
    case 'k':
    case 'K':
        return UINT64_C(1) << 10;
    case 'm':
    case 'M':
        return UINT64_C(1) << 20;
    case 'g':
    case 'G':
        return UINT64_C(1) << 30;
    case 't':
    case 'T':
        return UINT64_C(1) << 40;
    case 'p':
    case 'P':
        return UINT64_C(1) << 50;
    case 'e':
    case 'E':
        return UINT64_C(1) << 60;
    default:
        return 0;
    }
}

/*
 * floor(mult * 0.DIGITS) for the n decimal digits at digits, exactly.  Taken
 * from the last digit to the first: r = (d * mult + r) / 10 at each step.
 * Integer division at every step still gives the floor of the whole, and
 * since r < mult <= 2^60 the sum stays below 10 * 2^60 < 2^64.
 */
static uint64_t fraction_of(const char *digits, size_t n, uint64_t mult)
{
    uint64_t r = 0;

    while (n--) {
        r = ((uint64_t)(digits[n] - '0') * mult + r) / 10;
    }
    return r;
}

/*
 *   size     := (decimal [ "." digits ] | "0x" hexdigits) [ suffix ]
 *   suffix   := B | K | M | G | T | P | E   (either case)
 * A fraction needs a multiplier above one: "1.5G", or "1.5" in MiB, but
 * neither "1.5" in bytes nor "1.5B".  A hexadecimal number takes no
 * fraction; B and E are hex digits there, so only K M G T P follow it.
 */
static int do_strtosz(const char *nptr, const char **end, uint64_t default_mult, uint64_t *result)
{
    const char *p, *fraction = NULL;
    size_t fraction_len = 0;
    uint64_t integer, mult, frac_bytes = 0;
    int ret;

    if (!nptr || !is_ascii_digit(*nptr)) {
        /* Empty, negative, signed, leading whitespace or not a number at all. */
        return finish(nptr, end, -EINVAL);
    }
    if (nptr[0] == '0' && (nptr[1] == 'x' || nptr[1] == 'X')) {
        /* "0x" without a hex digit after it reads as the zero alone. */
        ret = parse_magnitude(nptr, &p, 16, &integer);
        if (ret == 0 && *p == '.') {
            return finish(nptr, end, -EINVAL);
        }
    } else {
        ret = parse_magnitude(nptr, &p, 10, &integer);
        if (ret == 0 && *p == '.' && is_ascii_digit(p[1])) {
            fraction = p + 1;
            for (p = fraction; is_ascii_digit(*p); p++) {
                fraction_len++;
            }
        }
    }
    if (ret == -EINVAL) {
        return finish(nptr, end, ret);
    }
    mult = suffix_multiplier(*p);
    if (mult) {
        p++;
    } else {
        mult = default_mult;
    }
    if (ret == -ERANGE) {
        return finish(p, end, -ERANGE);
    }
    if (fraction && mult == 1) {
        return finish(nptr, end, -EINVAL);
    }
    if (fraction) {
        frac_bytes = fraction_of(fraction, fraction_len, mult);
    }
    testcase(integer == (UINT64_MAX - frac_bytes) / mult); /* the largest size that fits */
    if (integer > (UINT64_MAX - frac_bytes) / mult) {
        return finish(p, end, -ERANGE);
    }
    ret = finish(p, end, 0);
    if (ret == 0) {
        *result = integer * mult + frac_bytes;
    }
    return ret;
}

int qemu_strtosz(const char *nptr, const char **end, uint64_t *result)
{
    return do_strtosz(nptr, end, 1, result);
}

int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result)
{
    return do_strtosz(nptr, end, UINT64_C(1) << 20, result);
}

bool qemu_parse_bool(const char *str, bool *result)
{
    static const char *const yes[] = {"on", "yes", "true", "y"};
    static const char *const no[] = {"off", "no", "false", "n"};

    if (!str) {
        return false;
    }
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (!strcmp(str, yes[i])) {
            *result = true;
            return true;
        }
        if (!strcmp(str, no[i])) {
            *result = false;
            return true;
        }
    }
    return false;
}

bool id_wellformed(const char *id)
{
    if (!id || !is_ascii_letter(*id)) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!is_ascii_letter(*p) && !is_ascii_digit(*p) && *p != '-' && *p != '.' && *p != '_') {
            return false;
        }
    }
    return true;
}

bool write_full(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            if (n == 0) {
                errno = 0;
            }
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}
