/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mmu.c - PLACEHOLDER until Sv39/Sv48 land: bare translation only. */
#include "cpu/cpu.h"

unsigned rv_mmu_effective_priv(const CPURVState *env, RVAccess acc)
{
    if (acc != RV_ACCESS_FETCH && (env->mstatus & RV_MSTATUS_MPRV)) {
        return (env->mstatus & RV_MSTATUS_MPP) >> 11;
    }
    return env->priv;
}

bool rv_mmu_translate(CPURVState *env, uint64_t vaddr, RVAccess acc, uint64_t *paddr,
                      uint64_t *cause)
{
    (void)env;
    (void)acc;
    (void)cause;
    *paddr = vaddr;
    return true;
}
