/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Zicsr: csrrw/csrrs/csrrc and their immediate forms return the old value
 * and write the new one; rs1 = x0 (or uimm 0) for csrrs/csrrc means no
 * write, so reading a read-only CSR is fine while any write to it (even of
 * zero through a register) is an illegal instruction with mtval = the
 * encoding; an unknown CSR is illegal; M-mode CSRs are illegal from S-mode;
 * misa says RV64IMAFDCSU; mhartid is 0; mcycle and minstret are writable;
 * sstatus is a view of mstatus. */
#include "isa.h"

TEST_BEGIN
    csrr s11, mscratch /* the trap handler's stack: restored before any trap */
    TEST_CASE(1, a0, 0, csrw mscratch, zero; li a1, -1; csrrw a0, mscratch, a1)
    TEST_CASE(2, a0, -1, csrr a0, mscratch)
    TEST_CASE(3, a0, -1, li a1, 0xf0; csrrc a0, mscratch, a1)
    TEST_CASE(4, a0, 0xffffffffffffff0f, csrr a0, mscratch)
    TEST_CASE(5, a0, 0xffffffffffffff0f, li a1, 0x30; csrrs a0, mscratch, a1)
    TEST_CASE(6, a0, 0xffffffffffffff3f, csrr a0, mscratch)
    TEST_CASE(7, a0, 0xffffffffffffff3f, csrrwi a0, mscratch, 31)
    TEST_CASE(8, a0, 31, csrrci a0, mscratch, 0x11; csrr a0, mscratch; addi a0, a0, 17)
    TEST_CASE(9, a0, 0x1e, csrrsi a0, mscratch, 0x10; csrr a0, mscratch)
    TEST_CASE(10, a0, 0x1e, csrrsi a0, mscratch, 0; csrrci a0, mscratch, 0)
    TEST_CASE(11, a0, 0x1e, csrrs a0, mscratch, zero; csrrc a0, mscratch, zero)
    TEST_CASE(12, a0, 0x1e, csrr a0, mscratch)
    /* rd = rs1: the old value goes to rd, the new from the old rs1 */
    TEST_CASE(13, a0, 0x1e, li a0, 0x55; csrrw a0, mscratch, a0)
    TEST_CASE(14, a0, 0x55, csrr a0, mscratch)
    csrw mscratch, s11

    /* reading read-only CSRs is allowed, also through csrrs/csrrc with x0 */
    TEST_CASE(15, a0, 0, csrr a0, mhartid)
    TEST_CASE(16, a0, 0, csrrs a0, mhartid, zero; csrrc a0, mhartid, zero; csrrsi a0, mhartid, 0; csrrci a0, mhartid, 0)
    TEST_CASE(17, a0, 0, csrr a0, mvendorid; csrr a1, marchid; csrr a2, mimpid; li a0, 0)
    /* misa: MXL = 2 (RV64) and I, M, A, F, D, C, S, U */
    TEST_CASE(18, a0, 2, csrr a0, misa; srli a0, a0, 62)
    TEST_CASE(19, a0, 0x14112d, csrr a0, misa; li a1, 0x14112d; and a0, a0, a1)
    /* writes to read-only CSRs */
    TEST_ILLEGAL(20, csrw mhartid, zero)
    TEST_ILLEGAL(21, csrrs a0, mvendorid, t0)
    TEST_ILLEGAL(22, csrrc a0, marchid, t0)
    TEST_ILLEGAL(23, csrrwi a0, mimpid, 0)
    TEST_ILLEGAL(24, csrrsi a0, mhartid, 1)
    TEST_ILLEGAL(25, csrw cycle, zero)
    TEST_ILLEGAL(26, csrw instret, zero)
    TEST_ILLEGAL(27, csrrw zero, time, a1)
    /* unknown CSRs */
    TEST_ILLEGAL(28, csrr a0, 0x0ff)
    TEST_ILLEGAL(29, csrw 0x7ff, a0)
    TEST_ILLEGAL(30, csrr a0, 0x3ff)
    /* an illegal CSR access leaves rd unchanged */
    TEST_CASE(31, a0, 77, li a0, 77; la t5, trap_expect; li t6, 1; sd t6, 0(t5); csrr a0, 0x0ff)
    /* mcycle and minstret are writable (counting frozen so the value reads back) */
    li t0, 5
    csrs mcountinhibit, t0
    TEST_CASE(32, a0, 0, csrw minstret, zero; csrr a0, minstret)
    TEST_CASE(33, a0, 0x123456789, li a1, 0x123456789; csrw mcycle, a1; csrr a0, mcycle)
    csrc mcountinhibit, t0
    /* counting again: minstret moves forward from the written value */
    TEST_CASE(34, a0, 1, li a1, 1000; csrw minstret, a1; nop; nop; nop; csrr a2, minstret; sltu a0, a1, a2)
    /* sstatus is a view of mstatus */
    TEST_CASE(35, a0, MSTATUS_SIE, csrsi sstatus, MSTATUS_SIE; csrr a0, mstatus; andi a0, a0, MSTATUS_SIE)
    TEST_CASE(36, a0, 0, csrci mstatus, MSTATUS_SIE; csrr a0, sstatus; andi a0, a0, MSTATUS_SIE)
    /* sstatus does not show M-mode fields */
    TEST_CASE(37, a0, 0, csrr a0, sstatus; li a1, MSTATUS_MPP | MSTATUS_MIE | MSTATUS_MPIE; and a0, a0, a1)
    /* M-mode CSRs from S-mode */
    li a0, PRV_S
    call goto_priv
    TEST_ILLEGAL(38, csrr a0, mscratch)
    TEST_ILLEGAL(39, csrr a0, mstatus)
    TEST_CASE(40, a0, 0x99, li a1, 0x99; csrw sscratch, a1; csrr a0, sscratch)
    call goto_m
    TEST_CASE(41, a0, 0x99, csrr a0, sscratch)
    TEST_PASS
