/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Regression (review of the hart, 2026-12-02): an amo on its own encoding leaves x0 zero. Exits 0 through sifive_test on success. */
    .option norvc
    .globl _start
_start:
    auipc t1, 0
    addi  t1, t1, 8
    amoor.w t0, zero, (t1)     # ORs 0 into its own encoding: memory unchanged
    add   a0, zero, zero
    lui   t2, 0x100            # sifive_test
    beqz  a0, pass
    lui   t3, 0x13
    addi  t3, t3, 0x333        # exit status 1
    sw    t3, 0(t2)
1:  j 1b
pass:
    lui   t3, 0x5
    addi  t3, t3, 0x555
    sw    t3, 0(t2)
2:  j 2b
