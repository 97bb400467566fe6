#!/usr/bin/env python3
"""Tributary's benchmark (issue 5): one run, every sink side by side.

    python3 Benchmarks/run.py            # full: `make bench`
    python3 Benchmarks/run.py --ci       # ~1-2 minutes: `make bench-ci`

What it does, on loopback only:
1. compiles Benchmarks/fastbulk/fastbulk.c (the `_bulk` endpoint every sink
   writes to) and measures its own ceiling with its load generator;
2. starts librdkafka's mock cluster (`tributary-dev mock-cluster`) and loads
   one topic of 24 partitions with the seeded Debezium workload (workload.py),
   checking that the mock kept every record;
3. throughput: drains that topic with kcat (the raw Kafka ceiling), the Python
   reference sink (python_sink.py) and `tributary run`, each with a fresh
   consumer group and a reset endpoint; measures events/s, MB/s, CPU-seconds
   per 100 k events, peak RSS (VmHWM) and the ratios;
4. latency: a producer at a fixed rate with `source.ts_ms`/`updated_at` set to
   the send time; the endpoint records now − updated_at per document;
5. memory: Tributary's peak RSS while a producer keeps it saturated for up to
   1 M events (backlog bounded by the mock cluster's retention; see README);
6. osmem: Tributary draining into osmem-server (the slow emulator) with 1 and
   4 bulk requests in flight: events/s, the server's and Tributary's CPU, and
   how many requests Tributary keeps in flight (bench/osmem.py).
7. backlog: Tributary draining a backlog loaded before it starts: a million
   records over 1,200 partitions (4.3 GB; the mock keeps 5 MB a partition),
   --ci 192,000 over 192 (821 MB): its peak RSS against the 150 MB bound,
   and events/s.

Writes a JSON result file and prints a table. With --ci, exits 1 when
Tributary's events/s is below 3× the Python sink's, or when its peak RSS on
the backlog reaches 150 MB.

Parts: bench/processes.py (the processes and /proc readings),
bench/throughput.py (ceiling, kcat, sink drains, perf), bench/modes.py
(latency, memory), bench/osmem.py (osmem); workload.py, produce.py and python_sink.py run as scripts.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import workload  # noqa: E402
from bench.modes import measure_backlog, measure_latency, measure_memory  # noqa: E402
from bench.osmem import measure_osmem, report as osmem_report  # noqa: E402
from bench.processes import Endpoint, Kafka, log, produce  # noqa: E402
from bench.throughput import derive, endpoint_ceiling, measure_kcat, measure_sink, perf_summary  # noqa: E402


def table(results: dict) -> str:
    rows = [("sink", "events/s", "MB/s", "CPU-s/100k ev", "peak RSS MB", "wall s", "wall ev/s", "rounds ev/s",
             "other load")]
    for name, m in results["throughput"].items():
        rounds = "/".join(f"{r / 1000:.1f}k" for r in m.get("rounds_events_per_s", []))
        rows.append((name, f"{m['events_per_s']:,.0f}", f"{m['mb_per_s']:.1f}", f"{m['cpu_s_per_100k']:.2f}",
                     f"{m['peak_rss_kb'] / 1024:.0f}", f"{m['wall_s']:.2f}", f"{m['wall_events_per_s']:,.0f}", rounds,
                     f"{m.get('other_load_cores', 0):.2f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ci", action="store_true", help="small and fast; fail below the 3x gate")
    ap.add_argument("--bin", default=str(REPO / ".build-bench" / "release"), help="folder of tributary, tributary-dev")
    ap.add_argument("--events", type=int, help="records in the loaded topic (default 24000, --ci 20000)")
    ap.add_argument("--modes", default="ceiling,throughput,latency,memory,osmem,backlog")
    ap.add_argument("--osmem-events", type=int, default=12_000, help="records drained into osmem-server (osmem mode)")
    ap.add_argument("--memory-events", type=int, help="default 1000000, --ci 60000")
    ap.add_argument("--backlog-events", type=int,
                    help="records loaded for the backlog mode, over --backlog-partitions (default 1000000, --ci 192000)")
    ap.add_argument("--backlog-partitions", type=int, help="default 1200, --ci 192")
    ap.add_argument("--rss-bound-mb", type=float, default=150.0,
                    help="--ci fails when Tributary's peak RSS on the backlog reaches this")
    ap.add_argument("--latency-rate", type=float, default=5000)
    ap.add_argument("--latency-seconds", type=float, help="default 20, --ci 5")
    ap.add_argument("--repeat", type=int, default=None,
                    help="throughput rounds, the median of each sink kept (default 5, --ci 3: a drain lasts well under "
                         "a second on shared cores, so single rounds move by 20-30 %%)")
    ap.add_argument("--sinks", help="throughput sinks, comma-separated (default kcat,python,tributary"
                    "[,python-nodecode])")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="extra connector setting for tributary in the throughput and backlog modes (repeatable), "
                         "e.g. kafka.fetch.wait.max.ms=10")
    ap.add_argument("--schema-probe", action=argparse.BooleanOptionalAction, default=None,
                    help="also run tributary on the same changes without the schema (default: on, off with --ci)")
    ap.add_argument("--perf", action="store_true",
                    help="profile tributary's throughput rounds with `perf record` (cpu-clock, call graphs)")
    ap.add_argument("--out", help="result JSON (default Benchmarks/results/bench-<time>.json)")
    ap.add_argument("--gate", type=float, default=3.0, help="--ci fails when tributary/python events/s is below this")
    args = ap.parse_args()
    events = args.events or (20_000 if args.ci else 24_000)
    args.repeat = args.repeat or (3 if args.ci else 5)
    memory_events = args.memory_events or (60_000 if args.ci else 1_000_000)
    backlog_events = args.backlog_events or (192_000 if args.ci else 1_000_000)
    backlog_partitions = args.backlog_partitions or (192 if args.ci else 1200)
    latency_seconds = args.latency_seconds or (5 if args.ci else 20)
    modes = set(args.modes.split(","))
    connector_extra = dict(kv.split("=", 1) for kv in args.set)
    if args.schema_probe is None:
        args.schema_probe = not args.ci
    missing = [tool for tool in ("kcat", "gcc") if not shutil.which(tool)]
    missing += [mod for mod in ("confluent_kafka", "opensearchpy") if importlib.util.find_spec(mod) is None]
    if args.perf and not shutil.which("perf"):
        missing.append("perf")
    if missing:
        sys.exit(f"missing {', '.join(missing)}: run `make bench-setup`")
    bin_dir = Path(args.bin)
    for tool in ("tributary", "tributary-dev"):
        if not (bin_dir / tool).exists():
            sys.exit(f"{bin_dir / tool} is missing: run `swift build -c release --scratch-path .build-bench` first")

    workdir = Path(tempfile.mkdtemp(prefix="tributary-bench-"))
    results_dir = HERE / "results"
    results_dir.mkdir(exist_ok=True)
    out_path = Path(args.out) if args.out else results_dir / f"bench-{'ci-' if args.ci else ''}{time.strftime('%Y%m%d-%H%M%S')}.json"
    fastbulk = workdir / "fastbulk"
    subprocess.run(["gcc", "-O2", "-Wall", "-o", str(fastbulk), str(HERE / "fastbulk" / "fastbulk.c")], check=True)

    results: dict = {
        "machine": {"cpus": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version(),
                    "note": "everything (mock Kafka, endpoint, sink, producer) shares these CPUs"},
        "workload": {}, "throughput": {}, "mode": "ci" if args.ci else "full", "workdir": str(workdir),
    }
    code = 0
    if "ceiling" in modes:
        log("fastbulk ceiling (loadgen)")
        results["endpoint_ceiling"] = endpoint_ceiling(fastbulk, workdir, 2 if args.ci else 4)
        for label, r in results["endpoint_ceiling"].items():
            log(f"  fastbulk {label}: {r['items_per_s']:,.0f} items/s, {r['mb_per_s']:.0f} MB/s, "
                f"{r['endpoint_cpu_s_per_100k_items']:.2f} endpoint CPU-s/100k items")

    kafka = Kafka(bin_dir)
    endpoint = Endpoint(fastbulk)
    try:
        if "throughput" in modes:
            topic = workload.TOPIC
            kafka.create_topic(topic, 24)
            log(f"loading {events} records into {topic} (24 partitions)")
            loaded = produce(kafka, "load", topic, "--events", str(events), "--seed", "1")
            parts = kafka.offsets("bench-probe", topic)
            retained = sum(p["high"] - p["low"] for p in parts)
            if retained != events or any(p["low"] for p in parts):
                raise RuntimeError(f"the mock cluster kept {retained} of {events} records; use fewer --events")
            results["workload"] = {**loaded, "partitions": 24, "retained": retained,
                                   "mean_record_bytes": loaded["bytes"] / loaded["records"],
                                   "deletes": loaded["tombstones"], "seed": 1}
            log(f"  {loaded['records']} records ({loaded['bytes'] / 1e6:.1f} MB, mean "
                f"{loaded['bytes'] / loaded['records']:.0f} B), {loaded['tombstones']} deletes + tombstones; all retained")
            sinks = (args.sinks.split(",") if args.sinks
                     else ["kcat", "python", "tributary"] + ([] if args.ci else ["python-nodecode"]))
            rounds: dict[str, list[dict]] = {sink: [] for sink in sinks}
            for round_ in range(args.repeat):
                for sink in sinks:
                    log(f"throughput: {sink} (round {round_ + 1}/{args.repeat})")
                    if sink == "kcat":
                        m = measure_kcat(kafka, topic, loaded["records"], loaded["bytes"])
                    else:
                        extra = ("--no-logical",) if sink == "python-nodecode" else ()
                        perf_data = (workdir / f"perf-{sink}-{round_ + 1}.data"
                                     if args.perf and sink == "tributary" else None)
                        m = measure_sink(sink, kafka, endpoint, topic, loaded["records"], loaded["items"],
                                         loaded["bytes"], workdir, bin_dir, 600, extra, connector_extra, perf_data)
                        if perf_data and perf_data.exists():
                            summary = results_dir / f"{out_path.stem}-perf-round{round_ + 1}.txt"
                            perf_summary(perf_data, summary)
                            m["perf_summary"] = str(summary)
                            log(f"  perf profile: {summary}")
                    derive(m)
                    log(f"  {m['events_per_s']:,.0f} events/s ({m['mb_per_s']:.1f} MB/s), "
                        f"{m['cpu_s_per_100k']:.2f} CPU-s/100k, peak RSS {m['peak_rss_kb'] / 1024:.0f} MB, "
                        f"wall {m['wall_s']:.2f} s, other load {m['other_load_cores']:.2f} cores")
                    if m["other_load_cores"] > 0.25:
                        log("  WARNING: other processes used CPU during this run; its numbers are disturbed")
                    rounds[sink].append(m)
            best = {}
            for sink, ms in rounds.items():  # the median round of each sink
                ordered = sorted(ms, key=lambda m: m["events_per_s"])
                best[sink] = {**ordered[(len(ordered) - 1) // 2],
                              "rounds_events_per_s": [m["events_per_s"] for m in ms]}
            results["throughput"] = best
            results["throughput_rounds"] = rounds
            results["tributary_settings"] = connector_extra
            if args.schema_probe:
                # Diagnostic: the same changes without the JsonConverter schema
                # (schemas.enable=false), to show what parsing the schema costs.
                probe_topic = workload.TOPIC + ".noschema"
                kafka.create_topic(probe_topic, 24)
                bare = produce(kafka, "load", probe_topic, "--events", str(events), "--seed", "1", "--no-schema")
                ms = []
                for round_ in range(args.repeat):
                    log(f"throughput: tributary on the schemaless topic (round {round_ + 1}/{args.repeat})")
                    m = derive(measure_sink("tributary-noschema", kafka, endpoint, probe_topic, bare["records"],
                                            bare["items"], bare["bytes"], workdir, bin_dir, 600, (), connector_extra))
                    log(f"  {m['events_per_s']:,.0f} events/s ({m['mb_per_s']:.1f} MB/s), "
                        f"{m['cpu_s_per_100k']:.2f} CPU-s/100k, other load {m['other_load_cores']:.2f} cores")
                    ms.append(m)
                ordered = sorted(ms, key=lambda m: m["events_per_s"])
                results["throughput"]["tributary (no schema)"] = {
                    **ordered[(len(ordered) - 1) // 2], "rounds_events_per_s": [m["events_per_s"] for m in ms],
                    "note": "diagnostic: same changes, values without the JsonConverter schema"}
        if "throughput" in modes and {"tributary", "kcat", "python"} <= set(results["throughput"]):
            t, k, p = (results["throughput"][s] for s in ("tributary", "kcat", "python"))
            results["ratios"] = {
                "tributary_over_kcat": t["events_per_s"] / k["events_per_s"],
                "tributary_over_python": t["events_per_s"] / p["events_per_s"],
                "tributary_over_python_wall": t["wall_events_per_s"] / p["wall_events_per_s"],
                "python_cpu_over_tributary_cpu": p["cpu_s_per_100k"] / t["cpu_s_per_100k"],
            }
            if p["endpoint"]["live_docs"] != t["endpoint"]["live_docs"]:
                log(f"WARNING: live documents differ: python {p['endpoint']['live_docs']}, "
                    f"tributary {t['endpoint']['live_docs']}")
                code = 1
        if "latency" in modes:
            results["latency"] = {}
            runs = [("tributary", 10)] if args.ci else [("tributary", 10), ("python", 10), ("tributary", None)]
            for kind, fetch_wait in runs:
                label = kind + ("" if fetch_wait is None else f" (fetch.wait.max.ms={fetch_wait})")
                log(f"latency: {label} at {args.latency_rate:.0f} changes/s for {latency_seconds:.0f} s")
                lat = measure_latency(kind, kafka, endpoint, workdir, bin_dir, args.latency_rate, latency_seconds,
                                      fetch_wait)
                f = lat["freshness"]
                log(f"  freshness p50 {f['p50_ms']:.1f} ms, p99 {f['p99_ms']:.1f} ms, max {f['max_ms']:.1f} ms "
                    f"over {f['count']} documents")
                if lat["fell_behind"]:
                    log(f"  WARNING: {kind} fell behind: {lat['items_received']} of {lat['producer']['items']} items "
                        "arrived (the rest aged out of the mock cluster's retention)")
                results["latency"][label] = lat
        if "memory" in modes:
            log(f"memory: tributary draining {memory_events} events produced continuously")
            mem = measure_memory(kafka, endpoint, workdir, bin_dir, memory_events, 10_000)
            log(f"  peak RSS {mem['peak_rss_kb'] / 1024:.0f} MB (median {mem['rss_median_kb'] / 1024:.0f} MB), "
                f"{mem['events_per_s']:,.0f} events/s, {mem['items']} items")
            if mem["lost_items"]:
                log(f"  WARNING: {mem['lost_items']} items never arrived (aged out of the mock's retention)")
            results["memory"] = mem
        if "backlog" in modes:
            log(f"backlog: tributary draining {backlog_events} records loaded over {backlog_partitions} partitions")
            backlog = measure_backlog(kafka, endpoint, workdir, bin_dir, backlog_events, backlog_partitions,
                                      connector_extra)
            backlog["within_rss_bound"] = backlog["peak_rss_kb"] / 1024 < args.rss_bound_mb
            log(f"  {backlog['bytes'] / 1e6:.0f} MB, peak RSS {backlog['peak_rss_kb'] / 1024:.0f} MB, "
                f"{backlog['events_per_s']:,.0f} events/s, fetch restarts {backlog['fetch_restarts']}")
            results["backlog"] = backlog
        if "osmem" in modes:
            results["osmem"] = []
            for in_flight in (1, 4):
                log(f"osmem: tributary draining {args.osmem_events} events into osmem-server, "
                    f"max.in.flight.requests={in_flight}")
                run = measure_osmem(kafka, workdir, bin_dir, args.osmem_events, in_flight)
                log("  " + osmem_report(run))
                results["osmem"].append(run)
    finally:
        endpoint.close()
        kafka.close()

    if results["throughput"]:
        print()
        print(table(results))
    if "ratios" in results:
        r = results["ratios"]
        print(f"\nTributary/kcat: {r['tributary_over_kcat']:.2f}   Tributary/Python: {r['tributary_over_python']:.2f} "
              f"(wall incl. start-up: {r['tributary_over_python_wall']:.2f})   "
              f"Python CPU / Tributary CPU per event: {r['python_cpu_over_tributary_cpu']:.2f}")
    if "latency" in results:
        for kind, lat in results["latency"].items():
            f = lat["freshness"]
            behind = (f"  FELL BEHIND: {lat['items_received']} of {lat['producer']['items']} items arrived"
                      if lat["fell_behind"] else "")
            print(f"Freshness {kind} ({lat['rate']:.0f}/s, {lat['seconds']:.0f} s): p50 {f['p50_ms']:.1f} ms  "
                  f"p99 {f['p99_ms']:.1f} ms  max {f['max_ms']:.1f} ms  ({f['count']} docs){behind}")
    if "memory" in results:
        m = results["memory"]
        print(f"Memory: Tributary peak RSS {m['peak_rss_kb'] / 1024:.0f} MB draining {m['events']:,} events "
              f"({m['events_per_s']:,.0f} events/s, backlog <= {m['max_backlog_items']:,} items)")
    if "backlog" in results:
        b = results["backlog"]
        print(f"Backlog: Tributary peak RSS {b['peak_rss_kb'] / 1024:.0f} MB draining {b['events']:,} loaded records "
              f"({b['bytes'] / 1e6:.0f} MB over {b['partitions']} partitions, {b['events_per_s']:,.0f} events/s"
              f"{', ' + str(b['lost_items']) + ' items lost' if b['lost_items'] else ''}); "
              f"bound {args.rss_bound_mb:.0f} MB: {'PASS' if b['within_rss_bound'] else 'FAIL'}")
    for run in results.get("osmem", []):
        print(osmem_report(run))
    if args.ci and "ratios" in results:
        ratio = results["ratios"]["tributary_over_python"]
        results["ci_gate"] = {"required": args.gate, "ratio": ratio, "passed": ratio >= args.gate}
        print(f"CI gate: Tributary/Python events/s = {ratio:.2f}, required >= {args.gate:.1f}: "
              f"{'PASS' if ratio >= args.gate else 'FAIL'}")
        if ratio < args.gate:
            code = 1
    if args.ci and "backlog" in results:
        b = results["backlog"]
        passed = b["within_rss_bound"] and not b["lost_items"]
        results["ci_memory_gate"] = {"bound_mb": args.rss_bound_mb, "peak_rss_mb": b["peak_rss_kb"] / 1024,
                                     "lost_items": b["lost_items"], "passed": passed}
        print(f"CI gate: peak RSS on the backlog {b['peak_rss_kb'] / 1024:.0f} MB, required < {args.rss_bound_mb:.0f} MB, "
              f"none lost: {'PASS' if passed else 'FAIL'}")
        if not passed:
            code = 1
    out_path.write_text(json.dumps(results, indent=2))
    print(f"Results: {out_path}")
    return code


if __name__ == "__main__":
    sys.exit(main())
