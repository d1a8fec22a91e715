/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A guest that never ends and never gets anywhere: built once per VARIANT,
 * each sets mtvec to where the trap it causes lands, so the hart traps there
 * for ever:
 *   1  jumps to MMIO (the UART at 0x10000000), mtvec there too
 *   2  jumps to an unassigned address (0x2010000), mtvec there too
 *   3  jumps into all-zero words (illegal), mtvec at them
 *   4  mtvec points at an ebreak, which traps to itself
 *   5  mtvec points at a misaligned AMO, which traps to itself
 *   6  waits in WFI with no interrupt enabled: nothing can wake it
 *   7  stores to the last word of the 64-bit address space (nothing there:
 *      an access fault), mtvec at the store
 * Tern must keep running until it is told to stop (SIGTERM). No crt0: the
 * program is this file alone. */
#include "isa.h"

    .section .text.init, "ax"
    .globl _start
_start:
#if VARIANT == 1
    li t0, UART_BASE
    csrw mtvec, t0
    jr t0
#elif VARIANT == 2
    li t0, UNMAPPED_ADDR
    csrw mtvec, t0
    jr t0
#elif VARIANT == 3
    la t0, zeros
    csrw mtvec, t0
    jr t0
#elif VARIANT == 4
    la t0, self
    csrw mtvec, t0
    .balign 4
self:
    ebreak
#elif VARIANT == 5
    la t0, self
    csrw mtvec, t0
    li t1, 0x80000001
    .balign 4
self:
    amoadd.w t2, t0, (t1)
#elif VARIANT == 6
    csrw mie, zero
1:  wfi
    j 1b
#elif VARIANT == 7
    la t0, self
    csrw mtvec, t0
    li t1, -4
    .balign 4
self:
    sw zero, 0(t1)
#else
#error VARIANT must be 1..7
#endif
    j _start

    .balign 64
zeros:
    .space 256
