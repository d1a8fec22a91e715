/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prints "tick K mtime M" every 2^20 loop iterations for K = 1..TICKS, then
 * exits with status 0 (built with TICKS 0: for ever).  M is the CLINT's mtime: virtual time, which
 * follows instructions, so the output is the same however the run is paused (QMP stop/cont,
 * SIGSTOP) or loaded. */
#include "isa.h"

#ifndef TICKS
#define TICKS 40
#endif

int main(void)
{
    uint64_t last = 0;

    for (uint64_t k = 1; TICKS == 0 || k <= TICKS; k++) {
        uint64_t n = 1u << 20;
        __asm__ volatile("1:\n\t"
                         "addi %0, %0, -1\n\t"
                         "bnez %0, 1b\n\t"
                         : "+r"(n));
        /* mtime only moves forward, and a tick's million instructions move it. */
        ASSERT_TRUE(1, MMIO64(CLINT_MTIME) > last);
        last = MMIO64(CLINT_MTIME);
        uart_puts("tick ");
        uart_putdec(k);
        uart_puts(" mtime ");
        uart_putdec(MMIO64(CLINT_MTIME));
        uart_putc('\n');
    }
    return 0;
}
