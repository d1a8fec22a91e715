/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -smp 4: hart h arms its CLINT timer (h + 1) virtual seconds ahead of a
 * common start and waits in WFI (mie.MTIE, mstatus.MIE off).  While every hart
 * sleeps the clock can only move by warping to the next deadline, so the
 * harts wake one by one, each at its own deadline.  A woken hart records
 * mtime, disarms its timer and reports; the last one sends hart 0 (which
 * waits in WFI for the IPI) the signal to print "hart H deadline D woke W"
 * for every hart, in hart order. */
#include "isa.h"

#define NHARTS 4
#define SECOND 10000000u /* mtime ticks */

static volatile uint64_t start, started, woke_count, deadline[NHARTS], woke[NHARTS];

int hart_main(uint64_t hartid);

int hart_main(uint64_t hartid)
{
    if (hartid >= NHARTS)
        return 0;
    if (hartid == 0) {
        start = MMIO64(CLINT_MTIME);
        __atomic_store_n(&started, 1, __ATOMIC_RELEASE);
    }
    while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE))
        ;
    deadline[hartid] = start + (hartid + 1) * SECOND;
    MMIO64(CLINT_MTIMECMP + 8 * hartid) = deadline[hartid];
    csr_write(mie, MIP_MTIP);
    while (!(csr_read(mip) & MIP_MTIP))
        __asm__ volatile("wfi");
    woke[hartid] = MMIO64(CLINT_MTIME);
    MMIO64(CLINT_MTIMECMP + 8 * hartid) = UINT64_MAX;
    if (__atomic_add_fetch(&woke_count, 1, __ATOMIC_ACQ_REL) == NHARTS && hartid != 0)
        MMIO32(CLINT_MSIP) = 1;
    if (hartid != 0)
        return 0;

    csr_write(mie, MIP_MSIP);
    while (__atomic_load_n(&woke_count, __ATOMIC_ACQUIRE) != NHARTS)
        __asm__ volatile("wfi");
    MMIO32(CLINT_MSIP) = 0;
    for (int h = 0; h < NHARTS; h++) {
        /* No hart wakes before its deadline; later deadlines wake later. */
        ASSERT_TRUE(1, woke[h] >= deadline[h]);
        ASSERT_TRUE(2, h == 0 || woke[h] > woke[h - 1]);
        uart_puts("hart ");
        uart_putdec((uint64_t)h);
        uart_puts(" deadline ");
        uart_putdec(deadline[h] - start);
        uart_puts(" woke ");
        uart_putdec(woke[h] - start);
        uart_putc('\n');
    }
    return 0;
}
