#!/usr/bin/env bash
# The checking pass (intake with MD5, CSV scan, row rules) as WebAssembly, outside the
# browser, for comparing two versions of the domain code:
#
#   bench/pass-wasm/run.sh FILE [RUNS]          median time in Node (V8, like Chromium)
#   COUNT=1 bench/pass-wasm/run.sh FILE         instructions per run under callgrind
#
# On this shared machine one process can run at half the speed of the next, so a wall
# clock difference under about 30% means little; the instruction count does not move.
# It counts V8's optimised code (--no-liftoff) and subtracts a one-run process from a
# four-run one, so start-up and compilation cancel out. Informational, like make bench.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
file="$(realpath "${1:?usage: run.sh FILE [RUNS]}")"
export PATH="$HOME/.cargo/bin:$PATH"

rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
cp "$root/Cargo.lock" "$root/bench/pass-wasm/Cargo.lock"
# The app's wasm target features (.cargo/config.toml), which do not apply to wasm32-wasip1.
export CARGO_TARGET_WASM32_WASIP1_RUSTFLAGS="-C target-feature=+simd128"
cargo build -q --release --target wasm32-wasip1 \
  --manifest-path "$root/bench/pass-wasm/Cargo.toml" --target-dir "$root/target/pass-wasm"
wasm="$root/target/pass-wasm/wasm32-wasip1/release/pass-wasm.wasm"
run=(node --no-warnings "$root/bench/pass-wasm/run.mjs" "$wasm" "$file")

if [ -z "${COUNT:-}" ]; then
  "${run[@]}" "${2:-9}"
  exit
fi
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
count() { # instructions of a whole node process doing $1 runs
  valgrind --tool=callgrind --smc-check=all --callgrind-out-file=/dev/null \
    node --no-warnings --no-liftoff --single-threaded "${run[@]:2}" "$1" 2>&1 >/dev/null |
    sed -n 's/.*I *refs: *//p' | tr -d ,
}
one=$(count 1)
four=$(count 4)
echo "instructions per run (V8 optimised code): $(( (four - one) / 3 ))"
