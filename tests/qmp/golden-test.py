#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""golden-test.py - Tern's QMP session against QEMU 7.2's recorded replies.

Runs record-qemu.py's SESSION (greeting, capabilities, queries, HMP, device
errors, stop, system_reset, quit; every reply matched by its id) on TERN and
compares with golden/qemu-7.2.json reply by reply.  Prints TAP: one test for
the live QEMU (when QEMU is given and installed: its session must equal the
golden file, or the file is stale; record it again with record-qemu.py), one
per step, one for the events and one for the exit status.

A reply is compared exactly (timestamps masked), except where RULES names a
documented rule for that step: Tern is not QEMU's build, has fewer devices
and fewer commands, and says so in those places only.  Events are compared
as the session's sequence: QEMU sends system_reset's RESET before its reply,
Tern after it (clients match replies by id; the order of events is kept).

Usage: golden-test.py TERN [QEMU]
"""
import importlib.util
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("record_qemu", os.path.join(HERE, "record-qemu.py"))
rq = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rq)

# Devices of QEMU's virt board Tern does not model (docs/qtest.md lists them): their
# "info qtree" blocks and "info mtree" lines are expected on QEMU's side only.
ABSENT_DEVICES = {"cfi.pflash01", "platform-bus-device", "gpex-pcihost", "gpex-root"}
ABSENT_REGIONS = {"gpex_ioport_window", "gpex_ioport", "platform bus", "virt.flash0",
                  "virt.flash1", "alias pcie-ecam", "alias pcie-mmio", "alias pcie-mmio-high"}
# "info mtree" sections of QEMU's that come from what Tern does not have: the port I/O
# space, the PCIe host's address space and the regions its aliases point at.
ABSENT_MTREE_SECTIONS = {"address-space: I/O", "address-space: gpex-root",
                         "memory-region: pcie-mmcfg-mmio", "memory-region: gpex_mmio_window",
                         "memory-region: system"}
# "info qtree" properties Tern's devices have and QEMU's do not print (Tern's own
# properties); and QEMU's that Tern's devices do not have.
TERN_ONLY_PROPS = {"goldfish_rtc": {"base-ns", "clock"}, "serial-mm": {"chardev", "baudbase"},
                   "virtio-mmio": {"bus-index"}, "riscv.sifive.plic": {"num-harts"},
                   "riscv.aclint.mtimer": {"aclint"}, "riscv.aclint.swi": {"aclint"}}
# Known value differences (not intended: listed so that they are seen, and fail once fixed).
KNOWN_VALUE_DIFFS = {}


def without_package(v):
    v = json.loads(json.dumps(v))
    v.get("return", v.get("QMP", {}).get("version", {})).pop("package", None)
    if "QMP" in v:
        v["QMP"]["version"].pop("package", None)
    return v


def rule_package(tern, qemu):
    """query-version: "package" is Tern's name and version (QEMU: the distribution's build)."""
    return without_package(tern) == without_package(qemu)


def rule_thread_id(tern, qemu):
    """query-cpus-fast: "thread-id" is a host thread (Tern: its only thread, the process)."""
    def mask(r):
        r = json.loads(json.dumps(r))
        for cpu in r.get("return", []):
            cpu["thread-id"] = 0
        return r
    return mask(tern) == mask(qemu)


def rule_machines(tern, qemu):
    """query-machines: Tern's boards (virt, none) only, each as QEMU lists it; but
    Tern's default board is virt (QEMU's is spike, which Tern does not have), and Tern's
    "none" names rv64-riscv-cpu as its default CPU type (QEMU's has none)."""
    q = {m["name"]: m for m in qemu["return"]}
    for m in tern["return"]:
        m = dict(m)
        if m["name"] == "virt" and m.pop("is-default", None) is not True:
            return False
        if m["name"] == "none":
            m.pop("default-cpu-type", None)
        if q.get(m["name"]) != m:
            return False
    return tern["id"] == qemu["id"] and len(tern["return"]) == 2


def rule_commands(tern, qemu):
    """query-commands: Tern has a subset of QEMU's commands."""
    q = {c["name"] for c in qemu["return"]}
    return all(c["name"] in q for c in tern["return"]) and tern["id"] == qemu["id"]


def rule_schema(tern, qemu):
    """query-qmp-schema: every command and event of Tern's is QEMU's, and a command's
    argument names are among QEMU's (type names are masked numbers, not compared)."""
    def index(r):
        return {e["name"]: e for e in r["return"]}
    t, q = index(tern), index(qemu)
    for name, e in t.items():
        if e["meta-type"] not in ("command", "event"):
            continue
        if name not in q or q[name]["meta-type"] != e["meta-type"]:
            return False
        if e["meta-type"] == "command":
            targs = {m["name"] for m in t[e["arg-type"]]["members"]}
            qargs = {m["name"] for m in q[q[name]["arg-type"]]["members"]}
            if not targs <= qargs:
                return False
    return True


def rule_hmp_version(tern, qemu):
    """info version: QEMU's version, then the package (Tern's name and version)."""
    return tern["return"].startswith("7.2.22Tern ") and qemu["return"].startswith("7.2.22")


def qtree_devices(text):
    """[(type, {prop: value}, [bus lines])] in document order."""
    lines = text.replace("\r\n", "\n").split("\n")
    devs = []
    for i, line in enumerate(lines):
        body = line.lstrip(" ")
        if not body.startswith("dev: "):
            continue
        ind = len(line) - len(body)
        props, buses = {}, []
        for sub in lines[i + 1:]:
            sbody = sub.lstrip(" ")
            sind = len(sub) - len(sbody)
            if not sbody or sind <= ind:
                break
            if sind == ind + 2 and " = " in sbody:
                k, v = sbody.split(" = ", 1)
                props[k] = v
            elif sind == ind + 2 and sbody.startswith("bus: "):
                buses.append(sbody)
        devs.append((body[5:].split(",")[0], props, buses))
    return devs


def rule_qtree(tern, qemu):
    """info qtree: Tern's devices in QEMU's order (QEMU's extra devices: ABSENT_DEVICES),
    the same buses, the same values for the properties both print (TERN_ONLY_PROPS and
    KNOWN_VALUE_DIFFS aside).  QEMU's gpio and mmio lines are not printed by Tern."""
    t, q = qtree_devices(tern["return"]), qtree_devices(qemu["return"])
    qi = 0
    for ttype, tprops, tbuses in t:
        while qi < len(q) and q[qi][0] != ttype:
            if q[qi][0] not in ABSENT_DEVICES:
                print(f"# qtree: QEMU's {q[qi][0]} missing in Tern")
                return False
            qi += 1
        if qi == len(q):
            print(f"# qtree: Tern's {ttype} not in QEMU's order")
            return False
        _, qprops, qbuses = q[qi]
        qi += 1
        if tbuses != qbuses:
            print(f"# qtree: {ttype} buses {tbuses} != {qbuses}")
            return False
        for k, v in tprops.items():
            if k not in qprops:
                if k not in TERN_ONLY_PROPS.get(ttype, ()):
                    print(f"# qtree: {ttype}.{k} is Tern's only")
                    return False
            elif qprops[k] != v and KNOWN_VALUE_DIFFS.get((ttype, k)) != (v, qprops[k]):
                print(f"# qtree: {ttype}.{k} = {v}, QEMU: {qprops[k]}")
                return False
    return all(d[0] in ABSENT_DEVICES for d in q[qi:]) and tern["return"].startswith("bus: ")


def mtree_sections(text):
    """info mtree's sections (split at blank lines), each a list of lines."""
    return [b.split("\r\n") for b in text.split("\r\n\r\n") if b.strip("\r\n")]


def rule_mtree(tern, qemu):
    """info mtree: the memory address space line for line, less the lines of the regions
    of devices Tern does not have (ABSENT_REGIONS); QEMU's other sections are all in
    ABSENT_MTREE_SECTIONS (in an order that varies from run to run)."""
    t = mtree_sections(tern["return"])
    q = mtree_sections(qemu["return"])
    mem = [b for b in q if "address-space: memory" in b]
    if len(mem) != 1 or len(t) != 1 or not tern["return"].endswith("\r\n\r\n"):
        print(f"# mtree: {len(mem)} QEMU memory sections, {len(t)} of Tern's")
        return False
    kept = [l for l in mem[0]
            if not any(l.endswith("): " + r) or ("): " + r + " @") in l for r in ABSENT_REGIONS)]
    others = [b[0] for b in q if b is not mem[0]]
    if not all(s in ABSENT_MTREE_SECTIONS for s in others):
        print(f"# mtree: QEMU sections {others}")
        return False
    if t[0] != kept:
        for a, b in zip(t[0], kept):
            if a != b:
                print(f"# mtree: Tern '{a}', QEMU '{b}'")
                break
        return False
    return True


RULES = {"query-version": rule_package, "query-cpus-fast": rule_thread_id,
         "query-machines": rule_machines, "query-commands": rule_commands,
         "query-qmp-schema": rule_schema, "hmp-info-version": rule_hmp_version,
         "hmp-info-qtree": rule_qtree, "hmp-info-mtree": rule_mtree}


def mask_qemu_run(rec):
    """A QEMU session in the form the stale check compares: thread-id is QEMU's host
    thread; the order of info mtree's sections varies from run to run (sorted)."""
    for s in rec["steps"]:
        if s["name"] == "query-cpus-fast":
            for cpu in s["reply"].get("return", []):
                cpu["thread-id"] = 0
        if s["name"] == "hmp-info-mtree" and "return" in s["reply"]:
            s["reply"]["mtree-sections"] = sorted(mtree_sections(s["reply"].pop("return")))
    return rec


def main():
    tern = sys.argv[1]
    qemu = sys.argv[2] if len(sys.argv) > 2 else "qemu-system-riscv64"
    with open(rq.GOLDEN, encoding="utf-8") as f:
        golden = json.load(f)
    names = [s[0] for s in rq.SESSION]
    n = 0

    def tap(ok, text):
        nonlocal n
        n += 1
        print(f"{'ok' if ok else 'not ok'} {n} - {text}")

    # The golden file is QEMU's current answer, or it is stale.
    if shutil.which(qemu):
        live = mask_qemu_run(rq.run_session(shutil.which(qemu)))
        recorded = mask_qemu_run(json.loads(json.dumps(golden)))
        stale = [s["name"] for s, g in zip(live["steps"], recorded["steps"]) if s != g]
        ok = live == recorded
        tap(ok, "the golden file is what the installed QEMU answers" +
            ("" if ok else f" (stale: {stale or 'greeting/exit'}; run tests/qmp/record-qemu.py)"))
    else:
        print(f"# SKIP: {qemu} is not installed: the golden file is not checked against a "
              "live QEMU (CI installs qemu-system-misc; this must not happen there)")
        tap(True, f"# SKIP {qemu} not installed")
    tap([s["name"] for s in golden["steps"]] == names, "the golden file has the session's steps")
    got = rq.run_session(tern)
    tap(rule_package(got["greeting"], golden["greeting"]),
        "the greeting is QEMU's but for the package")
    for s, g in zip(got["steps"], golden["steps"]):
        rule = RULES.get(s["name"])
        ok = rule(s["reply"], g["reply"]) if rule else s["reply"] == g["reply"]
        if not ok and not rule:
            print(f"# Tern: {json.dumps(s['reply'])[:500]}\n# QEMU: {json.dumps(g['reply'])[:500]}")
        tap(ok, f"{s['name']} replies as QEMU 7.2" + (f" ({rule.__doc__.split(':')[0]} rule)"
                                                       if rule else ""))
    tev = [e for s in got["steps"] for e in s["events"]]
    qev = [e for s in golden["steps"] for e in s["events"]]
    if tev != qev:
        print(f"# Tern's events: {tev}\n# QEMU's events: {qev}")
    tap(tev == qev, "the session's events are QEMU's, in its order")
    tap(got["exit"] == golden["exit"] == 0, "quit ends both with exit status 0")
    print(f"1..{n}")


if __name__ == "__main__":
    main()
