#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's first command: Tern's main job, its whole loop on the shipped
# defaults.  Sets up (ci/deps.sh), builds (gcc in build/, libFuzzer with
# ASan+UBSan in build-fuzz/, as ci/fuzz-smoke.sh), fuzzes every target on its
# corpus for a bounded time with live progress (ci/main-job-fuzz.py; targets,
# seeds, dictionaries and environment from ci/fuzz-lib.sh; new inputs go to
# OUT/fuzz/new-corpus/, never into corpora/), plots each target's coverage
# over time (ci/fuzz-plot.py, gnuplot), replays the regression corpus
# (tern-replay corpora/regress), writes the coverage report (ci/coverage
# --no-gate) and ends with a short summary and its checks as TAP lines
# (ci/main-job-report.py).  A step that cannot run yet says so loudly in the
# summary; it does not fail the job.
#
# Usage: bash ci/run-default.sh [--seconds N] [--targets a,b,...] [--jobs N]
#                               [--out DIR] [--build DIR] [--no-coverage | --coverage-from DIR]
# Exit status: 0 when every target fuzzed without a finding and every step
# that ran passed; 1 otherwise (a crash, a failed replay or report, a build).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

usage() {
  sed -n '/^# Usage:/,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  cat << 'EOF'
Flags:
  --seconds N      fuzz each target N seconds (default 10)
  --targets a,b    only these targets (default: every one `tern-fuzz --list` prints)
  --jobs N         targets fuzzed at a time (default: the number of cores)
  --out DIR        where the report goes (default build/main-job)
  --build DIR      the gcc build directory (default build)
  --no-coverage    leave out the coverage report (said loudly in the summary)
  --coverage-from DIR  take the report ci/coverage already wrote in DIR (DIR/html/index.html,
                   DIR/summary.txt) instead of running it again (CI: its coverage stage's)
EOF
}

seconds=10 targets_arg= jobs=$(nproc) out=build/main-job builddir=build coverage=1 coverage_from=
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=${2:-}; shift 2 || break ;;
    --seconds=*) seconds=${1#*=}; shift ;;
    --targets) targets_arg=${2:-}; shift 2 || break ;;
    --targets=*) targets_arg=${1#*=}; shift ;;
    --jobs) jobs=${2:-}; shift 2 || break ;;
    --jobs=*) jobs=${1#*=}; shift ;;
    --out) out=${2:-}; shift 2 || break ;;
    --out=*) out=${1#*=}; shift ;;
    --build) builddir=${2:-}; shift 2 || break ;;
    --build=*) builddir=${1#*=}; shift ;;
    --no-coverage) coverage=0; shift ;;
    --coverage-from) coverage_from=${2:-}; shift 2 || break ;;
    --coverage-from=*) coverage_from=${1#*=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "ci/run-default.sh: unknown argument '$1' (--help lists them)" >&2; exit 2 ;;
  esac
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "ci/run-default.sh: --seconds: '$seconds' is not a positive number" >&2; exit 2; }
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "ci/run-default.sh: --jobs: '$jobs' is not a positive number" >&2; exit 2; }
[ -n "$out" ] && [ "$out" != / ] || { echo "ci/run-default.sh: --out needs a directory" >&2; exit 2; }

source ci/fuzz-lib.sh
start=$SECONDS
step() { echo "== [$((SECONDS - start)) s] $*"; }
# The step's log, when a step fails before the report can say so.
fail() { echo "ci/run-default.sh: $1" >&2; [ -z "${2:-}" ] || tail -n 40 "$2" >&2; exit 1; }

step "set up (ci/deps.sh)"
bash ci/deps.sh || fail "ci/deps.sh failed"
# Only what an earlier run wrote is removed: --out may name a directory holding other things.
rm -rf "$out/fuzz" "$out/crashes" "$out/coverage" "$out"/{replay,coverage}.{log,status} \
  "$out"/{build.log,index.html,summary.txt}
mkdir -p "$out/fuzz" || fail "cannot create $out"
work=$(fuzz_workdir tern-main-job)
trap 'rm -rf "$work"' EXIT

step "build: gcc in $builddir/, libFuzzer (clang, ASan+UBSan) in build-fuzz/"
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" > "$out/build.log" 2>&1 || fail "meson setup $builddir failed" "$out/build.log"
fi
ninja -C "$builddir" >> "$out/build.log" 2>&1 || fail "building $builddir failed" "$out/build.log"
# The same configuration as ci/fuzz-smoke.sh's, so that both share the directory.
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzzing=true -Dtests=false -Db_sanitize=address,undefined \
    -Db_lundef=false >> "$out/build.log" 2>&1 || fail "meson setup build-fuzz failed" "$out/build.log"
fi
ninja -C build-fuzz tern-fuzz >> "$out/build.log" 2>&1 || fail "building build-fuzz failed" "$out/build.log"
fuzzer=./build-fuzz/tern-fuzz

mapfile -t all_targets < <("$fuzzer" --list)
[ ${#all_targets[@]} -gt 0 ] || fail "$fuzzer --list printed no target"
if [ -n "$targets_arg" ]; then
  IFS=, read -r -a targets <<< "$targets_arg"
  for t in "${targets[@]}"; do
    printf '%s\n' "${all_targets[@]}" | grep -qxF -- "$t" ||
      fail "--targets: '$t' is not a fuzz target; $fuzzer --list has: ${all_targets[*]}"
  done
else
  targets=("${all_targets[@]}")
fi

# One spec line per target for ci/main-job-fuzz.py (the format is in its comment).
for t in "${targets[@]}"; do
  n=$(fuzz_seed_copy "$t" "$work/seeds/$t")
  envs=$(fuzz_env "$t" | paste -sd '|')
  printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$work/seeds/$t" "$n" "$(fuzz_dict "$t")" "$envs"
done > "$out/fuzz/targets.tsv"

step "fuzz: ${#targets[@]} targets, $seconds s each, $jobs at a time (libFuzzer; logs in $out/fuzz/)"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
python3 ci/main-job-fuzz.py --fuzzer "$fuzzer" --spec "$out/fuzz/targets.tsv" --seconds "$seconds" \
  --jobs "$jobs" --out "$out/fuzz" --crashes "$out/crashes"
[ -f "$out/fuzz/results.json" ] || fail "the fuzzing step left no results"

step "plot: coverage over time (gnuplot) in $out/fuzz/"
python3 ci/fuzz-plot.py "$out/fuzz"

# The regression replay.  tern-replay's place: build/harness/ or build/.
step "replay: tern-replay --jobs $jobs corpora/regress"
replay=
for r in "$builddir/harness/tern-replay" "$builddir/tern-replay"; do
  [ -x "$r" ] && { replay=$r; break; }
done
if [ -z "$replay" ]; then
  echo "missing there is no tern-replay in $builddir/harness/ or $builddir/" > "$out/replay.status"
elif [ ! -d corpora/regress ]; then
  echo "missing corpora/regress/ does not exist yet (the regression corpus is not in this tree)" \
    > "$out/replay.status"
else
  rc=0
  "$replay" --jobs "$jobs" corpora/regress > "$out/replay.log" 2>&1 || rc=$?
  # Indented: "ok TRACE" lines at the start of a line would count as the job's own TAP checks.
  tail -n 3 "$out/replay.log" | sed 's/^/  /'
  echo "ran $rc" > "$out/replay.status"
fi

step "coverage: ${coverage_from:+the report in $coverage_from, }ci/coverage --out $out/coverage --no-gate"
cov=
for c in ci/coverage ci/coverage.sh ci/coverage.py; do
  [ -f "$c" ] && { cov=$c; break; }
done
if [ "$coverage" -eq 0 ]; then
  echo "skipped --no-coverage was given" > "$out/coverage.status"
elif [ -n "$coverage_from" ]; then
  if [ -f "$coverage_from/html/index.html" ] && [ -f "$coverage_from/summary.txt" ]; then
    ln -s "$(realpath "$coverage_from")" "$out/coverage"
    echo "ran 0" > "$out/coverage.status"
  elif [ -z "$cov" ]; then
    echo "missing ci/coverage is not in this tree yet (and $coverage_from holds no report)" > "$out/coverage.status"
  else
    echo "missing --coverage-from $coverage_from: there is no html/index.html and summary.txt in it" \
      > "$out/coverage.status"
  fi
elif [ -z "$cov" ]; then
  echo "missing ci/coverage is not in this tree yet" > "$out/coverage.status"
else
  case $(head -n 1 "$cov") in
    *python*) runner=(python3) ;;
    *) runner=(bash) ;;
  esac
  rc=0
  "${runner[@]}" "$cov" --out "$out/coverage" --no-gate > "$out/coverage.log" 2>&1 || rc=$?
  echo "ran $rc" > "$out/coverage.status"
fi

step "report"
python3 ci/main-job-report.py "$out"
rc=$?
echo "== main job: $((SECONDS - start)) s; report $out/index.html"
exit $rc
