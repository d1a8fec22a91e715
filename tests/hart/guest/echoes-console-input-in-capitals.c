/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reads console input from the UART (polling LSR.DR) up to a newline, with
 * the instruction count at which each byte arrived folded into a hash, and
 * prints "echo: TEXT" in capitals and "arrival hash H", then exits with 0. */
#include "isa.h"

int main(void)
{
    char line[80];
    unsigned n = 0;
    uint64_t hash = 0xcbf29ce484222325u, last = 0;

    while (n < sizeof(line) - 1) {
        while (!(*(volatile uint8_t *)(UART_BASE + 5) & 1))
            ;
        char c = (char)*(volatile uint8_t *)UART_BASE;
        uint64_t at = csr_read(minstret);
        /* Each byte is read after the one before: instructions ran between them. */
        ASSERT_TRUE(1, at > last);
        last = at;
        hash = (hash ^ at) * 0x100000001b3u;
        if (c == '\n' || c == '\r')
            break;
        line[n++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    line[n] = 0;
    uart_puts("echo: ");
    uart_puts(line);
    uart_puts("\narrival hash ");
    uart_puthex(hash);
    uart_putc('\n');
    return 0;
}
