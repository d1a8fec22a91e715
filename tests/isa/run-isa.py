#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs one ISA test program on an emulator (Tern or qemu-system-riscv64):
EMULATOR -M virt -bios none -kernel ELF -nographic, stdin closed. Prints the
guest's console and exits with the emulator's status (0 = the program passed;
otherwise the failing case number, which the console names too).

Usage: run-isa.py [--expect STATUS] EMULATOR ELF [TIMEOUT_SECONDS]
With --expect, the run succeeds when the emulator exits with STATUS (for the
program that fails on purpose).
"""
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
    if shutil.which(emulator) is None:
        print(f"error: emulator '{emulator}' not found (CI installs qemu-system-misc)")
        return 99
    cmd = [emulator, "-M", "virt", "-bios", "none", "-kernel", elf, "-nographic"]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        sys.stdout.write((e.stdout or b"").decode(errors="replace"))
        print(f"\nerror: {' '.join(cmd)}: no exit within {timeout:g} s")
        return 98
    sys.stdout.write(proc.stdout.decode(errors="replace"))
    if proc.returncode != 0:
        print(f"\n{' '.join(cmd)}: exit status {proc.returncode}"
              + (f" (failing case {proc.returncode})" if 0 < proc.returncode < 255 else ""))
    if expect:
        if proc.returncode != expect:
            print(f"error: expected exit status {expect}, got {proc.returncode}")
            return 1
        return 0
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
