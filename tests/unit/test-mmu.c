/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-mmu.c - the hart's address translation (cpu/mmu.c) on a real virt
 * board made in-process: page tables are written into its RAM and hart 0
 * translates through them.  Bare and M-mode identity, Sv39 and Sv48 pages of
 * every size, every page-fault cause for each access kind, SUM, MXR, MPRV,
 * A/D updates in memory, and access faults for PTEs PMP refuses or that are
 * not in memory.  Expected addresses and causes come from the privileged
 * spec 1.12's walk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <glib.h>

#include "core/error.h"
#include "core/log.h"
#include "core/memory.h"
#include "core/object.h"
#include "core/tern.h"
#include "cpu/cpu.h"
#include "cpu/hart.h"
#include "tests/support/log-capture.h"
#include "tests/support/tern-argv.h"

/* PTE bits (spec 1.12, "Sv32" figure, same for Sv39/Sv48) */
#define V (UINT64_C(1) << 0)
#define R (UINT64_C(1) << 1)
#define W (UINT64_C(1) << 2)
#define X (UINT64_C(1) << 3)
#define U (UINT64_C(1) << 4)
#define G (UINT64_C(1) << 5)
#define A (UINT64_C(1) << 6)
#define D (UINT64_C(1) << 7)

#define SV39 8
#define SV48 9

#define KIB4   (UINT64_C(1) << 12)
#define MIB2   (UINT64_C(1) << 21)
#define GIB1   (UINT64_C(1) << 30)
#define GIB512 (UINT64_C(1) << 39)

#define RAM   UINT64_C(0x80000000)
#define ROOT  (RAM + 0x100000)
#define DATA  (RAM + 0x200000)       /* a 4 KiB page */
#define DATA2 (RAM + 0x400000)       /* 2 MiB aligned */
#define HOLE  UINT64_C(0x1000000000) /* 64 GiB: nothing is mapped there */

#define PMP_R     0x01
#define PMP_W     0x02
#define PMP_X     0x04
#define PMP_NAPOT 0x18

static const RVAccess kinds[] = {RV_ACCESS_LOAD, RV_ACCESS_STORE, RV_ACCESS_FETCH};
static const uint64_t page_fault_of[] = {
    [RV_ACCESS_LOAD] = RV_EXC_LOAD_PAGE_FAULT,
    [RV_ACCESS_STORE] = RV_EXC_STORE_PAGE_FAULT,
    [RV_ACCESS_FETCH] = RV_EXC_INSN_PAGE_FAULT,
};
static const uint64_t access_fault_of[] = {
    [RV_ACCESS_LOAD] = RV_EXC_LOAD_ACCESS,
    [RV_ACCESS_STORE] = RV_EXC_STORE_ACCESS,
    [RV_ACCESS_FETCH] = RV_EXC_INSN_ACCESS,
};

static CPURVState *env;
static unsigned levels;
static uint64_t next_table;

static int setup(void **state)
{
    (void)state;
    assert_int_equal(tern_init(TERN_ARGC("-M", "virt", "-accel", "qtest", "-bios", "none"),
                               TERN_ARGV("-M", "virt", "-accel", "qtest", "-bios", "none"),
                               &error_abort),
                     TERN_INIT_RUN);
    Object *obj = object_resolve_path_type("/machine/soc0/harts[0]", TYPE_RISCV_CPU, NULL);
    assert_non_null(obj);
    env = &RV_HART(obj)->env;
    env->priv = RV_PRIV_S;
    env->mstatus &= ~(RV_MSTATUS_MPRV | RV_MSTATUS_SUM | RV_MSTATUS_MXR | RV_MSTATUS_MPP);
    env->satp = 0;
    /* What firmware does before running S-mode: the last PMP entry allows everything (NAPOT). */
    rv_pmp_write_addr(env, 15, UINT64_MAX);
    rv_pmp_write_cfg(env, 15, 0x18 | 0x7);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    logcapture_cancel();
    tern_cleanup();
    env = NULL;
    return 0;
}

static uint64_t peek(uint64_t addr)
{
    uint64_t v = 0;
    assert_int_equal(address_space_ld(address_space_memory(), addr, 8, &v), MEMTX_OK);
    return v;
}

static void poke(uint64_t addr, uint64_t v)
{
    assert_int_equal(address_space_st(address_space_memory(), addr, 8, v), MEMTX_OK);
}

static void use(unsigned mode)
{
    levels = mode == SV39 ? 3 : 4;
    env->satp = ((uint64_t)mode << 60) | (ROOT >> 12);
    next_table = ROOT + KIB4;
}

static uint64_t leaf(uint64_t pa, uint64_t flags)
{
    return ((pa >> 12) << 10) | flags;
}

static unsigned vpn(uint64_t va, unsigned level)
{
    return (unsigned)((va >> (12 + 9 * level)) & 0x1ff);
}

/*
 * Writes pte at level for va, creating the tables above it as needed;
 * returns the PTE's physical address.
 */
static uint64_t map(uint64_t va, unsigned level, uint64_t pte)
{
    uint64_t table = ROOT;

    for (unsigned l = levels - 1; l > level; l--) {
        uint64_t a = table + vpn(va, l) * 8;
        uint64_t entry = peek(a);
        if (!(entry & V)) {
            entry = leaf(next_table, V);
            next_table += KIB4;
            poke(a, entry);
        }
        table = (entry >> 10) << 12;
    }
    poke(table + vpn(va, level) * 8, pte);
    return table + vpn(va, level) * 8;
}

static void expect_pa(uint64_t va, RVAccess acc, uint64_t want)
{
    uint64_t pa = ~want, cause = UINT64_MAX;

    assert_true(rv_mmu_translate(env, va, acc, &pa, &cause));
    assert_int_equal(pa, want);
}

static void expect_fault(uint64_t va, RVAccess acc, uint64_t want)
{
    uint64_t pa = UINT64_MAX, cause = UINT64_MAX;

    assert_false(rv_mmu_translate(env, va, acc, &pa, &cause));
    assert_int_equal(cause, want);
}

static void expect_page_fault_for_every_kind(uint64_t va)
{
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        expect_fault(va, kinds[i], page_fault_of[kinds[i]]);
    }
}

#define RWX_AD (V | R | W | X | A | D)

/* ---- identity ------------------------------------------------------------------------ */

static void test_bare_mode_gives_the_virtual_address_for_every_kind(void **state)
{
    (void)state;
    env->priv = RV_PRIV_U;
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        expect_pa(UINT64_C(0xfedc000012345678), kinds[i], UINT64_C(0xfedc000012345678));
    }
}

static void test_m_mode_ignores_satp(void **state)
{
    (void)state;
    use(SV39); /* empty root table: any walk would fault */
    env->priv = RV_PRIV_M;
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        expect_pa(UINT64_C(0x8000000012345678), kinds[i], UINT64_C(0x8000000012345678));
    }
}

/* ---- Sv39 ------------------------------------------------------------------------------ */

static void test_sv39_4k_page_keeps_the_page_offset(void **state)
{
    (void)state;
    use(SV39);
    map(UINT64_C(0x1234567000), 0, leaf(DATA, RWX_AD));
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        expect_pa(UINT64_C(0x1234567abc), kinds[i], DATA + 0xabc);
    }
    expect_page_fault_for_every_kind(UINT64_C(0x1234568abc)); /* the next page: unmapped */
}

static void test_sv39_2m_page_passes_vpn0_through(void **state)
{
    (void)state;
    use(SV39);
    map(UINT64_C(0x1234400000), 1, leaf(DATA2, RWX_AD));
    expect_pa(UINT64_C(0x12345abcde), RV_ACCESS_LOAD, DATA2 + 0x1abcde);
    expect_pa(UINT64_C(0x1234400000), RV_ACCESS_STORE, DATA2);
    expect_pa(UINT64_C(0x12345fffff), RV_ACCESS_FETCH, DATA2 + MIB2 - 1);
}

static void test_sv39_1g_page_passes_vpn1_and_vpn0_through(void **state)
{
    (void)state;
    use(SV39);
    map(UINT64_C(0x2040000000), 2, leaf(RAM, RWX_AD));
    expect_pa(UINT64_C(0x207edcba98), RV_ACCESS_LOAD, RAM + 0x3edcba98);
    expect_pa(UINT64_C(0x2040000008), RV_ACCESS_STORE, RAM + 8);
    expect_pa(UINT64_C(0x207ffffffe), RV_ACCESS_FETCH, RAM + GIB1 - 2);
}

static void test_sv39_upper_half_address_walks_its_sign_extended_vpn(void **state)
{
    (void)state;
    use(SV39);
    /* 0xffffffc000000000 is the lowest upper-half address: VPN[2] = 256. */
    map(UINT64_C(0xffffffc000345000), 0, leaf(DATA, RWX_AD));
    assert_int_equal(peek(ROOT + 256 * 8) & V, V);
    expect_pa(UINT64_C(0xffffffc000345010), RV_ACCESS_LOAD, DATA + 0x10);
}

static void test_the_physical_address_has_all_56_bits_of_the_ppn(void **state)
{
    (void)state;
    use(SV39);
    /* Translation does not look at the target: PMP and the bus are the caller's. */
    map(UINT64_C(0x5000), 0, leaf(UINT64_C(0xfffffffffff000), RWX_AD));
    expect_pa(UINT64_C(0x5123), RV_ACCESS_LOAD, UINT64_C(0xfffffffffff123));
}

/* ---- Sv48 ------------------------------------------------------------------------------ */

static void test_sv48_4k_page_uses_four_levels(void **state)
{
    (void)state;
    use(SV48);
    uint64_t va = UINT64_C(0x7f1234567000);
    map(va, 0, leaf(DATA, RWX_AD));
    /* Three tables below the root were needed. */
    assert_int_equal(next_table, ROOT + 4 * KIB4);
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        expect_pa(va + 0x321, kinds[i], DATA + 0x321);
    }
}

static void test_sv48_2m_page(void **state)
{
    (void)state;
    use(SV48);
    map(UINT64_C(0x123456600000), 1, leaf(DATA2, RWX_AD));
    expect_pa(UINT64_C(0x1234567abcde), RV_ACCESS_LOAD, DATA2 + 0x1abcde);
}

static void test_sv48_1g_page(void **state)
{
    (void)state;
    use(SV48);
    map(UINT64_C(0x123440000000), 2, leaf(RAM, RWX_AD));
    expect_pa(UINT64_C(0x12347abcdef0), RV_ACCESS_STORE, RAM + 0x3abcdef0);
}

static void test_sv48_512g_page(void **state)
{
    (void)state;
    use(SV48);
    map(UINT64_C(0x118000000000), 3, leaf(UINT64_C(0x8000000000), RWX_AD));
    expect_pa(UINT64_C(0x11ffedcba987), RV_ACCESS_FETCH, UINT64_C(0x8000000000) + 0x7fedcba987);
}

static void test_sv48_translates_addresses_sv39_calls_non_canonical(void **state)
{
    (void)state;
    uint64_t va = UINT64_C(0x4000000000); /* bit 38 set, bits above clear */

    use(SV48);
    map(va, 0, leaf(DATA, RWX_AD));
    expect_pa(va + 4, RV_ACCESS_LOAD, DATA + 4);
    env->satp = ((uint64_t)SV39 << 60) | (ROOT >> 12);
    expect_fault(va + 4, RV_ACCESS_LOAD, RV_EXC_LOAD_PAGE_FAULT);
}

/* ---- page faults ----------------------------------------------------------------------- */

static void test_non_canonical_sv39_addresses_page_fault_for_every_kind(void **state)
{
    (void)state;
    use(SV39);
    /* Map VPN[2] = 0 and 511 so only the canonical check can refuse. */
    map(0, 2, leaf(RAM, RWX_AD));
    map(UINT64_C(0xffffffffc0000000), 2, leaf(RAM, RWX_AD));
    expect_page_fault_for_every_kind(UINT64_C(0x0000004000000000));
    expect_page_fault_for_every_kind(UINT64_C(0x8000000000000000));
    expect_page_fault_for_every_kind(UINT64_C(0xffffffbfffffffff));
    expect_pa(UINT64_C(0xffffffffc0000010), RV_ACCESS_LOAD, RAM + 0x10);
}

static void test_non_canonical_sv48_addresses_page_fault_for_every_kind(void **state)
{
    (void)state;
    use(SV48);
    map(0, 3, leaf(0, RWX_AD));
    expect_pa(UINT64_C(0x7fffffffff), RV_ACCESS_LOAD, UINT64_C(0x7fffffffff));
    expect_page_fault_for_every_kind(UINT64_C(0x0000800000000000));
    expect_page_fault_for_every_kind(UINT64_C(0x0001000000000000));
    expect_page_fault_for_every_kind(UINT64_C(0xffff7fffffffffff));
}

static void test_an_invalid_pte_page_faults_at_every_level(void **state)
{
    (void)state;
    use(SV39);
    expect_page_fault_for_every_kind(UINT64_C(0x1000)); /* root entry invalid */
    map(UINT64_C(0x1000), 0, leaf(DATA, RWX_AD & ~V));
    expect_page_fault_for_every_kind(UINT64_C(0x1000)); /* leaf invalid, other bits set */
}

static void test_w_without_r_page_faults_for_every_kind(void **state)
{
    (void)state;
    use(SV39);
    uint64_t pte_addr = map(UINT64_C(0x1000), 0, leaf(DATA, V | W | A | D));
    expect_page_fault_for_every_kind(UINT64_C(0x1000));
    poke(pte_addr, leaf(DATA, V | W | X | A | D));
    expect_page_fault_for_every_kind(UINT64_C(0x1000));
    /* The reserved encoding in a non-leaf position too. */
    map(UINT64_C(0x40000000), 2, leaf(ROOT + 8 * KIB4, V | W));
    expect_page_fault_for_every_kind(UINT64_C(0x40000000));
}

static void test_reserved_pte_bits_page_fault_for_every_kind(void **state)
{
    (void)state;
    static const uint64_t bits[] = {UINT64_C(1) << 54, UINT64_C(1) << 60, UINT64_C(1) << 61,
                                    UINT64_C(1) << 62, UINT64_C(1) << 63};
    use(SV39);
    uint64_t pte_addr = map(UINT64_C(0x1000), 0, leaf(DATA, RWX_AD));
    expect_pa(UINT64_C(0x1000), RV_ACCESS_LOAD, DATA);
    for (size_t i = 0; i < G_N_ELEMENTS(bits); i++) {
        poke(pte_addr, leaf(DATA, RWX_AD) | bits[i]);
        expect_page_fault_for_every_kind(UINT64_C(0x1000));
    }
}

static void test_reserved_bits_in_a_non_leaf_pte_page_fault(void **state)
{
    (void)state;
    use(SV39);
    map(UINT64_C(0x1000), 0, leaf(DATA, RWX_AD));
    poke(ROOT, peek(ROOT) | (UINT64_C(1) << 62)); /* PBMT = 2 in the root entry */
    expect_page_fault_for_every_kind(UINT64_C(0x1000));
}

static void test_misaligned_superpages_page_fault_for_every_kind(void **state)
{
    (void)state;
    use(SV39);
    map(UINT64_C(0x200000), 1, leaf(DATA2 + KIB4, RWX_AD)); /* 2 MiB, PPN[0] = 1 */
    expect_page_fault_for_every_kind(UINT64_C(0x200000));
    map(UINT64_C(0x40000000), 2, leaf(RAM + MIB2, RWX_AD)); /* 1 GiB, PPN[1] = 1 */
    expect_page_fault_for_every_kind(UINT64_C(0x40000000));
    map(UINT64_C(0x80000000), 2, leaf(RAM + KIB4, RWX_AD)); /* 1 GiB, PPN[0] = 1 */
    expect_page_fault_for_every_kind(UINT64_C(0x80000000));
    use(SV48);
    map(UINT64_C(0x8000000000), 3, leaf(GIB1, RWX_AD)); /* 512 GiB, PPN[2] = 1 */
    expect_page_fault_for_every_kind(UINT64_C(0x8000000000));
}

static void test_a_pointer_pte_at_level_0_page_faults_for_every_kind(void **state)
{
    (void)state;
    use(SV39);
    map(UINT64_C(0x1000), 0, leaf(DATA, V | A | D));
    expect_page_fault_for_every_kind(UINT64_C(0x1000));
}

static void test_each_kind_needs_its_permission_bit(void **state)
{
    (void)state;
    use(SV39);
    uint64_t pte_addr = map(UINT64_C(0x1000), 0, leaf(DATA, V | R | A | D));
    expect_pa(UINT64_C(0x1000), RV_ACCESS_LOAD, DATA);
    expect_fault(UINT64_C(0x1000), RV_ACCESS_STORE, RV_EXC_STORE_PAGE_FAULT);
    expect_fault(UINT64_C(0x1000), RV_ACCESS_FETCH, RV_EXC_INSN_PAGE_FAULT);

    poke(pte_addr, leaf(DATA, V | X | A | D));
    expect_fault(UINT64_C(0x1000), RV_ACCESS_LOAD, RV_EXC_LOAD_PAGE_FAULT);
    expect_fault(UINT64_C(0x1000), RV_ACCESS_STORE, RV_EXC_STORE_PAGE_FAULT);
    expect_pa(UINT64_C(0x1000), RV_ACCESS_FETCH, DATA);

    poke(pte_addr, leaf(DATA, V | R | W | A | D));
    expect_pa(UINT64_C(0x1000), RV_ACCESS_LOAD, DATA);
    expect_pa(UINT64_C(0x1000), RV_ACCESS_STORE, DATA);
    expect_fault(UINT64_C(0x1000), RV_ACCESS_FETCH, RV_EXC_INSN_PAGE_FAULT);

    poke(pte_addr, leaf(DATA, V | R | X | A | D));
    expect_fault(UINT64_C(0x1000), RV_ACCESS_STORE, RV_EXC_STORE_PAGE_FAULT);
}

static void test_mxr_makes_execute_only_pages_readable_and_nothing_else(void **state)
{
    (void)state;
    use(SV39);
    uint64_t pte_addr = map(UINT64_C(0x1000), 0, leaf(DATA, V | X | A | D));
    expect_fault(UINT64_C(0x1000), RV_ACCESS_LOAD, RV_EXC_LOAD_PAGE_FAULT);
    env->mstatus |= RV_MSTATUS_MXR;
    expect_pa(UINT64_C(0x1000), RV_ACCESS_LOAD, DATA);
    expect_fault(UINT64_C(0x1000), RV_ACCESS_STORE, RV_EXC_STORE_PAGE_FAULT);
    /* MXR does not make readable pages executable. */
    poke(pte_addr, leaf(DATA, V | R | A | D));
    expect_fault(UINT64_C(0x1000), RV_ACCESS_FETCH, RV_EXC_INSN_PAGE_FAULT);
}

static void test_u_mode_may_touch_only_u_pages(void **state)
{
    (void)state;
    use(SV39);
    map(UINT64_C(0x1000), 0, leaf(DATA, RWX_AD));
    map(UINT64_C(0x2000), 0, leaf(DATA + KIB4, RWX_AD | U));
    env->priv = RV_PRIV_U;
    expect_page_fault_for_every_kind(UINT64_C(0x1000));
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        expect_pa(UINT64_C(0x2008), kinds[i], DATA + KIB4 + 8);
    }
}

static void test_s_mode_touches_u_pages_only_with_sum(void **state)
{
    (void)state;
    use(SV39);
    map(UINT64_C(0x2000), 0, leaf(DATA, RWX_AD | U));
    expect_page_fault_for_every_kind(UINT64_C(0x2000));
    env->mstatus |= RV_MSTATUS_SUM;
    expect_pa(UINT64_C(0x2000), RV_ACCESS_LOAD, DATA);
    expect_pa(UINT64_C(0x2000), RV_ACCESS_STORE, DATA);
    /* SUM never allows S-mode to execute from a U page. */
    expect_fault(UINT64_C(0x2000), RV_ACCESS_FETCH, RV_EXC_INSN_PAGE_FAULT);
}

static void test_a_faulting_walk_leaves_the_pte_alone(void **state)
{
    (void)state;
    use(SV39);
    uint64_t pte = leaf(DATA, V | R);
    uint64_t pte_addr = map(UINT64_C(0x1000), 0, pte);
    expect_fault(UINT64_C(0x1000), RV_ACCESS_STORE, RV_EXC_STORE_PAGE_FAULT);
    expect_fault(UINT64_C(0x1000), RV_ACCESS_FETCH, RV_EXC_INSN_PAGE_FAULT);
    assert_int_equal(peek(pte_addr), pte);
}

/* ---- A and D ----------------------------------------------------------------------------- */

static void test_a_load_sets_a_and_not_d(void **state)
{
    (void)state;
    use(SV39);
    uint64_t pte = leaf(DATA, V | R | W | X | G);
    uint64_t pte_addr = map(UINT64_C(0x1000), 0, pte);
    expect_pa(UINT64_C(0x1000), RV_ACCESS_LOAD, DATA);
    assert_int_equal(peek(pte_addr), pte | A);
}

static void test_a_fetch_sets_a_and_not_d(void **state)
{
    (void)state;
    use(SV39);
    uint64_t pte = leaf(DATA, V | X);
    uint64_t pte_addr = map(UINT64_C(0x1000), 0, pte);
    expect_pa(UINT64_C(0x1000), RV_ACCESS_FETCH, DATA);
    assert_int_equal(peek(pte_addr), pte | A);
}

static void test_a_store_sets_a_and_d(void **state)
{
    (void)state;
    use(SV39);
    uint64_t pte = leaf(DATA, V | R | W);
    uint64_t pte_addr = map(UINT64_C(0x1000), 0, pte);
    expect_pa(UINT64_C(0x1000), RV_ACCESS_STORE, DATA);
    assert_int_equal(peek(pte_addr), pte | A | D);
}

static void test_a_store_to_an_accessed_clean_page_sets_d(void **state)
{
    (void)state;
    use(SV48);
    uint64_t pte = leaf(DATA2, V | R | W | A);
    uint64_t pte_addr = map(UINT64_C(0x200000), 1, pte);
    expect_pa(UINT64_C(0x200000), RV_ACCESS_STORE, DATA2);
    assert_int_equal(peek(pte_addr), pte | D);
}

static void test_the_walk_does_not_change_non_leaf_ptes(void **state)
{
    (void)state;
    use(SV48);
    map(UINT64_C(0x1000), 0, leaf(DATA, V | R | W));
    uint64_t l3 = peek(ROOT), l2 = peek(ROOT + KIB4), l1 = peek(ROOT + 2 * KIB4);
    expect_pa(UINT64_C(0x1000), RV_ACCESS_STORE, DATA);
    assert_int_equal(peek(ROOT), l3);
    assert_int_equal(peek(ROOT + KIB4), l2);
    assert_int_equal(peek(ROOT + 2 * KIB4), l1);
}

/* ---- MPRV -------------------------------------------------------------------------------- */

static void test_mprv_translates_m_mode_loads_and_stores_at_mpp_s(void **state)
{
    (void)state;
    use(SV39);
    map(UINT64_C(0x1000), 0, leaf(DATA, RWX_AD));
    env->priv = RV_PRIV_M;
    env->mstatus |= RV_MSTATUS_MPRV | ((uint64_t)RV_PRIV_S << 11);
    assert_int_equal(rv_mmu_effective_priv(env, RV_ACCESS_LOAD), RV_PRIV_S);
    assert_int_equal(rv_mmu_effective_priv(env, RV_ACCESS_FETCH), RV_PRIV_M);
    expect_pa(UINT64_C(0x1010), RV_ACCESS_LOAD, DATA + 0x10);
    expect_pa(UINT64_C(0x1010), RV_ACCESS_STORE, DATA + 0x10);
    /* Fetches stay at M: untranslated. */
    expect_pa(UINT64_C(0x1010), RV_ACCESS_FETCH, UINT64_C(0x1010));
}

static void test_mprv_with_mpp_u_applies_u_mode_rules(void **state)
{
    (void)state;
    use(SV39);
    map(UINT64_C(0x1000), 0, leaf(DATA, RWX_AD));
    map(UINT64_C(0x2000), 0, leaf(DATA + KIB4, RWX_AD | U));
    env->priv = RV_PRIV_M;
    env->mstatus |= RV_MSTATUS_MPRV | ((uint64_t)RV_PRIV_U << 11);
    assert_int_equal(rv_mmu_effective_priv(env, RV_ACCESS_STORE), RV_PRIV_U);
    expect_fault(UINT64_C(0x1000), RV_ACCESS_LOAD, RV_EXC_LOAD_PAGE_FAULT);
    expect_fault(UINT64_C(0x1000), RV_ACCESS_STORE, RV_EXC_STORE_PAGE_FAULT);
    expect_pa(UINT64_C(0x2000), RV_ACCESS_LOAD, DATA + KIB4);
    /* SUM is irrelevant at U: the U page stays reachable, the S page not. */
    env->mstatus |= RV_MSTATUS_SUM;
    expect_fault(UINT64_C(0x1000), RV_ACCESS_LOAD, RV_EXC_LOAD_PAGE_FAULT);
}

static void test_mprv_with_mpp_m_stays_untranslated(void **state)
{
    (void)state;
    use(SV39);
    env->priv = RV_PRIV_M;
    env->mstatus |= RV_MSTATUS_MPRV | ((uint64_t)RV_PRIV_M << 11);
    expect_pa(UINT64_C(0x1234), RV_ACCESS_LOAD, UINT64_C(0x1234));
}

static void test_mprv_has_no_effect_below_m_mode(void **state)
{
    (void)state;
    use(SV39);
    map(UINT64_C(0x1000), 0, leaf(DATA, RWX_AD));
    env->priv = RV_PRIV_S;
    env->mstatus |= RV_MSTATUS_MPRV | ((uint64_t)RV_PRIV_U << 11);
    assert_int_equal(rv_mmu_effective_priv(env, RV_ACCESS_LOAD), RV_PRIV_S);
    expect_pa(UINT64_C(0x1000), RV_ACCESS_LOAD, DATA);
}

/* ---- access faults ------------------------------------------------------------------------ */

static void test_a_root_table_outside_memory_access_faults_for_every_kind(void **state)
{
    (void)state;
    env->satp = ((uint64_t)SV39 << 60) | (HOLE >> 12);
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        expect_fault(UINT64_C(0x1000), kinds[i], access_fault_of[kinds[i]]);
    }
}

static void test_a_lower_table_outside_memory_access_faults(void **state)
{
    (void)state;
    use(SV48);
    map(UINT64_C(0x1000), 2, leaf(HOLE, V)); /* level-2 entry points at nothing */
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        expect_fault(UINT64_C(0x1000), kinds[i], access_fault_of[kinds[i]]);
    }
}

/* PMP entry i as NAPOT over [base, base + size) with perms (size a power of 2, >= 8). */
static void pmp_napot(unsigned i, uint64_t base, uint64_t size, uint8_t perms)
{
    rv_pmp_write_addr(env, i, (base >> 2) | ((size >> 3) - 1));
    rv_pmp_write_cfg(env, i, PMP_NAPOT | perms);
}

static void test_a_pte_read_pmp_refuses_access_faults_for_every_kind(void **state)
{
    (void)state;
    use(SV39);
    uint64_t va = UINT64_C(0x1000);
    map(va, 0, leaf(DATA, RWX_AD));
    expect_pa(va, RV_ACCESS_LOAD, DATA);
    /* The root table page: no permission for S; everything else below 1 TiB: RWX. */
    pmp_napot(0, ROOT, KIB4, 0);
    pmp_napot(1, 0, UINT64_C(1) << 40, PMP_R | PMP_W | PMP_X);
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        expect_fault(va, kinds[i], access_fault_of[kinds[i]]);
    }
}

static void test_an_a_update_pmp_refuses_access_faults_and_a_set_pte_does_not(void **state)
{
    (void)state;
    use(SV39);
    uint64_t pte = leaf(DATA, V | R | W | X);
    uint64_t pte_addr = map(UINT64_C(0x1000), 0, pte);
    map(UINT64_C(0x2000), 0, leaf(DATA, RWX_AD));
    /* The leaf table is read-only to S; the rest RWX. */
    pmp_napot(0, pte_addr & ~(KIB4 - 1), KIB4, PMP_R);
    pmp_napot(1, 0, UINT64_C(1) << 40, PMP_R | PMP_W | PMP_X);
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        expect_fault(UINT64_C(0x1000), kinds[i], access_fault_of[kinds[i]]);
        expect_pa(UINT64_C(0x2000), kinds[i], DATA);
    }
    assert_int_equal(peek(pte_addr), pte);
}

/* ---- -d mmu ------------------------------------------------------------------------------ */

static void test_d_mmu_logs_a_fault_with_its_address_and_cause(void **state)
{
    (void)state;
    use(SV39);
    logcapture_begin();
    log_set_mask(log_get_mask() | LOG_MMU);
    expect_fault(UINT64_C(0x1000), RV_ACCESS_STORE, RV_EXC_STORE_PAGE_FAULT);
    char *text = logcapture_end();
    assert_non_null(strstr(text, "store at 0x0000000000001000"));
    logcapture_assert_contains(text, "cause 15");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_bare_mode_gives_the_virtual_address_for_every_kind),
        T(test_m_mode_ignores_satp),
        T(test_sv39_4k_page_keeps_the_page_offset),
        T(test_sv39_2m_page_passes_vpn0_through),
        T(test_sv39_1g_page_passes_vpn1_and_vpn0_through),
        T(test_sv39_upper_half_address_walks_its_sign_extended_vpn),
        T(test_the_physical_address_has_all_56_bits_of_the_ppn),
        T(test_sv48_4k_page_uses_four_levels),
        T(test_sv48_2m_page),
        T(test_sv48_1g_page),
        T(test_sv48_512g_page),
        T(test_sv48_translates_addresses_sv39_calls_non_canonical),
        T(test_non_canonical_sv39_addresses_page_fault_for_every_kind),
        T(test_non_canonical_sv48_addresses_page_fault_for_every_kind),
        T(test_an_invalid_pte_page_faults_at_every_level),
        T(test_w_without_r_page_faults_for_every_kind),
        T(test_reserved_pte_bits_page_fault_for_every_kind),
        T(test_reserved_bits_in_a_non_leaf_pte_page_fault),
        T(test_misaligned_superpages_page_fault_for_every_kind),
        T(test_a_pointer_pte_at_level_0_page_faults_for_every_kind),
        T(test_each_kind_needs_its_permission_bit),
        T(test_mxr_makes_execute_only_pages_readable_and_nothing_else),
        T(test_u_mode_may_touch_only_u_pages),
        T(test_s_mode_touches_u_pages_only_with_sum),
        T(test_a_faulting_walk_leaves_the_pte_alone),
        T(test_a_load_sets_a_and_not_d),
        T(test_a_fetch_sets_a_and_not_d),
        T(test_a_store_sets_a_and_d),
        T(test_a_store_to_an_accessed_clean_page_sets_d),
        T(test_the_walk_does_not_change_non_leaf_ptes),
        T(test_mprv_translates_m_mode_loads_and_stores_at_mpp_s),
        T(test_mprv_with_mpp_u_applies_u_mode_rules),
        T(test_mprv_with_mpp_m_stays_untranslated),
        T(test_mprv_has_no_effect_below_m_mode),
        T(test_a_root_table_outside_memory_access_faults_for_every_kind),
        T(test_a_lower_table_outside_memory_access_faults),
        T(test_a_pte_read_pmp_refuses_access_faults_for_every_kind),
        T(test_an_a_update_pmp_refuses_access_faults_and_a_set_pte_does_not),
        T(test_d_mmu_logs_a_fault_with_its_address_and_cause),
#undef T
    };

    g_setenv("TERN_CONFIG", "/nonexistent/tern.conf", TRUE);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
