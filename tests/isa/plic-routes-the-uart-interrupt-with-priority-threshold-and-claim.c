/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The PLIC with the UART's THR-empty interrupt (source 10): the pending bit
 * follows the UART line, MEIP rises only when the source is enabled for the
 * M context with priority above the threshold (priority 0 never
 * interrupts), the machine external interrupt is taken (mcause interrupt 11),
 * claim returns 10 and clears the pending bit, a second claim returns 0,
 * complete lets the source interrupt again; the S context drives SEIP. */
#include "isa.h"

#define UART_IER            (UART_BASE + 1)
#define PLIC_PRIO(n)        (PLIC_BASE + 4 * (n))
#define PLIC_PENDING        (PLIC_BASE + 0x1000)
#define PLIC_ENABLE(ctx)    (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)     (PLIC_BASE + 0x200004 + 0x1000 * (ctx))
#define SRC                 10

static volatile uint64_t claimed, cause_seen, second_claim;

static void on_irq(uint64_t cause)
{
    cause_seen = cause;
    claimed = MMIO32(PLIC_CLAIM(0));
    second_claim = MMIO32(PLIC_CLAIM(0));
    *(volatile uint8_t *)UART_IER = 0; /* lowers the UART line */
    MMIO32(PLIC_CLAIM(0)) = (uint32_t)claimed;
}

static int pending(void)
{
    return (MMIO32(PLIC_PENDING) >> SRC) & 1;
}

int main(void)
{
    irq_hook = on_irq;
    ASSERT_EQ(1, pending(), 0);
    MMIO32(PLIC_PRIO(SRC)) = 1;
    ASSERT_EQ(2, MMIO32(PLIC_PRIO(SRC)), 1);
    MMIO32(PLIC_THRESHOLD(0)) = 0;
    /* THR is empty: enabling its interrupt raises the line at once */
    *(volatile uint8_t *)UART_IER = 0x02;
    ASSERT_EQ(3, pending(), 1);
    ASSERT_EQ(4, csr_read(mip) & MIP_MEIP, 0); /* not enabled for context 0 yet */
    MMIO32(PLIC_ENABLE(0)) = 1u << SRC;
    ASSERT_EQ(5, MMIO32(PLIC_ENABLE(0)), 1u << SRC);
    /* QEMU 7.2 re-evaluates its outputs on a threshold write but not on an
     * enable write (README.md), so, like drivers do, set the threshold after
     * the enables. */
    MMIO32(PLIC_THRESHOLD(0)) = 0;
    ASSERT_EQ(6, csr_read(mip) & MIP_MEIP, MIP_MEIP);
    MMIO32(PLIC_THRESHOLD(0)) = 1; /* priority must exceed the threshold */
    ASSERT_EQ(7, csr_read(mip) & MIP_MEIP, 0);
    MMIO32(PLIC_THRESHOLD(0)) = 0;
    MMIO32(PLIC_PRIO(SRC)) = 0; /* priority 0 never interrupts */
    ASSERT_EQ(8, csr_read(mip) & MIP_MEIP, 0);
    MMIO32(PLIC_PRIO(SRC)) = 7;
    ASSERT_EQ(9, csr_read(mip) & MIP_MEIP, MIP_MEIP);
    MMIO32(PLIC_PRIO(SRC)) = 9; /* WARL: 3 bits */
    ASSERT_EQ(10, MMIO32(PLIC_PRIO(SRC)), 1);

    SET_TEST(11);
    csr_set(mie, MIP_MEIP);
    csr_set(mstatus, MSTATUS_MIE);
    for (int i = 0; i < 1000 && !irq_count; i++)
        __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    ASSERT_EQ(11, irq_count, 1);
    ASSERT_EQ(12, cause_seen, 1ULL << 63 | 11);
    ASSERT_EQ(13, claimed, SRC);
    ASSERT_EQ(14, second_claim, 0);
    ASSERT_EQ(15, pending(), 0);
    ASSERT_EQ(16, csr_read(mip) & MIP_MEIP, 0);

    /* after complete the source interrupts again */
    SET_TEST(17);
    *(volatile uint8_t *)UART_IER = 0x02;
    ASSERT_EQ(17, pending(), 1);
    csr_set(mstatus, MSTATUS_MIE);
    for (int i = 0; i < 1000 && irq_count < 2; i++)
        __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    ASSERT_EQ(18, irq_count, 2);
    ASSERT_EQ(19, claimed, SRC);

    /* the S context (1) drives SEIP; claim there */
    csr_clear(mie, MIP_MEIP);
    MMIO32(PLIC_ENABLE(0)) = 0;
    MMIO32(PLIC_ENABLE(1)) = 1u << SRC;
    MMIO32(PLIC_THRESHOLD(1)) = 0;
    *(volatile uint8_t *)UART_IER = 0x02;
    ASSERT_EQ(20, csr_read(mip) & (MIP_SEIP | MIP_MEIP), MIP_SEIP);
    ASSERT_EQ(21, MMIO32(PLIC_CLAIM(1)), SRC);
    ASSERT_EQ(22, csr_read(mip) & MIP_SEIP, 0);
    *(volatile uint8_t *)UART_IER = 0;
    MMIO32(PLIC_CLAIM(1)) = SRC;
    ASSERT_EQ(23, pending(), 0);
    ASSERT_EQ(24, csr_read(mip) & MIP_SEIP, 0);
    return 0;
}
