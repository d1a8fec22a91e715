#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""boot-test.py - boots Debian's OpenSBI and U-Boot images and drives the
console as a person would: wait for text, type, read the reply.

  boot-test.py EMULATOR CASE...     (TAP on stdout, one case each)

EMULATOR is build/tern or qemu-system-riscv64 (the same cases run on both,
so a broken case is told apart from a Tern bug).  Every wait has a time
limit; on failure the console so far is printed as TAP comments.
"""
import os
import select
import subprocess
import sys
import tempfile
import time

OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic"
UBOOT_S = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
UBOOT_M = "/usr/lib/u-boot/qemu-riscv64/u-boot.bin"
WAIT = float(os.environ.get("BOOT_TEST_WAIT", "60"))


class Console:
    """A guest console on the emulator's stdio (-nographic)."""

    def __init__(self, argv):
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.text = b""
        self.seen = 0  # where the next wait starts looking

    def wait_for(self, needle, limit=WAIT):
        """Reads until needle appears after what earlier waits consumed."""
        needle = needle.encode()
        end = time.monotonic() + limit
        while True:
            pos = self.text.find(needle, self.seen)
            if pos >= 0:
                self.seen = pos + len(needle)
                return
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("no %r within %gs" % (needle.decode(), limit))
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    raise AssertionError("console closed (exit %s) before %r"
                                         % (self.proc.poll(), needle.decode()))
                self.text += chunk

    def type(self, line):
        """Types line and Enter, a key at a time as a terminal would send them."""
        for ch in line + "\r":
            self.proc.stdin.write(ch.encode())
            self.proc.stdin.flush()
            time.sleep(0.002)

    def command(self, line, reply, prompt="=>"):
        self.type(line)
        self.wait_for(reply)
        self.wait_for(prompt)

    def exit_status(self, limit=WAIT):
        try:
            return self.proc.wait(limit)
        except subprocess.TimeoutExpired:
            raise AssertionError("did not exit within %gs" % limit)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def machine(emulator, *extra):
    return [emulator, "-M", "virt", "-m", "256M", "-nographic", "-smp", "1"] + list(extra)


def case_opensbi_banner(emulator, tmp):
    """-bios fw_dynamic.bin prints the OpenSBI banner and the platform it found."""
    con = Console(machine(emulator, "-bios", OPENSBI + "/fw_dynamic.bin"))
    try:
        con.wait_for("OpenSBI v")
        con.wait_for("Platform Name")
        con.wait_for("riscv-virtio,qemu")
        con.wait_for("Boot HART Base ISA")
        con.wait_for("rv64imafdc")
    finally:
        con.close()
    return con


def uboot_disk(tmp):
    disk = os.path.join(tmp, "disk.img")
    with open(disk, "wb") as f:
        f.truncate(8 << 20)
    return ["-drive", "file=%s,if=none,format=raw,id=d0" % disk,
            "-device", "virtio-blk-device,drive=d0"]


def case_uboot_smode(emulator, tmp):
    """fw_jump + S-mode U-Boot: prompt, version, virtio scan/info, poweroff ends with 0."""
    con = Console(machine(emulator, "-bios", OPENSBI + "/fw_jump.bin", "-kernel", UBOOT_S,
                          *uboot_disk(tmp)))
    try:
        con.wait_for("OpenSBI v")
        con.wait_for("U-Boot 20")
        con.wait_for("Hit any key to stop autoboot")
        con.type("")
        con.wait_for("=>")
        con.command("version", "U-Boot 2023.01")
        con.command("virtio scan", "virtio scan")
        con.command("virtio info", "Device 0: QEMU VirtIO Block Device")
        con.type("poweroff")
        status = con.exit_status()
        if status != 0:
            raise AssertionError("poweroff: exit status %d, not 0" % status)
    finally:
        con.close()
    return con


def case_uboot_mmode(emulator, tmp):
    """The M-mode U-Boot as -bios reaches its prompt and answers version."""
    con = Console(machine(emulator, "-bios", UBOOT_M))
    try:
        con.wait_for("U-Boot 20")
        con.wait_for("Hit any key to stop autoboot")
        con.type("")
        con.wait_for("=>")
        con.command("version", "U-Boot 2023.01")
    finally:
        con.close()
    return con


CASES = {
    "opensbi-banner": case_opensbi_banner,
    "uboot-smode": case_uboot_smode,
    "uboot-mmode": case_uboot_mmode,
}


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: boot-test.py EMULATOR CASE...")
    emulator, names = sys.argv[1], sys.argv[2:]
    for path in (OPENSBI + "/fw_dynamic.bin", OPENSBI + "/fw_jump.bin", UBOOT_S, UBOOT_M):
        if not os.path.exists(path):
            print("Bail out! %s is missing: install opensbi and u-boot-qemu (ci/deps.sh)" % path)
            sys.exit(1)
    print("1..%d" % len(names))
    failed = 0
    for i, name in enumerate(names, 1):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.monotonic()
            try:
                CASES[name](emulator, tmp)
                print("ok %d - %s (%.2fs)" % (i, name, time.monotonic() - start))
            except AssertionError as e:
                failed += 1
                print("not ok %d - %s: %s" % (i, name, e))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
