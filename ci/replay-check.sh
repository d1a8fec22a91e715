#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CI's regression replay stage: the regression corpus (corpora/regress/) replayed
# by tern-replay from each build directory given (CI: build-ci, gcc -O2, and
# build-asan, clang with ASan+UBSan), so that every trace is shown to replay the
# same from two compilers, optimisation levels and sanitizer settings.  One TAP
# line per trace and build ("ok N - BUILD: TRACE", from tern-replay --tap), a
# comment with each build's count, then "1..N".  A build without tern-replay
# is one failure; while corpora/regress/ is
# not there, a loud "# SKIP" line says why (not a pass).
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
  timeout 600 "$replay" --tap --jobs "$(nproc)" corpora/regress > "$log" 2>&1 || rc=$?
  i=$((i - 1))
  traces=0 build_bad=0
  while IFS= read -r line; do
    if [[ "$line" =~ ^(not\ ok|ok)\ [0-9]+\ -\ (.*)$ ]]; then
      i=$((i + 1)) traces=$((traces + 1))
      echo "${BASH_REMATCH[1]} $i - $b: ${BASH_REMATCH[2]}"
      [ "${BASH_REMATCH[1]}" = ok ] || build_bad=1
    elif [[ "$line" != 1..* && "$line" != "# tern-replay:"* ]]; then
      echo "# $line"
    fi
  done < "$log"
  sum=$(grep -E '\b[0-9]+ passed, [0-9]+ failed\b' "$log" | tail -n 1)
  echo "# $b: $replay corpora/regress: ${sum#\# } in $((SECONDS - start)) s, status $rc"
  # A status tern-replay's own lines do not explain (a crash, a timeout) is one failure more.
  if [ "$traces" -eq 0 ] || { [ "$rc" -ne 0 ] && [ "$build_bad" -eq 0 ]; }; then
    i=$((i + 1))
    echo "not ok $i - $b: tern-replay corpora/regress ended with status $rc after $traces traces"
    tail -n 20 "$log" | sed 's/^/# /'
    build_bad=1
  fi
  [ "$build_bad" -eq 0 ] || bad=1
done
echo "1..$i"
exit $bad
