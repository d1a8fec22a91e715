/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Delegation: with medeleg/mideleg bits set, exceptions from U and S and the
 * supervisor software interrupt go to stvec with scause/stval/sepc and
 * sstatus.SPP/SPIE set, and sret returns; exceptions in M-mode are never
 * delegated (not even ecall from M with medeleg bit 11 set, which QEMU 7.2
 * lets software set); a cause whose medeleg bit is clear still goes to M; an
 * S-mode interrupt is not taken while the hart is in M-mode. */
#include "isa.h"

#define CHECK_S(cause_reg_val, tval_reg)                                                           \
    la t5, s_cause;                                                                                \
    ld t6, 0(t5);                                                                                  \
    li t5, cause_reg_val;                                                                          \
    FAIL_IF_NE(t5, t6);                                                                            \
    la t5, s_tval;                                                                                 \
    ld t6, 0(t5);                                                                                  \
    FAIL_IF_NE(tval_reg, t6)

#define CLEAR_S                                                                                    \
    la t5, s_cause;                                                                                \
    li t6, -1;                                                                                     \
    sd t6, 0(t5)

TEST_BEGIN
    la t0, s_handler
    csrw stvec, t0
    la t0, s_stack_top
    csrw sscratch, t0
    li t0, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_LOAD_ACCESS) | (1 << CAUSE_ECALL_M)
    csrw medeleg, t0
    TEST_CASE(1, a0, 1 << CAUSE_ECALL_U, csrr a0, medeleg; li a1, 1 << CAUSE_ECALL_U; and a0, a0, a1)
    li t0, MIP_SSIP
    csrw mideleg, t0
    /* U-mode ecall -> S handler */
    li a0, PRV_U
    call goto_priv
    li TESTNUM, 2
    CLEAR_S
    li a7, 0
8:  ecall
    CHECK_S(CAUSE_ECALL_U, zero)
    la t5, s_epc
    ld t6, 0(t5)
    la t5, 8b
    FAIL_IF_NE(t5, t6)
    li TESTNUM, 3
    la t5, s_status
    ld t6, 0(t5)
    andi t6, t6, MSTATUS_SPP
    FAIL_IF_NE(t6, zero)
    /* U-mode illegal instruction -> S handler with stval = encoding */
    li TESTNUM, 4
    CLEAR_S
8:  .word 0x0000007b
    li a1, 0x7b
    CHECK_S(CAUSE_ILLEGAL, a1)
    /* a load access fault from U -> S with stval = the address */
    li TESTNUM, 5
    CLEAR_S
    li a1, UNMAPPED_ADDR
    ld a0, 0(a1)
    CHECK_S(CAUSE_LOAD_ACCESS, a1)
    /* not delegated: a store access fault goes to M (which resumes in M at
     * 9f: ecall from U is delegated, so goto_m would not reach M) */
    li TESTNUM, 6
    CLEAR_S
    la t5, trap_expect
    li t6, 1
    sd t6, 0(t5)
    la t5, trap_resume
    la t6, 9f
    sd t6, 0(t5)
    sd a0, 0(a1)
    j fail_test
9:  la t5, trap_cause
    ld t6, 0(t5)
    li t5, CAUSE_STORE_ACCESS
    FAIL_IF_NE(t5, t6)
    la t5, trap_mpp
    ld t6, 0(t5)
    FAIL_IF_NE(t6, zero)
    la t5, s_cause
    ld t6, 0(t5)
    li t5, -1
    FAIL_IF_NE(t5, t6)
    /* from here on ecall from U stays in M, so goto_m works */
    li t0, 1 << CAUSE_ECALL_U
    csrc medeleg, t0
    /* S-mode ebreak -> S handler with SPP = 1 */
    li a0, PRV_S
    call goto_priv
    li TESTNUM, 7
    CLEAR_S
8:  ebreak
    la t5, s_cause
    ld t6, 0(t5)
    li t5, CAUSE_BREAKPOINT
    FAIL_IF_NE(t5, t6)
    la t5, s_status
    ld t6, 0(t5)
    andi t6, t6, MSTATUS_SPP
    li t5, MSTATUS_SPP
    FAIL_IF_NE(t5, t6)
    /* the supervisor software interrupt, delegated, taken in S when SIE */
    li TESTNUM, 8
    CLEAR_S
    csrsi sie, MIP_SSIP
    csrsi sip, MIP_SSIP
    csrsi sstatus, MSTATUS_SIE
    nop
    nop
    csrci sstatus, MSTATUS_SIE
    la t5, s_cause
    ld t6, 0(t5)
    li t5, 0x8000000000000001
    FAIL_IF_NE(t5, t6)
    /* SPIE held SIE=1 at the trap and sret restored it */
    li TESTNUM, 9
    la t5, s_status
    ld t6, 0(t5)
    andi t6, t6, MSTATUS_SPIE | MSTATUS_SIE
    li t5, MSTATUS_SPIE
    FAIL_IF_NE(t5, t6)
    call goto_m
    /* M-mode exceptions are never delegated */
    li TESTNUM, 10
    CLEAR_S
    TEST_TRAP(10, CAUSE_ILLEGAL, .word 0x0000007b)
    la t5, s_cause
    ld t6, 0(t5)
    li t5, -1
    FAIL_IF_NE(t5, t6)
    TEST_TRAP(11, CAUSE_ECALL_M, li a7, 0; ecall)
    /* an S-mode interrupt pending in M-mode is not taken in M */
    li TESTNUM, 12
    CLEAR_S
    csrsi mstatus, MSTATUS_SIE
    csrsi sip, MIP_SSIP
    nop
    csrci sip, MIP_SSIP
    csrci mstatus, MSTATUS_SIE
    la t5, s_cause
    ld t6, 0(t5)
    li t5, -1
    FAIL_IF_NE(t5, t6)
    TEST_PASS

/* S-mode trap handler: records scause, stval, sepc, sstatus; clears SSIP
 * for the interrupt, skips a 32-bit or 16-bit instruction for exceptions. */
    .balign 4
s_handler:
    csrrw sp, sscratch, sp
    addi sp, sp, -32
    sd t0, 0(sp)
    sd t1, 8(sp)
    la t0, s_cause
    csrr t1, scause
    sd t1, 0(t0)
    csrr t1, stval
    sd t1, 8(t0)
    csrr t1, sepc
    sd t1, 16(t0)
    csrr t1, sstatus
    sd t1, 24(t0)
    csrr t1, scause
    bltz t1, 1f
    csrr t0, sepc
    lhu t1, 0(t0)
    andi t1, t1, 3
    addi t0, t0, 2
    addi t1, t1, -3
    bnez t1, 2f
    addi t0, t0, 2
2:  csrw sepc, t0
    j 3f
1:  csrci sip, MIP_SSIP
3:  ld t0, 0(sp)
    ld t1, 8(sp)
    addi sp, sp, 32
    csrrw sp, sscratch, sp
    sret

    .data
    .balign 8
s_cause: .dword 0
s_tval: .dword 0
s_epc: .dword 0
s_status: .dword 0
    .bss
    .balign 16
s_stack: .space 1024
s_stack_top:
