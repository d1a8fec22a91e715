/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mmu.c - virtual to physical translation for the hart: the effective
 * privilege of an access (MPRV), and the Sv39/Sv48 page-table walk of the
 * privileged spec 1.12 ("Virtual Address Translation Process"), with
 * superpages, canonical address checks, SUM and MXR.
 *
 * Choices where the spec leaves room:
 * - A and D are set by the walk (as QEMU 7.2 does, Svadu-like), never a page
 *   fault: the PTE is rewritten with rv_phys_store after a PMP check as an
 *   S-level store.  The hart is the only writer between the PTE's read and
 *   its update (one host thread runs every hart), so the compare-and-swap of
 *   the spec reduces to the plain store.
 * - Bits 63:54 of every PTE are reserved (no Svnapot, no Svpbmt): set, they
 *   give a page fault.  A, D and U of a non-leaf PTE are not checked (the
 *   spec asks software to clear them; QEMU ignores them too).
 * - A PTE read (or A/D update) that PMP refuses, or that reaches no memory,
 *   is an access fault of the original access's kind.
 * PMP on the final physical address is the caller's (mem.c).
 */
#include "cpu/cpu.h"

#include <inttypes.h>

#include "core/log.h"

#define PTE_V              (UINT64_C(1) << 0)
#define PTE_R              (UINT64_C(1) << 1)
#define PTE_W              (UINT64_C(1) << 2)
#define PTE_X              (UINT64_C(1) << 3)
#define PTE_U              (UINT64_C(1) << 4)
#define PTE_A              (UINT64_C(1) << 6)
#define PTE_D              (UINT64_C(1) << 7)
#define PTE_PPN_SHIFT      10
#define PTE_PPN_BITS       44
#define PTE_RESERVED_SHIFT 54 /* bits 63:54: N, PBMT, reserved */

#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE  0
#define SATP_MODE_SV39  8
#define SATP_MODE_SV48  9
#define SATP_PPN_MASK   ((UINT64_C(1) << 44) - 1)

#define PAGE_SHIFT 12
#define VPN_BITS   9
#define PTE_SIZE   8

unsigned rv_mmu_effective_priv(const CPURVState *env, RVAccess acc)
{
    if (acc != RV_ACCESS_FETCH && env->priv == RV_PRIV_M && (env->mstatus & RV_MSTATUS_MPRV)) {
        return (unsigned)((env->mstatus & RV_MSTATUS_MPP) >> 11);
    }
    return env->priv;
}

static uint64_t page_fault(RVAccess acc)
{
    switch (acc) {
    case RV_ACCESS_FETCH:
        return RV_EXC_INSN_PAGE_FAULT;
    case RV_ACCESS_STORE:
        return RV_EXC_STORE_PAGE_FAULT;
    default:
        return RV_EXC_LOAD_PAGE_FAULT;
    }
}

static uint64_t access_fault(RVAccess acc)
{
    switch (acc) {
    case RV_ACCESS_FETCH:
        return RV_EXC_INSN_ACCESS;
    case RV_ACCESS_STORE:
        return RV_EXC_STORE_ACCESS;
    default:
        return RV_EXC_LOAD_ACCESS;
    }
}

static const char *access_name(RVAccess acc)
{
    return acc == RV_ACCESS_FETCH ? "fetch" : acc == RV_ACCESS_STORE ? "store" : "load";
}

/* Whether a valid leaf PTE lets acc through at priv (step 5 of the walk). */
static bool leaf_allows(const CPURVState *env, uint64_t pte, RVAccess acc, unsigned priv)
{
    if (pte & PTE_U) {
        if (priv == RV_PRIV_S && (acc == RV_ACCESS_FETCH || !(env->mstatus & RV_MSTATUS_SUM))) {
            return false;
        }
    } else if (priv == RV_PRIV_U) {
        return false;
    }
    switch (acc) {
    case RV_ACCESS_FETCH:
        return (pte & PTE_X) != 0;
    case RV_ACCESS_STORE:
        return (pte & PTE_W) != 0;
    default:
        return (pte & PTE_R) || ((pte & PTE_X) && (env->mstatus & RV_MSTATUS_MXR));
    }
}

static bool fail(uint64_t vaddr, RVAccess acc, uint64_t *cause, uint64_t value, const char *why)
{
    *cause = value;
    tern_log_mask(LOG_MMU, "mmu: %s at 0x%016" PRIx64 ": %s, cause %" PRIu64 "\n", access_name(acc),
                  vaddr, why, value);
    return false;
}

bool rv_mmu_translate(CPURVState *env, uint64_t vaddr, RVAccess acc, uint64_t *paddr,
                      uint64_t *cause)
{
    unsigned priv = rv_mmu_effective_priv(env, acc);
    unsigned mode = (unsigned)(env->satp >> SATP_MODE_SHIFT);
    unsigned levels;

    if (priv == RV_PRIV_M || mode == SATP_MODE_BARE) {
        *paddr = vaddr;
        return true;
    }
    if (mode == SATP_MODE_SV39) {
        levels = 3;
    } else if (mode == SATP_MODE_SV48) {
        levels = 4;
    } else {
        /* csr.c never stores another mode (satp writes of one are ignored). */
        *paddr = vaddr;
        return true;
    }

    /* Bits above the top of the virtual address must copy its top bit. */
    unsigned va_bits = PAGE_SHIFT + VPN_BITS * levels;
    uint64_t high = vaddr >> (va_bits - 1);
    if (high != 0 && high != (UINT64_MAX >> (va_bits - 1))) {
        return fail(vaddr, acc, cause, page_fault(acc), "non-canonical address");
    }

    uint64_t table = (env->satp & SATP_PPN_MASK) << PAGE_SHIFT;
    for (int level = (int)levels - 1; level >= 0; level--) {
        unsigned shift = PAGE_SHIFT + VPN_BITS * (unsigned)level;
        uint64_t pte_addr = table + ((vaddr >> shift) & ((1u << VPN_BITS) - 1)) * PTE_SIZE;
        uint64_t pte;

        if (!rv_pmp_check(env, pte_addr, PTE_SIZE, RV_ACCESS_LOAD, RV_PRIV_S)) {
            return fail(vaddr, acc, cause, access_fault(acc), "PMP refuses the PTE read");
        }
        if (!rv_phys_load(env, pte_addr, PTE_SIZE, &pte)) {
            return fail(vaddr, acc, cause, access_fault(acc), "PTE is not in memory");
        }
        tern_log_mask(LOG_MMU, "mmu: level %d PTE at 0x%" PRIx64 " = 0x%016" PRIx64 "\n", level,
                      pte_addr, pte);
        if (!(pte & PTE_V) || ((pte & (PTE_R | PTE_W)) == PTE_W)) {
            return fail(vaddr, acc, cause, page_fault(acc), "invalid PTE");
        }
        if (pte >> PTE_RESERVED_SHIFT) {
            return fail(vaddr, acc, cause, page_fault(acc), "reserved PTE bits set");
        }
        uint64_t ppn = (pte >> PTE_PPN_SHIFT) & ((UINT64_C(1) << PTE_PPN_BITS) - 1);

        if (!(pte & (PTE_R | PTE_X))) {
            if (level == 0) {
                return fail(vaddr, acc, cause, page_fault(acc), "non-leaf PTE at level 0");
            }
            table = ppn << PAGE_SHIFT;
            continue;
        }

        /* A leaf at this level: the page is 2^shift bytes. */
        if (!leaf_allows(env, pte, acc, priv)) {
            return fail(vaddr, acc, cause, page_fault(acc), "permission denied");
        }
        uint64_t offset_mask = (UINT64_C(1) << shift) - 1;
        if ((ppn << PAGE_SHIFT) & offset_mask) {
            return fail(vaddr, acc, cause, page_fault(acc), "misaligned superpage");
        }
        uint64_t updated = pte | PTE_A | (acc == RV_ACCESS_STORE ? PTE_D : 0);
        if (updated != pte) {
            if (!rv_pmp_check(env, pte_addr, PTE_SIZE, RV_ACCESS_STORE, RV_PRIV_S)) {
                return fail(vaddr, acc, cause, access_fault(acc), "PMP refuses the A/D update");
            }
            if (!rv_phys_store(env, pte_addr, PTE_SIZE, updated)) {
                return fail(vaddr, acc, cause, access_fault(acc), "A/D update failed");
            }
        }
        *paddr = (ppn << PAGE_SHIFT) | (vaddr & offset_mask);
        tern_log_mask(LOG_MMU, "mmu: %s at 0x%016" PRIx64 " -> 0x%" PRIx64 "\n", access_name(acc),
                      vaddr, *paddr);
        return true;
    }
    /* Not reached: level 0 either returns a leaf or faults. */
    return fail(vaddr, acc, cause, page_fault(acc), "walk ended without a leaf");
}
