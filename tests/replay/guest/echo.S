/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * echo.S - a guest for record/replay tests (tests/replay/test-guest-replay.c):
 * M-mode on the virt board, no firmware, no RAM used beyond its code.
 *
 * Prints a banner and a "> " prompt (a partial line), then echoes every
 * byte it reads from the 16550 UART, lower-case letters upper-cased (so the
 * echo is the guest's, not the terminal's); a '\r' or '\n' ends the line
 * and prints the prompt again.  't' prints the low 32 bits of the goldfish
 * RTC's TIME_LOW in hex (under -rtc clock=host a host-clock read: a
 * recording's hostclock event), then a new prompt.  'w' prints "wfi" and
 * from then on waits for input in WFI, woken every 1 ms (virtual) by the
 * CLINT timer, instead of spinning: while it waits no instruction runs and
 * the clock jumps from deadline to deadline.  'q' prints "bye" and ends the machine
 * through sifive_test with status 0 (0x5555); 'f' ends it with status 3
 * (0x33333).  The UART is polled (LSR), so the instruction count at which a
 * byte is read depends on when it arrived: that is what a recording keeps.
 */
    .equ UART, 0x10000000
    .equ UART_LSR, 5
    .equ LSR_DR, 0x01
    .equ LSR_THRE, 0x20
    .equ SIFIVE_TEST, 0x100000
    .equ RTC, 0x101000
    .equ MTIMECMP, 0x2004000
    .equ MTIME, 0x200bff8
    .equ TICK, 10000 /* mtime ticks (10 MHz): 1 ms */

    .section .text.start
    .globl _start
_start:
    li s0, UART
    li s1, 0 /* 1: wait in WFI */
    la a0, banner
    call puts
prompt:
    la a0, prompt_text
    call puts
next:
    call getc
    li t0, 'q'
    beq a0, t0, quit
    li t0, 'f'
    beq a0, t0, fail
    li t0, 't'
    beq a0, t0, rtc
    li t0, 'w'
    beq a0, t0, wfi_mode
    li t0, '\r'
    beq a0, t0, newline
    li t0, '\n'
    beq a0, t0, newline
    li t0, 'a'
    blt a0, t0, 1f
    li t0, 'z'
    bgt a0, t0, 1f
    addi a0, a0, 'A' - 'a'
1:  call putc
    j next
newline:
    li a0, '\n'
    call putc
    j prompt
wfi_mode:
    li s1, 1
    li t0, 0x80 /* mie.MTIE: the timer wakes WFI (mstatus.MIE stays 0: no trap) */
    csrw mie, t0
    la a0, wfi_text
    call puts
    j newline
rtc:
    li t0, RTC
    lwu t4, 0(t0)
    li t5, 28
1:  srl a0, t4, t5
    andi a0, a0, 0xf
    li t0, 10
    blt a0, t0, 2f
    addi a0, a0, 'a' - 10 - '0'
2:  addi a0, a0, '0'
    call putc
    addi t5, t5, -4
    bgez t5, 1b
    j newline
quit:
    la a0, bye
    call puts
    li t0, SIFIVE_TEST
    li t1, 0x5555
    sw t1, 0(t0)
    j .
fail:
    li t0, SIFIVE_TEST
    li t1, 0x33333
    sw t1, 0(t0)
    j .

/* putc(a0): waits for the transmitter, writes a0. */
putc:
    lbu t0, UART_LSR(s0)
    andi t0, t0, LSR_THRE
    beqz t0, putc
    sb a0, 0(s0)
    ret

/* puts(a0): a NUL-ended string, a byte at a time. */
puts:
    mv t2, a0
    mv t3, ra
1:  lbu a0, 0(t2)
    beqz a0, 2f
    call putc
    addi t2, t2, 1
    j 1b
2:  mv ra, t3
    ret

/* getc() -> a0: polls the line status until a byte is there (in WFI mode, once a tick). */
getc:
    lbu t0, UART_LSR(s0)
    andi t0, t0, LSR_DR
    bnez t0, 2f
    beqz s1, getc
    li t0, MTIME
    ld t1, 0(t0)
    li t0, TICK
    add t1, t1, t0
    li t0, MTIMECMP
    sd t1, 0(t0)
    wfi
    j getc
2:  lbu a0, 0(s0)
    ret

    .section .rodata
banner:
    .asciz "tern echo guest\n"
prompt_text:
    .asciz "> "
bye:
    .asciz "\nbye\n"
wfi_text:
    .asciz "wfi"
