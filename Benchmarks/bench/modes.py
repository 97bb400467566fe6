"""The latency (freshness), memory and backlog modes."""
from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from pathlib import Path

from bench.processes import (HERE, PY, Endpoint, Kafka, connector_file, cpu_seconds, minor_faults, produce, status_kb, stop,
                             wait_until)


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
        received = wait_for_items(endpoint, sent["items"], stall_s=15)
        lat = endpoint.latency()
        cpu = cpu_seconds(proc.pid)
        hwm = status_kb(proc.pid, "VmHWM")
    finally:
        stop(proc)
        logfile.close()
    # A sink that falls more than the mock's retention (~5 MB a partition)
    # behind loses records to offset resets and never catches up: reported
    # as `fell_behind` with the share that reached the endpoint.
    return {"loadavg_1m_after": os.getloadavg()[0], "sink": kind, "fetch_wait_max_ms": fetch_wait_ms, "rate": rate,
            "seconds": seconds, "producer": sent, "freshness": lat, "cpu_s": cpu, "peak_rss_kb": hwm,
            "items_received": received, "fell_behind": received < sent["items"]}


def wait_for_items(endpoint: Endpoint, items: int, stall_s: float) -> int:
    """Waits until `items` bulk items arrived or none arrived for `stall_s`."""
    last, last_change = -1, time.monotonic()
    while True:
        now_items = endpoint.stats()["items"]
        if now_items >= items:
            return now_items
        if now_items != last:
            last, last_change = now_items, time.monotonic()
        elif time.monotonic() - last_change > stall_s:
            return now_items
        time.sleep(0.05)


class RSSSampler:
    """Samples a process's VmRSS every 250 ms on a thread, while in a `with`."""

    def __init__(self, pid: int):
        self.pid = pid
        self.samples: list[tuple[float, int]] = []
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._halt.is_set():
            try:
                self.samples.append((time.monotonic(), status_kb(self.pid, "VmRSS")))
            except OSError:
                return
            self._halt.wait(0.25)

    def __enter__(self) -> "RSSSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._halt.set()

    @property
    def median_kb(self) -> int:
        rss = sorted(kb for _, kb in self.samples)
        return rss[len(rss) // 2] if rss else 0


def start_tributary(prefix: str, kafka: Kafka, endpoint: Endpoint, workdir: Path, bin_dir: Path,
                    topic: str, **extra: str) -> tuple[subprocess.Popen, object]:
    """Resets the endpoint and starts `tributary run` on `topic` with a fresh
    connector (and group); returns the process and its open log file."""
    endpoint.reset()
    name = f"{prefix}-{int(time.time()) % 10**6}"
    logfile = open(workdir / f"{name}.log", "wb")
    proc = subprocess.Popen([str(bin_dir / "tributary"), "run", "--config",
                             str(connector_file(workdir, name, kafka, endpoint, topic, **extra))],
                            stdout=logfile, stderr=subprocess.STDOUT)
    return proc, logfile


def measure_memory(kafka: Kafka, endpoint: Endpoint, workdir: Path, bin_dir: Path, events: int,
                   max_lag: int) -> dict:
    topic = "bench.memory"
    kafka.create_topic(topic, 24)
    proc, logfile = start_tributary("mem", kafka, endpoint, workdir, bin_dir, topic)
    try:
        with RSSSampler(proc.pid) as sampler:
            t0 = time.monotonic()
            sent = produce(kafka, "continuous", topic, "--events", str(events), "--endpoint", endpoint.url,
                           "--max-lag", str(max_lag), "--seed", "11", timeout=1800)
            received = wait_for_items(endpoint, sent["items"], stall_s=15)
            cpu = cpu_seconds(proc.pid)
            faults = minor_faults(proc.pid)
            hwm = status_kb(proc.pid, "VmHWM")
            st = endpoint.stats()
            elapsed = st["last_item_mono_us"] / 1e6 - t0  # to the last item, not to the end of a stall wait
    finally:
        stop(proc)
        logfile.close()
    samples = sampler.samples
    return {"loadavg_1m_after": os.getloadavg()[0],
            "events": sent["records"], "items": st["items"], "bytes": sent["bytes"], "max_backlog_items": max_lag,
            "producer_paused_s": sent.get("paused_s"), "seconds": elapsed,
            "events_per_s": sent["records"] / elapsed, "cpu_s": cpu,
            "cpu_s_per_100k": cpu / sent["records"] * 1e5, "minor_faults": faults, "peak_rss_kb": hwm,
            "rss_median_kb": sampler.median_kb,
            "rss_samples": len(samples), "conflicts": st["conflicts"],
            # Items that never arrived: records that aged out of the mock's
            # retention before the sink fetched them (offset reset).
            "lost_items": sent["items"] - received,
            # RSS over time, about one point a second: growth that follows the
            # event count rather than the backlog points at a leak.
            "rss_series_mb": [(round(t - samples[0][0], 1), kb // 1024) for t, kb in samples[::4]]}


def measure_backlog(kafka: Kafka, endpoint: Endpoint, workdir: Path, bin_dir: Path, events: int,
                    partitions: int, extra: dict[str, str]) -> dict:
    """Tributary draining a backlog loaded before it starts, far larger than
    any prefetch bound: the memory mode's producer keeps its backlog under
    10,000 items, and the throughput topic (102 MB) is small, so neither shows
    what a real backlog does to peak RSS. The mock keeps 5 MB a partition,
    hence the many partitions; the records are produced about 200 per
    partition at a time (produce.py --runs-of), as the mock answers a Fetch
    with one message set per partition. `extra`: connector settings (--set)."""
    topic = "bench.backlog"
    kafka.create_topic(topic, partitions)
    loaded = produce(kafka, "load", topic, "--events", str(events), "--partitions", str(partitions), "--seed", "2",
                     "--runs-of", "200", timeout=3600)
    proc, logfile = start_tributary("backlog", kafka, endpoint, workdir, bin_dir, topic, **extra)
    try:
        with RSSSampler(proc.pid) as sampler:
            received = wait_for_items(endpoint, loaded["items"], stall_s=15)
            cpu = cpu_seconds(proc.pid)
            hwm = status_kb(proc.pid, "VmHWM")
            st = endpoint.stats()
    finally:
        stop(proc)
        logfile.close()
    steady_s = (st["last_item_mono_us"] - st["first_item_mono_us"]) / 1e6
    return {"loadavg_1m_after": os.getloadavg()[0], "events": loaded["records"], "items": loaded["items"],
            "bytes": loaded["bytes"], "partitions": partitions, "lost_items": loaded["items"] - received,
            "events_per_s": loaded["records"] / steady_s if steady_s > 0 else 0.0, "cpu_s": cpu,
            "cpu_s_per_100k": cpu / loaded["records"] * 1e5, "peak_rss_kb": hwm, "rss_median_kb": sampler.median_kb,
            "fetch_restarts": last_fetch_restarts(Path(logfile.name))}


def last_fetch_restarts(log: Path) -> int | None:
    """The `fetch_restarts` count of the worker's last progress line."""
    found = re.findall(rb"fetch_restarts=(\d+)", log.read_bytes())
    return int(found[-1]) if found else None
