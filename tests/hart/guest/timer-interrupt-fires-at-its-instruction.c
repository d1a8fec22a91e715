/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Arms the CLINT timer TICKS ticks after an mtime read, with the interrupt
 * enabled, and spins; the handler reads minstret.  Prints "ticks K" and
 * "insns N": the instructions retired from the mtime read to the handler's
 * read.  With virtual time following instructions (2^shift ns each, mtime at
 * 10 MHz) N is K * 100 / 2^shift, plus the handler's entry, whatever the
 * host does. */
#include "isa.h"

#define TICKS 1000

static volatile uint64_t irq_insns, irq_mtime;

static void on_timer(uint64_t cause)
{
    irq_insns = csr_read(minstret);
    irq_mtime = MMIO64(CLINT_MTIME);
    MMIO64(CLINT_MTIMECMP) = UINT64_MAX; /* "never": clears MTIP */
    (void)cause;
}

int main(void)
{
    uint64_t m0, i0;

    irq_hook = on_timer;
    MMIO64(CLINT_MTIMECMP) = UINT64_MAX;
    csr_write(mie, MIP_MTIP);
    csr_set(mstatus, MSTATUS_MIE);
    m0 = MMIO64(CLINT_MTIME);
    i0 = csr_read(minstret);
    MMIO64(CLINT_MTIMECMP) = m0 + TICKS;
    while (!irq_insns)
        ;
    csr_clear(mstatus, MSTATUS_MIE);
    /* Never early: the handler ran at or after the deadline. */
    ASSERT_TRUE(1, irq_mtime >= m0 + TICKS);
    uart_puts("ticks ");
    uart_putdec(TICKS);
    uart_puts("\ninsns ");
    uart_putdec(irq_insns - i0);
    uart_putc('\n');
    return 0;
}
