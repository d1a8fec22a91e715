/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-trap.c - exceptions, interrupts and returns (cpu/trap.c) against the
 * privileged spec 1.12: where a trap goes (medeleg/mideleg), the state it
 * saves, vectored mtvec/stvec, interrupt priority and enables at each
 * privilege, mret/sret and their illegal cases (TSR), the WFI rules and
 * QEMU's -d int line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/log.h"
#include "core/module.h"
#include "core/qdev.h"
#include "cpu/hart.h"
#include "tests/support/hart-test.h"
#include "tests/support/log-capture.h"

static RVHart *hart;
static CPURVState *env;

static int setup(void **state)
{
    (void)state;
    hart = hart_test_new();
    env = &hart->env;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    logcapture_cancel();
    object_root_cleanup();
    hart = NULL;
    env = NULL;
    return 0;
}

#define IRQ(n)  (UINT64_C(1) << (n))
#define MPP(p)  ((uint64_t)(p) << 11)
#define INTR(n) (RV_CAUSE_INTERRUPT | (n))

static unsigned mpp(void)
{
    return (unsigned)((env->mstatus & RV_MSTATUS_MPP) >> 11);
}

static void pending(uint64_t bits)
{
    for (int irq = 0; irq < 16; irq++) {
        if (bits & IRQ(irq)) {
            qemu_set_irq(rv_hart_irq_in(hart, irq), 1);
        }
    }
}

/* ---- exceptions ---- */

static void test_an_exception_in_m_saves_state_and_goes_to_the_mtvec_base(void **state)
{
    (void)state;
    env->pc = 0x80001000;
    env->mtvec = 0x80000101; /* vectored: exceptions still go to the base */
    env->mstatus |= RV_MSTATUS_MIE;
    env->exit_block = false;
    rv_raise_exception(env, RV_EXC_ILLEGAL_INSN, 0x12345678);
    assert_int_equal(env->pc, 0x80000100);
    assert_int_equal(env->mepc, 0x80001000);
    assert_int_equal(env->mcause, 2);
    assert_int_equal(env->mtval, 0x12345678);
    assert_int_equal(mpp(), RV_PRIV_M);
    assert_true(env->mstatus & RV_MSTATUS_MPIE);
    assert_false(env->mstatus & RV_MSTATUS_MIE);
    assert_int_equal(env->priv, RV_PRIV_M);
    assert_int_equal(env->traps, 1);
    assert_true(env->exit_block);
}

static void test_a_delegated_exception_from_u_goes_to_s(void **state)
{
    (void)state;
    env->priv = RV_PRIV_U;
    env->pc = 0x1000;
    env->medeleg = IRQ(RV_EXC_ECALL_U);
    env->stvec = 0x80200000;
    env->mstatus |= RV_MSTATUS_SIE | MPP(RV_PRIV_S);
    rv_raise_exception(env, RV_EXC_ECALL_U, 0);
    assert_int_equal(env->priv, RV_PRIV_S);
    assert_int_equal(env->pc, 0x80200000);
    assert_int_equal(env->sepc, 0x1000);
    assert_int_equal(env->scause, 8);
    assert_int_equal(env->stval, 0);
    assert_false(env->mstatus & RV_MSTATUS_SPP);
    assert_true(env->mstatus & RV_MSTATUS_SPIE);
    assert_false(env->mstatus & RV_MSTATUS_SIE);
    assert_int_equal(mpp(), RV_PRIV_S); /* M-mode state untouched */
    assert_int_equal(env->mcause, 0);
}

static void test_a_delegated_exception_from_s_records_spp_s(void **state)
{
    (void)state;
    env->priv = RV_PRIV_S;
    env->medeleg = IRQ(RV_EXC_LOAD_PAGE_FAULT);
    env->stvec = 0x80200000;
    rv_raise_exception(env, RV_EXC_LOAD_PAGE_FAULT, 0xdead000);
    assert_int_equal(env->priv, RV_PRIV_S);
    assert_true(env->mstatus & RV_MSTATUS_SPP);
    assert_int_equal(env->stval, 0xdead000);
}

static void test_a_delegated_exception_in_m_stays_in_m(void **state)
{
    (void)state;
    env->medeleg = 0xb3ff;
    env->mtvec = 0x80000000;
    env->stvec = 0x80200000;
    rv_raise_exception(env, RV_EXC_BREAKPOINT, 0);
    assert_int_equal(env->priv, RV_PRIV_M);
    assert_int_equal(env->pc, 0x80000000);
    assert_int_equal(env->mcause, 3);
}

static void test_an_undelegated_exception_from_u_goes_to_m(void **state)
{
    (void)state;
    env->priv = RV_PRIV_U;
    env->medeleg = IRQ(RV_EXC_ECALL_U);
    env->mtvec = 0x80000000;
    rv_raise_exception(env, RV_EXC_ILLEGAL_INSN, 0);
    assert_int_equal(env->priv, RV_PRIV_M);
    assert_int_equal(mpp(), RV_PRIV_U);
}

static void test_a_trap_ends_wfi_and_drops_the_lr_reservation(void **state)
{
    (void)state;
    env->wfi = true;
    env->res_valid = true;
    rv_raise_exception(env, RV_EXC_BREAKPOINT, 0);
    assert_false(env->wfi);
    assert_false(env->res_valid);
}

static void test_d_int_logs_a_trap_in_qemus_format(void **state)
{
    (void)state;
    logcapture_begin();
    log_set_mask(LOG_INT);
    env->pc = 0x80000a2;
    rv_raise_exception(env, RV_EXC_ILLEGAL_INSN, 0xffffffff);
    logcapture_assert_contains(logcapture_end(),
                               "riscv_cpu_do_interrupt: hart:0, async:0, cause:0000000000000002, "
                               "epc:0x00000000080000a2, tval:0x00000000ffffffff, "
                               "desc=illegal_instruction\n");
}

static void test_d_int_logs_an_interrupt_with_async_1(void **state)
{
    (void)state;
    logcapture_begin();
    log_set_mask(LOG_INT);
    env->mstatus |= RV_MSTATUS_MIE;
    env->mie = IRQ(7);
    pending(IRQ(7));
    env->pc = 0x80000010;
    assert_true(rv_take_interrupt(env));
    logcapture_assert_contains(logcapture_end(),
                               "riscv_cpu_do_interrupt: hart:0, async:1, cause:0000000000000007, "
                               "epc:0x0000000080000010, tval:0x0000000000000000, desc=m_timer\n");
}

/* ---- interrupts ---- */

static void test_no_interrupt_is_pending_without_an_enabled_pending_bit(void **state)
{
    (void)state;
    env->mstatus |= RV_MSTATUS_MIE;
    assert_int_equal(rv_pending_interrupt(env), -1);
    pending(IRQ(7));
    assert_int_equal(rv_pending_interrupt(env), -1); /* mie.MTIE clear */
    assert_false(rv_take_interrupt(env));
}

static void test_m_level_interrupts_in_m_need_mstatus_mie(void **state)
{
    (void)state;
    env->mie = IRQ(7);
    pending(IRQ(7));
    assert_int_equal(rv_pending_interrupt(env), -1);
    env->mstatus |= RV_MSTATUS_MIE;
    assert_int_equal(rv_pending_interrupt(env), 7);
}

static void test_m_level_interrupts_below_m_ignore_mstatus_mie(void **state)
{
    (void)state;
    env->mie = IRQ(11);
    pending(IRQ(11));
    env->priv = RV_PRIV_S;
    assert_int_equal(rv_pending_interrupt(env), 11);
    env->priv = RV_PRIV_U;
    assert_int_equal(rv_pending_interrupt(env), 11);
}

static void test_m_level_priority_is_mei_msi_mti_sei_ssi_sti_lcofi(void **state)
{
    static const int order[] = {11, 3, 7, 9, 1, 5, 13};
    uint64_t bits = 0;

    (void)state;
    env->mstatus |= RV_MSTATUS_MIE;
    env->mie = UINT64_MAX;
    for (size_t i = 0; i < 7; i++) {
        bits |= IRQ(order[i]);
    }
    env->mip = bits;
    for (size_t i = 0; i < 7; i++) {
        assert_int_equal(rv_pending_interrupt(env), order[i]);
        env->mip &= ~IRQ(order[i]);
    }
    assert_int_equal(rv_pending_interrupt(env), -1);
}

static void test_s_level_priority_is_sei_ssi_sti_lcofi(void **state)
{
    static const int order[] = {9, 1, 5, 13};

    (void)state;
    env->priv = RV_PRIV_U;
    env->mideleg = IRQ(1) | IRQ(5) | IRQ(9) | IRQ(13);
    env->mie = UINT64_MAX;
    env->mip = IRQ(1) | IRQ(5) | IRQ(9) | IRQ(13);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(rv_pending_interrupt(env), order[i]);
        env->mip &= ~IRQ(order[i]);
    }
}

static void test_an_m_level_interrupt_comes_before_a_delegated_one(void **state)
{
    (void)state;
    env->priv = RV_PRIV_S;
    env->mstatus |= RV_MSTATUS_SIE;
    env->mideleg = IRQ(9); /* SEI to S; STI stays at M */
    env->mie = IRQ(9) | IRQ(5);
    env->mip = IRQ(9) | IRQ(5);
    assert_int_equal(rv_pending_interrupt(env), 5);
}

static void test_delegated_interrupts_are_never_taken_in_m(void **state)
{
    (void)state;
    env->mstatus |= RV_MSTATUS_MIE | RV_MSTATUS_SIE;
    env->mideleg = IRQ(5);
    env->mie = IRQ(5);
    env->mip = IRQ(5);
    assert_int_equal(rv_pending_interrupt(env), -1);
}

static void test_delegated_interrupts_in_s_need_sie_and_in_u_do_not(void **state)
{
    (void)state;
    env->mideleg = IRQ(1);
    env->mie = IRQ(1);
    env->mip = IRQ(1);
    env->priv = RV_PRIV_S;
    assert_int_equal(rv_pending_interrupt(env), -1);
    env->mstatus |= RV_MSTATUS_SIE;
    assert_int_equal(rv_pending_interrupt(env), 1);
    env->mstatus &= ~RV_MSTATUS_SIE;
    env->priv = RV_PRIV_U;
    assert_int_equal(rv_pending_interrupt(env), 1);
}

static void test_an_interrupt_to_a_vectored_mtvec_goes_to_base_plus_4_cause(void **state)
{
    (void)state;
    env->mtvec = 0x80000001;
    env->mstatus |= RV_MSTATUS_MIE;
    env->mie = IRQ(7);
    pending(IRQ(7));
    env->pc = 0x80004000;
    env->wfi = true;
    assert_true(rv_take_interrupt(env));
    assert_int_equal(env->pc, 0x80000000 + 4 * 7);
    assert_int_equal(env->mcause, INTR(7));
    assert_int_equal(env->mepc, 0x80004000);
    assert_int_equal(env->mtval, 0);
    assert_false(env->mstatus & RV_MSTATUS_MIE);
    assert_true(env->mstatus & RV_MSTATUS_MPIE);
    assert_false(env->wfi);
    assert_int_equal(env->traps, 0); /* the interrupted instruction has not executed */
}

static void test_an_interrupt_to_a_direct_mtvec_goes_to_the_base(void **state)
{
    (void)state;
    env->mtvec = 0x80000100;
    env->mstatus |= RV_MSTATUS_MIE;
    env->mie = IRQ(3);
    pending(IRQ(3));
    assert_true(rv_take_interrupt(env));
    assert_int_equal(env->pc, 0x80000100);
    assert_int_equal(env->mcause, INTR(3));
}

static void test_a_delegated_interrupt_goes_to_a_vectored_stvec(void **state)
{
    (void)state;
    env->priv = RV_PRIV_U;
    env->stvec = 0x80200001;
    env->mideleg = IRQ(5);
    env->mie = IRQ(5);
    env->mip = IRQ(5);
    env->pc = 0x10000;
    assert_true(rv_take_interrupt(env));
    assert_int_equal(env->priv, RV_PRIV_S);
    assert_int_equal(env->pc, 0x80200000 + 4 * 5);
    assert_int_equal(env->scause, INTR(5));
    assert_int_equal(env->sepc, 0x10000);
    assert_false(env->mstatus & RV_MSTATUS_SPP);
}

static void test_wfi_wakes_on_an_enabled_pending_interrupt_whatever_the_global_enables(void **state)
{
    (void)state;
    env->mideleg = IRQ(5);
    env->mip = IRQ(5);
    assert_false(rv_wfi_wakeup(env));
    env->mie = IRQ(5);
    assert_true(rv_wfi_wakeup(env)); /* delegated, in M, MIE and SIE clear */
}

/* ---- xRET ---- */

static void test_mret_restores_mpp_mie_and_clears_mprv_below_m(void **state)
{
    (void)state;
    env->mstatus |= MPP(RV_PRIV_S) | RV_MSTATUS_MPIE | RV_MSTATUS_MPRV;
    env->mepc = 0x80200000;
    env->res_valid = true;
    assert_true(rv_mret(env));
    assert_int_equal(env->priv, RV_PRIV_S);
    assert_int_equal(env->pc, 0x80200000);
    assert_true(env->mstatus & RV_MSTATUS_MIE);
    assert_true(env->mstatus & RV_MSTATUS_MPIE);
    assert_int_equal(mpp(), RV_PRIV_U);
    assert_false(env->mstatus & RV_MSTATUS_MPRV);
    assert_false(env->res_valid);
    assert_true(env->exit_block);
}

static void test_mret_to_m_keeps_mprv(void **state)
{
    (void)state;
    env->mstatus |= MPP(RV_PRIV_M) | RV_MSTATUS_MPRV;
    env->mepc = 0x80000000;
    assert_true(rv_mret(env));
    assert_int_equal(env->priv, RV_PRIV_M);
    assert_true(env->mstatus & RV_MSTATUS_MPRV);
    assert_false(env->mstatus & RV_MSTATUS_MIE); /* MPIE was 0 */
    assert_int_equal(mpp(), RV_PRIV_U);
}

static void test_mret_below_m_is_illegal_and_changes_nothing(void **state)
{
    uint64_t mstatus;

    (void)state;
    env->priv = RV_PRIV_S;
    env->pc = 0x1234;
    mstatus = env->mstatus;
    assert_false(rv_mret(env));
    assert_int_equal(env->priv, RV_PRIV_S);
    assert_int_equal(env->pc, 0x1234);
    assert_int_equal(env->mstatus, mstatus);
}

static void test_sret_restores_spp_and_sie(void **state)
{
    (void)state;
    env->priv = RV_PRIV_S;
    env->mstatus |= RV_MSTATUS_SPIE;
    env->sepc = 0x4000;
    assert_true(rv_sret(env));
    assert_int_equal(env->priv, RV_PRIV_U);
    assert_int_equal(env->pc, 0x4000);
    assert_true(env->mstatus & RV_MSTATUS_SIE);
    assert_true(env->mstatus & RV_MSTATUS_SPIE);
    assert_false(env->mstatus & RV_MSTATUS_SPP);
}

static void test_sret_from_m_goes_to_spp_and_clears_mprv(void **state)
{
    (void)state;
    env->mstatus |= RV_MSTATUS_SPP | RV_MSTATUS_MPRV;
    env->sepc = 0x80200000;
    assert_true(rv_sret(env));
    assert_int_equal(env->priv, RV_PRIV_S);
    assert_false(env->mstatus & RV_MSTATUS_MPRV);
    assert_false(env->mstatus & RV_MSTATUS_SIE); /* SPIE was 0 */
}

static void test_sret_is_illegal_in_u_and_in_s_under_tsr(void **state)
{
    (void)state;
    env->priv = RV_PRIV_U;
    assert_false(rv_sret(env));
    env->priv = RV_PRIV_S;
    env->mstatus |= RV_MSTATUS_TSR;
    env->pc = 0x500;
    assert_false(rv_sret(env));
    assert_int_equal(env->priv, RV_PRIV_S);
    assert_int_equal(env->pc, 0x500);
    env->priv = RV_PRIV_M; /* TSR does not apply to M */
    assert_true(rv_sret(env));
}

/* ---- WFI and privilege ---- */

static void test_wfi_is_allowed_in_m_in_s_unless_tw_and_never_in_u(void **state)
{
    (void)state;
    assert_true(rv_wfi_allowed(env));
    env->mstatus |= RV_MSTATUS_TW;
    assert_true(rv_wfi_allowed(env)); /* TW does not apply to M */
    env->priv = RV_PRIV_S;
    assert_false(rv_wfi_allowed(env));
    env->mstatus &= ~RV_MSTATUS_TW;
    assert_true(rv_wfi_allowed(env));
    env->priv = RV_PRIV_U;
    assert_false(rv_wfi_allowed(env));
}

static void test_a_privilege_change_flushes_the_tlb(void **state)
{
    (void)state;
    env->tlb[RV_ACCESS_STORE][1].tag = 3;
    rv_set_priv(env, RV_PRIV_M);
    assert_int_equal(env->tlb[RV_ACCESS_STORE][1].tag, 3);
    rv_set_priv(env, RV_PRIV_U);
    assert_int_equal(env->priv, RV_PRIV_U);
    assert_int_equal(env->tlb[RV_ACCESS_STORE][1].tag, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_an_exception_in_m_saves_state_and_goes_to_the_mtvec_base),
        T(test_a_delegated_exception_from_u_goes_to_s),
        T(test_a_delegated_exception_from_s_records_spp_s),
        T(test_a_delegated_exception_in_m_stays_in_m),
        T(test_an_undelegated_exception_from_u_goes_to_m),
        T(test_a_trap_ends_wfi_and_drops_the_lr_reservation),
        T(test_d_int_logs_a_trap_in_qemus_format),
        T(test_d_int_logs_an_interrupt_with_async_1),
        T(test_no_interrupt_is_pending_without_an_enabled_pending_bit),
        T(test_m_level_interrupts_in_m_need_mstatus_mie),
        T(test_m_level_interrupts_below_m_ignore_mstatus_mie),
        T(test_m_level_priority_is_mei_msi_mti_sei_ssi_sti_lcofi),
        T(test_s_level_priority_is_sei_ssi_sti_lcofi),
        T(test_an_m_level_interrupt_comes_before_a_delegated_one),
        T(test_delegated_interrupts_are_never_taken_in_m),
        T(test_delegated_interrupts_in_s_need_sie_and_in_u_do_not),
        T(test_an_interrupt_to_a_vectored_mtvec_goes_to_base_plus_4_cause),
        T(test_an_interrupt_to_a_direct_mtvec_goes_to_the_base),
        T(test_a_delegated_interrupt_goes_to_a_vectored_stvec),
        T(test_wfi_wakes_on_an_enabled_pending_interrupt_whatever_the_global_enables),
        T(test_mret_restores_mpp_mie_and_clears_mprv_below_m),
        T(test_mret_to_m_keeps_mprv),
        T(test_mret_below_m_is_illegal_and_changes_nothing),
        T(test_sret_restores_spp_and_sie),
        T(test_sret_from_m_goes_to_spp_and_clears_mprv),
        T(test_sret_is_illegal_in_u_and_in_s_under_tsr),
        T(test_wfi_is_allowed_in_m_in_s_unless_tw_and_never_in_u),
        T(test_a_privilege_change_flushes_the_tlb),
    };

    module_call_init(MODULE_INIT_QOM);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
