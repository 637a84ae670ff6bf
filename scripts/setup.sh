#!/usr/bin/env bash
# Installs every tool the project needs, skipping what is already present, so it is
# safe to run before every `make dev` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Rust: the WebAssembly target and the lint/format components.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding $component"
    rustup component add "$component"
  fi
done

# Debian packages: the browser and its driver for tests, Node.js for the end-to-end
# tests and build tools, nginx for the production-configuration test,
# PostgreSQL for the gateway's store tests. (wasm-opt comes
# from npm, below: Debian's binaryen 108 breaks wasm-bindgen's reference-types table.)
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v node >/dev/null || missing+=(nodejs npm)
# nginx: the end-to-end tests run deploy/nginx/mass-updater.conf in a private foreground
# process (Debian's package may also start its own service on port 80; the tests do not
# use it).
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
# PostgreSQL: the gateway's store tests run against a private cluster that
# scripts/with-postgres.sh starts from these binaries (not Debian's service on 5432).
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# Trunk, pinned: 0.22 needs a newer rustc than this project builds with.
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 15 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly, or Trunk tries to
# download one. No --locked: the registry lacks one of its pinned dependencies.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# npm packages: build tools (wasm-opt) and the end-to-end tests' dependencies,
# reinstalled only when a lock file changes.
for dir in tools e2e; do
  if ! [ "$dir/node_modules/.installed" -nt "$dir/package-lock.json" ]; then
    say "installing npm packages in $dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$dir/node_modules/.installed"
  fi
done
