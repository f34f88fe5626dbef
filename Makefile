# Cloudinary Connections: `make run` and `make test` on a fresh Debian machine with Rust.
# Every install step checks first, so a second run is quiet.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

TRUNK_VERSION := 0.21.14
SCHEMATHESIS_VERSION := 4.32.5
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"$$/\1/p}' Cargo.lock)
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
DIST := dist
SERVER := target/release/connections-server

.PHONY: run build test bench tools test-tools bench-tools fmt-check lint unit browser e2e schemathesis clean

## run: install what is missing, build app and server, start at http://127.0.0.1:8080
run: build
	@CLOUDINARY_CONNECTIONS_DIST=$(DIST) $(SERVER)

## build: the same without starting
build: tools
	@trunk build --release --quiet 2>.make/trunk.log || { cat .make/trunk.log; exit 1; }
	@node scripts/precompress.mjs $(DIST)
	@cargo build --release --quiet -p connections-server

## test: formatting, lints, native tests (server on SQLite and PostgreSQL), browser tests, end-to-end tests, schemathesis
test: tools test-tools fmt-check lint unit browser e2e schemathesis

## bench: size, UI speed (Chromium, 10,000 connections), server throughput, cold start
bench: build test-tools bench-tools
	@tests/pg/cluster.sh node bench/bench.mjs

tools: .make/wasm-target .make/trunk .make/wasm-bindgen node_modules/.package-lock.json

test-tools: .make/chromium .make/schemathesis-$(SCHEMATHESIS_VERSION)

bench-tools: .make/wrk

.make/wrk: | .make
	@command -v wrk >/dev/null || \
		{ echo "Installing Debian wrk…"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@touch $@

.make:
	@mkdir -p .make

.make/wasm-target: | .make
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@touch $@

.make/trunk: | .make
	@trunk --version 2>/dev/null | grep -q "trunk $(TRUNK_VERSION)" || \
		{ echo "Installing trunk $(TRUNK_VERSION) (about 10 minutes on 2 cores)…"; cargo install trunk --version $(TRUNK_VERSION) --locked --quiet; }
	@touch $@

.make/wasm-bindgen: Cargo.lock | .make
	@wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $(WASM_BINDGEN_VERSION)" || \
		{ echo "Installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 4 minutes)…"; cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --quiet; }
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error >/dev/null

# schemathesis, pinned, in a venv of its own (Debian's python3 needs python3-venv for it).
.make/schemathesis-$(SCHEMATHESIS_VERSION): | .make
	@python3 -c 'import ensurepip' 2>/dev/null || \
		{ echo "Installing Debian python3-venv…"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; }
	@[ -x .make/venv/bin/python ] || python3 -m venv .make/venv
	@.make/venv/bin/pip install --quiet --disable-pip-version-check schemathesis==$(SCHEMATHESIS_VERSION)
	@touch $@

.make/chromium: | .make
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		{ echo "Installing Debian chromium and chromium-driver…"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }
	@touch $@

fmt-check:
	@cargo fmt --all --check

lint:
	@cargo clippy --quiet --workspace --all-targets --features connections-server/failpoints -- -D warnings
	@cargo clippy --quiet -p cloudinary-connections --all-targets --target wasm32-unknown-unknown -- -D warnings

# failpoints: the tests of the real binary make a handler panic through FAILPOINTS.
# The server's tests run twice: on SQLite, then on PostgreSQL (tests/pg/cluster.sh
# starts a throwaway cluster, or uses CONNECTIONS_TEST_POSTGRES when set); the
# two-instance tests (tests/instances.rs) need PostgreSQL, so only the second run has them.
unit:
	@cargo test --quiet --workspace --features connections-server/failpoints -- --skip two_instances_
	@tests/pg/cluster.sh cargo test --quiet -p connections-server --features connections-server/failpoints

browser:
	@cargo test -p cloudinary-connections --target wasm32-unknown-unknown --test 'browser*'

e2e: build
	@node --test --test-concurrency=1 tests/e2e/

## schemathesis: every check and phase of schemathesis against the release server (docs/api.md)
schemathesis: build .make/schemathesis-$(SCHEMATHESIS_VERSION)
	@tests/schemathesis/run.sh

clean:
	@rm -rf .make $(DIST) target node_modules
