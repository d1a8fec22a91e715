/* SPDX-License-Identifier: GPL-2.0-or-later */
/* csr.c - PLACEHOLDER until the CSR table lands: a handful of M-mode CSRs. */
#include "cpu/cpu.h"

#include <string.h>

static uint64_t *rv_csr_field(CPURVState *env, unsigned csrno)
{
    switch (csrno) {
    case 0x300:
        return &env->mstatus;
    case 0x301:
        return &env->misa;
    case 0x305:
        return &env->mtvec;
    case 0x340:
        return &env->mscratch;
    case 0x341:
        return &env->mepc;
    case 0x342:
        return &env->mcause;
    case 0x343:
        return &env->mtval;
    case 0xf14:
        return &env->mhartid;
    default:
        return NULL;
    }
}

bool rv_csr_rmw(CPURVState *env, unsigned csrno, uint64_t *old, uint64_t value, uint64_t mask,
                bool write)
{
    uint64_t *f = rv_csr_field(env, csrno);

    if (!f) {
        return false;
    }
    *old = *f;
    if (write) {
        *f = (*f & ~mask) | (value & mask);
        env->exit_block = true;
    }
    return true;
}

const char *rv_csr_name(unsigned csrno)
{
    (void)csrno;
    return NULL;
}

int rv_csr_lookup(const char *name)
{
    (void)name;
    return -1;
}

void rv_csr_reset(CPURVState *env)
{
    env->misa = (UINT64_C(2) << 62) | 0x14112d; /* RV64 ACDFIMSU */
    env->mstatus = (UINT64_C(2) << 32) | (UINT64_C(2) << 34);
}
