#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""qtest server benchmark: Tern and qemu-system-riscv64 side by side, in one run.

Every measure runs on both emulators with QEMU's oracle command line (virt,
-bios none, -S, -nodefaults, -qtest stdio):
  start-up    time from spawn to the reply of the first command (median of
              --starts runs), and the spawn floor: /bin/echo spawned and one
              line read, the least any process can take here;
  throughput  replies per second for --commands commands written at once
              over stdio (best of --rounds runs, alternating between the two
              emulators: other load only ever slows a run down), for two mixes:
                ram     RAM writes and reads with some device register reads;
                device  reads and writes of UART (0x10000000), PLIC
                        (0x0c000000) and CLINT (0x02000000) registers that are
                        safe to hammer (scratch, enables, priorities,
                        threshold, claim, msip 0, mtimecmp, mtime);
              each with the log off (-qtest-log none) and on (-qtest-log FILE,
              a file in a temporary directory, as libqtest passes).
Also checks that both emulators send the same replies for each mix (the
goldfish RTC's time reads in the RAM mix aside: they read host time).
Ratios are Tern/QEMU (higher is better for Tern).  Usage:
  python3 bench/qtest-bench.py [--tern build/tern] [--qemu qemu-system-riscv64]
"""
import argparse
import os
import random
import statistics
import subprocess
import tempfile
import threading
import time

ARGS = ["-M", "virt", "-bios", "none", "-S", "-display", "none", "-nodefaults",
        "-qtest", "stdio"]


def ram_mix(n, seed=1):
    """RAM writes and reads (70%), UART/PLIC/CLINT/fw_cfg/ROM register reads (30%)."""
    rng = random.Random(seed)
    regs = ["readl 0x10000005", "readl 0xc000004", "readq 0x200bff8", "readl 0x2000000",
            "readw 0x10100000", "readl 0x101000", "readl 0x1000"]
    out = []
    for _ in range(n):
        r = rng.random()
        addr = 0x80000000 + 8 * rng.randrange(1 << 16)
        if r < 0.35:
            out.append(f"writeq 0x{addr:x} 0x{rng.getrandbits(64):x}")
        elif r < 0.7:
            out.append(f"readq 0x{addr:x}")
        else:
            out.append(rng.choice(regs))
    return ("\n".join(out) + "\n").encode()


def device_mix(n, seed=2):
    """UART, PLIC and CLINT registers only, reads and writes about evenly."""
    rng = random.Random(seed)
    ops = [
        lambda: "readb 0x10000005",                                # UART LSR
        lambda: f"writeb 0x10000007 0x{rng.randrange(256):x}",     # UART scratch
        lambda: "readb 0x10000007",
        lambda: "writeb 0x10000001 0x0",                           # UART IER: all off
        lambda: "readb 0x10000002",                                # UART IIR
        lambda: f"writel 0xc{4 * rng.randrange(1, 96):06x} 0x{rng.randrange(8):x}",  # priority
        lambda: f"readl 0xc{4 * rng.randrange(1, 96):06x}",
        lambda: "readl 0xc001000",                                 # PLIC pending
        lambda: f"writel 0xc002000 0x{rng.getrandbits(32) & ~1:x}",  # enables, hart 0 M
        lambda: "readl 0xc002000",
        lambda: f"writel 0xc200000 0x{rng.randrange(8):x}",        # threshold
        lambda: "readl 0xc200004",                                 # claim (nothing pending)
        lambda: "writel 0x2000000 0x0",                            # CLINT msip 0
        lambda: "readl 0x2000000",
        lambda: "writeq 0x2004000 0xffffffffffffffff",             # mtimecmp: never
        lambda: "readq 0x200bff8",                                 # mtime
    ]
    return ("\n".join(rng.choice(ops)() for _ in range(n)) + "\n").encode()


def startup(binary, extra):
    t0 = time.perf_counter()
    p = subprocess.Popen([binary] + ARGS + ["-qtest-log", "none"] + extra,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
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


def throughput(binary, extra, data, n, log):
    """Sends all n commands at once from a thread; returns (replies/s, the replies)."""
    p = subprocess.Popen([binary] + ARGS + ["-qtest-log", log] + extra, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
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
    replies = []
    while got < n:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        got += chunk.count(b"\n")
        replies.append(chunk)
    t1 = time.perf_counter()
    w.join()
    p.terminate()  # a clean exit: QEMU's stdio-buffered log reaches its file
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    assert got == n, f"{binary}: {got} of {n} replies"
    if log != "none":
        with open(log, "rb") as f:
            lines = f.read().count(b"\n")
        assert lines >= 2 * n, f"{binary}: {lines} log lines for {n} commands"
    return n / (t1 - t0), b"".join(replies)


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--tern", default=os.path.join(here, "..", "build", "tern"))
    ap.add_argument("--qemu", default="qemu-system-riscv64")
    ap.add_argument("--commands", type=int, default=100000)
    ap.add_argument("--starts", type=int, default=31)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    emulators = [("tern", a.tern, ["-nouserconfig"]), ("qemu", a.qemu, [])]
    mixes = [("ram", ram_mix(a.commands)), ("device", device_mix(a.commands))]
    tmp = tempfile.mkdtemp(prefix="qtest-bench-")

    # Start-up: the two emulators and the floor interleaved, so load changes hit all alike.
    st = {"tern": [], "qemu": [], "floor": []}
    for _ in range(a.starts):
        for name, binary, extra in emulators:
            st[name].append(startup(binary, extra))
        st["floor"].append(spawn_floor())
    med = {k: statistics.median(v) for k, v in st.items()}
    rows = [("start-up to first reply, spawned (ms)", med["tern"] * 1e3, med["qemu"] * 1e3,
             med["qemu"] / med["tern"])]

    same = {}
    for mix, data in mixes:
        for log in ("off", "on"):
            # Rounds alternate between the emulators, so a change of load hits both alike.
            runs = {name: [] for name, _, _ in emulators}
            for r in range(a.rounds):
                for name, binary, extra in emulators:
                    path = "none" if log == "off" else os.path.join(tmp, f"{name}-{mix}-{r}.log")
                    runs[name].append(throughput(binary, extra, data, a.commands, path))
                    if path != "none":
                        os.unlink(path)
            tp = {name: max(x[0] for x in runs[name]) for name in runs}
            for name in runs:
                same.setdefault(mix, {}).setdefault(name, runs[name][0][1])
            rows.append((f"throughput {mix} mix, log {log} (replies/s)", tp["tern"], tp["qemu"],
                         tp["tern"] / tp["qemu"]))
    os.rmdir(tmp)

    print(f"{'measure':44} {'tern':>12} {'qemu':>12} {'tern/qemu':>10}")
    for label, t, q, ratio in rows:
        fmt = "{:12.2f}" if "ms" in label else "{:12,.0f}"
        print(f"{label:44} {fmt.format(t)} {fmt.format(q)} {ratio:9.1f}x")
    print(f"spawn floor: /bin/echo spawned, one line read: {med['floor'] * 1e3:.2f} ms; "
          f"tern start-up = {med['tern'] / med['floor']:.2f}x the floor "
          f"(target <= 2x: {'MET' if med['tern'] <= 2 * med['floor'] else 'NOT MET'}); "
          f"a process doing nothing would be {med['qemu'] / med['floor']:.0f}x QEMU at most")
    inproc = os.path.join(os.path.dirname(os.path.abspath(a.tern)), "bench",
                          "bench-inprocess-startup")
    if os.path.exists(inproc):
        us = float(subprocess.check_output([inproc, "201"]).decode())
        print(f"tern in-process start-up to first reply: {us:.0f} us")
    for mix, data in mixes:
        # The goldfish RTC (0x101000) reads host time: its replies are left out.
        cmds = data.split(b"\n")
        t, q = (same[mix][k].split(b"\n") for k in ("tern", "qemu"))
        diff = [i for i in range(a.commands)
                if t[i] != q[i] and not cmds[i].startswith(b"readl 0x101000")]
        print(f"{mix} mix: tern and qemu replies "
              f"{'identical' if not diff else f'DIFFER on {len(diff)} commands'}"
              f"{' (RTC time reads aside)' if mix == 'ram' else ''}")
    st_ok = rows[0][3] >= 25
    st_possible = med["qemu"] / med["floor"] >= 25
    tp_ok = all(r[3] >= 10 for r in rows[1:])
    print(f"targets: start-up >= 25x {'MET' if st_ok else 'NOT MET'}"
          f"{'' if st_possible or st_ok else ' (out of reach here: the spawn floor alone is 1/' + format(med['qemu'] / med['floor'], '.0f') + ' of QEMU)'}; "
          f"start-up <= 2x the floor {'MET' if med['tern'] <= 2 * med['floor'] else 'NOT MET'}; "
          f"throughput >= 10x on every mix, log on and off {'MET' if tp_ok else 'NOT MET'}")


if __name__ == "__main__":
    main()
