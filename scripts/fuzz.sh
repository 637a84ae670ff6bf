#!/usr/bin/env bash
# Fuzzes every parser of outside data (the targets in fuzz/fuzz_targets/), one target
# at a time for FUZZ_SECONDS each (default 60), and prints executions and crashes per
# target. Installs what it needs, skipping what is present: the pinned nightly
# toolchain (cargo-fuzz needs nightly for its sanitizer flags) and cargo-fuzz. Nothing
# else in the project uses that toolchain.
#
#   make fuzz                                 every target, 60 s each
#   FUZZ_SECONDS=600 FUZZ_TARGETS="zip_reader journal" make fuzz
#
# New inputs the fuzzer finds go to fuzz/scratch/<target>/ (never committed); the
# committed seeds in fuzz/corpus/<target>/ are only read. A crash, an out-of-memory
# (an allocation over FUZZ_MEMORY_MB, 512 MB by default) or a timeout leaves its input
# in fuzz/artifacts/<target>/ and makes the script exit non-zero once every target ran.
set -uo pipefail
cd "$(dirname "$0")/.."

TOOLCHAIN=nightly-2026-05-19
CARGO_FUZZ_VERSION=0.13.1
SECONDS_EACH=${FUZZ_SECONDS:-60}
MEMORY_MB=${FUZZ_MEMORY_MB:-512}
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1mfuzz:\033[0m %s\n' "$*"; }

if ! rustup toolchain list | grep -q "^$TOOLCHAIN"; then
  say "installing the $TOOLCHAIN toolchain"
  rustup toolchain install "$TOOLCHAIN" --profile minimal || exit 1
fi
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked || exit 1
fi

cd fuzz
all=$(cargo +"$TOOLCHAIN" fuzz list) || exit 1
targets=${FUZZ_TARGETS:-$all}
say "building the targets"
cargo +"$TOOLCHAIN" fuzz build -O || exit 1

mkdir -p scratch/logs
rows=()
total_runs=0
total_crashes=0
for target in $targets; do
  mkdir -p "scratch/$target" "artifacts/$target"
  before=$(find "artifacts/$target" -type f | sort)
  log="scratch/logs/$target.log"
  say "$target for ${SECONDS_EACH}s (log: fuzz/$log)"
  # One process (no -jobs/-fork: the machine is shared); libFuzzer stops at the first
  # crash of a target, and the next target runs regardless.
  cargo +"$TOOLCHAIN" fuzz run -O "$target" "scratch/$target" "corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb="$MEMORY_MB" -malloc_limit_mb="$MEMORY_MB" \
    -timeout=10 -print_final_stats=1 ${FUZZ_ARGS:-} >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  runs=${runs:-0}
  found=$(comm -13 <(printf '%s\n' "$before") <(find "artifacts/$target" -type f | sort) | sed '/^$/d')
  crashes=$(printf '%s' "$found" | grep -c . || true)
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    # A failure that left no input behind (a build error, say) counts as one.
    crashes=1
    tail -20 "$log"
  elif [ "$crashes" -gt 0 ]; then
    grep -m1 -A12 -E '^(==[0-9]+==|thread .* panicked)' "$log"
    printf '  input: fuzz/%s\n' $found
  fi
  rows+=("$(printf '%-16s %14s %8s' "$target" "$runs" "$crashes")")
  total_runs=$((total_runs + runs))
  total_crashes=$((total_crashes + crashes))
done

printf '\n%-16s %14s %8s\n' target executions crashes
printf '%s\n' "${rows[@]}"
printf '%-16s %14s %8s\n' total "$total_runs" "$total_crashes"
[ "$total_crashes" -eq 0 ]
