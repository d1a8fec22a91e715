/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Virtual memory from S-mode: Sv39 and Sv48 walks through 1 GiB, 2 MiB and
 * 4 KiB leaves; load, store and fetch page faults (causes 13, 15, 12) with
 * mtval = the virtual address for invalid, read-only, non-executable,
 * reserved (W without R) and misaligned-superpage entries and for
 * non-canonical addresses; A and D set by the walk; SUM for U pages; MXR for
 * execute-only pages; MPRV translating M-mode loads with MPP's mode. Page
 * faults are not delegated: the M-mode runtime records and skips them. */
#include "isa.h"

#define PTE_V          0x1
#define PTE_R          0x2
#define PTE_W          0x4
#define PTE_X          0x8
#define PTE_U          0x10
#define PTE_A          0x40
#define PTE_D          0x80
#define LEAF(pa, perm) ((((uint64_t)(pa)) >> 12) << 10 | (perm) | PTE_V)
#define TABLE(t)       ((((uint64_t)(uintptr_t)(t)) >> 12) << 10 | PTE_V)
#define RWAD           (PTE_R | PTE_W | PTE_A | PTE_D)

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l0[512] __attribute__((aligned(4096)));
static uint64_t root48[512] __attribute__((aligned(4096)));
static uint64_t l2_high[512] __attribute__((aligned(4096)));

#define PA_2M 0x80200000ULL
#define PA_4K 0x80300000ULL
#define VA_1G 0x40000000ULL
#define VA_2M 0xc0000000ULL
#define VA_4K 0xc0200000ULL

/* Exact instructions: the checks depend on the access width. */
static uint64_t ld(uint64_t va)
{
    uint64_t v;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(va) : "memory");
    return v;
}

static void sd(uint64_t va, uint64_t v)
{
    __asm__ volatile("sd %0, 0(%1)" ::"r"(v), "r"(va) : "memory");
}

static void expect_fault(int n, uint64_t cause, uint64_t va)
{
    ASSERT_EQ(n, trap_expect, 0); /* the trap happened */
    ASSERT_EQ(n, trap_cause, cause);
    ASSERT_EQ(n, trap_tval, va);
    ASSERT_EQ(n, trap_mpp, PRV_S);
}

static void load_fault(int n, uint64_t va)
{
    SET_TEST(n);
    trap_expect = 1;
    (void)ld(va);
    expect_fault(n, CAUSE_LOAD_PAGE, va);
}

static void store_fault(int n, uint64_t va)
{
    SET_TEST(n);
    trap_expect = 1;
    sd(va, 0);
    expect_fault(n, CAUSE_STORE_PAGE, va);
}

static void setup_tables(void)
{
    root[0] = LEAF(0, RWAD);                  /* devices, identity */
    root[1] = LEAF(0x80000000, RWAD);         /* VA 1 GiB -> RAM, no X */
    root[2] = LEAF(0x80000000, RWAD | PTE_X); /* RAM, identity */
    root[3] = TABLE(l1);                      /* VA 3 GiB: 2M and 4K pages */
    root[4] = LEAF(0x80200000, RWAD);         /* misaligned 1 GiB leaf */
    l1[0] = LEAF(PA_2M, RWAD);
    l1[1] = TABLE(l0);
    l1[2] = LEAF(PA_2M + 0x1000, RWAD); /* misaligned 2 MiB leaf */
    l0[0] = LEAF(PA_4K, RWAD);
    l0[1] = LEAF(PA_4K + 0x1000, PTE_R | PTE_A | PTE_D);
    l0[2] = LEAF(PA_4K + 0x2000, PTE_R | PTE_W); /* A and D clear */
    l0[3] = LEAF(PA_4K + 0x3000, RWAD | PTE_U);
    l0[4] = LEAF(PA_4K + 0x4000, PTE_X | PTE_A);         /* execute-only */
    l0[5] = LEAF(PA_4K + 0x5000, RWAD);                  /* not executable */
    l0[6] = 0;                                           /* invalid */
    l0[7] = LEAF(PA_4K + 0x7000, PTE_W | PTE_A | PTE_D); /* reserved: W without R */
    l0[8] = LEAF(PA_4K + 0x8000, RWAD | PTE_X);          /* code we write */
    /* Sv48: the Sv39 root serves as the level-2 table of the first 512 GiB */
    root48[0] = TABLE(root);
    root48[1] = TABLE(l2_high);
    l2_high[0] = LEAF(0x80000000, RWAD); /* VA 512 GiB -> RAM */
}

int main(void)
{
    for (uint64_t i = 0; i < 9; i++)
        MMIO64(PA_4K + i * 0x1000) = 0x4b00 + i;
    MMIO64(PA_2M) = 0x2222;
    MMIO64(PA_2M + 0x1000) = 0x2223;
    uint64_t first = MMIO64(0x80000000);
    MMIO32(PA_4K + 0x8000) = 0x02a00513; /* addi a0, zero, 42 */
    MMIO32(PA_4K + 0x8004) = 0x00008067; /* ret */
    __asm__ volatile("fence.i");
    setup_tables();

    csr_write(satp, 8ULL << 60 | (uint64_t)(uintptr_t)root >> 12);
    __asm__ volatile("sfence.vma" ::: "memory");
    goto_priv(PRV_S);
    ASSERT_EQ(1, ld(VA_1G), first);  /* 1 GiB leaf */
    ASSERT_EQ(2, ld(VA_2M), 0x2222); /* 2 MiB leaf */
    ASSERT_EQ(3, ld(VA_2M + 0x1000), 0x2223);
    ASSERT_EQ(4, ld(VA_4K), 0x4b00); /* 4 KiB leaf */
    ASSERT_EQ(5, ld(VA_4K + 0x1000), 0x4b01);
    sd(VA_4K, 0x1234);
    ASSERT_EQ(6, MMIO64(PA_4K), 0x1234);                         /* identity view of the same RAM */
    ASSERT_EQ(7, ld(VA_4K + 8 * 0x1000), 0x0000806702a00513ULL); /* the code below */
    uint64_t (*fn)(void) = (uint64_t(*)(void))(uintptr_t)(VA_4K + 0x8000);
    ASSERT_EQ(8, fn(), 42);         /* fetch through a 4 KiB leaf */
    store_fault(9, VA_4K + 0x1000); /* read-only */
    ASSERT_EQ(10, MMIO64(PA_4K + 0x1000), 0x4b01);
    load_fault(11, VA_4K + 0x6000 + 8);    /* invalid */
    load_fault(12, VA_2M + 0x400000);      /* l1[2]: misaligned 2 MiB leaf */
    load_fault(13, 0x100000000ULL + 0x10); /* root[4]: misaligned 1 GiB leaf */
    load_fault(14, VA_4K + 0x7000);        /* W without R */
    load_fault(15, 0x8000000000ULL);       /* not canonical in Sv39 */
    load_fault(16, 0xffffffc000000000ULL); /* canonical, root[256] invalid */
    /* A and D */
    ASSERT_EQ(17, ld(VA_4K + 0x2000), 0x4b02);
    ASSERT_EQ(18, ((volatile uint64_t *)l0)[2] & (PTE_A | PTE_D), PTE_A);
    sd(VA_4K + 0x2000, 7);
    ASSERT_EQ(19, ((volatile uint64_t *)l0)[2] & (PTE_A | PTE_D), PTE_A | PTE_D);
    /* SUM */
    load_fault(20, VA_4K + 0x3000);
    csr_set(sstatus, MSTATUS_SUM);
    ASSERT_EQ(21, ld(VA_4K + 0x3000), 0x4b03);
    csr_clear(sstatus, MSTATUS_SUM);
    /* MXR */
    load_fault(22, VA_4K + 0x4000);
    csr_set(sstatus, MSTATUS_MXR);
    ASSERT_EQ(23, ld(VA_4K + 0x4000), 0x4b04);
    csr_clear(sstatus, MSTATUS_MXR);
    /* fetch from a page without X (resumes in M-mode) */
    SET_TEST(24);
    trap_expect = 1;
    try_call(VA_4K + 0x5000);
    expect_fault(24, CAUSE_FETCH_PAGE, VA_4K + 0x5000);
    goto_priv(PRV_S);
    SET_TEST(25);
    trap_expect = 1;
    try_call(VA_1G + 0x1000); /* root[1] has no X */
    expect_fault(25, CAUSE_FETCH_PAGE, VA_1G + 0x1000);

    /* MPRV: an M-mode load translated as S */
    SET_TEST(26);
    uint64_t v;
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MPP_S);
    __asm__ volatile("csrs mstatus, %1\n"
                     "ld %0, 0(%2)\n"
                     "csrc mstatus, %1\n"
                     : "=&r"(v)
                     : "r"((uint64_t)MSTATUS_MPRV), "r"(VA_2M)
                     : "memory");
    ASSERT_EQ(26, v, 0x2222);
    /* with MPRV clear, M-mode is not translated */
    ASSERT_EQ(27, MMIO64(PA_2M), 0x2222);

    /* Sv48 */
    csr_write(satp, 9ULL << 60 | (uint64_t)(uintptr_t)root48 >> 12);
    __asm__ volatile("sfence.vma" ::: "memory");
    ASSERT_EQ(28, csr_read(satp) >> 60, 9);
    goto_priv(PRV_S);
    ASSERT_EQ(29, ld(0x8000000000ULL), first); /* 1 GiB leaf at 512 GiB */
    ASSERT_EQ(30, ld(VA_2M), 0x2222);
    ASSERT_EQ(31, ld(VA_4K + 0x1000), 0x4b01);
    ASSERT_EQ(32, fn(), 42);
    load_fault(33, 0x10000000000ULL);  /* root48[2] invalid */
    load_fault(34, 0x800000000000ULL); /* not canonical in Sv48 */
    store_fault(35, VA_4K + 0x1000);
    goto_m();
    csr_write(satp, 0);
    __asm__ volatile("sfence.vma" ::: "memory");
    return 0;
}
