#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""record-boots.py - records the boot traces of corpora/regress/boot with
`tern -record`, the console driven as a person would (docs/replay.md,
"The regression corpus").

  record-boots.py TERN [CASE...]     (default: every case; writes CASE.trace here)

Each case waits for console text, types keys (one at a time, a few ms
apart), and ends the run the way the case says: OpenSBI without a kernel
never ends by itself, so its recording is ended by SIGTERM once the banner
is complete (the trace then ends with `signal 15`); U-Boot is told
`poweroff`.  The recorded positions depend on when the keys arrived, so two
recordings differ; either one replays byte for byte.  Re-record when a
behaviour change is intended, read the diff, commit.
"""
import os
import select
import signal
import subprocess
import sys
import time

OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic"
UBOOT_S = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
WAIT = 120.0
HERE = os.path.dirname(os.path.abspath(__file__))
BOARD = ["-M", "virt", "-m", "256M", "-smp", "1", "-nographic"]


class Recording:
    def __init__(self, tern, name, args):
        self.trace = os.path.join(HERE, name + ".trace")
        self.proc = subprocess.Popen([tern, "-record", self.trace] + BOARD + args,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.text = b""
        self.seen = 0

    def wait_for(self, needle):
        needle = needle.encode()
        end = time.monotonic() + WAIT
        while True:
            pos = self.text.find(needle, self.seen)
            if pos >= 0:
                self.seen = pos + len(needle)
                return
            left = end - time.monotonic()
            if left <= 0:
                raise SystemExit("%s: no %r within %gs; the console has:\n%s"
                                 % (self.trace, needle.decode(), WAIT, self.text.decode()))
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    raise SystemExit("%s: the console closed before %r" % (self.trace, needle))
                self.text += chunk

    def type(self, keys):
        for ch in keys:
            self.proc.stdin.write(ch.encode())
            self.proc.stdin.flush()
            time.sleep(0.005)

    def end(self, sig=None):
        if sig:
            self.proc.send_signal(sig)
        status = self.proc.wait(WAIT)
        print("%s: exit %d" % (os.path.basename(self.trace), status))
        return status


def case_opensbi_banner(tern):
    """fw_dynamic.bin, no kernel: the whole banner, then SIGTERM."""
    rec = Recording(tern, "opensbi-banner", ["-bios", OPENSBI + "/fw_dynamic.bin"])
    rec.wait_for("OpenSBI v")
    rec.wait_for("Boot HART MEDELEG")
    rec.wait_for("\n")
    rec.end(signal.SIGTERM)


def case_uboot_smode(tern):
    """fw_jump.bin and S-mode U-Boot: stop autoboot, version, poweroff (exit 0)."""
    rec = Recording(tern, "uboot-smode", ["-bios", OPENSBI + "/fw_jump.bin", "-kernel", UBOOT_S])
    rec.wait_for("Hit any key to stop autoboot")
    rec.type(" ")
    rec.wait_for("=> ")
    rec.type("version\r")
    rec.wait_for("U-Boot 20")
    rec.wait_for("=> ")
    rec.type("poweroff\r")
    if rec.end() != 0:
        raise SystemExit("uboot-smode: poweroff did not end with status 0")


CASES = {"opensbi-banner": case_opensbi_banner, "uboot-smode": case_uboot_smode}


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: record-boots.py TERN [CASE...]")
    for name in sys.argv[2:] or CASES:
        CASES[name](sys.argv[1])


if __name__ == "__main__":
    main()
