/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pmp.c - physical memory protection (privileged spec 1.12, section 3.7):
 * 16 entries, address matching OFF / TOR / NA4 / NAPOT at a 4-byte
 * granularity (G = 0), locking, and the check every physical access of a
 * hart goes through (mem.c, mmu.c's page-table reads).
 *
 * Matching: the lowest-numbered entry that matches any byte of an access
 * decides; if it does not cover every byte the access fails whatever the
 * privilege.  A full match allows M-mode unless the entry is locked, and
 * S/U-mode by its R/W/X bits.  No match: M-mode is allowed, S and U are
 * denied (16 entries are implemented).
 *
 * WARL choices: pmpaddr keeps bits 53:0 (physical addresses of 56 bits);
 * pmpcfg keeps L, A, X, W, R as written - the reserved R=0/W=1 combination
 * too, as QEMU 7.2 does - and reads bits 6:5 as 0.  A locked entry ignores
 * writes to its pmpcfg and pmpaddr, and a locked TOR entry also protects
 * the pmpaddr below it.
 */
#include "cpu/cpu.h"

#define PMP_R         0x01u
#define PMP_W         0x02u
#define PMP_X         0x04u
#define PMP_A_SHIFT   3
#define PMP_A_MASK    0x18u
#define PMP_L         0x80u
#define PMP_CFG_WMASK (PMP_L | PMP_A_MASK | PMP_X | PMP_W | PMP_R)
#define PMP_ADDR_MASK ((UINT64_C(1) << 54) - 1)
#define PMP_PAGE_SIZE UINT64_C(4096)

enum { PMP_A_OFF, PMP_A_TOR, PMP_A_NA4, PMP_A_NAPOT };

static unsigned pmp_a(uint8_t cfg)
{
    return (cfg & PMP_A_MASK) >> PMP_A_SHIFT;
}

/* The bytes entry i covers, [*lo, *hi] inclusive; false when it matches nothing. */
static bool pmp_range(const CPURVState *env, unsigned i, uint64_t *lo, uint64_t *hi)
{
    uint64_t addr = env->pmpaddr[i];
    unsigned ones;

    switch (pmp_a(env->pmpcfg[i])) {
    case PMP_A_TOR: {
        uint64_t base = i ? env->pmpaddr[i - 1] << 2 : 0;
        uint64_t top = addr << 2;

        if (base >= top) {
            return false;
        }
        *lo = base;
        *hi = top - 1;
        return true;
    }
    case PMP_A_NA4:
        *lo = addr << 2;
        *hi = *lo + 3;
        return true;
    case PMP_A_NAPOT:
        /* pmpaddr holds 54 bits: at most 54 trailing ones, a 2^57-byte region. */
        ones = (unsigned)__builtin_ctzll(~addr);
        *lo = (addr & ~((UINT64_C(1) << ones) - 1)) << 2;
        *hi = *lo + ((UINT64_C(1) << (ones + 3)) - 1);
        return true;
    default:
        return false;
    }
}

bool rv_pmp_check(const CPURVState *env, uint64_t paddr, unsigned size, RVAccess acc, unsigned priv)
{
    uint64_t end = paddr + (size ? size : 1) - 1;
    uint8_t need = acc == RV_ACCESS_LOAD ? PMP_R : acc == RV_ACCESS_STORE ? PMP_W : PMP_X;

    if (end < paddr) {
        end = UINT64_MAX; /* an access wrapping the address space: its bytes to the top */
    }
    for (unsigned i = 0; i < RV_PMP_ENTRIES; i++) {
        uint8_t cfg = env->pmpcfg[i];
        uint64_t lo, hi;

        if (!pmp_range(env, i, &lo, &hi) || end < lo || paddr > hi) {
            continue;
        }
        if (paddr < lo || end > hi) {
            return false; /* matches some bytes only */
        }
        if (priv == RV_PRIV_M && !(cfg & PMP_L)) {
            return true;
        }
        return (cfg & need) != 0;
    }
    return priv == RV_PRIV_M;
}

/*
 * The page gets one decision for every byte when the first entry that
 * overlaps it covers it whole, or when no entry overlaps it.
 */
bool rv_pmp_page_uniform(const CPURVState *env, uint64_t page_paddr, unsigned priv)
{
    uint64_t first = page_paddr & ~(PMP_PAGE_SIZE - 1);
    uint64_t last = first + PMP_PAGE_SIZE - 1;

    /*
     * Whatever the privilege: even an unlocked entry, which allows M
     * everything inside it, fails an M access that is only partly inside it,
     * so a page it covers in part is never cached for anyone.
     */
    (void)priv;
    for (unsigned i = 0; i < RV_PMP_ENTRIES; i++) {
        uint64_t lo, hi;

        if (!pmp_range(env, i, &lo, &hi) || last < lo || first > hi) {
            continue;
        }
        return lo <= first && hi >= last;
    }
    return true;
}

void rv_pmp_write_cfg(CPURVState *env, unsigned index, uint8_t value)
{
    if (index >= RV_PMP_ENTRIES || (env->pmpcfg[index] & PMP_L)) {
        return;
    }
    env->pmpcfg[index] = value & PMP_CFG_WMASK;
    rv_tlb_flush(env);
}

void rv_pmp_write_addr(CPURVState *env, unsigned index, uint64_t value)
{
    if (index >= RV_PMP_ENTRIES || (env->pmpcfg[index] & PMP_L)) {
        return;
    }
    if (index + 1 < RV_PMP_ENTRIES && (env->pmpcfg[index + 1] & PMP_L) &&
        pmp_a(env->pmpcfg[index + 1]) == PMP_A_TOR) {
        return;
    }
    env->pmpaddr[index] = value & PMP_ADDR_MASK;
    rv_tlb_flush(env);
}

uint64_t rv_pmp_read_addr(const CPURVState *env, unsigned index)
{
    return index < RV_PMP_ENTRIES ? env->pmpaddr[index] : 0;
}
