#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Draws each fuzz target's coverage over time with gnuplot, and the page that shows it.

Usage: python3 ci/fuzz-plot.py DIR

DIR is the main job's fuzzing directory (ci/main-job-fuzz.py): DIR/TARGET.dat
("seconds execs cov ft", one line per libFuzzer status line) and
DIR/results.json.  Writes DIR/coverage-over-time.gp (the gnuplot script, kept so
the plot can be redrawn or changed by hand), DIR/coverage-over-time.svg and
.png (one line per target: x = seconds since the target started, y = the
coverage edges libFuzzer counts, "cov:") and DIR/index.html (the plot and a
table of the runs).  gnuplot comes from Debian's gnuplot-nox (ci/deps.sh).
Exit status 1 if gnuplot is missing or fails.
"""
import html
import json
import os
import subprocess
import sys

# Line styles: gnuplot's 8 default colours times 3 dash types keep 24 targets apart.
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
DASHES = [1, 2, 4]


def gp_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_script(d, results):
    lines = [
        "# SPDX-License-Identifier: GPL-2.0-or-later",
        "# Written by ci/fuzz-plot.py: each fuzz target's coverage over time (gnuplot coverage-over-time.gp).",
        "set xlabel 'seconds since the target started'",
        "set ylabel 'coverage (libFuzzer cov: edges)'",
        "set title 'Tern main job: libFuzzer coverage over time, one line per target'",
        "set key outside right top vertical Left reverse noenhanced font ',9'",
        "set grid",
        "set xrange [0:*]",
        "set yrange [0:*]",
    ]
    plots = []
    for i, r in enumerate(results):
        dat = os.path.basename(r["dat"])
        style = f"lc rgb '{COLOURS[i % len(COLOURS)]}' dt {DASHES[(i // len(COLOURS)) % len(DASHES)]} lw 1.5"
        # A target with no status line (it did not start) still has its key entry, with no line.
        if has_points(os.path.join(d, dat)):
            plots.append(f"{gp_quote(dat)} using 1:3 with steps {style} title {gp_quote(r['target'])}")
        else:
            plots.append(f"NaN {style} title {gp_quote(r['target'] + ' (no data)')}")
    body = "plot " + ", \\\n     ".join(plots) if plots else "plot NaN title 'no target ran'"
    out = []
    out.append("set terminal svg size 1100,600 dynamic font 'sans,11' background '#ffffff'")
    out.append("set output 'coverage-over-time.svg'")
    out.append(body)
    out.append("set terminal pngcairo size 1100,600 font 'sans,10' background '#ffffff'")
    out.append("set output 'coverage-over-time.png'")
    out.append("replot")
    out.append("unset output")
    with open(os.path.join(d, "coverage-over-time.gp"), "w") as f:
        f.write("\n".join(lines + out) + "\n")


def has_points(path):
    try:
        with open(path) as f:
            return any(l.strip() and not l.startswith("#") for l in f)
    except OSError:
        return False


def write_page(d, results):
    rows = []
    for r in results:
        crash = ""
        if r.get("crash"):
            crash = html.escape(r.get("kind") or "crash")
            if r.get("reproducer_dir"):
                crash += f" (<code>{html.escape(r['reproducer_dir'])}</code>)"
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in [
            html.escape(r["target"]), html.escape(r["state"]), f"{r['execs']:,}", r["cov"], r["ft"],
            r["seeds"], r["new_entries"], f"{r['seconds']:.1f}",
            f"<a href=\"{html.escape(os.path.basename(r['log']))}\">log</a>",
            f"<a href=\"{html.escape(os.path.basename(r['dat']))}\">data</a>", crash]) + "</tr>")
    page = f"""<!DOCTYPE html>
<!-- SPDX-License-Identifier: GPL-2.0-or-later -->
<html><head><meta charset="utf-8"><title>Tern main job: fuzzing</title>
<style>body{{font-family:sans-serif;margin:2em}} table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 8px;text-align:right}} td:first-child,th:first-child{{text-align:left}}</style>
</head><body>
<h1>Fuzzing: coverage over time</h1>
<p><a href="../index.html">main job report</a> · drawn by gnuplot from the <code>.dat</code> files
(<a href="coverage-over-time.gp">script</a>, <a href="coverage-over-time.png">PNG</a>)</p>
<img src="coverage-over-time.svg" alt="coverage edges against seconds, one line per fuzz target">
<table><tr><th>target</th><th>result</th><th>executions</th><th>cov</th><th>ft</th><th>seeds</th>
<th>new inputs</th><th>seconds</th><th></th><th></th><th>crash</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""
    with open(os.path.join(d, "index.html"), "w") as f:
        f.write(page)


def main():
    if len(sys.argv) != 2:
        print("usage: fuzz-plot.py DIR", file=sys.stderr)
        return 2
    d = sys.argv[1]
    with open(os.path.join(d, "results.json")) as f:
        results = json.load(f)
    write_script(d, results)
    write_page(d, results)
    try:
        p = subprocess.run(["gnuplot", "coverage-over-time.gp"], cwd=d, capture_output=True, text=True,
                           timeout=120)
    except FileNotFoundError:
        print("fuzz-plot.py: gnuplot is not installed (Debian: gnuplot-nox, ci/deps.sh)", file=sys.stderr)
        return 1
    if p.returncode != 0:
        print(f"fuzz-plot.py: gnuplot failed (status {p.returncode}): {p.stderr.strip()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
