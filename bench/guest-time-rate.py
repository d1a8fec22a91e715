#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""guest-time-rate.py - how fast guest time runs against real time on this host.

  guest-time-rate.py TERN [TERN-OPTIONS...]     e.g. -icount shift=2

Boots fw_jump + S-mode U-Boot and times its autoboot countdown (2 s of guest
time: a loop of `time` reads and UART polls, the slowest kind of guest code
for the interpreter) on the console.  docs/hart.md chose the default
-icount shift with it: guest time must run no slower than real time.
"""
import os
import select
import subprocess
import sys
import time

OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
UBOOT_S = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
START, END = b"autoboot:  2", b"\x08\x08\x08 0"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    argv = [sys.argv[1], "-M", "virt", "-m", "256M", "-nographic", "-smp", "1", "-bios", OPENSBI,
            "-kernel", UBOOT_S] + sys.argv[2:]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    seen, marks = b"", {}
    try:
        while len(marks) < 2:
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            chunk = os.read(proc.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                sys.exit("the console stopped before the countdown ended")
            seen += chunk
            for mark in (START, END):
                if mark in seen and mark not in marks:
                    marks[mark] = time.monotonic()
    finally:
        proc.kill()
        proc.wait()
    real = marks[END] - marks[START]
    print("countdown: 2 s of guest time in %.3f s of real time: guest time runs %.2f x real time"
          % (real, 2 / real))


if __name__ == "__main__":
    main()
