/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the -d log tests run: a loop whose body (log_loop_body) executes 100
 * times, then three expected traps - an ecall (log_ecall), a load from an
 * unassigned address (log_bad_load, 0x2010000), and an all-zero parcel
 * (log_zero_word, c.unimp) - then passes.  The labels are global so the test finds
 * their addresses with nm. */
#include "isa.h"

TEST_BEGIN
    li TESTNUM, 1
    li t0, 100
    li t1, 0
    .globl log_loop_body
log_loop_body:
    addi t1, t1, 3
    addi t0, t0, -1
    bnez t0, log_loop_body
    li t6, 300
    FAIL_IF_NE(t1, t6)

    TEST_TRAP(2, CAUSE_ECALL_M, .globl log_ecall; log_ecall: ecall)
    TEST_TRAP(3, CAUSE_LOAD_ACCESS, li a0, UNMAPPED_ADDR; .globl log_bad_load; log_bad_load: lw a1, 0(a0))
    TEST_TRAP(4, CAUSE_ILLEGAL, .globl log_zero_word; log_zero_word: .half 0)
    TEST_PASS
