/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loads and stores of every width: lb/lh/lw sign-extend, lbu/lhu/lwu
 * zero-extend, negative and positive offsets, stores write exactly their width,
 * and misaligned loads and stores (also across a page) work without trapping
 * in M-mode, as on QEMU. */
#include "isa.h"

    .data
    .balign 4096
buf:
    .dword 0x8182838485868788, 0xf1f2f3f4f5f6f7f8
    .fill 4096 - 16, 1, 0
page2:
    .dword 0, 0

TEST_BEGIN
    la s0, buf
    TEST_CASE(1, a0, 0xffffffffffffff88, lb a0, 0(s0))
    TEST_CASE(2, a0, 0x88, lbu a0, 0(s0))
    TEST_CASE(3, a0, 0xffffffffffff8788, lh a0, 0(s0))
    TEST_CASE(4, a0, 0x8788, lhu a0, 0(s0))
    TEST_CASE(5, a0, 0xffffffff85868788, lw a0, 0(s0))
    TEST_CASE(6, a0, 0x85868788, lwu a0, 0(s0))
    TEST_CASE(7, a0, 0x8182838485868788, ld a0, 0(s0))
    TEST_CASE(8, a0, 0xfffffffffffffff1, addi s1, s0, 16; lb a0, -1(s1))
    TEST_CASE(9, a0, 0xf1f2, addi s1, s0, 16; lhu a0, -2(s1))
    TEST_CASE(10, a0, 0x7f, li a1, 0x7f; sb a1, 8(s0); lb a0, 8(s0))
    TEST_CASE(11, a0, 0xf1f2f3f4f5f6f77f, ld a0, 8(s0))
    TEST_CASE(12, a0, 0xf1f2f3f4f5f61234, li a1, 0xabcd1234; sh a1, 8(s0); ld a0, 8(s0))
    TEST_CASE(13, a0, 0xf1f2f3f4deadbeef, li a1, 0x11111111deadbeef; sw a1, 8(s0); ld a0, 8(s0))
    TEST_CASE(14, a0, 0x0123456789abcdef, li a1, 0x0123456789abcdef; sd a1, 8(s0); ld a0, 8(s0))
    TEST_CASE(15, a0, 0x7fff, li a1, 0x7fff; sh a1, 8(s0); lh a0, 8(s0))
    TEST_CASE(16, a0, 0x7fffffff, li a1, 0x7fffffff; sw a1, 8(s0); lw a0, 8(s0))
    /* misaligned: ld at +1 reads bytes 1..8 */
    li a1, 0x8182838485868788
    sd a1, 0(s0)
    li a1, 0xf1f2f3f4f5f6f7f8
    sd a1, 8(s0)
    TEST_CASE(17, a0, 0xf881828384858687, ld a0, 1(s0))
    TEST_CASE(18, a0, 0xfffffffff8818283, lw a0, 5(s0))
    TEST_CASE(19, a0, 0xffffffffffff8485, lh a0, 3(s0))
    TEST_CASE(20, a0, 0xfffffffffffff881, lh a0, 7(s0))
    TEST_CASE(21, a0, 0xf881, lhu a0, 7(s0))
    TEST_CASE(22, a0, 0xf8818283, lwu a0, 5(s0))
    /* misaligned stores */
    TEST_CASE(23, a0, 0x81828300aabbcc88, li a1, 0xaabbcc; sw a1, 1(s0); ld a0, 0(s0))
    TEST_CASE(24, a0, 0x1122334455667788, li a1, 0x1122334455667788; sd a1, 3(s0); ld a0, 3(s0))
    TEST_CASE(25, a0, 0xf5778833, li a1, 0x7788; sh a1, 9(s0); lwu a0, 8(s0))
    /* across the page boundary */
    la s1, page2
    TEST_CASE(26, a0, 0x0102030405060708, li a1, 0x0102030405060708; sd a1, -3(s1); ld a0, -3(s1))
    TEST_CASE(27, a0, 0x0708, lhu a0, -3(s1))
    TEST_CASE(28, a0, 0x02030405, lwu a0, 0(s1))
    TEST_CASE(29, a0, 0x06070800, lwu a0, -4(s1))
    TEST_CASE(30, a0, 0x04050607, lw a0, -2(s1))
    TEST_PASS
