#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Debian 12 packages Tern builds and tests with, if any is missing.
# Used by the README's two commands and by .ci/run; safe to run again.
# gnuplot-nox: the main job (ci/run-default.sh) draws each fuzz target's coverage over time with it.
set -euo pipefail
pkgs=(meson ninja-build pkg-config gcc clang libclang-rt-14-dev python3
      libglib2.0-dev libfdt-dev libjansson-dev libcmocka-dev device-tree-compiler
      lcov gcovr llvm-14 qemu-system-misc opensbi u-boot-qemu
      gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf afl++
      zip unzip gnuplot-nox)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ci/deps.sh: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
