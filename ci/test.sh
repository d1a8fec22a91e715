#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's test command: installs what is missing, builds Tern in build/
# (gcc, -Werror), runs every test suite and prints "N passed, N failed".
# Usage: bash ci/test.sh [BUILD_DIR [meson setup args...]]
set -uo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh || exit 1
builddir=${1:-build}
shift || true
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$@" || exit 1
fi
ninja -C "$builddir" || exit 1
meson test -C "$builddir" --num-processes 2 --print-errorlogs > "$builddir/meson-test.out" 2>&1
rc=$?
tail -n 30 "$builddir/meson-test.out"
python3 ci/count-tests.py "$builddir/meson-logs/testlog.json" || exit 1
exit $rc
