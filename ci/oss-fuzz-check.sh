#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CI's OSS-Fuzz stage (docs/fuzzing.md, "OSS-Fuzz and ClusterFuzzLite"): runs
# ci/oss-fuzz/build.sh with the variables OSS-Fuzz sets for a libFuzzer + ASan build (OUT
# and WORK in a temporary directory), then checks what landed in $OUT as ClusterFuzz would
# use it: one binary per target of `tern-fuzz --list` (less those that need environment
# variables, which must be named), all one file, linked without the libraries the runners
# lack; per target a flat seed zip holding the target's seeds, a dictionary libFuzzer
# accepts, a [libfuzzer] options file; and the binary runs one seed from the zip with
# -runs=1 and the options' flags, from a read-only working directory outside the
# repository, with the repository and the build directory hidden, /dev/shm read-only and
# TMPDIR unset (a private mount namespace, in a user namespace when not root; where unshare
# cannot make one, the runs are not isolated and say so).  Prints TAP, then "N passed, N failed" as its last line; exit
# status 1 if anything failed.
# Usage: bash ci/oss-fuzz-check.sh   (OSS_FUZZ_CHECK_KEEP=1 keeps the temporary directory)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
tern=$(pwd)
source ci/fuzz-lib.sh
start=$SECONDS
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tern-oss-fuzz-check.XXXXXX")
[ -n "${OSS_FUZZ_CHECK_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
export OUT=$tmp/out WORK=$tmp/work SRC=$(dirname "$tern")
mkdir -p "$OUT" "$WORK" "$tmp/cwd" "$tmp/seeds"

n=0
passed=0
failed=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
finish() {
  echo "1..$n"
  echo "# oss-fuzz stage: $((SECONDS - start)) s"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# 1. The build, as OSS-Fuzz's compile step runs it for libFuzzer + ASan.
flags="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
b0=$SECONDS
if env CC=clang CXX=clang++ CFLAGS="$flags" CXXFLAGS="$flags" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
     SANITIZER=address FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64 \
     NINJA_JOBS="${NINJA_JOBS:-$(nproc)}" bash ci/oss-fuzz/build.sh > "$tmp/build.log" 2>&1; then
  ok "ci/oss-fuzz/build.sh with OSS-Fuzz's libFuzzer+ASan variables ($((SECONDS - b0)) s)"
else
  not_ok "ci/oss-fuzz/build.sh with OSS-Fuzz's libFuzzer+ASan variables failed"
  tail -n 40 "$tmp/build.log" | sed 's/^/# /'
  finish
fi
fuzzer=$WORK/tern-build/tern-fuzz

# 2. The set of binaries: --list's targets, less those that need environment variables.
mapfile -t listed < <(ASAN_OPTIONS=detect_leaks=0 "$fuzzer" --list)
want=()
left_out=()
for t in "${listed[@]}"; do
  if [ -n "$(fuzz_env "$t")" ]; then left_out+=("$t"); else want+=("$t"); fi
done
mapfile -t have < <(find "$OUT" -maxdepth 1 -type f -perm -u+x -printf '%f\n' | sort)
mapfile -t expect < <(printf 'tern-fuzz-target-%s\n' "${want[@]}" | sort)
if [ ${#want[@]} -gt 0 ] && [ "${have[*]}" = "${expect[*]}" ]; then
  ok "\$OUT has one binary per target of tern-fuzz --list (${#want[@]} of ${#listed[@]}; left out, needing environment variables: ${left_out[*]:-none})"
else
  not_ok "\$OUT's executables are not tern-fuzz-target-<T> for the targets of tern-fuzz --list"
  diff <(printf '%s\n' "${expect[@]}") <(printf '%s\n' "${have[@]}") | sed 's/^/# /'
fi
for t in "${left_out[@]}"; do
  if grep -q "$t left out: it needs" "$tmp/build.log"; then
    ok "build.sh says why it leaves $t out (needs $(fuzz_env "$t" | cut -d= -f1 | tr '\n' ' '| sed 's/ $//'))"
  else
    not_ok "build.sh left $t out without saying so"
  fi
done

# 3. One file for all (hard links), names without extension, nothing else executable.
inodes=$(find "$OUT" -maxdepth 1 -name 'tern-fuzz-target-*' -type f -perm -u+x -printf '%i\n' | sort -u | wc -l)
bad_names=$(find "$OUT" -maxdepth 1 -type f -perm -u+x -printf '%f\n' | grep -v '^tern-fuzz-target-[A-Za-z0-9_-]*$')
if [ "$inodes" -eq 1 ] && [ -z "$bad_names" ]; then
  ok "the binaries are hard links of one file, named [A-Za-z0-9_-] without extension"
else
  not_ok "the binaries are $inodes files (want 1)${bad_names:+; bad names: $bad_names}"
fi

# 4. Linked against nothing a runner lacks: glib, libfdt, jansson and pcre2 are static.
first=$OUT/tern-fuzz-target-${want[0]}
others=$(ldd "$first" 2>&1 | awk '{print $1}' |
  grep -Ev '^(linux-vdso\.so|/lib64/ld-linux|ld-linux|lib(c|m|dl|rt|pthread|util|gcc_s|stdc\+\+|c\+\+|c\+\+abi|unwind)\.so)')
if [ -z "$others" ]; then
  ok "the binary needs only the C/C++ runtime's shared libraries ($(ldd "$first" | awk '/=>/ {print $1}' | tr '\n' ' '| sed 's/ $//'))"
else
  not_ok "the binary needs shared libraries the runners lack: $(echo "$others" | tr '\n' ' ')"
fi

# 5. No absolute path into the repository or the build directory outside the debug information
# (relative ones, ASan's names of the sources of globals, name nothing at run time).
objcopy --strip-debug "$first" "$tmp/stripped" 2>/dev/null
paths=$(grep -aoE "(^|[^[:alnum:]._/-])($tern|$WORK)/[[:print:]]*" "$tmp/stripped" | sort -u | head -n 5)
if [ -f "$tmp/stripped" ] && [ -z "$paths" ]; then
  ok "the binary (debug information aside) names no path in the repository or \$WORK"
else
  not_ok "the binary names paths of the build machine: ${paths:-objcopy failed}"
fi
rm -f "$tmp/stripped"

# Runs BINARY ARGS... in a private mount namespace: the repository and $WORK hidden (empty,
# read-only), $OUT, the seeds and the working directory read-only, /dev/shm read-only, TMPDIR
# unset, so only /tmp is writable.  Without one (no unshare, or no right to mount) it runs as is.
# As root a mount namespace; otherwise one inside a user namespace (unshare -r), where allowed.
isolated=0
unshare=()
for u in "unshare -m" "unshare -r -m"; do
  if $u sh -c 'mount --make-rprivate / && mount -t tmpfs -o ro tmpfs /dev/shm' 2>/dev/null; then
    read -ra unshare <<< "$u"
    isolated=1
    break
  fi
done
if [ "$isolated" -eq 0 ]; then
  echo "# WARNING: unshare cannot make a mount namespace here: the runs below are NOT isolated"
  echo "# (they still run from a directory outside the repository, with TMPDIR unset)"
fi
run_isolated() {
  if [ "$isolated" -eq 1 ]; then
    "${unshare[@]}" sh -ec '
      mount --make-rprivate /
      mount -t tmpfs -o ro tmpfs /dev/shm
      for d in "$TERN" "$WORK"; do mount -t tmpfs -o ro tmpfs "$d"; done
      for d in "$OUT" "$SEEDS" "$CWD"; do mount --bind "$d" "$d"; mount -o remount,bind,ro "$d"; done
      cd "$CWD"
      exec "$@"' sh "$@"
  else
    (cd "$CWD" && exec "$@")
  fi
}
export TERN=$tern SEEDS=$tmp/seeds CWD=$tmp/cwd

# 6. Per target: the files are well formed, and the binary runs a seed as ClusterFuzz would.
for t in "${want[@]}"; do
  bin=$OUT/tern-fuzz-target-$t
  corpus=$(fuzz_corpus "$t")
  dict=$(fuzz_dict "$t")
  problems=$(python3 - "$bin" "$corpus" "${dict:-}" <<'EOF'
import configparser, os, re, sys, zipfile
binary, corpus, dict_src = sys.argv[1:4]
bad = []
z = binary + "_seed_corpus.zip"
seeds = sorted(f for f in os.listdir(corpus) if os.path.isfile(os.path.join(corpus, f))
               and not f.endswith(".dict")) if os.path.isdir(corpus) else []
if seeds or os.path.exists(z):
    try:
        with zipfile.ZipFile(z) as zf:
            if zf.testzip() is not None:
                bad.append("zip: a damaged member")
            names = sorted(zf.namelist())
            if any("/" in x for x in names):
                bad.append("zip: not flat")
            if names != seeds:
                bad.append(f"zip: {len(names)} members, not the {len(seeds)} seeds of {corpus}")
            for x in names:
                with open(os.path.join(corpus, x), "rb") as f:
                    if zf.read(x) != f.read():
                        bad.append(f"zip: {x} differs from {corpus}/{x}")
    except (OSError, zipfile.BadZipFile) as e:
        bad.append(f"zip: {e}")
d = binary + ".dict"
if dict_src:
    entry = re.compile(r'^([A-Za-z0-9_]+)?=?"(\\\\|\\"|\\x[0-9A-Fa-f]{2}|[^"\\])*"$')
    try:
        with open(d, "rb") as f:
            text = f.read()
        with open(dict_src, "rb") as f:
            if f.read() != text:
                bad.append(f"dict: not a copy of {dict_src}")
        lines = [l.strip() for l in text.decode("ascii").splitlines()]
        entries = [l for l in lines if l and not l.startswith("#")]
        if not entries:
            bad.append("dict: no entry")
        bad += [f"dict: not libFuzzer syntax: {l}" for l in entries if not entry.match(l)]
    except (OSError, UnicodeDecodeError) as e:
        bad.append(f"dict: {e}")
elif os.path.exists(d):
    bad.append("dict: present though the target has none")
o = configparser.ConfigParser()
try:
    o.read_file(open(binary + ".options"))
    if o.sections() != ["libfuzzer"]:
        bad.append(f"options: sections {o.sections()}, want [libfuzzer]")
    elif int(o["libfuzzer"].get("max_len", "0")) <= 0:
        bad.append("options: no max_len")
    elif o["libfuzzer"].get("detect_leaks", "1") != "1":
        bad.append("options: leak detection off")
except (OSError, ValueError, configparser.Error) as e:
    bad.append(f"options: {e}")
print("\n".join(bad))
EOF
)
  if [ -z "$problems" ]; then
    ok "$t: seed zip, dictionary and options well formed${dict:+ (dictionary $dict)}"
  else
    not_ok "$t: $(echo "$problems" | head -n 1)"
    echo "$problems" | tail -n +2 | sed 's/^/# /'
  fi

  # ClusterFuzz unpacks the zip and passes the options as flags.
  mkdir -p "$tmp/seeds/$t"
  [ -f "${bin}_seed_corpus.zip" ] && unzip -q -o "${bin}_seed_corpus.zip" -d "$tmp/seeds/$t"
  seed=$(find "$tmp/seeds/$t" -type f | sort | head -n 1)
  mapfile -t opts < <(python3 -c 'import configparser,sys
o = configparser.ConfigParser(); o.read(sys.argv[1])
for k, v in o["libfuzzer"].items(): print(f"-{k}={v}")' "$bin.options" 2>/dev/null)
  [ -f "$bin.dict" ] && opts+=(-dict="$bin.dict")
  if [ -z "$seed" ]; then
    not_ok "$t: no seed to run (its zip is missing or empty)"
    continue
  fi
  rc=0
  (unset TMPDIR; run_isolated timeout 120 "$bin" "${opts[@]}" -runs=1 "$seed") > "$tmp/run-$t.log" 2>&1 ||
    rc=$?
  left=$(ls -A "$tmp/cwd")
  if [ "$rc" -eq 0 ] && grep -q "^Executed " "$tmp/run-$t.log" && [ -z "$left" ]; then
    ok "$t: runs seed $(basename "$seed") with -runs=1 ${opts[*]} from a read-only directory$([ "$isolated" -eq 1 ] && echo ', repository and build hidden, only /tmp writable' || echo ' (NOT isolated)')"
  else
    not_ok "$t: the run of seed $(basename "$seed") failed (exit status $rc${left:+; it wrote $left in its working directory})"
    tail -n 30 "$tmp/run-$t.log" | sed 's/^/# /'
    rm -rf "${tmp:?}/cwd/"* 2>/dev/null
  fi
done
finish
