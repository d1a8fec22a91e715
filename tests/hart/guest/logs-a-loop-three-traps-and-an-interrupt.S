/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the -d log tests run: a loop whose body (log_loop_body) executes 100
 * times, then three expected traps - an ecall (log_ecall), a load from an
 * unassigned address (log_bad_load, 0x2010000), and an all-zero parcel
 * (log_zero_word, c.unimp) - and a machine software interrupt taken at
 * log_after_mie, then passes.  The labels are global so the test finds
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

    /* Case 5: a machine software interrupt, raised through msip and taken when
     * mstatus.MIE is set: at log_after_mie, the instruction after the csrs. */
    li TESTNUM, 5
    la t0, irq_hook
    la t1, clear_msip
    sd t1, 0(t0)
    li t0, MIP_MSIP
    csrs mie, t0
    li t0, CLINT_MSIP
    li t1, 1
    sw t1, 0(t0)
    csrsi mstatus, MSTATUS_MIE
    .globl log_after_mie
log_after_mie:
    csrci mstatus, MSTATUS_MIE
    la t0, irq_count
    ld t1, 0(t0)
    li t6, 1
    FAIL_IF_NE(t1, t6)
    TEST_PASS

/* irq_hook: the interrupt's source is msip; clear it. */
clear_msip:
    li t0, CLINT_MSIP
    sw zero, 0(t0)
    ret
