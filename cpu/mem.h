/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mem.h - inside cpu/: the decoded-code cache's pages and the inline fast
 * paths of loads and stores (a TLB hit is a host load or store).  The
 * functions every cpu/ file may call are in cpu.h.
 */
#ifndef TERN_CPU_MEM_H
#define TERN_CPU_MEM_H

#include "core/bswap.h"
#include "cpu/cpu.h"
#include "cpu/decode.h"

/*
 * One physical page of decoded code: a slot per 2 bytes; len 0 = not
 * decoded yet.  Two slots past the end stay empty forever, so that the
 * fetch loop can step from one slot to the next without checking for the
 * page's end: falling off it lands on an empty slot, which refetches.
 */
#define RV_PAGE_SLOTS (TARGET_PAGE_SIZE / 2)
typedef struct RVDecodedPage {
    uint64_t paddr;
    bool uncached; /* the one-instruction page of a PMP-split page (mem.c): refetch after it */
    RVInsn insn[RV_PAGE_SLOTS + 2];
} RVDecodedPage;

RVDecodedPage *rv_code_page_get(uint64_t paddr_page);
/* Frees the cache (tern_cleanup). */
void rv_code_cleanup(void);
/*
 * The decoded page for pc's page and the host pointer to the page's first
 * byte; NULL after raising a fetch fault.  A page marked uncached holds
 * only pc's instruction: the caller fetches again for the next one.
 */
RVDecodedPage *rv_fetch_page(CPURVState *env, uint64_t pc, const uint8_t **host);
/*
 * Whether the page-crossing instruction raw at pc is seen for the first time
 * since the decoded-code cache was last emptied (for -d in_asm, which logs
 * each instruction once although crossing ones are never cached).
 */
bool rv_code_crossing_first(uint64_t pc, uint32_t raw);
/* A 32-bit instruction whose high half is on the next page (low: its first 16 bits). */
bool rv_fetch_crossing(CPURVState *env, uint64_t pc, uint16_t low, uint32_t *raw);

/* Host memory access of a constant size: one load or store instruction after inlining. */
static inline uint64_t rv_host_load(const void *p, unsigned size)
{
    switch (size) {
    case 1:
        return *(const uint8_t *)p;
    case 2:
        return load_le16(p);
    case 4:
        return load_le32(p);
    default:
        return load_le64(p);
    }
}

static inline void rv_host_store(void *p, uint64_t value, unsigned size)
{
    switch (size) {
    case 1:
        *(uint8_t *)p = (uint8_t)value;
        break;
    case 2:
        store_le16(p, (uint16_t)value);
        break;
    case 4:
        store_le32(p, (uint32_t)value);
        break;
    default:
        store_le64(p, value);
        break;
    }
}

bool rv_load_slow(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t *value);
bool rv_store_slow(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t value);

static inline bool rv_load_fast(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t *value)
{
    uint64_t vpage = vaddr >> TARGET_PAGE_BITS;
    const RVTLBEntry *e = &env->tlb[RV_ACCESS_LOAD][vpage & (RV_TLB_SIZE - 1)];

    if (__builtin_expect(e->tag == vpage + 1 &&
                             (vaddr & (TARGET_PAGE_SIZE - 1)) <= TARGET_PAGE_SIZE - size,
                         1)) {
        *value = rv_host_load((const void *)(uintptr_t)(vaddr + e->addend), size);
        return true;
    }
    return rv_load_slow(env, vaddr, size, value);
}

static inline bool rv_store_fast(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t value)
{
    uint64_t vpage = vaddr >> TARGET_PAGE_BITS;
    const RVTLBEntry *e = &env->tlb[RV_ACCESS_STORE][vpage & (RV_TLB_SIZE - 1)];

    if (__builtin_expect(e->tag == vpage + 1 &&
                             (vaddr & (TARGET_PAGE_SIZE - 1)) <= TARGET_PAGE_SIZE - size,
                         1)) {
        rv_host_store((void *)(uintptr_t)(vaddr + e->addend), value, size);
        return true;
    }
    return rv_store_slow(env, vaddr, size, value);
}

#endif
