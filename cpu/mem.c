/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mem.c - how a hart's instructions reach memory: the TLB of host pointers,
 * the slow path through translation, PMP and the address space, misaligned
 * and page-crossing accesses, AMO addresses, and the decoded-code cache's
 * pages (which stores must keep in step with memory).
 *
 * Not here: the page walk (mmu.c), PMP rules (pmp.c), what an instruction
 * does with the value (exec.c).
 */
#include "cpu/mem.h"

#include <string.h>
#include <glib.h>

#include "core/bswap.h"
#include "core/log.h"

#define PAGE_MASK (~(uint64_t)(TARGET_PAGE_SIZE - 1))

/* ---- the decoded-code cache's pages ------------------------------------------------------ */

/*
 * The physical pages code has been decoded from since the cache was last
 * emptied: stores into such a page take a slow path that empties the slots
 * the store covers.  The cache is emptied whole, its pages freed, by fence.i
 * and whenever the memory core's cache epoch moves (snapshot restore,
 * topology, a dirty-bit reset); emptying moves the epoch too, so every
 * hart's TLB, whose fetch entries point at pages, is flushed before its next
 * fetch.  The fetch loop holds a page only until its next fetch or block end,
 * and every caller of the emptying ends the block first.
 */
static GHashTable *code_pages; /* paddr page -> RVDecodedPage */
static unsigned code_epoch;
static GHashTable *crossing_logged; /* pc -> raw: page-crossing instructions -d in_asm showed */

bool rv_code_crossing_first(uint64_t pc, uint32_t raw)
{
    gpointer seen;
    uint64_t *key;

    if (!crossing_logged) {
        crossing_logged = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    }
    if (g_hash_table_lookup_extended(crossing_logged, &pc, NULL, &seen) &&
        GPOINTER_TO_UINT(seen) == raw) {
        return false;
    }
    key = g_new(uint64_t, 1);
    *key = pc;
    g_hash_table_insert(crossing_logged, key, GUINT_TO_POINTER(raw));
    return true;
}

void rv_code_flush_all(void)
{
    if (crossing_logged) {
        g_hash_table_remove_all(crossing_logged);
    }
    if (code_pages && g_hash_table_size(code_pages)) {
        g_hash_table_remove_all(code_pages);
        memory_cache_invalidate();
    }
    code_epoch = memory_cache_epoch();
}

void rv_code_cleanup(void)
{
    if (crossing_logged) {
        g_hash_table_destroy(crossing_logged);
        crossing_logged = NULL;
    }
    if (code_pages) {
        g_hash_table_destroy(code_pages);
        code_pages = NULL;
    }
}

static RVDecodedPage *rv_code_page_find(uint64_t paddr_page)
{
    return code_pages ? g_hash_table_lookup(code_pages, &paddr_page) : NULL;
}

RVDecodedPage *rv_code_page_get(uint64_t paddr_page)
{
    RVDecodedPage *page;

    if (code_epoch != memory_cache_epoch()) {
        rv_code_flush_all();
    }
    page = rv_code_page_find(paddr_page);
    if (!page) {
        if (!code_pages) {
            code_pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
        }
        page = g_new0(RVDecodedPage, 1);
        page->paddr = paddr_page;
        g_hash_table_insert(code_pages, &page->paddr, page);
        /* No hart may keep a fast store pointer into a page that now holds code. */
        memory_cache_invalidate();
        code_epoch = memory_cache_epoch();
    }
    return page;
}

/*
 * A store of size bytes at paddr: empties the decoded slots it may overlap
 * (the one that starts 2 bytes before it too: a 32-bit instruction), in at
 * most the two pages it touches.  Counted, so an address near 2^64 cannot
 * make the walk wrap.
 */
static void rv_code_store(uint64_t paddr, unsigned size)
{
    uint64_t first = (paddr >= 2 ? paddr - 2 : 0) & ~UINT64_C(1);
    uint64_t slots = ((paddr - first) + size + 1) / 2;

    if (!code_pages || !g_hash_table_size(code_pages)) {
        return;
    }
    for (uint64_t i = 0; i < slots; i++) {
        uint64_t a = first + 2 * i;
        RVDecodedPage *page = rv_code_page_find(a & PAGE_MASK);
        if (page) {
            memset(&page->insn[(a & ~PAGE_MASK) >> 1], 0, sizeof(RVInsn));
        }
        if (a >= UINT64_MAX - 1) {
            break;
        }
    }
}

/* A store of size bytes at offset in a code page: empties the slots it may overlap. */
static void rv_code_store_page(RVDecodedPage *page, unsigned offset, unsigned size)
{
    unsigned first = offset >= 2 ? (offset - 2) >> 1 : 0, last = (offset + size - 1) >> 1;

    memset(&page->insn[first], 0, (last - first + 1) * sizeof(RVInsn));
}

/* ---- the TLB ----------------------------------------------------------------------------- */

void rv_tlb_flush(CPURVState *env)
{
    memset(env->tlb, 0, sizeof(env->tlb));
    env->tlb_epoch = memory_cache_epoch();
}

/*
 * The host pointer for the page at paddr_page, if it is RAM (or ROM, when
 * not for a store) covering the whole page; NULL otherwise.
 */
static uint8_t *rv_ram_page(CPURVState *env, uint64_t paddr_page, bool store)
{
    const FlatRange *fr = address_space_lookup(env->as, paddr_page);

    if (!fr || fr->mr->kind == MR_IO || (store && fr->mr->kind != MR_RAM) ||
        fr->last - paddr_page < TARGET_PAGE_SIZE - 1) {
        return NULL;
    }
    if (store) {
        memory_region_set_dirty(fr->mr, fr->offset + (paddr_page - fr->start), TARGET_PAGE_SIZE);
    }
    return memory_region_get_ram_ptr(fr->mr) + fr->offset + (paddr_page - fr->start);
}

/*
 * Makes the TLB entry for vaddr's page after a successful translation to
 * paddr, when the page may be cached: RAM whole, PMP uniform over it, and
 * for stores not a code page.  Returns the entry or NULL.
 */
static RVTLBEntry *rv_tlb_fill(CPURVState *env, uint64_t vaddr, uint64_t paddr, RVAccess acc)
{
    uint64_t vpage = vaddr >> TARGET_PAGE_BITS, ppage = paddr & PAGE_MASK;
    RVTLBEntry *e = &env->tlb[acc][vpage & (RV_TLB_SIZE - 1)];
    uint8_t *host;

    if (env->tlb_epoch != memory_cache_epoch()) {
        rv_tlb_flush(env);
    }
    if (!rv_pmp_page_uniform(env, ppage, rv_mmu_effective_priv(env, acc))) {
        return NULL;
    }
    host = rv_ram_page(env, ppage, acc == RV_ACCESS_STORE);
    if (!host) {
        return NULL;
    }
    e->tag = vpage + 1;
    e->addend = (uintptr_t)host - (uintptr_t)(vaddr & PAGE_MASK);
    e->paddr_page = ppage;
    e->code = NULL;
    if (acc == RV_ACCESS_STORE && (e->code = rv_code_page_find(ppage))) {
        /*
         * A page holding code: the entry's tag never matches the inline
         * probe, so every store comes here (rv_store_slow) to empty the
         * decoded slots it overwrites, without a walk or a lookup.
         */
        e->tag |= RV_TLB_CODE;
        return NULL;
    }
    return e;
}

/* ---- physical accesses ------------------------------------------------------------------- */

/* Whether paddr is RAM or ROM (no device access needed, no clock sync). */
static bool rv_is_memory(CPURVState *env, uint64_t paddr)
{
    const FlatRange *fr = address_space_lookup(env->as, paddr);
    return fr && fr->mr->kind != MR_IO;
}

bool rv_phys_load(CPURVState *env, uint64_t paddr, unsigned size, uint64_t *value)
{
    if (!rv_is_memory(env, paddr)) {
        rv_clock_sync(env);
        env->exit_block = true;
    }
    return address_space_ld(env->as, paddr, size, value) == MEMTX_OK;
}

bool rv_phys_store(CPURVState *env, uint64_t paddr, unsigned size, uint64_t value)
{
    if (!rv_is_memory(env, paddr)) {
        rv_clock_sync(env);
        env->exit_block = true;
    }
    rv_code_store(paddr, size);
    return address_space_st(env->as, paddr, size, value) == MEMTX_OK;
}

/* ---- virtual accesses -------------------------------------------------------------------- */

static uint64_t rv_access_fault(RVAccess acc)
{
    return acc == RV_ACCESS_LOAD    ? RV_EXC_LOAD_ACCESS
           : acc == RV_ACCESS_STORE ? RV_EXC_STORE_ACCESS
                                    : RV_EXC_INSN_ACCESS;
}

/*
 * vaddr -> paddr for size bytes within one page, with PMP; raises (tval =
 * tval_addr) and returns false on a fault.
 */
static bool rv_translate_checked(CPURVState *env, uint64_t vaddr, unsigned size, RVAccess acc,
                                 uint64_t tval_addr, uint64_t *paddr)
{
    uint64_t cause;

    if (!rv_mmu_translate(env, vaddr, acc, paddr, &cause)) {
        rv_raise_exception(env, cause, tval_addr);
        return false;
    }
    if (!rv_pmp_check(env, *paddr, size, acc, rv_mmu_effective_priv(env, acc))) {
        rv_raise_exception(env, rv_access_fault(acc), tval_addr);
        return false;
    }
    return true;
}

/* A slow access within one page: through a new TLB entry when the page is RAM, else the bus. */
static bool rv_access_page(CPURVState *env, uint64_t vaddr, unsigned size, RVAccess acc,
                           uint64_t tval_addr, uint64_t *value)
{
    uint64_t paddr;
    RVTLBEntry *e;
    bool ok;

    if (!rv_translate_checked(env, vaddr, size, acc, tval_addr, &paddr)) {
        return false;
    }
    e = rv_tlb_fill(env, vaddr, paddr, acc);
    if (e) {
        void *host = (void *)(uintptr_t)(vaddr + e->addend);
        if (acc == RV_ACCESS_STORE) {
            store_le_sized(host, *value, size);
        } else {
            *value = load_le_sized(host, size);
        }
        return true;
    }
    if ((paddr & (size - 1)) && !rv_is_memory(env, paddr)) {
        /* A misaligned device access: done as bytes, as the bus would split it. */
        ok = true;
        for (unsigned i = 0; i < size && ok; i++) {
            uint64_t byte = (*value >> (8 * i)) & 0xff;
            if (acc == RV_ACCESS_STORE) {
                ok = rv_phys_store(env, paddr + i, 1, byte);
            } else {
                ok = rv_phys_load(env, paddr + i, 1, &byte);
                *value = i ? *value | (byte << (8 * i)) : byte;
            }
        }
    } else if (acc == RV_ACCESS_STORE) {
        ok = rv_phys_store(env, paddr, size, *value);
    } else {
        ok = rv_phys_load(env, paddr, size, value);
    }
    if (!ok) {
        tern_log_mask(LOG_GUEST_ERROR, "hart %" PRIu64 ": %s fault at 0x%" PRIx64 "\n",
                      env->mhartid, acc == RV_ACCESS_STORE ? "store" : "load", paddr);
        rv_raise_exception(env, rv_access_fault(acc), tval_addr);
    }
    return ok;
}

/*
 * An access that crosses a page boundary: both pages are translated and
 * checked before any byte moves, then the bytes are done one page at a time.
 */
static bool rv_access_crossing(CPURVState *env, uint64_t vaddr, unsigned size, RVAccess acc,
                               uint64_t *value)
{
    unsigned first = TARGET_PAGE_SIZE - (vaddr & ~PAGE_MASK);
    uint64_t next = vaddr + first, pa, lo = 0, hi = 0;

    /* mtval names the part that faulted: the second page's first byte when it is that one. */
    if (!rv_translate_checked(env, vaddr, first, acc, vaddr, &pa) ||
        !rv_translate_checked(env, next, size - first, acc, next, &pa)) {
        return false;
    }
    if (acc == RV_ACCESS_STORE) {
        lo = *value & ((UINT64_C(1) << (8 * first)) - 1);
        hi = *value >> (8 * first);
    }
    for (unsigned i = 0; i < first; i++) {
        uint64_t b = (lo >> (8 * i)) & 0xff;
        if (!rv_access_page(env, vaddr + i, 1, acc, vaddr, &b)) {
            return false;
        }
        if (acc != RV_ACCESS_STORE) {
            lo |= b << (8 * i);
        }
    }
    for (unsigned i = 0; i < size - first; i++) {
        uint64_t b = (hi >> (8 * i)) & 0xff;
        if (!rv_access_page(env, next + i, 1, acc, vaddr, &b)) {
            return false;
        }
        if (acc != RV_ACCESS_STORE) {
            hi |= b << (8 * i);
        }
    }
    if (acc != RV_ACCESS_STORE) {
        *value = lo | (hi << (8 * first));
    }
    return true;
}

bool rv_load_slow(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t *value)
{
    if ((vaddr & ~PAGE_MASK) + size > TARGET_PAGE_SIZE) {
        return rv_access_crossing(env, vaddr, size, RV_ACCESS_LOAD, value);
    }
    return rv_access_page(env, vaddr, size, RV_ACCESS_LOAD, vaddr, value);
}

bool rv_store_slow(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t value)
{
    uint64_t vpage = vaddr >> TARGET_PAGE_BITS;
    const RVTLBEntry *e = &env->tlb[RV_ACCESS_STORE][vpage & (RV_TLB_SIZE - 1)];

    if ((vaddr & ~PAGE_MASK) + size > TARGET_PAGE_SIZE) {
        return rv_access_crossing(env, vaddr, size, RV_ACCESS_STORE, &value);
    }
    if (e->tag == ((vpage + 1) | RV_TLB_CODE) && env->tlb_epoch == memory_cache_epoch()) {
        rv_host_store((void *)(uintptr_t)(vaddr + e->addend), value, size);
        rv_code_store_page(e->code, (unsigned)(vaddr & ~PAGE_MASK), size);
        return true;
    }
    return rv_access_page(env, vaddr, size, RV_ACCESS_STORE, vaddr, &value);
}

bool rv_load(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t *value)
{
    return rv_load_fast(env, vaddr, size, value);
}

bool rv_store(CPURVState *env, uint64_t vaddr, unsigned size, uint64_t value)
{
    return rv_store_fast(env, vaddr, size, value);
}

bool rv_amo_translate(CPURVState *env, uint64_t vaddr, unsigned size, bool is_load, bool sc,
                      uint64_t *paddr)
{
    RVAccess acc = is_load ? RV_ACCESS_LOAD : RV_ACCESS_STORE;

    if (vaddr & (size - 1)) {
        rv_raise_exception(env, is_load ? RV_EXC_LOAD_MISALIGNED : RV_EXC_STORE_MISALIGNED, vaddr);
        return false;
    }
    if (!rv_translate_checked(env, vaddr, size, acc, vaddr, paddr)) {
        return false;
    }
    /* An AMO reads too: PMP must grant R as well as W (a store/AMO access fault otherwise). */
    if (!is_load && !sc &&
        !rv_pmp_check(env, *paddr, size, RV_ACCESS_LOAD,
                      rv_mmu_effective_priv(env, RV_ACCESS_STORE))) {
        rv_raise_exception(env, RV_EXC_STORE_ACCESS, vaddr);
        return false;
    }
    if (!rv_is_memory(env, *paddr)) {
        /* AMOs on devices: not supported by the virt board's devices (QEMU: access fault). */
        rv_raise_exception(env, rv_access_fault(acc), vaddr);
        return false;
    }
    return true;
}

/* ---- fetch ------------------------------------------------------------------------------- */

/*
 * A fetch from a page the TLB may not cache: RAM or ROM that PMP splits.
 * The instruction is decoded into a page nobody keeps (uncached: the loop
 * refetches at the next instruction), after PMP has passed both halves of
 * a 32-bit one.  Anything else (MMIO, nothing there) is an access fault:
 * QEMU cannot run code there either.
 */
static RVDecodedPage rv_uncached_page = {.uncached = true};

static RVDecodedPage *rv_fetch_uncached(CPURVState *env, uint64_t pc, uint64_t paddr,
                                        const uint8_t **host)
{
    uint8_t *page = rv_ram_page(env, paddr & PAGE_MASK, false);
    unsigned slot = (unsigned)(pc & ~PAGE_MASK) >> 1;
    uint64_t second;

    if (!page) {
        tern_log_mask(LOG_GUEST_ERROR,
                      "hart %" PRIu64 ": fetch from 0x%" PRIx64 ", not RAM or ROM\n", env->mhartid,
                      paddr);
        rv_raise_exception(env, RV_EXC_INSN_ACCESS, pc);
        return NULL;
    }
    if ((page[paddr & ~PAGE_MASK] & 3) == 3 && slot + 1 < RV_PAGE_SLOTS &&
        !rv_translate_checked(env, pc + 2, 2, RV_ACCESS_FETCH, pc + 2, &second)) {
        return NULL;
    }
    memset(&rv_uncached_page.insn[slot], 0, 3 * sizeof(RVInsn));
    *host = page;
    return &rv_uncached_page;
}

RVDecodedPage *rv_fetch_page(CPURVState *env, uint64_t pc, const uint8_t **host)
{
    uint64_t vpage = pc >> TARGET_PAGE_BITS, paddr;
    RVTLBEntry *e = &env->tlb[RV_ACCESS_FETCH][vpage & (RV_TLB_SIZE - 1)];

    if (env->tlb_epoch != memory_cache_epoch()) {
        rv_tlb_flush(env);
    }
    if (e->tag != vpage + 1 || !e->code) {
        if (!rv_translate_checked(env, pc, 2, RV_ACCESS_FETCH, pc, &paddr)) {
            return NULL;
        }
        e = rv_tlb_fill(env, pc, paddr, RV_ACCESS_FETCH);
        if (!e) {
            return rv_fetch_uncached(env, pc, paddr, host);
        }
        e->code = rv_code_page_get(e->paddr_page);
        if (env->tlb_epoch != memory_cache_epoch()) {
            /* A new code page: drop store entries into it (refill this fetch entry). */
            return rv_fetch_page(env, pc, host);
        }
    }
    *host = (const uint8_t *)(uintptr_t)((pc & PAGE_MASK) + e->addend);
    return e->code;
}

bool rv_fetch_crossing(CPURVState *env, uint64_t pc, uint16_t low, uint32_t *raw)
{
    uint64_t paddr, high;

    /* tval of a fault on the second half: the address of that half, as the spec allows. */
    if (!rv_translate_checked(env, pc + 2, 2, RV_ACCESS_FETCH, pc + 2, &paddr)) {
        return false;
    }
    if (!rv_is_memory(env, paddr) || !rv_phys_load(env, paddr, 2, &high)) {
        rv_raise_exception(env, RV_EXC_INSN_ACCESS, pc + 2);
        return false;
    }
    *raw = low | ((uint32_t)high << 16);
    return true;
}
