# One entry point for everything. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PINNED := discovery/workspaceevents.v1.json
# Hand-written modules that ship inside workspaceevents (LocalServer, subscription helpers).
ADDONS := addons/workspaceevents
# The table of Workspace event types; it names the pinned chat, meet and drive documents beside it.
EVENTS := discovery/workspace-events.json
STAMP := $(VENV)/.installed

.PHONY: compat help generate generate-all goldens docs update check stale fmt lint typecheck test bench conformance

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)  ## regenerate generated/ (bindings and docs) from the pinned document
	$(BIN)/python -m codegen generate $(PINNED) --out generated --docs generated/html --addons $(ADDONS) --events $(EVENTS)

docs: $(STAMP)  ## regenerate only the HTML reference pages in generated/html/
	$(BIN)/python -m codegen docs $(PINNED) --out generated/html

goldens: $(STAMP)  ## refresh tests/golden/ from the tiny documents in tests/data/
	for doc in tests/data/*.json; do case=$$(basename $$doc .json); \
	  case $$case in docs_*) continue;; esac; \
	  $(BIN)/python -m codegen generate $$doc --out tests/golden/$$case || exit 1; done

update: $(STAMP)  ## diff a newer document (default: the bundled one; SOURCE=path|URL) against the pinned one, re-pin, regenerate, log to CHANGELOG.md
	$(BIN)/python -m codegen update $(SOURCE) --pinned $(PINNED) --out generated --addons $(ADDONS) --events $(EVENTS)

generate-all: $(STAMP)  ## generate, import and parity-check every bundled discovery document (not in CI; ~1-3 min)
	$(BIN)/python tools/generate_all.py

stale: $(STAMP)  ## fail with a diff if generated/ is not what the generator makes now
	$(BIN)/python -m codegen check $(PINNED) --out generated --docs generated/html --addons $(ADDONS) --events $(EVENTS)

fmt: $(STAMP)  ## format the hand-written code
	$(BIN)/ruff format codegen discovery_runtime addons tests benchmarks examples tools
	$(BIN)/ruff check --fix codegen discovery_runtime addons tests benchmarks examples tools

lint: $(STAMP)  ## ruff format --check and ruff check, generated code included
	$(BIN)/ruff format --check codegen discovery_runtime addons tests benchmarks examples tools generated
	$(BIN)/ruff check codegen discovery_runtime addons tests benchmarks examples tools generated

typecheck: $(STAMP)  ## mypy --strict on the generator, tests, benchmarks, examples and the generated package
	$(BIN)/mypy codegen discovery_runtime tests benchmarks examples tools generated/workspaceevents

check: lint typecheck stale  ## the quick gate (about 15 s): lint, type checks, and generated/ regenerated and compared

test: check  ## lint, type checks, the stale check and the whole test suite
	$(BIN)/python -m pytest

bench: $(STAMP)  ## speed and memory against the dynamic client, in one run
	$(BIN)/python -m benchmarks

compat: $(STAMP)  ## the parity suite against the oldest and newest google-api-python-client in the declared range (throwaway venvs; ~5-10 min; VERSIONS="a b" for others)
	$(BIN)/python tools/compat.py $(VERSIONS)

conformance: $(STAMP)  ## googleapiclient's own tests (sdist of the installed version), dynamic vs routed to generated packages; fails on a regression (~40 s)
	$(BIN)/python tools/conformance
