#!/usr/bin/env bash
# Builds the release bundle and the sandbox, then drives the bundle in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

trunk build --release
node scripts/bundle-budget.mjs
cargo build -q -p zuora-sandbox
cd e2e && SANDBOX_BIN=../target/debug/zuora-sandbox npm test
