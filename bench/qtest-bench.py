#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""qtest server benchmark: Tern and qemu-system-riscv64 side by side.

Two measures, each on both emulators in the same run, with QEMU's oracle
command line (virt, -bios none, -S, -nodefaults, -qtest stdio):
  start-up   time from spawn to the reply of the first command (median of
             --starts runs);
  throughput replies per second for one --commands-command file sent at
             once over stdio (median of --rounds runs).
Reported as Tern/QEMU ratios.  Usage:
  python3 bench/qtest-bench.py [--tern build/tern] [--qemu qemu-system-riscv64]
"""
import argparse
import os
import random
import statistics
import subprocess
import time

ARGS = ["-M", "virt", "-bios", "none", "-S", "-display", "none", "-nodefaults",
        "-qtest", "stdio", "-qtest-log", "none"]


def command_file(n, seed=1):
    """A fixed mix: RAM writes and reads, UART/PLIC/CLINT/fw_cfg register reads."""
    rng = random.Random(seed)
    regs = ["readl 0x10000005", "readl 0xc000004", "readq 0x200bff8", "readl 0x2000000",
            "readw 0x10100000", "readl 0x101000", "readl 0x1000"]
    out = []
    for i in range(n):
        r = rng.random()
        addr = 0x80000000 + 8 * rng.randrange(1 << 16)
        if r < 0.35:
            out.append(f"writeq 0x{addr:x} 0x{rng.getrandbits(64):x}")
        elif r < 0.7:
            out.append(f"readq 0x{addr:x}")
        else:
            out.append(rng.choice(regs))
    return ("\n".join(out) + "\n").encode()


def startup(binary, extra):
    t0 = time.perf_counter()
    p = subprocess.Popen([binary] + ARGS + extra, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    p.stdin.write(b"endianness\n")
    p.stdin.flush()
    line = p.stdout.readline()
    t1 = time.perf_counter()
    p.kill()
    p.wait()
    assert line.startswith(b"OK"), line
    return t1 - t0


def spawn_floor():
    """What spawning any process and reading one line costs on this machine."""
    t0 = time.perf_counter()
    p = subprocess.Popen(["/bin/echo", "OK"], stdout=subprocess.PIPE)
    p.stdout.readline()
    t1 = time.perf_counter()
    p.wait()
    return t1 - t0


def throughput(binary, extra, data, n):
    """Sends all n commands at once from a thread; counts reply lines in bulk reads."""
    import threading

    p = subprocess.Popen([binary] + ARGS + extra, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, bufsize=0)
    p.stdin.write(b"endianness\n")
    first = b""
    while not first.endswith(b"\n"):
        first += p.stdout.read(1)
    assert first == b"OK little\n", first
    t0 = time.perf_counter()
    w = threading.Thread(target=p.stdin.write, args=(data,))
    w.start()
    got = 0
    fd = p.stdout.fileno()
    while got < n:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        got += chunk.count(b"\n")
    t1 = time.perf_counter()
    w.join()
    p.kill()
    p.wait()
    assert got == n, f"{binary}: {got} of {n} replies"
    return n / (t1 - t0)


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--tern", default=os.path.join(here, "..", "build", "tern"))
    ap.add_argument("--qemu", default="qemu-system-riscv64")
    ap.add_argument("--commands", type=int, default=100000)
    ap.add_argument("--starts", type=int, default=21)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    data = command_file(a.commands)
    emulators = [("tern", a.tern, ["-nouserconfig"]), ("qemu", a.qemu, [])]
    res = {}
    for name, binary, extra in emulators:
        s = statistics.median(startup(binary, extra) for _ in range(a.starts))
        t = statistics.median(throughput(binary, extra, data, a.commands) for _ in range(a.rounds))
        res[name] = (s, t)
        print(f"{name:5} start-up to first reply {s * 1000:8.2f} ms   "
              f"throughput {t:12,.0f} replies/s")
    floor = statistics.median(spawn_floor() for _ in range(a.starts))
    print(f"floor: spawning /bin/echo and reading one line here takes {floor * 1000:.2f} ms")
    st = res["qemu"][0] / res["tern"][0]
    tp = res["tern"][1] / res["qemu"][1]
    print(f"ratio start-up   {st:6.1f}x faster (target >= 40x)  {'MET' if st >= 40 else 'NOT MET'}"
          f"  (a process doing nothing would reach at most {res['qemu'][0] / floor:.1f}x here)")
    inproc = os.path.join(os.path.dirname(os.path.abspath(a.tern)), "bench",
                          "bench-inprocess-startup")
    if os.path.exists(inproc):
        us = float(subprocess.check_output([inproc, "201"]).decode())
        print(f"tern in-process start-up to first reply {us:.0f} us: "
              f"{res['qemu'][0] / (us / 1e6):.0f}x QEMU's process start-up")
    print(f"ratio throughput {tp:6.1f}x higher (target >= 10x)  {'MET' if tp >= 10 else 'NOT MET'}")


if __name__ == "__main__":
    main()
