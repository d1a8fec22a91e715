#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""record-qemu.py - records the fixed QMP session of golden-test.py on QEMU 7.2.

Runs SESSION (below) against qemu-system-riscv64 with ARGS, the way QEMU's
Python QMP library drives a monitor: read the greeting, negotiate with
qmp_capabilities, send each command with its own id and match the reply by
that id, collect the events that arrive on the way, end with quit.  Writes
the greeting, every reply and every event as JSON, timestamps and the vCPU
thread-id masked, to golden/qemu-7.2.json (or OUT).  QEMU orders info mtree's
sections differently from run to run: a new recording may differ there only.  golden-test.py runs the same session on Tern
and compares; it also reruns this on the live QEMU to find a stale file.

Usage: record-qemu.py [QEMU [OUT]]   (QEMU: qemu-system-riscv64 on PATH)
"""
import json
import os
import select
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden", "qemu-7.2.json")
ARGS = ["-M", "virt", "-display", "none", "-nodefaults", "-S", "-qmp", "stdio"]
TIMEOUT = 30


def hmp(line):
    return {"execute": "human-monitor-command", "arguments": {"command-line": line}}


def qom_get(path, prop):
    return {"execute": "qom-get", "arguments": {"path": path, "property": prop}}


def qom_list(path):
    return {"execute": "qom-list", "arguments": {"path": path}}


def dev_add(**args):
    return {"execute": "device_add", "arguments": args}


# (name, command, sent before qmp_capabilities).  Names are the golden file's keys.
SESSION = [
    ("before-capabilities", {"execute": "query-status"}, True),
    ("qmp_capabilities", {"execute": "qmp_capabilities"}, True),
    ("capabilities-again", {"execute": "qmp_capabilities"}, False),
    ("unknown-command", {"execute": "nosuch"}, False),
    ("query-version", {"execute": "query-version"}, False),
    ("query-status", {"execute": "query-status"}, False),
    ("query-name", {"execute": "query-name"}, False),
    ("query-cpus-fast", {"execute": "query-cpus-fast"}, False),
    ("query-machines", {"execute": "query-machines"}, False),
    ("query-commands", {"execute": "query-commands"}, False),
    ("query-qmp-schema", {"execute": "query-qmp-schema"}, False),
    ("qom-list-peripheral", qom_list("/machine/peripheral"), False),
    ("qom-list-peripheral-anon", qom_list("/machine/peripheral-anon"), False),
    ("qom-get-machine-type", qom_get("/machine", "type"), False),
    ("qom-get-machine-memory", qom_get("/machine", "memory"), False),
    ("qom-get-machine-smp", qom_get("/machine", "smp"), False),
    ("qom-get-machine-boot", qom_get("/machine", "boot"), False),
    ("qom-get-machine-memory-backend", qom_get("/machine", "memory-backend"), False),
    ("qom-get-soc0-cpu-type", qom_get("/machine/soc0", "cpu-type"), False),
    ("qom-get-soc0-type", qom_get("/machine/soc0", "type"), False),
    ("qom-get-hart-type", qom_get("/machine/soc0/harts[0]", "type"), False),
    ("qom-get-hart-realized", qom_get("/machine/soc0/harts[0]", "realized"), False),
    ("qom-get-hart-hotpluggable", qom_get("/machine/soc0/harts[0]", "hotpluggable"), False),
    ("qom-get-hart-hotplugged", qom_get("/machine/soc0/harts[0]", "hotplugged"), False),
    ("qom-get-peripheral-type", qom_get("/machine/peripheral", "type"), False),
    ("qom-get-nosuch-property", qom_get("/machine", "nosuch"), False),
    ("qom-get-nosuch-path", qom_get("/nosuch", "type"), False),
    ("hmp-info-status", hmp("info status"), False),
    ("hmp-info-version", hmp("info version"), False),
    ("hmp-info-qtree", hmp("info qtree"), False),
    ("hmp-info-mtree", hmp("info mtree"), False),
    ("hmp-info-nosuch", hmp("info nosuch"), False),
    ("hmp-nosuch", hmp("nosuch"), False),
    ("hmp-bad-cpu-index",
     {"execute": "human-monitor-command",
      "arguments": {"command-line": "info status", "cpu-index": 99}}, False),
    ("device_add-no-driver", {"execute": "device_add", "arguments": {}}, False),
    ("device_add-unknown-driver", dev_add(driver="nosuch"), False),
    ("device_add-abstract", dev_add(driver="virtio-device"), False),
    ("device_add-not-pluggable", dev_add(driver="riscv.sifive.test"), False),
    ("device_add-bus-not-found", dev_add(driver="virtio-rng-device", bus="nosuch"), False),
    ("device_add-bus-no-hotplug",
     dev_add(driver="virtio-rng-device", bus="virtio-mmio-bus.0"), False),
    ("device_add-no-hotplug-bus", dev_add(driver="virtio-rng-device"), False),
    ("device_add-bad-id", dev_add(driver="virtio-rng-device", id="1bad"), False),
    ("device_del-not-found", {"execute": "device_del", "arguments": {"id": "nosuch"}}, False),
    ("device_del-not-a-device",
     {"execute": "device_del", "arguments": {"id": "/machine"}}, False),
    ("device_del-sysbus-device",
     {"execute": "device_del", "arguments": {"id": "/machine/soc0"}}, False),
    ("stop", {"execute": "stop"}, False),
    ("query-status-stopped", {"execute": "query-status"}, False),
    ("system_reset", {"execute": "system_reset"}, False),
    ("quit", {"execute": "quit"}, False),
]


def mask(msg):
    """Timestamps change from run to run: masked."""
    if "timestamp" in msg:
        msg["timestamp"] = {"seconds": 0, "microseconds": 0}
    return msg


class Monitor:
    """A QMP client on a child's stdio: one JSON object per line."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.buf = b""

    def read(self):
        deadline = time.monotonic() + TIMEOUT
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                raise TimeoutError("no message from the monitor")
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError as e:
            raise ValueError(f"not JSON: {line[:200]!r}") from e

    def send(self, obj):
        self.proc.stdin.write((json.dumps(obj) + "\n").encode())
        self.proc.stdin.flush()

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run_session(binary):
    """The session on binary: {"greeting", "steps": [{name, reply, events}], "exit"}."""
    mon = Monitor([binary] + ARGS)
    out = {"args": ARGS, "steps": []}
    try:
        out["greeting"] = mon.read()
        for n, (name, cmd, _) in enumerate(SESSION):
            cmd = dict(cmd, id=f"{n}-{name}")
            mon.send(cmd)
            events = []
            while True:
                msg = mon.read()
                if msg is None:
                    raise EOFError(f"{binary} ended before replying to {name}")
                if "event" in msg:
                    events.append(mask(msg))
                    continue
                if msg.get("id") != cmd["id"]:
                    raise ValueError(f"{name}: reply for another id: {msg}")
                break
            out["steps"].append({"name": name, "reply": msg, "events": events})
        # After quit: the rest of the events, then end of output.
        tail = []
        while (msg := mon.read()) is not None:
            tail.append(mask(msg))
        out["steps"][-1]["events"] += tail
    finally:
        mon.close()
    out["exit"] = mon.proc.returncode
    return out


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "qemu-system-riscv64"
    path = sys.argv[2] if len(sys.argv) > 2 else GOLDEN
    rec = run_session(binary)
    for step in rec["steps"]:  # a host thread's id: 0, so that a new recording is the same file
        for cpu in step["reply"].get("return", []) if step["name"] == "query-cpus-fast" else []:
            cpu["thread-id"] = 0
    with open(path, "w", encoding="utf-8") as f:
        json.dump(rec, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"{path}: {len(rec['steps'])} replies recorded from {binary}")


if __name__ == "__main__":
    main()
