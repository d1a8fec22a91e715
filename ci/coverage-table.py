#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The per-directory coverage table of ci/coverage, and its gate.

Reads an lcov tracefile (lcov --capture with branch coverage), counts lines
and branches per top directory of the source tree (core/, hw/, cpu/, qtest/,
fuzz/, harness/, programs/), writes the table (SUMMARY) and a per-file table
(FILES, weakest first), and checks the gate file: one "DIR MIN-LINE% MIN-BRANCH%"
a line, '#' comments.  Prints the table, then one TAP line per gated directory
("ok - coverage of core/ >= gate (...)") for ci/coverage to number; exit
status 1 when a gated directory is below its minimum (with --no-gate, 0: a
directory below its minimum is a "#" comment line instead of "not ok").

The counts are computed from the DA/BRDA records, not lcov's LF/LH summary
lines, so a file that appears in several records (a header's inline functions
seen from several objects) counts each line and branch once: hit if any record
hit it.  A BRDA count of '-' (its block never ran) is a branch not taken.
"""
import argparse
import os
import sys

DIRS = ["core", "hw", "cpu", "qtest", "fuzz", "harness", "programs"]


def parse(info, root):
    """{relative file: ({line: hit}, {(line, block, branch): hit})} for files under root."""
    files = {}
    cur = None
    root = os.path.realpath(root)
    with open(info, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.strip()
            if line.startswith("SF:"):
                path = os.path.realpath(line[3:])
                rel = os.path.relpath(path, root)
                if rel.startswith("..") or os.path.isabs(rel):
                    cur = None
                else:
                    cur = files.setdefault(rel, ({}, {}))
            elif line == "end_of_record":
                cur = None
            elif cur is None:
                continue
            elif line.startswith("DA:"):
                parts = line[3:].split(",")
                try:
                    n, count = int(parts[0]), int(parts[1])
                except (IndexError, ValueError):
                    continue
                cur[0][n] = cur[0].get(n, False) or count > 0
            elif line.startswith("BRDA:"):
                parts = line[5:].split(",")
                if len(parts) != 4:
                    continue
                key = tuple(parts[:3])
                taken = parts[3] not in ("-", "0")
                cur[1][key] = cur[1].get(key, False) or taken
    return files


def pct(hit, total):
    return 100.0 * hit / total if total else 100.0


def fmt_row(name, lh, lf, bh, bf):
    return f"{name:<12}  {pct(lh, lf):>7.1f}  {f'{lh}/{lf}':>13}  {pct(bh, bf):>7.1f}  {f'{bh}/{bf}':>13}"


def read_gate(path):
    gate = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            words = line.split()
            try:
                if len(words) != 3:
                    raise ValueError
                gate.append((words[0].rstrip("/"), float(words[1]), float(words[2])))
            except ValueError:
                sys.exit(f"{path}:{n}: expected 'DIR MIN-LINE% MIN-BRANCH%', got '{raw.strip()}'")
    return gate


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--info", required=True, help="lcov tracefile")
    ap.add_argument("--root", required=True, help="the source tree's top directory")
    ap.add_argument("--summary", required=True, help="where to write the per-directory table")
    ap.add_argument("--files", help="where to write the per-file table")
    ap.add_argument("--gate", help="the gate file (DIR MIN-LINE% MIN-BRANCH%)")
    ap.add_argument("--no-gate", action="store_true", help="report the gate, never fail on it")
    a = ap.parse_args()

    files = parse(a.info, a.root)
    per_dir = {d: [0, 0, 0, 0] for d in DIRS}
    per_file = []
    for rel, (lines, branches) in files.items():
        top = rel.split(os.sep, 1)[0]
        if top not in per_dir:
            continue
        c = [sum(lines.values()), len(lines), sum(branches.values()), len(branches)]
        per_file.append((rel, c))
        for i in range(4):
            per_dir[top][i] += c[i]

    header = f"{'directory':<12}  {'line%':>7}  {'lines':>13}  {'branch%':>7}  {'branches':>13}"
    out = ["# Tern coverage (gcc -Db_coverage=true, lcov): hit/total lines and branches", header]
    total = [0, 0, 0, 0]
    for d in DIRS:
        c = per_dir[d]
        if c[1] == 0:
            out.append(f"{d + '/':<12}  {'-':>7}  {'0/0':>13}  {'-':>7}  {'0/0':>13}")
            continue
        out.append(fmt_row(d + "/", *c))
        for i in range(4):
            total[i] += c[i]
    out.append(fmt_row("total", *total))
    text = "\n".join(out) + "\n"
    with open(a.summary, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write(text)

    if a.files:
        per_file.sort(key=lambda fc: (pct(fc[1][0], fc[1][1]), fc[0]))
        with open(a.files, "w", encoding="utf-8") as f:
            f.write("# per file, weakest line coverage first\n")
            f.write(f"{'file':<32}  {'line%':>7}  {'lines':>13}  {'branch%':>7}  {'branches':>13}\n")
            for rel, c in per_file:
                f.write(f"{rel:<32}" + fmt_row("", *c)[12:] + "\n")

    failed = False
    if a.gate:
        for d, min_l, min_b in read_gate(a.gate):
            c = per_dir.get(d)
            if c is None or c[1] == 0:
                print(f"not ok - coverage of {d}/ >= gate: no coverage data for {d}/")
                failed = True
                continue
            lp, bp = pct(c[0], c[1]), pct(c[2], c[3])
            ok = lp >= min_l and bp >= min_b
            what = (f"lines {lp:.1f}% (gate {min_l:g}%), branches {bp:.1f}% (gate {min_b:g}%)")
            if ok:
                print(f"ok - coverage of {d}/ >= gate ({what})")
            elif a.no_gate:
                print(f"# coverage of {d}/ is below the gate, not enforced (--no-gate): {what}")
            else:
                print(f"not ok - coverage of {d}/ >= gate ({what})")
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
