#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""TAP test of ci/coverage-table.py, the table and gate of ci/coverage.

Writes small lcov tracefiles and gate files whose counts are known, runs the
script on them and checks the table's figures, the per-file table, the gate's
TAP lines and the exit status.  Usage: test-coverage-table.py SOURCE_ROOT
"""
import os
import re
import subprocess
import sys
import tempfile

root = os.path.realpath(sys.argv[1])
script = os.path.join(root, "ci", "coverage-table.py")
cases = []


def case(ok, what):
    cases.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(cases)} - {what}")


def run(tmp, info, gate=None, no_gate=False):
    info_path = os.path.join(tmp, "t.info")
    with open(info_path, "w") as f:
        f.write(info)
    args = [sys.executable, script, "--info", info_path, "--root", tmp,
            "--summary", os.path.join(tmp, "summary.txt"), "--files", os.path.join(tmp, "files.txt")]
    if gate is not None:
        gate_path = os.path.join(tmp, "gate.txt")
        with open(gate_path, "w") as f:
            f.write(gate)
        args += ["--gate", gate_path]
    if no_gate:
        args.append("--no-gate")
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def row(text, name):
    """The row of NAME as (line%, lines, branch%, branches), or None."""
    for line in text.splitlines():
        w = line.split()
        if w and w[0] == name:
            return tuple(w[1:])
    return None


with tempfile.TemporaryDirectory() as tmp:
    core_a = os.path.join(tmp, "core", "a.c")
    core_h = os.path.join(tmp, "core", "a.h")
    hw_b = os.path.join(tmp, "hw", "b.c")
    # core/a.c: 4 lines, 3 hit; 4 branches, one '-' (its block never ran) and one 0: 2 taken.
    # core/a.h in two records (two objects): lines 1-2, hit once each in different records;
    # branch (1,0,0) taken only in the second: the union counts 2/2 lines, 1/2 branches.
    # hw/b.c: 2 lines, none hit, no branch.  tests/t.c and /usr/x.h are not Tern's: left out.
    info = f"""TN:
SF:{core_a}
DA:1,5
DA:2,0
DA:3,1,abcdef
DA:4,7
BRDA:1,0,0,3
BRDA:1,0,1,-
BRDA:4,0,0,0
BRDA:4,0,1,2
LF:4
LH:3
end_of_record
SF:{core_h}
DA:1,1
DA:2,0
BRDA:1,0,0,0
BRDA:1,0,1,0
end_of_record
SF:{core_h}
DA:1,0
DA:2,4
BRDA:1,0,0,9
end_of_record
SF:{hw_b}
DA:1,0
DA:2,0
end_of_record
SF:{tmp}/tests/t.c
DA:1,1
end_of_record
SF:/usr/x.h
DA:1,1
end_of_record
"""
    rc, out, err = run(tmp, info, gate="# comment\ncore 70 50\nhw/ 0 0\n")
    case(rc == 0, f"a gate that holds: status 0 (got {rc}; {err.strip()})")
    case(row(out, "core/") == ("83.3", "5/6", "50.0", "3/6"),
         f"core/: the two records of a.h counted once each, '-' and 0 not taken ({row(out, 'core/')})")
    case(row(out, "hw/") == ("0.0", "0/2", "100.0", "0/0"),
         f"hw/: a file never run counts 0%, no branch is 100% ({row(out, 'hw/')})")
    case(row(out, "cpu/") == ("-", "0/0", "-", "0/0"), f"cpu/ without data is '-' ({row(out, 'cpu/')})")
    case(row(out, "total") == ("62.5", "5/8", "50.0", "3/6"),
         f"total: tests/ and /usr are not Tern's sources ({row(out, 'total')})")
    with open(os.path.join(tmp, "summary.txt")) as f:
        case(f.read() == out[:out.index("ok - ")], "summary.txt is the table printed")
    with open(os.path.join(tmp, "files.txt")) as f:
        names = [l.split()[0] for l in f.read().splitlines()[2:]]
    case(names == ["hw/b.c", "core/a.c", "core/a.h"], f"files.txt: weakest first ({names})")
    oks = re.findall(r"^ok - coverage of (\S+) >= gate", out, re.M)
    case(oks == ["core/", "hw/"], f"one TAP line per gated directory, 'hw/' read as 'hw' ({oks})")

    rc, out, _ = run(tmp, info, gate="core 84 50\nhw 0 0\n")
    case(rc == 1 and re.search(r"^not ok - coverage of core/ >= gate \(lines 83\.3% \(gate 84%\)", out, re.M),
         f"lines below the gate: 'not ok', status 1 (status {rc})")
    rc, out, _ = run(tmp, info, gate="core 0 50.1\n")
    case(rc == 1 and "not ok - coverage of core/" in out, f"branches below the gate: status 1 (status {rc})")
    rc, out, _ = run(tmp, info, gate="core 84 50\n", no_gate=True)
    case(rc == 0 and "not ok" not in out and re.search(r"^# coverage of core/ is below the gate", out, re.M),
         f"--no-gate: a '#' line, status 0 (status {rc})")
    rc, out, _ = run(tmp, info, gate="cpu 1 1\n")
    case(rc == 1 and "not ok - coverage of cpu/ >= gate: no coverage data for cpu/" in out,
         f"a gated directory without data fails (status {rc})")
    rc, out, err = run(tmp, info, gate="core 90\n")
    case(rc != 0 and "gate.txt:1: expected 'DIR MIN-LINE% MIN-BRANCH%'" in err,
         f"a malformed gate line: one error naming file and line ({err.strip()})")

print(f"1..{len(cases)}")
sys.exit(0 if all(cases) else 1)
