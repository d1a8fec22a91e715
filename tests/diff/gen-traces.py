#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the differential qtest traces into traces/ (committed as data).

Each trace touches every register of one device Tern shares with QEMU's
virt machine, in every access width, reading back after writes.  A trace may
start with "# args: ..." (extra emulator arguments; @DISK@ is a temporary
1 MiB image), e.g. to put a virtio device on slot 7.  The traces
use no clock command (Debian's qemu-system-riscv64 has no qtest accelerator)
and never write sifive_test (QEMU 7.2 exits inside that write).  Run again
after changing this file:  python3 tests/diff/gen-traces.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
WIDTHS = [("b", 1), ("w", 2), ("l", 4), ("q", 8)]


def reads(base, offsets, widths=WIDTHS):
    out = []
    for off in offsets:
        for w, size in widths:
            out.append(f"read{w} 0x{base + off:x}")
    return out


def mrom():
    t = [f"readl 0x{0x1000 + 4 * i:x}" for i in range(0x58 // 4)]
    t += reads(0x1000, [0, 0x18, 0x20, 0x28])
    t += ["writel 0x1000 0xffffffff", "readl 0x1000", "read 0x1000 0x48", "b64read 0x1000 0x30"]
    return t


def uart():
    base = 0x10000000
    t = reads(base, range(8))
    t += [
        # divisor latch
        "writeb 0x10000003 0x80", "readb 0x10000000", "readb 0x10000001",
        "writeb 0x10000000 0x0c", "writeb 0x10000001 0x00", "readb 0x10000000",
        "readb 0x10000001", "writeb 0x10000003 0x03", "readb 0x10000003",
        # interrupts: THR empty
        "writeb 0x10000001 0x02", "readb 0x10000002", "readb 0x10000002", "readb 0x10000001",
        # FIFOs on, trigger levels
        "writeb 0x10000002 0x07", "readb 0x10000002", "writeb 0x10000002 0xc1", "readb 0x10000002",
        # loopback: bytes come back
        "writeb 0x10000004 0x10", "readb 0x10000006", "writeb 0x10000000 0x41",
        "readb 0x10000005", "readb 0x10000002", "readb 0x10000000", "readb 0x10000005",
        "writeb 0x10000004 0x1f", "readb 0x10000006", "writeb 0x10000004 0x10",
        # scratch
        "writeb 0x10000007 0x5a", "readb 0x10000007", "writew 0x10000006 0x1234",
        "readb 0x10000007", "writel 0x10000004 0x00000000", "readb 0x10000004",
        "writeb 0x10000001 0x00", "writeb 0x10000002 0x00",
    ]
    t += reads(base, range(8))
    return t


def clint():
    t = reads(0x2000000, [0, 4], WIDTHS)
    t += ["writel 0x2000000 0xffffffff", "readl 0x2000000", "writel 0x2000000 0x0",
          "readl 0x2000000", "writeb 0x2000000 0x1", "readl 0x2000000", "writew 0x2000000 0x1",
          "readl 0x2000000", "writeq 0x2000000 0x1", "readl 0x2000000", "writel 0x2000000 0x0"]
    t += reads(0x2004000, [0, 4, 8], WIDTHS)
    t += ["writeq 0x2004000 0x1122334455667788", "readq 0x2004000", "readl 0x2004000",
          "readl 0x2004004", "writel 0x2004004 0xaabbccdd", "readq 0x2004000",
          "writeb 0x2004000 0x1", "readq 0x2004000", "writeq 0x2004000 0xffffffffffffffff",
          "readq 0x2004000"]
    t += reads(0x200bff8, [0, 4], WIDTHS)
    t += ["readl 0x2001000", "readl 0x200bff0", "readl 0x2008000"]
    return t


def plic():
    t = []
    for src in range(0, 96):
        t += [f"writel 0x{0xc000000 + 4 * src:x} 0x{(src * 3) & 0xffffffff:x}",
              f"readl 0x{0xc000000 + 4 * src:x}"]
    t += ["readl 0xc001000", "readl 0xc001004", "readl 0xc001008", "readl 0xc00100c"]
    for ctx in range(2):
        for w in range(3):
            a = 0xc002000 + 0x80 * ctx + 4 * w
            t += [f"writel 0x{a:x} 0xffffffff", f"readl 0x{a:x}", f"writel 0x{a:x} 0x0"]
        th = 0xc200000 + 0x1000 * ctx
        t += [f"writel 0x{th:x} 0xf", f"readl 0x{th:x}", f"writel 0x{th:x} 0x0",
              f"readl 0x{th + 4:x}"]
    t += ["readb 0xc000004", "readw 0xc000004", "readq 0xc000004", "readl 0xc000180",
          "readl 0xc202000", "readl 0xc002100"]
    # an interrupt through to the hart, as in the spec's example
    t += ["irq_intercept_in /machine/soc0/harts[0]", "writel 0xc000028 0x1",
          "writel 0xc002000 0x400", "set_irq_in /machine/unattached/device[2] unnamed-gpio-in 10 1",
          "readl 0xc001000", "readl 0xc200004", "readl 0xc001000", "readl 0xc200004",
          "writel 0xc200004 0xa", "readl 0xc200004",
          "set_irq_in /machine/unattached/device[2] unnamed-gpio-in 10 0",
          "writel 0xc000028 0x0"]
    return t


def rtc():
    base = 0x101000
    t = reads(base, range(0, 0x24, 4), [("l", 4)])
    t += reads(base, [0, 4], [("b", 1), ("w", 2), ("q", 8)])
    t += ["writel 0x101010 0x1", "readl 0x101010", "writel 0x10100c 0x0",
          "writel 0x101008 0xffffffff", "readl 0x101018", "readl 0x101008", "readl 0x10100c",
          "writel 0x101014 0x1", "readl 0x101018", "writel 0x10101c 0x1",
          "writel 0x101010 0x0", "readl 0x101010", "readl 0x101020"]
    return t


def fw_cfg():
    t = ["writew 0x10100008 0x0000"] + [f"readb 0x10100000" for _ in range(6)]
    t += ["writew 0x10100008 0x0000", "readw 0x10100000", "readl 0x10100000", "readq 0x10100000",
          "writew 0x10100008 0x0000", "readq 0x10100000",
          "writew 0x10100008 0x0100", "readl 0x10100000",
          "writew 0x10100008 0x0500", "readw 0x10100000",
          "writew 0x10100008 0x0200", "read 0x10100000 0x10",
          "writew 0x10100008 0x0300", "readq 0x10100000",
          "writew 0x10100008 0x1900", "readl 0x10100000"]
    for _ in range(3):
        t += ["read 0x10100000 0x40"]
    t += ["writeb 0x10100008 0x05", "readl 0x10100000", "readw 0x10100008",
          "readq 0x10100010", "readl 0x10100010", "readl 0x10100014",
          # DMA: descriptor at 0x80001000 reads the signature into 0x80002000
          "writel 0x80001000 0x0a000000", "writel 0x80001004 0x04000000",
          "writeq 0x80001008 0x0020008000000000",
          "writel 0x10100010 0x0", "writel 0x10100014 0x00100080",
          "readl 0x80001000", "readl 0x80002000"]
    return t


def virtio():
    t = []
    for slot in range(8):
        base = 0x10001000 + 0x1000 * slot
        t += reads(base, range(0, 0x100, 4), [("l", 4)])
        t += [f"readb 0x{base:x}", f"readw 0x{base:x}", f"readq 0x{base:x}",
              f"writel 0x{base + 0x70:x} 0xf", f"readl 0x{base + 0x70:x}",
              f"readl 0x{base + 0x100:x}"]
    return t


def virtio_device(slot_base, legacy):
    """Every register and the config space of the device on slot 7, then a driver's set-up."""
    b = slot_base
    t = reads(b, range(0, 0x100, 4), [("l", 4)])
    for sel in range(3):
        t += [f"writel 0x{b + 0x14:x} 0x{sel:x}", f"readl 0x{b + 0x10:x}"]
    for q in range(3):
        t += [f"writel 0x{b + 0x30:x} 0x{q:x}", f"readl 0x{b + 0x34:x}", f"readl 0x{b + 0x38:x}",
              f"readl 0x{b + 0x40:x}", f"readl 0x{b + 0x44:x}"]
    t += reads(b, range(0x100, 0x140, 4), [("l", 4)])
    t += reads(b, range(0x100, 0x110, 1), [("b", 1)])
    t += reads(b, range(0x100, 0x110, 2), [("w", 2)])
    # status handshake, feature negotiation, a queue
    t += [f"writel 0x{b + 0x70:x} 0x1", f"writel 0x{b + 0x70:x} 0x3",
          f"writel 0x{b + 0x24:x} 0x0", f"writel 0x{b + 0x20:x} 0x0",
          f"writel 0x{b + 0x24:x} 0x1", f"writel 0x{b + 0x20:x} 0x1", f"readl 0x{b + 0x70:x}"]
    if legacy:
        t += [f"writel 0x{b + 0x28:x} 0x1000", f"writel 0x{b + 0x30:x} 0x0",
              f"writel 0x{b + 0x38:x} 0x8", f"writel 0x{b + 0x3c:x} 0x1000",
              f"writel 0x{b + 0x40:x} 0x80100", f"readl 0x{b + 0x40:x}"]
    else:
        t += [f"writel 0x{b + 0x70:x} 0xb", f"readl 0x{b + 0x70:x}", f"writel 0x{b + 0x30:x} 0x0",
              f"writel 0x{b + 0x38:x} 0x8", f"writel 0x{b + 0x80:x} 0x80100000",
              f"writel 0x{b + 0x90:x} 0x80101000", f"writel 0x{b + 0xa0:x} 0x80102000",
              f"writel 0x{b + 0x44:x} 0x1", f"readl 0x{b + 0x44:x}"]
    t += [f"writel 0x{b + 0x70:x} 0x7", f"readl 0x{b + 0x70:x}", f"readl 0x{b + 0x60:x}",
          f"writel 0x{b + 0x70:x} 0x0", f"readl 0x{b + 0x70:x}", f"readl 0x{b + 0x40:x}"]
    return t


BLK = "-drive file=@DISK@,format=raw,if=none,id=d0 -device virtio-blk-device,drive=d0"
MODERN = "-global virtio-mmio.force-legacy=false"


def virtio_blk():
    return [f"# args: {BLK}"] + virtio_device(0x10008000, True)


def virtio_blk_modern():
    return [f"# args: {BLK} {MODERN}"] + virtio_device(0x10008000, False)


def virtio_rng():
    return ["# args: -device virtio-rng-device"] + virtio_device(0x10008000, True)


def virtio_rng_modern():
    return [f"# args: -device virtio-rng-device {MODERN}"] + virtio_device(0x10008000, False)


def memory():
    return ["writeq 0x80000000 0x0123456789abcdef", "readq 0x80000000", "readb 0x80000003",
            "readw 0x80000002", "readl 0x80000001", "read 0x80000000 0x8",
            "write 0x80000100 0x4 0xdeadbeef", "read 0x80000100 0x4",
            "b64write 0x80000200 0x5 aGVsbG8=", "b64read 0x80000200 0x5",
            "memset 0x80000300 0x10 0xa5", "read 0x80000300 0x10", "b64read 0x80000300 0x0",
            "readl 0x0", "readl 0x100", "writel 0x0 0x1", "readl 0x0", "readl 0x2f00000",
            "readl 0x4000000", "readl 0x10002000", "readl 0x10100018", "readl 0x88000000",
            "readq 0xfffffffffffffff8", "inb 0x0", "inw 0x10", "inl 0x20", "outb 0x0 0xff",
            "inb 0x0", "endianness",
            # PCIe (ECAM, MMIO windows): QEMU has a host bridge there, Tern has none yet
            "readl 0x30000000", "readl 0x30000008", "readl 0x40000000", "readl 0x3000000",
            # flash banks: QEMU's empty pflash reads 0, as Tern's hole does
            "readl 0x20000000", "readl 0x22000000"]


TRACES = {"mrom": mrom, "uart": uart, "clint": clint, "plic": plic, "rtc": rtc,
          "fw_cfg": fw_cfg, "virtio": virtio, "memory": memory, "virtio-blk": virtio_blk,
          "virtio-blk-modern": virtio_blk_modern, "virtio-rng": virtio_rng,
          "virtio-rng-modern": virtio_rng_modern}

if __name__ == "__main__":
    for name, fn in TRACES.items():
        with open(os.path.join(HERE, "traces", name + ".qtest"), "w") as f:
            f.write("\n".join(fn()) + "\n")
