# Set-up and entry points. Everything a fresh machine needs (Python 3.11, Node 20, make) is
# installed into the repo: .venv (pinned Python deps) and node_modules (npm ci). Stamp files make
# a second run skip what is already up to date.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMPS := .make

export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export SOLCX_BINARY_PATH := $(CURDIR)/tools/solc
export BROWNIE_NOCOMPILE := 1
export PYTHONDONTWRITEBYTECODE := 1

SOURCES := $(wildcard contracts/*.sol contracts/**/*.sol interfaces/*.sol) brownie-config.yaml

.PHONY: help setup compile test fuzz demo gas gas-update gateway clean slither slither-permissions coverage

help:
	@echo "make demo        the whole system at work on a local Anvil chain it starts itself; report in reports/"
	@echo "                 (NETWORK=<brownie network> for demo and gas: another development network)"
	@echo "make test        run the test suite on Anvil (TEST_WORKERS=2 xdist workers, TEST_ARGS=... for pytest)"
	@echo "make gas         gas per user-facing operation, checked against gas-snapshot.json"
	@echo "make gas-update  rewrite gas-snapshot.json (commit it with the reason)"
	@echo "make gateway     the AI-service gateway (docs/gateway.md; GATEWAY_CONFIG=<file>, default config/gateway.yaml)"
	@echo "make slither     static analysis gate (security/slither-triage.yaml, docs/permissions.md)"
	@echo "make coverage    line/branch coverage of contracts/, floor 95% of branches"
	@echo "make fuzz        the system-wide stateful fuzz with the deep profile (20x the steps)"
	@echo "make setup       only install .venv and node_modules and compile"

$(STAMPS)/venv: pyproject.toml
	@mkdir -p $(STAMPS)
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-binary eth-brownie -e .
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund
	@touch $@

$(STAMPS)/compiled: $(STAMPS)/venv $(STAMPS)/npm $(SOURCES) tools/solc/solc-v0.8.28
	brownie compile
	@touch $@

setup: $(STAMPS)/compiled

compile: setup

# Two xdist workers (one Anvil each, files split between them) fit the 2-core machines.
TEST_WORKERS ?= 2
test: setup
	brownie test tests/ $(if $(filter-out 1,$(TEST_WORKERS)),-n $(TEST_WORKERS)) $(TEST_ARGS)

# Scripts run through tools/run (harness/chain/launcher.py): `brownie run` fails from a checkout whose
# path has a dot. NETWORK=<brownie network> runs demo and gas on another development network
# (default: `development`, which brownie starts on port 8545).
NETWORK ?=
NETWORK_OPTION := $(if $(NETWORK),--network $(NETWORK))

demo: setup
	tools/run scripts/demo.py $(NETWORK_OPTION)

# The system-wide stateful fuzz with the deep profile: 20x the default run's steps (tests/system).
fuzz: setup
	HYPOTHESIS_PROFILE=deep brownie test tests/system $(TEST_ARGS)

gas: setup
	tools/run scripts/gas_benchmark.py $(NETWORK_OPTION)

# The AI-service gateway (docs/gateway.md) in the foreground, with settlement; GATEWAY_CONFIG=<file>
# for another config (default config/gateway.yaml: the `development` deployment on a plain anvil).
GATEWAY_CONFIG ?= config/gateway.yaml
gateway: setup
	. tools/env.sh && .venv/bin/python -m gateway serve config=$(GATEWAY_CONFIG)

gas-update: setup
	GAS_SNAPSHOT_UPDATE=1 tools/run scripts/gas_benchmark.py $(NETWORK_OPTION)

clean:
	rm -rf build $(STAMPS) reports .hypothesis

# ---- Slither static analysis (docs/security.md) -------------------------------------------
# `make slither` is a CI gate: it fails on a High/Medium finding not triaged in
# security/slither-triage.yaml, on a stale triage entry, on an ERC20/ERC2612 conformance error of
# ServiceToken, and when docs/permissions.md is out of date (`make slither-permissions` rewrites it).
# Slither lives in its own venv: its dependency ranges clash with eth-brownie's exact pins in .venv.
SLITHER_VENV := .venv-slither

$(STAMPS)/slither-venv: tools/slither/requirements.txt
	@mkdir -p $(STAMPS)
	@test -x $(SLITHER_VENV)/bin/python || $(PYTHON) -m venv $(SLITHER_VENV)
	$(SLITHER_VENV)/bin/pip install --quiet --disable-pip-version-check -r tools/slither/requirements.txt
	@touch $@

slither: $(STAMPS)/slither-venv $(STAMPS)/npm
	$(SLITHER_VENV)/bin/python tools/slither/gate.py

slither-permissions: $(STAMPS)/slither-venv $(STAMPS)/npm
	$(SLITHER_VENV)/bin/python tools/slither/gate.py --permissions-only --update-permissions

# ---- contract coverage (docs/coverage.md) --------------------------------------------------------
# Runs the test suite once with tools/coverage/contract_coverage.py loaded (it traces every
# transaction and call on an Anvil started with --steps-tracing through tools/coverage/bin/anvil),
# then tools/coverage/report.py prints line/branch/function coverage of contracts/ and fails if an
# external/public function declared in contracts/ was never reached or branch coverage of the project
# contracts in total is below COVERAGE_BRANCH_FLOOR (%).
# COVERAGE_NETWORK: a brownie development network whose `cmd` is plain `anvil` (development, dev-*).
COVERAGE_NETWORK ?= development
COVERAGE_BRANCH_FLOOR ?= 95
COVERAGE_TESTS ?= tests/
# One xdist worker per core, as `make test`: each worker traces its own Anvil (brownie adds the worker
# number to the network's port) and writes reports/coverage-raw-gwN.json, which report.py merges.
COVERAGE_WORKERS ?= $(TEST_WORKERS)
# Tests whose contract calls happen only in script subprocesses (tools/run; the plugin cannot see
# them; the same code runs in-process elsewhere), and the plain-Python suites that call no contract
# (tests/core, tests/security): skipped by default to keep the run short.
COVERAGE_IGNORE ?= --ignore=tests/live --ignore=tests/launcher --ignore=tests/deploy/test_scripts.py \
	--ignore=tests/proposals/test_proposals_simulation.py --ignore=tests/core --ignore=tests/security

coverage: setup
	@rm -f reports/coverage-raw*.json
	@status=0; \
	PATH="$(CURDIR)/tools/coverage/bin:$$PATH" PYTHONPATH="$(CURDIR)/tools/coverage$${PYTHONPATH:+:$$PYTHONPATH}" \
		brownie test $(COVERAGE_TESTS) --network $(COVERAGE_NETWORK) $(COVERAGE_IGNORE) -p contract_coverage $(if $(filter-out 1,$(COVERAGE_WORKERS)),-n $(COVERAGE_WORKERS)) $(TEST_ARGS) || status=$$?; \
	COVERAGE_BRANCH_FLOOR=$(COVERAGE_BRANCH_FLOOR) $(VENV)/bin/python tools/coverage/report.py || status=1; \
	if [ $$status -ne 0 ]; then echo "make coverage: FAILED (tests or coverage floor, see above)"; fi; \
	exit $$status
