/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every synchronous exception reachable without paging, taken into M-mode:
 * illegal instruction (mtval = encoding; also mret/sret/wfi from too low a
 * privilege and sret under TSR), ebreak (mepc = pc), ecall from M, S and U
 * (cause 11, 9, 8; mepc = the ecall; MPP = the mode it came from), load,
 * store and fetch access faults at an address nothing is mapped at and past
 * the end of RAM (mtval = the address), and the trap entry's mstatus update
 * (MIE -> MPIE, MIE cleared). */
#include "isa.h"

#define RAM_END 0x88000000

#define CHECK_EPC(label)                                                                           \
    la t5, trap_epc;                                                                               \
    ld t6, 0(t5);                                                                                  \
    la t5, label;                                                                                  \
    FAIL_IF_NE(t5, t6)

#define CHECK_MPP(mode)                                                                            \
    la t5, trap_mpp;                                                                               \
    ld t6, 0(t5);                                                                                  \
    li t5, mode;                                                                                   \
    FAIL_IF_NE(t5, t6)

#define SET_RESUME(label)                                                                          \
    la t5, label;                                                                                  \
    la t6, trap_resume;                                                                            \
    sd t5, 0(t6)

TEST_BEGIN
    li a7, 0
    /* illegal instructions */
    TEST_ILLEGAL(1, .word 0x0000007b)
    TEST_ILLEGAL(2, .word 0xffffffff)
    TEST_ILLEGAL(3, .word 0x30200073 | (1 << 7)) /* mret with rd != 0 is reserved */
    TEST_TRAP(4, CAUSE_ILLEGAL, .hword 0)
    CHECK_TVAL(zero)
    /* ebreak */
    TEST_TRAP(5, CAUSE_BREAKPOINT, 8: ebreak)
    CHECK_EPC(8b)
    /* ecall from M */
    TEST_TRAP(6, CAUSE_ECALL_M, 8: ecall)
    CHECK_EPC(8b)
    CHECK_TVAL(zero)
    CHECK_MPP(PRV_M)
    /* ecall from S: the handler returns to S after it */
    li a0, PRV_S
    call goto_priv
    li a7, 0
    TEST_TRAP(7, CAUSE_ECALL_S, 8: ecall)
    CHECK_EPC(8b)
    CHECK_MPP(PRV_S)
    /* S-mode may not run mret */
    TEST_ILLEGAL(8, mret)
    call goto_m
    /* TSR: sret from S is illegal */
    li t0, 1 << 22
    csrs mstatus, t0
    li a0, PRV_S
    call goto_priv
    TEST_ILLEGAL(9, sret)
    call goto_m
    li t0, 1 << 22
    csrc mstatus, t0
    /* ecall from U */
    li a0, PRV_U
    call goto_priv
    li a7, 0
    TEST_TRAP(10, CAUSE_ECALL_U, 8: ecall)
    CHECK_EPC(8b)
    CHECK_MPP(PRV_U)
    TEST_ILLEGAL(11, sret)
    TEST_ILLEGAL(12, mret)
    TEST_ILLEGAL(13, wfi)
    TEST_ILLEGAL(14, csrr a0, sstatus)
    call goto_m
    /* access faults */
    li s0, UNMAPPED_ADDR
    TEST_TRAP(15, CAUSE_LOAD_ACCESS, 8: ld a0, 0(s0))
    CHECK_TVAL(s0)
    CHECK_EPC(8b)
    TEST_TRAP(16, CAUSE_STORE_ACCESS, sw a0, 0(s0))
    CHECK_TVAL(s0)
    li s1, RAM_END
    TEST_TRAP(17, CAUSE_LOAD_ACCESS, lbu a0, 0(s1))
    CHECK_TVAL(s1)
    TEST_TRAP(18, CAUSE_STORE_ACCESS, sd a0, 0(s1))
    CHECK_TVAL(s1)
    /* a load that faults leaves rd unchanged */
    TEST_CASE(19, a0, 1234, li a0, 1234; la t5, trap_expect; li t6, 1; sd t6, 0(t5); ld a0, 0(s0))
    /* fetch access fault: mepc = mtval = the target; resume at 2f */
    SET_RESUME(2f)
    TEST_TRAP(20, CAUSE_FETCH_ACCESS, jalr ra, 0(s0); j fail_test; 2: nop)
    CHECK_TVAL(s0)
    la t5, trap_epc
    ld t6, 0(t5)
    FAIL_IF_NE(t6, s0)
    SET_RESUME(2f)
    TEST_TRAP(21, CAUSE_FETCH_ACCESS, jalr ra, 0(s1); j fail_test; 2: nop)
    CHECK_TVAL(s1)
    /* trap entry: MPIE takes MIE, MIE is cleared; mret restores it */
    li TESTNUM, 22
    csrw mie, zero
    csrsi mstatus, MSTATUS_MIE
    la t5, trap_expect
    li t6, 1
    sd t6, 0(t5)
    ebreak
    la t5, trap_mstatus
    ld a0, 0(t5)
    andi a0, a0, MSTATUS_MIE | MSTATUS_MPIE
    li a1, MSTATUS_MPIE
    FAIL_IF_NE(a0, a1)
    csrr a0, mstatus
    andi a0, a0, MSTATUS_MIE
    li a1, MSTATUS_MIE
    FAIL_IF_NE(a0, a1)
    csrci mstatus, MSTATUS_MIE
    TEST_PASS
