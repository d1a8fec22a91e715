#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What the trace points cost when they are off (docs/trace.md, "Cost"): qtest throughput of a
# command mix dominated by device registers (UART, PLIC, CLINT, RTC, virtio-mmio: every access
# passes a trace point) and of a RAM mix, on a build with the events compiled in but all off
# (build/) and one with -Dtrace=false (build-notrace/, configured here if missing); then the
# first build with every event on, written to /dev/null, for scale.  Median of ROUNDS runs of
# COMMANDS commands each, sent at once over -qtest stdio with the qtest log off; the two builds
# alternate so that the machine's load hits both alike.  Prints a markdown table.  Not a test:
# the figures depend on the host and its load.
# Usage: bash bench/trace-bench.sh [COMMANDS [ROUNDS]]
set -euo pipefail
cd "$(dirname "$0")/.." || exit 1
commands=${1:-100000}
rounds=${2:-5}

if [ ! -f build-notrace/build.ninja ]; then
    meson setup build-notrace -Dtrace=false -Dtests=false >/dev/null
fi
ninja -C build tern >/dev/null
ninja -C build-notrace tern >/dev/null

python3 - "$commands" "$rounds" <<'EOF'
import os, random, statistics, subprocess, sys, threading, time

n, rounds = int(sys.argv[1]), int(sys.argv[2])
ARGS = ["-M", "virt", "-bios", "none", "-S", "-display", "none", "-nodefaults",
        "-qtest", "stdio", "-qtest-log", "none"]
REGS = ["readb 0x10000005", "writeb 0x10000007 0x5a", "readb 0x10000007", "readl 0xc000028",
        "writel 0xc000028 0x1", "readl 0xc200004", "readq 0x200bff8", "readl 0x2000000",
        "writeq 0x2004000 0xffffffff", "readl 0x101000", "readl 0x10001000", "readl 0x10001070"]


def mix(kind, seed=1):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        if kind == "registers":
            out.append(rng.choice(REGS))
        else:
            addr = 0x80000000 + 8 * rng.randrange(1 << 16)
            out.append(f"writeq 0x{addr:x} 0x{rng.getrandbits(64):x}" if rng.random() < 0.5
                       else f"readq 0x{addr:x}")
    return ("\n".join(out) + "\n").encode()


def run(binary, data, extra):
    """Start-up excluded: the clock runs from the first command to the last reply."""
    p = subprocess.Popen([binary] + ARGS + extra, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, bufsize=0)
    p.stdin.write(b"endianness\n")
    first = b""
    while not first.endswith(b"\n"):
        first += p.stdout.read(1)
    t0 = time.perf_counter()
    w = threading.Thread(target=p.stdin.write, args=(data,))
    w.start()
    got = 0
    while got < n:
        chunk = os.read(p.stdout.fileno(), 1 << 20)
        if not chunk:
            break
        got += chunk.count(b"\n")
    t1 = time.perf_counter()
    w.join()
    p.kill()  # tern keeps running after its qtest client goes
    p.wait()
    assert got == n, f"{binary}: {got} of {n} replies"
    return n / (t1 - t0)


builds = [("compiled in, all off", "build/tern", []),
          ("compiled out (-Dtrace=false)", "build-notrace/tern", []),
          ("compiled in, all on (to /dev/null)", "build/tern", ["-trace", "*", "-D", "/dev/null"])]
print(f"| build | device-register mix (cmd/s) | RAM mix (cmd/s) |")
print(f"|---|---|---|")
results = {}
for kind in ("registers", "ram"):
    data = mix(kind)
    samples = {name: [] for name, _, _ in builds}
    for _ in range(rounds):
        for name, binary, extra in builds:
            samples[name].append(run(binary, data, extra))
    for name in samples:
        results.setdefault(name, {})[kind] = statistics.median(samples[name])
for name, _, _ in builds:
    r = results[name]
    print(f"| {name} | {r['registers']:,.0f} | {r['ram']:,.0f} |")
off, out = results[builds[0][0]], results[builds[1][0]]
for kind in ("registers", "ram"):
    print(f"\n{kind} mix: events off costs {100 * (out[kind] - off[kind]) / out[kind]:+.1f}% "
          f"of the compiled-out throughput", end="")
print()
EOF

# The same device-register mix, 20000 commands, counted in instructions under callgrind
# (deterministic, unlike the rates above): per command, start-up (an empty file) subtracted.
# The file ends with a sifive_test write that ends the run (tern outlives its qtest client).
if ! command -v valgrind >/dev/null; then
    echo "valgrind is not installed: no instruction counts" >&2
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'EOF2'
import random, sys
rng = random.Random(1)
REGS = ["readb 0x10000005", "writeb 0x10000007 0x5a", "readb 0x10000007", "readl 0xc000028",
        "writel 0xc000028 0x1", "readl 0xc200004", "readq 0x200bff8", "readl 0x2000000",
        "writeq 0x2004000 0xffffffff", "readl 0x101000", "readl 0x10001000", "readl 0x10001070"]
end = "writel 0x100000 0x5555\n"
open(sys.argv[1] + "/regs", "w").write("".join(rng.choice(REGS) + "\n" for _ in range(20000)) + end)
open(sys.argv[1] + "/empty", "w").write(end)
EOF2
count() {
    valgrind --tool=callgrind --callgrind-out-file="$work/out" "$1" -M virt -bios none -S \
        -display none -nodefaults -qtest stdio -qtest-log none <"$work/$2" 2>&1 >/dev/null |
        sed -n 's/.*Collected : //p'
}
echo
echo "| build | instructions per device-register command |"
echo "|---|---|"
for b in build build-notrace; do
    empty=$(count "$b/tern" empty)
    regs=$(count "$b/tern" regs)
    echo "| $b | $(( (regs - empty) / 20000 )).$(( (regs - empty) % 20000 * 10 / 20000 )) |"
done
