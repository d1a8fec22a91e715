/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A extension: LR/SC success, SC without a reservation fails and stores
 * nothing, SC to another address fails, a successful SC ends the
 * reservation; every AMO in .w (sign-extended old value, low 32 bits of rs2)
 * and .d, with amomin/amomax signed and unsigned. Misaligned AMOs are in
 * misaligned-amo-and-sc-trap-with-cause-6-and-lr-with-cause-4.S. */
#include "isa.h"

#define MIN 0x8000000000000000
#define MAX 0x7fffffffffffffff

    .data
    .balign 4096
word:
    .dword 0, 0
    .fill 4096, 1, 0
far:
    .dword 0

TEST_BEGIN
    la s0, word
    la s1, far
    /* LR/SC */
    TEST_CASE(1, a0, 0, li a1, 0x1111; sd a1, 0(s0); lr.d a2, (s0); li a3, 0x2222; sc.d a0, a3, (s0))
    TEST_CASE(2, a0, 0x2222, ld a0, 0(s0))
    TEST_CASE(3, a2, 0x1111, nop)
    TEST_CASE(4, a0, 1, li a3, 0x3333; sc.d a4, a3, (s0); snez a0, a4)
    TEST_CASE(44, a0, 0x2222, ld a0, 0(s0))
    TEST_CASE(5, a0, 0xffffffff80000000, li a1, 0x80000000; sw a1, 0(s0); lr.w a0, (s0))
    TEST_CASE(6, a0, 0, lr.w a2, (s0); li a3, 7; sc.w a0, a3, (s0))
    TEST_CASE(7, a0, 7, lw a0, 0(s0))
    TEST_CASE(8, a0, 0, sd zero, 0(s1); lr.d a2, (s0); li a3, 9; sc.d a4, a3, (s1); snez a0, a4; xori a0, a0, 1)
    TEST_CASE(9, a0, 0, ld a0, 0(s1))
    TEST_CASE(10, a0, 1, lr.w a2, (s0); sc.w a4, a3, (s0); sc.w a5, a3, (s0); snez a0, a5; add a0, a0, a4)
    /* AMO .w: old value sign-extended, memory gets the 32-bit result */
    TEST_CASE(11, a0, 0xffffffff80000000, li a1, 0x80000000; sw a1, 0(s0); li a2, 1; amoswap.w a0, a2, (s0))
    TEST_CASE(12, a0, 1, lw a0, 0(s0))
    TEST_CASE(13, a0, 0x7fffffff, li a1, 0x7fffffff; sw a1, 0(s0); li a2, 0x500000001; amoadd.w a0, a2, (s0))
    TEST_CASE(14, a0, 0xffffffff80000000, lw a0, 0(s0))
    TEST_CASE(15, a0, 0, lw a0, 4(s0))
    TEST_CASE(16, a0, 0x0f00, li a1, 0xff00; sw a1, 0(s0); li a2, 0x0ff0; amoand.w a3, a2, (s0); lw a0, 0(s0))
    TEST_CASE(17, a0, 0xfff0, li a1, 0xff00; sw a1, 0(s0); amoor.w a3, a2, (s0); lw a0, 0(s0))
    TEST_CASE(18, a0, 0xf0f0, li a1, 0xff00; sw a1, 0(s0); amoxor.w a3, a2, (s0); lw a0, 0(s0))
    TEST_CASE(19, a0, -1, li a1, -1; sw a1, 0(s0); li a2, 1; amomin.w a3, a2, (s0); lw a0, 0(s0))
    TEST_CASE(20, a0, 1, li a1, -1; sw a1, 0(s0); li a2, 1; amominu.w a3, a2, (s0); lw a0, 0(s0))
    TEST_CASE(21, a0, 1, li a1, -1; sw a1, 0(s0); li a2, 1; amomax.w a3, a2, (s0); lw a0, 0(s0))
    TEST_CASE(22, a0, -1, li a1, -1; sw a1, 0(s0); li a2, 1; amomaxu.w a3, a2, (s0); lw a0, 0(s0))
    TEST_CASE(23, a3, -1, nop)
    /* rs2's upper half is ignored: 0xffffffff_00000005 is 5 for .w */
    TEST_CASE(24, a0, 5, li a1, 9; sw a1, 0(s0); li a2, 0xffffffff00000005; amomin.w a3, a2, (s0); lw a0, 0(s0))
    TEST_CASE(25, a0, 0xffffffff80000000, li a1, 0x80000000; sw a1, 0(s0); li a2, 0x7fffffff; amomin.w a3, a2, (s0); lw a0, 0(s0))
    TEST_CASE(26, a0, 0x7fffffff, li a1, 0x80000000; sw a1, 0(s0); li a2, 0x7fffffff; amominu.w a3, a2, (s0); lw a0, 0(s0))
    /* AMO .d */
    TEST_CASE(27, a0, MIN, li a1, MIN; sd a1, 0(s0); li a2, 5; amoswap.d a0, a2, (s0))
    TEST_CASE(28, a0, 5, ld a0, 0(s0))
    TEST_CASE(29, a0, MIN, li a1, MAX; sd a1, 0(s0); li a2, 1; amoadd.d a3, a2, (s0); ld a0, 0(s0))
    TEST_CASE(30, a3, MAX, nop)
    TEST_CASE(31, a0, 0x00f0, li a1, 0xff0; sd a1, 0(s0); li a2, 0xffffffff000000ff; amoand.d a3, a2, (s0); ld a0, 0(s0))
    TEST_CASE(32, a0, 0xffffffff00000fff, li a1, 0xff0; sd a1, 0(s0); amoor.d a3, a2, (s0); ld a0, 0(s0))
    TEST_CASE(33, a0, 0xffffffff00000f0f, li a1, 0xff0; sd a1, 0(s0); amoxor.d a3, a2, (s0); ld a0, 0(s0))
    TEST_CASE(34, a0, MIN, li a1, MIN; sd a1, 0(s0); li a2, MAX; amomin.d a3, a2, (s0); ld a0, 0(s0))
    TEST_CASE(35, a0, MAX, li a1, MIN; sd a1, 0(s0); li a2, MAX; amominu.d a3, a2, (s0); ld a0, 0(s0))
    TEST_CASE(36, a0, MAX, li a1, MIN; sd a1, 0(s0); li a2, MAX; amomax.d a3, a2, (s0); ld a0, 0(s0))
    TEST_CASE(37, a0, MIN, li a1, MIN; sd a1, 0(s0); li a2, MAX; amomaxu.d a3, a2, (s0); ld a0, 0(s0))
    TEST_CASE(38, a0, MIN, mv a0, a3)
    /* rd = x0 still writes memory */
    TEST_CASE(39, a0, 12, li a1, 5; sd a1, 0(s0); li a2, 7; amoadd.d zero, a2, (s0); ld a0, 0(s0))
    TEST_PASS
