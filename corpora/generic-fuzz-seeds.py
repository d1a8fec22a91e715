#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# generic-fuzz-seeds.py - writes the hand-made seed inputs of the generic-fuzz
# presets (corpora/generic-fuzz-<preset>/) in QEMU's generic-fuzz byte format
# (../shared/spec/fuzzing.md §6.3): commands joined by "FUZZ", each an opcode
# byte and little-endian operands with C struct padding.  A region is chosen
# by its index among the preset's fuzzable flat ranges (tern-fuzz prints
# them); the indices below are those of Tern's virt board.
#
# Usage: corpora/generic-fuzz-seeds.py [CORPORA-DIR]   (default: beside this script)
import os
import struct
import sys

SEP = b"FUZZ"
B, W, L, Q = 0, 1, 2, 3  # access size codes (size % 4)


def read(size, base, offset):
    return bytes([2, size, base, 0, 0]) + struct.pack("<I", offset)


def write(size, base, offset, value):
    return bytes([3, size, base, 0, 0]) + struct.pack("<IQ", offset, value)


def pattern(index, stride, data):
    return bytes([7, index, stride]) + bytes(data)


def clear_patterns():
    return bytes([8])


def clock_step():
    return bytes([9])


def seed(*cmds):
    return SEP.join(cmds)


def virtio_blk_request(base, data_addr=0x80020000):
    """A legacy virtio-mmio queue at 0x80010000 and one FLUSH request built by DMA patterns."""
    desc0 = struct.pack("<QIHH", data_addr, 16, 1, 1)        # header, NEXT -> 1
    desc1 = struct.pack("<QIHH", data_addr + 0x100, 1, 2, 0)  # status byte, WRITE
    header = struct.pack("<IIQ", 4, 0, 0)                     # VIRTIO_BLK_T_FLUSH
    return [
        write(L, base, 0x70, 0), write(L, base, 0x70, 1), write(L, base, 0x70, 3),
        write(L, base, 0x28, 0x1000), write(L, base, 0x30, 0), write(L, base, 0x38, 8),
        write(L, base, 0x3c, 0x1000), write(L, base, 0x40, 0x80010), write(L, base, 0x70, 7),
        # The device's reads in order: avail idx, avail ring[0], desc 0, desc 1, header.
        pattern(0, 0, [1, 0]), pattern(0, 0, [0, 0]), pattern(0, 0, desc0), pattern(0, 0, desc1),
        pattern(0, 0, header),
        write(L, base, 0x50, 0), read(L, base, 0x60), write(L, base, 0x64, 1),
    ]


def virtio_rng_request(base):
    """A legacy queue and one 16-byte device-writable buffer."""
    desc0 = struct.pack("<QIHH", 0x80020000, 16, 2, 0)
    return [
        write(L, base, 0x70, 1), write(L, base, 0x70, 3), write(L, base, 0x28, 0x1000),
        write(L, base, 0x30, 0), write(L, base, 0x38, 8), write(L, base, 0x40, 0x80010),
        write(L, base, 0x70, 7),
        pattern(0, 0, [1, 0]), pattern(0, 0, [0, 0]), pattern(0, 0, desc0),
        write(L, base, 0x50, 0), read(L, base, 0x60), write(L, base, 0x64, 1),
    ]


def virtio_ids(base):
    return [read(L, base, 0x0), read(L, base, 0x4), read(L, base, 0x8), read(L, base, 0xc),
            write(L, base, 0x14, 0), read(L, base, 0x10), read(L, base, 0x34),
            read(B, base, 0x100), read(L, base, 0x100), read(L, base, 0xfc)]


def uart(base):
    return {
        "thr": seed(write(B, base, 0, 0x41), write(B, base, 0, 0x42), read(B, base, 5),
                    read(B, base, 2)),
        "fifo-loop": seed(write(B, base, 3, 0x80), write(B, base, 0, 1), write(B, base, 1, 0),
                          write(B, base, 3, 0x03), write(B, base, 2, 0x07),
                          write(B, base, 1, 0x0f), write(B, base, 4, 0x10),
                          write(B, base, 0, 0x55), read(B, base, 5), read(B, base, 0),
                          read(B, base, 2), clock_step(), read(B, base, 6), read(B, base, 7)),
    }


def clint(swi, mtimer):
    return {
        "msip": seed(write(L, swi, 0, 1), read(L, swi, 0), write(L, swi, 0, 0)),
        "mtimecmp": seed(read(Q, mtimer, 0x7ff8), write(Q, mtimer, 0, 1000), clock_step(),
                         read(Q, mtimer, 0x7ff8), write(L, mtimer, 4, 0xffffffff),
                         write(L, mtimer, 0, 0x10), clock_step()),
    }


def plic(base):
    return {
        "enable-claim": seed(write(L, base, 4, 7), write(L, base, 8, 3),
                             write(L, base, 0x2000, 0xffffffff), write(L, base, 0x2080, 0x6),
                             write(L, base, 0x200000, 0), write(L, base, 0x201000, 1),
                             read(L, base, 0x1000), read(L, base, 0x200004),
                             write(L, base, 0x200004, 1), read(L, base, 0x2000)),
    }


def rtc(base):
    return {
        "time": seed(read(L, base, 0), read(L, base, 4), clock_step(), read(L, base, 0)),
        "alarm": seed(write(L, base, 0x10, 1), write(L, base, 0x0c, 0),
                      write(L, base, 0x08, 1000), read(L, base, 0x18), clock_step(),
                      read(L, base, 0x18), write(L, base, 0x1c, 1), write(L, base, 0x14, 1)),
    }


def fw_cfg(data, ctl, dma):
    desc = struct.pack(">IIQ", (0x19 << 16) | 0x08 | 0x02, 64, 0x80002000)  # file dir, READ
    return {
        "signature": seed(write(W, ctl, 0, 0), read(B, data, 0), read(B, data, 0),
                          read(B, data, 0), read(B, data, 0), write(W, ctl, 0, 0x1900),
                          read(L, data, 0), read(Q, data, 0)),
        "dma": seed(pattern(0, 0, desc), read(Q, dma, 0),
                    write(Q, dma, 0, struct.unpack("<Q", struct.pack(">Q", 0x80001000))[0])),
    }


def sifive_test(base):
    return {
        "status": seed(read(L, base, 0), write(W, base, 0, 0x1234), write(B, base, 0, 0x55)),
        "pass": seed(write(L, base, 0, 0x5555), read(L, base, 0)),
        "fail": seed(write(L, base, 0, 0x00013333), read(L, base, 0)),
        "reset": seed(write(L, base, 0, 0x7777), read(L, base, 0)),
    }


def presets():
    # Range indices: one range in most presets; the eight virtio-mmio slots (the
    # first -device sits in slot 7, a second in slot 6); fw_cfg data, ctl, dma.
    out = {
        "uart": uart(0),
        "clint": clint(0, 1),
        "plic": plic(0),
        "rtc": rtc(0),
        "fw-cfg": fw_cfg(0, 1, 2),
        "sifive-test": sifive_test(0),
        "virtio-blk": {"ids": seed(*virtio_ids(7)), "flush": seed(*virtio_blk_request(7))},
        "virtio-rng": {"ids": seed(*virtio_ids(7)), "request": seed(*virtio_rng_request(7))},
    }
    # generic-fuzz-virt ("*"): sparse-mem fills every hole, so the ranges are
    # 0 sparse, 1 sparse, 2 test, 3 rtc, 4 sparse, 5 swi, 6 mtimer, 7 sparse,
    # 8 plic, 9 sparse, 10 uart, 11 sparse, 12 + 2k virtio slot k (13 + 2k
    # sparse), 28 fw_cfg data, 29 ctl, 30 sparse, 31 dma, 32 sparse, 33 above RAM.
    virt = {}
    for name, s in uart(10).items():
        virt["uart-" + name] = s
    for name, s in plic(8).items():
        virt["plic-" + name] = s
    for name, s in clint(5, 6).items():
        virt["clint-" + name] = s
    for name, s in rtc(3).items():
        virt["rtc-" + name] = s
    for name, s in fw_cfg(28, 29, 31).items():
        virt["fw-cfg-" + name] = s
    virt["virtio-blk-flush"] = seed(*virtio_blk_request(26))
    virt["virtio-rng-request"] = seed(*virtio_rng_request(24))
    virt["sparse-dma"] = seed(pattern(0, 1, [0xaa, 0x55]), write(Q, 33, 0x100, 0x1122334455667788),
                              read(Q, 33, 0x100), write(B, 0, 0x800, 1), read(B, 0, 0x800))
    virt["sifive-test-pass"] = sifive_test(2)["pass"]
    out["virt"] = virt
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for preset, seeds in presets().items():
        d = os.path.join(root, "generic-fuzz-" + preset)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
