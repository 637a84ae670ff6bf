#!/usr/bin/env bash
# `make bench`: builds the release bundle, installs the benchmark's npm packages (once per
# change of bench/package-lock.json), and measures it in headless Chromium next to
# hash-wasm, spark-md5 and the native tools; then the gateway in front of the sandbox.
# Writes BENCHMARKS.md and bench/charts/.
# Informational only: nothing in `make test` depends on it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1mbench:\033[0m %s\n' "$*" >&2; }

./scripts/setup.sh

# Native tools for the comparison rows (coreutils and gzip are always there on Debian;
# openssl is optional and its row is left out when missing).
for tool in md5sum gzip; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done

if ! [ bench/node_modules/.installed -nt bench/package-lock.json ]; then
  say "installing npm packages in bench/"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
  touch bench/node_modules/.installed
fi

say "building the release bundle"
trunk build --release
node scripts/bundle-budget.mjs || say "over the bundle budget (reported below)"

say "building the sandbox and the gateway (release, for section 6)"
cargo build -q --release -p zuora-sandbox -p mass-updater-gateway

node bench/run.mjs
