/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trap.c - exceptions, interrupts, delegation, mret/sret, WFI rules and
 * privilege changes (privileged spec 1.12, M + S + U, no H).
 *
 * A trap goes to S-mode when the hart is in S or U and the cause's bit is
 * set in medeleg (exceptions) or mideleg (interrupts); otherwise to M-mode.
 * Exceptions always go to the trap vector's base; interrupts to
 * base + 4 * cause when the vector's mode is 1 (vectored).
 *
 * Interrupts: the ones not delegated (M-level) come before the delegated
 * ones (S-level); within each, MEI, MSI, MTI, SEI, SSI, STI, LCOFI.  An
 * M-level interrupt is taken below M or in M with mstatus.MIE; an S-level one
 * below S or in S with mstatus.SIE, never in M.
 *
 * As QEMU 7.2 does, every trap and xRET drops the LR reservation, and -d int
 * logs each trap in QEMU's line format.
 */
#include "cpu/cpu.h"

#include <inttypes.h>

#include "core/log.h"

/* The names QEMU's -d int log gives causes. */
static const char *const rv_excp_names[] = {
    "misaligned_fetch",
    "fault_fetch",
    "illegal_instruction",
    "breakpoint",
    "misaligned_load",
    "fault_load",
    "misaligned_store",
    "fault_store",
    "user_ecall",
    "supervisor_ecall",
    "hypervisor_ecall",
    "machine_ecall",
    "exec_page_fault",
    "load_page_fault",
    "reserved",
    "store_page_fault",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "guest_exec_page_fault",
    "guest_load_page_fault",
    "reserved",
    "guest_store_page_fault",
};

static const char *const rv_intr_names[] = {
    "u_software", "s_software", "vs_software", "m_software", "u_timer",     "s_timer",
    "vs_timer",   "m_timer",    "u_external",  "s_external", "vs_external", "m_external",
    "reserved",   "reserved",   "reserved",    "reserved",
};

static const char *rv_trap_name(uint64_t cause, bool async)
{
    if (async) {
        return cause < sizeof(rv_intr_names) / sizeof(rv_intr_names[0]) ? rv_intr_names[cause]
                                                                        : "(unknown)";
    }
    return cause < sizeof(rv_excp_names) / sizeof(rv_excp_names[0]) ? rv_excp_names[cause]
                                                                    : "(unknown)";
}

void rv_set_priv(CPURVState *env, unsigned priv)
{
    if (env->priv != priv) {
        env->priv = (uint8_t)priv;
        rv_tlb_flush(env);
    }
    env->res_valid = false;
}

static uint64_t rv_vector(uint64_t tvec, bool async, uint64_t cause)
{
    return (tvec & ~UINT64_C(3)) + (async && (tvec & 3) == 1 ? 4 * cause : 0);
}

/*
 * mstatus changed from old by a trap or xRET: when MPRV is or was on and MPP
 * or MPRV moved, loads and stores now translate at another privilege, and
 * the TLB (filled for the old one) goes, even if the hart stays in M.
 */
static void rv_mprv_context_changed(CPURVState *env, uint64_t old)
{
    uint64_t now = env->mstatus;

    if (((old | now) & RV_MSTATUS_MPRV) && ((old ^ now) & (RV_MSTATUS_MPP | RV_MSTATUS_MPRV))) {
        rv_tlb_flush(env);
    }
}

static void rv_trap(CPURVState *env, bool async, uint64_t cause, uint64_t tval)
{
    uint64_t deleg = async ? env->mideleg : env->medeleg;
    uint64_t s = env->mstatus, old = s;

    tern_log_mask(LOG_INT,
                  "riscv_cpu_do_interrupt: hart:%" PRId64 ", async:%d, cause:%016" PRIx64
                  ", epc:0x%016" PRIx64 ", tval:0x%016" PRIx64 ", desc=%s\n",
                  (int64_t)env->mhartid, async, cause, env->pc, tval, rv_trap_name(cause, async));

    if (env->priv <= RV_PRIV_S && cause < 64 && ((deleg >> cause) & 1)) {
        s = (s & ~RV_MSTATUS_SPIE) | ((s & RV_MSTATUS_SIE) ? RV_MSTATUS_SPIE : 0);
        s = (s & ~RV_MSTATUS_SPP) | (env->priv == RV_PRIV_S ? RV_MSTATUS_SPP : 0);
        s &= ~RV_MSTATUS_SIE;
        env->mstatus = s;
        env->scause = cause | (async ? RV_CAUSE_INTERRUPT : 0);
        env->sepc = env->pc;
        env->stval = tval;
        env->pc = rv_vector(env->stvec, async, cause);
        rv_set_priv(env, RV_PRIV_S);
    } else {
        s = (s & ~RV_MSTATUS_MPIE) | ((s & RV_MSTATUS_MIE) ? RV_MSTATUS_MPIE : 0);
        s = (s & ~RV_MSTATUS_MPP) | ((uint64_t)env->priv << 11);
        s &= ~RV_MSTATUS_MIE;
        env->mstatus = s;
        env->mcause = cause | (async ? RV_CAUSE_INTERRUPT : 0);
        env->mepc = env->pc;
        env->mtval = tval;
        env->pc = rv_vector(env->mtvec, async, cause);
        rv_set_priv(env, RV_PRIV_M);
        rv_mprv_context_changed(env, old);
    }
    env->wfi = false;
    env->exit_block = true;
}

void rv_raise_exception(CPURVState *env, uint64_t cause, uint64_t tval)
{
    rv_trap(env, false, cause, tval);
    env->traps++;
}

/* Highest priority first (privileged spec 3.1.9, LCOFI after the standard ones). */
static const int rv_irq_order[] = {11, 3, 7, 9, 1, 5, 13};

static int rv_pick(uint64_t irqs)
{
    for (size_t i = 0; i < sizeof(rv_irq_order) / sizeof(rv_irq_order[0]); i++) {
        if (irqs & (UINT64_C(1) << rv_irq_order[i])) {
            return rv_irq_order[i];
        }
    }
    return -1;
}

int rv_pending_interrupt(const CPURVState *env)
{
    uint64_t pending = env->mip & env->mie;
    uint64_t m_irqs = pending & ~env->mideleg;
    uint64_t s_irqs = pending & env->mideleg;
    bool m_on = env->priv < RV_PRIV_M || (env->mstatus & RV_MSTATUS_MIE);
    bool s_on =
        env->priv < RV_PRIV_S || (env->priv == RV_PRIV_S && (env->mstatus & RV_MSTATUS_SIE));
    int irq;

    if (!pending) {
        return -1;
    }
    if (m_on && (irq = rv_pick(m_irqs)) >= 0) {
        return irq;
    }
    if (s_on && (irq = rv_pick(s_irqs)) >= 0) {
        return irq;
    }
    return -1;
}

bool rv_take_interrupt(CPURVState *env)
{
    int irq = rv_pending_interrupt(env);

    if (irq < 0) {
        return false;
    }
    rv_trap(env, true, (uint64_t)irq, 0);
    return true;
}

bool rv_mret(CPURVState *env)
{
    uint64_t s = env->mstatus, old = s;
    unsigned prev = (unsigned)((s & RV_MSTATUS_MPP) >> 11);

    if (env->priv != RV_PRIV_M) {
        return false;
    }
    s = (s & ~RV_MSTATUS_MIE) | ((s & RV_MSTATUS_MPIE) ? RV_MSTATUS_MIE : 0);
    s |= RV_MSTATUS_MPIE;
    s &= ~RV_MSTATUS_MPP; /* U */
    if (prev != RV_PRIV_M) {
        s &= ~RV_MSTATUS_MPRV;
    }
    env->mstatus = s;
    env->pc = env->mepc;
    rv_set_priv(env, prev);
    rv_mprv_context_changed(env, old);
    env->exit_block = true;
    return true;
}

bool rv_sret(CPURVState *env)
{
    uint64_t s = env->mstatus, old = s;
    unsigned prev = (s & RV_MSTATUS_SPP) ? RV_PRIV_S : RV_PRIV_U;

    if (env->priv < RV_PRIV_S || (env->priv == RV_PRIV_S && (s & RV_MSTATUS_TSR))) {
        return false;
    }
    s = (s & ~RV_MSTATUS_SIE) | ((s & RV_MSTATUS_SPIE) ? RV_MSTATUS_SIE : 0);
    s |= RV_MSTATUS_SPIE;
    s &= ~RV_MSTATUS_SPP;
    s &= ~RV_MSTATUS_MPRV; /* the privilege returned to is below M */
    env->mstatus = s;
    env->pc = env->sepc;
    rv_set_priv(env, prev);
    rv_mprv_context_changed(env, old);
    env->exit_block = true;
    return true;
}

bool rv_wfi_allowed(const CPURVState *env)
{
    switch (env->priv) {
    case RV_PRIV_M:
        return true;
    case RV_PRIV_S:
        return !(env->mstatus & RV_MSTATUS_TW);
    default:
        return false; /* U-mode WFI is illegal when S-mode exists */
    }
}

bool rv_wfi_wakeup(const CPURVState *env)
{
    return (env->mip & env->mie) != 0;
}
