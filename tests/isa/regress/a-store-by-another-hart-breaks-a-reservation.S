/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Regression (review of the hart, 2026-12-02): a store by another hart breaks a reservation. Exits 0 through sifive_test on success. */
    .option norvc
    .globl _start
_start:
    csrr  a0, mhartid
    la    t1, word
    lui   t2, 0x100            # sifive_test
    bnez  a0, hart1
    # hart 0: LR, wait long enough for hart 1 to get its turn, SC
    lr.w  t0, (t1)
    li    t4, 300000
1:  addi  t4, t4, -1
    bnez  t4, 1b
    li    t5, 100
    sc.w  t6, t5, (t1)         # must fail: hart 1 stored to word after the LR
    beqz  t6, fail
    li    t3, 0x5555
    sw    t3, 0(t2)
2:  j 2b
fail:
    li    t3, 0x13333
    sw    t3, 0(t2)
3:  j 3b
hart1:
    li    t5, 42
    sw    t5, 0(t1)            # a store from another hart into the reservation set
4:  j 4b
    .align 3
word: .word 7
