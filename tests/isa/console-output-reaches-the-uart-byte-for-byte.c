/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Console output for the differential run: every printable ASCII character,
 * tabs and carriage returns, a long line, numbers in decimal and hex, all
 * written to the 16550's THR after polling LSR.THRE. The UART's reset
 * register values (LSR 0x60, IER 0, LCR 0, MCR 0x08, IIR 0x01 with FIFOs
 * off) are checked first. Formatted lines come from picolibc's snprintf
 * (this program is the one linked with picolibc). Exits 0; the output must
 * equal QEMU's. */
#include <stdio.h>
#include <string.h>

#include "isa.h"

#define UART_REG(n) (*(volatile uint8_t *)(uintptr_t)(UART_BASE + (n)))

int main(void)
{
    ASSERT_EQ(1, UART_REG(5), 0x60);
    ASSERT_EQ(2, UART_REG(1), 0);
    ASSERT_EQ(3, UART_REG(3), 0);
    ASSERT_EQ(4, UART_REG(4), 0x08);
    ASSERT_EQ(5, UART_REG(2), 0x01);
    uart_puts("Tern console test\n");
    for (int c = 0x20; c < 0x7f; c++) {
        uart_putc((char)c);
        if ((c & 0x1f) == 0x1f)
            uart_putc('\n');
    }
    uart_puts("\n\ttab\tseparated\tcolumns\r\n");
    for (int i = 0; i < 200; i++)
        uart_putc((char)('a' + i % 26));
    uart_putc('\n');
    uint64_t x = 1;
    for (int i = 0; i < 20; i++) {
        uart_putdec(x);
        uart_putc(' ');
        uart_puthex(x);
        uart_putc('\n');
        x = x * 7 + 3;
    }
    char line[80];
    for (int i = -3; i <= 3; i++) {
        int n = snprintf(line, sizeof line, "%5d|%-8s|%08x|%+.3d\n", i * 1000,
                         i < 0 ? "neg" : "pos", (unsigned)(i * 0x1234567), i);
        ASSERT_EQ(6, (uint64_t)n, strlen(line));
        uart_puts(line);
    }
    uart_puts("done\n");
    return 0;
}
