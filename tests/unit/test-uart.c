/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-uart.c - the NS16550A UART (serial-mm) as the virt board maps it:
 * reset values, the divisor latch, transmit to a chardev, loopback, the
 * receive FIFO and its trigger levels, overrun, every interrupt source and
 * their priority, modem status, access widths, the character timeout on
 * the virtual clock, input flow control through a socket back end, state
 * save/restore, reset, configuration errors and the device-tree node.
 * Most tests use a "ringbuf" chardev: what the guest sent is read back
 * with chardev_ringbuf_read(), input is injected with chardev_deliver_input().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib.h>
#include <libfdt.h>

#include "core/chardev.h"
#include "core/main-loop.h"
#include "core/module.h"
#include "hw/fdt.h"
#include "hw/uart.h"
#include "tests/support/fdt-test.h"
#include "tests/support/hwtest.h"
#include "tests/support/vmstate-test.h"

#define BASE 0x10000000
#define RBR  (BASE + 0) /* THR, DLL */
#define IER  (BASE + 1) /* DLM */
#define IIR  (BASE + 2) /* FCR */
#define FCR  (BASE + 2)
#define LCR  (BASE + 3)
#define MCR  (BASE + 4)
#define LSR  (BASE + 5)
#define MSR  (BASE + 6)
#define SCR  (BASE + 7)

#define IER_RDI  0x01
#define IER_THRI 0x02
#define IER_RLSI 0x04
#define IER_MSI  0x08

#define IIR_NONE 0x01
#define IIR_MSI  0x00
#define IIR_THRI 0x02
#define IIR_RDI  0x04
#define IIR_RLSI 0x06
#define IIR_CTI  0x0c
#define IIR_FIFO 0xc0

#define LSR_DR   0x01
#define LSR_OE   0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MCR_LOOP 0x10

#define FCR_FE    0x01
#define FCR_RFR   0x02
#define FCR_XFR   0x04
#define FCR_ITL4  0x40 /* trigger level 4 */
#define FCR_ITL8  0x80
#define FCR_ITL14 0xc0

typedef struct Fixture {
    HwTest *t;
    Chardev *chr;
    SerialMM *smm;
} Fixture;

/* A serial-mm at 0x10000000 with a ringbuf chardev "c0", IRQ on recorder line 0. */
static int setup(void **state)
{
    Fixture *f = g_new0(Fixture, 1);
    Error *err = NULL;

    module_call_init(MODULE_INIT_QOM);
    f->t = hwtest_new();
    f->chr = chardev_new("c0", &(ChardevOptions){.backend = "ringbuf"}, &err);
    assert_null(err);
    assert_non_null(f->chr);
    hwtest_create(f->t, TYPE_SERIAL_MM);
    assert_true(object_property_set_str(OBJECT(f->t->dev), "chardev", "c0", &err));
    hwtest_realize_at(f->t, BASE);
    f->smm = SERIAL_MM(f->t->dev);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;

    hwtest_free(f->t); /* the device lets go of the chardev first */
    chardev_cleanup_all();
    g_free(f);
    return 0;
}

static int irq_level(Fixture *f)
{
    return f->t->irq_level[0];
}

static void deliver(Fixture *f, const char *bytes)
{
    chardev_deliver_input(f->chr, (const uint8_t *)bytes, strlen(bytes));
}

static size_t sent(Fixture *f, char *buf, size_t len)
{
    size_t n = chardev_ringbuf_read(f->chr, (uint8_t *)buf, len - 1);

    buf[n] = '\0';
    return n;
}

/* ---- reset state ---------------------------------------------------------------------- */

/* Every register as reset leaves it, the divisor latch included; DLAB is clear again after. */
static void assert_registers_as_reset(void)
{
    assert_int_equal(hwtest_readb(RBR), 0x00);
    assert_int_equal(hwtest_readb(IER), 0x00);
    assert_int_equal(hwtest_readb(IIR), 0x01);
    assert_int_equal(hwtest_readb(LCR), 0x00);
    assert_int_equal(hwtest_readb(MCR), 0x08);
    assert_int_equal(hwtest_readb(LSR), 0x60);
    assert_int_equal(hwtest_readb(MSR), 0xb0);
    assert_int_equal(hwtest_readb(SCR), 0x00);
    hwtest_writeb(LCR, 0x80);
    assert_int_equal(hwtest_readb(RBR), 0x0c); /* DLL */
    assert_int_equal(hwtest_readb(IER), 0x00); /* DLM */
    hwtest_writeb(LCR, 0x00);
}

static void test_reset_values_of_every_register(void **state)
{
    Fixture *f = *state;

    assert_registers_as_reset();
    assert_int_equal(irq_level(f), 0);
}

static void test_region_is_named_serial_and_eight_bytes(void **state)
{
    Fixture *f = *state;
    MemoryRegion *mr = sysbus_mmio_get_region(SYS_BUS_DEVICE(f->t->dev), 0);

    assert_string_equal(memory_region_name(mr), "serial");
    assert_int_equal(memory_region_size(mr), 8);
    /* The rest of the 0x100 slot is unassigned: reads 0, writes ignored. */
    assert_int_equal(hwtest_readb(BASE + 8), 0);
    assert_int_equal(hwtest_readb(BASE + 0xff), 0);
}

static void test_core_is_child_serial(void **state)
{
    Fixture *f = *state;
    Object *child = object_resolve_path_component(OBJECT(f->t->dev), "serial");

    assert_ptr_equal(child, OBJECT(&f->smm->serial));
    assert_string_equal(object_get_typename(child), TYPE_SERIAL);
    assert_true(DEVICE(child)->realized);
    assert_non_null(qdev_get_named_gpio_list(f->t->dev, SYSBUS_DEVICE_GPIO_IRQ));
}

/* ---- divisor, LCR, SCR ------------------------------------------------------------ */

static void test_dlab_selects_the_divisor_latch(void **state)
{
    hwtest_writeb(LCR, 0x83);
    hwtest_writeb(RBR, 0x34);
    hwtest_writeb(IER, 0x12);
    assert_int_equal(hwtest_readb(RBR), 0x34);
    assert_int_equal(hwtest_readb(IER), 0x12);
    assert_int_equal(hwtest_readb(LCR), 0x83);
    hwtest_writeb(LCR, 0x03);
    /* Without DLAB the same offsets are RBR/THR and IER again. */
    assert_int_equal(hwtest_readb(IER), 0x00);
    assert_int_equal(hwtest_readb(LCR), 0x03);
    hwtest_writeb(LCR, 0x83);
    assert_int_equal(hwtest_readb(RBR), 0x34);
    assert_int_equal(hwtest_readb(IER), 0x12);
}

static void test_divisor_write_does_not_transmit(void **state)
{
    Fixture *f = *state;
    char buf[8];

    hwtest_writeb(LCR, 0x80);
    hwtest_writeb(RBR, 0x01);
    assert_int_equal(sent(f, buf, sizeof(buf)), 0);
    assert_int_equal(hwtest_readb(LSR), 0x60);
}

static void test_scratch_register_keeps_any_byte(void **state)
{
    for (unsigned v = 0; v < 256; v += 0x55) {
        hwtest_writeb(SCR, v);
        assert_int_equal(hwtest_readb(SCR), v);
    }
}

static void test_ier_keeps_only_its_four_bits(void **state)
{
    hwtest_writeb(IER, 0xf0);
    assert_int_equal(hwtest_readb(IER), 0x00);
    hwtest_writeb(IER, 0x05);
    assert_int_equal(hwtest_readb(IER), 0x05);
}

static void test_mcr_keeps_five_bits_and_lsr_msr_ignore_writes(void **state)
{
    hwtest_writeb(MCR, 0xff);
    assert_int_equal(hwtest_readb(MCR), 0x1f);
    hwtest_writeb(MCR, 0x08);
    hwtest_writeb(LSR, 0x00);
    hwtest_writeb(MSR, 0x00);
    assert_int_equal(hwtest_readb(LSR), 0x60);
    assert_int_equal(hwtest_readb(MSR), 0xb0);
}

/* ---- transmit ------------------------------------------------------------------------ */

static void test_thr_bytes_go_to_the_chardev(void **state)
{
    Fixture *f = *state;
    char buf[32];

    for (const char *p = "hello\n"; *p; p++) {
        hwtest_writeb(RBR, *p);
        assert_int_equal(hwtest_readb(LSR), 0x60); /* complete at once */
    }
    assert_int_equal(sent(f, buf, sizeof(buf)), 6);
    assert_string_equal(buf, "hello\n");
}

static void test_thr_with_fifos_on_also_completes_at_once(void **state)
{
    Fixture *f = *state;
    char buf[32];

    hwtest_writeb(FCR, FCR_FE);
    for (int i = 0; i < 20; i++) { /* more than the 16-byte FIFO: nothing is lost */
        hwtest_writeb(RBR, 'a' + i);
    }
    assert_int_equal(hwtest_readb(LSR), 0x60);
    assert_int_equal(sent(f, buf, sizeof(buf)), 20);
    assert_string_equal(buf, "abcdefghijklmnopqrst");
}

static void test_transmit_without_chardev_completes(void **state)
{
    HwTest *t;

    teardown(state); /* this test wants a UART without a chardev */
    t = hwtest_new();
    hwtest_create(t, TYPE_SERIAL_MM);
    hwtest_realize_at(t, BASE);
    hwtest_writeb(RBR, 'x');
    assert_int_equal(hwtest_readb(LSR), 0x60);
    hwtest_writeb(MCR, MCR_LOOP);
    hwtest_writeb(RBR, 'y');
    assert_int_equal(hwtest_readb(LSR), 0x61);
    assert_int_equal(hwtest_readb(RBR), 'y');
    hwtest_free(t);
    setup(state);
}

/* ---- loopback and modem status ---------------------------------------------------------- */

static void test_loopback_puts_thr_in_rbr(void **state)
{
    Fixture *f = *state;
    char buf[8];

    hwtest_writeb(MCR, MCR_LOOP | 0x08);
    hwtest_writeb(RBR, 0x5a);
    assert_int_equal(hwtest_readb(LSR), 0x61);
    assert_int_equal(hwtest_readb(RBR), 0x5a);
    assert_int_equal(hwtest_readb(LSR), 0x60);
    assert_int_equal(sent(f, buf, sizeof(buf)), 0); /* nothing reached the line */
}

static void test_loopback_overrun_without_fifo(void **state)
{
    hwtest_writeb(MCR, MCR_LOOP);
    hwtest_writeb(RBR, 'a');
    hwtest_writeb(RBR, 'b');
    assert_int_equal(hwtest_readb(LSR), 0x63);
    assert_int_equal(hwtest_readb(LSR), 0x61); /* reading LSR clears OE */
    assert_int_equal(hwtest_readb(RBR), 'b');  /* the newer byte replaced RBR */
}

static void test_loopback_msr_mirrors_mcr(void **state)
{
    /* OUT2->DCD, OUT1->RI, DTR->DSR, RTS->CTS; no delta bits (as QEMU). */
    static const struct {
        uint8_t mcr, msr;
    } cases[] = {
        {0x10, 0x00}, {0x11, 0x20}, {0x12, 0x10}, {0x14, 0x40},
        {0x18, 0x80}, {0x1a, 0x90}, {0x1f, 0xf0},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        hwtest_writeb(MCR, cases[i].mcr);
        assert_int_equal(hwtest_readb(MSR), cases[i].msr);
    }
    hwtest_writeb(MCR, 0x08);
    assert_int_equal(hwtest_readb(MSR), 0xb0); /* outside loopback: the inputs again */
}

static void test_modem_line_changes_set_deltas_and_interrupt(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->smm->serial;

    hwtest_writeb(IER, IER_MSI);
    assert_int_equal(irq_level(f), 0);
    serial_set_modem_lines(s, 0xb0); /* no change */
    assert_int_equal(irq_level(f), 0);
    serial_set_modem_lines(s, 0xa0); /* CTS drops */
    assert_int_equal(irq_level(f), 1);
    assert_int_equal(hwtest_readb(IIR), IIR_MSI);
    assert_int_equal(hwtest_readb(MSR), 0xa1);
    assert_int_equal(irq_level(f), 0); /* reading MSR cleared the deltas */
    assert_int_equal(hwtest_readb(MSR), 0xa0);
    assert_int_equal(hwtest_readb(IIR), IIR_NONE);

    serial_set_modem_lines(s, 0xe0); /* RI rises: no TERI */
    assert_int_equal(irq_level(f), 0);
    assert_int_equal(hwtest_readb(MSR), 0xe0);
    serial_set_modem_lines(s, 0xa0); /* RI falls: TERI */
    assert_int_equal(hwtest_readb(MSR), 0xa4);
    serial_set_modem_lines(s, 0x20); /* DCD drops */
    serial_set_modem_lines(s, 0x00); /* DSR drops; deltas accumulate */
    assert_int_equal(hwtest_readb(MSR), 0x0a);
}

static void test_modem_status_interrupt_needs_ier(void **state)
{
    Fixture *f = *state;

    serial_set_modem_lines(&f->smm->serial, 0x30);
    assert_int_equal(irq_level(f), 0);
    assert_int_equal(hwtest_readb(IIR), IIR_NONE);
    hwtest_writeb(IER, IER_MSI);
    assert_int_equal(irq_level(f), 1);
    assert_int_equal(hwtest_readb(IIR), IIR_MSI);
}

/* ---- receive ---------------------------------------------------------------------- */

static void test_receive_without_fifo_holds_one_byte(void **state)
{
    Fixture *f = *state;

    deliver(f, "A");
    assert_int_equal(hwtest_readb(LSR), 0x61);
    assert_int_equal(hwtest_readb(RBR), 'A');
    assert_int_equal(hwtest_readb(LSR), 0x60);
}

static void test_receive_without_fifo_overruns(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(IER, IER_RLSI | IER_RDI);
    deliver(f, "AB");
    assert_int_equal(irq_level(f), 1);
    assert_int_equal(hwtest_readb(IIR), IIR_RLSI);
    assert_int_equal(hwtest_readb(LSR), 0x63);
    assert_int_equal(hwtest_readb(IIR), IIR_RDI); /* OE read: RX data remains */
    assert_int_equal(hwtest_readb(RBR), 'B');
    assert_int_equal(irq_level(f), 0);
}

static void test_rx_fifo_keeps_order(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(FCR, FCR_FE);
    deliver(f, "0123456789abcdef");
    assert_int_equal(hwtest_readb(LSR), 0x61);
    for (const char *p = "0123456789abcdef"; *p; p++) {
        assert_int_equal(hwtest_readb(LSR) & LSR_DR, LSR_DR);
        assert_int_equal(hwtest_readb(RBR), *p);
    }
    assert_int_equal(hwtest_readb(LSR), 0x60);
    assert_int_equal(hwtest_readb(RBR), 0); /* empty FIFO reads 0 */
}

static void test_rx_fifo_overrun_keeps_the_first_sixteen(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(FCR, FCR_FE);
    deliver(f, "0123456789abcdefXYZ");
    assert_int_equal(hwtest_readb(LSR), 0x63);
    assert_int_equal(hwtest_readb(LSR), 0x61);
    for (const char *p = "0123456789abcdef"; *p; p++) {
        assert_int_equal(hwtest_readb(RBR), *p);
    }
    assert_int_equal(hwtest_readb(LSR), 0x60);
}

static void check_trigger_level(Fixture *f, uint8_t fcr, int level)
{
    hwtest_writeb(FCR, fcr | FCR_FE | FCR_RFR);
    hwtest_writeb(IER, IER_RDI);
    for (int i = 1; i <= 16; i++) {
        deliver(f, "x");
        assert_int_equal(irq_level(f), i >= level);
        assert_int_equal(hwtest_readb(IIR), IIR_FIFO | (i >= level ? IIR_RDI : IIR_NONE));
    }
    /* Reading below the level lowers it again. */
    for (int left = 16; left > 0; left--) {
        hwtest_readb(RBR);
        assert_int_equal(irq_level(f), left - 1 >= level);
    }
    hwtest_writeb(IER, 0);
}

static void test_trigger_level_1(void **state)
{
    check_trigger_level(*state, 0x00, 1);
}

static void test_trigger_level_4(void **state)
{
    check_trigger_level(*state, FCR_ITL4, 4);
}

static void test_trigger_level_8(void **state)
{
    check_trigger_level(*state, FCR_ITL8, 8);
}

static void test_trigger_level_14(void **state)
{
    check_trigger_level(*state, FCR_ITL14, 14);
}

static void test_iir_fifo_bits_follow_fcr(void **state)
{
    assert_int_equal(hwtest_readb(IIR), 0x01);
    hwtest_writeb(FCR, FCR_FE | FCR_ITL14);
    assert_int_equal(hwtest_readb(IIR), 0xc1);
    hwtest_writeb(FCR, 0x00);
    assert_int_equal(hwtest_readb(IIR), 0x01);
}

static void test_fcr_clears_the_rx_fifo(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(FCR, FCR_FE);
    hwtest_writeb(IER, IER_RDI);
    deliver(f, "abc");
    assert_int_equal(irq_level(f), 1);
    hwtest_writeb(FCR, FCR_FE | FCR_RFR);
    assert_int_equal(hwtest_readb(LSR), 0x60);
    assert_int_equal(irq_level(f), 0);
    deliver(f, "0123456789abcdef"); /* all sixteen fit again */
    assert_int_equal(hwtest_readb(LSR), 0x61);
    hwtest_writeb(FCR, FCR_FE | FCR_RFR);
    deliver(f, "z");
    assert_int_equal(hwtest_readb(RBR), 'z');
}

static void test_fcr_tx_clear_keeps_rx(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(FCR, FCR_FE);
    deliver(f, "ab");
    hwtest_writeb(FCR, FCR_FE | FCR_XFR);
    assert_int_equal(hwtest_readb(LSR), 0x61);
    assert_int_equal(hwtest_readb(RBR), 'a');
}

static void test_turning_fifos_off_clears_them(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(FCR, FCR_FE);
    deliver(f, "abc");
    hwtest_writeb(FCR, 0x00);
    assert_int_equal(hwtest_readb(LSR), 0x60);
    assert_int_equal(hwtest_readb(RBR), 0);
    hwtest_writeb(FCR, FCR_FE);
    assert_int_equal(hwtest_readb(LSR), 0x60);
}

static void test_loopback_fills_the_fifo(void **state)
{
    hwtest_writeb(FCR, FCR_FE);
    hwtest_writeb(MCR, MCR_LOOP);
    for (int i = 0; i < 17; i++) {
        hwtest_writeb(RBR, 'a' + i);
    }
    assert_int_equal(hwtest_readb(LSR), 0x63);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(hwtest_readb(RBR), 'a' + i);
    }
    assert_int_equal(hwtest_readb(LSR), 0x60);
}

/* ---- input flow control through a real back end ------------------------------------ */

typedef struct SocketPeer {
    char *dir, *path;
    int fd;
} SocketPeer;

/* Replaces the fixture's UART with one on a unix-socket server chardev, and connects to it. */
static void socket_uart(void **state, SocketPeer *peer)
{
    Fixture *f;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    Error *err = NULL;

    teardown(state);
    f = g_new0(Fixture, 1);
    *state = f;
    peer->dir = g_dir_make_tmp("tern-uart-XXXXXX", NULL);
    assert_non_null(peer->dir);
    peer->path = g_build_filename(peer->dir, "sock", NULL);
    f->t = hwtest_new();
    f->chr = chardev_new(
        "c0", &(ChardevOptions){.backend = "socket", .path = peer->path, .server = true}, &err);
    assert_null(err);
    hwtest_create(f->t, TYPE_SERIAL_MM);
    assert_true(object_property_set_str(OBJECT(f->t->dev), "chardev", "c0", NULL));
    hwtest_realize_at(f->t, BASE);
    f->smm = SERIAL_MM(f->t->dev);
    peer->fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(peer->fd >= 0);
    g_strlcpy(sa.sun_path, peer->path, sizeof(sa.sun_path));
    assert_int_equal(connect(peer->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
}

static void socket_peer_close(SocketPeer *peer)
{
    close(peer->fd);
    main_loop_cleanup();
    unlink(peer->path);
    rmdir(peer->dir);
    g_free(peer->path);
    g_free(peer->dir);
}

/* Lets the main loop move whatever the back end has and the UART takes. */
static void pump(void)
{
    for (int i = 0; i < 10; i++) {
        main_loop_wait(true);
    }
}

static void test_socket_input_waits_for_fifo_space(void **state)
{
    SocketPeer peer;
    const char *text = "0123456789abcdefXYZ";

    socket_uart(state, &peer);
    hwtest_writeb(FCR, FCR_FE);
    assert_int_equal(write(peer.fd, text, strlen(text)), (ssize_t)strlen(text));
    pump();
    assert_int_equal(hwtest_readb(LSR), 0x61); /* sixteen in, no overrun */
    assert_int_equal(((Fixture *)*state)->smm->serial.recv_fifo.num, 16);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(hwtest_readb(RBR), text[i]);
    }
    pump(); /* the last three arrive now that there is room */
    for (int i = 4; text[i]; i++) {
        assert_int_equal(hwtest_readb(RBR), text[i]);
    }
    assert_int_equal(hwtest_readb(LSR), 0x60);
    socket_peer_close(&peer);
}

static void test_socket_input_one_byte_at_a_time_without_fifos(void **state)
{
    SocketPeer peer;
    char buf[8];

    socket_uart(state, &peer);
    assert_int_equal(write(peer.fd, "hey", 3), 3);
    for (int i = 0; i < 3; i++) {
        pump();
        assert_int_equal(hwtest_readb(LSR), 0x61); /* never an overrun */
        assert_int_equal(hwtest_readb(RBR), "hey"[i]);
    }
    pump();
    assert_int_equal(hwtest_readb(LSR), 0x60);
    /* Output reaches the peer. */
    hwtest_writeb(RBR, '!');
    assert_int_equal(read(peer.fd, buf, sizeof(buf)), 1);
    assert_int_equal(buf[0], '!');
    socket_peer_close(&peer);
}

/* ---- interrupts ---------------------------------------------------------------------- */

static void test_thr_empty_interrupt_and_its_clearing_by_iir_read(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(IER, IER_THRI); /* enabling it while THR is empty raises it */
    assert_int_equal(irq_level(f), 1);
    assert_int_equal(hwtest_readb(IIR), IIR_THRI);
    assert_int_equal(irq_level(f), 0);
    assert_int_equal(hwtest_readb(IIR), IIR_NONE);

    hwtest_writeb(RBR, 'x'); /* the byte leaves at once: THR empty again */
    assert_int_equal(irq_level(f), 1);
    assert_int_equal(hwtest_readb(IIR), IIR_THRI);
    assert_int_equal(irq_level(f), 0);

    /* Toggling IER.THRI re-raises it; clearing it drops it. */
    hwtest_writeb(IER, 0);
    hwtest_writeb(IER, IER_THRI);
    assert_int_equal(irq_level(f), 1);
    hwtest_writeb(IER, 0);
    assert_int_equal(irq_level(f), 0);
}

static void test_thr_empty_read_under_higher_priority_is_kept(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(IER, IER_THRI | IER_RDI);
    deliver(f, "a");
    assert_int_equal(hwtest_readb(IIR), IIR_RDI); /* THRI hidden, not acknowledged */
    hwtest_readb(RBR);
    assert_int_equal(hwtest_readb(IIR), IIR_THRI);
    assert_int_equal(hwtest_readb(IIR), IIR_NONE);
}

static void test_thr_empty_interrupt_with_fifos(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(FCR, FCR_FE);
    hwtest_writeb(IER, IER_THRI);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_THRI);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_NONE);
    hwtest_writeb(RBR, 'q');
    assert_int_equal(irq_level(f), 1);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_THRI);
}

static void test_interrupt_priority_order(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->smm->serial;

    /* Make every source pending: MSR delta, THR empty, timeout, RX data, overrun. */
    hwtest_writeb(FCR, FCR_FE | FCR_ITL4);
    serial_set_modem_lines(s, 0x30);
    deliver(f, "a");
    hwtest_clock_step(NANOSECONDS_PER_SECOND); /* the character timeout expires */
    deliver(f, "bcd");                         /* level 4 reached */
    deliver(f, "0123456789abcdef");            /* overrun */
    hwtest_writeb(IER, IER_RDI | IER_THRI | IER_RLSI | IER_MSI);
    assert_true(s->timeout_ipending);

    assert_int_equal(irq_level(f), 1);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_RLSI);
    hwtest_readb(LSR); /* clears OE */
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_RDI);
    /* Read down to the trigger level: RX data stays; the first read also cancelled the
     * timeout (it ranked below RX data anyway). */
    for (int i = 0; i < 12; i++) {
        hwtest_readb(RBR);
        assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_RDI);
    }
    assert_false(s->timeout_ipending);
    hwtest_readb(RBR); /* 3 left: below the level */
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_THRI);
    /* ...which that IIR read acknowledged: the modem status shows next. */
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_MSI);
    hwtest_clock_step(NANOSECONDS_PER_SECOND);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_CTI); /* timeout above modem status */
    for (int i = 0; i < 3; i++) {
        hwtest_readb(RBR);
    }
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_MSI);
    hwtest_readb(MSR);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_NONE);
    assert_int_equal(irq_level(f), 0);
}

static void test_rx_data_ranks_above_char_timeout(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(FCR, FCR_FE | FCR_ITL4);
    hwtest_writeb(IER, IER_RDI);
    deliver(f, "abcd");
    hwtest_clock_step(NANOSECONDS_PER_SECOND);
    assert_true(f->smm->serial.timeout_ipending);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_RDI);
}

static void test_line_status_interrupt_needs_ier(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(FCR, FCR_FE);
    deliver(f, "0123456789abcdefg");
    assert_int_equal(irq_level(f), 0);
    hwtest_writeb(IER, IER_RLSI);
    assert_int_equal(irq_level(f), 1);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_RLSI);
    assert_int_equal(hwtest_readb(LSR), 0x63);
    assert_int_equal(irq_level(f), 0);
}

/* ---- character timeout (virtual clock) ------------------------------------------------- */

/* Default LCR 0 (5 data bits, 1 stop, no parity: 7 bits) at divisor 12, baudbase 399193. */
static int64_t char_time(unsigned frame_bits, unsigned divisor)
{
    return (int64_t)((uint64_t)frame_bits * NANOSECONDS_PER_SECOND * divisor / UART_VIRT_BAUDBASE);
}

static void test_char_timeout_after_four_character_times(void **state)
{
    Fixture *f = *state;
    int64_t timeout = 4 * char_time(10, 1); /* 8N1 at 399193 baud */

    hwtest_writeb(LCR, 0x83);
    hwtest_writeb(RBR, 1);
    hwtest_writeb(IER, 0);
    hwtest_writeb(LCR, 0x03);
    hwtest_writeb(FCR, FCR_FE | FCR_ITL8);
    hwtest_writeb(IER, IER_RDI);
    deliver(f, "ab");
    assert_int_equal(f->smm->serial.char_transmit_time, char_time(10, 1));
    hwtest_clock_step(timeout - 1);
    assert_int_equal(irq_level(f), 0);
    hwtest_clock_step(1);
    assert_int_equal(irq_level(f), 1);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_CTI);
    assert_int_equal(hwtest_readb(RBR), 'a'); /* a read clears it and restarts the wait */
    assert_int_equal(irq_level(f), 0);
    hwtest_clock_step(timeout - 1);
    assert_int_equal(irq_level(f), 0);
    hwtest_clock_step(1);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_CTI);
    assert_int_equal(hwtest_readb(RBR), 'b'); /* empty now: no further timeout */
    hwtest_clock_step(10 * timeout);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_NONE);
}

static void test_char_time_follows_lcr_and_divisor(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->smm->serial;

    assert_int_equal(s->char_transmit_time, char_time(7, 12)); /* reset: 5N1, divisor 12 */
    hwtest_writeb(LCR, 0x1f); /* 8 data, 2 stop, even parity: 12 bits */
    assert_int_equal(s->char_transmit_time, char_time(12, 12));
    hwtest_writeb(LCR, 0x9f);
    hwtest_writeb(RBR, 0);
    hwtest_writeb(IER, 0);
    assert_int_equal(s->char_transmit_time, 12 * NANOSECONDS_PER_SECOND / 3500); /* divisor 0 */
}

static void test_new_input_restarts_the_timeout(void **state)
{
    Fixture *f = *state;
    int64_t timeout = 4 * f->smm->serial.char_transmit_time;

    hwtest_writeb(FCR, FCR_FE | FCR_ITL14);
    hwtest_writeb(IER, IER_RDI);
    deliver(f, "a");
    hwtest_clock_step(timeout - 10);
    deliver(f, "b");
    hwtest_clock_step(timeout - 10);
    assert_int_equal(irq_level(f), 0);
    hwtest_clock_step(10);
    assert_int_equal(irq_level(f), 1);
}

static void test_no_timeout_without_fifos(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(IER, IER_RDI);
    deliver(f, "a");
    hwtest_readb(RBR);
    hwtest_clock_step(NANOSECONDS_PER_SECOND);
    assert_int_equal(hwtest_readb(IIR), IIR_NONE);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
}

/* ---- access widths ---------------------------------------------------------------------- */

static void test_every_access_width_reaches_one_register(void **state)
{
    Fixture *f = *state;
    char buf[8];

    for (unsigned size = 1; size <= 8; size *= 2) {
        /* A write of any width at offset 0 sends its low byte only. */
        hwtest_write(RBR, size, 0xdeadbeefcafe1200ull | size);
        assert_int_equal(sent(f, buf, sizeof(buf)), 1);
        assert_int_equal((uint8_t)buf[0], size);
        /* A read of any width returns the one register, zero-extended (split into
         * bytes it would also show DLM, IIR and LCR = 0x80 in the upper bytes). */
        hwtest_writeb(LCR, 0x80);
        hwtest_write(RBR, size, 0xffffffffffffff00ull | (0x10 + size));
        assert_int_equal(hwtest_read(RBR, size), 0x10 + size);
        assert_int_equal(hwtest_readb(IER), 0x00); /* DLM untouched by the wide write */
        hwtest_writeb(LCR, 0x00);
    }
    /* Aligned wide accesses at other offsets address the register there. */
    hwtest_writew(FCR, 0xffc1); /* FCR gets 0xc1 */
    assert_int_equal(hwtest_readw(IIR), 0xc1);
    hwtest_writel(MCR, 0x5555aa03); /* MCR gets 0x03 */
    assert_int_equal(hwtest_readl(MCR), 0x03);
    assert_int_equal(hwtest_readw(MSR), 0xb0);
    hwtest_writew(MSR, 0xffff);
    assert_int_equal(hwtest_readb(MSR), 0xb0);
    assert_int_equal(hwtest_readq(BASE), 0);
    assert_int_equal(hwtest_readl(BASE + 4), 0x03);
}

static void test_wide_rbr_read_pops_one_byte(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(FCR, FCR_FE);
    deliver(f, "abcd");
    assert_int_equal(hwtest_readq(RBR), 'a');
    assert_int_equal(hwtest_readl(RBR), 'b');
    assert_int_equal(hwtest_readw(RBR), 'c');
    assert_int_equal(hwtest_readb(RBR), 'd');
}

static void test_unaligned_access_is_refused(void **state)
{
    uint64_t v = 1;

    hwtest_writeb(LCR, 0x80);
    /* A 2-byte read at offset 1 would touch DLM and IIR: refused, reads 0. */
    assert_int_not_equal(address_space_ld(address_space_memory(), BASE + 1, 2, &v), MEMTX_OK);
    assert_int_equal(v, 0);
    assert_int_not_equal(address_space_st(address_space_memory(), BASE + 3, 2, 0x0000), MEMTX_OK);
    assert_int_equal(hwtest_readb(LCR), 0x80);
    assert_int_not_equal(address_space_st(address_space_memory(), BASE + 4, 8, 0), MEMTX_OK);
}

/* ---- state save/restore and reset ---------------------------------------------------- */

static void test_vmstate_round_trip(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->smm->serial;
    GByteArray *saved;
    int64_t deadline;

    hwtest_writeb(LCR, 0x83);
    hwtest_writeb(RBR, 0x06);
    hwtest_writeb(LCR, 0x03);
    hwtest_writeb(FCR, FCR_FE | FCR_ITL4);
    hwtest_writeb(SCR, 0x77);
    hwtest_writeb(IER, IER_RDI);
    deliver(f, "xyz");
    assert_int_equal(irq_level(f), 0); /* below the trigger level, timer armed */
    deadline = timer_expire_time_ns(s->fifo_timeout_timer);
    assert_true(deadline > 0);
    saved = vmstate_test_save_dev(DEVICE(s)); /* checks the length is vmstate_size */

    /* Mutate everything. */
    deliver(f, "1");
    assert_int_equal(irq_level(f), 1);
    hwtest_writeb(FCR, FCR_FE | FCR_RFR | FCR_ITL14);
    hwtest_writeb(SCR, 0);
    hwtest_writeb(LCR, 0x80);
    hwtest_writeb(RBR, 0x01);
    hwtest_writeb(LCR, 0x00);
    hwtest_writeb(IER, IER_THRI);
    assert_int_equal(irq_level(f), 1);

    vmstate_test_restore_dev(DEVICE(s), saved);
    assert_int_equal(irq_level(f), 0); /* recomputed: 3 bytes < level 4, THRI off */
    assert_int_equal(timer_expire_time_ns(s->fifo_timeout_timer), deadline);
    assert_int_equal(s->recv_fifo_itl, 4);
    assert_int_equal(s->char_transmit_time, char_time(10, 6));
    assert_int_equal(hwtest_readb(SCR), 0x77);
    assert_int_equal(hwtest_readb(LCR), 0x03);
    assert_int_equal(hwtest_readb(IER), IER_RDI);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_NONE);
    deliver(f, "w");
    assert_int_equal(irq_level(f), 1); /* level 4 reached with the restored bytes */
    assert_int_equal(hwtest_readb(RBR), 'x');
    assert_int_equal(hwtest_readb(RBR), 'y');
    assert_int_equal(hwtest_readb(RBR), 'z');
    assert_int_equal(hwtest_readb(RBR), 'w');
    hwtest_writeb(LCR, 0x83);
    assert_int_equal(hwtest_readb(RBR), 0x06);
}

static void test_vmstate_load_raises_the_line(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->smm->serial;
    GByteArray *saved;

    hwtest_writeb(IER, IER_THRI);
    assert_int_equal(irq_level(f), 1);
    saved = vmstate_test_save_dev(DEVICE(s));
    hwtest_readb(IIR);
    assert_int_equal(irq_level(f), 0);
    vmstate_test_restore_dev(DEVICE(s), saved);
    assert_int_equal(irq_level(f), 1);
    assert_int_equal(hwtest_readb(IIR), IIR_THRI);
}

static void test_vmstate_load_keeps_a_corrupt_fifo_in_bounds(void **state)
{
    Fixture *f = *state;
    SerialState *s = &f->smm->serial;
    hwtest_writeb(FCR, FCR_FE);
    s->recv_fifo.head = 200;
    s->recv_fifo.num = 200;
    vmstate_test_load_dev(DEVICE(s), vmstate_test_save_dev(DEVICE(s)));
    assert_true(s->recv_fifo.head < UART_FIFO_LENGTH);
    assert_true(s->recv_fifo.num <= UART_FIFO_LENGTH);
}

static void test_reset_clears_fifos_and_registers(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(FCR, FCR_FE | FCR_ITL8);
    hwtest_writeb(IER, 0x0f);
    hwtest_writeb(LCR, 0x9b);
    hwtest_writeb(RBR, 0x44);
    hwtest_writeb(LCR, 0x1b);
    hwtest_writeb(MCR, 0x1f);
    hwtest_writeb(SCR, 0x12);
    deliver(f, "0123456789abcdefgh");
    assert_int_equal(irq_level(f), 1);

    qdev_reset_tree(OBJECT(f->t->dev)); /* serial-mm and its "serial" child, as a system reset */
    assert_int_equal(irq_level(f), 0);
    assert_int_equal(clock_deadline_ns(CLOCK_VIRTUAL), -1);
    assert_registers_as_reset();
    /* FIFOs are off after reset: a second byte overruns the first. */
    deliver(f, "qr");
    assert_int_equal(hwtest_readb(LSR), 0x63);
    assert_int_equal(hwtest_readb(RBR), 'r');
}

static void test_reset_tree_resets_the_uart(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(SCR, 0x12);
    hwtest_writeb(IER, IER_THRI);
    qdev_reset_tree(object_get_root());
    assert_int_equal(hwtest_readb(SCR), 0);
    assert_int_equal(irq_level(f), 0);
}

/* ---- configuration and life cycle ------------------------------------------------------- */

static void test_chardev_can_serve_one_uart_only(void **state)
{
    DeviceState *dev = qdev_new(TYPE_SERIAL_MM);
    Error *err = NULL;

    (void)state;
    assert_true(object_property_set_str(OBJECT(dev), "chardev", "c0", NULL));
    assert_false(qdev_realize(dev, &err));
    assert_non_null(err);
    assert_non_null(strstr(error_get_message(err), "c0"));
    error_free(err);
    object_unref(dev);
}

static void test_unknown_chardev_is_refused(void **state)
{
    DeviceState *dev = qdev_new(TYPE_SERIAL_MM);
    Error *err = NULL;

    (void)state;
    assert_false(object_property_set_str(OBJECT(dev), "chardev", "nope", &err));
    assert_non_null(err);
    error_free(err);
    object_unref(dev);
}

static void test_bad_baudbase_and_regshift_are_refused(void **state)
{
    Error *err = NULL;
    DeviceState *dev = qdev_new(TYPE_SERIAL_MM);

    (void)state;
    assert_true(object_property_set_uint(OBJECT(dev), "baudbase", 0, NULL));
    assert_false(qdev_realize(dev, &err));
    assert_non_null(err);
    error_free(err);
    err = NULL;
    assert_true(object_property_set_uint(OBJECT(dev), "baudbase", 115200, NULL));
    assert_true(object_property_set_uint(OBJECT(dev), "regshift", 9, NULL));
    assert_false(qdev_realize(dev, &err));
    assert_non_null(err);
    error_free(err);
    assert_true(object_property_set_uint(OBJECT(dev), "regshift", 2, NULL));
    assert_true(qdev_realize(dev, NULL));
    assert_int_equal(memory_region_size(sysbus_mmio_get_region(SYS_BUS_DEVICE(dev), 0)), 32);
    object_unref(dev);
}

static void test_regshift_spreads_the_registers(void **state)
{
    HwTest *t;

    teardown(state);
    t = hwtest_new();
    hwtest_create(t, TYPE_SERIAL_MM);
    assert_true(object_property_set_uint(OBJECT(t->dev), "regshift", 2, NULL));
    hwtest_realize_at(t, BASE);
    assert_int_equal(hwtest_readl(BASE + 4 * 4), 0x08); /* MCR */
    assert_int_equal(hwtest_readl(BASE + 5 * 4), 0x60); /* LSR */
    hwtest_writel(BASE + 7 * 4, 0x3c);
    assert_int_equal(hwtest_readb(BASE + 7 * 4 + 1), 0x3c); /* same register */
    hwtest_free(t);
    setup(state);
}

static void test_default_properties_are_virt_ones(void **state)
{
    Fixture *f = *state;

    assert_int_equal(object_property_get_uint(OBJECT(f->t->dev), "baudbase", NULL), 399193);
    assert_int_equal(object_property_get_uint(OBJECT(f->t->dev), "regshift", NULL), 0);
    /* The interrupt number is the board's wiring now, not a property (issue 7). */
    assert_null(object_property_find(OBJECT(f->t->dev), "fdt-interrupt"));
}

static void test_input_after_unrealize_goes_nowhere(void **state)
{
    Fixture *f = *state;

    qdev_unrealize(f->t->dev);
    deliver(f, "abc"); /* no front end: dropped, no crash */
    assert_true(chardev_set_frontend(f->chr, &(ChardevFrontend){0}, NULL));
    chardev_clear_frontend(f->chr);
}

static void test_serial_mm_create_maps_and_wires(void **state)
{
    Fixture *f = *state;
    Error *err = NULL;
    Chardev *c1 = chardev_new("c1", &(ChardevOptions){.backend = "ringbuf"}, &err);
    SerialMM *smm;
    char buf[4];

    assert_non_null(c1);
    smm = serial_mm_create(object_get_root(), "uart1", NULL, 0x1000a000, 0, f->t->irq_in[5],
                           UART_VIRT_BAUDBASE, c1, &err);
    assert_null(err);
    assert_non_null(smm);
    hwtest_writeb(0x1000a000, 'k');
    assert_int_equal(chardev_ringbuf_read(c1, (uint8_t *)buf, sizeof(buf)), 1);
    assert_int_equal(buf[0], 'k');
    hwtest_writeb(0x1000a001, IER_THRI);
    assert_int_equal(f->t->irq_level[5], 1);
    assert_int_equal(irq_level(f), 0);
    /* Taken chardev: refused, nothing left in the tree. */
    assert_null(serial_mm_create(object_get_root(), "uart2", NULL, 0x1000b000, 0, NULL,
                                 UART_VIRT_BAUDBASE, c1, &err));
    assert_non_null(err);
    error_free(err);
    assert_null(object_resolve_path_component(object_get_root(), "uart2"));
}

/* ---- device tree ---------------------------------------------------------------------------- */

static void test_fdt_node(void **state)
{
    Fixture *f = *state;
    const char *node = "/soc/serial@10000000";
    DtContext dt;

    /* Wired to source 10 of a PLIC whose node has phandle 3. */
    fdt_test_write_node_on_plic(&dt, f->t->dev, 10, 3);
    fdt_test_assert_string(dt.fdt, node, "compatible", "ns16550a");
    fdt_test_assert_reg(dt.fdt, node, 0x10000000, 0x100);
    fdt_test_assert_cells(dt.fdt, node, "clock-frequency", (const uint32_t[]){3686400}, 1);
    fdt_test_assert_interrupt(dt.fdt, node, 10, 3);
    dt_free(&dt);
}

/* ---- the character timeout at the end of virtual time (docs/time.md) ----------------------- */

/* FIFOs on (trigger level 8), the RX data interrupt enabled, the clock at now. */
static void fifo_at(int64_t now)
{
    assert_true(clock_advance_virtual_to(now));
    hwtest_writeb(FCR, FCR_FE | FCR_ITL8);
    hwtest_writeb(IER, IER_RDI);
}

static void test_char_timeout_past_the_end_of_time_saturates_there(void **state)
{
    Fixture *f = *state;

    fifo_at(INT64_MAX - 10);
    deliver(f, "ab");
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) == INT64_MAX);
    hwtest_clock_step(9);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_NONE);
    hwtest_clock_step(1);
    assert_true(clock_get_ns(CLOCK_VIRTUAL) == INT64_MAX);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_CTI);
    assert_int_equal(irq_level(f), 1);
}

static void test_loopback_write_at_the_end_of_time_times_out_at_once(void **state)
{
    Fixture *f = *state;

    fifo_at(INT64_MAX);
    hwtest_writeb(MCR, MCR_LOOP);
    hwtest_writeb(RBR, 'A');
    assert_int_equal(hwtest_readb(LSR), LSR_TEMT | LSR_THRE | LSR_DR);
    /* Due now: the next run of the timers (qtest's deferred pass) fires it. */
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) == INT64_MAX);
    assert_true(clock_run_timers(CLOCK_VIRTUAL));
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_CTI);
    assert_int_equal(hwtest_readb(RBR), 'A');
    assert_int_equal(irq_level(f), 0);
}

static void test_rbr_read_at_the_end_of_time_rearms_at_the_end(void **state)
{
    Fixture *f = *state;

    fifo_at(INT64_MAX - 1);
    deliver(f, "abc");
    hwtest_clock_step(1);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_CTI);
    assert_int_equal(hwtest_readb(RBR), 'a'); /* bytes left: re-armed, saturated */
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) == INT64_MAX);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_NONE);
    clock_run_timers(CLOCK_VIRTUAL);
    assert_int_equal(hwtest_readb(IIR), IIR_FIFO | IIR_CTI);
}

static void test_slowest_line_near_the_end_of_time(void **state)
{
    Fixture *f = *state;
    /* Divisor 0xffff, 8 data bits, parity, 2 stop bits: 12 bits a character. */
    int64_t slow = char_time(12, 0xffff);

    hwtest_writeb(LCR, 0x80 | 0x0f);
    hwtest_writeb(RBR, 0xff);
    hwtest_writeb(IER, 0xff);
    hwtest_writeb(LCR, 0x0f);
    assert_int_equal(f->smm->serial.char_transmit_time, slow);
    fifo_at(INT64_MAX - 4 * slow);
    deliver(f, "a");
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) == INT64_MAX); /* exactly, not saturated */
    hwtest_clock_step(1);
    deliver(f, "b");
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) == INT64_MAX); /* saturated */
}

static void test_divisor_zero_near_the_end_of_time(void **state)
{
    Fixture *f = *state;

    hwtest_writeb(LCR, 0x83);
    hwtest_writeb(RBR, 0);
    hwtest_writeb(IER, 0);
    hwtest_writeb(LCR, 0x03);
    /* 10 bits at 3500 baud, as QEMU assumes for divisor 0. */
    assert_int_equal(f->smm->serial.char_transmit_time, 10 * NANOSECONDS_PER_SECOND / 3500);
    fifo_at(INT64_MAX - 5);
    deliver(f, "a");
    assert_true(clock_deadline_ns(CLOCK_VIRTUAL) == INT64_MAX);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reset_values_of_every_register),
        T(test_region_is_named_serial_and_eight_bytes),
        T(test_core_is_child_serial),
        T(test_dlab_selects_the_divisor_latch),
        T(test_divisor_write_does_not_transmit),
        T(test_scratch_register_keeps_any_byte),
        T(test_ier_keeps_only_its_four_bits),
        T(test_mcr_keeps_five_bits_and_lsr_msr_ignore_writes),
        T(test_thr_bytes_go_to_the_chardev),
        T(test_thr_with_fifos_on_also_completes_at_once),
        T(test_transmit_without_chardev_completes),
        T(test_loopback_puts_thr_in_rbr),
        T(test_loopback_overrun_without_fifo),
        T(test_loopback_msr_mirrors_mcr),
        T(test_modem_line_changes_set_deltas_and_interrupt),
        T(test_modem_status_interrupt_needs_ier),
        T(test_receive_without_fifo_holds_one_byte),
        T(test_receive_without_fifo_overruns),
        T(test_rx_fifo_keeps_order),
        T(test_rx_fifo_overrun_keeps_the_first_sixteen),
        T(test_trigger_level_1),
        T(test_trigger_level_4),
        T(test_trigger_level_8),
        T(test_trigger_level_14),
        T(test_iir_fifo_bits_follow_fcr),
        T(test_fcr_clears_the_rx_fifo),
        T(test_fcr_tx_clear_keeps_rx),
        T(test_turning_fifos_off_clears_them),
        T(test_loopback_fills_the_fifo),
        T(test_socket_input_waits_for_fifo_space),
        T(test_socket_input_one_byte_at_a_time_without_fifos),
        T(test_thr_empty_interrupt_and_its_clearing_by_iir_read),
        T(test_thr_empty_read_under_higher_priority_is_kept),
        T(test_thr_empty_interrupt_with_fifos),
        T(test_interrupt_priority_order),
        T(test_rx_data_ranks_above_char_timeout),
        T(test_line_status_interrupt_needs_ier),
        T(test_char_timeout_after_four_character_times),
        T(test_char_time_follows_lcr_and_divisor),
        T(test_new_input_restarts_the_timeout),
        T(test_no_timeout_without_fifos),
        T(test_every_access_width_reaches_one_register),
        T(test_wide_rbr_read_pops_one_byte),
        T(test_unaligned_access_is_refused),
        T(test_vmstate_round_trip),
        T(test_vmstate_load_raises_the_line),
        T(test_vmstate_load_keeps_a_corrupt_fifo_in_bounds),
        T(test_reset_clears_fifos_and_registers),
        T(test_reset_tree_resets_the_uart),
        T(test_chardev_can_serve_one_uart_only),
        T(test_unknown_chardev_is_refused),
        T(test_bad_baudbase_and_regshift_are_refused),
        T(test_regshift_spreads_the_registers),
        T(test_default_properties_are_virt_ones),
        T(test_input_after_unrealize_goes_nowhere),
        T(test_serial_mm_create_maps_and_wires),
        T(test_fdt_node),
        T(test_char_timeout_past_the_end_of_time_saturates_there),
        T(test_loopback_write_at_the_end_of_time_times_out_at_once),
        T(test_rbr_read_at_the_end_of_time_rearms_at_the_end),
        T(test_slowest_line_near_the_end_of_time),
        T(test_divisor_zero_near_the_end_of_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
