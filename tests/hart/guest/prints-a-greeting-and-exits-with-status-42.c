/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prints one line and ends through sifive_test with exit status 42 (the
 * FAIL code with 42 in the upper half): what -S and QMP cont are tested with. */
#include "isa.h"

int main(void)
{
    uart_puts("hello from the guest\n");
    MMIO32(SIFIVE_TEST) = 42u << 16 | 0x3333;
    for (;;)
        __asm__ volatile("wfi");
}
