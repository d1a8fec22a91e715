/* SPDX-License-Identifier: GPL-2.0-or-later */
/* trap.c - PLACEHOLDER until traps land: every exception to M-mode, no interrupts. */
#include "cpu/cpu.h"

void rv_set_priv(CPURVState *env, unsigned priv)
{
    if (env->priv != priv) {
        env->priv = priv;
        rv_tlb_flush(env);
    }
}

void rv_raise_exception(CPURVState *env, uint64_t cause, uint64_t tval)
{
    env->mepc = env->pc;
    env->mcause = cause;
    env->mtval = tval;
    env->mstatus = (env->mstatus & ~RV_MSTATUS_MPP) | ((uint64_t)env->priv << 11);
    rv_set_priv(env, RV_PRIV_M);
    env->pc = env->mtvec & ~UINT64_C(3);
    env->traps++;
    env->exit_block = true;
}

int rv_pending_interrupt(const CPURVState *env)
{
    (void)env;
    return -1;
}

bool rv_take_interrupt(CPURVState *env)
{
    (void)env;
    return false;
}

bool rv_mret(CPURVState *env)
{
    env->pc = env->mepc;
    rv_set_priv(env, (env->mstatus & RV_MSTATUS_MPP) >> 11);
    env->exit_block = true;
    return true;
}

bool rv_sret(CPURVState *env)
{
    (void)env;
    return false;
}

bool rv_wfi_allowed(const CPURVState *env)
{
    return env->priv == RV_PRIV_M;
}

bool rv_wfi_wakeup(const CPURVState *env)
{
    return (env->mip & env->mie) != 0;
}
