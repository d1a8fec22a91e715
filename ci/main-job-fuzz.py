#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The fuzzing step of the main job (ci/run-default.sh): runs libFuzzer on every
target for a bounded time, JOBS at a time, with live progress, and keeps what
each run says about its coverage over time.

ci/run-default.sh works out, with ci/fuzz-lib.sh, what each target needs (its
environment, seeds and dictionary) and hands it over in a spec file, one target
a line: TARGET <tab> SEEDS-DIR <tab> SEED-COUNT <tab> DICT-OR-EMPTY <tab>
VAR=value|VAR=value (the seeds are a copy: libFuzzer writes the new inputs it
finds into OUT/new-corpus/TARGET, never into corpora/).

Every line libFuzzer prints is stamped with the seconds since its start as it
arrives; its status lines ("#N INITED|NEW|REDUCE|pulse|DONE cov: X ft: Y ...")
become OUT/TARGET.dat ("seconds execs cov ft", what ci/fuzz-plot.py draws).
On a terminal each target has one line that is redrawn in place; otherwise a
plain line is printed when a target starts and when it ends.

A run that ends with a status other than 0 has found something (or failed to
start): its input from OUT/artifacts/TARGET/ is given to `tern-fuzz
--reproduce CRASH --out OUT/../crashes` (docs/fuzzing.md), except a timeout,
which --reproduce would wait on for up to 10 minutes.  OUT/results.json
holds one record per target for ci/main-job-report.py.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time

STATUS_RE = re.compile(r"^#(\d+)\s+(\w+)\s+cov: (\d+) ft: (\d+)(?:.*?corp: (\d+)/)?(?:.*?exec/s: (\d+))?")
EXECS_RE = re.compile(r"^stat::number_of_executed_units:\s*(\d+)")
# --reproduce would wait up to 10 minutes on a hanging input: these are reported, not replayed.
HANG_PREFIXES = ("timeout-", "slow-unit-")


class Run:
    def __init__(self, target, seeds, nseeds, dict_, envs):
        self.target = target
        self.seeds = seeds
        self.nseeds = int(nseeds)
        self.dict = dict_
        self.envs = [e for e in envs.split("|") if e]
        self.state = "waiting"
        self.proc = None
        self.start = None
        self.elapsed = 0.0
        self.execs = 0
        self.final_execs = None
        self.cov = self.ft = self.corp = self.rate = 0
        self.status = None
        self.lock = threading.Lock()

    def env(self):
        env = dict(os.environ)
        for e in self.envs:
            k, _, v = e.partition("=")
            env[k] = v
        return env


def start_run(run, args):
    t = run.target
    for sub in ("new-corpus", "artifacts"):
        os.makedirs(os.path.join(args.out, sub, t), exist_ok=True)
    new_dir = os.path.join(args.out, "new-corpus", t)
    cmd = [args.fuzzer, f"--fuzz-target={t}", "-timeout=10", "-rss_limit_mb=2560",
           f"-artifact_prefix={os.path.join(args.out, 'artifacts', t)}/", "-print_final_stats=1",
           f"-max_total_time={args.seconds}"]
    if run.dict:
        cmd.append(f"-dict={run.dict}")
    cmd += [new_dir, run.seeds]
    run.cmd = cmd
    run.log_path = os.path.join(args.out, f"{t}.log")
    run.dat_path = os.path.join(args.out, f"{t}.dat")
    run.start = time.monotonic()
    run.state = "running"
    run.proc = subprocess.Popen(cmd, env=run.env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
    th = threading.Thread(target=read_output, args=(run,), daemon=True)
    th.start()
    run.thread = th


def read_output(run):
    with open(run.log_path, "w", encoding="utf-8") as log, open(run.dat_path, "w") as dat:
        log.write("# " + " ".join(run.envs + run.cmd) + "\n")
        dat.write(f"# {run.target}: seconds execs cov ft (libFuzzer's status lines)\n")
        for raw in run.proc.stdout:
            now = time.monotonic() - run.start
            line = raw.decode("utf-8", "replace").rstrip("\n")
            log.write(f"[{now:8.3f}] {line}\n")
            m = STATUS_RE.match(line)
            if m:
                with run.lock:
                    run.execs, run.cov, run.ft = int(m.group(1)), int(m.group(3)), int(m.group(4))
                    if m.group(5):
                        run.corp = int(m.group(5))
                    if m.group(6):
                        run.rate = int(m.group(6))
                dat.write(f"{now:.3f} {run.execs} {run.cov} {run.ft}\n")
                dat.flush()
                continue
            m = EXECS_RE.match(line)
            if m:
                run.final_execs = int(m.group(1))


def drop_seeds(run, new_dir):
    """libFuzzer also writes the seeds it loaded into the first corpus directory; they are
    in corpora/ already.  Its file names are the SHA-1 of their contents."""
    seeds = set()
    for name in os.listdir(run.seeds):
        with open(os.path.join(run.seeds, name), "rb") as f:
            seeds.add(hashlib.sha1(f.read()).hexdigest())
    for name in os.listdir(new_dir):
        if name in seeds:
            os.unlink(os.path.join(new_dir, name))


def finish_run(run, args):
    run.thread.join()
    drop_seeds(run, os.path.join(args.out, "new-corpus", run.target))
    run.status = run.proc.returncode
    run.elapsed = time.monotonic() - run.start
    arts = sorted(os.listdir(os.path.join(args.out, "artifacts", run.target)))
    run.crash = os.path.join(args.out, "artifacts", run.target, arts[0]) if arts else None
    run.kind = re.sub(r"-[0-9a-f]+$", "", os.path.basename(run.crash)) if run.crash else None
    run.state = "done" if run.status == 0 else (f"FOUND {run.kind}" if run.crash else f"FAILED (status {run.status})")
    run.repro_dir = run.repro_log = None
    if run.crash:
        reproduce(run, args)


def reproduce(run, args):
    crashes = args.crashes
    os.makedirs(crashes, exist_ok=True)
    run.repro_cmd = (" ".join(run.envs) + " " if run.envs else "") + \
        f"{args.fuzzer} --fuzz-target={run.target} --reproduce {run.crash} --out {crashes}"
    if os.path.basename(run.crash).startswith(HANG_PREFIXES):
        return
    before = set(os.listdir(crashes))
    run.repro_log = os.path.join(crashes, f"{run.target}-reproduce.log")
    with open(run.repro_log, "w") as f:
        try:
            rc = subprocess.run([args.fuzzer, f"--fuzz-target={run.target}", "--reproduce", run.crash,
                                 "--out", crashes], env=run.env(), stdout=f, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, timeout=120).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout (120 s)"
        f.write(f"\n# tern-fuzz --reproduce ended with status {rc}"
                " (0: reproduced, 1: ran clean in a fresh process, 2: error)\n")
    new = sorted(d for d in set(os.listdir(crashes)) - before if d.startswith(run.target + "-")
                 and os.path.isdir(os.path.join(crashes, d)))
    if not new:
        # A crash with a known signature adds its input to the existing directory.
        new = sorted(d for d in os.listdir(crashes) if d.startswith(run.target + "-")
                     and os.path.isdir(os.path.join(crashes, d)))
    run.repro_dir = os.path.join(crashes, new[-1]) if new else None


def line_for(run, args):
    with run.lock:
        if run.state == "waiting":
            return f"{run.target:24} waiting"
        t = run.elapsed if run.state != "running" else time.monotonic() - run.start
        execs = run.final_execs if run.final_execs is not None else run.execs
        s = (f"{run.target:24} {run.state:7} {t:4.1f}/{args.seconds} s {execs:>9,} execs "
             f"cov {run.cov:>4} ft {run.ft:>5} corp {run.corp:>4}")
        if run.state == "running":
            s += f" {run.rate:>6,}/s"
        return s


class Display:
    """One line per target redrawn in place on a terminal; when the terminal is too short for
    all, the running targets' lines and a count are redrawn and a finished target's line is
    printed above them for good.  A start and an end line per target otherwise."""

    def __init__(self, runs, args):
        self.runs, self.args = runs, args
        self.tty = sys.stdout.isatty() and os.environ.get("TERM", "dumb") != "dumb"
        self.short = self.tty and len(runs) + 2 > os.get_terminal_size(sys.stdout.fileno()).lines
        self.drawn = 0

    def redraw(self):
        if not self.tty:
            return
        size = os.get_terminal_size(sys.stdout.fileno())
        width = max(40, size.columns - 1)
        shown = self.runs
        if self.short:
            running = [r for r in self.runs if r.state == "running"]
            done = sum(r.state != "running" and r.state != "waiting" for r in self.runs)
            shown = running
        lines = [line_for(r, self.args)[:width] for r in shown]
        if shown is not self.runs:
            waiting = len(self.runs) - len(running) - done
            lines.append(f"{done} done, {waiting} waiting"[:width])
        out = [f"\x1b[{self.drawn}F"] if self.drawn else []
        out += ["\x1b[2K" + l + "\n" for l in lines]
        out.append("\x1b[J")
        self.drawn = len(lines)
        sys.stdout.write("".join(out))
        sys.stdout.flush()

    def event(self, run):
        if self.tty:
            if self.short and run.state != "running":
                up = f"\x1b[{self.drawn}F" if self.drawn else ""
                sys.stdout.write(up + "\x1b[J" + line_for(run, self.args) + "\n")
                self.drawn = 0
            return
        if run.state == "running":
            print(f"{run.target:28} started: {run.nseeds} seeds" + (f", dictionary {run.dict}" if run.dict else "")
                  + (f", {' '.join(run.envs)}" if run.envs else ""), flush=True)
        else:
            print(line_for(run, self.args), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fuzzer", required=True)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", required=True, help="where logs, .dat files, new corpus entries go")
    ap.add_argument("--crashes", required=True, help="tern-fuzz --reproduce's --out directory")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    runs = []
    with open(args.spec) as f:
        for line in f:
            if line.strip():
                runs.append(Run(*line.rstrip("\n").split("\t")))
    disp = Display(runs, args)
    pending = list(runs)
    running = []
    while pending or running:
        while pending and len(running) < args.jobs:
            r = pending.pop(0)
            start_run(r, args)
            running.append(r)
            disp.event(r)
        for r in list(running):
            try:
                # A run past its time by two minutes is stuck: it is ended and counts as failed.
                if time.monotonic() - r.start > args.seconds + 120:
                    r.proc.kill()
                r.proc.wait(timeout=0)
            except subprocess.TimeoutExpired:
                continue
            running.remove(r)
            finish_run(r, args)
            disp.event(r)
        disp.redraw()
        time.sleep(0.25)
    disp.redraw()
    results = []
    for r in runs:
        results.append({
            "target": r.target, "status": r.status, "state": r.state, "seconds": round(r.elapsed, 2),
            "execs": r.final_execs if r.final_execs is not None else r.execs,
            "cov": r.cov, "ft": r.ft, "corpus": r.corp, "seeds": r.nseeds,
            "new_entries": len(os.listdir(os.path.join(args.out, "new-corpus", r.target))),
            "dict": r.dict, "env": r.envs, "log": r.log_path, "dat": r.dat_path,
            "crash": r.crash, "kind": r.kind, "reproduce": getattr(r, "repro_cmd", None),
            "reproducer_dir": r.repro_dir, "reproduce_log": r.repro_log,
        })
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    return 0 if all(r.status == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
