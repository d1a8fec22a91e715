/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Start-up for the multi-hart test programs (tests/isa/lib/crt0.S is for one
 * hart): every hart gets its own stack and trap stack, hart 0 clears the bss
 * and then releases the others, and each hart calls hart_main(hartid).  A
 * return from hart_main on hart 0 ends the program with its status; the
 * other harts wait in WFI for ever. */
#include "isa.h"

#define HART_STACK 0x4000
#define HART_TRAP_STACK 0x1000

    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    li gp, 0
    .option pop
    csrr s0, mhartid
    /* stacks: __stack_top - id * HART_STACK, trap stacks below __trap_stack_top */
    li t0, HART_STACK
    mul t0, t0, s0
    la sp, __stack_top
    sub sp, sp, t0
    li t0, HART_TRAP_STACK
    mul t0, t0, s0
    la t1, __trap_stack_top
    sub t1, t1, t0
    csrw mscratch, t1
    la t0, trap_entry
    csrw mtvec, t0
    li t0, MSTATUS_FS
    csrs mstatus, t0
    csrwi fcsr, 0
    bnez s0, 3f
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  fence rw, rw
    la t0, smp_released
    li t1, 1
    sw t1, 0(t0)
    j 4f
    /* harts 1..: wait until hart 0 has cleared the bss */
3:  la t0, smp_released
    lw t1, 0(t0)
    beqz t1, 3b
    fence rw, rw
4:  mv a0, s0
    call hart_main
    bnez s0, 6f
    beqz a0, 5f
    tail test_fail
5:  tail test_pass
6:  wfi
    j 6b

/* A trap on any hart is unexpected here: the runtime reports it and ends the
 * program (registers are not saved for a return). */
    .balign 64
    .globl trap_entry
trap_entry:
    csrrw sp, mscratch, sp
    addi sp, sp, -FRAME_SIZE
    sd x3, 3*8(sp)
    mv a0, sp
    call trap_dispatch
    li a0, 253
    tail test_fail

    .data
    .balign 8
    .globl smp_released
smp_released:
    .word 0
