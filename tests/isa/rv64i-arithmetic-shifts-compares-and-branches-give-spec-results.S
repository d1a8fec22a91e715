/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RV64I integer computation with edge values: add/sub overflow wrap, logic,
 * shifts by 0/63 and the shamt masking, *W sign extension, compares, every
 * branch taken and not taken, jal/jalr link values, lui/auipc. */
#include "isa.h"

#define MIN 0x8000000000000000
#define MAX 0x7fffffffffffffff

TEST_BEGIN
    TEST_CASE(1, a0, 0, li a1, -1; li a2, 1; add a0, a1, a2)
    TEST_CASE(2, a0, MIN, li a1, MAX; li a2, 1; add a0, a1, a2)
    TEST_CASE(3, a0, MAX, li a1, MIN; li a2, 1; sub a0, a1, a2)
    TEST_CASE(4, a0, -2048, li a1, 0; addi a0, a1, -2048)
    TEST_CASE(5, a0, 2047, li a1, 0; addi a0, a1, 2047)
    TEST_CASE(6, a0, MIN, li a1, 0; li a2, MIN; sub a0, a1, a2)
    /* *W: 32-bit result sign-extended */
    TEST_CASE(7, a0, 0xffffffff80000000, li a1, 0x7fffffff; addiw a0, a1, 1)
    TEST_CASE(8, a0, 0, li a1, 0xffffffff; addiw a0, a1, 1)
    TEST_CASE(9, a0, 0x7fffffff, li a1, 0x80000000; li a2, 1; subw a0, a1, a2)
    TEST_CASE(10, a0, 0xffffffff80000000, li a1, 0x123456780000000; li a2, 0x7fffffff; li a3, 1; addw a0, a2, a3)
    TEST_CASE(11, a0, -1, li a1, 0x1ffffffff; addiw a0, a1, 0)
    TEST_CASE(12, a0, 0x12345678, li a1, 0xabcdef0012345678; sext.w a0, a1)
    /* logic */
    TEST_CASE(13, a0, 0x0ff0, li a1, 0xff00ff0; li a2, 0x0000fff0; and a0, a1, a2)
    TEST_CASE(14, a0, 0xff0fff0, li a1, 0xff00ff0; li a2, 0x0000fff0; or a0, a1, a2)
    TEST_CASE(15, a0, 0xff0f000, li a1, 0xff00ff0; li a2, 0x0000fff0; xor a0, a1, a2)
    TEST_CASE(16, a0, 0xfffffffffffff00f, li a1, 0xff0; xori a0, a1, -1)
    TEST_CASE(17, a0, 0x7f0, li a1, 0xff0; andi a0, a1, 0x7ff)
    TEST_CASE(18, a0, 0xfffffffffffff8f0, li a1, 0xf0; ori a0, a1, -0x800)
    /* shifts */
    TEST_CASE(19, a0, MIN, li a1, 1; slli a0, a1, 63)
    TEST_CASE(20, a0, 1, li a1, MIN; srli a0, a1, 63)
    TEST_CASE(21, a0, -1, li a1, MIN; srai a0, a1, 63)
    TEST_CASE(22, a0, MIN, li a1, 1; li a2, 0x7f; sll a0, a1, a2)
    TEST_CASE(23, a0, 1, li a1, MIN; li a2, -1; srl a0, a1, a2)
    TEST_CASE(24, a0, 0xc000000000000000, li a1, MIN; li a2, 65; sra a0, a1, a2)
    TEST_CASE(25, a0, 0x1234, li a1, 0x1234; li a2, 64; sll a0, a1, a2)
    TEST_CASE(26, a0, 0xffffffff80000000, li a1, 1; slliw a0, a1, 31)
    TEST_CASE(27, a0, 1, li a1, 0xffffffff80000000; srliw a0, a1, 31)
    TEST_CASE(28, a0, -1, li a1, 0x80000000; sraiw a0, a1, 31)
    TEST_CASE(29, a0, 0x7fffffff, li a1, 0xfffffffffffffffe; srliw a0, a1, 1)
    TEST_CASE(30, a0, 0xffffffff80000000, li a1, 1; li a2, 63; sllw a0, a1, a2)
    TEST_CASE(31, a0, 0xffffffffffffffff, li a1, 0x80000000; li a2, 0x3f; sraw a0, a1, a2)
    TEST_CASE(32, a0, 1, li a1, 0x80000000; li a2, 0x3f; srlw a0, a1, a2)
    TEST_CASE(33, a0, 0x12345678, li a1, 0xffffffff12345678; li a2, 32; srlw a0, a1, a2)
    TEST_CASE(34, a0, 0, li a1, 0x100000000; slliw a0, a1, 0)
    /* compares */
    TEST_CASE(35, a0, 1, li a1, MIN; li a2, MAX; slt a0, a1, a2)
    TEST_CASE(36, a0, 0, li a1, MIN; li a2, MAX; sltu a0, a1, a2)
    TEST_CASE(37, a0, 1, li a1, -1; slti a0, a1, 0)
    TEST_CASE(38, a0, 0, li a1, -1; sltiu a0, a1, -2)
    TEST_CASE(39, a0, 1, li a1, -2; sltiu a0, a1, -1)
    TEST_CASE(40, a0, 1, li a1, 0; sltiu a0, a1, 1)
    TEST_CASE(41, a0, 0, li a1, 5; slt a0, a1, a1)
    TEST_CASE(42, a0, 1, li a1, 0; li a2, 1; sltu a0, zero, a2)
    /* x0 stays zero */
    TEST_CASE(43, zero, 0, li a1, 5; addi zero, a1, 1)
    /* lui / auipc */
    TEST_CASE(44, a0, 0xffffffff80000000, lui a0, 0x80000)
    TEST_CASE(45, a0, 0x7ffff000, lui a0, 0x7ffff)
    TEST_CASE(46, a0, 0, la a1, 1f; 1: auipc a2, 0; sub a0, a2, a1)
    TEST_CASE(47, a0, 0xfffffffffffff000, 1: auipc a1, 0x1; auipc a2, 0; sub a0, a2, a1; addi a0, a0, -4)

    /* branches: taken and not taken (a0 counts correct decisions) */
    li TESTNUM, 48
    li a0, 0
    li a1, -1
    li a2, 1
    beq a1, a1, 1f
    j fail_test
1:  beq a1, a2, fail_test_far
    bne a1, a2, 1f
    j fail_test
1:  bne a1, a1, fail_test_far
    blt a1, a2, 1f
    j fail_test
1:  blt a2, a1, fail_test_far
    blt a1, a1, fail_test_far
    bge a2, a1, 1f
    j fail_test
1:  bge a1, a1, 1f
    j fail_test
1:  bge a1, a2, fail_test_far
    bltu a2, a1, 1f
    j fail_test
1:  bltu a1, a2, fail_test_far
    bltu a1, a1, fail_test_far
    bgeu a1, a2, 1f
    j fail_test
1:  bgeu a2, a2, 1f
    j fail_test
1:  bgeu a2, a1, fail_test_far
    li a3, MIN
    li a4, MAX
    blt a3, a4, 1f
    j fail_test
1:  bltu a4, a3, 1f
    j fail_test
1:
    /* jal links pc+4; jalr clears bit 0 of the target and links pc+4 */
    li TESTNUM, 49
    jal a0, 2f
1:  j fail_test
2:  la a1, 1b
    FAIL_IF_NE(a0, a1)
    li TESTNUM, 50
    la a1, 3f
    addi a1, a1, 1
    jalr a0, 0(a1)
1:  j fail_test
3:  la a2, 1b
    FAIL_IF_NE(a0, a2)
    li TESTNUM, 51
    la a1, 4f
    addi a1, a1, 8
    jalr a1, -8(a1) /* rd == rs1: the target uses the old value */
    j fail_test
4:  li TESTNUM, 52
    la a1, 5f
    jalr zero, 0(a1)
    j fail_test
5:  TEST_PASS

fail_test_far:
    j fail_test
