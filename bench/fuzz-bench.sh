#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The fuzzing benchmark (docs/fuzzing.md, "Benchmark"): for every target
# `tern-fuzz --list` prints, libFuzzer's exec/s on one core under ASan+UBSan,
# from its final stats, fuzzing from a copy of corpora/<target>/ with a fixed
# seed for a fixed time; then bench-snapshot's restore cost against the
# number of dirty pages (0 to 4096) on the same build.  Prints markdown
# tables.  Not a test: the figures depend on the host and its load.
# Usage: bash bench/fuzz-bench.sh [SECONDS-PER-TARGET [TARGET...]]
#   (builds build-fuzz as ci/fuzz-smoke.sh does if it is not there; FUZZ_BENCH_CPU=0 is the core)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source ci/fuzz-lib.sh
secs=${1:-20}
shift || true
cpu=${FUZZ_BENCH_CPU:-0}
work=$(fuzz_workdir tern-fuzz-bench)
trap 'rm -rf "$work"' EXIT

if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzzing=true -Dtests=false -Db_sanitize=address,undefined \
    -Db_lundef=false > "$work/setup.log" 2>&1 || { tail -n 30 "$work/setup.log"; exit 1; }
fi
ninja -C build-fuzz tern-fuzz bench/bench-snapshot > "$work/build.log" 2>&1 ||
  { tail -n 40 "$work/build.log"; exit 1; }
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(./build-fuzz/tern-fuzz --list)
fi
# Reported against: docs/fuzzing.md's targets (the issue's figures).
declare -A goal=([generic-fuzz-virtio-blk]=20000 [options]=5000)

echo "host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
echo "command: taskset -c $cpu build-fuzz/tern-fuzz --fuzz-target=T -seed=1 -max_total_time=$secs -print_final_stats=1 [-dict=D] -timeout=10 -rss_limit_mb=2560 COPY-OF-corpora/T"
echo
echo "| target | seeds | executions | exec/s (libFuzzer, wall) | exec per CPU second | peak RSS (MB) | goal |"
echo "|---|---:|---:|---:|---:|---:|---|"
for t in "${targets[@]}"; do
  dir=$work/$t
  n=$(fuzz_seed_copy "$t" "$dir/corpus")
  opts=(-seed=1 -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2560
        -artifact_prefix="$dir/")
  d=$(fuzz_dict "$t")
  [ -n "$d" ] && opts+=(-dict="$d")
  mapfile -t envs < <(fuzz_env "$t")
  # GNU time's user+system seconds: executions per CPU second stay honest on a loaded host.
  env "${envs[@]}" /usr/bin/time -o "$dir/cpu" -f '%U %S' taskset -c "$cpu" ./build-fuzz/tern-fuzz \
    --fuzz-target="$t" "${opts[@]}" "$dir/corpus" > "$dir/log" 2>&1
  status=$?
  cpu_s=$(awk 'END { print $1 + $2 }' "$dir/cpu")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$dir/log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -n 1)
  per_cpu=$(awk -v e="${execs:-0}" -v c="$cpu_s" 'BEGIN { if (c > 0) printf "%d", e / c; else print "?" }')
  g=${goal[$t]:-}
  if [ -n "$g" ] && [ -n "$rate" ]; then
    if [ "$rate" -ge "$g" ]; then g="≥ $g: met"; else g="≥ $g: missed"; fi
    if [ "$per_cpu" != "?" ] && [ "$per_cpu" -ge "${goal[$t]}" ]; then g="$g (per CPU second: met)"; fi
  fi
  [ "$status" -eq 0 ] || g="exit status $status (crash: see below)"
  echo "| $t | $n | ${execs:-?} | ${rate:-?} | $per_cpu | ${rss:-?} | $g |"
  if [ "$status" -ne 0 ]; then
    # What stopped it: Tern's own report line, or the sanitizer's or libFuzzer's.
    { echo "$t:"; grep -E -m 4 'tern: ERROR|runtime error|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|^SUMMARY' "$dir/log"; } |
      sed 's/^/    /' >&2
  fi
done
echo
echo "command: taskset -c $cpu build-fuzz/bench/bench-snapshot 101"
taskset -c "$cpu" ./build-fuzz/bench/bench-snapshot 101
