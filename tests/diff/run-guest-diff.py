#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential guest runs: the same bare-metal ELF on Tern and on
qemu-system-riscv64 with the same command line
(-M virt -bios none -kernel ELF -nographic, stdin closed). The console output
and the exit status must be equal byte for byte.

Prints TAP: one test per ELF. On a difference it prints the exit statuses and
the first differing console line of each side.

Usage: run-guest-diff.py TERN QEMU ELF...
"""
import os
import shutil
import subprocess
import sys

TIMEOUT = 60


def run(binary, elf):
    """Returns (exit status or a string saying why there is none, console bytes)."""
    cmd = [binary, "-M", "virt", "-bios", "none", "-kernel", elf, "-nographic"]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        return f"no exit within {TIMEOUT} s", e.stdout or b""
    except OSError as e:
        return f"cannot run: {e}", b""
    return proc.returncode, proc.stdout


def first_difference(a, b):
    la, lb = a.split(b"\n"), b.split(b"\n")
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else b"<end>"
        y = lb[i] if i < len(lb) else b"<end>"
        if x != y:
            return i + 1, x, y
    return None


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    tern, qemu, elfs = sys.argv[1], sys.argv[2], sys.argv[3:]
    print(f"1..{len(elfs)}")
    for tool in (tern, qemu):
        if shutil.which(tool) is None:
            for n, elf in enumerate(elfs, 1):
                print(f"not ok {n} - {os.path.basename(elf)}: {tool} not found")
            return 1
    failed = 0
    for n, elf in enumerate(elfs, 1):
        name = os.path.splitext(os.path.basename(elf))[0]
        q_status, q_out = run(qemu, elf)
        t_status, t_out = run(tern, elf)
        problems = []
        if isinstance(q_status, str):
            problems.append(f"qemu: {q_status}")
        if q_status != t_status:
            problems.append(f"exit status: qemu {q_status}, tern {t_status}")
        diff = first_difference(q_out, t_out)
        if diff:
            line, q, t = diff
            problems.append(f"console line {line}: qemu {q!r}, tern {t!r}")
        for p in problems:
            print(f"# {name}: {p}")
        failed += bool(problems)
        status = "not ok" if problems else "ok"
        print(f"{status} {n} - {name}: exit {q_status}, {len(q_out)} console bytes")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
