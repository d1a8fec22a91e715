/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Accesses at the edges of memory fault cleanly (M-mode, no translation):
 * loads, an AMO and an LR at the top of the 64-bit address space (nothing
 * there), a jump to its last halfword, and a 32-bit instruction in the last
 * two bytes of RAM (-m 128M: its second half is past the end).  Each case
 * checks mcause and mtval (the fetch crossing out of RAM reports the first
 * address past it, where the fetch failed) and passes.  (Stores at the top
 * are runs-into-a-trap-it-never-leaves.S variant 7.) */
#include "isa.h"

#define RAM_END 0x88000000

TEST_BEGIN
    li a0, -4
    li a2, -2
    li a3, -8
    li a4, -1
    TEST_TRAP(1, CAUSE_LOAD_ACCESS, lw a1, 0(a0))
    CHECK_TVAL(a0)
    TEST_TRAP(2, CAUSE_LOAD_ACCESS, lw a1, 0(a2)) /* wraps past the top */
    CHECK_TVAL(a2)
    TEST_TRAP(3, CAUSE_LOAD_ACCESS, ld a1, 0(a4))
    CHECK_TVAL(a4)
    TEST_TRAP(4, CAUSE_STORE_ACCESS, amoadd.d a1, a1, (a3))
    CHECK_TVAL(a3)
    TEST_TRAP(5, CAUSE_LOAD_ACCESS, lr.d a1, (a3))
    CHECK_TVAL(a3)

    /* Fetch faults resume at trap_resume. */
    la t0, 6f
    la t1, trap_resume
    sd t0, 0(t1)
    TEST_TRAP(6, CAUSE_FETCH_ACCESS, jr a2)
6:  CHECK_TVAL(a2)
    la t0, trap_epc
    ld t0, 0(t0)
    li TESTNUM, 7
    FAIL_IF_NE(t0, a2)

    li a5, RAM_END - 2
    li t3, 0x0513 /* the low half of addi a0, ... */
    sh t3, 0(a5)
    fence.i
    la t0, 8f
    la t1, trap_resume
    sd t0, 0(t1)
    TEST_TRAP(8, CAUSE_FETCH_ACCESS, jr a5)
8:  li a6, RAM_END
    CHECK_TVAL(a6)
    la t0, trap_epc
    ld t0, 0(t0)
    li TESTNUM, 9
    FAIL_IF_NE(t0, a5)
    TEST_PASS
