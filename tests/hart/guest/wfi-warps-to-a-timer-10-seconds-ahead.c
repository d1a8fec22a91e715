/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Arms the CLINT timer 10 virtual seconds ahead (100,000,000 ticks of the
 * 10 MHz mtime), enables mie.MTIE with mstatus.MIE off, and waits in WFI until
 * mip.MTIP is set.  Nothing else runs, so the clock must warp to the deadline:
 * the test checks the host time it took.  Prints "deadline D", "woke at W"
 * and "wfi returns R"; fails (case 1) when mtime is below the deadline after
 * waking. */
#include "isa.h"

#define TEN_SECONDS 100000000u

int main(void)
{
    uint64_t deadline = MMIO64(CLINT_MTIME) + TEN_SECONDS, woke, returns = 0;

    MMIO64(CLINT_MTIMECMP) = deadline;
    csr_write(mie, MIP_MTIP);
    do {
        __asm__ volatile("wfi");
        returns++;
    } while (!(csr_read(mip) & MIP_MTIP));
    woke = MMIO64(CLINT_MTIME);
    uart_puts("deadline ");
    uart_putdec(deadline);
    uart_puts("\nwoke at ");
    uart_putdec(woke);
    uart_puts("\nwfi returns ");
    uart_putdec(returns);
    uart_putc('\n');
    ASSERT_TRUE(1, woke >= deadline);
    return 0;
}
