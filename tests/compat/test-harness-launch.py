#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""test-harness-launch.py - Tern launched as QEMU's test harnesses launch QEMU.

  test-harness-launch.py TERN QEMU       (TAP on stdout)

Each case builds the exact argument list of one harness (QEMU's Python
machine library - QEMUMachine, QEMUQtestMachine, the console socket - in its
7.2, 8.x and 9.x forms, and libqtest), opens the sockets the way that
harness does (it listens and the emulator connects, or it hands over one end
of a socketpair as fd=N), and talks to the emulator as the harness's QMP
client does: greeting, capabilities with "oob", commands without and with
ids (several in one write, no newline, as qemu.qmp sends them), events,
quit, exit status; a qtest session on qtest machines; console bytes.

Every case runs on Tern and on qemu-system-riscv64 and the two transcripts
(replies, events without timestamps, qtest replies, console bytes, exit
status) must be equal.  Debian's QEMU has no qtest accelerator, so on QEMU a
qtest line's "-accel qtest" is first shown to be refused, then replaced by
"-accel tcg" for the comparison.  No client library is imported: the few
lines below speak the protocols.  docs/compat.md lists the options.
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

LIMIT = 20.0  # seconds for any single wait
OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
UART_THR = 0x10000000


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Stream:
    """A connected socket read as lines (QMP and qtest both end messages with a newline)."""

    def __init__(self, sock):
        self.sock = sock
        self.sock.settimeout(LIMIT)
        self.buf = b""

    def line(self):
        while b"\n" not in self.buf:
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise Failure("no reply within %gs (so far %r)" % (LIMIT, self.buf[:200]))
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode().rstrip("\r")

    def send(self, data):
        self.sock.sendall(data.encode())

    def close(self):
        self.sock.close()


def listening_unix(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(1)
    return s


def accept(listener, proc, what):
    """Accepts the emulator's connection; a process that died first is a failure."""
    listener.settimeout(0.2)
    end = time.monotonic() + LIMIT
    while time.monotonic() < end:
        try:
            conn, _ = listener.accept()
            conn.setblocking(True)
            return conn
        except socket.timeout:
            if proc.poll() is not None:
                raise Failure("exited with %d before connecting to the %s" % (proc.returncode, what))
    raise Failure("did not connect to the %s within %gs" % (what, LIMIT))


class Qmp:
    """The harness end of QMP, as qemu.qmp speaks it."""

    def __init__(self, stream, log):
        self.stream = stream
        self.log = log  # the transcript: what is compared with QEMU
        self.events = []

    def message(self):
        line = self.stream.line()
        if line is None:
            return None
        msg = json.loads(line)
        check(isinstance(msg, dict), "a QMP message is an object: %r" % line)
        return msg

    def greeting(self):
        msg = self.message()
        check(msg is not None and "QMP" in msg, "greeting: %r" % msg)
        ver = msg["QMP"]["version"]
        check(all(isinstance(ver["qemu"][k], int) for k in ("major", "minor", "micro")),
              "greeting version numbers: %r" % ver)
        check(isinstance(ver["package"], str), "greeting package: %r" % ver)
        self.log.append(("greeting", sorted(msg["QMP"]), msg["QMP"]["capabilities"],
                         ver["qemu"]["major"], ver["qemu"]["minor"]))
        return msg

    def reply(self, want_id):
        """Reads until the reply with want_id (None: a reply without id); events are kept."""
        while True:
            msg = self.message()
            check(msg is not None, "connection closed waiting for a reply")
            if "event" in msg:
                check(isinstance(msg.get("timestamp", {}).get("seconds"), int),
                      "event timestamp: %r" % msg)
                self.events.append(msg)
                continue
            check(msg.get("id") == want_id, "reply id %r, wanted %r: %r"
                  % (msg.get("id"), want_id, msg))
            return msg

    def cmd(self, name, args=None, record=True):
        """The legacy client's cmd(): no id, "arguments" only when there are some."""
        req = {"execute": name}
        if args:
            req["arguments"] = args
        self.stream.send(json.dumps(req, separators=(",", ":")))
        msg = self.reply(None)
        if record:
            self.log.append((name, "reply", msg))
        return msg

    def pipelined(self, names):
        """The async client: ids __qmp#NNNNN, several requests in one write, no newline."""
        reqs = [{"execute": n, "id": "__qmp#%05d" % i} for i, n in enumerate(names)]
        self.stream.send("".join(json.dumps(r, separators=(",", ":")) for r in reqs))
        for r in reqs:
            msg = self.reply(r["id"])
            self.log.append((r["execute"], "reply", msg))

    def event(self, name):
        end = time.monotonic() + LIMIT
        while time.monotonic() < end:
            for e in self.events:
                if e["event"] == name:
                    self.events.remove(e)
                    self.log.append(("event", name, e.get("data")))
                    return e
            msg = self.message()
            check(msg is not None, "connection closed waiting for event %s" % name)
            check("event" in msg, "unexpected message waiting for %s: %r" % (name, msg))
            self.events.append(msg)
        raise Failure("no %s event" % name)


class Launch:
    """One harness launch: sockets, argument list, process."""

    def __init__(self, emulator, case, tmp):
        self.case = case
        self.tmp = tmp
        self.args = [emulator] + self.build_args()
        self.out = open(os.path.join(tmp, "out.log"), "wb")
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=self.out,
                                     stderr=subprocess.STDOUT, close_fds=False)
        for s in self.handed_over:
            s.close()
        for fd in self.handed_over_fds:
            os.close(fd)

    def build_args(self):
        c = self.case = dict(self.case)
        self.handed_over = []
        self.handed_over_fds = []
        if c.get("libqtest"):
            return self.libqtest_args()
        args = ["-display", "none", "-vga", "none"]
        if c["monitor"] == "fd":
            ours, theirs = socket.socketpair()
            os.set_inheritable(theirs.fileno(), True)
            self.handed_over.append(theirs)
            self.qmp_conn = ours
            cdev = "socket,id=mon,fd=%d" % theirs.fileno()
        elif c["monitor"] == "tcp":
            self.qmp_listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.qmp_listener.bind(("127.0.0.1", 0))
            self.qmp_listener.listen(1)
            cdev = "socket,id=mon,host=127.0.0.1,port=%d" % self.qmp_listener.getsockname()[1]
        else:
            path = os.path.join(self.tmp, "m-monitor.sock")
            self.qmp_listener = listening_unix(path)
            cdev = "socket,id=mon,path=%s" % path
        args += ["-chardev", cdev, "-mon", "chardev=mon,mode=control"]
        args += ["-machine", c.get("machine", "virt")]
        if c.get("console") == "path":
            self.console_path = os.path.join(self.tmp, "m.con")
            args += ["-chardev", "socket,id=console,path=%s,server=on,wait=off"
                     % self.console_path, "-serial", "chardev:console"]
        elif c.get("console") == "fd":
            ours, theirs = socket.socketpair()
            os.set_inheritable(theirs.fileno(), True)
            self.handed_over.append(theirs)
            self.console_conn = ours
            args += ["-chardev", "socket,id=console,fd=%d" % theirs.fileno(),
                     "-serial", "chardev:console"]
        if c.get("add_fd"):
            # QEMUMachine.add_fd(fd, fdset, opaque): the harness opens the file, read-write
            # and read-only, as libvirt does, and the drive names the set.
            image = os.path.join(self.tmp, "disk.img")
            with open(image, "wb") as f:
                f.truncate(1 << 20)
            for mode, opaque in ((os.O_RDWR, "rw"), (os.O_RDONLY, "ro")):
                fd = os.open(image, mode)
                os.set_inheritable(fd, True)
                self.handed_over_fds.append(fd)
                c["user_args"] = c["user_args"] + ["-add-fd", "fd=%d,set=2,opaque=%s" % (fd, opaque)]
        if c.get("qtest"):
            self.qtest_path = os.path.join(self.tmp, "m-qtest.sock")
            self.qtest_listener = listening_unix(self.qtest_path)
            args += ["-qtest", "unix:path=%s" % self.qtest_path, "-accel", c["accel"]]
        return args + [a.replace("@TMP@", self.tmp) for a in c["user_args"]]

    def libqtest_args(self):
        c = self.case
        self.qtest_path = os.path.join(self.tmp, "qtest-1.sock")
        self.qtest_listener = listening_unix(self.qtest_path)
        qmp_path = os.path.join(self.tmp, "qtest-1.qmp")
        self.qmp_listener = listening_unix(qmp_path)
        args = ["-qtest", "unix:%s" % self.qtest_path, "-qtest-log", c.get("qtest_log", "/dev/null"),
                "-chardev", "socket,path=%s,id=char0" % qmp_path,
                "-mon", "chardev=char0,mode=control", "-display", "none"]
        if c.get("audio_none"):
            args += ["-audio", "none"]
        extra = []
        if c.get("console") == "libqtest-serial":
            # qtest_init_with_serial(): the test listens, the serial port connects to it.
            serial_path = os.path.join(self.tmp, "sock")
            self.serial_listener = listening_unix(serial_path)
            extra = ["-chardev", "socket,id=s0,path=%s" % serial_path, "-serial", "chardev:s0"]
        return args + extra + c["user_args"] + ["-accel", c["accel"]]

    def connect_all(self, log):
        """_post_launch: QMP accept and negotiation first, then qtest accept."""
        if hasattr(self, "qmp_conn"):
            qmp_sock = self.qmp_conn
        else:
            qmp_sock = accept(self.qmp_listener, self.proc, "QMP socket")
        self.qmp = Qmp(Stream(qmp_sock), log)
        if self.case.get("libqtest"):
            # libqtest accepts both sockets before it reads the greeting.
            self.qtest = Stream(accept(self.qtest_listener, self.proc, "qtest socket"))
        greeting = self.qmp.greeting()
        enable = ["oob"] if "oob" in greeting["QMP"]["capabilities"] else []
        self.qmp.stream.send(json.dumps({"execute": "qmp_capabilities",
                                         "arguments": {"enable": enable} if enable else {}},
                                        separators=(",", ":")))
        neg = self.qmp.reply(None)
        check(neg == {"return": {}}, "qmp_capabilities: %r" % neg)
        log.append(("qmp_capabilities", enable, neg))
        if self.case.get("qtest") and not self.case.get("libqtest"):
            self.qtest = Stream(accept(self.qtest_listener, self.proc, "qtest socket"))
        if self.case.get("console") == "libqtest-serial":
            self.console = Stream(accept(self.serial_listener, self.proc, "serial socket"))
        if self.case.get("console") == "path":
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(self.console_path)
            self.console = Stream(s)
        elif self.case.get("console") == "fd":
            self.console = Stream(self.console_conn)

    def console_until(self, needle):
        data = b""
        end = time.monotonic() + LIMIT
        self.console.sock.settimeout(0.5)
        while needle not in data and time.monotonic() < end:
            try:
                chunk = self.console.sock.recv(4096)
            except socket.timeout:
                continue
            if not chunk:
                break
            data += chunk
        check(needle in data, "console never showed %r (got %r)" % (needle, data[:300]))
        return data

    def finish(self):
        try:
            status = self.proc.wait(timeout=LIMIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise Failure("did not exit within %gs after quit" % LIMIT)
        return status

    def output(self):
        if not self.out.closed:
            self.out.flush()
        with open(os.path.join(self.tmp, "out.log"), "rb") as f:
            return f.read().decode(errors="replace")

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.out.close()


def session(emulator, case):
    """Runs one case; returns its transcript (what must equal QEMU's)."""
    log = []
    with tempfile.TemporaryDirectory(prefix="tern-compat-") as tmp:
        vm = Launch(emulator, case, tmp)
        try:
            vm.connect_all(log)
            vm.qmp.cmd("query-status")
            vm.qmp.pipelined(["query-name", "query-status", "no-such-command"])
            vm.qmp.cmd("stop")
            vm.qmp.event("STOP")
            vm.qmp.cmd("query-status")
            vm.qmp.cmd("cont")
            vm.qmp.event("RESUME")
            vm.qmp.cmd("qom-get", {"path": "/machine", "property": "type"})
            if case.get("add_fd"):
                sets = vm.qmp.cmd("query-fdsets", record=False)["return"]
                log.append(("query-fdsets without fd numbers",
                            [(s["fdset-id"], [(sorted(f), f.get("opaque")) for f in s["fds"]])
                             for s in sets]))
            if hasattr(vm, "qtest"):
                for line in ["endianness", "writel 0x80000000 0xdeadbeef", "readl 0x80000000",
                             "writeq 0x80000008 0x0123456789abcdef", "readb 0x8000000f",
                             "readq 0x80000008", "nosuchcommand"]:
                    vm.qtest.send(line + "\n")
                    log.append(("qtest", line, vm.qtest.line()))
            if hasattr(vm, "console"):
                if hasattr(vm, "qtest"):
                    vm.qtest.send("writeb 0x%x 0x41\n" % UART_THR)
                    log.append(("qtest", "writeb THR", vm.qtest.line()))
                    vm.qtest.send("writeb 0x%x 0x0a\n" % UART_THR)
                    log.append(("qtest", "writeb THR", vm.qtest.line()))
                    log.append(("console", vm.console_until(b"A\n")))
                else:
                    # wait=off drops what the guest wrote before the console connected (on
                    # QEMU too), and Tern's OpenSBI can print its banner first: a reset
                    # boots it again with the console there.
                    vm.qmp.cmd("system_reset")
                    vm.qmp.event("RESET")
                    text = vm.console_until(b"Platform Name")
                    log.append(("console", text[text.index(b"OpenSBI"):][:8]))
            pidfile = os.path.join(tmp, "pid")
            if case.get("pidfile"):
                with open(pidfile) as f:
                    pid = f.read()
                alive = pid.strip().isdigit() and os.path.exists("/proc/%s" % pid.strip())
                log.append(("pidfile names a live process", alive,
                            case.get("daemonize") or int(pid) == vm.proc.pid))
            if case.get("library_shutdown"):
                # QEMUMachine.shutdown(): the console socket closed first (_early_cleanup),
                # then quit, the QMP socket closed as soon as its reply is in, then wait().
                if hasattr(vm, "console"):
                    vm.console.close()
                vm.qmp.cmd("quit")
                vm.qmp.stream.close()
                log.append(("exit status", vm.finish()))
            else:
                vm.qmp.cmd("quit")
                vm.qmp.event("SHUTDOWN")
                tail = vm.qmp.message()
                log.append(("after quit", tail))
                log.append(("exit status", vm.finish()))
            if case.get("pidfile"):
                end = time.monotonic() + LIMIT
                while os.path.exists(pidfile) and time.monotonic() < end:
                    time.sleep(0.01)
                log.append(("pidfile removed at exit", not os.path.exists(pidfile)))
            if case.get("output"):
                log.append(("output", normalized(vm.output())))
        except Failure as e:
            vm.close()
            raise Failure("%s\n%s\noutput: %s" % (e, " ".join(vm.args), vm.output()))
        except (OSError, ValueError, KeyError) as e:
            vm.close()
            raise Failure("%r\n%s\noutput: %s" % (e, " ".join(vm.args), vm.output()))
        vm.close()
    return log


def normalized(text):
    """Output with the program's name and -msg timestamp=on's times made alike."""
    text = re.sub(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z ", "TIME ", text, flags=re.M)
    return re.sub(r"^(TIME )?(qemu-system-riscv64|tern-system-riscv64|tern): ", r"\1PROG: ",
                  text, flags=re.M)


def refused(emulator, case):
    """Runs a line that must fail at start-up; returns (status, output)."""
    with tempfile.TemporaryDirectory(prefix="tern-compat-") as tmp:
        vm = Launch(emulator, case, tmp)
        try:
            status = vm.proc.wait(timeout=LIMIT)
        except subprocess.TimeoutExpired:
            vm.close()
            raise Failure("kept running: %s" % " ".join(vm.args))
        out = vm.output()
        vm.close()
        return status, out


BIOS_NONE = ["-bios", "none"]
MACHINE = dict(monitor="path", user_args=BIOS_NONE)
CASES = [
    # (sentence, case)
    ("QEMUMachine 7.2 (monitor path=, Tern connects) serves QMP as QEMU",
     dict(MACHINE)),
    ("QEMUMachine 8.x (monitor on an inherited socketpair fd=N) serves QMP as QEMU",
     dict(MACHINE, monitor="fd")),
    ("QEMUMachine with a TCP monitor_address (host=,port=, Tern connects) serves QMP as QEMU",
     dict(MACHINE, monitor="tcp")),
    ("QEMUMachine with add_monitor_null (-monitor null) serves QMP as QEMU",
     dict(MACHINE, user_args=BIOS_NONE + ["-monitor", "null"])),
    ("QEMUMachine 7.2 with set_console (server=on,wait=off path) shows OpenSBI's banner as QEMU",
     dict(MACHINE, console="path", user_args=["-bios", OPENSBI])),
    ("QEMUMachine 9.x with set_console (console fd=N) shows OpenSBI's banner as QEMU",
     dict(MACHINE, monitor="fd", console="fd", user_args=["-bios", OPENSBI])),
    ("QEMUMachine.shutdown's order (console closed, quit, QMP closed at once) exits 0 as QEMU",
     dict(MACHINE, monitor="fd", console="fd", library_shutdown=True,
          user_args=["-bios", OPENSBI])),
    ("QEMUQtestMachine.shutdown's order with a console exits 0 as QEMU",
     dict(MACHINE, qtest=True, accel="qtest", console="path", library_shutdown=True)),
    ("QEMUMachine with -machine virt, (trailing comma) and -nodefaults serves QMP as QEMU",
     dict(MACHINE, machine="virt,", user_args=BIOS_NONE + ["-nodefaults"])),
    ("QEMUQtestMachine 7.2 (qtest unix:path=, monitor path=) serves qtest and QMP as QEMU",
     dict(MACHINE, qtest=True, accel="qtest")),
    ("QEMUQtestMachine 8.x (monitor fd=N) serves qtest and QMP as QEMU",
     dict(MACHINE, monitor="fd", qtest=True, accel="qtest")),
    ("QEMUQtestMachine 7.2 with set_console: a qtest write to the UART reaches the console",
     dict(MACHINE, qtest=True, accel="qtest", console="path")),
    ("QEMUQtestMachine 9.x with set_console fd=N: a qtest write to the UART reaches the console",
     dict(MACHINE, monitor="fd", qtest=True, accel="qtest", console="fd")),
    ("-vga std gives QEMU's warning and creates nothing",
     dict(MACHINE, monitor="fd", output=True, user_args=BIOS_NONE + ["-vga", "std"])),
    ("-msg timestamp=on stamps the warning as QEMU does",
     dict(MACHINE, monitor="fd", output=True,
          user_args=BIOS_NONE + ["-msg", "timestamp=on", "-vga", "std"])),
    ("-name, -no-user-config and -parallel none are accepted and query-name tells the name",
     dict(MACHINE, monitor="fd", output=True,
          user_args=BIOS_NONE + ["-name", "guest=vm0,debug-threads=on", "-no-user-config",
                                 "-parallel", "none"])),
    ("-pidfile names the process while it runs and is removed at exit",
     dict(MACHINE, monitor="fd", output=True, pidfile=True,
          user_args=BIOS_NONE + ["-pidfile", "@TMP@/pid"])),
    ("-daemonize: the launcher exits 0 and the daemon serves QMP on the inherited fd",
     dict(MACHINE, monitor="fd", output=True, pidfile=True, daemonize=True,
          user_args=BIOS_NONE + ["-daemonize", "-pidfile", "@TMP@/pid"])),
    ("libqtest 8.2's line (-audio none, -qtest-log /dev/fd/2) serves both",
     dict(libqtest=True, accel="qtest", qtest_log="/dev/fd/2", audio_none=True,
          qemu_refuses="Parameter 'model' is missing",
          user_args=["-machine", "virt", "-bios", "none"])),
    ("libqtest's qtest_init_with_serial (serial chardev path=, Tern connects) carries UART bytes",
     dict(libqtest=True, accel="qtest", console="libqtest-serial",
          user_args=["-machine", "virt", "-bios", "none"])),
    ("QEMUMachine.add_fd: -add-fd sets serve a -drive file=/dev/fdset/2 and query-fdsets",
     dict(MACHINE, monitor="fd", add_fd=True,
          user_args=BIOS_NONE + ["-drive", "file=/dev/fdset/2,if=none,format=raw,id=d0",
                                 "-device", "virtio-blk-device,drive=d0"])),
    ("libqtest 7.2's line (qtest unix:, -qtest-log, chardev path= then id=) serves both",
     dict(libqtest=True, accel="qtest", user_args=["-machine", "virt", "-bios", "none"])),
]


def qemu_version_of(case):
    """QEMU's form of a case: Debian's build has no qtest accelerator, so tcg."""
    if case.get("accel") == "qtest":
        return dict(case, accel="tcg")
    return case


def main():
    tern, qemu = sys.argv[1], sys.argv[2]
    n = 0
    failed = 0
    total = 2 * len(CASES) + 1 + len(REFUSED)
    print("1..%d" % total)

    def report(ok, name, detail=""):
        nonlocal n, failed
        n += 1
        if not ok:
            failed += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", n, name))
        for line in (detail if not ok else "").splitlines():
            print("# " + line)
        sys.stdout.flush()

    qemu_ok = os.access(qemu, os.X_OK) or any(
        os.access(os.path.join(d, qemu), os.X_OK) for d in os.environ.get("PATH", "").split(":"))
    if not qemu_ok:
        print("# qemu-system-riscv64 (%s) is missing: CI installs qemu-system-misc;"
              " every comparison below FAILS" % qemu)
    for name, case in CASES:
        try:
            got = session(tern, case)
            report(True, name + " (Tern)")
        except Failure as e:
            report(False, name + " (Tern)", str(e))
            got = None
        if not qemu_ok:
            report(False, name + ": same transcript on QEMU", "qemu-system-riscv64 not found")
            continue
        if case.get("qemu_refuses"):
            # A line of a newer harness that QEMU 7.2 itself refuses: Tern serves it.
            try:
                status, out = refused(qemu, qemu_version_of(case))
                report(status == 1 and case["qemu_refuses"] in out and got is not None,
                       name + ": QEMU 7.2 refuses it, Tern serves it",
                       "QEMU status %r output %r" % (status, out))
            except Failure as e:
                report(False, name + ": QEMU 7.2 refuses it, Tern serves it", str(e))
            continue
        try:
            want = session(qemu, qemu_version_of(case))
        except Failure as e:
            report(False, name + ": same transcript on QEMU", "QEMU itself: " + str(e))
            continue
        if got is None:
            report(False, name + ": same transcript on QEMU", "Tern failed above")
            continue
        diffs = ["step %d: qemu %r\n        tern %r" % (i, q, t)
                 for i, (q, t) in enumerate(zip(want, got)) if q != t]
        if len(want) != len(got):
            diffs.append("qemu has %d steps, tern %d" % (len(want), len(got)))
        report(not diffs, name + ": same transcript on QEMU", "\n".join(diffs))

    # What Debian's QEMU refuses, and why the QEMU runs above use tcg.
    qcase = dict(MACHINE, qtest=True, accel="qtest")
    try:
        status, out = refused(qemu, qcase) if qemu_ok else (None, "")
        report(status == 1 and "invalid accelerator qtest" in out,
               "Debian's QEMU refuses -accel qtest (so its qtest runs use tcg)",
               "status %r output %r" % (status, out))
    except Failure as e:
        report(False, "Debian's QEMU refuses -accel qtest (so its qtest runs use tcg)", str(e))
    # Lines QEMU refuses: Tern refuses them with the same status and words.
    for name, extra in REFUSED:
        try:
            got, want = refusal(tern, extra), refusal(qemu, extra)
            report(got == want and want[0] == 1,
                   name + " (refused as QEMU)", "qemu %r\ntern %r" % (want, got))
        except (OSError, subprocess.TimeoutExpired) as e:
            report(False, name + " (refused as QEMU)", repr(e))
    return 1 if failed else 0


# fd 5 is a read-write file, fd 6 a read-only one, fd 9 is closed (see refusal()).
REFUSED = [
    ("a console fd=N that is a file, not a socket",
     ["-chardev", "socket,id=console,fd=5", "-serial", "chardev:console"]),
    ("a monitor path= nobody listens on",
     ["-chardev", "socket,id=mon,path=@TMP@/nobody.sock", "-mon", "chardev=mon,mode=control"]),
    ("a socket chardev with both path= and fd=",
     ["-chardev", "socket,id=mon,path=@TMP@/x.sock,fd=5"]),
    ("a console server path in a missing directory",
     ["-chardev", "socket,id=console,path=@TMP@/no/dir.con,server=on,wait=off"]),
    ("-add-fd without set=", ["-add-fd", "fd=5"]),
    ("-add-fd without fd=", ["-add-fd", "set=2"]),
    ("-add-fd with stdout", ["-add-fd", "fd=1,set=2"]),
    ("-add-fd with a closed fd", ["-add-fd", "fd=9,set=2"]),
    ("-add-fd with a negative set", ["-add-fd", "fd=5,set=-1"]),
    ("-add-fd with fd=x", ["-add-fd", "fd=x,set=2"]),
    ("-add-fd with an unknown parameter", ["-add-fd", "fd=5,set=2,bogus=1"]),
]


def refusal(emulator, extra):
    """Status and normalized stderr of a line that should not start."""
    with tempfile.TemporaryDirectory(prefix="tern-compat-") as tmp:
        image = os.path.join(tmp, "file")
        with open(image, "wb"):
            pass
        rw, ro = os.open(image, os.O_RDWR), os.open(image, os.O_RDONLY)
        try:
            os.dup2(rw, 5)
            os.dup2(ro, 6)
            if os.path.exists("/proc/self/fd/9"):
                os.close(9)
            args = [a.replace("@TMP@", tmp) for a in extra]
            proc = subprocess.run([emulator, "-display", "none", "-machine", "virt", "-bios",
                                   "none"] + args, stdin=subprocess.DEVNULL, capture_output=True,
                                  pass_fds=(5, 6), timeout=LIMIT)
        finally:
            for fd in (rw, ro, 5, 6):
                os.close(fd)
        return proc.returncode, normalized(proc.stderr.decode().replace(tmp, "TMP"))


if __name__ == "__main__":
    sys.exit(main())
