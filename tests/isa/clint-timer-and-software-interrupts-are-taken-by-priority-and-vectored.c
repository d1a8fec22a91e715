/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Machine interrupts from the CLINT: the timer (mtimecmp crossing, MTIE,
 * wfi wakes and the handler runs with mcause = interrupt 7), the software
 * interrupt (msip, cause 3), wfi waking with MIE clear, the order when
 * several are pending (MSI before MTI, whatever the order they rose in), interrupts masked by mie
 * and mstatus.MIE, and mtvec vectored mode (interrupt N enters at base + 4N, exceptions at base).
 */
#include "isa.h"

static volatile uint64_t order[8];
static volatile unsigned norder;

static void record(uint64_t cause)
{
    if (norder < 8)
        order[norder++] = cause;
    if (cause == (1ULL << 63 | 7))
        MMIO64(CLINT_MTIMECMP) = ~0ULL; /* lowers MTIP */
    else if (cause == (1ULL << 63 | 3))
        MMIO32(CLINT_MSIP) = 0;
}

extern char vector_table[];
extern volatile uint64_t vec_hits[16];
void vec_irq(void);

/* The vectored table: every slot jumps to the common entry; the timer and
 * software slots count their use first. */
__asm__(".text\n"
        ".balign 256\n"
        ".option push\n"
        ".option norvc\n" /* 4-byte slots */
        ".globl vector_table\n"
        "vector_table:\n"
        "  j trap_entry\n" /* 0: exceptions */
        "  j trap_entry\n" /* 1 */
        "  j trap_entry\n" /* 2 */
        "  j vec_msi\n"    /* 3 */
        "  j trap_entry\n" /* 4 */
        "  j trap_entry\n" /* 5 */
        "  j trap_entry\n" /* 6 */
        "  j vec_mti\n"    /* 7 */
        "  j trap_entry\n" /* 8 */
        "  j trap_entry\n" /* 9 */
        "  j trap_entry\n" /* 10 */
        "  j trap_entry\n" /* 11 */
        ".option pop\n"
        "vec_msi:\n"
        "  csrrw sp, mscratch, sp\n"
        "  sd t0, -8(sp)\n"
        "  li t0, 3\n"
        "  j vec_count\n"
        "vec_mti:\n"
        "  csrrw sp, mscratch, sp\n"
        "  sd t0, -8(sp)\n"
        "  li t0, 7\n"
        "vec_count:\n"
        "  sd t1, -16(sp)\n"
        "  slli t0, t0, 3\n"
        "  la t1, vec_hits\n"
        "  add t1, t1, t0\n"
        "  ld t0, 0(t1)\n"
        "  addi t0, t0, 1\n"
        "  sd t0, 0(t1)\n"
        "  ld t1, -16(sp)\n"
        "  ld t0, -8(sp)\n"
        "  csrrw sp, mscratch, sp\n"
        "  j trap_entry\n");
volatile uint64_t vec_hits[16];

static void wait_irqs(uint64_t n)
{
    for (int i = 0; i < 1000000 && irq_count < n; i++)
        __asm__ volatile("wfi");
}

int main(void)
{
    irq_hook = record;
    MMIO64(CLINT_MTIMECMP) = ~0ULL;

    /* 1: timer: mtimecmp a little ahead, MTIE + MIE, wfi until taken */
    SET_TEST(1);
    uint64_t now = MMIO64(CLINT_MTIME);
    MMIO64(CLINT_MTIMECMP) = now + 1000;
    csr_set(mie, MIP_MTIP);
    csr_set(mstatus, MSTATUS_MIE);
    wait_irqs(1);
    csr_clear(mstatus, MSTATUS_MIE);
    ASSERT_EQ(1, irq_count, 1);
    ASSERT_EQ(2, order[0], 1ULL << 63 | 7);
    ASSERT_TRUE(3, MMIO64(CLINT_MTIME) >= now + 1000);
    ASSERT_EQ(4, csr_read(mip) & MIP_MTIP, 0);

    /* 5: software interrupt */
    SET_TEST(5);
    csr_set(mie, MIP_MSIP);
    MMIO32(CLINT_MSIP) = 1;
    ASSERT_EQ(5, MMIO32(CLINT_MSIP), 1);
    ASSERT_EQ(6, csr_read(mip) & MIP_MSIP, MIP_MSIP);
    csr_set(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    ASSERT_EQ(7, irq_count, 2);
    ASSERT_EQ(8, order[1], 1ULL << 63 | 3);
    ASSERT_EQ(9, csr_read(mip) & MIP_MSIP, 0);

    /* 10: masked by mie: pending but not taken */
    SET_TEST(10);
    csr_clear(mie, MIP_MSIP);
    MMIO32(CLINT_MSIP) = 1;
    csr_set(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    ASSERT_EQ(10, irq_count, 2);
    ASSERT_EQ(11, csr_read(mip) & MIP_MSIP, MIP_MSIP);
    MMIO32(CLINT_MSIP) = 0;
    csr_set(mie, MIP_MSIP);

    /* 12: wfi wakes on a pending enabled interrupt even with mstatus.MIE clear */
    SET_TEST(12);
    MMIO64(CLINT_MTIMECMP) = MMIO64(CLINT_MTIME) + 500;
    while (!(csr_read(mip) & MIP_MTIP))
        __asm__ volatile("wfi");
    ASSERT_EQ(12, irq_count, 2);

    /* 13: both pending (MTIP from above, MSIP now): MSI is taken first */
    SET_TEST(13);
    MMIO32(CLINT_MSIP) = 1;
    csr_set(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    ASSERT_EQ(13, irq_count, 4);
    ASSERT_EQ(14, order[2], 1ULL << 63 | 3);
    ASSERT_EQ(15, order[3], 1ULL << 63 | 7);

    /* 16: vectored mtvec: the timer enters at base + 4*7, msip at base + 4*3,
     * an exception at base */
    SET_TEST(16);
    uint64_t old_mtvec = csr_read(mtvec);
    csr_write(mtvec, (uint64_t)vector_table | 1);
    ASSERT_EQ(16, csr_read(mtvec), (uint64_t)vector_table | 1);
    MMIO64(CLINT_MTIMECMP) = 0;
    csr_set(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    ASSERT_EQ(17, vec_hits[7], 1);
    ASSERT_EQ(18, order[4], 1ULL << 63 | 7);
    MMIO32(CLINT_MSIP) = 1;
    csr_set(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    ASSERT_EQ(19, vec_hits[3], 1);
    SET_TEST(20);
    trap_expect = 1;
    __asm__ volatile("ebreak");
    ASSERT_EQ(20, trap_cause, CAUSE_BREAKPOINT);
    ASSERT_EQ(21, vec_hits[3] + vec_hits[7], 2);
    csr_write(mtvec, old_mtvec);

    /* 22: the timer interrupt while MIE is set and the hart spins */
    SET_TEST(22);
    MMIO64(CLINT_MTIMECMP) = MMIO64(CLINT_MTIME) + 200;
    csr_set(mstatus, MSTATUS_MIE);
    for (int i = 0; i < 10000000 && irq_count < 7; i++)
        __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    ASSERT_EQ(22, irq_count, 7);
    ASSERT_EQ(23, order[6], 1ULL << 63 | 7);
    return 0;
}
