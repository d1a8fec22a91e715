#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs one ISA test program on an emulator (Tern or qemu-system-riscv64):
EMULATOR -M virt -bios none -kernel ELF -nographic, stdin closed.

Speaks TAP (one case): "ok" when the emulator exits with the expected status
(0 = every case of the program passed; --expect N for a program that must fail
with case N), else "not ok" with the status, which is the failing case number
the guest printed too. The guest's console is shown as TAP comments.

Usage: run-isa.py [--expect STATUS] EMULATOR ELF [TIMEOUT_SECONDS]
"""
import os
import shutil
import subprocess
import sys


def main():
    args = sys.argv[1:]
    expect = 0
    if args[:1] == ["--expect"]:
        expect = int(args[1])
        args = args[2:]
    emulator, elf = args[0], args[1]
    timeout = float(args[2]) if len(args) > 2 else 50
    name = os.path.splitext(os.path.basename(elf))[0]
    print("1..1")
    if shutil.which(emulator) is None:
        print(f"not ok 1 - {name}: emulator '{emulator}' not found "
              "(CI installs qemu-system-misc)")
        return 1
    cmd = [emulator, "-M", "virt", "-bios", "none", "-kernel", elf, "-nographic"]
    status = None
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
        out, status = proc.stdout, proc.returncode
    except subprocess.TimeoutExpired as e:
        out = e.stdout or b""
    for line in out.decode(errors="replace").splitlines():
        print(f"# {line}")
    print(f"# {' '.join(cmd)}")
    if status is None:
        print(f"not ok 1 - {name}: no exit within {timeout:g} s")
        return 1
    if status != expect:
        why = f"failing case {status}" if 0 < status < 255 else "no case number"
        print(f"not ok 1 - {name}: exit status {status} ({why}), expected {expect}")
        return 1
    print(f"ok 1 - {name}: exit status {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
