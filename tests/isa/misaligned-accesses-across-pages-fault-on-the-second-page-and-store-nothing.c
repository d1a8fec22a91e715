/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A misaligned load or store that crosses from a mapped page into an
 * unmapped one (Sv39, S-mode) takes a page fault whose stval is the address
 * of the part that faulted (the start of the second page, privileged spec
 * 3.1.16), and a faulting store writes no byte, not even on the first page.
 * The same for a read-only second page, and both pages mapped works. */
#include "isa.h"

#define PTE_V          0x1
#define PTE_R          0x2
#define PTE_W          0x4
#define PTE_X          0x8
#define PTE_A          0x40
#define PTE_D          0x80
#define LEAF(pa, perm) ((((uint64_t)(pa)) >> 12) << 10 | (perm) | PTE_V)
#define TABLE(t)       ((((uint64_t)(uintptr_t)(t)) >> 12) << 10 | PTE_V)
#define RWAD           (PTE_R | PTE_W | PTE_A | PTE_D)

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l0[512] __attribute__((aligned(4096)));

#define PA 0x80300000ULL
#define VA 0xc0000000ULL

/* Exact instructions (a C access to a constant misaligned address may be
 * split or narrowed by the compiler). */
static uint64_t ld(uint64_t a)
{
    uint64_t v;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static uint64_t lwu(uint64_t a)
{
    uint64_t v;
    __asm__ volatile("lwu %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static void sd(uint64_t a, uint64_t v)
{
    __asm__ volatile("sd %0, 0(%1)" ::"r"(v), "r"(a) : "memory");
}

static void sw(uint64_t a, uint64_t v)
{
    __asm__ volatile("sw %0, 0(%1)" ::"r"(v), "r"(a) : "memory");
}

static void fault(int n, uint64_t cause, uint64_t tval)
{
    ASSERT_EQ(n, trap_expect, 0);
    ASSERT_EQ(n, trap_cause, cause);
    ASSERT_EQ(n, trap_tval, tval);
}

int main(void)
{
    root[0] = LEAF(0, RWAD);                  /* devices */
    root[2] = LEAF(0x80000000, RWAD | PTE_X); /* RAM, identity */
    root[3] = TABLE(l1);
    l1[0] = TABLE(l0);
    l0[0] = LEAF(PA, RWAD);                           /* VA page 0 */
    l0[1] = 0;                                        /* VA page 1: unmapped */
    l0[2] = LEAF(PA + 0x2000, RWAD);                  /* VA page 2 */
    l0[3] = LEAF(PA + 0x3000, PTE_R | PTE_A | PTE_D); /* VA page 3: read-only */
    l0[4] = LEAF(PA + 0x4000, RWAD);                  /* VA page 4 */
    l0[5] = LEAF(PA + 0x5000, RWAD);                  /* VA page 5 */
    MMIO64(PA + 0xff8) = 0x1111111111111111;
    MMIO64(PA + 0x2ff8) = 0x2222222222222222;
    MMIO64(PA + 0x3000) = 0x3333333333333333;
    csr_write(satp, 8ULL << 60 | (uint64_t)(uintptr_t)root >> 12);
    __asm__ volatile("sfence.vma" ::: "memory");
    goto_priv(PRV_S);

    SET_TEST(1);
    trap_expect = 1;
    (void)ld(VA + 0xffc);
    fault(1, CAUSE_LOAD_PAGE, VA + 0x1000);
    SET_TEST(2);
    trap_expect = 1;
    sd(VA + 0xffc, 0);
    fault(2, CAUSE_STORE_PAGE, VA + 0x1000);
    ASSERT_EQ(3, MMIO64(PA + 0xff8), 0x1111111111111111);
    SET_TEST(4);
    trap_expect = 1;
    sw(VA + 0x2ffe, 0);
    fault(4, CAUSE_STORE_PAGE, VA + 0x3000);
    ASSERT_EQ(5, MMIO64(PA + 0x2ff8), 0x2222222222222222);
    ASSERT_EQ(6, MMIO64(PA + 0x3000), 0x3333333333333333);
    /* a read-only second page still reads */
    ASSERT_EQ(7, lwu(VA + 0x2ffe), 0x33332222);
    /* both pages writable: the store lands on both */
    sd(VA + 0x4ffc, 0x0102030405060708);
    ASSERT_EQ(8, MMIO32(PA + 0x4ffc), 0x05060708);
    ASSERT_EQ(9, MMIO32(PA + 0x5000), 0x01020304);
    ASSERT_EQ(10, ld(VA + 0x4ffc), 0x0102030405060708);
    goto_m();
    csr_write(satp, 0);
    return 0;
}
