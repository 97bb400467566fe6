"""A fault-injecting reverse proxy between the worker and osmem-server.

Python standard library only. The proxy runs in the test process (its own
threads) and speaks HTTP/1.1 with keep-alive on both sides, so the worker's
libcurl connections stay open across requests exactly as with a real
cluster. The test switches faults on and off while the worker runs:

    proxy = FaultProxy(opensearch.url).start()
    proxy.set_faults(item_429=0.3, seconds=10)   # 30 % of bulk items get 429 for 10 s of bulk traffic
    proxy.down_for(8)                            # refuse connections for 8 s
    proxy.clear()                                # pass-through again
    proxy.counts["items_429"]                    # what was injected

Faults apply to `_bulk` requests only (other requests pass through), so a
test can still look at the cluster through the proxy. Every fault is
realistic about what reached the cluster:

| fault            | forwarded to osmem?   | the worker sees                                  |
|------------------|-----------------------|--------------------------------------------------|
| `item_429`       | all but the held items| 200, `errors:true`, held items 429 es_rejected_… |
| `request_429`    | no                    | 429 with an OpenSearch error body                |
| `request_503`    | no                    | 503 with an OpenSearch error body                |
| `html_502`       | no                    | 502 with an HTML page (a load balancer's)        |
| `truncated_200`  | yes (applied)         | 200 whose JSON body is cut in half               |
| `reset`          | yes (applied)         | headers and half the body, then a TCP reset      |
| `delay`          | yes (applied)         | the response `delay_seconds` late                |
| `down_for(s)`    | no                    | connection refused (listener closed) for s       |

A request draws at most one request-level fault (the fractions add up);
`item_429` applies to the requests that drew none. Draws come from one
seeded `random.Random`, so a run's fault pattern depends only on the seed
and the order of requests.

Optional TLS termination (`tls=(certfile, keyfile)`) and required basic
auth (`auth=(user, password)`, 401 without it) put the proxy in front of
osmem-server the way a secured cluster would be.
"""
from __future__ import annotations

import base64
import json
import random
import socket
import ssl
import struct
import threading
import time
import http.client
from collections import Counter
from dataclasses import dataclass, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

REJECTED_429 = {"type": "es_rejected_execution_exception",
                "reason": "rejected execution of coordinating operation"}

REQUEST_429_BODY = {"error": {"root_cause": [REJECTED_429], **REJECTED_429}, "status": 429}

REQUEST_503_BODY = {"error": {"root_cause": [{"type": "cluster_block_exception",
                                              "reason": "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered /initialized];"}],
                              "type": "cluster_block_exception",
                              "reason": "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered /initialized];"},
                    "status": 503}

HTML_502_PAGE = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                 b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n"
                 b"</body>\r\n</html>\r\n")

UNAUTHORIZED_BODY = {"error": {"root_cause": [{"type": "security_exception", "reason": "Unauthorized"}],
                               "type": "security_exception", "reason": "Unauthorized"}, "status": 401}


@dataclass
class Faults:
    """Fractions of `_bulk` requests (or, for `item_429`, of their items)."""
    item_429: float = 0.0
    request_429: float = 0.0
    request_503: float = 0.0
    html_502: float = 0.0
    truncated_200: float = 0.0
    reset: float = 0.0
    delay: float = 0.0
    delay_seconds: float = 0.0


REQUEST_FAULTS = ("request_429", "request_503", "html_502", "truncated_200", "reset", "delay")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, proxy: "FaultProxy") -> None:
        self.proxy = proxy
        super().__init__(address, _Handler)

    def finish_request(self, request, client_address) -> None:
        # Runs on the connection's own thread: the TLS handshake happens
        # here, so a slow or failing client never blocks the accept loop.
        proxy = self.proxy
        proxy._count("connections")
        conn = request
        if proxy.tls_context is not None:
            try:
                conn = proxy.tls_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError) as error:
                proxy._count("tls_handshake_failures")
                proxy._note_tls_error(str(error))
                return
        proxy._track(conn, True)
        try:
            _Handler(conn, client_address, self)
        except OSError:
            pass  # the client went away, or the proxy went down under it
        finally:
            proxy._track(conn, False)
            try:
                conn.close()
            except OSError:
                pass

    def handle_error(self, request, client_address) -> None:
        pass  # connection errors are the point of this server; stay quiet


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format, *args) -> None:  # noqa: A002 (BaseHTTPRequestHandler's signature)
        pass

    def setup(self) -> None:
        super().setup()
        self.upstream: http.client.HTTPConnection | None = None

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        if self.upstream is not None:
            self.upstream.close()

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_GET

    # -- request handling ------------------------------------------------

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        proxy = self.server.proxy
        body = self._read_body()
        proxy._count("requests")
        if proxy.auth is not None and not self._authorized(proxy.auth):
            proxy._count("auth_failures")
            self._send(401, json.dumps(UNAUTHORIZED_BODY).encode(),
                       extra_headers={"WWW-Authenticate": 'Basic realm="OpenSearch Security"'})
            return
        is_bulk = self.path.split("?", 1)[0].rstrip("/").endswith("/_bulk") and self.command == "POST"
        if not is_bulk:
            self._pass_through(body)
            return
        proxy._count("bulk_requests")
        operations = split_bulk(body)
        proxy._count("bulk_items", len(operations))
        fault, held, delay = proxy._draw(len(operations))
        if fault == "request_429":
            proxy._count("request_429")
            self._send(429, json.dumps(REQUEST_429_BODY).encode())
        elif fault == "request_503":
            proxy._count("request_503")
            self._send(503, json.dumps(REQUEST_503_BODY).encode())
        elif fault == "html_502":
            proxy._count("html_502")
            self._send(502, HTML_502_PAGE, content_type="text/html")
        elif fault in ("truncated_200", "reset", "delay"):
            status, content_type, answer = self._forward(body)
            proxy._count("items_forwarded", len(operations))
            if fault == "truncated_200" and status == 200:
                proxy._count("truncated_200")
                self._send(200, answer[: len(answer) // 2], content_type=content_type)
            elif fault == "reset":
                proxy._count("reset")
                self._send_then_reset(status, answer, content_type)
            elif fault == "delay":
                proxy._count("delay")
                time.sleep(delay)
                self._send(status, answer, content_type=content_type)
            else:
                self._send(status, answer, content_type=content_type)
        elif held:
            self._bulk_with_held_items(operations, held)
        else:
            status, content_type, answer = self._forward(body)
            proxy._count("items_forwarded", len(operations))
            self._send(status, answer, content_type=content_type)

    def _authorized(self, auth: tuple[str, str]) -> bool:
        expected = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        return self.headers.get("Authorization") == expected

    def _bulk_with_held_items(self, operations: list["BulkOperation"], held: set[int]) -> None:
        """Forwards the items not held back and merges a 429 for each held one,
        in request order, as a coordinating node under pressure answers."""
        proxy = self.server.proxy
        proxy._count("items_429", len(held))
        forwarded = [op for i, op in enumerate(operations) if i not in held]
        upstream_items: list[dict] = []
        took = 0
        if forwarded:
            status, content_type, answer = self._forward(b"".join(op.raw for op in forwarded))
            proxy._count("items_forwarded", len(forwarded))
            if status != 200:
                self._send(status, answer, content_type=content_type)
                return
            parsed = json.loads(answer)
            upstream_items = parsed["items"]
            took = parsed.get("took", 0)
            assert len(upstream_items) == len(forwarded), "osmem answered a different number of items"
        merged, upstream = [], iter(upstream_items)
        for i, op in enumerate(operations):
            if i in held:
                merged.append({op.action: {"_index": op.index, "_id": op.id, "status": 429, "error": dict(REJECTED_429)}})
            else:
                merged.append(next(upstream))
        self._send(200, json.dumps({"took": took, "errors": True, "items": merged}).encode())

    # -- upstream --------------------------------------------------------

    def _forward(self, body: bytes) -> tuple[int, str, bytes]:
        """Sends the request to osmem on this connection's own keep-alive
        upstream connection (opened again once if it went stale)."""
        proxy = self.server.proxy
        headers = {"Content-Type": self.headers.get("Content-Type", "application/json")}
        for attempt in (1, 2):
            if self.upstream is None:
                self.upstream = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=60)
            try:
                self.upstream.request(self.command, self.path, body=body if body or self.command != "GET" else None,
                                      headers=headers)
                response = self.upstream.getresponse()
                answer = response.read()
                return response.status, response.getheader("Content-Type", "application/json"), answer
            except (OSError, http.client.HTTPException):
                self.upstream.close()
                self.upstream = None
                if attempt == 2:
                    proxy._count("upstream_errors")
                    return 502, "text/plain", b"fault proxy: upstream unreachable"
        raise AssertionError("unreachable")

    def _pass_through(self, body: bytes) -> None:
        status, content_type, answer = self._forward(body)
        self._send(status, answer, content_type=content_type)

    # -- responses -------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str = "application/json; charset=UTF-8",
              extra_headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (extra_headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True  # the client gave up (a timeout) or the proxy went down

    def _send_then_reset(self, status: int, body: bytes, content_type: str) -> None:
        """Headers announcing the whole body, half of it, then an RST."""
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
        except OSError:
            pass
        self.close_connection = True
        try:
            # SO_LINGER 0: close() sends a reset instead of an orderly FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()
            self.connection.close()
        except OSError:
            pass


@dataclass
class BulkOperation:
    action: str
    index: str
    id: str
    raw: bytes  # the action line and, except for a delete, the source line


def split_bulk(body: bytes) -> list[BulkOperation]:
    """The operations of an NDJSON `_bulk` body, each with its raw lines."""
    lines = body.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    operations, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        header = json.loads(lines[i])
        (action, meta), = header.items()
        take = 1 if action == "delete" else 2
        raw = b"".join(line + b"\n" for line in lines[i:i + take])
        operations.append(BulkOperation(action, meta.get("_index", ""), str(meta.get("_id", "")), raw))
        i += take
    return operations


class FaultProxy:
    """A reverse proxy to `upstream_url` on a fixed loopback port, with faults
    switched on and off by the test (thread-safe). See the module doc."""

    def __init__(self, upstream_url: str, seed: int = 0, tls: tuple[str, str] | None = None,
                 auth: tuple[str, str] | None = None, port: int | None = None) -> None:
        parts = urlsplit(upstream_url)
        self.upstream_host, self.upstream_port = parts.hostname, parts.port or 80
        self.auth = auth
        self.tls_context: ssl.SSLContext | None = None
        if tls is not None:
            self.tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls_context.load_cert_chain(*tls)
        self.port = port or 0
        self.faults = Faults()
        self.counts: Counter[str] = Counter()
        self.tls_errors: list[str] = []
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._faults_seconds: float | None = None
        self._faults_until: float | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: set = set()
        self._timers: list[threading.Timer] = []

    @property
    def url(self) -> str:
        scheme = "https" if self.tls_context else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    # -- lifecycle -------------------------------------------------------

    def start(self) -> "FaultProxy":
        server = _Server(("127.0.0.1", self.port), self)
        self.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                  name=f"faultproxy-{self.port}", daemon=True)
        with self._lock:
            self._server, self._thread = server, thread
        thread.start()
        return self

    def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._close()

    def go_down(self) -> None:
        """Closes the listening socket (new connections are refused) and
        every open client connection."""
        if self._close():
            self._count("down")

    def _close(self) -> bool:
        with self._lock:
            server, self._server = self._server, None
            connections = list(self._connections)
        if server is None:
            return False
        server.shutdown()
        server.server_close()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        return True

    def go_up(self) -> None:
        """Listens again on the same port."""
        with self._lock:
            if self._server is not None:
                return
        self.start()
        self._count("up")

    def down_for(self, seconds: float) -> None:
        """Goes down now and comes back on the same port after `seconds`
        (from a timer thread; the call returns at once)."""
        self.go_down()
        timer = threading.Timer(seconds, self.go_up)
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    @property
    def is_up(self) -> bool:
        with self._lock:
            return self._server is not None

    # -- faults ----------------------------------------------------------

    def set_faults(self, seconds: float | None = None, **fractions: float) -> None:
        """Replaces the active faults (see `Faults`); with `seconds`, they
        switch off by themselves that long after the first `_bulk` request
        that sees them. The clock starts with the traffic, not with this
        call, so a slow start (loading the topic, the group join) on a busy
        machine cannot use up the window before any request was faulted."""
        names = {f.name for f in fields(Faults)}
        unknown = set(fractions) - names
        assert not unknown, f"unknown faults {unknown}"
        faults = Faults(**fractions)
        assert sum(getattr(faults, name) for name in REQUEST_FAULTS) <= 1.0, "request-level fractions exceed 1"
        with self._lock:
            self.faults = faults
            self._faults_seconds = seconds
            self._faults_until = None

    def clear(self) -> None:
        """Pass-through from now on."""
        self.set_faults()

    @property
    def faults_active(self) -> bool:
        with self._lock:
            return self._active_faults() != Faults()

    def _active_faults(self) -> Faults:
        if self._faults_until is not None and time.monotonic() >= self._faults_until:
            self.faults, self._faults_seconds, self._faults_until = Faults(), None, None
        return self.faults

    def _draw(self, items: int) -> tuple[str | None, set[int], float]:
        """The request-level fault of one bulk request (or None), when none
        the indexes of the items to hold back with a 429, and the delay."""
        with self._lock:
            if self._faults_seconds is not None and self._faults_until is None:
                self._faults_until = time.monotonic() + self._faults_seconds  # the window starts with the traffic
            faults = self._active_faults()
            roll = self._rng.random()
            for name in REQUEST_FAULTS:
                fraction = getattr(faults, name)
                if roll < fraction:
                    return name, set(), faults.delay_seconds
                roll -= fraction
            if faults.item_429 <= 0:
                return None, set(), 0.0
            return None, {i for i in range(items) if self._rng.random() < faults.item_429}, 0.0

    # -- bookkeeping -----------------------------------------------------

    def _count(self, name: str, n: int = 1) -> None:
        with self._lock:
            self.counts[name] += n

    def _note_tls_error(self, text: str) -> None:
        with self._lock:
            self.tls_errors.append(text)

    def _track(self, conn, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self.counts)
