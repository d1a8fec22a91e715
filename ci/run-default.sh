#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's first command: set up on a fresh machine, build, and run Tern's
# main job on the embedded default (docs/examples/virt-default.cfg).
#
# Until the hart interpreter and the fuzzing/replay issues land, the main job
# is the emulator itself: it parses the default configuration, builds the virt
# machine through every start-up phase, prints the configuration it runs (in
# -writeconfig form), runs its main loop, and stops cleanly on SIGTERM after
# a second, as QEMU does (exit status 0).
set -uo pipefail
cd "$(dirname "$0")/.."
bash ci/deps.sh || exit 1
[ -f build/build.ninja ] || meson setup build >/dev/null || exit 1
ninja -C build tern >/dev/null || exit 1
echo "== tern -nouserconfig -readconfig docs/examples/virt-default.cfg -writeconfig -"
timeout --preserve-status -s TERM 1 ./build/tern -nouserconfig -readconfig docs/examples/virt-default.cfg \
    -writeconfig - </dev/null
status=$?
echo "== tern exited with status $status"
exit $status
