/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A loop of 10 iterations whose second 32-bit instruction (cross_insn) starts
 * 2 bytes before a page boundary, so its encoding spans two pages.  Checks
 * that it ran each time (t1 = 20), then passes.  For the -d in_asm test: the
 * instruction must be logged once, as every other. */
#include "isa.h"

TEST_BEGIN
    li TESTNUM, 1
    li t0, 10
    li t1, 0
    call cross_loop
    li t6, 20
    FAIL_IF_NE(t1, t6)
    TEST_PASS

    .balign 4096
    .space 4096 - 8 /* never executed */
    .globl cross_loop
cross_loop:
    .option push
    .option norvc
    addi t1, t1, 1 /* page offset 0xff8 */
    .option rvc
    c.nop /* 0xffc */
    .option norvc
    .globl cross_insn
cross_insn:
    addi t1, t1, 1 /* 0xffe: crosses into the next page */
    addi t0, t0, -1
    bnez t0, cross_loop
    .option pop
    ret
