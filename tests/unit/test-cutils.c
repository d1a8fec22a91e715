/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-cutils.c - the number, size and identifier parsers: what they accept,
 * what they refuse and with which error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib.h>

#include "core/cutils.h"

#define UNTOUCHED UINT64_C(0xdeadbeef)

/* ---- qemu_strtou64 ---------------------------------------------------------- */

static void test_strtou64_parses_decimal(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtou64("12345", NULL, 10, &v), 0);
    assert_int_equal(v, 12345);
}

static void test_strtou64_base_0_reads_hex_and_octal_prefixes(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtou64("0x1F", NULL, 0, &v), 0);
    assert_int_equal(v, 31);
    assert_int_equal(qemu_strtou64("017", NULL, 0, &v), 0);
    assert_int_equal(v, 15);
    assert_int_equal(qemu_strtou64("0", NULL, 0, &v), 0);
    assert_int_equal(v, 0);
}

static void test_strtou64_base_16_accepts_0x_prefix(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtou64("0xff", NULL, 16, &v), 0);
    assert_int_equal(v, 255);
    assert_int_equal(qemu_strtou64("ff", NULL, 16, &v), 0);
    assert_int_equal(v, 255);
}

static void test_strtou64_accepts_uint64_max(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtou64("18446744073709551615", NULL, 10, &v), 0);
    assert_true(v == UINT64_MAX);
}

static void test_strtou64_overflow_is_erange_and_leaves_result(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtou64("18446744073709551616", NULL, 10, &v), -ERANGE);
    assert_int_equal(qemu_strtou64("0x10000000000000000", NULL, 0, &v), -ERANGE);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtou64_refuses_minus_sign(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtou64("-1", NULL, 0, &v), -EINVAL);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtou64_refuses_leading_whitespace(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtou64(" 1", NULL, 0, &v), -EINVAL);
    assert_int_equal(qemu_strtou64("\t1", NULL, 0, &v), -EINVAL);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtou64_refuses_empty_string(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtou64("", NULL, 0, &v), -EINVAL);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtou64_refuses_trailing_garbage_without_endptr(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtou64("12abc", NULL, 10, &v), -EINVAL);
    assert_int_equal(qemu_strtou64("12 ", NULL, 10, &v), -EINVAL);
    assert_int_equal(qemu_strtou64("0x", NULL, 0, &v), -EINVAL);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtou64_with_endptr_stops_at_first_unparsed(void **state)
{
    const char *s = "42,rest";
    const char *end = NULL;
    uint64_t v;

    assert_int_equal(qemu_strtou64(s, &end, 10, &v), 0);
    assert_int_equal(v, 42);
    assert_ptr_equal(end, s + 2);
}

static void test_strtou64_without_digits_points_endptr_at_start(void **state)
{
    const char *s = "x1";
    const char *end = NULL;
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtou64(s, &end, 0, &v), -EINVAL);
    assert_ptr_equal(end, s);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtou64_refuses_invalid_base(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtou64("1", NULL, 1, &v), -EINVAL);
    assert_int_equal(qemu_strtou64("1", NULL, 37, &v), -EINVAL);
}

static void test_strtou64_refuses_digit_outside_base(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtou64("129", NULL, 8, &v), -EINVAL);
    assert_int_equal(qemu_strtou64("08", NULL, 0, &v), -EINVAL);
}

/* ---- qemu_strtoi64 ------------------------------------------------------------ */

static void test_strtoi64_parses_negative(void **state)
{
    int64_t v;

    assert_int_equal(qemu_strtoi64("-42", NULL, 10, &v), 0);
    assert_int_equal(v, -42);
    assert_int_equal(qemu_strtoi64("-0x10", NULL, 0, &v), 0);
    assert_int_equal(v, -16);
}

static void test_strtoi64_accepts_both_extremes(void **state)
{
    int64_t v;

    assert_int_equal(qemu_strtoi64("9223372036854775807", NULL, 10, &v), 0);
    assert_true(v == INT64_MAX);
    assert_int_equal(qemu_strtoi64("-9223372036854775808", NULL, 10, &v), 0);
    assert_true(v == INT64_MIN);
}

static void test_strtoi64_out_of_range_is_erange(void **state)
{
    int64_t v = 7;

    assert_int_equal(qemu_strtoi64("9223372036854775808", NULL, 10, &v), -ERANGE);
    assert_int_equal(qemu_strtoi64("-9223372036854775809", NULL, 10, &v), -ERANGE);
    assert_int_equal(v, 7);
}

static void test_strtoi64_refuses_leading_whitespace_and_garbage(void **state)
{
    int64_t v = 7;

    assert_int_equal(qemu_strtoi64(" -1", NULL, 10, &v), -EINVAL);
    assert_int_equal(qemu_strtoi64("-", NULL, 10, &v), -EINVAL);
    assert_int_equal(qemu_strtoi64("5x", NULL, 10, &v), -EINVAL);
    assert_int_equal(v, 7);
}

/* ---- qemu_strtosz -------------------------------------------------------------- */

static void test_strtosz_without_suffix_is_bytes(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtosz("4096", NULL, &v), 0);
    assert_int_equal(v, 4096);
}

static void test_strtosz_suffixes_are_binary_multiples(void **state)
{
    static const struct {
        const char *text;
        uint64_t value;
    } cases[] = {
        {"1B", 1},
        {"1K", UINT64_C(1) << 10},
        {"1M", UINT64_C(1) << 20},
        {"1G", UINT64_C(1) << 30},
        {"1T", UINT64_C(1) << 40},
        {"1P", UINT64_C(1) << 50},
        {"1E", UINT64_C(1) << 60},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t v;
        assert_int_equal(qemu_strtosz(cases[i].text, NULL, &v), 0);
        assert_true(v == cases[i].value);
    }
}

static void test_strtosz_suffixes_are_case_insensitive(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtosz("2048k", NULL, &v), 0);
    assert_int_equal(v, 2048 << 10);
    assert_int_equal(qemu_strtosz("3g", NULL, &v), 0);
    assert_true(v == UINT64_C(3) << 30);
    assert_int_equal(qemu_strtosz("5b", NULL, &v), 0);
    assert_int_equal(v, 5);
}

static void test_strtosz_accepts_fraction_with_suffix(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtosz("1.5G", NULL, &v), 0);
    assert_true(v == UINT64_C(3) << 29);
    assert_int_equal(qemu_strtosz("0.5K", NULL, &v), 0);
    assert_int_equal(v, 512);
}

static void test_strtosz_fraction_rounds_down_to_whole_bytes(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtosz("0.1K", NULL, &v), 0);
    assert_int_equal(v, 102);
}

static void test_strtosz_refuses_fraction_of_bytes(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtosz("1.5", NULL, &v), -EINVAL);
    assert_int_equal(qemu_strtosz("1.5B", NULL, &v), -EINVAL);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtosz_refuses_dot_without_digits(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtosz("1.K", NULL, &v), -EINVAL);
    assert_int_equal(qemu_strtosz(".5K", NULL, &v), -EINVAL);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtosz_reads_hex_integer(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtosz("0x1000", NULL, &v), 0);
    assert_int_equal(v, 0x1000);
    assert_int_equal(qemu_strtosz("0x10M", NULL, &v), 0);
    assert_int_equal(v, 16 << 20);
}

static void test_strtosz_refuses_hex_fraction(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtosz("0x1.8M", NULL, &v), -EINVAL);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtosz_decimal_with_leading_zero_is_not_octal(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtosz("010", NULL, &v), 0);
    assert_int_equal(v, 10);
}

static void test_strtosz_refuses_empty_string(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtosz("", NULL, &v), -EINVAL);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtosz_refuses_negative_and_signed(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtosz("-5", NULL, &v), -EINVAL);
    assert_int_equal(qemu_strtosz("-1K", NULL, &v), -EINVAL);
    assert_int_equal(qemu_strtosz("+5", NULL, &v), -EINVAL);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtosz_refuses_leading_whitespace(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtosz(" 5", NULL, &v), -EINVAL);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtosz_refuses_trailing_garbage(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtosz("12Q", NULL, &v), -EINVAL);
    assert_int_equal(qemu_strtosz("1K5", NULL, &v), -EINVAL);
    assert_int_equal(qemu_strtosz("1 K", NULL, &v), -EINVAL);
    assert_int_equal(qemu_strtosz("1KB", NULL, &v), -EINVAL);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtosz_overflow_is_erange(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtosz("16E", NULL, &v), -ERANGE);
    assert_int_equal(qemu_strtosz("99999999999999999999", NULL, &v), -ERANGE);
    assert_int_equal(qemu_strtosz("18446744073709551616", NULL, &v), -ERANGE);
    assert_int_equal(qemu_strtosz("16777216T", NULL, &v), -ERANGE);
    assert_int_equal(v, UNTOUCHED);
}

static void test_strtosz_accepts_largest_sizes(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtosz("18446744073709551615", NULL, &v), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(qemu_strtosz("15.5E", NULL, &v), 0);
    assert_true(v == UINT64_C(31) << 59);
}

static void test_strtosz_with_endptr_stops_after_suffix(void **state)
{
    const char *s = "64M,rest";
    const char *end = NULL;
    uint64_t v;

    assert_int_equal(qemu_strtosz(s, &end, &v), 0);
    assert_int_equal(v, 64 << 20);
    assert_ptr_equal(end, s + 3);
}

static void test_strtosz_mib_without_suffix_is_mebibytes(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtosz_MiB("256", NULL, &v), 0);
    assert_int_equal(v, 256 << 20);
}

static void test_strtosz_mib_suffix_overrides_default_unit(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtosz_MiB("1G", NULL, &v), 0);
    assert_int_equal(v, 1 << 30);
    assert_int_equal(qemu_strtosz_MiB("4096B", NULL, &v), 0);
    assert_int_equal(v, 4096);
}

static void test_strtosz_mib_accepts_fraction_of_mebibytes(void **state)
{
    uint64_t v;

    assert_int_equal(qemu_strtosz_MiB("1.5", NULL, &v), 0);
    assert_int_equal(v, 3 << 19);
}

static void test_strtosz_mib_refuses_what_strtosz_refuses(void **state)
{
    uint64_t v = UNTOUCHED;

    assert_int_equal(qemu_strtosz_MiB("12Q", NULL, &v), -EINVAL);
    assert_int_equal(qemu_strtosz_MiB("-5", NULL, &v), -EINVAL);
    assert_int_equal(qemu_strtosz_MiB("", NULL, &v), -EINVAL);
    assert_int_equal(qemu_strtosz_MiB("17592186044416", NULL, &v), -ERANGE);
    assert_int_equal(v, UNTOUCHED);
}

/* ---- qemu_parse_bool, id_wellformed ------------------------------------------------ */

static void test_parse_bool_accepts_true_words(void **state)
{
    static const char *const words[] = {"on", "yes", "true", "y"};

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        bool b = false;
        assert_true(qemu_parse_bool(words[i], &b));
        assert_true(b);
    }
}

static void test_parse_bool_accepts_false_words(void **state)
{
    static const char *const words[] = {"off", "no", "false", "n"};

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        bool b = true;
        assert_true(qemu_parse_bool(words[i], &b));
        assert_false(b);
    }
}

static void test_parse_bool_refuses_other_words_and_case(void **state)
{
    static const char *const words[] = {"On", "YES", "1", "0", "", "maybe", "onn"};

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        bool b = true;
        assert_false(qemu_parse_bool(words[i], &b));
        assert_true(b);
    }
    assert_false(qemu_parse_bool(NULL, &(bool){false}));
}

static void test_id_wellformed_accepts_letter_then_name_characters(void **state)
{
    assert_true(id_wellformed("d0"));
    assert_true(id_wellformed("a"));
    assert_true(id_wellformed("Net-1.back_end"));
}

static void test_id_wellformed_refuses_bad_identifiers(void **state)
{
    assert_false(id_wellformed(""));
    assert_false(id_wellformed("1bad"));
    assert_false(id_wellformed("_x"));
    assert_false(id_wellformed("a b"));
    assert_false(id_wellformed("a,b"));
    assert_false(id_wellformed("a/b"));
    assert_false(id_wellformed("caf\xc3\xa9"));
    assert_false(id_wellformed(NULL));
}

/* ---- write_full ----------------------------------------------------------------------------- */

/* More than a pipe holds (64 KiB), read by a thread: every byte arrives, in order. */
static gpointer drain(gpointer fd)
{
    GString *got = g_string_new(NULL);
    char buf[4096];
    ssize_t n;

    while ((n = read(GPOINTER_TO_INT(fd), buf, sizeof(buf))) > 0) {
        g_string_append_len(got, buf, n);
    }
    return got;
}

static void test_write_full_writes_past_a_full_pipe(void **state)
{
    size_t len = 300 * 1024;
    char *data = g_malloc(len);
    int fds[2];
    GThread *reader;
    GString *got;

    for (size_t i = 0; i < len; i++) {
        data[i] = (char)(i * 7 + i / 251);
    }
    assert_int_equal(pipe(fds), 0);
    reader = g_thread_new("drain", drain, GINT_TO_POINTER(fds[0]));
    assert_true(write_full(fds[1], data, len));
    close(fds[1]);
    got = g_thread_join(reader);
    assert_int_equal(got->len, len);
    assert_memory_equal(got->str, data, len);
    close(fds[0]);
    g_string_free(got, TRUE);
    g_free(data);
}

static void test_write_full_reports_the_error_that_stopped_it(void **state)
{
    int fd = open("/dev/full", O_WRONLY);
    int fds[2];
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);

    assert_true(fd >= 0);
    assert_false(write_full(fd, "x", 1));
    assert_int_equal(errno, ENOSPC);
    close(fd);
    assert_int_equal(pipe(fds), 0);
    close(fds[0]);
    assert_false(write_full(fds[1], "x", 1));
    assert_int_equal(errno, EPIPE);
    close(fds[1]);
    signal(SIGPIPE, old);
    assert_true(write_full(-1, "", 0)); /* nothing to write: no write at all */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strtou64_parses_decimal),
        cmocka_unit_test(test_strtou64_base_0_reads_hex_and_octal_prefixes),
        cmocka_unit_test(test_strtou64_base_16_accepts_0x_prefix),
        cmocka_unit_test(test_strtou64_accepts_uint64_max),
        cmocka_unit_test(test_strtou64_overflow_is_erange_and_leaves_result),
        cmocka_unit_test(test_strtou64_refuses_minus_sign),
        cmocka_unit_test(test_strtou64_refuses_leading_whitespace),
        cmocka_unit_test(test_strtou64_refuses_empty_string),
        cmocka_unit_test(test_strtou64_refuses_trailing_garbage_without_endptr),
        cmocka_unit_test(test_strtou64_with_endptr_stops_at_first_unparsed),
        cmocka_unit_test(test_strtou64_without_digits_points_endptr_at_start),
        cmocka_unit_test(test_strtou64_refuses_invalid_base),
        cmocka_unit_test(test_strtou64_refuses_digit_outside_base),
        cmocka_unit_test(test_strtoi64_parses_negative),
        cmocka_unit_test(test_strtoi64_accepts_both_extremes),
        cmocka_unit_test(test_strtoi64_out_of_range_is_erange),
        cmocka_unit_test(test_strtoi64_refuses_leading_whitespace_and_garbage),
        cmocka_unit_test(test_strtosz_without_suffix_is_bytes),
        cmocka_unit_test(test_strtosz_suffixes_are_binary_multiples),
        cmocka_unit_test(test_strtosz_suffixes_are_case_insensitive),
        cmocka_unit_test(test_strtosz_accepts_fraction_with_suffix),
        cmocka_unit_test(test_strtosz_fraction_rounds_down_to_whole_bytes),
        cmocka_unit_test(test_strtosz_refuses_fraction_of_bytes),
        cmocka_unit_test(test_strtosz_refuses_dot_without_digits),
        cmocka_unit_test(test_strtosz_reads_hex_integer),
        cmocka_unit_test(test_strtosz_refuses_hex_fraction),
        cmocka_unit_test(test_strtosz_decimal_with_leading_zero_is_not_octal),
        cmocka_unit_test(test_strtosz_refuses_empty_string),
        cmocka_unit_test(test_strtosz_refuses_negative_and_signed),
        cmocka_unit_test(test_strtosz_refuses_leading_whitespace),
        cmocka_unit_test(test_strtosz_refuses_trailing_garbage),
        cmocka_unit_test(test_strtosz_overflow_is_erange),
        cmocka_unit_test(test_strtosz_accepts_largest_sizes),
        cmocka_unit_test(test_strtosz_with_endptr_stops_after_suffix),
        cmocka_unit_test(test_strtosz_mib_without_suffix_is_mebibytes),
        cmocka_unit_test(test_strtosz_mib_suffix_overrides_default_unit),
        cmocka_unit_test(test_strtosz_mib_accepts_fraction_of_mebibytes),
        cmocka_unit_test(test_strtosz_mib_refuses_what_strtosz_refuses),
        cmocka_unit_test(test_parse_bool_accepts_true_words),
        cmocka_unit_test(test_parse_bool_accepts_false_words),
        cmocka_unit_test(test_parse_bool_refuses_other_words_and_case),
        cmocka_unit_test(test_id_wellformed_accepts_letter_then_name_characters),
        cmocka_unit_test(test_id_wellformed_refuses_bad_identifiers),
        cmocka_unit_test(test_write_full_writes_past_a_full_pipe),
        cmocka_unit_test(test_write_full_reports_the_error_that_stopped_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
