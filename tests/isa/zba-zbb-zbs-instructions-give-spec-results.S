/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Zba, Zbb and Zbs: every instruction, with the *.uw zero-extension, the *W
 * forms' sign extension, counts of 0 and of all ones, and bit indexes masked
 * to 6 bits. */
#include "isa.h"

#define MIN 0x8000000000000000
#define MAX 0x7fffffffffffffff

TEST_BEGIN
    /* Zba */
    TEST_CASE(1, a0, 0x100000005, li a1, 0xffffffff; li a2, 6; add.uw a0, a1, a2)
    TEST_CASE(2, a0, 0x80000000, li a1, 0xffffffff80000000; zext.w a0, a1)
    TEST_CASE(3, a0, 0x107, li a1, 0x80; li a2, 7; sh1add a0, a1, a2)
    TEST_CASE(4, a0, 0x207, li a1, 0x80; li a2, 7; sh2add a0, a1, a2)
    TEST_CASE(5, a0, 0x407, li a1, 0x80; li a2, 7; sh3add a0, a1, a2)
    TEST_CASE(6, a0, 0x1ffffffff, li a1, 0xffffffffffffffff; li a2, 1; sh1add.uw a0, a1, a2)
    TEST_CASE(7, a0, 0x3fffffffd, li a1, 0x12345678ffffffff; li a2, 1; sh2add.uw a0, a1, a2)
    TEST_CASE(8, a0, 0xb00000000, li a1, 0x12345678f0000000; li a2, 0x380000000; sh3add.uw a0, a1, a2)
    TEST_CASE(9, a0, 0x1fffffffe, li a1, 0xffffffffffffffff; slli.uw a0, a1, 1)
    TEST_CASE(10, a0, 0x8000000000000000, li a1, 0x80000001; slli.uw a0, a1, 63)
    /* Zbb logic with negation */
    TEST_CASE(11, a0, 0xf0, li a1, 0xff; li a2, 0x0f; andn a0, a1, a2)
    TEST_CASE(12, a0, 0xfffffffffffffff0 | 0xff, li a1, 0xff; li a2, 0x0f; orn a0, a1, a2)
    TEST_CASE(13, a0, 0xffffffffffffff0f, li a1, 0xff; li a2, 0x0f; xnor a0, a1, a2)
    /* counts */
    TEST_CASE(14, a0, 64, clz a0, zero)
    TEST_CASE(15, a0, 0, li a1, MIN; clz a0, a1)
    TEST_CASE(16, a0, 31, li a1, 0xffffffff00000001; clzw a0, a1)
    TEST_CASE(17, a0, 32, li a1, 0xffffffff00000000; clzw a0, a1)
    TEST_CASE(18, a0, 64, ctz a0, zero)
    TEST_CASE(19, a0, 63, li a1, MIN; ctz a0, a1)
    TEST_CASE(20, a0, 32, li a1, 0xffffffff00000000; ctzw a0, a1)
    TEST_CASE(21, a0, 31, li a1, 0x80000000; ctzw a0, a1)
    TEST_CASE(22, a0, 64, li a1, -1; cpop a0, a1)
    TEST_CASE(23, a0, 0, cpop a0, zero)
    TEST_CASE(24, a0, 3, li a1, 0xffffffff00010101; cpopw a0, a1)
    /* min/max */
    TEST_CASE(25, a0, 1, li a1, -1; li a2, 1; max a0, a1, a2)
    TEST_CASE(26, a0, -1, li a1, -1; li a2, 1; maxu a0, a1, a2)
    TEST_CASE(27, a0, -1, li a1, -1; li a2, 1; min a0, a1, a2)
    TEST_CASE(28, a0, 1, li a1, -1; li a2, 1; minu a0, a1, a2)
    TEST_CASE(29, a0, MIN, li a1, MIN; li a2, MAX; min a0, a1, a2)
    /* sign/zero extension */
    TEST_CASE(30, a0, 0xffffffffffffff80, li a1, 0x1280; sext.b a0, a1)
    TEST_CASE(31, a0, 0x7f, li a1, 0xffffff7f; sext.b a0, a1)
    TEST_CASE(32, a0, 0xffffffffffff8000, li a1, 0x18000; sext.h a0, a1)
    TEST_CASE(33, a0, 0x8000, li a1, 0xffffffffffff8000; zext.h a0, a1)
    /* rotates */
    TEST_CASE(34, a0, 0x0000000000000003, li a1, 0x8000000000000001; li a2, 1; rol a0, a1, a2)
    TEST_CASE(35, a0, 0xc000000000000000, li a1, 0x8000000000000001; li a2, 65; ror a0, a1, a2)
    TEST_CASE(36, a0, 0x1000000000000000 | 0x0234567, li a1, 0x2345671; rori a0, a1, 4)
    TEST_CASE(37, a0, 0xffffffff80000000, li a1, 0x1; li a2, 33; rorw a0, a1, a2)
    TEST_CASE(38, a0, 3, li a1, 0xffffffff80000001; li a2, 1; rolw a0, a1, a2)
    TEST_CASE(39, a0, 0x12345678, li a1, 0x23456781; roriw a0, a1, 4)
    TEST_CASE(40, a0, 0xffffffff81234567, li a1, 0x12345678; roriw a0, a1, 4)
    TEST_CASE(41, a0, 0x1234567, li a1, 0x12345670; li a2, 36; rorw a0, a1, a2)
    /* orc.b, rev8 */
    TEST_CASE(42, a0, 0xff00ff0000ffff00, li a1, 0x0100800000401000; orc.b a0, a1)
    TEST_CASE(43, a0, 0x0807060504030201, li a1, 0x0102030405060708; rev8 a0, a1)
    /* Zbs */
    TEST_CASE(44, a0, 0x7fffffffffffffff, li a1, -1; li a2, 63; bclr a0, a1, a2)
    TEST_CASE(45, a0, 0xfffffffffffffffe, li a1, -1; li a2, 64; bclr a0, a1, a2)
    TEST_CASE(46, a0, 0xffffffffffffffef, li a1, -1; bclri a0, a1, 4)
    TEST_CASE(47, a0, 1, li a1, MIN; li a2, 127; bext a0, a1, a2)
    TEST_CASE(48, a0, 0, li a1, MIN; bexti a0, a1, 62)
    TEST_CASE(49, a0, 1, li a1, 0x100000000; bexti a0, a1, 32)
    TEST_CASE(50, a0, MIN | 1, li a1, 1; li a2, 63; binv a0, a1, a2)
    TEST_CASE(51, a0, 0, li a1, 1; binvi a0, a1, 0)
    TEST_CASE(52, a0, 0x80000000, li a2, 31; bset a0, zero, a2)
    TEST_CASE(53, a0, 0x100000000, bseti a0, zero, 32)
    TEST_PASS
