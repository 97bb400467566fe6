# Entry points named in the README. Everything runs on a fresh Debian machine
# after `make setup` (or `.ci/run`, which calls it).

SWIFT ?= swift
PYTHON ?= python3
BIN := .build/debug

.PHONY: setup deps build test test-unit test-e2e demo clean

## Install the system packages and Python tools the build and tests need.
setup:
	scripts/setup.sh

## Run setup only when something is missing.
deps:
	scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

## Every test tier: pure core, Kafka against the mock cluster, OpenSearch
## against osmem-server, and end to end with the worker process.
test: build test-unit test-e2e

test-unit:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2

test-e2e:
	TRIBUTARY_BIN=$(BIN) $(PYTHON) -m pytest -v -p no:cacheprovider Tests/e2e

## The main job end to end on embedded servers.
demo:
	scripts/demo.sh

clean:
	rm -rf .build out
