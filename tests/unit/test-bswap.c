/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-bswap.c - core/bswap.h: numbers stored little- and big-endian at
 * byte pointers (checked byte by byte, at odd addresses too), the sized
 * forms the memory core and qtest use, and byte swaps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/bswap.h"

static const uint8_t bytes[9] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe};

static void test_little_endian_loads_take_the_least_significant_byte_first(void **state)
{
    assert_int_equal(load_le16(bytes), 0x2301);
    assert_int_equal(load_le32(bytes), 0x67452301);
    assert_int_equal(load_le64(bytes), 0xefcdab8967452301ull);
}

static void test_big_endian_loads_take_the_most_significant_byte_first(void **state)
{
    assert_int_equal(load_be16(bytes), 0x0123);
    assert_int_equal(load_be32(bytes), 0x01234567);
    assert_int_equal(load_be64(bytes), 0x0123456789abcdefull);
}

static void test_loads_work_at_unaligned_addresses(void **state)
{
    assert_int_equal(load_le16(bytes + 1), 0x4523);
    assert_int_equal(load_le32(bytes + 1), 0x89674523);
    assert_int_equal(load_le64(bytes + 1), 0xfeefcdab89674523ull);
    assert_int_equal(load_be16(bytes + 1), 0x2345);
    assert_int_equal(load_be32(bytes + 1), 0x23456789);
    assert_int_equal(load_be64(bytes + 1), 0x23456789abcdeffeull);
}

static void test_little_endian_stores_write_exactly_their_width(void **state)
{
    uint8_t buf[10];

    memset(buf, 0xaa, sizeof(buf));
    store_le16(buf + 1, 0x2301);
    assert_memory_equal(buf + 1, bytes, 2);
    assert_int_equal(buf[0], 0xaa);
    assert_int_equal(buf[3], 0xaa);

    memset(buf, 0xaa, sizeof(buf));
    store_le32(buf + 1, 0x67452301);
    assert_memory_equal(buf + 1, bytes, 4);
    assert_int_equal(buf[5], 0xaa);

    memset(buf, 0xaa, sizeof(buf));
    store_le64(buf + 1, 0xefcdab8967452301ull);
    assert_memory_equal(buf + 1, bytes, 8);
    assert_int_equal(buf[0], 0xaa);
    assert_int_equal(buf[9], 0xaa);
}

static void test_big_endian_stores_write_exactly_their_width(void **state)
{
    uint8_t buf[10];

    memset(buf, 0xaa, sizeof(buf));
    store_be16(buf + 1, 0x0123);
    assert_memory_equal(buf + 1, bytes, 2);
    assert_int_equal(buf[3], 0xaa);

    memset(buf, 0xaa, sizeof(buf));
    store_be32(buf + 1, 0x01234567);
    assert_memory_equal(buf + 1, bytes, 4);
    assert_int_equal(buf[5], 0xaa);

    memset(buf, 0xaa, sizeof(buf));
    store_be64(buf + 1, 0x0123456789abcdefull);
    assert_memory_equal(buf + 1, bytes, 8);
    assert_int_equal(buf[0], 0xaa);
    assert_int_equal(buf[9], 0xaa);
}

static void test_sized_loads_read_one_to_eight_bytes(void **state)
{
    assert_int_equal(load_le_sized(bytes, 0), 0);
    assert_int_equal(load_le_sized(bytes, 1), 0x01);
    assert_int_equal(load_le_sized(bytes, 3), 0x452301);
    assert_int_equal(load_le_sized(bytes, 4), load_le32(bytes));
    assert_int_equal(load_le_sized(bytes, 8), load_le64(bytes));
    assert_int_equal(load_le_sized(bytes, 9), load_le64(bytes)); /* never past 8 */
}

static void test_sized_stores_write_only_the_low_bytes(void **state)
{
    uint8_t buf[10];

    memset(buf, 0xaa, sizeof(buf));
    store_le_sized(buf, 0xefcdab8967452301ull, 3);
    assert_memory_equal(buf, bytes, 3);
    assert_int_equal(buf[3], 0xaa);

    memset(buf, 0xaa, sizeof(buf));
    store_le_sized(buf, 0xefcdab8967452301ull, 9); /* never past 8 */
    assert_memory_equal(buf, bytes, 8);
    assert_int_equal(buf[8], 0xaa);
}

static void test_byte_swaps_reverse_the_bytes(void **state)
{
    assert_int_equal(bswap16(0x0123), 0x2301);
    assert_int_equal(bswap32(0x01234567), 0x67452301);
    assert_int_equal(bswap64(0x0123456789abcdefull), 0xefcdab8967452301ull);
    assert_int_equal(bswap32(bswap32(0xdeadbeef)), 0xdeadbeef);
}

static void test_sized_swaps_reverse_only_the_low_bytes(void **state)
{
    assert_int_equal(bswap_sized(0x12, 1), 0x12);
    assert_int_equal(bswap_sized(0x0123, 2), 0x2301);
    assert_int_equal(bswap_sized(0xffff01234567ull, 4), 0x67452301);
    assert_int_equal(bswap_sized(0x0123456789abcdefull, 8), 0xefcdab8967452301ull);
    assert_int_equal(bswap_sized(0x0123, 3), 0x0123); /* not a power of two: unchanged */
}

static void test_a_stored_value_loads_back_in_both_orders(void **state)
{
    uint8_t buf[8];

    for (uint64_t v = 1; v; v <<= 7) {
        uint64_t x = v * 0x9e3779b97f4a7c15ull;

        store_le64(buf, x);
        assert_int_equal(load_le64(buf), x);
        assert_int_equal(load_be64(buf), bswap64(x));
        store_be32(buf, (uint32_t)x);
        assert_int_equal(load_be32(buf), (uint32_t)x);
        assert_int_equal(load_le32(buf), bswap32((uint32_t)x));
        store_le16(buf, (uint16_t)x);
        assert_int_equal(load_be16(buf), bswap16((uint16_t)x));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_little_endian_loads_take_the_least_significant_byte_first),
        cmocka_unit_test(test_big_endian_loads_take_the_most_significant_byte_first),
        cmocka_unit_test(test_loads_work_at_unaligned_addresses),
        cmocka_unit_test(test_little_endian_stores_write_exactly_their_width),
        cmocka_unit_test(test_big_endian_stores_write_exactly_their_width),
        cmocka_unit_test(test_sized_loads_read_one_to_eight_bytes),
        cmocka_unit_test(test_sized_stores_write_only_the_low_bytes),
        cmocka_unit_test(test_byte_swaps_reverse_the_bytes),
        cmocka_unit_test(test_sized_swaps_reverse_only_the_low_bytes),
        cmocka_unit_test(test_a_stored_value_loads_back_in_both_orders),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
