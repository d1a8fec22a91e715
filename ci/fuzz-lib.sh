# SPDX-License-Identifier: GPL-2.0-or-later
# What ci/fuzz-smoke.sh and bench/fuzz-bench.sh both need to know about a
# fuzz target beyond its name: its environment, its seeds and its dictionary.
# Sourced (bash), from the repository's top directory.

# Targets that need environment variables get them here: plain generic-fuzz
# runs the uart preset's machine and objects (QEMU's variable names work too).
declare -A fuzz_target_env=(
  [generic-fuzz]="TERN_FUZZ_ARGS=-M virt -bios none -nodefaults -serial null|TERN_FUZZ_OBJECTS=serial*"
)
# Targets whose seeds are another's: plain generic-fuzz's are the uart preset's, the
# legacy virtio targets' those of the modern ones (the input format is the same).
declare -A fuzz_target_corpus=([generic-fuzz]=generic-fuzz-uart [virtio-blk-legacy]=virtio-blk
                               [virtio-rng-legacy]=virtio-rng)

# fuzz_env T: the target's "VAR=value" words, one a line (none for most).
fuzz_env() {
  [ -z "${fuzz_target_env[$1]:-}" ] || tr '|' '\n' <<< "${fuzz_target_env[$1]}"
}

# fuzz_corpus T: the seed directory (it may not exist).
fuzz_corpus() {
  echo "corpora/${fuzz_target_corpus[$1]:-$1}"
}

# fuzz_dict T: corpora/T/T.dict, else the one *.dict in corpora/T/, else
# corpora/P.dict for the longest P that is T or T cut before one of its '-'
# (corpora/generic-fuzz.dict serves every generic-fuzz-* preset); else nothing.
fuzz_dict() {
  local t=$1 d p
  for d in "corpora/$t/$t.dict" corpora/"$t"/*.dict; do
    [ -f "$d" ] && { echo "$d"; return; }
  done
  p=$t
  while :; do
    [ -f "corpora/$p.dict" ] && { echo "corpora/$p.dict"; return; }
    [[ "$p" == *-* ]] || return 0
    p=${p%-*}
  done
}

# fuzz_seed_copy T DIR: the target's seeds (not its dictionaries) copied into DIR; prints how many.
fuzz_seed_copy() {
  local c
  c=$(fuzz_corpus "$1")
  mkdir -p "$2"
  [ -d "$c" ] && find "$c" -maxdepth 1 -type f ! -name '*.dict' -exec cp -t "$2" {} +
  find "$2" -type f | wc -l
}

# fuzz_workdir NAME: a new temporary directory for corpus copies and logs; in
# memory (/dev/shm) when there is one, as libFuzzer writes a file per new
# input (on ext4 that was a tenth of a run's time in the early, fast-growing phase).
fuzz_workdir() {
  local base=${TMPDIR:-/tmp}
  [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
  mktemp -d "$base/$1.XXXXXX"
}
