#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CI's fuzz stage (docs/fuzzing.md, "CI"): builds tern-fuzz with libFuzzer
# (clang, ASan+UBSan) in build-fuzz and with AFL++ (afl-clang-fast,
# ASan+UBSan) in build-fuzz-afl; then, for every target `tern-fuzz --list`
# prints, replays its corpus (corpora/<target>/) and fuzzes 15 more seconds
# from a copy of it (the repository is never written), and the AFL++ build
# fuzzes one device target for 30 seconds.  A crash fails its case and its
# reproducer is printed.  The cases run FUZZ_SMOKE_JOBS at a time (default:
# the number of cores).  Prints one TAP line per case (one per target, one
# for AFL++), then "N passed, N failed" as its last line; exit status 1 if
# anything failed.
# Usage: bash ci/fuzz-smoke.sh   (FUZZ_SMOKE_TIME=15, FUZZ_SMOKE_AFL_TIME=30 to change the times)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source ci/fuzz-lib.sh
start=$SECONDS
fuzz_time=${FUZZ_SMOKE_TIME:-15}
afl_time=${FUZZ_SMOKE_AFL_TIME:-30}
jobs=${FUZZ_SMOKE_JOBS:-$(nproc)}
work=$(fuzz_workdir tern-fuzz-smoke)
trap 'rm -rf "$work"' EXIT
# Crash inputs are kept here (build directories are not part of the repository).
crash_dir=build-fuzz/crashes
# UBSan's reports with their stacks; afl-fuzz sets its own (see fuzz_afl).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The AFL++ run's target: the first of these that exists.
afl_candidates=(generic-fuzz-virtio-blk virtio-blk generic-fuzz-uart)

# A build that fails is one failed case: nothing after it can run.
build() { # DIR CC [meson args...]
  local dir=$1 cc=$2
  shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    CC=$cc meson setup "$dir" -Dfuzzing=true -Dtests=false -Db_sanitize=address,undefined \
      -Db_lundef=false "$@" > "$work/setup-$(basename "$dir").log" 2>&1 ||
      { tail -n 30 "$work/setup-$(basename "$dir").log"; return 1; }
  fi
  ninja -C "$dir" tern-fuzz > "$work/build-$(basename "$dir").log" 2>&1 ||
    { tail -n 40 "$work/build-$(basename "$dir").log"; return 1; }
}
if ! build build-fuzz clang || ! build build-fuzz-afl afl-clang-fast -Dfuzz_engine=afl; then
  echo "not ok 1 - fuzz stage: build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "# fuzz stage: built in $((SECONDS - start)) s"
fuzzer=./build-fuzz/tern-fuzz
mapfile -t targets < <("$fuzzer" --list)
if [ ${#targets[@]} -eq 0 ]; then
  echo "not ok 1 - fuzz stage: tern-fuzz --list printed no target"
  echo "0 passed, 1 failed"
  exit 1
fi

# After a failure: the crash file, what the fuzzer said, and Tern's reproducer.
report_crash() { # T LOG CRASH-FILE-OR-EMPTY ENGINE-BINARY
  local t=$1 log=$2 crash=$3 bin=$4
  local -a e
  echo "--- $t: the fuzzer's report (last 80 lines of its log, without afl-fuzz's progress lines):"
  grep -v 'Fuzzing test case #' "$log" | tail -n 80
  if [ -n "$crash" ] && [ -f "$crash" ]; then
    local hang=
    case $crash in */hangs/* | */timeout-* | */slow-unit-*) hang=1 ;; esac
    mkdir -p "$crash_dir/$t"
    cp "$crash" "$crash_dir/$t/"
    crash=$crash_dir/$t/$(basename "$crash")
    echo "--- $t: crash input $(basename "$crash") ($(stat -c %s "$crash") bytes; first 512 shown):"
    head -c 512 "$crash" | od -A x -t x1z -v
    echo "--- $t: command line: $(fuzz_env "$t" | while read -r v; do printf '%q ' "$v"; done)$bin --fuzz-target=$t $crash"
    if [ -n "$hang" ]; then
      # --reproduce waits up to 10 minutes for a hanging input: more than this stage has.
      echo "--- $t: a wall-clock timeout: the stack above shows where it was; reproduce it with"
      echo "    ./build-fuzz/tern-fuzz --fuzz-target=$t --reproduce $crash"
    else
      echo "--- $t: reproducer (tern-fuzz --fuzz-target=$t --reproduce CRASH-FILE --out $crash_dir):"
      local rc=0
      mapfile -t e < <(fuzz_env "$t")
      env "${e[@]}" timeout -s KILL 120 ./build-fuzz/tern-fuzz --fuzz-target="$t" \
        --reproduce "$crash" --out "$crash_dir" > "$log.repro" 2>&1 || rc=$?
      tail -n 150 "$log.repro"
      # --reproduce: 0 when the input crashed again, 1 when it ran clean, 2 on an error.
      [ "$rc" -eq 0 ] || echo "(tern-fuzz --reproduce ended with status $rc: 1 means the input ran clean in a fresh process)"
    fi
  fi
}

# One target: replay its corpus, then fuzz from a copy of it.  Writes $work/T.case.
fuzz_target() {
  local t=$1 dir=$work/$1 corpus dict n execs status crash
  local -a envs opts
  corpus=$(fuzz_corpus "$t")
  mkdir -p "$dir/artifacts"
  mapfile -t envs < <(fuzz_env "$t")
  n=$(fuzz_seed_copy "$t" "$dir/corpus")
  opts=(-timeout=10 -rss_limit_mb=2560 -artifact_prefix="$dir/artifacts/" -print_final_stats=1)
  dict=$(fuzz_dict "$t")
  [ -n "$dict" ] && opts+=(-dict="$dict")
  status=0
  {
    # The replay checks every reset too: a byte the snapshot did not put back fails it.
    echo "## replay: $n inputs from $corpus, TERN_FUZZ_CHECK_RESET=1"
    env "${envs[@]}" TERN_FUZZ_CHECK_RESET=1 timeout 300 "$fuzzer" --fuzz-target="$t" "${opts[@]}" \
      -runs=0 "$dir/corpus" 2>&1 || status=$?
  } > "$dir/log" 2>&1
  if [ "$status" -eq 0 ]; then
    {
      echo "## fuzz: ${fuzz_time} s"
      env "${envs[@]}" timeout $((fuzz_time + 120)) "$fuzzer" --fuzz-target="$t" "${opts[@]}" \
        -max_total_time="$fuzz_time" "$dir/corpus" 2>&1 || status=$?
    } >> "$dir/log" 2>&1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  if [ "$status" -eq 0 ]; then
    echo "ok - libFuzzer $t (replayed $n corpus inputs with reset checks${dict:+, dictionary $dict}; ${execs:-?} executions in ${fuzz_time} s${envs[*]:+; with ${envs[*]}})" \
      > "$work/$t.case"
    [ -d "$corpus" ] || echo "# WARNING: $t has no corpus ($corpus/): it fuzzed from nothing" >> "$work/$t.case"
  else
    crash=$(find "$dir/artifacts" -type f | head -n 1)
    {
      # libFuzzer names the input by what happened: crash-, timeout-, leak-, oom-, slow-unit-.
      echo "not ok - libFuzzer $t: ${crash:+$(basename "$crash" | sed 's/-[0-9a-f]*$//') }(exit status $status)"
      report_crash "$t" "$dir/log" "$crash" "$fuzzer" | sed 's/^/# /'
    } > "$work/$t.case"
  fi
}

# The AFL++ build on one device target: execs_done > 0, no crash, no hang.
fuzz_afl() {
  local t=$1 dir=$work/.afl stats execs crashes hangs status=0 dict crash
  local -a envs opts=()
  mapfile -t envs < <(fuzz_env "$t")
  fuzz_seed_copy "$t" "$dir/in" > /dev/null
  [ -n "$(ls -A "$dir/in")" ] || printf 'FUZZ' > "$dir/in/seed"
  dict=$(fuzz_dict "$t")
  [ -n "$dict" ] && opts+=(-x "$dict")
  # Outside afl-fuzz the binary runs the files it is given, or one input on stdin.
  local n first
  n=$(find "$dir/in" -type f | wc -l)
  first=$(find "$dir/in" -type f | sort | head -n 1)
  if ! env "${envs[@]}" timeout 120 ./build-fuzz-afl/tern-fuzz --fuzz-target="$t" "$dir/in" \
         > "$dir/replay.log" 2>&1 ||
     ! grep -q "ran $n inputs" "$dir/replay.log" ||
     ! env "${envs[@]}" timeout 60 ./build-fuzz-afl/tern-fuzz --fuzz-target="$t" < "$first" \
         >> "$dir/replay.log" 2>&1; then
    {
      echo "not ok - AFL++ $t: the AFL++ binary did not replay its $n seeds outside afl-fuzz"
      tail -n 60 "$dir/replay.log" | sed 's/^/# /'
    } > "$work/.afl.case"
    return
  fi
  # afl-fuzz asks for these sanitizer options itself; CI's own would be refused.
  env -u ASAN_OPTIONS -u UBSAN_OPTIONS "${envs[@]}" AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 \
    AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
    timeout $((afl_time + 120)) afl-fuzz -V "$afl_time" -t 5000 -i "$dir/in" -o "$dir/out" "${opts[@]}" \
    -- ./build-fuzz-afl/tern-fuzz --fuzz-target="$t" > "$dir/log" 2>&1 || status=$?
  stats=$dir/out/default/fuzzer_stats
  execs=$(sed -n 's/^execs_done *: *//p' "$stats" 2>/dev/null)
  crashes=$(sed -n 's/^saved_crashes *: *//p; s/^unique_crashes *: *//p' "$stats" 2>/dev/null | head -n 1)
  hangs=$(sed -n 's/^saved_hangs *: *//p; s/^unique_hangs *: *//p' "$stats" 2>/dev/null | head -n 1)
  if [ "$status" -eq 0 ] && [ "${execs:-0}" -gt 0 ] && [ "${crashes:-1}" -eq 0 ] && [ "${hangs:-1}" -eq 0 ]; then
    echo "ok - AFL++ $t (seeds replayed from files and stdin; $execs executions in $afl_time s, $(sed -n 's/^corpus_count *: *//p' "$stats") corpus entries)" \
      > "$work/.afl.case"
  else
    crash=$(find "$dir/out/default/crashes" "$dir/out/default/hangs" -type f ! -name README.txt 2>/dev/null | head -n 1)
    {
      echo "not ok - AFL++ $t (afl-fuzz status $status, execs_done ${execs:-none}, crashes ${crashes:-?}, hangs ${hangs:-?})"
      if [ -n "$crash" ]; then
        # Replayed outside afl-fuzz the AFL++ binary runs the file and prints Tern's report.
        env "${envs[@]}" timeout 120 ./build-fuzz-afl/tern-fuzz --fuzz-target="$t" "$crash" >> "$dir/log" 2>&1
      fi
      report_crash "$t" "$dir/log" "$crash" ./build-fuzz-afl/tern-fuzz | sed 's/^/# /'
    } > "$work/.afl.case"
  fi
}

afl_target=
for c in "${afl_candidates[@]}"; do
  printf '%s\n' "${targets[@]}" | grep -qx -- "$c" && { afl_target=$c; break; }
done

# The AFL++ run first (the longest), then the targets, $jobs at a time.
running=0
if [ -n "$afl_target" ]; then
  fuzz_afl "$afl_target" &
  running=1
fi
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  fuzz_target "$t" &
  running=$((running + 1))
done
wait

passed=0
failed=0
i=0
cases=()
[ -n "$afl_target" ] || echo "not ok - AFL++: none of ${afl_candidates[*]} is a target" > "$work/.afl.case"
for t in "${targets[@]}"; do cases+=("$work/$t.case"); done
cases+=("$work/.afl.case")
for c in "${cases[@]}"; do
  i=$((i + 1))
  [ -f "$c" ] || echo "not ok - $(basename "$c" .case | sed "s/^\.afl$/AFL++/"): its run left no result" > "$c"
  head -n 1 "$c" | sed "s/^\(not ok\|ok\) -/\1 $i -/"
  tail -n +2 "$c"
  if head -n 1 "$c" | grep -q '^ok'; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "1..$i"
echo "# fuzz stage: ${#targets[@]} targets + AFL++ in $((SECONDS - start)) s ($jobs at a time)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
