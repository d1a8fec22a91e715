/* SPDX-License-Identifier: GPL-2.0-or-later */
/* M extension: mul/mulh/mulhu/mulhsu with negative and extreme operands,
 * division by zero (quotient all ones, remainder the dividend), the signed
 * overflow INT64_MIN / -1 (quotient INT64_MIN, remainder 0), and the *W forms
 * (low 32 bits of the operands, result sign-extended). */
#include "isa.h"

#define MIN 0x8000000000000000
#define MAX 0x7fffffffffffffff

TEST_BEGIN
    TEST_CASE(1, a0, 0xfffffffffffffffe, li a1, MAX; li a2, 2; mul a0, a1, a2)
    TEST_CASE(2, a0, 1, li a1, -1; li a2, -1; mul a0, a1, a2)
    TEST_CASE(3, a0, 0, li a1, -1; li a2, -1; mulh a0, a1, a2)
    TEST_CASE(4, a0, 0x4000000000000000, li a1, MIN; mulh a0, a1, a1)
    TEST_CASE(5, a0, 0, li a1, MIN; li a2, -1; mulh a0, a1, a2)
    TEST_CASE(6, a0, -1, li a1, -2; li a2, 3; mulh a0, a1, a2)
    TEST_CASE(7, a0, 0xfffffffffffffffe, li a1, -1; mulhu a0, a1, a1)
    TEST_CASE(8, a0, 2, li a1, MIN; li a2, 4; mulhu a0, a1, a2)
    TEST_CASE(9, a0, -1, li a1, -1; li a2, -1; mulhsu a0, a1, a2)
    TEST_CASE(10, a0, -1, li a1, MIN; li a2, 2; mulhsu a0, a1, a2)
    TEST_CASE(11, a0, 0x7ffffffffffffffe, li a1, MAX; li a2, -1; mulhsu a0, a1, a2)
    TEST_CASE(12, a0, 0, li a1, 5; li a2, -1; mulhsu a0, a1, zero)
    TEST_CASE(13, a0, 0xfffffffffffffffe, li a1, 0x7fffffff; li a2, 2; mulw a0, a1, a2)
    TEST_CASE(14, a0, 15, li a1, 0x100000003; li a2, 0x700000005; mulw a0, a1, a2)
    TEST_CASE(15, a0, 0xffffffff80000000, li a1, 0x40000000; li a2, 2; mulw a0, a1, a2)
    /* div / rem */
    TEST_CASE(16, a0, -3, li a1, 7; li a2, -2; div a0, a1, a2)
    TEST_CASE(17, a0, 1, li a1, 7; li a2, -2; rem a0, a1, a2)
    TEST_CASE(18, a0, -1, li a1, -7; li a2, 2; rem a0, a1, a2)
    TEST_CASE(19, a0, -1, li a1, 42; div a0, a1, zero)
    TEST_CASE(20, a0, 42, li a1, 42; rem a0, a1, zero)
    TEST_CASE(21, a0, -1, li a1, 42; divu a0, a1, zero)
    TEST_CASE(22, a0, MIN, li a1, MIN; remu a0, a1, zero)
    TEST_CASE(23, a0, MIN, li a1, MIN; li a2, -1; div a0, a1, a2)
    TEST_CASE(24, a0, 0, li a1, MIN; li a2, -1; rem a0, a1, a2)
    TEST_CASE(25, a0, 0, li a1, MIN; li a2, -1; divu a0, a1, a2)
    TEST_CASE(26, a0, MIN, li a1, MIN; li a2, -1; remu a0, a1, a2)
    TEST_CASE(27, a0, 0x7fffffffffffffff, li a1, -1; li a2, 2; divu a0, a1, a2)
    TEST_CASE(28, a0, 0, li a1, -1; li a2, 2; div a0, a1, a2)
    /* *W */
    TEST_CASE(29, a0, 0xffffffff80000000, li a1, 0x80000000; li a2, -1; divw a0, a1, a2)
    TEST_CASE(30, a0, 0, li a1, 0x80000000; li a2, -1; remw a0, a1, a2)
    TEST_CASE(31, a0, -1, li a1, 5; li a2, 0x100000000; divw a0, a1, a2)
    TEST_CASE(32, a0, 0xffffffff80000001, li a1, 0x180000001; remw a0, a1, zero)
    TEST_CASE(33, a0, 0x7fffffff, li a1, 0xffffffff; li a2, 2; divuw a0, a1, a2)
    TEST_CASE(34, a0, -1, li a1, 3; divuw a0, a1, zero)
    TEST_CASE(35, a0, 0xffffffff80000001, li a1, 0x80000001; remuw a0, a1, zero)
    TEST_CASE(36, a0, 0xfffffffffffffffe, li a1, 0x3fffffffe; li a2, 1; divuw a0, a1, a2)
    TEST_CASE(37, a0, -3, li a1, 0x700000007; li a2, -2; divw a0, a1, a2)
    TEST_CASE(38, a0, 1, li a1, 0x700000007; li a2, -2; remw a0, a1, a2)
    TEST_CASE(39, a0, 1, li a1, 0xffffffff; li a2, 0x1fffffffe; remuw a0, a1, a2)
    TEST_PASS
