#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs one ISA test program on an emulator (Tern or qemu-system-riscv64):
EMULATOR -M virt -bios none -kernel ELF -nographic, stdin closed. Prints the
guest's console and exits with the emulator's status (0 = the program passed;
otherwise the failing case number, which the console names too).

Usage: run-isa.py EMULATOR ELF [TIMEOUT_SECONDS]
"""
import shutil
import subprocess
import sys


def main():
    emulator, elf = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 50
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
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
