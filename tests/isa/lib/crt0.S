/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Start-up and trap entry for the ISA test programs: stack, trap vector, bss,
 * FPU on, then main(); main's return value is the test status. The trap entry
 * saves every integer register in a frame on the trap stack (mscratch holds its
 * top) and calls trap_dispatch() in runtime.c. */
#include "isa.h"

    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    li gp, 0
    .option pop
    la sp, __stack_top
    la t0, __trap_stack_top
    csrw mscratch, t0
    la t0, trap_entry
    csrw mtvec, t0
    li t0, MSTATUS_FS
    csrs mstatus, t0
    /* S and U may use all memory until a test programs the PMP itself. */
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    csrwi fcsr, 0
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call main
    beqz a0, 3f
    tail test_fail
3:  tail test_pass

/* Asm tests jump here when a check fails: gp holds the case number. */
    .globl fail_test
fail_test:
    mv a0, gp
    la sp, __stack_top
    tail test_fail

    .text
/* goto_priv(mode): returns to the caller in privilege mode a0. */
    .globl goto_priv
goto_priv:
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    slli a0, a0, 11
    csrs mstatus, a0
    csrw mepc, ra
    mret

/* goto_m(): returns to the caller in M-mode. */
    .globl goto_m
goto_m:
    li a7, ECALL_TO_M
    ecall
    ret

    .balign 64
    .globl trap_entry
trap_entry:
    csrrw sp, mscratch, sp
    addi sp, sp, -FRAME_SIZE
    sd x1, 1*8(sp)
    sd x3, 3*8(sp)
    sd x4, 4*8(sp)
    sd x5, 5*8(sp)
    sd x6, 6*8(sp)
    sd x7, 7*8(sp)
    sd x8, 8*8(sp)
    sd x9, 9*8(sp)
    sd x10, 10*8(sp)
    sd x11, 11*8(sp)
    sd x12, 12*8(sp)
    sd x13, 13*8(sp)
    sd x14, 14*8(sp)
    sd x15, 15*8(sp)
    sd x16, 16*8(sp)
    sd x17, 17*8(sp)
    sd x18, 18*8(sp)
    sd x19, 19*8(sp)
    sd x20, 20*8(sp)
    sd x21, 21*8(sp)
    sd x22, 22*8(sp)
    sd x23, 23*8(sp)
    sd x24, 24*8(sp)
    sd x25, 25*8(sp)
    sd x26, 26*8(sp)
    sd x27, 27*8(sp)
    sd x28, 28*8(sp)
    sd x29, 29*8(sp)
    sd x30, 30*8(sp)
    sd x31, 31*8(sp)
    csrr t0, mscratch
    sd t0, 2*8(sp)
    mv a0, sp
    call trap_dispatch
    ld x1, 1*8(sp)
    ld x3, 3*8(sp)
    ld x4, 4*8(sp)
    ld x5, 5*8(sp)
    ld x6, 6*8(sp)
    ld x7, 7*8(sp)
    ld x8, 8*8(sp)
    ld x9, 9*8(sp)
    ld x10, 10*8(sp)
    ld x11, 11*8(sp)
    ld x12, 12*8(sp)
    ld x13, 13*8(sp)
    ld x14, 14*8(sp)
    ld x15, 15*8(sp)
    ld x16, 16*8(sp)
    ld x17, 17*8(sp)
    ld x18, 18*8(sp)
    ld x19, 19*8(sp)
    ld x20, 20*8(sp)
    ld x21, 21*8(sp)
    ld x22, 22*8(sp)
    ld x23, 23*8(sp)
    ld x24, 24*8(sp)
    ld x25, 25*8(sp)
    ld x26, 26*8(sp)
    ld x27, 27*8(sp)
    ld x28, 28*8(sp)
    ld x29, 29*8(sp)
    ld x30, 30*8(sp)
    ld x31, 31*8(sp)
    addi sp, sp, FRAME_SIZE
    csrrw sp, mscratch, sp
    mret
