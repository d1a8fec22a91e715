/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Regression (review of the hart, 2026-12-02): a trap that changes mpp under mprv drops stale translations. Exits 0 through sifive_test on success. */
    .option norvc
    .globl _start
_start:
    li    t0, -1
    csrw  pmpaddr0, t0
    li    t0, 0x1f             # NAPOT, RWX: S may access everything
    csrw  pmpcfg0, t0
    la    t0, pt
    li    t1, 0x200000cf       # VA [0, 1 GiB) -> PA 0x80000000, RWXAD, S page
    sd    t1, 0(t0)
    srli  t2, t0, 12
    li    t3, 8
    slli  t3, t3, 60
    or    t2, t2, t3
    csrw  satp, t2             # Sv39
    la    t0, handler
    csrw  mtvec, t0
    li    t0, (1 << 17) | (1 << 11)
    csrs  mstatus, t0          # MPRV = 1, MPP = S
    li    a1, 0x1000
    lw    a2, 0(a1)            # as S: VA 0x1000 -> PA 0x80001000 (the marker)
    ecall                      # M -> M: MPP becomes M
    .align 2
handler:
    lw    a3, 0(a1)            # MPRV = 1, MPP = M: bare, PA 0x1000 (MROM: auipc t0,0 = 0x297)
    lui   t2, 0x100
    li    t0, 0x297
    bne   a3, t0, fail
    li    t3, 0x5555
    sw    t3, 0(t2)
1:  j 1b
fail:
    li    t3, 0x13333
    sw    t3, 0(t2)
2:  j 2b
    .org 0x1000
    .word 0xdeadbeef
    .org 0x2000
pt: .dword 0
