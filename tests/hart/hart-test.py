#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""hart-test.py - the interp accelerator through the tern program, as a user
runs it: determinism, -smp, virtual time, -S and QMP stop/cont, -d logging,
and guests that try to break it.

  hart-test.py TERN GUEST_DIR GROUP     (TAP on stdout, one line per case)

GUEST_DIR holds the guest ELFs tests/hart/meson.build builds from guest/.
GROUP is one of determinism, smp, time, qmp, log, robust, random.  The environment
names the tools: HART_OBJDUMP, HART_NM (riscv64-unknown-elf binutils),
HART_QEMU (qemu-system-riscv64, the reference for -d int), HART_CPU_H
(cpu/cpu.h, for RV_ICOUNT_SHIFT_DEFAULT).  A missing tool or image is a
failure, not a skip.  Every wait has a time limit and no process is left
behind.
"""
import json
import os
import random
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

TERN = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "tern"
GUESTS = sys.argv[2] if len(sys.argv) > 2 else "."
OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic"
UBOOT_S = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
LIMIT = 30.0  # seconds any one run may take
SANITIZER_MARKS = (b"AddressSanitizer", b"LeakSanitizer", b"UndefinedBehaviorSanitizer",
                   b"runtime error:", b"tern: ERROR")


# ---- helpers --------------------------------------------------------------------------------

def elf(name):
    path = os.path.join(GUESTS, name + ".elf")
    if not os.path.exists(path):
        raise AssertionError("guest program %s is missing (build it first)" % path)
    return os.path.abspath(path)


def tool(var, default):
    path = shutil.which(os.environ.get(var, default))
    if path is None:
        raise AssertionError("%s (%s) not found: CI installs it" % (var, default))
    return path


def machine(*extra):
    return [TERN, "-M", "virt", "-bios", "none", "-nographic"] + list(extra)


def check_clean(stderr):
    for mark in SANITIZER_MARKS:
        if mark in stderr:
            raise AssertionError("tern reported %r:\n%s" % (mark.decode(), stderr.decode(errors="replace")))


def run(argv, stdin=None, limit=LIMIT, cwd=None):
    """Runs argv to its end; returns (status, stdout, stderr).  stdin: a path or None."""
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    try:
        proc = subprocess.run(argv, stdin=fin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=limit, cwd=cwd)
    except subprocess.TimeoutExpired as e:
        raise AssertionError("%s: no exit within %gs; output so far:\n%s"
                             % (" ".join(argv), limit, (e.stdout or b"").decode(errors="replace")))
    finally:
        if stdin:
            fin.close()
    check_clean(proc.stderr)
    return proc.returncode, proc.stdout, proc.stderr


def run_ok(argv, stdin=None, status=0, limit=LIMIT):
    """run() that requires the given exit status; returns the console output as text."""
    rc, out, err = run(argv, stdin, limit)
    if rc != status:
        raise AssertionError("%s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s"
                             % (" ".join(argv), rc, status, out.decode(errors="replace"),
                                err.decode(errors="replace")))
    return out.decode(errors="replace")


def symbols(path):
    out = subprocess.run([tool("HART_NM", "riscv64-unknown-elf-nm"), path],
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def objdump(path):
    """{address: (encoding hex as objdump prints it, mnemonic)} for the ELF's code."""
    out = subprocess.run([tool("HART_OBJDUMP", "riscv64-unknown-elf-objdump"), "-d",
                          "-M", "no-aliases", path],
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    insns = {}
    for line in out.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+([0-9a-f]{4}|[0-9a-f]{8})\s+(\S+)", line)
        if m:
            insns[int(m.group(1), 16)] = (m.group(2), m.group(3))
    return insns


def field(text, name):
    """The decimal after 'name ' on its line of the guest's output."""
    m = re.search(r"^%s (\d+)\b" % re.escape(name), text, re.M)
    if not m:
        raise AssertionError("no '%s N' line in the output:\n%s" % (name, text))
    return int(m.group(1))


def same(a, b, what):
    if a != b:
        al, bl = a.splitlines(), b.splitlines()
        for i, (x, y) in enumerate(zip(al, bl)):
            if x != y:
                raise AssertionError("%s differ first at line %d:\n  %r\n  %r" % (what, i + 1, x, y))
        raise AssertionError("%s differ in length: %d and %d lines" % (what, len(al), len(bl)))


class Proc:
    """A tern running in the background, its console read as it comes."""

    def __init__(self, argv, stdin=subprocess.DEVNULL):
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.out = b""
        self.err = b""
        self.seen = 0

    def pump(self, seconds):
        """Reads what comes within seconds; returns False at end of output."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return True
            ready, _, _ = select.select([self.proc.stdout, self.proc.stderr], [], [], left)
            if not ready:
                return True
            for f in ready:
                chunk = os.read(f.fileno(), 65536)
                if f is self.proc.stderr:
                    self.err += chunk
                elif not chunk:
                    return False
                else:
                    self.out += chunk

    def wait_for(self, needle, limit=LIMIT):
        needle = needle.encode() if isinstance(needle, str) else needle
        end = time.monotonic() + limit
        while True:
            pos = self.out.find(needle, self.seen)
            if pos >= 0:
                self.seen = pos + len(needle)
                return
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("no %r within %gs; console:\n%s"
                                     % (needle, limit, self.out.decode(errors="replace")))
            if not self.pump(min(left, 0.5)) and self.out.find(needle, self.seen) < 0:
                raise AssertionError("console closed (exit %s) before %r; console:\n%s"
                                     % (self.proc.poll(), needle,
                                        self.out.decode(errors="replace")))

    def finish(self, limit=LIMIT):
        """Reads to the end and waits for the exit; returns the status."""
        end = time.monotonic() + limit
        while self.pump(0.2):
            if time.monotonic() > end:
                raise AssertionError("%s: no exit within %gs" % (" ".join(self.argv), limit))
        try:
            rc = self.proc.wait(max(0.1, end - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise AssertionError("%s: no exit within %gs" % (" ".join(self.argv), limit))
        self.err += self.proc.stderr.read()
        check_clean(self.err)
        return rc

    def terminate(self, limit=10):
        """SIGTERM; returns the exit status (negative: killed by a signal)."""
        self.proc.send_signal(signal.SIGTERM)
        return self.finish(limit)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if f:
                f.close()


class QMP:
    def __init__(self, path, limit=LIMIT):
        end = time.monotonic() + limit
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > end:
                    raise AssertionError("cannot connect to the QMP socket %s" % path)
                time.sleep(0.05)
        self.sock.settimeout(limit)
        self.buf = b""
        greeting = self.read()
        if "QMP" not in greeting:
            raise AssertionError("QMP greeting expected, got %r" % greeting)
        self.execute("qmp_capabilities")

    def read(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise AssertionError("QMP connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def execute(self, cmd):
        self.sock.sendall(json.dumps({"execute": cmd}).encode() + b"\n")
        while True:
            msg = self.read()
            if "event" in msg:
                continue
            if "return" not in msg:
                raise AssertionError("%s: %r" % (cmd, msg))
            return msg["return"]

    def close(self):
        self.sock.close()


# ---- determinism ----------------------------------------------------------------------------

def trace_console(trace, chardev="serial0"):
    """The text a chardev's front end wrote, put back together from a trace's out lines."""
    text = ""
    for line in trace.splitlines():
        if line.startswith("out %s " % chardev) or line == "out %s" % chardev:
            piece = line[len("out %s " % chardev):]
            text += piece[:-2] if piece.endswith("\\c") else piece + "\n"
    return text


def record_twice(tmp, argv, stdin=None, status=0):
    """Runs argv with -record twice (same file name); returns both traces."""
    path = os.path.join(tmp, "run.trace")
    traces = []
    for _ in range(2):
        rc, out, err = run(argv + ["-record", path], stdin)
        if rc != status:
            raise AssertionError("exit status %d, want %d\n%s" % (rc, status, out.decode(errors="replace")))
        with open(path) as f:
            traces.append(f.read())
        os.unlink(path)
    return traces


def case_record_smp_race_twice(tmp):
    """two recorded runs of a 4-hart amoadd race write identical traces with one final checkpoint"""
    a, b = record_twice(tmp, machine("-smp", "4", "-kernel",
                                     elf("harts-append-their-ids-with-amoadd")))
    same(a, b, "the traces")
    checkpoints = re.findall(r"^checkpoint ([0-9a-f]+)$", a, re.M)
    if len(checkpoints) != 1 or len(checkpoints[0]) < 32:
        raise AssertionError("want one checkpoint digest, got %r" % checkpoints)
    if not re.search(r"^exit 0$", a, re.M):
        raise AssertionError("the trace does not end with exit 0:\n" + a[-500:])
    console = trace_console(a)
    if not re.search(r"^runs \d+ hash 0x[0-9a-f]{16}$", console, re.M):
        raise AssertionError("the trace lacks the console output:\n" + console)


def case_record_console_input_twice(tmp):
    """console input from a file: two recorded runs give identical traces and the same echo"""
    text = "determinism from a file\n"
    inp = os.path.join(tmp, "input.txt")
    with open(inp, "w") as f:
        f.write(text)
    argv = machine("-kernel", elf("echoes-console-input-in-capitals"))
    a, b = record_twice(tmp, argv, stdin=inp)
    same(a, b, "the traces")
    if not re.search(r"^in serial0 d", a, re.M) or not re.search(r"^icount \d+$", a, re.M):
        raise AssertionError("the trace lacks the console input and its position:\n" + a[:3000])
    out1 = run_ok(argv, stdin=inp)
    out2 = run_ok(argv, stdin=inp)
    same(out1, out2, "the console outputs")
    if "echo: " + text.strip().upper() + "\n" not in out1:
        raise AssertionError("no echo of the input in:\n" + out1)


def replay_ok(tmp, name, argv, stdin=None):
    replay = os.path.join(os.path.dirname(TERN), "tern-replay")
    if not os.path.exists(replay):
        raise AssertionError("%s is missing" % replay)
    path = os.path.join(tmp, name + ".trace")
    run_ok(argv + ["-record", path], stdin=stdin)
    rc, out, err = run([replay, "--tap", path])
    if rc != 0 or b"not ok" in out:
        raise AssertionError("tern-replay failed (%d):\n%s%s" % (rc, out.decode(errors="replace"),
                                                                err.decode(errors="replace")))


def case_replay_of_recorded_smp_run(tmp):
    """tern-replay replays a recorded 4-hart run: outputs, checkpoint and exit match"""
    replay_ok(tmp, "smp", machine("-smp", "4", "-kernel", elf("harts-append-their-ids-with-amoadd")))


def case_replay_of_recorded_console_input(tmp):
    """tern-replay replays a recorded run that read console input at recorded instructions"""
    inp = os.path.join(tmp, "input.txt")
    with open(inp, "w") as f:
        f.write("replay me\n")
    replay_ok(tmp, "echo", machine("-kernel", elf("echoes-console-input-in-capitals")), stdin=inp)


def case_logs_identical(tmp):
    """two runs with -d in_asm,int -D FILE write identical logs (1 hart with traps, and 4 harts)"""
    for name, extra in (("logs-a-loop-three-traps-and-an-interrupt", []),
                        ("harts-append-their-ids-with-amoadd", ["-smp", "4"])):
        logs = []
        for i in range(2):
            log = os.path.join(tmp, "%s.%d.log" % (name, i))
            run_ok(machine(*extra, "-kernel", elf(name), "-d", "in_asm,int", "-D", log))
            with open(log) as f:
                logs.append(f.read())
        same(logs[0], logs[1], "the logs of " + name)
        if len(logs[0].splitlines()) < 20:
            raise AssertionError("the log of %s is too short to mean anything:\n%s" % (name, logs[0]))


def case_smp_race_same_every_run(tmp):
    """a 4-hart race prints the same interleaving on every one of three runs"""
    argv = machine("-smp", "4", "-kernel", elf("harts-append-their-ids-with-amoadd"))
    outs = [run_ok(argv) for _ in range(3)]
    same(outs[0], outs[1], "runs 1 and 2")
    same(outs[0], outs[2], "runs 1 and 3")
    if field(outs[0], "runs") < 5:
        raise AssertionError("the harts did not interleave:\n" + outs[0])


# ---- smp ------------------------------------------------------------------------------------

def case_ipi_wakes_harts(tmp):
    """harts 1 to 3 sleep in WFI until hart 0's CLINT IPI, wake once each and report in order"""
    out = run_ok(machine("-smp", "4", "-kernel", elf("harts-wake-from-wfi-on-an-ipi")))
    for h in (1, 2, 3):
        if "hart %d woke by IPI after 1 WFI return(s)\n" % h not in out:
            raise AssertionError("hart %d did not report one wake-up:\n%s" % (h, out))
    if "hart 0: woken in order 1 2 3\n" not in out:
        raise AssertionError("hart 0's summary is missing or out of order:\n" + out)


def case_harts_take_turns(tmp):
    """4 harts run in turns in hart-id order and all finish the same work"""
    out = run_ok(machine("-smp", "4", "-kernel", elf("harts-append-their-ids-with-amoadd")))
    runs = [(int(h), int(n)) for h, n in re.findall(r"^run (\d) (\d+)$", out, re.M)]
    counts = [field(out, "hart %d appended" % h) for h in range(4)]
    if len(set(counts)) != 1 or counts[0] == 0:
        raise AssertionError("unequal progress %r:\n%s" % (counts, out))
    if sum(n for _, n in runs) != sum(counts):
        raise AssertionError("the runs do not cover the buffer:\n" + out)
    if len(runs) != field(out, "runs") or len(runs) < 8:
        raise AssertionError("want several turns each:\n" + out)
    for (h, _), (nh, _) in zip(runs, runs[1:]):
        if nh != (h + 1) % 4:
            raise AssertionError("hart %d followed hart %d: not hart-id order:\n%s" % (nh, h, out))
    if runs[0][0] != 0:
        raise AssertionError("hart 0 did not go first:\n" + out)


def case_harts_sleep_on_timers(tmp):
    """4 harts asleep on their own timers 1..4 virtual s ahead wake at their deadlines, warped"""
    argv = machine("-smp", "4", "-kernel", elf("harts-sleep-until-their-own-timers"))
    t0 = time.monotonic()
    out = run_ok(argv)
    took = time.monotonic() - t0
    rows = [tuple(int(v) for v in r)
            for r in re.findall(r"^hart (\d) deadline (\d+) woke (\d+)$", out, re.M)]
    if [r[0] for r in rows] != [0, 1, 2, 3]:
        raise AssertionError("want a line per hart:\n" + out)
    for h, deadline, woke in rows:
        if deadline != (h + 1) * 10**9 // MTIME_NS or not deadline <= woke <= deadline + 100:
            raise AssertionError("hart %d: deadline %d, woke at %d\n%s" % (h, deadline, woke, out))
    if took > 5:
        raise AssertionError("4 virtual seconds took %.1f s of host time: no warp" % took)
    same(out, run_ok(argv), "two runs")


def need_file(path):
    if not os.path.exists(path):
        raise AssertionError("%s is missing (CI installs opensbi and u-boot-qemu)" % path)
    return path


def case_opensbi_smp2(tmp):
    """OpenSBI with -smp 2 counts 2 harts, boots on hart 0 and lists both in its domain"""
    fw = need_file(os.path.join(OPENSBI, "fw_dynamic.bin"))
    p = Proc([TERN, "-M", "virt", "-m", "256M", "-nographic", "-smp", "2", "-bios", fw],
             stdin=subprocess.PIPE)
    try:
        p.wait_for("OpenSBI v")
        p.wait_for("Platform HART Count")
        p.wait_for("Boot HART Base ISA")
        text = p.out.decode(errors="replace")
        for pattern in (r"Platform HART Count\s*: 2\r?\n", r"Domain0 HARTs\s*: 0\*,1\*\r?\n",
                        r"Boot HART ID\s*: 0\r?\n"):
            if not re.search(pattern, text):
                raise AssertionError("no match for %r in:\n%s" % (pattern, text))
    finally:
        p.close()


def case_uboot_smp2(tmp):
    """fw_jump and S-mode U-Boot with -smp 2 reach the prompt and answer a command"""
    fw = need_file(os.path.join(OPENSBI, "fw_jump.bin"))
    p = Proc([TERN, "-M", "virt", "-m", "256M", "-nographic", "-smp", "2", "-bios", fw,
              "-kernel", need_file(UBOOT_S)], stdin=subprocess.PIPE)
    try:
        p.wait_for("Platform HART Count       : 2")
        p.wait_for("Hit any key to stop autoboot")
        p.proc.stdin.write(b"\r")
        p.proc.stdin.flush()
        p.wait_for("=>")
        for ch in b"version\r":
            p.proc.stdin.write(bytes([ch]))
            p.proc.stdin.flush()
            time.sleep(0.002)
        p.wait_for("U-Boot 20")
        p.wait_for("=>")
    finally:
        p.close()


# ---- virtual time ---------------------------------------------------------------------------

def default_shift():
    path = os.environ.get("HART_CPU_H") or os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                        "..", "..", "cpu", "cpu.h")
    with open(path) as f:
        m = re.search(r"#define RV_ICOUNT_SHIFT_DEFAULT (\d+)", f.read())
    if not m:
        raise AssertionError("no RV_ICOUNT_SHIFT_DEFAULT in " + path)
    return int(m.group(1))


MTIME_NS = 100  # the virt board's mtime runs at 10 MHz


def time_run(shift):
    extra = [] if shift is None else ["-icount", "shift=%d" % shift]
    out = run_ok(machine(*extra, "-kernel", elf("time-follows-instructions")))
    return out, field(out, "insns"), field(out, "time"), field(out, "mtime")


def case_icount_shift_scales_time(tmp):
    """-icount shift=N: the same instructions run and time and mtime move insns * 2^N ns"""
    base = None
    for shift in (0, 1, 2, 5, 10):  # 10: VL_MAX_ICOUNT_SHIFT
        out, insns, t, mt = time_run(shift)
        if base is None:
            base = insns
        elif insns != base:
            raise AssertionError("shift %d ran %d instructions, shift 0 ran %d" % (shift, insns, base))
        # The reads sit a few instructions outside the counted stretch: allow 4 each side.
        for what, ticks in (("time", t), ("mtime", mt)):
            lo = ((insns - 4) << shift) // MTIME_NS
            hi = ((insns + 4) << shift) // MTIME_NS + 1
            if not lo <= ticks <= hi:
                raise AssertionError("shift %d: %s moved %d ticks over %d instructions; want %d..%d"
                                     % (shift, what, ticks, insns, lo, hi))
        if shift and not abs(t - (time_run_cache(0) << shift)) <= (1 << shift) + 4:
            raise AssertionError("shift %d: %d ticks is not 2^%d times shift 0's" % (shift, t, shift))


_cache = {}


def time_run_cache(shift):
    if shift not in _cache:
        _cache[shift] = time_run(shift)[2]
    return _cache[shift]


def case_default_shift(tmp):
    """without -icount time moves as with shift=RV_ICOUNT_SHIFT_DEFAULT (cpu/cpu.h)"""
    shift = default_shift()
    plain = time_run(None)[0]
    explicit = time_run(shift)[0]
    same(plain, explicit, "the outputs without -icount and with shift=%d" % shift)
    if shift + 1 <= 10:
        other = time_run(shift + 1)[0]
        if other == plain:
            raise AssertionError("shift %d gives the same output as the default" % (shift + 1))


def case_timer_fires_at_its_instruction(tmp):
    """a CLINT timer interrupt is taken at the instruction its deadline falls on, at every shift"""
    handler = 200  # instructions from taking the interrupt to the handler's minstret read, at most
    for shift in (0, 3, 10):
        out = run_ok(machine("-icount", "shift=%d" % shift,
                             "-kernel", elf("timer-interrupt-fires-at-its-instruction")))
        ticks, insns = field(out, "ticks"), field(out, "insns")
        # The mtime read stands somewhere in its 100 ns tick: up to one tick less to go.
        lo = ((ticks - 1) * MTIME_NS) >> shift
        hi = ((ticks * MTIME_NS) >> shift) + 1 + handler
        if not lo <= insns <= hi:
            raise AssertionError("shift %d: the interrupt came %d instructions after arming %d ticks "
                                 "ahead; want %d..%d" % (shift, insns, ticks, lo, hi))


def case_wfi_warps(tmp):
    """WFI with the timer 10 virtual seconds ahead returns at once in host time at the deadline"""
    t0 = time.monotonic()
    out = run_ok(machine("-kernel", elf("wfi-warps-to-a-timer-10-seconds-ahead")), limit=20)
    took = time.monotonic() - t0
    deadline, woke = field(out, "deadline"), field(out, "woke at")
    if not deadline <= woke <= deadline + 100:
        raise AssertionError("woke at %d for a deadline at %d (want the deadline, within 10 us)"
                             % (woke, deadline))
    if deadline < 10 * 10**9 // MTIME_NS:
        raise AssertionError("deadline %d is not 10 s ahead" % deadline)
    if field(out, "wfi returns") != 1:
        raise AssertionError("WFI returned before the timer:\n" + out)
    if took > 5:
        raise AssertionError("10 virtual seconds took %.1f s of host time: no warp" % took)


def case_host_speed_invisible(tmp):
    """pausing tern with SIGSTOP and loading the host do not change what the guest prints"""
    argv = machine("-kernel", elf("ticks-with-the-virtual-time"))
    plain = run_ok(argv)
    p = Proc(argv)
    try:
        for k in (3, 15, 30):
            p.wait_for("tick %d " % k)
            p.proc.send_signal(signal.SIGSTOP)
            time.sleep(0.2)
            p.proc.send_signal(signal.SIGCONT)
        rc = p.finish()
    finally:
        p.close()
    if rc != 0:
        raise AssertionError("exit status %d after SIGSTOP/SIGCONT" % rc)
    same(plain, p.out.decode(errors="replace"), "outputs with and without pauses")
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        loaded = run_ok(argv)
    finally:
        burner.kill()
        burner.wait()
    same(plain, loaded, "outputs with and without host load")


# ---- -S and QMP -----------------------------------------------------------------------------

def case_start_paused_until_cont(tmp):
    """-S: nothing runs until QMP cont; then the guest prints and tern exits with its status"""
    sock = os.path.join(tmp, "qmp.sock")
    log = os.path.join(tmp, "in_asm.log")
    p = Proc(machine("-S", "-qmp", "unix:%s,server=on,wait=off" % sock, "-kernel",
                     elf("prints-a-greeting-and-exits-with-status-42"), "-d", "in_asm", "-D", log))
    q = None
    try:
        q = QMP(sock)
        st = q.execute("query-status")
        if st.get("running") is not False or st.get("status") != "prelaunch":
            raise AssertionError("query-status before cont: %r" % st)
        p.pump(0.5)
        if p.out:
            raise AssertionError("the guest ran before cont: %r" % p.out)
        if p.proc.poll() is not None:
            raise AssertionError("tern exited before cont (%d)" % p.proc.returncode)
        if os.path.exists(log) and os.path.getsize(log):
            with open(log) as f:
                raise AssertionError("instructions ran before cont:\n" + f.read(2000))
        q.execute("cont")
        p.wait_for("hello from the guest\n")
        rc = p.finish()
        if rc != 42:
            raise AssertionError("exit status %d, want the guest's 42" % rc)
        with open(log) as f:
            if not f.read().startswith("0x0000000000001000:"):
                raise AssertionError("after cont the log does not start at the reset vector")
    finally:
        if q:
            q.close()
        p.close()


def first_ticks(argv, last):
    """The console of a run up to and including "tick <last>"'s line."""
    p = Proc(argv)
    try:
        p.wait_for("tick %d " % last)
        p.wait_for("\n")
        return p.out[:p.seen].decode(errors="replace")
    finally:
        p.close()


def case_stop_cont_mid_run(tmp):
    """QMP stop pauses a running guest (no output, status paused) and cont resumes it unchanged"""
    argv = machine("-kernel", elf("ticks-with-the-virtual-time-for-ever"))
    plain = first_ticks(argv, 12)
    sock = os.path.join(tmp, "qmp2.sock")
    p = Proc(argv + ["-qmp", "unix:%s,server=on,wait=off" % sock])
    q = None
    try:
        q = QMP(sock)
        p.wait_for("tick 3 ")
        q.execute("stop")
        st = q.execute("query-status")
        if st.get("running") is not False or st.get("status") != "paused":
            raise AssertionError("query-status after stop: %r" % st)
        p.pump(0.2)
        held = len(p.out)
        p.pump(0.5)
        if len(p.out) != held:
            raise AssertionError("the guest printed while stopped: %r" % p.out[held:])
        q.execute("cont")
        st = q.execute("query-status")
        if st.get("running") is not True or st.get("status") != "running":
            raise AssertionError("query-status after cont: %r" % st)
        p.wait_for("tick 12 ")
        p.wait_for("\n")
        resumed = p.out[:p.seen].decode(errors="replace")
        q.execute("quit")
        rc = p.finish()
    finally:
        if q:
            q.close()
        p.close()
    if rc != 0:
        raise AssertionError("exit status %d after quit" % rc)
    same(plain, resumed, "outputs with and without stop/cont")


def case_qmp_during_trap_loop(tmp):
    """QMP answers, stops, continues and quits while the guest traps in a loop"""
    sock = os.path.join(tmp, "qmp3.sock")
    p = Proc(machine("-kernel", elf("runs-into-a-trap-it-never-leaves-4"),
                     "-qmp", "unix:%s,server=on,wait=off" % sock))
    q = None
    try:
        q = QMP(sock)
        p.pump(0.3)
        for cmd, status in (("query-status", "running"), ("stop", "paused"),
                            ("cont", "running")):
            q.execute(cmd)
            st = q.execute("query-status")
            if st.get("status") != status:
                raise AssertionError("after %s: %r" % (cmd, st))
        q.execute("quit")
        rc = p.finish()
    finally:
        if q:
            q.close()
        p.close()
    if rc != 0:
        raise AssertionError("exit status %d after quit" % rc)


# ---- -d logging -----------------------------------------------------------------------------

def log_run(tmp, items, name="logs-a-loop-three-traps-and-an-interrupt", tern=None):
    log = os.path.join(tmp, "%s-%s.log" % (name, items.replace(",", "-")))
    rc, out, err = run((tern or machine)("-kernel", elf(name), "-d", items, "-D", log))
    if rc != 0:
        raise AssertionError("exit status %d:\n%s" % (rc, out.decode(errors="replace")))
    with open(log) as f:
        return f.read(), out.decode(errors="replace"), err.decode(errors="replace")


INSN_LINE = re.compile(r"^0x([0-9a-f]{16}):  ([0-9a-f]{4}|[0-9a-f]{8})  (.*)$")


def case_in_asm(tmp):
    """-d in_asm logs each executed instruction once, with its address, encoding and disassembly"""
    path = elf("logs-a-loop-three-traps-and-an-interrupt")
    log, _, _ = log_run(tmp, "in_asm")
    syms, code = symbols(path), objdump(path)
    seen = {}
    for line in log.splitlines():
        m = INSN_LINE.match(line)
        if not m:
            raise AssertionError("not an in_asm line: %r" % line)
        addr = int(m.group(1), 16)
        if addr in seen:
            raise AssertionError("0x%x logged twice:\n%s\n%s" % (addr, seen[addr], line))
        seen[addr] = line
        if not m.group(3).strip():
            raise AssertionError("no disassembly: %r" % line)
        if addr in code:
            enc = code[addr][0]
            if m.group(2) != enc:
                raise AssertionError("0x%x: encoding %s, the ELF has %s" % (addr, m.group(2), enc))
    body = syms["log_loop_body"]
    for addr in (0x1000, syms["_start"], body, syms["trap_entry"], syms["test_pass"]):
        if addr not in seen:
            raise AssertionError("0x%x was executed but not logged" % addr)
    # Four harts running the same code: it is decoded, and logged, once.
    log4, _, _ = log_run(tmp, "in_asm", "harts-append-their-ids-with-amoadd",
                         lambda *a: machine("-smp", "4", *a))
    addrs = [INSN_LINE.match(l).group(1) for l in log4.splitlines()]
    if len(addrs) != len(set(addrs)) or len(addrs) < 50:
        raise AssertionError("-smp 4: %d lines for %d addresses" % (len(addrs), len(set(addrs))))
    # The loop body: addi t1,t1,3 ran 100 times, logged once with its operands.
    if not re.search(r"\baddi\s+t1,\s*t1,\s*3\b", seen[body]):
        raise AssertionError("the loop body's disassembly: %r" % seen[body])


def case_in_asm_page_crossing(tmp):
    """-d in_asm logs an instruction that crosses a page once, though a loop runs it 10 times"""
    syms = symbols(elf("loops-over-an-instruction-that-crosses-a-page"))
    log, _, _ = log_run(tmp, "in_asm", "loops-over-an-instruction-that-crosses-a-page")
    lines = [l for l in log.splitlines() if l.startswith("0x%016x:" % syms["cross_insn"])]
    if (syms["cross_insn"] & 0xfff) != 0xffe:
        raise AssertionError("cross_insn at 0x%x does not cross a page" % syms["cross_insn"])
    if len(lines) != 1 or not lines[0].endswith(("t1,t1,1", "t1, t1, 1")):
        raise AssertionError("cross_insn logged %d times: %r" % (len(lines), lines[:3]))


def case_int_like_qemu(tmp):
    """-d int logs three exceptions and an interrupt in QEMU's format, line for line as QEMU does"""
    path = elf("logs-a-loop-three-traps-and-an-interrupt")
    syms = symbols(path)
    log, _, _ = log_run(tmp, "int")
    mine = [l for l in log.splitlines() if l.startswith("riscv_cpu_do_interrupt")]
    qemu = tool("HART_QEMU", "qemu-system-riscv64")
    qlog = os.path.join(tmp, "qemu-int.log")
    run([qemu, "-M", "virt", "-bios", "none", "-nographic", "-kernel", path, "-d", "int", "-D", qlog])
    with open(qlog) as f:
        expect = [l for l in f.read().splitlines() if l.startswith("riscv_cpu_do_interrupt")]
    # The reference must show the program's traps where the ELF puts them.
    want = [(0, 0xb, syms["log_ecall"], 0), (0, 0x5, syms["log_bad_load"], 0x2010000),
            (0, 0x2, syms["log_zero_word"], 0), (1, 0x3, syms["log_after_mie"], 0)]
    prefix = ["riscv_cpu_do_interrupt: hart:0, async:%d, cause:%016x, epc:0x%016x, tval:0x%016x, desc="
              % w for w in want]
    if len(expect) != len(want) or not all(e.startswith(p) for e, p in zip(expect, prefix)):
        raise AssertionError("qemu (the reference) logged, unexpectedly:\n" + "\n".join(expect))
    if mine != expect:
        raise AssertionError("tern logged:\n%s\nwant (as qemu):\n%s" % ("\n".join(mine), "\n".join(expect)))


def case_cpu_dump(tmp):
    """-d cpu dumps pc, mhartid and the 32 registers where blocks start (reset vector, each trap)"""
    path = elf("logs-a-loop-three-traps-and-an-interrupt")
    syms = symbols(path)
    log, _, _ = log_run(tmp, "cpu")
    dumps = re.split(r"(?m)^ pc\s+", log)[1:]
    if not dumps:
        raise AssertionError("no register dump:\n" + log[:2000])
    pcs, gps = [], []
    for d in dumps:
        pcs.append(int(d.split()[0], 16))
        regs = re.findall(r"x(\d+)\s*/\s*\S+\s+([0-9a-f]{16})", d)
        if [int(r) for r, _ in regs] != list(range(32)):
            raise AssertionError("a dump without x0..x31:\n" + d)
        if int(regs[0][1], 16) != 0 or not re.search(r"^ mhartid\s+0{16}$", d, re.M):
            raise AssertionError("x0 or mhartid wrong:\n" + d)
        gps.append(int(regs[3][1], 16))
    if pcs[0] != 0x1000:
        raise AssertionError("the first dump is at 0x%x, not the reset vector 0x1000" % pcs[0])
    # A trap ends a block: the next starts at the vector, with gp holding the case number (2..5).
    at_vector = [gp for pc, gp in zip(pcs, gps) if pc == syms["trap_entry"]]
    if at_vector != [2, 3, 4, 5]:
        raise AssertionError("dumps at trap_entry (0x%x) with gp %r, want [2, 3, 4, 5]; pcs: %s"
                             % (syms["trap_entry"], at_vector, [hex(p) for p in pcs]))


def case_guest_errors(tmp):
    """-d guest_errors names the unassigned address a load faulted on"""
    log, _, _ = log_run(tmp, "guest_errors")
    if not re.search(r"hart 0: load .*0x2010000\b", log):
        raise AssertionError("no load fault at 0x2010000 in:\n" + log)


def case_log_goes_to_file(tmp):
    """-D FILE receives the whole log: the console and stderr carry none of it"""
    log, out, err = log_run(tmp, "in_asm,int,cpu,guest_errors")
    for what in ("riscv_cpu_do_interrupt", "0x0000000000001000:", " pc ", "0x2010000"):
        if what not in log:
            raise AssertionError("%r missing from the log file" % what)
        if what in out or what in err:
            raise AssertionError("%r reached the console or stderr" % what)


# ---- robustness -----------------------------------------------------------------------------

def cpu_seconds(pid):
    """User + system CPU time of a running process (Linux /proc)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_then_term(argv, seconds, idle=False):
    """Runs argv for seconds (it must still be running), SIGTERM, returns the status.
    idle: it must use (almost) no CPU meanwhile."""
    p = Proc(argv)
    try:
        p.pump(0.2)  # start-up
        used = cpu_seconds(p.proc.pid)
        p.pump(seconds)
        if p.proc.poll() is not None:
            raise AssertionError("%s ended by itself (%d):\n%s"
                                 % (" ".join(argv), p.proc.returncode,
                                    (p.out + p.err).decode(errors="replace")))
        used = cpu_seconds(p.proc.pid) - used
        if idle and used > seconds / 4:
            raise AssertionError("%.2f s of CPU in %.2f s with every hart in WFI: not idle"
                                 % (used, seconds))
        return p.terminate(limit=3), p
    finally:
        p.close()


def case_edges_of_memory(tmp):
    """loads, an AMO, an LR and fetches at the edges of memory fault with the right cause and mtval"""
    run_ok(machine("-m", "128M", "-kernel", elf("faults-at-the-edges-of-memory")))


def robust_case(variant, what, idle=False, todo=None):
    def case(tmp):
        rc, p = run_then_term(machine("-kernel", elf("runs-into-a-trap-it-never-leaves-%d" % variant)),
                              0.3 if not idle else 1.0, idle)
        if rc != 0:
            raise AssertionError("exit status %d on SIGTERM, want 0\n%s"
                                 % (rc, p.err.decode(errors="replace")))
    case.__doc__ = "a guest that %s keeps tern running; SIGTERM ends it with status 0" % what
    if todo:
        case.todo = todo
    return case


RANDOM_MAJORS = [0x03, 0x07, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37, 0x3b, 0x43,
                 0x47, 0x4b, 0x4f, 0x53, 0x63, 0x67, 0x6f, 0x73]

# Put before random code: FS on, and a trap handler that skips 4 bytes and returns, so the random
# code runs on past its faults instead of trapping to mtvec 0 for ever.
#   lui t1, 6; csrs mstatus, t1; auipc t0, 0; addi t0, t0, 16; csrw mtvec, t0; j body
#   handler: csrr t2, mepc; addi t2, t2, 4; csrw mepc, t2; mret
SKIP_STUB = [0x00006337, 0x30032073, 0x00000297, 0x01028293, 0x30529073, 0x0140006f,
             0x341023f3, 0x00438393, 0x34139073, 0x30200073]


def random_image(seed, stub):
    rnd = random.Random(seed)
    if seed % 2:
        body = rnd.randbytes(64 * 1024)
    else:
        # Mostly well-formed 32-bit words: more of the decoder and the system instructions.
        words = [(rnd.getrandbits(25) << 7) | rnd.choice(RANDOM_MAJORS) for _ in range(16 * 1024)]
        body = b"".join(w.to_bytes(4, "little") for w in words)
    head = b"".join(w.to_bytes(4, "little") for w in SKIP_STUB) if stub else b""
    return head + body


def random_case(seeds, stub):
    def case(tmp):
        for seed in seeds:
            path = os.path.join(tmp, "random-%d.bin" % seed)
            with open(path, "wb") as f:
                f.write(random_image(seed, stub))
            p = Proc(machine("-smp", "2", "-kernel", path))
            try:
                p.pump(0.2)
                if p.proc.poll() is None:
                    rc = p.terminate(limit=3)
                    if rc != 0:
                        raise AssertionError("exit status %d on SIGTERM" % rc)
                else:
                    rc = p.finish()
                    if rc < 0 or rc > 255:
                        raise AssertionError("tern died of signal %d" % -rc)
            except AssertionError as e:
                raise AssertionError("seed %d: %s" % (seed, e))
            finally:
                p.close()
    case.__doc__ = ("random bytes as a raw -kernel image (seeds %d..%d%s) never crash tern"
                    % (seeds[0], seeds[-1], ", faults skipped" if stub else ""))
    return case


# ---- the runner -----------------------------------------------------------------------------

GROUPS = {
    "determinism": [case_record_smp_race_twice, case_record_console_input_twice,
                    case_replay_of_recorded_smp_run, case_replay_of_recorded_console_input,
                    case_logs_identical,
                    case_smp_race_same_every_run],
    "smp": [case_ipi_wakes_harts, case_harts_take_turns, case_harts_sleep_on_timers, case_opensbi_smp2, case_uboot_smp2],
    "time": [case_icount_shift_scales_time, case_default_shift, case_timer_fires_at_its_instruction,
             case_wfi_warps,
             case_host_speed_invisible],
    "qmp": [case_start_paused_until_cont, case_stop_cont_mid_run, case_qmp_during_trap_loop],
    "log": [case_in_asm, case_in_asm_page_crossing, case_int_like_qemu, case_cpu_dump, case_guest_errors,
            case_log_goes_to_file],
    "robust": [case_edges_of_memory,
               robust_case(1, "jumps to MMIO (the UART)"),
               robust_case(2, "jumps to unassigned memory"),
               robust_case(3, "executes all-zero words"),
               robust_case(4, "loops on an ebreak with mtvec pointing at itself"),
               robust_case(5, "loops on a misaligned AMO with mtvec pointing at itself"),
               robust_case(6, "waits in WFI with nothing to wake it (and tern idles)", idle=True),
               robust_case(7, "stores to the last word of the 64-bit address space")],
    "random": [random_case(range(1, 17), False), random_case(range(101, 117), True)],
}


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in GROUPS:
        sys.exit("usage: hart-test.py TERN GUEST_DIR {%s}" % "|".join(GROUPS))
    cases = GROUPS[sys.argv[3]]
    print("1..%d" % len(cases))
    failed = 0
    for i, case in enumerate(cases, 1):
        name = case.__doc__.strip().splitlines()[0]
        # A known product bug outside tests/hart: TAP TODO, so it shows without failing the suite
        # (and an unexpected pass shows as one).
        todo = " # TODO " + case.todo if hasattr(case, "todo") else ""
        with tempfile.TemporaryDirectory(prefix="tern-hart-") as tmp:
            t0 = time.monotonic()
            try:
                case(tmp)
                print("ok %d - %s%s" % (i, name, todo))
                print("# took %.1fs" % (time.monotonic() - t0))
            except AssertionError as e:
                failed += 0 if todo else 1
                print("not ok %d - %s%s" % (i, name, todo))
                for line in str(e).splitlines():
                    print("# " + line)
            except Exception:
                failed += 1
                print("not ok %d - %s" % (i, name))
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
