/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prints one line and ends through sifive_test with exit status 42 (the
 * FAIL code with 42 in the upper half): what -S and QMP cont are tested with. */
#include "isa.h"

int main(void)
{
    /* Started from the reset vector on hart 0 in M-mode with nothing retired before the ROM. */
    ASSERT_EQ(1, csr_read(mhartid), 0);
    ASSERT_TRUE(2, csr_read(minstret) > 0);
    uart_puts("hello from the guest\n");
    MMIO32(SIFIVE_TEST) = 42u << 16 | 0x3333;
    for (;;)
        __asm__ volatile("wfi");
}
