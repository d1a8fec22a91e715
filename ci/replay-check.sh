#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CI's regression replay stage: the regression corpus (corpora/regress/) replayed
# by tern-replay from each build directory given (CI: build-ci, gcc -O2, and
# build-asan, clang with ASan+UBSan), so that every trace is shown to replay the
# same from two compilers, optimisation levels and sanitizer settings.  One TAP
# line per build.  While tern-replay cannot replay yet, or corpora/regress/ is
# not there, each line is a loud "# SKIP" saying why (not a pass).
# Usage: bash ci/replay-check.sh BUILD_DIR...
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
[ $# -gt 0 ] || { echo "usage: ci/replay-check.sh BUILD_DIR..." >&2; exit 2; }
i=0
bad=0
for b in "$@"; do
  i=$((i + 1))
  replay=
  for r in "$b/harness/tern-replay" "$b/tern-replay"; do
    [ -x "$r" ] && { replay=$r; break; }
  done
  if [ -z "$replay" ]; then
    echo "not ok $i - $b: no tern-replay in $b/harness/ or $b/ (did the build fail?)"
    bad=1
    continue
  fi
  if [ ! -d corpora/regress ]; then
    echo "!!! corpora/regress/ does not exist yet: no trace replayed by $b"
    echo "ok $i - $b: tern-replay corpora/regress # SKIP corpora/regress/ does not exist yet"
    continue
  fi
  log=$b/replay-check.log
  rc=0
  start=$SECONDS
  timeout 600 "$replay" corpora/regress > "$log" 2>&1 || rc=$?
  if grep -q "not part of this build yet" "$log"; then
    echo "!!! $replay cannot replay yet ($(head -n 1 "$log")): no trace replayed by $b"
    echo "ok $i - $b: tern-replay corpora/regress # SKIP $replay cannot replay yet"
    continue
  fi
  sum=$(grep -E '\b[0-9]+ passed, [0-9]+ failed\b' "$log" | tail -n 1)
  if [ "$rc" -eq 0 ] && [ -n "$sum" ]; then
    echo "ok $i - $b: tern-replay corpora/regress: $sum ($((SECONDS - start)) s)"
  else
    echo "not ok $i - $b: tern-replay corpora/regress ended with status $rc${sum:+: $sum}"
    tail -n 40 "$log" | sed 's/^/# /'
    bad=1
  fi
done
echo "1..$i"
exit $bad
