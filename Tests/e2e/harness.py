"""Real servers and the real worker process for end-to-end tests.

Nothing here mocks the wire: Kafka is librdkafka's mock cluster (real protocol
over loopback TCP, run by `tributary-dev mock-cluster`), OpenSearch is
osmem-server, and the worker is the `tributary` executable.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterable

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("TRIBUTARY_BIN", REPO / ".build" / "debug"))
if not BIN.is_absolute():
    BIN = REPO / BIN


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def osmem_binary() -> str:
    if os.environ.get("OSMEM_SERVER_BIN"):
        return os.environ["OSMEM_SERVER_BIN"]
    import osmem_server  # installed by `pip install osmem-server`

    return str(Path(osmem_server.__file__).parent / "bin" / "osmem-server")


class OpenSearch:
    """An osmem-server process on a free loopback port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "OpenSearch":
        self.proc = subprocess.Popen(
            [osmem_binary(), "-addr", f"127.0.0.1:{self.port}", "-no-stdin-watch"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until(self._up, 20, "osmem-server to answer")
        return self

    def _up(self) -> bool:
        try:
            self.request("GET", "/")
            return True
        except (OSError, urllib.error.URLError):
            return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                text = resp.read().decode()
        except urllib.error.HTTPError as e:
            text = e.read().decode()
            if e.code == 404:
                return {"__status": 404, **(json.loads(text) if text.startswith("{") else {})}
            raise AssertionError(f"{method} {path}: {e.code} {text}") from None
        return json.loads(text) if text else {}

    def documents(self, index: str) -> dict[str, tuple[int, dict]]:
        """Every document of `index`: id -> (version, source)."""
        self.request("POST", f"/{index}/_refresh")
        result = self.request("POST", f"/{index}/_search",
                              {"size": 10000, "version": True, "query": {"match_all": {}}})
        if result.get("__status") == 404:
            return {}
        hits = result["hits"]["hits"]
        return {h["_id"]: (h.get("_version"), h["_source"]) for h in hits}

    def count(self, index: str) -> int:
        self.request("POST", f"/{index}/_refresh")
        result = self.request("GET", f"/{index}/_count")
        return 0 if result.get("__status") == 404 else result["count"]


class Kafka:
    """librdkafka's mock cluster in a `tributary-dev mock-cluster` process."""

    def __init__(self, brokers: int = 3) -> None:
        self.brokers = brokers
        self.proc: subprocess.Popen | None = None
        self.bootstrap = ""

    def start(self, topics: Iterable[tuple[str, int]] = ()) -> "Kafka":
        args = [str(BIN / "tributary-dev"), "mock-cluster", "--brokers", str(self.brokers)]
        for name, partitions in topics:
            args += ["--topic", f"{name}:{partitions}"]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
        line = self.proc.stdout.readline().strip()
        assert line.startswith("bootstrap="), f"mock cluster said {line!r}"
        self.bootstrap = line.split("=", 1)[1]
        return self

    def control(self, command: str) -> None:
        assert self.proc and self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        assert answer == "ok", f"mock cluster: {command!r} -> {answer!r}"

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(10)
            except Exception:
                self.proc.kill()

    def produce(self, topic: str, records: list[dict]) -> None:
        lines = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records)
        subprocess.run([str(BIN / "tributary-dev"), "produce", "--bootstrap", self.bootstrap, "--topic", topic],
                       input=lines, text=True, check=True, capture_output=True, timeout=120)

    def consume(self, topic: str) -> list[dict]:
        out = subprocess.run([str(BIN / "tributary-dev"), "consume", "--bootstrap", self.bootstrap, "--topic", topic],
                             text=True, check=True, capture_output=True, timeout=60).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def offsets(self, group: str, topic: str) -> list[dict]:
        out = subprocess.run([str(BIN / "tributary-dev"), "offsets", "--bootstrap", self.bootstrap,
                              "--group", group, "--topic", topic],
                             text=True, check=True, capture_output=True, timeout=60).stdout
        return json.loads(out)["partitions"]

    def fully_committed(self, group: str, topic: str) -> bool:
        parts = self.offsets(group, topic)
        return bool(parts) and all(p["committed"] == p["high"] for p in parts)


class Worker:
    """The `tributary run` process."""

    def __init__(self, config: dict, workdir: Path) -> None:
        self.config = config
        self.path = workdir / f"{config['name']}.json"
        self.path.write_text(json.dumps(config, indent=2))
        self.log = workdir / f"{config['name']}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, *extra: str) -> "Worker":
        self._logfile = open(self.log, "ab")
        self.proc = subprocess.Popen([str(BIN / "tributary"), "run", "--config", str(self.path), *extra],
                                     stdout=self._logfile, stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        assert self.proc
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self, timeout: float = 60) -> int:
        assert self.proc
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def connector(name: str, kafka: Kafka, opensearch: OpenSearch, topics: str, **extra: Any) -> dict:
    config = {
        "topics": topics,
        "kafka.bootstrap.servers": kafka.bootstrap,
        "kafka.session.timeout.ms": "6000",
        "kafka.heartbeat.interval.ms": "500",
        "kafka.topic.metadata.refresh.interval.ms": "1000",
        "connection.url": opensearch.url,
        "log.summary.interval.ms": "2000",
    }
    config.update({k: str(v) for k, v in extra.items()})
    return {"name": name, "config": config}
