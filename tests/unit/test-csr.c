/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-csr.c - the CSR table as CSR instructions see it (cpu/csr.c): reset
 * values, the WARL rules of every CSR, privilege, read-only and counter
 * enable checks, the S-mode views of M-mode state, counters (a write of 0
 * reads back 0 after the writing instruction retires), names.
 *
 * Expected values come from the privileged spec 1.12 and the WARL choices
 * csr.c documents (QEMU 7.2's rv64 hart where the spec leaves a choice).
 * Nothing executes instructions here: the tests call rv_csr_rmw as exec.c
 * does and bump env->insns where an instruction would retire.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/module.h"
#include "core/qdev.h"
#include "cpu/hart.h"
#include "tests/support/hart-test.h"

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
    object_root_cleanup();
    hart = NULL;
    env = NULL;
    return 0;
}

/* csrr: false when illegal. */
static bool try_read(unsigned csrno, uint64_t *value)
{
    return rv_csr_rmw(env, csrno, value, 0, 0, false);
}

/* csrw (CSRRW: full mask): false when illegal. */
static bool try_write(unsigned csrno, uint64_t value)
{
    uint64_t old;

    return rv_csr_rmw(env, csrno, &old, value, UINT64_MAX, true);
}

static uint64_t rd(unsigned csrno)
{
    uint64_t v = 0x5a5a5a5a5a5a5a5a;

    assert_true(try_read(csrno, &v));
    return v;
}

static void wr(unsigned csrno, uint64_t value)
{
    assert_true(try_write(csrno, value));
}

static uint64_t wr_rd(unsigned csrno, uint64_t value)
{
    wr(csrno, value);
    return rd(csrno);
}

#define MSTATUS       0x300
#define MISA          0x301
#define MEDELEG       0x302
#define MIDELEG       0x303
#define MIE           0x304
#define MTVEC         0x305
#define MCOUNTEREN    0x306
#define MENVCFG       0x30a
#define MCOUNTINHIBIT 0x320
#define MSCRATCH      0x340
#define MEPC          0x341
#define MCAUSE        0x342
#define MTVAL         0x343
#define MIP           0x344
#define SSTATUS       0x100
#define SIE           0x104
#define STVEC         0x105
#define SCOUNTEREN    0x106
#define SENVCFG       0x10a
#define SSCRATCH      0x140
#define SEPC          0x141
#define SCAUSE        0x142
#define STVAL         0x143
#define SIP           0x144
#define SATP          0x180
#define MCYCLE        0xb00
#define MINSTRET      0xb02
#define CYCLE         0xc00
#define TIME          0xc01
#define INSTRET       0xc02
#define HPMCOUNTER3   0xc03

#define MSTATUS_64 ((UINT64_C(2) << 34) | (UINT64_C(2) << 32)) /* SXL = UXL = 2 */
#define IRQ(n)     (UINT64_C(1) << (n))

/* ---- reset and identification ---- */

static void test_reset_puts_mstatus_at_64_bit_sxl_uxl_and_everything_else_zero(void **state)
{
    (void)state;
    assert_int_equal(env->priv, RV_PRIV_M);
    assert_int_equal(rd(MSTATUS), MSTATUS_64);
    assert_int_equal(rd(MTVEC), 0);
    assert_int_equal(rd(MEDELEG), 0);
    assert_int_equal(rd(MIDELEG), 0);
    assert_int_equal(rd(MIE), 0);
    assert_int_equal(rd(MCOUNTEREN), 0);
    assert_int_equal(rd(SATP), 0);
    assert_int_equal(rd(0x3a0), 0);
}

static void test_misa_reports_rv64_imafdc_with_s_and_u_and_ignores_writes(void **state)
{
    uint64_t expect = (UINT64_C(2) << 62) | (1u << 0) | (1u << 2) | (1u << 3) | (1u << 5) |
                      (1u << 8) | (1u << 12) | (1u << 18) | (1u << 20);

    (void)state;
    assert_int_equal(rd(MISA), expect);
    assert_int_equal(wr_rd(MISA, 0), expect);
}

static void test_identification_csrs_read_their_values(void **state)
{
    (void)state;
    assert_int_equal(rd(0xf11), 0);       /* mvendorid: not a commercial implementation */
    assert_int_equal(rd(0xf12), 0x70216); /* marchid, as QEMU 7.2.22 */
    assert_int_equal(rd(0xf13), 0x70216); /* mimpid */
    assert_int_equal(rd(0xf15), 0);       /* mconfigptr */
}

static void test_mhartid_is_the_harts_id(void **state)
{
    (void)state;
    hart->hartid = 5;
    device_cold_reset(DEVICE(hart));
    assert_int_equal(rd(0xf14), 5);
}

static void test_writing_a_read_only_csr_is_illegal(void **state)
{
    uint64_t old;

    (void)state;
    assert_false(try_write(0xf14, 1));
    assert_false(try_write(0xf11, 0));
    assert_false(try_write(CYCLE, 0));
    /* csrrs with rs1 = x0 does not write: legal */
    assert_true(rv_csr_rmw(env, 0xf14, &old, 0, 0, false));
}

static void test_csrs_that_do_not_exist_are_illegal(void **state)
{
    uint64_t v;

    (void)state;
    assert_false(try_read(0x747, &v)); /* mseccfg */
    assert_false(try_read(0x3a1, &v)); /* pmpcfg1: RV32 only */
    assert_false(try_read(0x3a3, &v)); /* pmpcfg3 */
    assert_false(try_read(0x7a0, &v)); /* tselect */
    assert_false(try_read(0xb01, &v)); /* no mtime CSR */
    assert_false(try_read(0x600, &v)); /* hstatus: no H */
    assert_false(try_read(0x7ff, &v));
    assert_false(try_read(4096, &v));
}

static void test_machine_csrs_are_illegal_below_m_and_supervisor_csrs_below_s(void **state)
{
    uint64_t v;

    (void)state;
    env->priv = RV_PRIV_S;
    assert_false(try_read(MSTATUS, &v));
    assert_false(try_read(0xf14, &v));
    assert_true(try_read(SSTATUS, &v));
    env->priv = RV_PRIV_U;
    assert_false(try_read(SSTATUS, &v));
    assert_false(try_write(SSCRATCH, 1));
}

static void test_a_write_ends_the_block_and_a_read_does_not(void **state)
{
    (void)state;
    env->exit_block = false;
    rd(MSCRATCH);
    assert_false(env->exit_block);
    wr(MSCRATCH, 1);
    assert_true(env->exit_block);
}

static void test_csrrs_and_csrrc_change_only_the_masked_bits(void **state)
{
    uint64_t old;

    (void)state;
    wr(MSCRATCH, 0xff00);
    assert_true(rv_csr_rmw(env, MSCRATCH, &old, 0x0f, 0x0f, true)); /* csrrs */
    assert_int_equal(old, 0xff00);
    assert_int_equal(rd(MSCRATCH), 0xff0f);
    assert_true(rv_csr_rmw(env, MSCRATCH, &old, 0, 0xf00f, true)); /* csrrc */
    assert_int_equal(old, 0xff0f);
    assert_int_equal(rd(MSCRATCH), 0x0f00);
}

/* ---- mstatus and sstatus ---- */

static void test_mstatus_writable_fields_and_fixed_xlen(void **state)
{
    /* SD, SXL=2, UXL=2, TSR TW TVM MXR SUM MPRV, FS=3, MPP=3, SPP, MPIE, SPIE, MIE, SIE */
    uint64_t all = (UINT64_C(1) << 63) | MSTATUS_64 | (UINT64_C(0x3f) << 17) | (UINT64_C(3) << 13) |
                   (UINT64_C(3) << 11) | (1u << 8) | (1u << 7) | (1u << 5) | (1u << 3) | (1u << 1);

    (void)state;
    assert_int_equal(wr_rd(MSTATUS, UINT64_MAX), all);
    assert_int_equal(wr_rd(MSTATUS, 0), MSTATUS_64);
}

static void test_mstatus_mpp_keeps_its_value_on_a_write_of_the_reserved_2(void **state)
{
    (void)state;
    wr(MSTATUS, UINT64_C(1) << 11);
    assert_int_equal(wr_rd(MSTATUS, UINT64_C(2) << 11) & RV_MSTATUS_MPP, UINT64_C(1) << 11);
    assert_int_equal(wr_rd(MSTATUS, 0) & RV_MSTATUS_MPP, 0);
}

static void test_mstatus_sd_reads_whether_fs_is_dirty(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(MSTATUS, UINT64_C(1) << 13), MSTATUS_64 | (UINT64_C(1) << 13));
    assert_int_equal(wr_rd(MSTATUS, UINT64_C(2) << 13), MSTATUS_64 | (UINT64_C(2) << 13));
    assert_int_equal(wr_rd(MSTATUS, UINT64_C(3) << 13),
                     (UINT64_C(1) << 63) | MSTATUS_64 | (UINT64_C(3) << 13));
}

static void test_sstatus_shows_and_writes_only_the_supervisor_fields(void **state)
{
    /* SD, UXL=2, MXR, SUM, FS=3, SPP, SPIE, SIE */
    uint64_t s_all = (UINT64_C(1) << 63) | (UINT64_C(2) << 32) | (UINT64_C(3) << 18) |
                     (UINT64_C(3) << 13) | (1u << 8) | (1u << 5) | (1u << 1);

    (void)state;
    assert_int_equal(wr_rd(SSTATUS, UINT64_MAX), s_all);
    assert_int_equal(rd(MSTATUS), s_all | (UINT64_C(2) << 34));
    wr(MSTATUS, UINT64_MAX);
    wr(SSTATUS, 0);
    /* the M-only fields stay */
    assert_int_equal(rd(MSTATUS) & (RV_MSTATUS_MIE | RV_MSTATUS_MPP | RV_MSTATUS_TVM),
                     RV_MSTATUS_MIE | RV_MSTATUS_MPP | RV_MSTATUS_TVM);
    assert_int_equal(rd(SSTATUS), UINT64_C(2) << 32);
}

static void test_mstatus_mprv_change_flushes_the_tlb_and_mie_does_not(void **state)
{
    (void)state;
    env->tlb[RV_ACCESS_LOAD][0].tag = 7;
    wr(MSTATUS, RV_MSTATUS_MIE);
    assert_int_equal(env->tlb[RV_ACCESS_LOAD][0].tag, 7);
    wr(MSTATUS, RV_MSTATUS_MIE | RV_MSTATUS_MPRV);
    assert_int_equal(env->tlb[RV_ACCESS_LOAD][0].tag, 0);
    env->tlb[RV_ACCESS_LOAD][0].tag = 7;
    wr(MSTATUS, RV_MSTATUS_MIE | RV_MSTATUS_MPRV | RV_MSTATUS_SUM);
    assert_int_equal(env->tlb[RV_ACCESS_LOAD][0].tag, 0);
}

/* ---- trap delegation, enables, pending ---- */

static void test_medeleg_delegates_every_exception_but_ecall_from_m(void **state)
{
    (void)state;
    /* 0-9, 12, 13, 15: bit 10 (ecall from VS) and 14 do not exist, 11 is read-only 0 */
    assert_int_equal(wr_rd(MEDELEG, UINT64_MAX), 0xb3ff);
    assert_int_equal(wr_rd(MEDELEG, IRQ(11)), 0);
}

static void test_mideleg_delegates_the_supervisor_interrupts_and_lcofi(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(MIDELEG, UINT64_MAX), IRQ(1) | IRQ(5) | IRQ(9) | IRQ(13));
}

static void test_mie_enables_the_machine_and_supervisor_interrupts_and_lcofi(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(MIE, UINT64_MAX),
                     IRQ(1) | IRQ(3) | IRQ(5) | IRQ(7) | IRQ(9) | IRQ(11) | IRQ(13));
}

static void test_mip_software_writes_reach_only_ssip_stip_seip_lcofip(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(MIP, UINT64_MAX), IRQ(1) | IRQ(5) | IRQ(9) | IRQ(13));
    assert_int_equal(wr_rd(MIP, 0), 0);
}

static void test_mip_reads_device_lines_that_writes_cannot_clear(void **state)
{
    (void)state;
    qemu_set_irq(rv_hart_irq_in(hart, RV_IRQ_MTIP), 1);
    assert_int_equal(wr_rd(MIP, 0), IRQ(7));
}

static void test_csrrs_on_mip_does_not_latch_the_plics_seip(void **state)
{
    uint64_t old;

    (void)state;
    qemu_set_irq(rv_hart_irq_in(hart, RV_IRQ_SEIP), 1);
    assert_true(rv_csr_rmw(env, MIP, &old, IRQ(1), IRQ(1), true)); /* csrs mip, SSIP */
    assert_int_equal(old, IRQ(9));                                 /* rd: mip as read */
    qemu_set_irq(rv_hart_irq_in(hart, RV_IRQ_SEIP), 0);
    assert_int_equal(rd(MIP), IRQ(1));
}

static void test_sie_is_mie_through_mideleg(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(SIE, UINT64_MAX), 0);
    assert_int_equal(rd(MIE), 0);
    wr(MIDELEG, IRQ(1) | IRQ(5));
    assert_int_equal(wr_rd(SIE, UINT64_MAX), IRQ(1) | IRQ(5));
    assert_int_equal(rd(MIE), IRQ(1) | IRQ(5));
    wr(MIE, UINT64_MAX);
    assert_int_equal(rd(SIE), IRQ(1) | IRQ(5));
}

static void test_sip_shows_delegated_bits_and_lets_s_write_only_ssip_and_lcofip(void **state)
{
    (void)state;
    wr(MIDELEG, UINT64_MAX);
    assert_int_equal(wr_rd(SIP, UINT64_MAX), IRQ(1) | IRQ(13));
    assert_int_equal(rd(MIP), IRQ(1) | IRQ(13));
    wr(MIP, IRQ(5));
    assert_int_equal(rd(SIP), IRQ(5));
    wr(MIDELEG, 0);
    assert_int_equal(wr_rd(SIP, UINT64_MAX), 0);
    assert_int_equal(rd(MIP), IRQ(5));
}

/* ---- trap vectors and handler state ---- */

static void test_mtvec_takes_direct_and_vectored_and_ignores_reserved_modes(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(MTVEC, 0x80000101), 0x80000101);
    assert_int_equal(wr_rd(MTVEC, 0x80000202), 0x80000101);
    assert_int_equal(wr_rd(MTVEC, 0x80000203), 0x80000101);
    assert_int_equal(wr_rd(MTVEC, 0x80000200), 0x80000200);
}

static void test_stvec_takes_direct_and_vectored_and_ignores_reserved_modes(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(STVEC, 0x80200001), 0x80200001);
    assert_int_equal(wr_rd(STVEC, 0x80200302), 0x80200001);
}

static void test_xepc_bit_0_reads_zero(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(MEPC, UINT64_MAX), UINT64_MAX - 1);
    assert_int_equal(wr_rd(SEPC, 0x80000003), 0x80000002);
}

static void test_scratch_cause_and_tval_hold_any_value(void **state)
{
    static const unsigned csrs[] = {MSCRATCH, MCAUSE, MTVAL, SSCRATCH, SCAUSE, STVAL};

    (void)state;
    for (size_t i = 0; i < sizeof(csrs) / sizeof(csrs[0]); i++) {
        assert_int_equal(wr_rd(csrs[i], 0xfedcba9876543210), 0xfedcba9876543210);
    }
}

static void test_counteren_registers_hold_32_bits(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(MCOUNTEREN, UINT64_MAX), 0xffffffff);
    assert_int_equal(wr_rd(SCOUNTEREN, UINT64_MAX), 0xffffffff);
}

static void test_mcountinhibit_has_no_time_bit(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(MCOUNTINHIBIT, UINT64_MAX), 0xfffffffd);
}

static void test_envcfg_registers_keep_only_fiom(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(MENVCFG, UINT64_MAX), 1);
    assert_int_equal(wr_rd(SENVCFG, UINT64_MAX), 1);
}

/* ---- PMP registers ---- */

static void test_pmpcfg_packs_eight_entries_and_reads_reserved_bits_as_zero(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(0x3a0, 0x0f0e0d0c0b0a097f), 0x0f0e0d0c0b0a091f);
    assert_int_equal(env->pmpcfg[1], 0x09);
    assert_int_equal(wr_rd(0x3a2, 0x1b), 0x1b);
    assert_int_equal(env->pmpcfg[8], 0x1b);
}

static void test_pmpaddr_keeps_54_bits(void **state)
{
    (void)state;
    assert_int_equal(wr_rd(0x3b0, UINT64_MAX), (UINT64_C(1) << 54) - 1);
    assert_int_equal(wr_rd(0x3bf, 0x12345), 0x12345);
}

/* ---- satp ---- */

static void test_satp_takes_bare_sv39_and_sv48_with_16_asid_bits(void **state)
{
    uint64_t sv39 = (UINT64_C(8) << 60) | (UINT64_C(0xffff) << 44) | 0xfffffffffff;
    uint64_t sv48 = (UINT64_C(9) << 60) | (UINT64_C(0x1234) << 44) | 0x80200;

    (void)state;
    assert_int_equal(wr_rd(SATP, sv39), sv39);
    assert_int_equal(wr_rd(SATP, sv48), sv48);
    assert_int_equal(wr_rd(SATP, 0), 0);
}

static void test_satp_write_of_another_mode_leaves_it_unchanged(void **state)
{
    uint64_t sv39 = (UINT64_C(8) << 60) | 0x80000;

    (void)state;
    wr(SATP, sv39);
    assert_int_equal(wr_rd(SATP, (UINT64_C(10) << 60) | 1), sv39); /* Sv57 */
    assert_int_equal(wr_rd(SATP, (UINT64_C(1) << 60) | 1), sv39);
    assert_int_equal(wr_rd(SATP, (UINT64_C(15) << 60) | 1), sv39);
}

static void test_satp_is_illegal_in_s_mode_under_tvm(void **state)
{
    uint64_t v;

    (void)state;
    wr(MSTATUS, RV_MSTATUS_TVM);
    env->priv = RV_PRIV_S;
    assert_false(try_read(SATP, &v));
    assert_false(try_write(SATP, 0));
    env->priv = RV_PRIV_M;
    assert_true(try_read(SATP, &v));
    wr(MSTATUS, 0);
    env->priv = RV_PRIV_S;
    assert_true(try_write(SATP, (UINT64_C(8) << 60) | 5));
}

static void test_a_satp_write_flushes_the_tlb(void **state)
{
    (void)state;
    env->tlb[RV_ACCESS_FETCH][3].tag = 9;
    wr(SATP, 0);
    assert_int_equal(env->tlb[RV_ACCESS_FETCH][3].tag, 0);
}

/* ---- floating-point CSRs ---- */

static void test_fp_csrs_are_illegal_while_fs_is_off(void **state)
{
    uint64_t v;

    (void)state;
    assert_false(try_read(0x001, &v));
    assert_false(try_read(0x002, &v));
    assert_false(try_write(0x003, 0));
}

static void test_fcsr_holds_frm_and_fflags_and_a_write_makes_fs_dirty(void **state)
{
    (void)state;
    wr(MSTATUS, UINT64_C(1) << 13); /* FS = Initial */
    assert_int_equal(wr_rd(0x003, UINT64_MAX), 0xff);
    assert_int_equal(rd(0x001), 0x1f);
    assert_int_equal(rd(0x002), 7);
    assert_int_equal(rd(MSTATUS), (UINT64_C(1) << 63) | MSTATUS_64 | (UINT64_C(3) << 13));
    assert_int_equal(wr_rd(0x002, 0x1fd), 5);
    assert_int_equal(wr_rd(0x001, 0x3e1), 1);
    assert_int_equal(rd(0x003), (5 << 5) | 1);
    assert_int_equal(env->frm, 5);
    assert_int_equal(env->fflags, 1);
}

/* ---- counters ---- */

static void test_a_write_of_0_to_minstret_reads_back_0(void **state)
{
    (void)state;
    env->insns = 100;
    env->traps = 10;
    wr(MINSTRET, 0);
    env->insns++; /* the csrw retires */
    assert_int_equal(rd(MINSTRET), 0);
}

static void test_minstret_counts_retired_instructions_and_not_traps(void **state)
{
    (void)state;
    env->insns = 40;
    wr(MINSTRET, 1000);
    env->insns++;
    env->insns += 5; /* five retire */
    assert_int_equal(rd(MINSTRET), 1005);
    env->insns++; /* one traps */
    env->traps++;
    assert_int_equal(rd(MINSTRET), 1005);
    assert_int_equal(rd(INSTRET), 1005);
}

static void test_mcycle_counts_every_executed_instruction(void **state)
{
    (void)state;
    env->insns = 7;
    wr(MCYCLE, 0);
    env->insns++;
    assert_int_equal(rd(MCYCLE), 0);
    env->insns += 3;
    env->traps++;
    assert_int_equal(rd(MCYCLE), 3);
    assert_int_equal(rd(CYCLE), 3);
}

static void test_mcountinhibit_freezes_a_counter_at_its_value(void **state)
{
    uint64_t frozen;

    (void)state;
    env->insns = 50;
    wr(MCOUNTINHIBIT, 1); /* CY */
    env->insns++;
    frozen = rd(MCYCLE);
    assert_int_equal(frozen, 50);
    env->insns += 10;
    assert_int_equal(rd(MCYCLE), 50);
    assert_int_equal(wr_rd(MCYCLE, 123), 123); /* a write to a frozen counter holds */
    env->insns++;
    wr(MCOUNTINHIBIT, 0);
    env->insns++;
    assert_int_equal(rd(MCYCLE), 123);
    env->insns += 2;
    assert_int_equal(rd(MCYCLE), 125);
}

static void test_mcountinhibit_ir_freezes_minstret_only(void **state)
{
    (void)state;
    env->insns = 20;
    wr(MCOUNTINHIBIT, 4); /* IR */
    env->insns++;
    env->insns += 4;
    assert_int_equal(rd(MINSTRET), 20);
    assert_int_equal(rd(MCYCLE), 25);
}

static void test_hpm_counters_read_zero_and_events_hold_values(void **state)
{
    (void)state;
    for (unsigned i = 3; i <= 31; i++) {
        assert_int_equal(wr_rd(0xb00 + i, 77), 0);
        assert_int_equal(wr_rd(0x320 + i, 0x100 + i), 0x100 + i);
    }
}

static void test_user_counters_follow_mcounteren_and_scounteren(void **state)
{
    uint64_t v;

    (void)state;
    env->priv = RV_PRIV_S;
    assert_false(try_read(CYCLE, &v));
    env->priv = RV_PRIV_M;
    wr(MCOUNTEREN, 1 << 0 | 1 << 2 | 1 << 3);
    env->priv = RV_PRIV_S;
    assert_true(try_read(CYCLE, &v));
    assert_true(try_read(INSTRET, &v));
    assert_true(try_read(HPMCOUNTER3, &v));
    assert_int_equal(v, 0);
    assert_false(try_read(HPMCOUNTER3 + 1, &v));
    env->priv = RV_PRIV_U;
    assert_false(try_read(CYCLE, &v));
    env->priv = RV_PRIV_S;
    wr(SCOUNTEREN, 1 << 2);
    env->priv = RV_PRIV_U;
    assert_false(try_read(CYCLE, &v));
    assert_true(try_read(INSTRET, &v));
}

static uint64_t fake_time(void *opaque)
{
    return *(uint64_t *)opaque;
}

static void test_time_reads_the_boards_timer_and_needs_it_and_tm(void **state)
{
    uint64_t now = 123456, v;

    (void)state;
    assert_false(try_read(TIME, &v)); /* no timer: illegal even in M */
    env->rdtime = fake_time;
    env->rdtime_opaque = &now;
    assert_int_equal(rd(TIME), 123456);
    env->priv = RV_PRIV_S;
    assert_false(try_read(TIME, &v));
    env->priv = RV_PRIV_M;
    wr(MCOUNTEREN, 1 << 1);
    env->priv = RV_PRIV_S;
    now = 5;
    assert_int_equal(rd(TIME), 5);
    assert_false(try_write(TIME, 0));
}

static void test_a_counter_written_between_instructions_reads_back_at_once(void **state)
{
    uint64_t old;

    (void)state;
    env->insns = 300;
    env->traps = 3;
    assert_true(rv_csr_debug_rmw(env, MINSTRET, &old, 0, UINT64_MAX, true));
    assert_int_equal(rd(MINSTRET), 0);
    assert_true(rv_csr_debug_rmw(env, MCYCLE, &old, 42, UINT64_MAX, true));
    assert_int_equal(rd(MCYCLE), 42);
    /* an instruction's write still counts its own retirement */
    wr(MCYCLE, 42);
    env->insns++;
    assert_int_equal(rd(MCYCLE), 42);
}

/* ---- names ---- */

static void test_names_include_the_index_of_numbered_csrs(void **state)
{
    (void)state;
    assert_string_equal(rv_csr_name(0x300), "mstatus");
    assert_string_equal(rv_csr_name(0x3b5), "pmpaddr5");
    assert_string_equal(rv_csr_name(0xb03), "mhpmcounter3");
    assert_string_equal(rv_csr_name(0x33f), "mhpmevent31");
    assert_string_equal(rv_csr_name(0xc1f), "hpmcounter31");
    assert_string_equal(rv_csr_name(0x003), "fcsr");
    assert_null(rv_csr_name(0x7ff));
    assert_null(rv_csr_name(5000));
}

static void test_lookup_takes_a_name_or_a_number(void **state)
{
    (void)state;
    assert_int_equal(rv_csr_lookup("mstatus"), 0x300);
    assert_int_equal(rv_csr_lookup("satp"), 0x180);
    assert_int_equal(rv_csr_lookup("pmpaddr15"), 0x3bf);
    assert_int_equal(rv_csr_lookup("0x300"), 0x300);
    assert_int_equal(rv_csr_lookup("768"), 0x300);
    assert_int_equal(rv_csr_lookup("nonsense"), -1);
    assert_int_equal(rv_csr_lookup("0x7ff"), -1);
    assert_int_equal(rv_csr_lookup("0x300z"), -1);
    assert_int_equal(rv_csr_lookup(""), -1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reset_puts_mstatus_at_64_bit_sxl_uxl_and_everything_else_zero),
        T(test_misa_reports_rv64_imafdc_with_s_and_u_and_ignores_writes),
        T(test_identification_csrs_read_their_values),
        T(test_mhartid_is_the_harts_id),
        T(test_writing_a_read_only_csr_is_illegal),
        T(test_csrs_that_do_not_exist_are_illegal),
        T(test_machine_csrs_are_illegal_below_m_and_supervisor_csrs_below_s),
        T(test_a_write_ends_the_block_and_a_read_does_not),
        T(test_csrrs_and_csrrc_change_only_the_masked_bits),
        T(test_mstatus_writable_fields_and_fixed_xlen),
        T(test_mstatus_mpp_keeps_its_value_on_a_write_of_the_reserved_2),
        T(test_mstatus_sd_reads_whether_fs_is_dirty),
        T(test_sstatus_shows_and_writes_only_the_supervisor_fields),
        T(test_mstatus_mprv_change_flushes_the_tlb_and_mie_does_not),
        T(test_medeleg_delegates_every_exception_but_ecall_from_m),
        T(test_mideleg_delegates_the_supervisor_interrupts_and_lcofi),
        T(test_mie_enables_the_machine_and_supervisor_interrupts_and_lcofi),
        T(test_mip_software_writes_reach_only_ssip_stip_seip_lcofip),
        T(test_mip_reads_device_lines_that_writes_cannot_clear),
        T(test_csrrs_on_mip_does_not_latch_the_plics_seip),
        T(test_sie_is_mie_through_mideleg),
        T(test_sip_shows_delegated_bits_and_lets_s_write_only_ssip_and_lcofip),
        T(test_mtvec_takes_direct_and_vectored_and_ignores_reserved_modes),
        T(test_stvec_takes_direct_and_vectored_and_ignores_reserved_modes),
        T(test_xepc_bit_0_reads_zero),
        T(test_scratch_cause_and_tval_hold_any_value),
        T(test_counteren_registers_hold_32_bits),
        T(test_mcountinhibit_has_no_time_bit),
        T(test_envcfg_registers_keep_only_fiom),
        T(test_pmpcfg_packs_eight_entries_and_reads_reserved_bits_as_zero),
        T(test_pmpaddr_keeps_54_bits),
        T(test_satp_takes_bare_sv39_and_sv48_with_16_asid_bits),
        T(test_satp_write_of_another_mode_leaves_it_unchanged),
        T(test_satp_is_illegal_in_s_mode_under_tvm),
        T(test_a_satp_write_flushes_the_tlb),
        T(test_fp_csrs_are_illegal_while_fs_is_off),
        T(test_fcsr_holds_frm_and_fflags_and_a_write_makes_fs_dirty),
        T(test_a_write_of_0_to_minstret_reads_back_0),
        T(test_minstret_counts_retired_instructions_and_not_traps),
        T(test_mcycle_counts_every_executed_instruction),
        T(test_mcountinhibit_freezes_a_counter_at_its_value),
        T(test_mcountinhibit_ir_freezes_minstret_only),
        T(test_hpm_counters_read_zero_and_events_hold_values),
        T(test_user_counters_follow_mcounteren_and_scounteren),
        T(test_time_reads_the_boards_timer_and_needs_it_and_tm),
        T(test_a_counter_written_between_instructions_reads_back_at_once),
        T(test_names_include_the_index_of_numbered_csrs),
        T(test_lookup_takes_a_name_or_a_number),
    };

    module_call_init(MODULE_INIT_QOM);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
