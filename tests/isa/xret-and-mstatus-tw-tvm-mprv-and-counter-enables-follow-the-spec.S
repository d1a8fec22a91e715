/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Privilege controls: mret sets MPP to U and MIE from MPIE, and keeps MPRV
 * when it stays in M-mode (clearing MPRV on leaving M is priv 1.12, which
 * QEMU 7.2 does not do: not tested, README.md); sret sets SPP to U and SIE from SPIE; TW makes wfi
 * illegal in S-mode; TVM makes satp and sfence.vma illegal in S-mode;
 * mcounteren gates S-mode (and, with scounteren, U-mode) reads of cycle,
 * time and instret. */
#include "isa.h"

#define MSTATUS_TW (1 << 21)
#define MSTATUS_TVM (1 << 20)

#define MPP_OF(reg) csrr reg, mstatus; srli reg, reg, 11; andi reg, reg, 3

TEST_BEGIN
    /* mret from M to M: MPP becomes U, MIE takes MPIE (1), MPIE becomes 1 */
    li t0, MSTATUS_MPP
    csrs mstatus, t0
    li t0, MSTATUS_MPIE
    csrs mstatus, t0
    csrci mstatus, MSTATUS_MIE
    la t0, 1f
    csrw mepc, t0
    mret
    j fail_test
1:  TEST_CASE(1, a0, 0, MPP_OF(a0))
    TEST_CASE(2, a0, MSTATUS_MIE | MSTATUS_MPIE, csrr a0, mstatus; andi a0, a0, MSTATUS_MIE | MSTATUS_MPIE)
    csrci mstatus, MSTATUS_MIE
    /* an mret that stays in M keeps MPRV */
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    li t0, MSTATUS_MPP
    csrs mstatus, t0
    la t0, 1f
    csrw mepc, t0
    mret
1:  TEST_CASE(4, a0, MSTATUS_MPRV, csrr a0, mstatus; li a1, MSTATUS_MPRV; and a0, a0, a1)
    li t0, MSTATUS_MPRV
    csrc mstatus, t0

    /* sret from S to S: SPP becomes U, SIE takes SPIE */
    li a0, PRV_S
    call goto_priv
    li t0, MSTATUS_SPP | MSTATUS_SPIE
    csrs sstatus, t0
    csrci sstatus, MSTATUS_SIE
    la t0, 1f
    csrw sepc, t0
    sret
    j fail_test
1:  TEST_CASE(5, a0, MSTATUS_SIE | MSTATUS_SPIE, csrr a0, sstatus; andi a0, a0, MSTATUS_SPP | MSTATUS_SIE | MSTATUS_SPIE)
    csrci sstatus, MSTATUS_SIE
    /* still in S: an S CSR is readable (it would be illegal in U) */
    TEST_CASE(6, a0, 0, csrr a0, sscratch; li a0, 0)
    call goto_m

    /* TW: wfi in S is illegal */
    li t0, MSTATUS_TW
    csrs mstatus, t0
    li a0, PRV_S
    call goto_priv
    TEST_ILLEGAL(7, wfi)
    call goto_m
    li t0, MSTATUS_TW
    csrc mstatus, t0

    /* TVM: satp and sfence.vma in S are illegal; without TVM they are not */
    li t0, MSTATUS_TVM
    csrs mstatus, t0
    li a0, PRV_S
    call goto_priv
    TEST_ILLEGAL(8, csrr a0, satp)
    TEST_ILLEGAL(9, sfence.vma)
    call goto_m
    li t0, MSTATUS_TVM
    csrc mstatus, t0
    li a0, PRV_S
    call goto_priv
    TEST_CASE(10, a0, 0, csrr a0, satp; sfence.vma)
    call goto_m

    /* counter enables */
    csrw mcounteren, zero
    csrw scounteren, zero
    li a0, PRV_S
    call goto_priv
    TEST_ILLEGAL(11, rdcycle a0)
    TEST_ILLEGAL(12, rdtime a0)
    TEST_ILLEGAL(13, rdinstret a0)
    call goto_m
    li t0, 7
    csrw mcounteren, t0
    li a0, PRV_S
    call goto_priv
    TEST_CASE(14, a0, 0, rdcycle a1; rdtime a2; rdinstret a3; li a0, 0)
    call goto_m
    li a0, PRV_U
    call goto_priv
    TEST_ILLEGAL(15, rdcycle a0)
    TEST_ILLEGAL(16, rdtime a0)
    call goto_m
    li t0, 7
    csrw scounteren, t0
    li a0, PRV_U
    call goto_priv
    TEST_CASE(17, a0, 1, rdinstret a1; nop; rdinstret a2; sltu a0, a1, a2)
    TEST_CASE(18, a0, 0, rdcycle a1; rdtime a2; li a0, 0)
    call goto_m
    /* mcounteren's bit clear still stops U even when scounteren allows */
    li t0, 2
    csrc mcounteren, t0
    li a0, PRV_U
    call goto_priv
    TEST_ILLEGAL(19, rdtime a0)
    call goto_m
    TEST_PASS
