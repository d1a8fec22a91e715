/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Misaligned atomics trap (they are never done piecewise): every AMO and SC
 * with store/AMO address misaligned (cause 6), LR with load address
 * misaligned (cause 4), mtval = the address, memory unchanged. QEMU 7.2
 * reports cause 4 for AMOs and lets a misaligned SC without a matching
 * reservation fail silently (README.md); this program checks the spec. */
#include "isa.h"

    .data
    .balign 16
word:
    .dword 0x1111111111111111, 0x2222222222222222

TEST_BEGIN
    la s0, word
    li a2, 5
    addi s1, s0, 4
    TEST_TRAP(1, CAUSE_MISALIGNED_LOAD, lr.d a0, (s1))
    CHECK_TVAL(s1)
    addi s1, s0, 2
    TEST_TRAP(2, CAUSE_MISALIGNED_LOAD, lr.w a0, (s1))
    CHECK_TVAL(s1)
    addi s1, s0, 2
    TEST_TRAP(3, CAUSE_MISALIGNED_STORE, amoadd.w a0, a2, (s1))
    CHECK_TVAL(s1)
    addi s1, s0, 4
    TEST_TRAP(4, CAUSE_MISALIGNED_STORE, amoswap.d a0, a2, (s1))
    CHECK_TVAL(s1)
    addi s1, s0, 1
    TEST_TRAP(5, CAUSE_MISALIGNED_STORE, amomaxu.w a0, a2, (s1))
    CHECK_TVAL(s1)
    addi s1, s0, 4
    TEST_TRAP(6, CAUSE_MISALIGNED_STORE, sc.d a0, a2, (s1))
    CHECK_TVAL(s1)
    addi s1, s0, 4
    TEST_TRAP(7, CAUSE_MISALIGNED_STORE, lr.d a3, (s0); sc.d a0, a2, (s1))
    CHECK_TVAL(s1)
    TEST_CASE(8, a0, 0x1111111111111111, ld a0, 0(s0))
    TEST_CASE(9, a0, 0x2222222222222222, ld a0, 8(s0))
    TEST_PASS
