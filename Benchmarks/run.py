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
   1 M events (backlog bounded by the mock cluster's retention; see README).

Writes a JSON result file and prints a table. With --ci, exits 1 when
Tributary's events/s is below 3× the Python sink's.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import workload  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
PY = sys.executable


# ------------------------------------------------------------------ helpers

def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a live process (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def status_kb(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def wait_until(predicate, timeout: float, what: str, interval: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


def stop(proc: subprocess.Popen | None, timeout: float = 30) -> int | None:
    if proc is None or proc.poll() is not None:
        return None if proc is None else proc.returncode
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


class Endpoint:
    """The fastbulk process and a keep-alive client for its bench routes."""

    def __init__(self, binary: Path, latency_field: str | None = "updated_at") -> None:
        args = [str(binary), "serve", "--port", "0"]
        if latency_field:
            args += ["--latency-field", latency_field]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        assert line and line[0] == "listening", f"fastbulk said {line}"
        self.port = int(line[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def call(self, method: str, path: str) -> dict:
        for attempt in range(2):
            try:
                self.conn.request(method, path)
                resp = self.conn.getresponse()
                return json.loads(resp.read())
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        return {}

    def stats(self) -> dict:
        return self.call("GET", "/_bench/stats")

    def reset(self) -> None:
        self.call("POST", "/_bench/reset")

    def latency(self) -> dict:
        return self.call("GET", "/_bench/latency")

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def close(self) -> None:
        stop(self.proc)


class Kafka:
    """`tributary-dev mock-cluster`, controlled over stdin."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.proc = subprocess.Popen([str(bin_dir / "tributary-dev"), "mock-cluster", "--brokers", "3"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, bufsize=1)
        line = self.proc.stdout.readline().strip()
        assert line.startswith("bootstrap="), f"mock cluster said {line!r}"
        self.bootstrap = line.split("=", 1)[1]

    def create_topic(self, name: str, partitions: int) -> None:
        self.proc.stdin.write(f"topic {name} {partitions}\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        assert answer == "ok", f"mock cluster: topic {name}: {answer}"

    def offsets(self, group: str, topic: str) -> list[dict]:
        out = subprocess.run([str(self.bin_dir / "tributary-dev"), "offsets", "--bootstrap", self.bootstrap,
                              "--group", group, "--topic", topic],
                             capture_output=True, text=True, check=True, timeout=60).stdout
        return json.loads(out)["partitions"]

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def close(self) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(10)
        except Exception:
            self.proc.kill()


def produce(kafka: Kafka, mode: str, topic: str, *extra: str, timeout: float = 900) -> dict:
    out = subprocess.run([PY, str(HERE / "produce.py"), mode, "--bootstrap", kafka.bootstrap, "--topic", topic, *extra],
                         capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"produce.py {mode} failed: {out.stderr[-2000:]} {out.stdout[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def connector_file(workdir: Path, name: str, kafka: Kafka, endpoint: Endpoint, topic: str, **extra: str) -> Path:
    config = {
        "topics": topic,
        "kafka.bootstrap.servers": kafka.bootstrap,
        "connection.url": endpoint.url,
        "log.summary.interval.ms": "5000",
    }
    config.update(extra)
    path = workdir / f"{name}.json"
    path.write_text(json.dumps({"name": name, "config": config}, indent=2))
    return path


# ------------------------------------------------------------ the ceilings

def endpoint_ceiling(binary: Path, workdir: Path, seconds: float) -> dict:
    """fastbulk's own ceiling: parallel POSTs of a prebuilt 1000-item body of
    the document Tributary sends (the `after` row, ~0.9 KB)."""
    rec = next(r for r in workload.generate(7, 50) if r.value and b'"op":"u"' in r.value)
    doc = json.loads(rec.value)["payload"]["after"]
    doc_path = workdir / "loadgen-doc.json"
    doc_path.write_text(json.dumps(doc, separators=(",", ":")))
    results = {}
    for label, conns, pipeline in (("4 conns", 4, 1), ("4 conns, 4 pipelined", 4, 4)):
        ep = Endpoint(binary, latency_field=None)
        try:
            out = subprocess.run([str(binary), "loadgen", "--port", str(ep.port), "--doc", str(doc_path),
                                  "--items", "1000", "--conns", str(conns), "--pipeline", str(pipeline),
                                  "--seconds", str(seconds)], capture_output=True, text=True, timeout=seconds + 60)
            if out.returncode != 0:
                raise RuntimeError(f"loadgen failed: {out.stderr} {out.stdout}")
            result = json.loads(out.stdout)
            result["endpoint_cpu_s"] = ep.cpu()
            result["endpoint_cpu_s_per_100k_items"] = result["endpoint_cpu_s"] / (result["requests"] * 1000) * 1e5
            results[label] = result
        finally:
            ep.close()
    return results


# --------------------------------------------------------------- throughput

def measure_kcat(kafka: Kafka, topic: str, events: int, size: int) -> dict:
    """kcat to /dev/null (wall, as a user would run it) and through a pipe the
    runner drains (first byte → EOF, the steady rate)."""
    args = ["kcat", "-C", "-b", kafka.bootstrap, "-t", topic, "-o", "beginning", "-e", "-q"]
    t0 = time.monotonic()
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen(args, stdout=devnull)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, f"kcat exited {proc.returncode}"

    # The same through a pipe: the first and the last byte of data give the
    # drain time without start-up and without the wait for `-e`'s EOF.
    t0 = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE)
    first = last = None
    total = 0
    fd = proc.stdout.fileno()
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        last = time.monotonic()
        if first is None:
            first = last
        total += len(chunk)
    _, status, usage2 = os.wait4(proc.pid, 0)
    return {
        "events": events, "bytes": size, "wall_s": wall, "steady_s": (last or t0) - (first or t0),
        "startup_s": (first or t0) - t0,
        "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_kb": usage.ru_maxrss,
        "pipe_bytes": total,
    }


def measure_sink(kind: str, kafka: Kafka, endpoint: Endpoint, topic: str, events: int, items: int, size: int,
                 workdir: Path, bin_dir: Path, timeout: float, extra_args: tuple[str, ...] = ()) -> dict:
    """Runs one sink on a fresh group until every bulk item reached the endpoint."""
    endpoint.reset()
    group_name = f"{kind}-{int(time.time() * 1000) % 10**9}"
    logfile = open(workdir / f"{group_name}.log", "wb")
    if kind.startswith("tributary"):
        path = connector_file(workdir, group_name, kafka, endpoint, topic)
        args = [str(bin_dir / "tributary"), "run", "--config", str(path)]
        group = f"tributary-{group_name}"
    else:
        args = [PY, str(HERE / "python_sink.py"), "--bootstrap", kafka.bootstrap, "--topic", topic,
                "--group", group_name, "--url", endpoint.url, *extra_args]
        group = group_name
    ep_cpu0, kafka_cpu0 = endpoint.cpu(), kafka.cpu()
    t0 = time.monotonic()
    proc = subprocess.Popen(args, stdout=logfile, stderr=subprocess.STDOUT)
    try:
        def done():
            if proc.poll() is not None:
                raise RuntimeError(f"{kind} exited {proc.returncode}; see {logfile.name}")
            return endpoint.stats()["items"] >= items
        wait_until(done, timeout, f"{kind} to write {items} items")
        t_done = time.monotonic()
        cpu = cpu_seconds(proc.pid)
        hwm = status_kb(proc.pid, "VmHWM")
        st = endpoint.stats()
        ep_cpu, kafka_cpu = endpoint.cpu() - ep_cpu0, kafka.cpu() - kafka_cpu0
        # Committed offsets equal the end offsets (Tributary commits every
        # offset.flush.interval.ms, the Python sink after each bulk).
        def committed():
            parts = kafka.offsets(group, topic)
            return all(p["committed"] == p["high"] for p in parts)
        wait_until(committed, 60, f"{kind}'s offsets to be committed", interval=0.2)
        t_committed = time.monotonic()
    finally:
        code = stop(proc)
        logfile.close()
    first = st["first_item_mono_us"] / 1e6
    last = st["last_item_mono_us"] / 1e6
    steady_fraction = (st["items"] - st["first_bulk_items"]) / st["items"]
    return {
        "events": events, "bytes": size, "items": st["items"],
        "wall_s": last - t0, "steady_s": last - first, "steady_fraction": steady_fraction,
        "startup_s": first - t0, "committed_s": t_committed - t0, "detect_lag_s": t_done - last,
        "cpu_s": cpu, "peak_rss_kb": hwm, "exit_code": code,
        "endpoint": {k: st[k] for k in ("bulk_requests", "conflicts", "live_docs", "item_errors", "not_found")},
        "endpoint_cpu_s": ep_cpu, "mock_kafka_cpu_s": kafka_cpu, "log": logfile.name,
    }


def derive(m: dict) -> dict:
    """events/s and MB/s are drain rates: from the first record delivered to
    the last (kcat: first to last byte written; sinks: first to last bulk item
    at the endpoint, less the first bulk's share). `wall_*` include start-up,
    which for a consumer group is dominated by the mock broker's 3 s
    group.initial.rebalance.delay (the same default as a real broker)."""
    ev, mb = m["events"], m["bytes"] / 1e6
    share = m.get("steady_fraction", 1.0)
    m["events_per_s"] = ev * share / m["steady_s"] if m["steady_s"] > 0 else float("nan")
    m["mb_per_s"] = mb * share / m["steady_s"] if m["steady_s"] > 0 else float("nan")
    m["wall_events_per_s"] = ev / m["wall_s"]
    m["cpu_s_per_100k"] = m["cpu_s"] / ev * 1e5
    return m


# ---------------------------------------------------------- latency, memory

def measure_latency(kind: str, kafka: Kafka, endpoint: Endpoint, workdir: Path, bin_dir: Path,
                    rate: float, seconds: float, fetch_wait_ms: int | None) -> dict:
    """Freshness at a fixed produce rate. librdkafka's mock broker holds every
    Fetch that finds no data for the full fetch.wait.max.ms (default 500 ms)
    even when data arrives meanwhile (a real broker answers as soon as
    fetch.min.bytes is there), so runs with `fetch_wait_ms` lower it for the
    sink to approximate a real broker."""
    label = kind if fetch_wait_ms is None else f"{kind}-fetchwait{fetch_wait_ms}"
    topic = f"bench.latency.{label}"
    kafka.create_topic(topic, 24)
    endpoint.reset()
    name = f"lat-{label}-{int(time.time()) % 10**6}"
    logfile = open(workdir / f"{name}.log", "wb")
    if kind == "tributary":
        extra = {} if fetch_wait_ms is None else {"kafka.fetch.wait.max.ms": str(fetch_wait_ms)}
        args = [str(bin_dir / "tributary"), "run", "--config",
                str(connector_file(workdir, name, kafka, endpoint, topic, **extra))]
    else:
        args = [PY, str(HERE / "python_sink.py"), "--bootstrap", kafka.bootstrap, "--topic", topic,
                "--group", name, "--url", endpoint.url]
        if fetch_wait_ms is not None:
            args += ["--fetch-wait-ms", str(fetch_wait_ms)]
    proc = subprocess.Popen(args, stdout=logfile, stderr=subprocess.STDOUT)
    try:
        warm = produce(kafka, "load", topic, "--events", "96", "--seed", "99")
        wait_until(lambda: endpoint.stats()["items"] >= warm["items"], 60, f"{kind} warm-up")
        endpoint.reset()
        sent = produce(kafka, "rate", topic, "--rate", str(rate), "--seconds", str(seconds), "--seed", "5",
                       timeout=seconds + 300)
        wait_until(lambda: endpoint.stats()["items"] >= sent["items"], 120, f"{kind} to catch up")
        lat = endpoint.latency()
        cpu = cpu_seconds(proc.pid)
        hwm = status_kb(proc.pid, "VmHWM")
    finally:
        stop(proc)
        logfile.close()
    return {"sink": kind, "fetch_wait_max_ms": fetch_wait_ms, "rate": rate, "seconds": seconds, "producer": sent,
            "freshness": lat, "cpu_s": cpu, "peak_rss_kb": hwm}


def measure_memory(kafka: Kafka, endpoint: Endpoint, workdir: Path, bin_dir: Path, events: int,
                   max_lag: int) -> dict:
    topic = "bench.memory"
    kafka.create_topic(topic, 24)
    endpoint.reset()
    name = f"mem-{int(time.time()) % 10**6}"
    logfile = open(workdir / f"{name}.log", "wb")
    proc = subprocess.Popen([str(bin_dir / "tributary"), "run", "--config",
                             str(connector_file(workdir, name, kafka, endpoint, topic))],
                            stdout=logfile, stderr=subprocess.STDOUT)
    samples: list[tuple[float, int]] = []
    halt = threading.Event()

    def sample():
        while not halt.is_set():
            try:
                samples.append((time.monotonic(), status_kb(proc.pid, "VmRSS")))
            except OSError:
                return
            halt.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    try:
        sampler.start()
        t0 = time.monotonic()
        sent = produce(kafka, "continuous", topic, "--events", str(events), "--endpoint", endpoint.url,
                       "--max-lag", str(max_lag), "--seed", "11", timeout=1800)
        wait_until(lambda: endpoint.stats()["items"] >= sent["items"], 300, "tributary to drain")
        elapsed = time.monotonic() - t0
        cpu = cpu_seconds(proc.pid)
        hwm = status_kb(proc.pid, "VmHWM")
        st = endpoint.stats()
    finally:
        halt.set()
        stop(proc)
        logfile.close()
    rss = [kb for _, kb in samples]
    return {"events": sent["records"], "items": st["items"], "bytes": sent["bytes"], "max_backlog_items": max_lag,
            "producer_paused_s": sent.get("paused_s"), "seconds": elapsed,
            "events_per_s": sent["records"] / elapsed, "cpu_s": cpu,
            "cpu_s_per_100k": cpu / sent["records"] * 1e5, "peak_rss_kb": hwm,
            "rss_median_kb": sorted(rss)[len(rss) // 2] if rss else 0,
            "rss_samples": len(rss), "conflicts": st["conflicts"]}


# -------------------------------------------------------------------- report

def table(results: dict) -> str:
    rows = [("sink", "events/s", "MB/s", "CPU-s/100k ev", "peak RSS MB", "wall s", "wall ev/s", "rounds ev/s")]
    for name, m in results["throughput"].items():
        rounds = "/".join(f"{r / 1000:.1f}k" for r in m.get("rounds_events_per_s", []))
        rows.append((name, f"{m['events_per_s']:,.0f}", f"{m['mb_per_s']:.1f}", f"{m['cpu_s_per_100k']:.2f}",
                     f"{m['peak_rss_kb'] / 1024:.0f}", f"{m['wall_s']:.2f}", f"{m['wall_events_per_s']:,.0f}", rounds))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ci", action="store_true", help="small and fast; fail below the 3x gate")
    ap.add_argument("--bin", default=str(REPO / ".build-bench" / "release"), help="folder of tributary, tributary-dev")
    ap.add_argument("--events", type=int, help="records in the loaded topic (default 24000, --ci 10000)")
    ap.add_argument("--modes", default="ceiling,throughput,latency,memory")
    ap.add_argument("--memory-events", type=int, help="default 1000000, --ci 60000")
    ap.add_argument("--latency-rate", type=float, default=5000)
    ap.add_argument("--latency-seconds", type=float, help="default 20, --ci 5")
    ap.add_argument("--repeat", type=int, default=3, help="throughput rounds (the median of each sink is kept)")
    ap.add_argument("--out", help="result JSON (default Benchmarks/results/bench-<time>.json)")
    ap.add_argument("--gate", type=float, default=3.0, help="--ci fails when tributary/python events/s is below this")
    args = ap.parse_args()
    events = args.events or (10_000 if args.ci else 24_000)
    memory_events = args.memory_events or (60_000 if args.ci else 1_000_000)
    latency_seconds = args.latency_seconds or (5 if args.ci else 20)
    modes = set(args.modes.split(","))
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
            sinks = ["kcat", "python", "tributary"] + ([] if args.ci else ["python-nodecode"])
            rounds: dict[str, list[dict]] = {sink: [] for sink in sinks}
            for round_ in range(args.repeat):
                for sink in sinks:
                    log(f"throughput: {sink} (round {round_ + 1}/{args.repeat})")
                    if sink == "kcat":
                        m = measure_kcat(kafka, topic, loaded["records"], loaded["bytes"])
                    else:
                        extra = ("--no-logical",) if sink == "python-nodecode" else ()
                        m = measure_sink(sink, kafka, endpoint, topic, loaded["records"], loaded["items"],
                                         loaded["bytes"], workdir, bin_dir, 600, extra)
                    derive(m)
                    log(f"  {m['events_per_s']:,.0f} events/s ({m['mb_per_s']:.1f} MB/s), "
                        f"{m['cpu_s_per_100k']:.2f} CPU-s/100k, peak RSS {m['peak_rss_kb'] / 1024:.0f} MB, "
                        f"wall {m['wall_s']:.2f} s")
                    rounds[sink].append(m)
            best = {}
            for sink, ms in rounds.items():  # the median round of each sink
                ordered = sorted(ms, key=lambda m: m["events_per_s"])
                best[sink] = {**ordered[(len(ordered) - 1) // 2],
                              "rounds_events_per_s": [m["events_per_s"] for m in ms]}
            results["throughput"] = best
            t, k, p = best["tributary"], best["kcat"], best["python"]
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
                results["latency"][label] = lat
        if "memory" in modes:
            log(f"memory: tributary draining {memory_events} events produced continuously")
            mem = measure_memory(kafka, endpoint, workdir, bin_dir, memory_events, 15_000)
            log(f"  peak RSS {mem['peak_rss_kb'] / 1024:.0f} MB (median {mem['rss_median_kb'] / 1024:.0f} MB), "
                f"{mem['events_per_s']:,.0f} events/s, {mem['items']} items")
            results["memory"] = mem
    finally:
        endpoint.close()
        kafka.close()

    if results["throughput"]:
        print()
        print(table(results))
        r = results["ratios"]
        print(f"\nTributary/kcat: {r['tributary_over_kcat']:.2f}   Tributary/Python: {r['tributary_over_python']:.2f} "
              f"(wall incl. start-up: {r['tributary_over_python_wall']:.2f})   "
              f"Python CPU / Tributary CPU per event: {r['python_cpu_over_tributary_cpu']:.2f}")
    if "latency" in results:
        for kind, lat in results["latency"].items():
            f = lat["freshness"]
            print(f"Freshness {kind} ({lat['rate']:.0f}/s, {lat['seconds']:.0f} s): p50 {f['p50_ms']:.1f} ms  "
                  f"p99 {f['p99_ms']:.1f} ms  max {f['max_ms']:.1f} ms  ({f['count']} docs)")
    if "memory" in results:
        m = results["memory"]
        print(f"Memory: Tributary peak RSS {m['peak_rss_kb'] / 1024:.0f} MB draining {m['events']:,} events "
              f"({m['events_per_s']:,.0f} events/s, backlog <= {m['max_backlog_items']:,} items)")
    if args.ci and results["throughput"]:
        ratio = results["ratios"]["tributary_over_python"]
        results["ci_gate"] = {"required": args.gate, "ratio": ratio, "passed": ratio >= args.gate}
        print(f"CI gate: Tributary/Python events/s = {ratio:.2f}, required >= {args.gate:.1f}: "
              f"{'PASS' if ratio >= args.gate else 'FAIL'}")
        if ratio < args.gate:
            code = 1
    out_path.write_text(json.dumps(results, indent=2))
    print(f"Results: {out_path}")
    return code


if __name__ == "__main__":
    sys.exit(main())
