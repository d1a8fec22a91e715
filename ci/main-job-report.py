#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The end of the main job (ci/run-default.sh): its summary, its report's top
page, and its checks as TAP lines.

Usage: python3 ci/main-job-report.py OUT

Reads what the steps left in OUT: fuzz/results.json (ci/main-job-fuzz.py) and
the plot (ci/fuzz-plot.py); replay.status and replay.log (the regression
replay); coverage.status, coverage.log and coverage/ (ci/coverage).  A
*.status file is one line: "ran STATUS", "missing WHY" or "skipped WHY".
Writes OUT/summary.txt (what is printed) and OUT/index.html (links to the
fuzzing page, the coverage report and the logs), then prints the summary and
one TAP line per check, which .ci/run counts.  A step that could not run
(tern-replay cannot replay yet, ci/coverage is not there) is a loud "# SKIP"
line, never a pass.  Exit status 1 if a check failed.
"""
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

BANNER = "!" * 72


def read_status(out, name):
    try:
        with open(os.path.join(out, f"{name}.status")) as f:
            word, _, rest = f.read().strip().partition(" ")
            return word, rest
    except OSError:
        return "missing", f"the step left no {name}.status (it did not run)"


def tail(path, n):
    try:
        with open(path, errors="replace") as f:
            return f.read().splitlines()[-n:]
    except OSError:
        return []


def check_svg(path):
    """An SVG document (it parses as XML, its root is <svg>) that gnuplot wrote."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        return f"{path}: not an SVG document ({e})"
    if not root.tag.endswith("svg"):
        return f"{path}: the root element is <{root.tag}>, not <svg>"
    with open(path, errors="replace") as f:
        if "Produced by GNUPLOT" not in f.read():
            return f"{path}: gnuplot's <desc>Produced by GNUPLOT</desc> is not in it"
    return None


def check_png(path):
    try:
        with open(path, "rb") as f:
            head = f.read(24)
    except OSError as e:
        return f"{path}: {e.strerror}"
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return f"{path}: not a PNG file (no signature and IHDR chunk)"
    w, h = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    if w < 100 or h < 100:
        return f"{path}: a {w}x{h} image is too small to be the plot"
    return None


def main():
    out = sys.argv[1]
    fuzz_dir = os.path.join(out, "fuzz")
    checks = []  # (result, text, comment lines): result "ok", "not ok" or "skip"
    s = []  # the summary's lines

    # Fuzzing.
    try:
        with open(os.path.join(fuzz_dir, "results.json")) as f:
            results = json.load(f)
    except (OSError, ValueError) as e:
        results = None
        checks.append(("not ok", f"fuzzing: no results ({e})", []))
    if results is not None:
        secs = {r["seconds"] for r in results}
        execs = sum(r["execs"] for r in results)
        new = sum(r["new_entries"] for r in results)
        found = [r for r in results if r["crash"]]
        failed = [r for r in results if r["status"] != 0 and not r["crash"]]
        s.append(f"fuzzing: {len(results)} targets, {execs:,} executions, {len(found)} crashes, "
                 f"{new} new inputs (in {os.path.join(fuzz_dir, 'new-corpus')}/, not in corpora/)")
        s.append(f"  {'target':28} {'executions':>11} {'cov':>5} {'ft':>6} {'new':>4}  result")
        for r in results:
            s.append(f"  {r['target']:28} {r['execs']:>11,} {r['cov']:>5} {r['ft']:>6} {r['new_entries']:>4}  {r['state']}")
        for r in found:
            s.append(f"  CRASH {r['target']}: {r['kind']}, input {r['crash']}")
            if r["reproducer_dir"]:
                for l in tail(os.path.join(r["reproducer_dir"], "report.txt"), 10**6)[:3]:
                    if " reproduced a crash: " in l:
                        s.append("    kind: " + l.split(" reproduced a crash: ", 1)[1])
                    elif l.startswith("signature:"):
                        s.append("    " + l)
                s.append(f"    reproducer: {r['reproducer_dir']}/ (repro.sh, trace, repro-test.c, report.txt;"
                         f" tern-fuzz's output in {r['reproduce_log']})")
            elif r["reproduce_log"]:
                s.append(f"    tern-fuzz --reproduce wrote no reproducer: see {r['reproduce_log']}")
            else:
                s.append("    a wall-clock timeout: reproduce it with (it may take up to 10 minutes):")
            s.append(f"    {r['reproduce']}")
        for r in failed:
            s.append(f"  FAILED {r['target']}: libFuzzer ended with status {r['status']} and no input: see {r['log']}")
        for r in results:
            comments = []
            if r["crash"] or r["status"] != 0:
                comments = [l for l in tail(r["log"], 40)]
                res = "not ok"
                why = f"found {r['kind']}" if r["crash"] else f"libFuzzer ended with status {r['status']}"
                text = f"fuzz {r['target']}: {why} after {r['execs']:,} executions"
            elif r["execs"] <= 0:
                res, text = "not ok", f"fuzz {r['target']}: no execution counted (see {r['log']})"
            else:
                res = "ok"
                text = (f"fuzz {r['target']}: {r['execs']:,} executions in {r['seconds']:.1f} s, cov {r['cov']}, "
                        f"{r['new_entries']} new inputs")
            checks.append((res, text, comments))
        for name, fn in (("coverage-over-time.svg", check_svg), ("coverage-over-time.png", check_png)):
            err = fn(os.path.join(fuzz_dir, name))
            checks.append(("not ok" if err else "ok",
                           f"plot {name}: " + (err or f"made by gnuplot, {os.path.getsize(os.path.join(fuzz_dir, name)):,} bytes"),
                           []))

    # The regression replay.
    word, why = read_status(out, "replay")
    log = os.path.join(out, "replay.log")
    if word == "ran":
        summary = [l for l in tail(log, 200) if re.search(r"\b\d+ passed, \d+ failed\b", l)]
        m = re.search(r"\b(\d+) passed, (\d+) failed\b", summary[-1]) if summary else None
        if m:
            s.append(f"traces: {m.group(1)} passed, {m.group(2)} failed (tern-replay corpora/regress, status {why};"
                     f" {log})")
            # tern-replay prints each failure's first divergence; the passes are "ok TRACE".
            fails = [l for l in tail(log, 10**6) if not l.startswith("ok ") and l not in summary]
            s += ["  " + l for l in fails[:30]]
            good = m.group(2) == "0" and why == "0"
            checks.append(("ok" if good else "not ok", f"replay corpora/regress: {summary[-1].strip()}", []))
        else:
            s.append(f"traces: FAILED - tern-replay corpora/regress ended with status {why} without its count"
                     f" (see {log})")
            checks.append(("not ok", f"replay corpora/regress: status {why}", tail(log, 30)))
    else:
        s += [BANNER, f"!!! traces: NOT REPLAYED - {why}", BANNER]
        checks.append(("skip", f"replay corpora/regress: not replayed: {why}", []))

    # Coverage.
    word, why = read_status(out, "coverage")
    cov_dir = os.path.join(out, "coverage")
    cov_html = os.path.join(cov_dir, "html", "index.html")
    if word == "ran":
        table = tail(os.path.join(cov_dir, "summary.txt"), 60)
        if why == "0" and os.path.isfile(cov_html):
            s.append(f"coverage (ci/coverage, {os.path.join(cov_dir, 'summary.txt')}):")
            s += ["  " + l for l in table]
            checks.append(("ok", f"coverage report: {cov_html}", []))
        else:
            s.append(f"coverage: FAILED - ci/coverage ended with status {why}"
                     + ("" if os.path.isfile(cov_html) else f", no {cov_html}")
                     + f" (see {os.path.join(out, 'coverage.log')})")
            s += ["  " + l for l in table]
            checks.append(("not ok", f"coverage report: ci/coverage status {why}",
                           tail(os.path.join(out, "coverage.log"), 30)))
    else:
        s += [BANNER, f"!!! coverage: NO REPORT - {why}", BANNER]
        checks.append(("skip", f"coverage report: not written: {why}", []))

    index = os.path.join(out, "index.html")
    s.append(f"report: {index}")
    s.append(f"  fuzzing and the coverage-over-time plot: {os.path.join(fuzz_dir, 'index.html')}")
    if os.path.isfile(cov_html):
        s.append(f"  coverage: {cov_html}")
    fuzz_cov = os.path.join(cov_dir, "fuzz", "summary.txt")
    if os.path.isfile(fuzz_cov):
        s.append(f"  what each fuzz target's corpus reaches (llvm-cov): {fuzz_cov}")

    # The summary must name every target that ran (the fuzzing check above counted them).
    if results is not None:
        text = "\n".join(s)
        absent = [r["target"] for r in results if not re.search(rf"^  {re.escape(r['target'])} ", text, re.M)]
        checks.append(("not ok" if absent else "ok",
                       f"summary lists every target ({len(results) - len(absent)} of {len(results)})"
                       + (f"; missing: {', '.join(absent)}" if absent else ""), []))

    with open(os.path.join(out, "summary.txt"), "w") as f:
        f.write("\n".join(s) + "\n")
    write_index(out, s, os.path.isfile(cov_html))

    print("== Tern main job: summary")
    print("\n".join(s))
    print("== checks (TAP)")
    for i, (res, text, comments) in enumerate(checks, 1):
        if res == "skip":
            print(f"ok {i} - {text} # SKIP")
        else:
            print(f"{res} {i} - {text}")
        for c in comments:
            print(f"# {c}")
    print(f"1..{len(checks)}")
    return 1 if any(c[0] == "not ok" for c in checks) else 0


def write_index(out, summary, have_cov):
    links = ['<li><a href="fuzz/index.html">fuzzing: coverage over time and the runs</a></li>']
    if have_cov:
        links.append('<li><a href="coverage/html/index.html">coverage report (lcov)</a>'
                     ' and <a href="coverage/summary.txt">its per-directory table</a></li>')
        if os.path.isfile(os.path.join(out, "coverage", "fuzz", "summary.txt")):
            links.append('<li><a href="coverage/fuzz/summary.txt">what each fuzz target\'s corpus reaches'
                         '</a> (llvm-cov; per target: coverage/fuzz/TARGET/html/index.html)</li>')
    else:
        links.append("<li>coverage report: not written (see the summary)</li>")
    for name, what in (("replay.log", "regression replay log"), ("coverage.log", "ci/coverage's log"),
                       ("summary.txt", "the summary as text")):
        if os.path.isfile(os.path.join(out, name)):
            links.append(f'<li><a href="{name}">{what}</a></li>')
    page = f"""<!DOCTYPE html>
<!-- SPDX-License-Identifier: GPL-2.0-or-later -->
<html><head><meta charset="utf-8"><title>Tern main job</title>
<style>body{{font-family:sans-serif;margin:2em}} pre{{background:#f6f6f6;padding:1em}}</style></head><body>
<h1>Tern main job</h1>
<ul>{''.join(links)}</ul>
<img src="fuzz/coverage-over-time.svg" alt="fuzz coverage over time, one line per target" width="900">
<pre>{html.escape(chr(10).join(summary))}</pre>
</body></html>
"""
    with open(os.path.join(out, "index.html"), "w") as f:
        f.write(page)


if __name__ == "__main__":
    sys.exit(main())
