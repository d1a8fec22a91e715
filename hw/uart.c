/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uart.c - the NS16550A UART ("serial" and "serial-mm", see uart.h).
 *
 * Register behaviour follows QEMU's 16550A model, which is what the virt
 * machine's guests (OpenSBI, U-Boot, Linux) and QEMU traces expect; where
 * Tern differs it says so below.  Not here: where the bytes go (chardev.c)
 * and the board's wiring (virt.c).
 *
 * Registers (offset >> regshift; DLAB = LCR bit 7):
 *
 *   off  read                     write
 *   0    RBR (DLL when DLAB)      THR (DLL when DLAB)
 *   1    IER (DLM when DLAB)      IER (DLM when DLAB)
 *   2    IIR                      FCR
 *   3    LCR                      LCR
 *   4    MCR                      MCR
 *   5    LSR                      (ignored)
 *   6    MSR                      (ignored)
 *   7    SCR                      SCR
 *
 * Any access of 1 to 8 bytes is one access to the register at its offset:
 * reads return the 8-bit register zero-extended, writes use the low byte.
 *
 * Interrupts, highest first (IIR bits 3:0; bits 7:6 = 11 while FIFOs are on):
 *
 *   0x6  line status    IER.2 and LSR has OE or BI (cleared by reading LSR)
 *   0x4  RX data        IER.0 and data ready (FIFOs on: at the trigger level)
 *   0xc  char timeout   IER.0 and the timeout below expired with bytes left
 *   0x2  THR empty      IER.1 and THR emptied since the last IIR read
 *                       that reported it (or THR write, or IER.1 rising)
 *   0x0  modem status   IER.3 and an MSR delta bit (cleared by reading MSR)
 *   0x1  none
 *
 * QEMU ranks the character timeout above RX data; Tern follows the 16550
 * data sheet order the virt spec gives (they can only both be pending when
 * the FIFO reached its trigger level and then sat unread for 4 characters).
 *
 * Timing, on the virtual clock only:
 *  - Transmission completes at once: a THR write leaves THRE and TEMT set
 *    (so the TX FIFO never holds anything and is not modelled), and the
 *    byte goes to the chardev, or to the receiver in loopback mode.
 *  - A character time is frame_bits * divisor / baudbase seconds, with
 *    frame_bits = start + data (5..8) + parity (0/1) + stop (1/2) from LCR,
 *    computed in integer nanoseconds (divisor 0: 3500 baud, as QEMU).
 *  - Character timeout: 4 character times after the last byte entered the
 *    RX FIFO, or after the last RBR read that left bytes in it; if bytes are
 *    still there when it expires, the timeout interrupt is pending until the
 *    next RBR read or RX FIFO clear.
 *
 * Input: the chardev front end offers the free FIFO space (FIFOs off: 1 while
 * RBR is empty).  Bytes beyond it (chardev_deliver_input() does not ask)
 * overrun: LSR.OE is set and, with FIFOs on, the byte is lost; with FIFOs
 * off it replaces RBR.  Whenever space frees up the front end calls
 * chardev_accept_input().
 *
 * Differences from QEMU 7.2, none visible to a guest that waits for data:
 *  - the interrupt order above (RX data before character timeout);
 *  - reset also clears FCR (QEMU keeps it while IIR says FIFOs are off);
 *  - the character time always follows the divisor (QEMU assumes 9600 baud
 *    until LCR or the divisor is first written);
 *  - the front end offers all free FIFO space (QEMU offers up to the trigger
 *    level first, to let the guest see small bursts);
 *  - no host tty: the modem inputs change only through
 *    serial_set_modem_lines(), and there are no break, parity or framing
 *    errors, so LSR bits 2, 3, 4 and 7 stay clear.
 */
#include "hw/uart.h"

#include <string.h>

#include "core/module.h"
#include "core/trace.h"
#include "hw/fdt.h"

TRACE_EVENT(serial_read, "addr 0x%" PRIx64 " (%s) value 0x%02x",
            (uint64_t addr, const char *reg, unsigned value), (addr, reg, value))
TRACE_EVENT(serial_write, "addr 0x%" PRIx64 " (%s) value 0x%02x",
            (uint64_t addr, const char *reg, unsigned value), (addr, reg, value))
TRACE_EVENT(serial_update_parameters, "divider %u lcr 0x%02x char time %" PRId64 " ns",
            (unsigned divider, unsigned lcr, int64_t char_ns), (divider, lcr, char_ns))

#define UART_LCR_DLAB 0x80

#define UART_IER_MSI  0x08
#define UART_IER_RLSI 0x04
#define UART_IER_THRI 0x02
#define UART_IER_RDI  0x01

#define UART_IIR_NO_INT 0x01
#define UART_IIR_ID     0x0f
#define UART_IIR_MSI    0x00
#define UART_IIR_THRI   0x02
#define UART_IIR_RDI    0x04
#define UART_IIR_RLSI   0x06
#define UART_IIR_CTI    0x0c
#define UART_IIR_FE     0xc0 /* FIFOs enabled */

#define UART_MCR_LOOP 0x10
#define UART_MCR_OUT2 0x08
#define UART_MCR_MASK 0x1f

#define UART_MSR_DCD       0x80
#define UART_MSR_RI        0x40
#define UART_MSR_DSR       0x20
#define UART_MSR_CTS       0x10
#define UART_MSR_TERI      0x04
#define UART_MSR_ANY_DELTA 0x0f

#define UART_LSR_TEMT    0x40
#define UART_LSR_THRE    0x20
#define UART_LSR_BI      0x10
#define UART_LSR_OE      0x02
#define UART_LSR_DR      0x01
#define UART_LSR_INT_ANY 0x1e /* BI, FE, PE, OE: the line-status interrupt */

#define UART_FCR_ITL_MASK 0xc0
#define UART_FCR_XFR      0x04 /* clear the TX FIFO */
#define UART_FCR_RFR      0x02 /* clear the RX FIFO */
#define UART_FCR_FE       0x01
#define UART_FCR_STICKY   0xc9 /* trigger level, DMA mode, enable: what FCR keeps */

enum { REG_RBR, REG_IER, REG_IIR, REG_LCR, REG_MCR, REG_LSR, REG_MSR, REG_SCR };

/* Register names for the trace, [write][DLAB][register] (the table at the top). */
static const char *const serial_reg_names[2][2][8] = {
    {{"RBR", "IER", "IIR", "LCR", "MCR", "LSR", "MSR", "SCR"},
     {"DLL", "DLM", "IIR", "LCR", "MCR", "LSR", "MSR", "SCR"}},
    {{"THR", "IER", "FCR", "LCR", "MCR", "LSR", "MSR", "SCR"},
     {"DLL", "DLM", "FCR", "LCR", "MCR", "LSR", "MSR", "SCR"}},
};

/* ---- the receive FIFO ------------------------------------------------------------ */

static void fifo_reset(SerialFifo *f)
{
    f->head = f->num = 0;
}

static void fifo_push(SerialFifo *f, uint8_t byte)
{
    f->data[(f->head + f->num) % UART_FIFO_LENGTH] = byte;
    f->num++;
}

static uint8_t fifo_pop(SerialFifo *f)
{
    uint8_t byte = f->data[f->head];

    f->head = (f->head + 1) % UART_FIFO_LENGTH;
    f->num--;
    return byte;
}

/* ---- state changes ------------------------------------------------------------------- */

static bool serial_fifo_enabled(const SerialState *s)
{
    return s->fcr & UART_FCR_FE;
}

/* Recomputes IIR from the interrupt sources and drives the line (a level). */
static void serial_update_irq(SerialState *s)
{
    uint8_t id = UART_IIR_NO_INT;

    if ((s->ier & UART_IER_RLSI) && (s->lsr & UART_LSR_INT_ANY)) {
        id = UART_IIR_RLSI;
    } else if ((s->ier & UART_IER_RDI) && (s->lsr & UART_LSR_DR) &&
               (!serial_fifo_enabled(s) || s->recv_fifo.num >= s->recv_fifo_itl)) {
        id = UART_IIR_RDI;
    } else if ((s->ier & UART_IER_RDI) && s->timeout_ipending) {
        id = UART_IIR_CTI;
    } else if ((s->ier & UART_IER_THRI) && s->thr_ipending) {
        id = UART_IIR_THRI;
    } else if ((s->ier & UART_IER_MSI) && (s->msr & UART_MSR_ANY_DELTA)) {
        id = UART_IIR_MSI;
    }
    s->iir = id | (s->iir & UART_IIR_FE);
    qemu_set_irq(s->irq, id != UART_IIR_NO_INT);
}

/* The character time for the current LCR and divisor (see the top of the file). */
static void serial_update_parameters(SerialState *s)
{
    uint64_t frame_bits =
        1 + 5 + (s->lcr & 0x03) + ((s->lcr & 0x08) ? 1 : 0) + ((s->lcr & 0x04) ? 2 : 1);

    /* At most 12 bits * 65535 / 1 Hz: about 7.9e14 ns, far from any limit. */
    if (s->baudbase == 0) {
        s->char_transmit_time = 0; /* not configured yet (realize refuses 0) */
    } else if (s->divider == 0) {
        s->char_transmit_time = (int64_t)clock_ticks_to_ns(frame_bits, 3500);
    } else {
        s->char_transmit_time = (int64_t)clock_ticks_to_ns(frame_bits * s->divider, s->baudbase);
    }
    trace_serial_update_parameters(s->divider, s->lcr, s->char_transmit_time);
}

/* The sticky FCR bits and what follows from them: IIR bits 7:6, the trigger level. */
static void serial_write_fcr(SerialState *s, uint8_t val)
{
    static const uint8_t trigger_levels[4] = {1, 4, 8, 14};

    s->fcr = val & UART_FCR_STICKY;
    s->recv_fifo_itl = trigger_levels[s->fcr >> 6];
    if (serial_fifo_enabled(s)) {
        s->iir |= UART_IIR_FE;
    } else {
        s->iir &= ~UART_IIR_FE;
    }
}

/* 4 character times from now; at the end of virtual time it saturates there (docs/time.md). */
static void serial_arm_timeout(SerialState *s)
{
    timer_mod_ns(s->fifo_timeout_timer, clock_deadline_add(clock_get_ns(CLOCK_VIRTUAL),
                                                           4 * (uint64_t)s->char_transmit_time));
}

static void serial_fifo_timeout(void *opaque)
{
    SerialState *s = opaque;

    if (serial_fifo_enabled(s) && s->recv_fifo.num) {
        s->timeout_ipending = 1;
        serial_update_irq(s);
    }
}

/* Space may have freed up: let the back end offer more input. */
static void serial_accept_input(SerialState *s)
{
    if (s->chr) {
        chardev_accept_input(s->chr);
    }
}

/* Bytes reaching the receiver: from the chardev, or from THR in loopback mode. */
static void serial_receive_bytes(SerialState *s, const uint8_t *buf, size_t len)
{
    if (serial_fifo_enabled(s)) {
        for (size_t i = 0; i < len; i++) {
            if (s->recv_fifo.num < UART_FIFO_LENGTH) {
                fifo_push(&s->recv_fifo, buf[i]);
            } else {
                s->lsr |= UART_LSR_OE; /* an overrun does not overwrite the FIFO */
            }
        }
        s->lsr |= UART_LSR_DR;
        serial_arm_timeout(s);
    } else {
        for (size_t i = 0; i < len; i++) {
            if (s->lsr & UART_LSR_DR) {
                s->lsr |= UART_LSR_OE; /* the unread byte is lost */
            }
            s->rbr = buf[i];
            s->lsr |= UART_LSR_DR;
        }
    }
    serial_update_irq(s);
}

/* THR -> shift register -> line, at once; THRE and TEMT end up set. */
static void serial_transmit(SerialState *s)
{
    uint8_t tsr = s->thr;

    s->lsr |= UART_LSR_THRE;
    s->thr_ipending = 1;
    serial_update_irq(s);
    if (s->mcr & UART_MCR_LOOP) {
        serial_receive_bytes(s, &tsr, 1);
    } else if (s->chr) {
        chardev_write(s->chr, &tsr, 1); /* a peer that went away loses the byte */
    }
    s->lsr |= UART_LSR_TEMT;
}

/* ---- chardev front end ------------------------------------------------------------- */

static size_t serial_can_receive(void *opaque)
{
    SerialState *s = opaque;

    if (serial_fifo_enabled(s)) {
        return UART_FIFO_LENGTH - s->recv_fifo.num;
    }
    return !(s->lsr & UART_LSR_DR);
}

static void serial_receive(void *opaque, const uint8_t *buf, size_t len)
{
    serial_receive_bytes(opaque, buf, len);
}

/* ---- registers ------------------------------------------------------------------------ */

static uint8_t serial_read_rbr(SerialState *s)
{
    uint8_t ret;

    if (serial_fifo_enabled(s)) {
        ret = s->recv_fifo.num ? fifo_pop(&s->recv_fifo) : 0;
        if (s->recv_fifo.num == 0) {
            s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
            timer_del(s->fifo_timeout_timer);
        } else {
            serial_arm_timeout(s);
        }
        s->timeout_ipending = 0;
    } else {
        ret = s->rbr;
        s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
    }
    serial_update_irq(s);
    serial_accept_input(s);
    return ret;
}

/* In loopback the modem outputs feed the inputs: OUT2->DCD, OUT1->RI, DTR->DSR, RTS->CTS. */
static uint8_t serial_loopback_msr(const SerialState *s)
{
    return ((s->mcr & 0x0c) << 4) | ((s->mcr & 0x02) << 3) | ((s->mcr & 0x01) << 5);
}

static uint8_t serial_read(SerialState *s, unsigned reg)
{
    uint8_t ret;

    switch (reg) {
    case REG_RBR:
        return (s->lcr & UART_LCR_DLAB) ? (uint8_t)s->divider : serial_read_rbr(s);
    case REG_IER:
        return (s->lcr & UART_LCR_DLAB) ? (uint8_t)(s->divider >> 8) : s->ier;
    case REG_IIR:
        ret = s->iir;
        if ((ret & UART_IIR_ID) == UART_IIR_THRI) {
            s->thr_ipending = 0; /* reading IIR acknowledges THR empty */
            serial_update_irq(s);
        }
        return ret;
    case REG_LCR:
        return s->lcr;
    case REG_MCR:
        return s->mcr;
    case REG_LSR:
        ret = s->lsr;
        if (s->lsr & (UART_LSR_BI | UART_LSR_OE)) {
            s->lsr &= ~(UART_LSR_BI | UART_LSR_OE);
            serial_update_irq(s);
        }
        return ret;
    case REG_MSR:
        /* As QEMU: loopback shows the looped lines, without delta bits. */
        if (s->mcr & UART_MCR_LOOP) {
            return serial_loopback_msr(s);
        }
        ret = s->msr;
        if (s->msr & UART_MSR_ANY_DELTA) {
            s->msr &= ~UART_MSR_ANY_DELTA;
            serial_update_irq(s);
        }
        return ret;
    default:
        return s->scr;
    }
}

static void serial_write(SerialState *s, unsigned reg, uint8_t val)
{
    uint8_t changed;

    switch (reg) {
    case REG_RBR:
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (s->divider & 0xff00) | val;
            serial_update_parameters(s);
            break;
        }
        s->thr = val;
        s->thr_ipending = 0;
        s->lsr &= ~(UART_LSR_THRE | UART_LSR_TEMT);
        serial_update_irq(s);
        serial_transmit(s);
        break;
    case REG_IER:
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (s->divider & 0x00ff) | (uint16_t)(val << 8);
            serial_update_parameters(s);
            break;
        }
        changed = (s->ier ^ val) & 0x0f;
        s->ier = val & 0x0f;
        /* Enabling THRI while THR is empty raises it even if an IIR read had
         * acknowledged it (QEMU and Bochs do this; Windows relies on it). */
        if (changed & UART_IER_THRI) {
            s->thr_ipending = (s->ier & UART_IER_THRI) && (s->lsr & UART_LSR_THRE);
        }
        if (changed) {
            serial_update_irq(s);
        }
        break;
    case REG_IIR: /* FCR */
        if ((val ^ s->fcr) & UART_FCR_FE) {
            val |= UART_FCR_XFR | UART_FCR_RFR; /* switching FIFOs on or off clears them */
        }
        if (val & UART_FCR_RFR) {
            s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
            timer_del(s->fifo_timeout_timer);
            s->timeout_ipending = 0;
            fifo_reset(&s->recv_fifo);
        }
        if (val & UART_FCR_XFR) {
            s->lsr |= UART_LSR_THRE;
            s->thr_ipending = 1;
        }
        serial_write_fcr(s, val);
        serial_update_irq(s);
        serial_accept_input(s);
        break;
    case REG_LCR:
        s->lcr = val;
        serial_update_parameters(s);
        break;
    case REG_MCR:
        s->mcr = val & UART_MCR_MASK;
        break;
    case REG_LSR:
    case REG_MSR:
        break; /* read-only, as on QEMU */
    default:
        s->scr = val;
        break;
    }
}

void serial_set_modem_lines(SerialState *s, uint8_t lines)
{
    uint8_t old = s->msr;
    uint8_t changed = (old ^ lines) & 0xf0;
    uint8_t deltas = changed >> 4;

    if (!changed) {
        return;
    }
    /* TERI: only the trailing edge of RI (1 -> 0) counts. */
    if ((changed & UART_MSR_RI) && !(old & UART_MSR_RI)) {
        deltas &= ~UART_MSR_TERI;
    }
    s->msr = (lines & 0xf0) | (old & UART_MSR_ANY_DELTA) | deltas;
    serial_update_irq(s);
}

/* ---- the "serial" device --------------------------------------------------------- */

static void serial_reset(DeviceState *dev)
{
    SerialState *s = SERIAL(dev);

    s->rbr = 0;
    s->thr = 0;
    s->ier = 0;
    s->iir = UART_IIR_NO_INT;
    s->lcr = 0;
    s->lsr = UART_LSR_TEMT | UART_LSR_THRE;
    s->msr = UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
    s->divider = 0x0c;
    s->mcr = UART_MCR_OUT2;
    s->scr = 0;
    s->thr_ipending = 0;
    s->timeout_ipending = 0;
    serial_write_fcr(s, 0);
    fifo_reset(&s->recv_fifo);
    if (s->fifo_timeout_timer) {
        timer_del(s->fifo_timeout_timer);
    }
    serial_update_parameters(s);
    qemu_irq_lower(s->irq);
    serial_accept_input(s);
}

static void serial_realize(DeviceState *dev, Error **errp)
{
    SerialState *s = SERIAL(dev);
    const ChardevFrontend fe = {
        .can_receive = serial_can_receive,
        .receive = serial_receive,
        .opaque = s,
    };

    if (s->baudbase == 0) {
        error_setg(errp, "baudbase must not be 0");
        return;
    }
    if (s->chr && !chardev_set_frontend(s->chr, &fe, errp)) {
        return;
    }
    s->fifo_timeout_timer = timer_new_ns(CLOCK_VIRTUAL, serial_fifo_timeout, s);
    serial_reset(dev);
}

static void serial_unrealize(DeviceState *dev)
{
    SerialState *s = SERIAL(dev);

    if (s->chr) {
        chardev_clear_frontend(s->chr);
    }
    timer_free(s->fifo_timeout_timer);
    s->fifo_timeout_timer = NULL;
}

/* Whatever was loaded, keep the FIFO indices in range; then rederive and drive the line. */
static void serial_post_load(void *opaque)
{
    SerialState *s = opaque;

    s->recv_fifo.head %= UART_FIFO_LENGTH;
    if (s->recv_fifo.num > UART_FIFO_LENGTH) {
        s->recv_fifo.num = UART_FIFO_LENGTH;
    }
    s->thr_ipending = !!s->thr_ipending;
    s->timeout_ipending = !!s->timeout_ipending;
    s->mcr &= UART_MCR_MASK;
    s->ier &= 0x0f;
    serial_write_fcr(s, s->fcr);
    serial_update_parameters(s);
    serial_update_irq(s);
    serial_accept_input(s);
}

static const VMStateField serial_vmstate_fields[] = {
    VMSTATE_UINT16(divider, SerialState),
    VMSTATE_UINT8(rbr, SerialState),
    VMSTATE_UINT8(thr, SerialState),
    VMSTATE_UINT8(ier, SerialState),
    VMSTATE_UINT8(iir, SerialState),
    VMSTATE_UINT8(lcr, SerialState),
    VMSTATE_UINT8(mcr, SerialState),
    VMSTATE_UINT8(lsr, SerialState),
    VMSTATE_UINT8(msr, SerialState),
    VMSTATE_UINT8(scr, SerialState),
    VMSTATE_UINT8(fcr, SerialState),
    VMSTATE_UINT8(thr_ipending, SerialState),
    VMSTATE_UINT8(timeout_ipending, SerialState),
    VMSTATE_ARRAY(recv_fifo.data, SerialState),
    VMSTATE_UINT8(recv_fifo.head, SerialState),
    VMSTATE_UINT8(recv_fifo.num, SerialState),
    VMSTATE_TIMER_PTR(fifo_timeout_timer, SerialState),
    VMSTATE_END_OF_LIST(),
};

static const VMStateDescription serial_vmstate = {
    .name = "serial",
    .fields = serial_vmstate_fields,
    .post_load = serial_post_load,
};

static void serial_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "16550A UART";
    dc->realize = serial_realize;
    dc->unrealize = serial_unrealize;
    dc->reset = serial_reset;
    dc->vmsd = &serial_vmstate;
}

/* ---- the "serial-mm" device ------------------------------------------------------------ */

static uint64_t serial_mm_read(void *opaque, hwaddr addr, unsigned size)
{
    SerialMM *smm = opaque;
    unsigned reg = (addr >> smm->regshift) & 7;
    bool dlab = smm->serial.lcr & UART_LCR_DLAB;
    uint8_t value = serial_read(&smm->serial, reg);

    trace_serial_read(addr, serial_reg_names[0][dlab][reg], value);
    return value;
}

static void serial_mm_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    SerialMM *smm = opaque;
    unsigned reg = (addr >> smm->regshift) & 7;

    trace_serial_write(addr, serial_reg_names[1][(smm->serial.lcr & UART_LCR_DLAB) != 0][reg],
                       (uint8_t)value);
    serial_write(&smm->serial, reg, (uint8_t)value);
}

/* Every size from 1 to 8 reaches the device as one access (impl = valid). */
static const MemoryRegionOps serial_mm_ops = {
    .read = serial_mm_read,
    .write = serial_mm_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {.min_access_size = 1, .max_access_size = 8},
    .impl = {.min_access_size = 1, .max_access_size = 8},
};

static void serial_mm_instance_init(Object *obj)
{
    SerialMM *smm = SERIAL_MM(obj);

    object_initialize(&smm->serial, sizeof(smm->serial), TYPE_SERIAL);
    object_property_add_child(obj, "serial", OBJECT(&smm->serial));
    object_unref(OBJECT(&smm->serial)); /* the child property holds it now */
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &smm->serial.irq);
}

#define SERIAL_MM_MAX_REGSHIFT 8

static void serial_mm_realize(DeviceState *dev, Error **errp)
{
    SerialMM *smm = SERIAL_MM(dev);

    if (smm->regshift > SERIAL_MM_MAX_REGSHIFT) {
        error_setg(errp, "regshift %u is above %u", smm->regshift, SERIAL_MM_MAX_REGSHIFT);
        return;
    }
    smm->serial.chr = smm->chr;
    smm->serial.baudbase = smm->baudbase;
    if (!qdev_realize(DEVICE(&smm->serial), errp)) {
        return;
    }
    memory_region_init_io(&smm->io, OBJECT(smm), &serial_mm_ops, smm, "serial",
                          8u << smm->regshift);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &smm->io);
}

static void serial_mm_unrealize(DeviceState *dev)
{
    SerialMM *smm = SERIAL_MM(dev);

    qdev_unrealize(DEVICE(&smm->serial));
    memory_region_finalize(&smm->io); /* also unmaps it */
}

/* serial@BASE under /soc, as QEMU's create_fdt_uart() writes it. */
static void serial_mm_fdt_node(SysBusDevice *sbd, DtContext *dt)
{
    SerialMM *smm = SERIAL_MM(sbd);
    hwaddr base = sysbus_mmio_get_addr(sbd, 0);
    uint64_t size = MAX((uint64_t)UART_VIRT_WINDOW_SIZE, 8u << smm->regshift);
    char *path;

    if (base == (hwaddr)-1) {
        return; /* not mapped: nothing for the guest to find */
    }
    path = dt_add_node(dt, "/soc", "serial", base);
    dt_setprop_string(dt, path, "compatible", "ns16550a");
    dt_setprop_reg(dt, path, base, size);
    dt_setprop_cell(dt, path, "clock-frequency", UART_VIRT_CLOCK_HZ);
    sysbus_fdt_add_interrupts(sbd, dt, path);
    g_free(path);
}

static const Property serial_mm_props[] = {
    DEFINE_PROP_CHR("chardev", SerialMM, chr),
    DEFINE_PROP_UINT32("baudbase", SerialMM, baudbase, UART_VIRT_BAUDBASE),
    DEFINE_PROP_UINT8("regshift", SerialMM, regshift, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void serial_mm_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->desc = "16550A UART, memory mapped";
    dc->realize = serial_mm_realize;
    dc->unrealize = serial_mm_unrealize;
    /*
     * No reset of its own: the UART is the "serial" child, a device that qdev_reset_tree()
     * reaches and resets by itself. Resetting it from here as well reset it twice on every
     * system reset.
     */
    device_class_set_props(dc, serial_mm_props);
    SYS_BUS_DEVICE_CLASS(klass)->fdt_node = serial_mm_fdt_node;
}

SerialMM *serial_mm_create(Object *parent, const char *name, MemoryRegion *address_space,
                           hwaddr base, uint8_t regshift, qemu_irq irq, uint32_t baudbase,
                           Chardev *chr, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_SERIAL_MM);
    SerialMM *smm = SERIAL_MM(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    smm->chr = chr;
    smm->baudbase = baudbase;
    smm->regshift = regshift;
    if (!qdev_realize_and_unref(dev, parent, name, errp)) {
        return NULL;
    }
    if (address_space) {
        sysbus_mmio_map_in(sbd, 0, address_space, base);
    } else {
        sysbus_mmio_map(sbd, 0, base);
    }
    sysbus_connect_irq(sbd, 0, irq);
    return smm;
}

static const TypeInfo serial_types[] = {
    {
        .name = TYPE_SERIAL,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(SerialState),
        .class_init = serial_class_init,
    },
    {
        .name = TYPE_SERIAL_MM,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(SerialMM),
        .instance_init = serial_mm_instance_init,
        .class_init = serial_mm_class_init,
    },
};

static void serial_register_types(void)
{
    type_register_static_array(serial_types, 2);
}

type_init(serial_register_types)
