/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Interrupt priority at M level (privileged spec 3.1.9): with the machine
 * external (PLIC, UART THR-empty source), software (CLINT msip), timer
 * (mtimecmp 0) interrupts and the supervisor external, software and timer
 * bits (written in mip by M-mode, not delegated) all pending and enabled,
 * setting mstatus.MIE takes them one at a time in the order MEI, MSI, MTI,
 * SEI, SSI, STI. QEMU 7.2 without AIA takes the lowest-numbered first
 * (SSI, MSI, STI, MTI, SEI, MEI) and stops at case 2 (README.md). */
#include "isa.h"

#define UART_IER            (UART_BASE + 1)
#define PLIC_PRIO(n)        (PLIC_BASE + 4 * (n))
#define PLIC_ENABLE(ctx)    (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)     (PLIC_BASE + 0x200004 + 0x1000 * (ctx))
#define SRC                 10
#define ALL                 (MIP_MEIP | MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP)

static volatile uint64_t order[8];
static volatile unsigned norder;

/* Clears whichever source interrupted and records the order. */
static void on_irq(uint64_t cause)
{
    if (norder < 8)
        order[norder++] = cause & 0xff;
    switch (cause & 0xff) {
    case 11: {
        uint32_t id = MMIO32(PLIC_CLAIM(0));
        *(volatile uint8_t *)UART_IER = 0;
        MMIO32(PLIC_CLAIM(0)) = id;
        break;
    }
    case 7:
        MMIO64(CLINT_MTIMECMP) = ~0ULL;
        break;
    case 3:
        MMIO32(CLINT_MSIP) = 0;
        break;
    default:
        csr_clear(mip, 1ULL << (cause & 0xff));
    }
}

int main(void)
{
    irq_hook = on_irq;
    MMIO32(PLIC_PRIO(SRC)) = 1;
    MMIO32(PLIC_ENABLE(0)) = 1u << SRC;
    MMIO32(PLIC_THRESHOLD(0)) = 0;
    csr_write(mideleg, 0);
    csr_write(mie, ALL);
    csr_set(mip, MIP_SEIP | MIP_SSIP | MIP_STIP);
    MMIO32(CLINT_MSIP) = 1;
    MMIO64(CLINT_MTIMECMP) = 0;
    *(volatile uint8_t *)UART_IER = 0x02;
    ASSERT_EQ(1, csr_read(mip) & ALL, ALL);
    SET_TEST(2);
    csr_set(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop");
    csr_clear(mstatus, MSTATUS_MIE);
    static const uint64_t want[] = {11, 3, 7, 9, 1, 5};
    for (int i = 0; i < 6; i++)
        ASSERT_EQ(2 + i, order[i], want[i]);
    ASSERT_EQ(8, norder, 6);
    ASSERT_EQ(9, csr_read(mip) & ALL, 0);
    return 0;
}
