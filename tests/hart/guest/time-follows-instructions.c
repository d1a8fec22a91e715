/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Runs a fixed loop of LOOP_ITERS iterations (two instructions each) between
 * two reads of the time CSR and of the CLINT's mtime, and prints how many
 * instructions retired between the reads ("insns N") and how far each clock
 * moved ("time T", "mtime M", in 10 MHz ticks).  The test runs it under
 * several -icount shifts: T and M must be N * 2^shift ns in ticks. */
#include "isa.h"

#define LOOP_ITERS 1000000

static void line(const char *what, uint64_t v)
{
    uart_puts(what);
    uart_putc(' ');
    uart_putdec(v);
    uart_putc('\n');
}

int main(void)
{
    uint64_t t0, i0, m0, t1, i1, m1, n = LOOP_ITERS;

    /* One block of straight-line code: every instruction between the reads is counted. */
    __asm__ volatile("rdtime %0\n\t"
                     "rdinstret %1\n"
                     "1:\n\t"
                     "addi %3, %3, -1\n\t"
                     "bnez %3, 1b\n\t"
                     "rdinstret %2\n\t"
                     : "=&r"(t0), "=&r"(i0), "=&r"(i1), "+r"(n));
    __asm__ volatile("rdtime %0" : "=r"(t1));
    /* Whatever the shift: at least the loop's two instructions an iteration, and both clocks moved.
     */
    ASSERT_TRUE(1, i1 - i0 >= 2 * LOOP_ITERS);
    ASSERT_TRUE(2, t1 > t0);
    line("insns", i1 - i0);
    line("time", t1 - t0);

    m0 = MMIO64(CLINT_MTIME);
    n = LOOP_ITERS;
    __asm__ volatile("1:\n\t"
                     "addi %0, %0, -1\n\t"
                     "bnez %0, 1b\n\t"
                     : "+r"(n));
    m1 = MMIO64(CLINT_MTIME);
    ASSERT_TRUE(3, m1 > m0);
    line("mtime", m1 - m0);
    return 0;
}
