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
## against osmem-server, end to end with the worker process, and the CI-sized
## benchmark gate (Tributary >= 3x the Python reference sink).
test: build test-unit test-e2e bench-ci

test-unit:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

test-e2e:
	TRIBUTARY_BIN=$(BIN) $(PYTHON) -m pytest -v -p no:cacheprovider Tests/e2e

## The main job end to end on embedded servers.
demo:
	scripts/demo.sh

clean:
	rm -rf .build out

## Benchmark (issue 5, Benchmarks/README.md): the fastbulk endpoint's own
## ceiling, then kcat, the Python reference sink and Tributary side by side on
## the mock cluster; freshness, memory, osmem and a million-event backlog.
## Writes Benchmarks/results/. `bench-ci` is the ~2-3 minute version that fails
## when Tributary's events/s is below 3x the Python sink's, or when its peak RSS
## draining an 821 MB backlog reaches 150 MB. BENCH_ARGS passes options to run.py.
BENCH_BIN := .build-bench/release
BENCH_ARGS ?=

.PHONY: bench bench-ci bench-build bench-setup bench-route bench-backlog

bench-setup:
	apt-get install -y kcat gcc linux-perf
	$(PYTHON) -m pip install confluent-kafka opensearch-py pytest

bench-build:
	$(SWIFT) build -c release --scratch-path .build-bench

bench: bench-build
	$(PYTHON) -m pytest -q -p no:cacheprovider Benchmarks/test_fastbulk.py
	$(PYTHON) Benchmarks/run.py --bin $(BENCH_BIN) $(BENCH_ARGS)

bench-ci: deps bench-build
	$(PYTHON) -m pytest -q -p no:cacheprovider Benchmarks/test_fastbulk.py
	$(PYTHON) Benchmarks/run.py --ci --modes ceiling,throughput,backlog --bin $(BENCH_BIN) $(BENCH_ARGS)

## Peak RSS and events/s draining a million-event backlog (4.3 GB over 1,200 partitions).
bench-backlog: bench-build
	$(PYTHON) Benchmarks/run.py --bin $(BENCH_BIN) --modes backlog $(BENCH_ARGS)

## Routing alone (no Kafka, no HTTP): DocumentRouter over 4 000 workload
## records on one thread, in ns per record. Instruction counts, which a shared
## machine does not blur, with valgrind (Benchmarks/README.md, "Routing alone").
bench-route: bench-build
	$(PYTHON) Benchmarks/workload.py --events 4000 --out $(BENCH_BIN)/route-4k.jsonl
	$(BENCH_BIN)/tributary-dev route-bench --file $(BENCH_BIN)/route-4k.jsonl
