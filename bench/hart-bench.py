#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""hart-bench.py - the hart's speed beside qemu-system-riscv64 (TCG), one run.

  hart-bench.py TERN QEMU WORKLOAD.ELF [--runs N]

Reports, as a Markdown table, for Tern and QEMU side by side:
  - the integer workload (bench/guest): wall time, MIPS (instructions from
    Tern's exact minstret, the same program on both), and the ratio;
  - time to the OpenSBI banner (-bios fw_dynamic.bin);
  - time to U-Boot's "Hit any key to stop autoboot" (fw_jump + S-mode U-Boot).
Each figure is the best of --runs (default 3) so a busy host counts less.
"""
import argparse
import os
import select
import subprocess
import sys
import time

OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic"
UBOOT_S = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"


def run_workload(emulator, elf):
    start = time.monotonic()
    out = subprocess.run([emulator, "-M", "virt", "-bios", "none", "-kernel", elf, "-nographic"],
                         stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    took = time.monotonic() - start
    if out.returncode != 0:
        sys.exit("%s: workload exited %d: %s" % (emulator, out.returncode, out.stderr.decode()))
    fields = dict(line.split() for line in out.stdout.decode().splitlines() if line.strip())
    return took, fields["checksum"], int(fields["instret"], 16)


def time_to_text(argv, text):
    """Seconds from spawning argv until text appears on its console."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    seen = b""
    try:
        while text.encode() not in seen:
            left = start + 120 - time.monotonic()
            if left <= 0:
                sys.exit("%s: no %r within 120 s" % (argv[0], text))
            ready, _, _ = select.select([proc.stdout], [], [], left)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    sys.exit("%s: console closed before %r" % (argv[0], text))
                seen += chunk
        return time.monotonic() - start
    finally:
        proc.kill()
        proc.wait()


def best(fn, runs):
    return min(fn() for _ in range(runs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tern")
    ap.add_argument("qemu")
    ap.add_argument("workload")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()

    t_results = [run_workload(a.tern, a.workload) for _ in range(a.runs)]
    q_results = [run_workload(a.qemu, a.workload) for _ in range(a.runs)]
    t_time, t_sum, insns = min(t_results)
    q_time, q_sum, _ = min(q_results)
    if t_sum != q_sum:
        sys.exit("checksums differ: Tern %s, QEMU %s" % (t_sum, q_sum))
    t_mips, q_mips = insns / t_time / 1e6, insns / q_time / 1e6

    board = ["-M", "virt", "-m", "256M", "-nographic", "-smp", "1"]
    sbi = board + ["-bios", OPENSBI + "/fw_dynamic.bin"]
    uboot = board + ["-bios", OPENSBI + "/fw_jump.bin", "-kernel", UBOOT_S]
    t_sbi = best(lambda: time_to_text([a.tern] + sbi, "OpenSBI v"), a.runs)
    q_sbi = best(lambda: time_to_text([a.qemu] + sbi, "OpenSBI v"), a.runs)
    t_ub = best(lambda: time_to_text([a.tern] + uboot, "Hit any key to stop autoboot"), a.runs)
    q_ub = best(lambda: time_to_text([a.qemu] + uboot, "Hit any key to stop autoboot"), a.runs)

    print("| measure | Tern | QEMU TCG | Tern / QEMU |")
    print("|---|---|---|---|")
    print("| workload: %d instructions, wall time | %.3f s | %.3f s | %.2f |"
          % (insns, t_time, q_time, t_time / q_time))
    print("| workload speed | %.0f MIPS | %.0f MIPS | %.2f |" % (t_mips, q_mips, t_mips / q_mips))
    print("| to the OpenSBI banner | %.1f ms | %.1f ms | %.2f |"
          % (t_sbi * 1e3, q_sbi * 1e3, t_sbi / q_sbi))
    print("| to U-Boot's autoboot prompt | %.1f ms | %.1f ms | %.2f |"
          % (t_ub * 1e3, q_ub * 1e3, t_ub / q_ub))
    print()
    print("speed ratio %.2f (target >= 0.5); OpenSBI banner %s; U-Boot prompt %s"
          % (t_mips / q_mips, "sooner" if t_sbi < q_sbi else "later",
             "sooner" if t_ub < q_ub else "later"))


if __name__ == "__main__":
    main()
