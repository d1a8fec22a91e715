#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# OSS-Fuzz's and ClusterFuzzLite's build script for Tern (docs/fuzzing.md, "OSS-Fuzz and
# ClusterFuzzLite"): builds tern-fuzz in $WORK with the compilers, flags and fuzzing engine
# the infrastructure gives ($CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE, meson's
# -Dfuzz_engine=external: no engine or sanitizer flag of its own), then puts in $OUT, for
# every target `tern-fuzz --list` prints that runs without environment variables:
#   tern-fuzz-target-<name>             the binary (one file, hard links), target from its name
#   tern-fuzz-target-<name>_seed_corpus.zip   corpora/<target>/'s seeds, flat
#   tern-fuzz-target-<name>.dict        the target's dictionary (ci/fuzz-lib.sh picks it)
#   tern-fuzz-target-<name>.options     [libfuzzer] max_len, leak detection on
# glib, libfdt, jansson and pcre2 are linked statically: the machines that run the fuzzers
# have none of them.  Usage (variables as OSS-Fuzz sets them; ci/oss-fuzz-check.sh runs it so):
#   CC=clang CXX=clang++ CFLAGS=... CXXFLAGS=... LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#   SANITIZER=address WORK=/tmp/work OUT=/tmp/out bash ci/oss-fuzz/build.sh
set -euo pipefail

tern=$(cd "$(dirname "$0")/../.." && pwd)
: "${SRC:=$(dirname "$tern")}"
for v in CC CXX LIB_FUZZING_ENGINE WORK OUT; do
  [ -n "${!v:-}" ] || { echo "ci/oss-fuzz/build.sh: \$$v is not set (OSS-Fuzz sets it)" >&2; exit 1; }
done
export CFLAGS=${CFLAGS:-} CXXFLAGS=${CXXFLAGS:-}
echo "ci/oss-fuzz/build.sh: SANITIZER=${SANITIZER:-?} FUZZING_ENGINE=${FUZZING_ENGINE:-?}" \
     "ARCHITECTURE=${ARCHITECTURE:-?} SRC=$SRC, sources in $tern"
# MemorySanitizer needs every library in the process built with it; glib, pcre2, libfdt and
# jansson come from the distribution, so its reports would be about them.
if [ "${SANITIZER:-}" = memory ]; then
  echo "ci/oss-fuzz/build.sh: SANITIZER=memory is not supported (glib, pcre2, libfdt and jansson are not built with it)" >&2
  exit 1
fi
case " $CFLAGS " in
  *-march=native*) echo "ci/oss-fuzz/build.sh: -march=native in CFLAGS: the binaries run elsewhere" >&2
                   exit 1 ;;
esac

# The engine is linked as OSS-Fuzz's own recipes link one: $CXX $CXXFLAGS ... $LIB_FUZZING_ENGINE,
# given to meson as a list literal (['a', 'b']), since flags such as -Wl,--no-as-needed
# (coverage builds) hold the commas meson's plain a,b form splits at.
read -ra link_words <<< "$CXXFLAGS $LIB_FUZZING_ENGINE"
link_args=
for w in "${link_words[@]}"; do
  case $w in
    -fsanitize=fuzzer-no-link) ;; # compile-time instrumentation, it says nothing to the linker
    *\'* | *\\*) echo "ci/oss-fuzz/build.sh: cannot pass '$w' to meson" >&2; exit 1 ;;
    *) link_args+="${link_args:+, }'$w'" ;;
  esac
done
build=$WORK/tern-build
rm -rf "$build"
mkdir -p "$build"
# Crash sites name sources from the top of the tree (meson.build maps the absolute path and
# "../"); from a build directory elsewhere meson names them by a longer relative path.
rel=$(realpath --relative-to="$build" "$tern")
CFLAGS="$CFLAGS -fmacro-prefix-map=$rel/="
# buildtype=plain: OSS-Fuzz's CFLAGS choose optimisation and debug information; no -Werror
# either, as OSS-Fuzz's clang is newer than the one Tern is checked with.
meson setup "$build" "$tern" --buildtype=plain -Dwerror=false -Db_ndebug=false -Dtests=false \
  -Dfuzzing=true -Dfuzz_engine=external -Dfuzz_link_args="[$link_args]" \
  -Db_lundef=false -Dprefer_static=true
ninja -C "$build" ${NINJA_JOBS:+-j "$NINJA_JOBS"} tern-fuzz
fuzzer=$build/tern-fuzz

# The targets, from the binary itself (its --list).  Leak checks are off for this one run:
# LeakSanitizer does not work under ptrace, which some build containers use.
# A coverage build's profile goes to $WORK, not to the working directory.
mapfile -t targets < <(ASAN_OPTIONS=detect_leaks=0 LLVM_PROFILE_FILE="$WORK/tern-list.profraw" \
                       "$fuzzer" --list)
[ ${#targets[@]} -gt 0 ] || { echo "ci/oss-fuzz/build.sh: tern-fuzz --list printed no target" >&2; exit 1; }

cd "$tern"
source ci/fuzz-lib.sh
mkdir -p "$OUT"
seeds=$WORK/tern-seeds
rm -rf "$seeds"
first=
for t in "${targets[@]}"; do
  if [[ ! "$t" =~ ^[A-Za-z0-9_-]+$ ]]; then
    echo "ci/oss-fuzz/build.sh: target name '$t' is not [A-Za-z0-9_-]+" >&2
    exit 1
  fi
  # OSS-Fuzz gives a fuzzer no environment: a target that needs some is left out, loudly.
  if [ -n "$(fuzz_env "$t")" ]; then
    echo "ci/oss-fuzz/build.sh: $t left out: it needs $(fuzz_env "$t" | cut -d= -f1 | tr '\n' ' ')(ci/fuzz-lib.sh)"
    continue
  fi
  bin=$OUT/tern-fuzz-target-$t
  rm -f "$bin" "${bin}_seed_corpus.zip" "$bin.dict" "$bin.options"
  if [ -z "$first" ]; then
    cp "$fuzzer" "$bin"
    first=$bin
  else
    ln "$first" "$bin"
  fi
  n=$(fuzz_seed_copy "$t" "$seeds/$t")
  max=$(find "$seeds/$t" -type f -printf '%s\n' | sort -n | tail -n 1)
  if [ "$n" -gt 0 ]; then
    (cd "$seeds/$t" && zip -q -j -X "${bin}_seed_corpus.zip" ./*)
  else
    echo "ci/oss-fuzz/build.sh: WARNING: $t has no seeds ($(fuzz_corpus "$t")/): no seed corpus"
  fi
  dict=$(fuzz_dict "$t")
  [ -z "$dict" ] || cp "$dict" "$bin.dict"
  # QEMU's 8192 bytes, or the largest seed's size rounded up to a power of two if larger.
  len=8192
  while [ "${max:-0}" -gt "$len" ]; do len=$((len * 2)); done
  # detect_leaks stays on: Tern's targets free everything (docs/fuzzing.md).
  printf '[libfuzzer]\nmax_len = %d\ndetect_leaks = 1\n' "$len" > "$bin.options"
  echo "ci/oss-fuzz/build.sh: $(basename "$bin"): $n seeds${dict:+, dictionary $dict}, max_len $len"
done
rm -rf "$seeds"
