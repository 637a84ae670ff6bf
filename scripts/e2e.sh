#!/usr/bin/env bash
# Builds the release bundle, the sandbox and the team-mode gateway, then drives the
# bundle in headless Chromium (through the gateway in e2e/tests/team.test.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

trunk build --release
node scripts/bundle-budget.mjs
cargo build -q -p zuora-sandbox
cargo build -q -p mass-updater-gateway
cd e2e && SANDBOX_BIN=../target/debug/zuora-sandbox GATEWAY_BIN=../target/debug/mass-updater-gateway npm test
