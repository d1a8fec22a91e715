/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mem.c - PLACEHOLDER: physical accesses only; the TLB lands next. */
#include "cpu/cpu.h"

#include <string.h>

bool rv_phys_load(CPURVState *env, uint64_t paddr, unsigned size, uint64_t *value)
{
    return address_space_ld(env->as, paddr, size, value) == MEMTX_OK;
}

bool rv_phys_store(CPURVState *env, uint64_t paddr, unsigned size, uint64_t value)
{
    return address_space_st(env->as, paddr, size, value) == MEMTX_OK;
}

bool rv_load(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t *value)
{
    return rv_phys_load(env, vaddr, size, value);
}

bool rv_store(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t value)
{
    return rv_phys_store(env, vaddr, size, value);
}

bool rv_amo_translate(CPURVState *env, uint64_t vaddr, unsigned size, bool is_load, uint64_t *paddr)
{
    (void)env, (void)size, (void)is_load;
    *paddr = vaddr;
    return true;
}

void rv_tlb_flush(CPURVState *env)
{
    memset(env->tlb, 0, sizeof(env->tlb));
    env->tlb_epoch = memory_cache_epoch();
}

void rv_code_flush_all(void)
{
}
