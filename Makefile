# The two commands that matter: `make dev` and `make test`. Both install what they need.
SHELL := /bin/bash
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER := /usr/bin/chromedriver
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner
WASM := --target wasm32-unknown-unknown

.PHONY: help setup dev test lint unit browser e2e e2e-random bench sandbox clean screenshots fuzz

help:
	@echo "make dev    run the app on http://127.0.0.1:8080/ through the gateway, against the bundled sandbox"
	@echo "make test   format check, clippy, native, browser and end-to-end tests"
	@echo "make setup  install the tools (run by dev and test)"
	@echo "make e2e-random SEED=1 STEPS=2000   the randomized end-to-end test alone"
	@echo "make bench  measure the release build in headless Chromium; writes BENCHMARKS.md"
	@echo "make fuzz   fuzz every parser of outside data, FUZZ_SECONDS=60 per target (pinned nightly)"

setup:
	@./scripts/setup.sh

dev: setup
	@./scripts/dev.sh

test: setup lint unit browser e2e

lint:
	cargo fmt --all -- --check
	cargo clippy -p mass-updater-domain -p zuora-sandbox -p mass-updater-gateway --all-targets -- -D warnings
	cargo clippy -p mass-updater $(WASM) --all-targets -- -D warnings
	node scripts/check-tree.mjs domain/src
	node scripts/check-tree.mjs src

# The domain, the sandbox, the gateway (its store on SQLite and on a private PostgreSQL
# cluster) and the app's pure parts (state/host_events.rs), natively.
unit:
	cargo test -p mass-updater-domain -p zuora-sandbox
	./scripts/with-postgres.sh cargo test -p mass-updater-gateway
	cargo test -p mass-updater --lib

# Components and file intake in headless Chromium.
browser:
	cargo test -p mass-updater $(WASM)

# The release build in headless Chromium against the sandbox.
e2e:
	@./scripts/e2e.sh

# The randomized end-to-end test alone: STEPS random steps from SEED (a new seed each
# time when none is given; it is printed), RUNS seeds in a row; fails on any defect but
# the known ones listed in TOLERATE (e.g. TOLERATE=D1,D2,D3; see e2e/tests/random.test.mjs).
# Rebuilds the release bundle only when a source is newer than dist/.
SEED ?= $(shell date +%s)
STEPS ?= 300
RUNS ?= 1
TOLERATE ?=
e2e-random: setup
	@if [ ! -f dist/index.html ] || [ -n "$$(find src domain/src style index.html Cargo.toml Cargo.lock Trunk.toml .cargo -newer dist/index.html -print -quit)" ]; then trunk build --release; fi
	cargo build -q -p zuora-sandbox
	cd e2e && RANDOM_SEED=$(SEED) RANDOM_STEPS=$(STEPS) RANDOM_RUNS=$(RUNS) RANDOM_TOLERATE=$(TOLERATE) SANDBOX_BIN=../target/debug/zuora-sandbox node --test --test-name-pattern="^random steps" tests/random.test.mjs

# Speed and size of the release build, side by side with other MD5 libraries and native
# tools (informational; never part of make test). Writes BENCHMARKS.md. Runs setup itself.
bench:
	@./scripts/bench.sh

sandbox:
	cargo run -p zuora-sandbox

# Pictures of the main states for docs/screenshots/ (after a release build).
screenshots: setup
	trunk build --release
	cargo build -q -p zuora-sandbox
	cd e2e && SANDBOX_BIN=../target/debug/zuora-sandbox node screenshots.mjs

clean:
	cargo clean
	rm -rf dist e2e/node_modules e2e/artifacts bench/node_modules bench/.work

# Coverage-guided fuzzing of every parser of outside data (fuzz/), FUZZ_SECONDS per
# target (default 60), on a pinned nightly that the script installs for itself; prints
# executions and crashes per target and fails on any crash. Never part of make test.
fuzz:
	@./scripts/fuzz.sh
