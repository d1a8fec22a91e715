/* SPDX-License-Identifier: GPL-2.0-or-later */
/* C extension (RV64C): every compressed instruction, written with its c.
 * mnemonic so it is assembled as 16 bits, with immediates at their range
 * ends; c.jalr/c.jal links pc+2; c.ebreak traps with mepc = pc; the
 * all-zero parcel and reserved encodings (c.lui/c.addi16sp with immediate 0,
 * c.jr x0, c.ldsp x0) are illegal instructions with mtval = the parcel. */
#include "isa.h"

    .data
    .balign 16
mem:
    .dword 0x8877665544332211, 0x3ff8000000000000 /* 1.5 */, 0, 0

TEST_BEGIN
    .option push
    .option rvc
    la s0, mem
    mv s11, sp
    addi sp, sp, -128
    la a0, mem
    ld a1, 0(a0)
    sd a1, 0(sp)
    ld a1, 8(a0)
    sd a1, 8(sp)
    TEST_CASE(1, a0, 1020, c.addi4spn a0, sp, 1020; sub a0, a0, sp)
    TEST_CASE(2, a0, 4, c.addi4spn a0, sp, 4; sub a0, a0, sp)
    TEST_CASE(3, a0, 0xffffffff88776655, c.lw a0, 4(s0))
    TEST_CASE(4, a0, 0x8877665544332211, c.ld a0, 0(s0))
    TEST_CASE(5, a0, 0x3ff8000000000000, c.fld fa0, 8(s0); fmv.x.d a0, fa0)
    TEST_CASE(6, a0, 0x3ff8000000000000, c.fsd fa0, 16(s0); ld a0, 16(s0))
    TEST_CASE(7, a0, 0xabcdef01, li a1, 0x12345678abcdef01; c.sw a1, 24(s0); lwu a0, 24(s0))
    TEST_CASE(8, a0, 0x12345678abcdef01, c.sd a1, 16(s0); ld a0, 16(s0))
    TEST_CASE(9, a0, 7, li a0, 7; c.nop)
    TEST_CASE(10, a0, -25, li a0, 7; c.addi a0, -32)
    TEST_CASE(11, a0, 38, li a0, 7; c.addi a0, 31)
    TEST_CASE(12, a0, 0xffffffff80000000, li a0, 0x7fffffff; c.addiw a0, 1)
    TEST_CASE(13, a0, 0x12345678, li a0, 0xffffffff12345678; c.addiw a0, 0)
    TEST_CASE(14, a0, -32, c.li a0, -32)
    TEST_CASE(15, a0, 31, c.li a0, 31)
    TEST_CASE(16, a0, -512, mv a1, sp; c.addi16sp sp, -512; sub a0, sp, a1; mv sp, a1)
    TEST_CASE(17, a0, 496, mv a1, sp; c.addi16sp sp, 496; sub a0, sp, a1; mv sp, a1)
    TEST_CASE(18, a0, 0xfffffffffffe0000, c.lui a0, 0xfffe0)
    TEST_CASE(19, a0, 0x1f000, c.lui a0, 31)
    TEST_CASE(20, a0, 1, li a0, 0x8000000000000000; c.srli a0, 63)
    TEST_CASE(21, a0, -1, li a0, 0x8000000000000000; c.srai a0, 63)
    TEST_CASE(22, a0, 0xfffffffffffffff8, li a0, 0xffffffffffffff80; c.srai a0, 4)
    TEST_CASE(23, a0, 0x20, li a0, 0x3f; c.andi a0, -32)
    TEST_CASE(24, a0, 0x1f, li a0, 0x3f; c.andi a0, 31)
    TEST_CASE(25, a0, -3, li a0, 2; li a1, 5; c.sub a0, a1)
    TEST_CASE(26, a0, 6, li a0, 3; li a1, 5; c.xor a0, a1)
    TEST_CASE(27, a0, 7, li a0, 3; li a1, 5; c.or a0, a1)
    TEST_CASE(28, a0, 1, li a0, 3; li a1, 5; c.and a0, a1)
    TEST_CASE(29, a0, 0x7fffffff, li a0, 0x80000000; li a1, 1; c.subw a0, a1)
    TEST_CASE(30, a0, 0xffffffff80000000, li a0, 0x7fffffff; li a1, 0x100000001; c.addw a0, a1)
    TEST_CASE(31, a0, 0x8000000000000000, li a0, 1; c.slli a0, 63)
    TEST_CASE(32, a0, 0x8877665544332211, c.ldsp a0, 0(sp))
    TEST_CASE(33, a0, 0xffffffff88776655, c.lwsp a0, 4(sp))
    TEST_CASE(34, a0, 0x3ff8000000000000, c.fldsp fa1, 8(sp); fmv.x.d a0, fa1)
    TEST_CASE(35, a0, 0x3ff8000000000000, c.fsdsp fa1, 16(sp); ld a0, 16(sp))
    TEST_CASE(36, a0, 0xfffffffff0e0d0c0, li a1, 0xf0e0d0c0; c.swsp a1, 24(sp); lw a0, 24(sp))
    TEST_CASE(37, a0, 0x0102030405060708, li a1, 0x0102030405060708; c.sdsp a1, 504(sp); ld a0, 504(sp))
    TEST_CASE(38, a0, 0x5a, li a1, 0x5a; c.mv a0, a1)
    TEST_CASE(39, a0, 12, li a0, 5; li a1, 7; c.add a0, a1)
    /* control transfer */
    li TESTNUM, 40
    c.j 1f
    j fail_test
1:  li TESTNUM, 41
    li a0, 0
    c.beqz a0, 1f
    j fail_test
1:  li a0, 1
    c.beqz a0, fail_test_near
    c.bnez a0, 1f
    j fail_test
1:  li a0, 0
    c.bnez a0, fail_test_near
    li TESTNUM, 42
    la a1, 2f
    c.jr a1
    j fail_test
2:  li TESTNUM, 43
    la a1, 3f
    c.jalr a1
4:  j fail_test
3:  la a2, 4b
    FAIL_IF_NE(ra, a2)
    TEST_TRAP(44, CAUSE_BREAKPOINT, 5: c.ebreak)
    /* mtval: 0 (QEMU 7.2) or the pc, both allowed by the spec */
    la t5, trap_tval
    ld t6, 0(t5)
    beqz t6, 6f
    la a1, 5b
    FAIL_IF_NE(t6, a1)
6:  la a1, trap_epc
    ld a1, 0(a1)
    la a2, 5b
    FAIL_IF_NE(a1, a2)
    TEST_TRAP(45, CAUSE_ILLEGAL, .hword 0)
    CHECK_TVAL(zero)
    /* reserved encodings: mtval = the 16-bit parcel */
    TEST_TRAP(46, CAUSE_ILLEGAL, .hword 0x6501) /* c.lui a0, 0 */
    li a1, 0x6501
    CHECK_TVAL(a1)
    TEST_TRAP(47, CAUSE_ILLEGAL, .hword 0x6101) /* c.addi16sp sp, 0 */
    li a1, 0x6101
    CHECK_TVAL(a1)
    TEST_TRAP(48, CAUSE_ILLEGAL, .hword 0x8002) /* c.jr zero */
    li a1, 0x8002
    CHECK_TVAL(a1)
    TEST_TRAP(49, CAUSE_ILLEGAL, .hword 0x6002) /* c.ldsp zero, 0(sp) */
    li a1, 0x6002
    CHECK_TVAL(a1)
    mv sp, s11
    .option pop
    TEST_PASS
fail_test_near:
    j fail_test
