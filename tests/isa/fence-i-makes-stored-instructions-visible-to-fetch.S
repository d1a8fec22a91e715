/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Self-modifying code: instructions stored to memory run after fence.i,
 * and rewriting code that has already run (so an emulator has it cached)
 * takes effect after the next fence.i, for 32-bit and 16-bit encodings, and
 * for code patched in the middle of a routine. */
#include "isa.h"

#define ADDI_A0_1 0x00100513 /* addi a0, zero, 1 */
#define ADDI_A0_2 0x00200513 /* addi a0, zero, 2 */
#define RET 0x00008067       /* jalr zero, 0(ra) */
#define C_LI_A0_5 0x4515     /* c.li a0, 5 */
#define C_LI_A0_9 0x4525     /* c.li a0, 9 */
#define C_JR_RA 0x8082       /* c.jr ra */
#define ADDI_A0_A0_100 0x06450513 /* addi a0, a0, 100 */
#define ADDI_A0_A0_7 0x00750513   /* addi a0, a0, 7 */

    .data
    .balign 4096
code:
    .space 64

TEST_BEGIN
    la s0, code
    li t0, ADDI_A0_1
    sw t0, 0(s0)
    li t0, RET
    sw t0, 4(s0)
    fence.i
    TEST_CASE(1, a0, 1, li a0, 0; jalr ra, 0(s0))
    TEST_CASE(2, a0, 1, li a0, 0; jalr ra, 0(s0))
    li t0, ADDI_A0_2
    sw t0, 0(s0)
    fence.i
    TEST_CASE(3, a0, 2, li a0, 0; jalr ra, 0(s0))
    /* 16-bit instructions */
    li t0, C_LI_A0_5 | (C_JR_RA << 16)
    sw t0, 8(s0)
    fence.i
    addi s1, s0, 8
    TEST_CASE(4, a0, 5, li a0, 0; jalr ra, 0(s1))
    li t0, C_LI_A0_9
    sh t0, 8(s0)
    fence.i
    TEST_CASE(5, a0, 9, li a0, 0; jalr ra, 0(s1))
    /* patch the middle of a three-instruction routine */
    li t0, ADDI_A0_1
    sw t0, 16(s0)
    li t0, ADDI_A0_A0_100
    sw t0, 20(s0)
    li t0, RET
    sw t0, 24(s0)
    fence.i
    addi s1, s0, 16
    TEST_CASE(6, a0, 101, li a0, 0; jalr ra, 0(s1))
    li t0, ADDI_A0_A0_7
    sw t0, 20(s0)
    fence.i
    TEST_CASE(7, a0, 8, li a0, 0; jalr ra, 0(s1))
    /* a byte-wise rewrite (addi a0, zero, 1 -> 2 through its imm byte) */
    li t0, 0x20
    sb t0, 18(s0)
    fence.i
    TEST_CASE(8, a0, 9, li a0, 0; jalr ra, 0(s1))
    TEST_PASS
