#!/usr/bin/env bash
# Runs the whole chain on its embedded defaults, as team mode runs in production:
#   the sandbox as Zuora        127.0.0.1:8787 (its /oauth/token, client id and secret)
#   the gateway in front of it  127.0.0.1:8090 (SQLite in target/dev/, user from --dev-user)
#   `trunk serve`               127.0.0.1:8080, proxying /v1/ and /api/ to the gateway
# Ctrl-C stops all three. DEV_USER names the signed-in user (default dev@example.com).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

SANDBOX_PORT=${SANDBOX_PORT:-8787}
GATEWAY_PORT=${GATEWAY_PORT:-8090}
DEV_USER=${DEV_USER:-dev@example.com}
state=target/dev
mkdir -p "$state"

cargo build -q -p zuora-sandbox -p mass-updater-gateway
# The gateway serves a build and refuses to start without one (it reads dist/csp.txt,
# written by Trunk's post-build hook); `trunk serve` rebuilds it on every change.
[ -f dist/csp.txt ] || trunk build

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM

wait_for() { # URL
  for _ in $(seq 100); do
    curl -fsS "$1" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "dev: $1 did not answer" >&2
  exit 1
}

./target/debug/zuora-sandbox --port "$SANDBOX_PORT" &
pids+=($!)
wait_for "http://127.0.0.1:$SANDBOX_PORT/__sandbox/health"

# The sandbox's documented development credentials; the secret goes in a file, as in
# production (the gateway never takes it on the command line).
secret="$state/sandbox-client-secret"
(umask 077 && printf 'sandbox-dev-secret' >"$secret")
./target/debug/mass-updater-gateway \
  --listen "127.0.0.1:$GATEWAY_PORT" \
  --dist dist \
  --zuora-url "http://127.0.0.1:$SANDBOX_PORT" \
  --client-id 5a1b0c2d-0000-4000-8000-5a4db0c0de01 \
  --client-secret-file "$secret" \
  --database "sqlite://$state/mass-updater.db" \
  --dev-user "$DEV_USER" &
pids+=($!)
wait_for "http://127.0.0.1:$GATEWAY_PORT/api/health"

printf '\n  App:     http://127.0.0.1:8080/  (signed in as %s)\n  Gateway: http://127.0.0.1:%s/  (history in %s/mass-updater.db)\n  Sandbox: http://127.0.0.1:%s/\n\n' \
  "$DEV_USER" "$GATEWAY_PORT" "$state" "$SANDBOX_PORT"
trunk serve
