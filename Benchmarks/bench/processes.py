"""The processes a benchmark run drives: fastbulk, the mock Kafka cluster,
the producer script; and /proc readings of what they cost."""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]   # Benchmarks/
CLK_TCK = os.sysconf("SC_CLK_TCK")
PY = sys.executable


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a live process (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def minor_faults(pid: int) -> int:
    """Minor page faults of a live process so far (all its threads): memory
    touched for the first time, or again after the allocator returned it."""
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[7])


def status_kb(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def system_busy_s() -> float:
    """CPU-seconds the whole machine has spent busy (all CPUs, /proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / CLK_TCK


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU-seconds per thread name (threads of one name added up), busiest first."""
    totals: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        totals[name] = totals.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / CLK_TCK
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


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
