"""The osmem mode: Tributary draining into osmem-server, the slow in-memory
OpenSearch emulator (~3 k documents/s). The question is who waits on whom:
a sink that is limited only by the server keeps bulk requests in flight all
the time and leaves the server busy, using little CPU itself."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

from bench.processes import PY, Kafka, connector_file, cpu_seconds, produce, stop, wait_until

INFLIGHT = re.compile(rb"\binflight=(\d+)\b")


def osmem_binary() -> Path:
    out = subprocess.run([PY, "-c", "import osmem_server, os; print(os.path.join(os.path.dirname(osmem_server.__file__), "
                          "'bin', 'osmem-server'))"], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_osmem(kafka: Kafka, workdir: Path, bin_dir: Path, events: int, max_in_flight: int) -> dict:
    """Drains `events` records into osmem-server; samples both processes' CPU
    and Tributary's in-flight bulk requests (its progress line, every 100 ms)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(osmem_binary()), "-addr", f"127.0.0.1:{port}", "-no-stdin-watch"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    topic = f"bench.osmem.{max_in_flight}"
    name = f"osmem-{max_in_flight}-{int(time.time()) % 10**6}"
    group = f"tributary-{name}"
    logpath = workdir / f"{name}.log"
    proc = None
    try:
        wait_until(lambda: _get(url) is not None, 30, "osmem-server to start")
        kafka.create_topic(topic, 24)
        loaded = produce(kafka, "load", topic, "--events", str(events), "--seed", "3")
        config = connector_file(workdir, name, kafka, SimpleNamespace(url=url), topic,
                                **{"log.summary.interval.ms": "100", "max.in.flight.requests": str(max_in_flight)})
        with open(logpath, "wb") as logfile:
            proc = subprocess.Popen([str(bin_dir / "tributary"), "run", "--config", str(config)],
                                    stdout=logfile, stderr=subprocess.STDOUT)
        samples: list[tuple[float, float, float]] = []  # (time, server CPU-s, sink CPU-s)
        halt = threading.Event()

        def sample() -> None:
            while not halt.is_set():
                try:
                    samples.append((time.monotonic(), cpu_seconds(server.pid), cpu_seconds(proc.pid)))
                except OSError:
                    return
                halt.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()

        def done() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"tributary exited {proc.returncode}; see {logpath}")
            parts = kafka.offsets(group, topic)
            return all(p["committed"] == p["high"] for p in parts)
        wait_until(done, 600, "tributary to drain into osmem-server", interval=0.2)
        halt.set()
        sampler.join()
    finally:
        stop(proc)
        stop(server)
    inflight = [int(m.group(1)) for m in INFLIGHT.finditer(logpath.read_bytes())]
    # The drain: from the first sample where the server works to the last.
    busy = [i for i in range(1, len(samples)) if samples[i][1] > samples[i - 1][1]]
    first, last = (busy[0] - 1, busy[-1]) if busy else (0, len(samples) - 1)
    wall = samples[last][0] - samples[first][0]
    # Progress lines logged before the first bulk and after the last show 0
    # in flight by construction; keep the ones from the drain.
    drained = inflight[next((i for i, v in enumerate(inflight) if v > 0), 0):]
    while drained and drained[-1] == 0:
        drained.pop()
    return {
        "events": loaded["records"], "max_in_flight": max_in_flight, "drain_s": wall,
        "events_per_s": loaded["records"] / wall if wall > 0 else 0.0,
        "server_cores": (samples[last][1] - samples[first][1]) / wall if wall > 0 else 0.0,
        "sink_cores": (samples[last][2] - samples[first][2]) / wall if wall > 0 else 0.0,
        "inflight_samples": len(drained),
        "inflight_mean": sum(drained) / len(drained) if drained else 0.0,
        "inflight_zero_share": sum(1 for v in drained if v == 0) / len(drained) if drained else 1.0,
        "inflight_at_max_share": sum(1 for v in drained if v >= max_in_flight) / len(drained) if drained else 0.0,
        "log": str(logpath), "cpus": os.cpu_count(),
    }


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=1) as r:
            return r.read()
    except OSError:
        return None


def report(result: dict) -> str:
    return (f"osmem-server, max.in.flight.requests={result['max_in_flight']}: {result['events_per_s']:,.0f} events/s, "
            f"server {result['server_cores']:.2f} cores, Tributary {result['sink_cores']:.2f} cores, "
            f"in flight mean {result['inflight_mean']:.2f} (0 in {result['inflight_zero_share']:.0%} of "
            f"{result['inflight_samples']} samples, at the limit in {result['inflight_at_max_share']:.0%})")

