"""Throughput: fastbulk's own ceiling, kcat, and a sink process draining the
loaded topic; plus the perf summary of a profiled run."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import workload
from bench.processes import (HERE, PY, Endpoint, Kafka, connector_file, cpu_seconds, minor_faults, status_kb, stop,
                             system_busy_s, thread_cpu, wait_until)


def perf_summary(data: Path, out: Path) -> str:
    """Flat profile (self time by symbol) and per-thread split of a perf.data."""
    parts = []
    for sort in ("comm", "dso", "sym"):
        rep = subprocess.run(["perf", "report", "-i", str(data), "--stdio", "--no-children", "--sort", sort,
                              "-g", "none", "--percent-limit", "0.3"], capture_output=True, text=True)
        parts.append(f"## perf report --no-children --sort {sort}\n" +
                     "\n".join(l for l in rep.stdout.splitlines() if l.strip() and not l.startswith("#")))
    rep = subprocess.run(["perf", "report", "-i", str(data), "--stdio", "--children", "--sort", "sym", "-g", "none",
                          "--percent-limit", "2"], capture_output=True, text=True)
    parts.append("## perf report --children --sort sym (inclusive)\n" +
                 "\n".join(l for l in rep.stdout.splitlines() if l.strip() and not l.startswith("#")))
    text = "\n\n".join(parts) + "\n"
    out.write_text(text)
    return text


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
    """kcat to /dev/null (wall, as a user would run it: CPU and RSS come from
    this run) and through a pipe the runner drains (first to last byte: the
    drain rate)."""
    args = ["kcat", "-C", "-b", kafka.bootstrap, "-t", topic, "-o", "beginning", "-e", "-q"]
    t0 = time.monotonic()
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen(args, stdout=devnull)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, f"kcat exited {proc.returncode}"

    # The same through a pipe, unbuffered (-u) and printing only each offset
    # (so writing costs next to nothing): the first and the last line give
    # the drain time without start-up and without the wait for `-e`'s EOF
    # (the mock broker holds an empty Fetch for fetch.wait.max.ms).
    busy0, kafka0 = system_busy_s(), kafka.cpu()
    t0 = time.monotonic()
    proc = subprocess.Popen(args + ["-u", "-f", "%o\\n"], stdout=subprocess.PIPE)
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
    busy = system_busy_s() - busy0
    elapsed = time.monotonic() - t0
    own = usage2.ru_utime + usage2.ru_stime
    return {
        "other_load_cores": max(0.0, busy - own - (kafka.cpu() - kafka0)) / elapsed,
        "events": events, "bytes": size, "wall_s": wall, "steady_s": (last or t0) - (first or t0),
        "startup_s": (first or t0) - t0,
        "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_kb": usage.ru_maxrss,
        "pipe_bytes": total,
    }


def measure_sink(kind: str, kafka: Kafka, endpoint: Endpoint, topic: str, events: int, items: int, size: int,
                 workdir: Path, bin_dir: Path, timeout: float, extra_args: tuple[str, ...] = (),
                 connector_extra: dict[str, str] | None = None, perf_data: Path | None = None) -> dict:
    """Runs one sink on a fresh group until every bulk item reached the endpoint."""
    endpoint.reset()
    group_name = f"{kind}-{int(time.time() * 1000) % 10**9}"
    logfile = open(workdir / f"{group_name}.log", "wb")
    if kind.startswith("tributary"):
        path = connector_file(workdir, group_name, kafka, endpoint, topic, **(connector_extra or {}))
        args = [str(bin_dir / "tributary"), "run", "--config", str(path)]
        group = f"tributary-{group_name}"
    else:
        args = [PY, str(HERE / "python_sink.py"), "--bootstrap", kafka.bootstrap, "--topic", topic,
                "--group", group_name, "--url", endpoint.url, *extra_args]
        group = group_name
    ep_cpu0, kafka_cpu0, busy0 = endpoint.cpu(), kafka.cpu(), system_busy_s()
    t0 = time.monotonic()
    proc = subprocess.Popen(args, stdout=logfile, stderr=subprocess.STDOUT)
    perf = None
    if perf_data:  # sample every thread of the sink (cpu-clock: no PMU is needed)
        time.sleep(0.3)
        # BENCH_PERF_EVENT replaces the sampling, e.g. "-e page-faults -c 1" to see what faults.
        sampling = os.environ.get("BENCH_PERF_EVENT", "-F 1999").split()
        perf = subprocess.Popen(["perf", "record", *sampling, "-g", "-p", str(proc.pid), "-o", str(perf_data)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def done():
            if proc.poll() is not None:
                raise RuntimeError(f"{kind} exited {proc.returncode}; see {logfile.name}")
            return endpoint.stats()["items"] >= items
        wait_until(done, timeout, f"{kind} to write {items} items")
        t_done = time.monotonic()
        threads = thread_cpu(proc.pid)
        if perf:
            perf.send_signal(signal.SIGINT)
            perf.wait(60)
        cpu = cpu_seconds(proc.pid)
        faults = minor_faults(proc.pid)
        hwm = status_kb(proc.pid, "VmHWM")
        st = endpoint.stats()
        ep_cpu, kafka_cpu = endpoint.cpu() - ep_cpu0, kafka.cpu() - kafka_cpu0
        # CPU used by processes other than the sink, the endpoint and mock
        # Kafka while the sink ran (the runner's own polling is in it too).
        other = max(0.0, system_busy_s() - busy0 - cpu - ep_cpu - kafka_cpu) / (t_done - t0)
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
        "cpu_s": cpu, "minor_faults": faults, "peak_rss_kb": hwm, "exit_code": code,
        "endpoint": {k: st[k] for k in ("bulk_requests", "conflicts", "live_docs", "item_errors", "not_found")},
        "endpoint_cpu_s": ep_cpu, "mock_kafka_cpu_s": kafka_cpu, "log": logfile.name,
        "thread_cpu_s": threads, "other_load_cores": other,
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
