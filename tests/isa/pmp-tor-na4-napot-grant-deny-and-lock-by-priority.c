/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Physical memory protection: NA4, TOR and NAPOT regions grant S and U
 * exactly their R/W/X bits over exactly their bytes; the lowest-numbered
 * matching entry decides; an access only partly inside the entry fails; S and U are denied where no
 * entry matches (access faults with mtval = the address); unlocked entries do not bind M-mode; a
 * locked entry binds M-mode and ignores writes to its pmpcfg and pmpaddr. */
#include "isa.h"

#define T                      0x80400000ULL
#define R                      0x01
#define W                      0x02
#define X                      0x04
#define OFF                    0x00
#define TOR                    0x08
#define NA4                    0x10
#define NAPOT                  0x18
#define L                      0x80
#define NAPOT_ADDR(base, size) (((base) | ((size) / 2 - 1)) >> 2)

/* The spec asks for sfence.vma x0, x0 after PMP writes (cached permissions). */
static void pmp_sync(void)
{
    __asm__ volatile("sfence.vma" ::: "memory");
}

/* Exact instructions: the checks depend on the access width. */
static uint64_t ld(uint64_t a)
{
    uint64_t v;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static void sd(uint64_t a, uint64_t v)
{
    __asm__ volatile("sd %0, 0(%1)" ::"r"(v), "r"(a) : "memory");
}

static uint32_t ld32(uint64_t a)
{
    uint64_t v;
    __asm__ volatile("lwu %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
    return (uint32_t)v;
}

static void load_fault(int n, uint64_t a)
{
    SET_TEST(n);
    trap_expect = 1;
    (void)ld(a);
    ASSERT_EQ(n, trap_expect, 0);
    ASSERT_EQ(n, trap_cause, CAUSE_LOAD_ACCESS);
    ASSERT_EQ(n, trap_tval, a);
}

static void store_fault(int n, uint64_t a)
{
    SET_TEST(n);
    trap_expect = 1;
    sd(a, 0xdead);
    ASSERT_EQ(n, trap_expect, 0);
    ASSERT_EQ(n, trap_cause, CAUSE_STORE_ACCESS);
    ASSERT_EQ(n, trap_tval, a);
}

static void checks_for_s_and_u(int base)
{
    ASSERT_EQ(base + 1, ld32(T), 0x100); /* NA4 R */
    store_fault(base + 2, T);            /* NA4 without W */
    load_fault(base + 3, T + 4);         /* past the 4 bytes: no match */
    load_fault(base + 14, T);            /* 8 bytes match partly: denied */
    sd(T + 0x1000, 0x111);               /* TOR RW */
    ASSERT_EQ(base + 4, ld(T + 0x1000), 0x111);
    ASSERT_EQ(base + 5, ld(T + 0x1ff8), 0x1ff);
    load_fault(base + 6, T + 0x2000);           /* just past the TOR top */
    load_fault(base + 7, T + 0x4000);           /* entry 3 (none) beats entry 4 */
    ASSERT_EQ(base + 8, ld(T + 0x5000), 0x500); /* entry 4 */
    store_fault(base + 9, T + 0x5000);          /* entry 4 is R only */
    load_fault(base + 10, T + 0x8000);          /* no entry */
    store_fault(base + 11, T + 0x8000);
    SET_TEST(base + 12);
    trap_expect = 1;
    try_call(T + 0x1000); /* TOR region has no X; resumes in M */
    ASSERT_EQ(base + 12, trap_cause, CAUSE_FETCH_ACCESS);
    ASSERT_EQ(base + 13, trap_tval, T + 0x1000);
}

int main(void)
{
    MMIO64(T) = 0x100;
    MMIO64(T + 0x1ff8) = 0x1ff;
    MMIO64(T + 0x5000) = 0x500;
    MMIO64(T + 0xa000) = 0x600;
    MMIO32(T + 0x1000) = 0x00008067; /* ret, in a region without X */

    csr_write(pmpcfg0, 0);
    csr_write(pmpaddr0, T >> 2);
    csr_write(pmpaddr1, (T + 0x1000) >> 2);
    csr_write(pmpaddr2, (T + 0x2000) >> 2);
    csr_write(pmpaddr3, NAPOT_ADDR(T + 0x4000, 0x1000));
    csr_write(pmpaddr4, NAPOT_ADDR(T + 0x4000, 0x4000));
    csr_write(pmpaddr5, NAPOT_ADDR(0x80000000ULL, 0x200000));
    uint64_t cfg = (uint64_t)(NA4 | R) | (uint64_t)OFF << 8 | (uint64_t)(TOR | R | W) << 16 |
                   (uint64_t)NAPOT << 24 | (uint64_t)(NAPOT | R) << 32 |
                   (uint64_t)(NAPOT | R | W | X) << 40;
    csr_write(pmpcfg0, cfg);
    pmp_sync();
    ASSERT_EQ(1, csr_read(pmpcfg0), cfg);
    ASSERT_EQ(2, csr_read(pmpaddr2), (T + 0x2000) >> 2);
    ASSERT_EQ(3, csr_read(pmpaddr3), NAPOT_ADDR(T + 0x4000, 0x1000));

    goto_priv(PRV_U);
    checks_for_s_and_u(10);
    goto_priv(PRV_S);
    checks_for_s_and_u(30);

    /* unlocked entries do not bind M-mode */
    *(volatile uint32_t *)T = 0x101;
    ASSERT_EQ(50, ld32(T), 0x101);
    /* an access partly inside an entry fails even in M-mode */
    load_fault(58, T);
    sd(T + 0x8000, 0x801);
    ASSERT_EQ(51, ld(T + 0x8000), 0x801);

    /* a locked entry binds M and cannot be changed */
    csr_write(pmpaddr6, NAPOT_ADDR(T + 0xa000, 0x1000));
    csr_set(pmpcfg0, (uint64_t)(NAPOT | R | L) << 48);
    pmp_sync();
    ASSERT_EQ(52, ld(T + 0xa000), 0x600);
    trap_expect = 1;
    SET_TEST(53);
    sd(T + 0xa000, 1);
    ASSERT_EQ(53, trap_cause, CAUSE_STORE_ACCESS);
    ASSERT_EQ(54, MMIO64(T + 0xa000), 0x600);
    csr_clear(pmpcfg0, 0xffULL << 48);
    ASSERT_EQ(55, (csr_read(pmpcfg0) >> 48) & 0xff, NAPOT | R | L);
    csr_write(pmpaddr6, 0);
    pmp_sync();
    ASSERT_EQ(56, csr_read(pmpaddr6), NAPOT_ADDR(T + 0xa000, 0x1000));
    /* the other entries in the same pmpcfg register stay writable */
    csr_clear(pmpcfg0, 0xffULL << 24);
    ASSERT_EQ(57, (csr_read(pmpcfg0) >> 24) & 0xff, 0);
    return 0;
}
