#!/usr/bin/env bash
# Runs the app against the bundled sandbox: the sandbox on 127.0.0.1:8787, `trunk serve`
# on 127.0.0.1:8080 proxying /v1/ to it. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

SANDBOX_PORT=${SANDBOX_PORT:-8787}
cargo build -q -p zuora-sandbox
./target/debug/zuora-sandbox --port "$SANDBOX_PORT" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$SANDBOX_PORT/__sandbox/health" >/dev/null 2>&1 && break
  sleep 0.2
done

printf '\n  App:     http://127.0.0.1:8080/\n  Sandbox: http://127.0.0.1:%s/ (dev token: sandbox-dev-token)\n\n' "$SANDBOX_PORT"
trunk serve
