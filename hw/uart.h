/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uart.h - the NS16550A UART of the virt board (QEMU's "serial-mm").
 *
 * Two types, as on QEMU, so that object paths match (/machine/uart0/serial):
 *  - "serial": the 16550A itself (registers, 16-byte receive FIFO,
 *    interrupts, the chardev front end).  Not mapped anywhere on its own;
 *    its state table is the one snapshots save.
 *  - "serial-mm" (TYPE_SERIAL_MM): a sysbus device that embeds one "serial"
 *    as its child "serial", maps its eight registers as the region "serial"
 *    (8 << regshift bytes), exposes its interrupt as sysbus IRQ 0 and writes
 *    the device-tree node.
 *
 * serial-mm properties: "chardev" (where output goes and input comes from;
 * none: output is dropped), "baudbase" (input clock / 16, default 399193 as on
 * virt) and "regshift" (register stride 1 << regshift, default 0).  Its
 * device-tree interrupts follow its wiring (sysbus_fdt_add_interrupts): the
 * board's sysbus_connect_irq decides them.
 */
#ifndef TERN_HW_UART_H
#define TERN_HW_UART_H

#include <stdint.h>

#include "core/chardev.h"
#include "core/timer.h"
#include "hw/sysbus.h"

#define TYPE_SERIAL    "serial"
#define TYPE_SERIAL_MM "serial-mm"

#define UART_FIFO_LENGTH      16
#define UART_VIRT_BAUDBASE    399193  /* what QEMU's virt board passes to serial_mm_init */
#define UART_VIRT_CLOCK_HZ    3686400 /* the device tree's clock-frequency */
#define UART_VIRT_WINDOW_SIZE 0x100   /* the memory-map slot (and the device tree's reg size) */

typedef struct SerialFifo {
    uint8_t data[UART_FIFO_LENGTH];
    uint8_t head; /* index of the oldest byte */
    uint8_t num;  /* bytes held, 0..UART_FIFO_LENGTH */
} SerialFifo;

typedef struct SerialState {
    DeviceState parent_obj;
    /* configuration, set by the container before realize */
    Chardev *chr;
    uint32_t baudbase;
    /* guest-visible state (saved) */
    uint16_t divider;
    uint8_t rbr; /* receive buffer when FIFOs are off */
    uint8_t thr;
    uint8_t ier, iir, lcr, mcr, lsr, msr, scr, fcr;
    uint8_t thr_ipending;     /* THR-empty interrupt source (cleared by an IIR read) */
    uint8_t timeout_ipending; /* character-timeout interrupt source */
    SerialFifo recv_fifo;
    Timer *fifo_timeout_timer;
    /* derived from the above (recomputed after a load) */
    uint8_t recv_fifo_itl;      /* RX trigger level: 1, 4, 8 or 14 */
    int64_t char_transmit_time; /* ns per character at the current divisor and LCR */
    /* wiring */
    qemu_irq irq;
} SerialState;

typedef struct SerialMM {
    SysBusDevice parent_obj;
    SerialState serial; /* child "serial" */
    MemoryRegion io;
    Chardev *chr;
    uint32_t baudbase;
    uint8_t regshift;
} SerialMM;

#define SERIAL(obj)    OBJECT_CHECK(SerialState, (obj), TYPE_SERIAL)
#define SERIAL_MM(obj) OBJECT_CHECK(SerialMM, (obj), TYPE_SERIAL_MM)

/*
 * What QEMU's serial_mm_init() does for a board: creates a serial-mm as child
 * name of parent, realizes it, maps it at base in address_space (NULL: the
 * system memory root) and connects its interrupt to irq (may be NULL).
 * Returns the device (owned by parent), or NULL with *errp set.
 */
SerialMM *serial_mm_create(Object *parent, const char *name, MemoryRegion *address_space,
                           hwaddr base, uint8_t regshift, qemu_irq irq, uint32_t baudbase,
                           Chardev *chr, Error **errp);

/*
 * The modem-status inputs as a host serial port would report them: MSR bits
 * 7:4 (DCD, RI, DSR, CTS).  Changes set the delta bits 3:0 (TERI only when
 * RI falls) and may raise the modem-status interrupt.  No back end drives
 * them yet (QEMU does only for host tty ports); tests do.
 */
void serial_set_modem_lines(SerialState *s, uint8_t lines);

#endif
