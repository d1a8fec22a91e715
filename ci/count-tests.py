#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Counts test cases from meson's testlog.json.

Every Tern test speaks TAP.  A case is one "ok"/"not ok" line; a program that
died before finishing its plan ("1..N") counts its missing cases as failed, and
a program that failed with no TAP at all counts as one failure.  Prints the
line "N passed, N failed" that CI reads, and exits 1 if anything failed.
"""
import json
import re
import sys


def count(path):
    passed = failed = 0
    if path != "/dev/null":
        try:
            open(path).close()
        except OSError:
            print(f"FAILED: no test log at {path} (build failed?)", file=sys.stderr)
            return 0, 1
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            t = json.loads(line)
            out = t.get("stdout") or ""
            ok = bad = 0
            plan = 0
            for l in out.splitlines():
                if re.match(r"^ok\b", l):
                    ok += 1
                elif re.match(r"^not ok\b", l):
                    bad += 1
                m = re.match(r"^1\.\.(\d+)", l)
                if m:
                    plan += int(m.group(1))
            missing = max(0, plan - ok - bad)
            result = t.get("result", "")
            if result not in ("OK", "EXPECTEDFAIL", "SKIP") and bad + missing == 0:
                missing = 1
            if result == "SKIP" and ok + bad == 0:
                print(f"SKIPPED: {t.get('name')}", file=sys.stderr)
            passed += ok
            failed += bad + missing
            if bad + missing:
                print(f"FAILED: {t.get('name')} ({result})", file=sys.stderr)
    return passed, failed


def main():
    passed = failed = 0
    for p in sys.argv[1:]:
        a, b = count(p)
        passed += a
        failed += b
    if len(sys.argv) == 2:
        print(f"{passed} passed, {failed} failed")
    else:
        print(f"{passed} {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
