/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Regression (review of the hart, 2026-12-02): m mode runs code from a page pmp splits. Exits 0 through sifive_test on success. */
    .option norvc
    .globl _start
_start:
    li    t0, 0x80000800 >> 2
    csrw  pmpaddr0, t0         # entry 0: TOR [0, 0x80000800), no permissions
    li    t0, -1
    csrw  pmpaddr1, t0         # entry 1: NAPOT everything, RWX
    li    t0, (0x1f << 8) | 0x08
    csrw  pmpcfg0, t0
    la    t0, handler
    csrw  mtvec, t0
    li    t0, 0x80000800
    csrw  mepc, t0
    li    t0, 1 << 11
    csrs  mstatus, t0          # MPP = S
    mret
handler:
    csrr  a0, mcause
    lui   t2, 0x100
    li    t0, 9                # ecall from S: the S code ran
    bne   a0, t0, fail
    li    t3, 0x5555
    sw    t3, 0(t2)
1:  j 1b
fail:
    slli  a0, a0, 16
    li    t3, 0x3333
    or    t3, t3, a0
    sw    t3, 0(t2)
2:  j 2b
    .org 0x800
    ecall
