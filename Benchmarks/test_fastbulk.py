"""fastbulk keeps the `_bulk` semantics the sinks rely on, and its HTTP layer
survives split reads, pipelining and Expect: 100-continue.

    python3 -m pytest -q Benchmarks/test_fastbulk.py
"""
from __future__ import annotations

import json
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def server():
    binary = Path(tempfile.mkdtemp()) / "fastbulk"
    subprocess.run(["gcc", "-O2", "-Wall", "-Werror", "-o", str(binary), str(HERE / "fastbulk" / "fastbulk.c")], check=True)
    proc = subprocess.Popen([str(binary), "serve", "--port", "0", "--latency-field", "sent_us"],
                            stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline().split()[1])
    yield binary, port
    proc.terminate()
    proc.wait(10)


def request(method: str, path: str, body: bytes = b"", headers: str = "") -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n{headers}\r\n".encode() + body


def read_responses(sock: socket.socket, count: int) -> list[tuple[int, dict | None]]:
    data = b""
    out = []
    while len(out) < count:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, "connection closed early"
            data += chunk
        head, rest = data.split(b"\r\n\r\n", 1)
        status = int(head.split()[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            chunk = sock.recv(65536)
            assert chunk
            rest += chunk
        body, data = rest[:length], rest[length:]
        if status != 100:
            out.append((status, json.loads(body) if body else None))
    return out


def call(port: int, method: str, path: str, body: bytes = b"") -> tuple[int, dict]:
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(request(method, path, body))
        return read_responses(s, 1)[0]


def bulk(port: int, lines: list[dict | str]) -> dict:
    body = "".join((l if isinstance(l, str) else json.dumps(l)) + "\n" for l in lines).encode()
    status, result = call(port, "POST", "/_bulk", body)
    assert status == 200, result
    return result


def statuses(result: dict) -> list[tuple[str, int]]:
    return [(next(iter(i)), next(iter(i.values()))["status"]) for i in result["items"]]


def test_external_versions_creates_updates_conflicts_and_deletes(server):
    _, port = server
    call(port, "POST", "/_bench/reset")
    ix = lambda i, v: {"index": {"_index": "t", "_id": str(i), "version": v, "version_type": "external"}}
    dl = lambda i, v: {"delete": {"_index": "t", "_id": str(i), "version": v, "version_type": "external"}}
    r = bulk(port, [ix(1, 10), {"a": 1}, ix(1, 11), {"a": 2}, ix(1, 11), {"a": 3}, ix(2, 5), {"b": 1}])
    assert statuses(r) == [("index", 201), ("index", 200), ("index", 409), ("index", 201)]
    assert r["errors"] is True
    item = r["items"][2]["index"]
    assert item["error"]["type"] == "version_conflict_engine_exception"
    assert r["items"][1]["index"]["_version"] == 11 and r["items"][1]["index"]["result"] == "updated"
    r = bulk(port, [dl(1, 9), dl(1, 12), dl(1, 13), dl(3, 1), ix(1, 12), {"late": True}, ix(1, 14), {"back": 1}])
    assert statuses(r) == [("delete", 409), ("delete", 200), ("delete", 404), ("delete", 404),
                           ("index", 409), ("index", 201)]
    assert r["items"][1]["delete"]["result"] == "deleted" and r["items"][3]["delete"]["result"] == "not_found"
    r = bulk(port, [ix(2, 6), {"b": 2}])
    assert r["errors"] is False and statuses(r) == [("index", 200)]
    status, count = call(port, "GET", "/t/_count")
    assert status == 200 and count["count"] == 2
    assert call(port, "POST", "/t/_refresh")[0] == 200
    assert call(port, "GET", "/missing/_count")[0] == 404


def test_filter_path_keeps_only_the_requested_members(server):
    """filter_path as OpenSearch applies it to `_bulk` (Tributary sends
    errors,items.*.status,items.*.result,items.*.error,error,status)."""
    _, port = server
    call(port, "POST", "/_bench/reset")
    ops = [
        {"index": {"_index": "f", "_id": "1", "version": 5, "version_type": "external"}}, {"n": 1},
        {"index": {"_index": "f", "_id": "1", "version": 4, "version_type": "external"}}, {"n": 2},
        {"delete": {"_index": "f", "_id": "9"}},
    ]
    body = "".join(json.dumps(l) + "\n" for l in ops).encode()
    whole_status, whole = call(port, "POST", "/_bulk", body)
    call(port, "POST", "/_bench/reset")
    path = "/_bulk?filter_path=errors,items.*.status,items.*.result,items.*.error,error,status"
    status, slim = call(port, "POST", path, body)
    assert (whole_status, status) == (200, 200)
    assert set(slim) == {"errors", "items"} and slim["errors"] is True
    assert slim["items"] == [
        {action: {k: v for k, v in fields.items() if k in ("status", "result", "error")}}
        for item in whole["items"] for action, fields in item.items()
    ]
    assert [next(iter(i.values()))["status"] for i in slim["items"]] == [201, 409, 404]
    # Percent-encoded, among other parameters; a top-level filter alone.
    call(port, "POST", "/_bench/reset")
    encoded = call(port, "POST", "/_bulk?refresh=false&filter_path=took%2Citems.%2A.status", body)[1]
    assert list(encoded) == ["took", "items"] and isinstance(encoded["took"], int)
    assert encoded["items"] == [{"index": {"status": 201}}, {"index": {"status": 409}}, {"delete": {"status": 404}}]
    call(port, "POST", "/_bench/reset")
    assert call(port, "POST", "/_bulk?filter_path=errors", body)[1] == {"errors": True}
    # A filter fastbulk does not implement is refused, never ignored.
    for unsupported in ("items.**", "-items", "items.*.status.x", "hits"):
        status, answer = call(port, "POST", f"/_bulk?filter_path={unsupported}", body)
        assert status == 400 and "filter_path" in answer["error"]["reason"], (unsupported, answer)


def test_internal_versions_create_and_default_index(server):
    _, port = server
    call(port, "POST", "/_bench/reset")
    body = b'{"index":{"_id":"a"}}\n{"x":1}\n{"index":{"_id":"a"}}\n{"x":2}\n{"create":{"_id":"a"}}\n{"x":3}\n' \
           b'{"delete":{"_id":"a"}}\n{"index":{}}\n{"auto":1}\n'
    status, r = call(port, "POST", "/d/_bulk", body)
    assert status == 200
    assert statuses(r) == [("index", 201), ("index", 200), ("create", 409), ("delete", 200), ("index", 201)]
    assert [i[next(iter(i))].get("_version") for i in r["items"]][:2] == [1, 2]
    assert call(port, "GET", "/d/_count")[1]["count"] == 1


def test_malformed_bodies(server):
    _, port = server
    status, r = call(port, "POST", "/_bulk", b'{"index":{"_index":"t","_id":"1"}}\n')
    assert status == 400  # no document line
    status, r = call(port, "POST", "/_bulk", b'{"frobnicate":{}}\n{}\n')
    assert status == 400
    r = bulk(port, [{"index": {"_index": "t", "_id": "9"}}, "not json"])
    assert statuses(r) == [("index", 400)] and r["errors"] is True


def test_split_reads_pipelining_and_expect_continue(server):
    _, port = server
    call(port, "POST", "/_bench/reset")
    body = b"".join(b'{"index":{"_index":"p","_id":"%d"}}\n{"n":%d}\n' % (i, i) for i in range(50))
    stream = request("POST", "/_bulk", body) + request("GET", "/") + request("GET", "/p/_count") \
        + request("POST", "/_bulk", body, "Expect: 100-continue\r\n")
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(0, len(stream), 7):  # every request split at odd places
            s.sendall(stream[i:i + 7])
            if i % 700 == 0:
                time.sleep(0.001)
        responses = read_responses(s, 4)
    assert [s for s, _ in responses] == [200, 200, 200, 200]
    assert len(responses[0][1]["items"]) == 50 and not responses[0][1]["errors"]
    assert responses[1][1]["version"]["distribution"] == "opensearch"
    assert responses[2][1]["count"] == 50
    assert all(i["index"]["status"] == 200 for i in responses[3][1]["items"])


def test_expect_continue_waits_for_body(server):
    _, port = server
    body = b'{"index":{"_index":"e","_id":"1"}}\n{"n":1}\n'
    head = request("POST", "/_bulk", body, "Expect: 100-continue\r\n")[:-len(body)]
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(head)
        assert s.recv(100).startswith(b"HTTP/1.1 100 Continue")
        s.sendall(body)
        (status, r), = read_responses(s, 1)
    assert status == 200 and statuses(r) == [("index", 201)]


def test_latency_field_and_stats(server):
    _, port = server
    call(port, "POST", "/_bench/reset")
    now_us = time.time_ns() // 1000
    bulk(port, [{"index": {"_index": "l", "_id": "1"}}, {"sent_us": now_us - 250_000},
                {"index": {"_index": "l", "_id": "2"}}, {"sent_us": "2020-01-01T00:00:00.5Z"}])
    _, lat = call(port, "GET", "/_bench/latency")
    assert lat["count"] == 2 and 240 <= lat["min_ms"] <= 5000
    _, st = call(port, "GET", "/_bench/stats")
    assert st["items"] == 2 and st["first_bulk_items"] == 2


def test_loadgen_reports_its_ceiling(server):
    binary, port = server
    doc = Path(tempfile.mkdtemp()) / "doc.json"
    doc.write_text('{"name":"x","n":1}')
    out = subprocess.run([str(binary), "loadgen", "--port", str(port), "--doc", str(doc), "--items", "100",
                          "--conns", "2", "--pipeline", "3", "--seconds", "0.5"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["requests"] > 0 and result["bad_responses"] == 0
