/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pmp.c - PLACEHOLDER until PMP lands: everything allowed. */
#include "cpu/cpu.h"

bool rv_pmp_check(const CPURVState *env, uint64_t paddr, unsigned size, RVAccess acc, unsigned priv)
{
    (void)env, (void)paddr, (void)size, (void)acc, (void)priv;
    return true;
}

bool rv_pmp_page_uniform(const CPURVState *env, uint64_t page_paddr, unsigned priv)
{
    (void)env, (void)page_paddr, (void)priv;
    return true;
}

void rv_pmp_write_cfg(CPURVState *env, unsigned index, uint8_t value)
{
    env->pmpcfg[index] = value;
    rv_tlb_flush(env);
}

void rv_pmp_write_addr(CPURVState *env, unsigned index, uint64_t value)
{
    env->pmpaddr[index] = value & ((UINT64_C(1) << 54) - 1);
    rv_tlb_flush(env);
}

uint64_t rv_pmp_read_addr(const CPURVState *env, unsigned index)
{
    return env->pmpaddr[index];
}
