#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential qtest runs: the same trace on Tern and on qemu-system-riscv64.

Both run the virt board with QEMU's oracle command line (no hart executes,
-S) and answer the trace over -qtest stdio.  Replies (and asynchronous IRQ
lines) are compared line by line.  A difference that is known and explained
is listed in expected-differences.txt as "TRACE:LINE<TAB>reason"; a listed
line that no longer differs is reported too, so the list stays true.

Prints TAP: one test per trace.  Usage: run-diff.py TERN QEMU TRACE...
"""
import os
import subprocess
import sys
import tempfile
import time

COMMON = ["-M", "virt", "-bios", "none", "-S", "-display", "none", "-nodefaults",
          "-rtc", "base=2000-01-01T00:00:00,clock=vm", "-qtest", "stdio", "-qtest-log", "none"]
HERE = os.path.dirname(os.path.abspath(__file__))


def trace_args(lines, disk):
    """A trace's own arguments: a first line "# args: ..." (@DISK@: a temporary image)."""
    if lines and lines[0].startswith("# args:"):
        return lines[0][len("# args:"):].replace("@DISK@", disk).split()
    return []


def run(binary, extra, commands, timeout=30):
    """Sends the trace; returns the reply lines: one list per command (IRQ lines first)."""
    proc = subprocess.Popen([binary] + COMMON + extra, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    replies = []
    try:
        deadline = time.monotonic() + timeout
        for cmd in commands:
            proc.stdin.write((cmd + "\n").encode())
            proc.stdin.flush()
            lines = []
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{binary}: no reply to '{cmd}'")
                raw = proc.stdout.readline()
                if not raw:
                    raise EOFError(f"{binary} exited before replying to '{cmd}'")
                line = raw.decode(errors="replace").rstrip("\n")
                lines.append(line)
                if not line.startswith("IRQ "):
                    break
            replies.append(lines)
    finally:
        proc.kill()
        proc.wait()
    return replies


def load_expected(path):
    expected = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            key, _, reason = line.partition("\t")
            expected[key] = reason
    return expected


def main():
    tern, qemu, traces = sys.argv[1], sys.argv[2], sys.argv[3:]
    expected = load_expected(os.path.join(HERE, "expected-differences.txt"))
    print(f"1..{len(traces)}")
    failed = 0
    for n, trace in enumerate(traces, 1):
        name = os.path.splitext(os.path.basename(trace))[0]
        lines = [l.rstrip("\n") for l in open(trace, encoding="utf-8") if l.strip()]
        commands = [l for l in lines if not l.startswith("#")]
        problems = []
        with tempfile.TemporaryDirectory() as tmp:
            disk = os.path.join(tmp, "disk.img")
            with open(disk, "wb") as f:
                f.write(bytes(range(256)) * 4096)  # 1 MiB
            args = trace_args(lines, disk)
            try:
                got_qemu = run(qemu, args, commands)
                got_tern = run(tern, ["-nouserconfig"] + args, commands)
            except (TimeoutError, EOFError, OSError) as e:
                got_qemu = got_tern = None
                error = e
        if got_qemu is None:
            e = error
            print(f"not ok {n} - {name}: {e}")
            failed += 1
            continue
        listed = 0
        for i, (q, t) in enumerate(zip(got_qemu, got_tern), 1):
            key = f"{name}:{i}"
            if q != t and key not in expected:
                problems.append(f"line {i} '{commands[i - 1]}': qemu {q} tern {t}")
            elif q == t and key in expected:
                problems.append(f"line {i} is listed as a difference but now matches")
            elif q != t:
                listed += 1
        for p in problems:
            print(f"# {name}: {p}")
        status = "not ok" if problems else "ok"
        failed += bool(problems)
        print(f"{status} {n} - {name}: {len(commands)} commands, {listed} listed differences")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
