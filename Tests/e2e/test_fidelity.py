"""Debezium fidelity end to end: every logical type indexed exactly under
derived mappings, TOAST placeholders never written, soft deletes that survive
a replay after index.gc_deletes, and source TRUNCATE.

Expected values are computed here independently of the Swift code: decimals
with Python's decimal module from the unscaled integer, dates and times with
datetime and integer arithmetic, geometries from the coordinates packed into WKB.
"""
from __future__ import annotations

import base64
import json
import struct
import time
import urllib.request
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from faultproxy import FaultProxy
from harness import Worker, connector, wait_until
from workload import envelope, key

# --- JsonConverter schemas and Debezium envelopes -------------------------------------------------


def col(column: str, type_: str, logical: str | None = None, **extra) -> dict:
    field = {"type": type_, "optional": True, "field": column}
    if logical:
        field.update({"name": logical, "version": 1})
    field.update(extra)
    return field


def decimal_col(name: str, scale: int, precision: int) -> dict:
    return col(name, "bytes", "org.apache.kafka.connect.data.Decimal",
               parameters={"scale": str(scale), "connect.decimal.precision": str(precision)})


def unscaled(n: int) -> str:
    """The base64 of `n` as minimal big-endian two's complement, as JsonConverter writes a Decimal."""
    return base64.b64encode(n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True)).decode()


def key_record(i: int) -> dict:
    return {"schema": {"type": "struct", "optional": False, "name": "fid.public.every_type.Key",
                       "fields": [{"type": "int32", "optional": False, "field": "id"}]},
            "payload": {"id": i}}


def change(table: str, fields: list[dict], op: str, after: dict | None, lsn: int, before: dict | None = None) -> dict:
    row = {"type": "struct", "optional": True, "name": f"fid.public.{table}.Value", "fields": fields}
    schema = {"type": "struct", "optional": False, "name": f"fid.public.{table}.Envelope", "fields": [
        {**row, "field": "before"}, {**row, "field": "after"},
        {"type": "struct", "optional": False, "name": "io.debezium.connector.postgresql.Source", "field": "source",
         "fields": [{"type": "string", "optional": False, "field": "connector"},
                    {"type": "string", "optional": False, "field": "table"},
                    {"type": "int64", "optional": True, "field": "lsn"}]},
        {"type": "string", "optional": False, "field": "op"},
        {"type": "int64", "optional": True, "field": "ts_ms"}]}
    payload = {"before": before, "after": after, "op": op, "ts_ms": 1_700_000_000_000 + lsn,
               "source": {"connector": "postgresql", "db": "fid", "schema": "public", "table": table, "lsn": lsn,
                          "ts_ms": 1_700_000_000_000 + lsn}}
    return {"schema": schema, "payload": payload}


# --- Expected document values, computed independently ---------------------------------------------

EPOCH = datetime(1970, 1, 1)


def expect_decimal(n: int, scale: int) -> Decimal:
    return Decimal(f"{n}e-{scale}")  # exact at any length (arithmetic would round to 28 digits)


def expect_date(days: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=days)).isoformat()


def expect_time(count: int, per_second: int, digits: int) -> str:
    seconds, fraction = divmod(count, per_second)
    fraction *= 10 ** digits // per_second
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{fraction:0{digits}d}"


def expect_timestamp(count: int, per_second: int) -> str:
    seconds, fraction = divmod(count, per_second)  # floors: right for instants before 1970
    digits = len(str(per_second)) - 1
    return (EPOCH + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S") + f".{fraction:0{digits}d}Z"


def expect_duration(micros: int) -> str:
    seconds, fraction = divmod(micros, 1_000_000)
    text = "PT" + (f"{seconds // 3600}H" if seconds >= 3600 else "") + (f"{seconds // 60 % 60}M" if seconds // 60 % 60 else "")
    if seconds % 60 or fraction:
        text += str(seconds % 60) + ("." + f"{fraction:06d}".rstrip("0") if fraction else "") + "S"
    return text


def wkb_polygon(ring: list[tuple[float, float]]) -> str:
    body = struct.pack("<BII", 1, 3, 1) + struct.pack("<I", len(ring))
    for x, y in ring:
        body += struct.pack("<dd", x, y)
    return base64.b64encode(body).decode()


def wkb_point(x: float, y: float) -> str:
    return base64.b64encode(struct.pack("<BIdd", 1, 1, x, y)).decode()


def bits_le(n: int, length: int) -> str:
    return base64.b64encode(n.to_bytes((length + 7) // 8, "little")).decode()


EVERY_TYPE_FIELDS = [
    {"type": "int32", "optional": False, "field": "id"},
    col("i8", "int8"), col("i16", "int16"), col("i64", "int64"), col("f32", "float"), col("f64", "double"),
    col("flag", "boolean"), col("txt", "string"), col("raw", "bytes"),
    decimal_col("amount", 2, 10),
    decimal_col("delta", 3, 9),
    decimal_col("huge", 0, 38),
    col("vsd", "struct", "io.debezium.data.VariableScaleDecimal", fields=[
        {"type": "int32", "optional": False, "field": "scale"}, {"type": "bytes", "optional": False, "field": "value"}]),
    col("d", "int32", "io.debezium.time.Date"),
    col("t", "int32", "io.debezium.time.Time"),
    col("mt", "int64", "io.debezium.time.MicroTime"),
    col("nt", "int64", "io.debezium.time.NanoTime"),
    col("ts", "int64", "io.debezium.time.Timestamp"),
    col("mts", "int64", "io.debezium.time.MicroTimestamp"),
    col("nts", "int64", "io.debezium.time.NanoTimestamp"),
    col("zts", "string", "io.debezium.time.ZonedTimestamp"),
    col("zt", "string", "io.debezium.time.ZonedTime"),
    col("yr", "int32", "io.debezium.time.Year"),
    col("dur", "int64", "io.debezium.time.MicroDuration"),
    col("cdate", "int32", "org.apache.kafka.connect.data.Date"),
    col("ctime", "int32", "org.apache.kafka.connect.data.Time"),
    col("cts", "int64", "org.apache.kafka.connect.data.Timestamp"),
    col("doc", "string", "io.debezium.data.Json"),
    col("uid", "string", "io.debezium.data.Uuid"),
    col("mood", "string", "io.debezium.data.Enum", parameters={"allowed": "happy,sad"}),
    col("colors", "string", "io.debezium.data.EnumSet", parameters={"allowed": "red,green,blue"}),
    col("mask", "bytes", "io.debezium.data.Bits", parameters={"length": "12"}),
    col("xml", "string", "io.debezium.data.Xml"),
    col("pt", "struct", "io.debezium.data.geometry.Point", fields=[
        {"type": "double", "optional": False, "field": "x"}, {"type": "double", "optional": False, "field": "y"},
        {"type": "bytes", "optional": True, "field": "wkb"}, {"type": "int32", "optional": True, "field": "srid"}]),
    col("area", "struct", "io.debezium.data.geometry.Geometry", fields=[
        {"type": "bytes", "optional": False, "field": "wkb"}, {"type": "int32", "optional": True, "field": "srid"}]),
    col("nums", "array", items={"type": "int32", "optional": True}),
    col("days", "array", items={"type": "int32", "optional": True, "name": "io.debezium.time.Date", "version": 1}),
    col("addr", "struct", name="fid.public.every_type.addr", fields=[
        {"type": "string", "optional": True, "field": "street"},
        {"type": "bytes", "optional": True, "name": "org.apache.kafka.connect.data.Decimal", "version": 1,
         "parameters": {"scale": "2"}, "field": "fee"},
        {"type": "int32", "optional": True, "name": "io.debezium.time.Date", "version": 1, "field": "since"}]),
]

# One tuple per row: amount (unscaled, scale 2), delta (scale 3), Date days, MicroTimestamp µs, NanoTimestamp ns,
# ZonedTimestamp text. Different on purpose, so that ranges pick exact subsets.
ROWS = [
    (1, 123456, -1, -1, -1, 1_000_000_000_000_000_001, "2021-01-01T00:00:00Z"),
    (2, -5, -12345678, 18262, 1_622_505_600_000_000, 1_000_000_000_000_000_002, "2021-06-15T12:30:00.5Z"),
    (3, 0, 999, 18500, 1_640_995_199_999_999, 1_000_000_000_000_000_003, "2022-03-01T08:00:00.123456Z"),
    (4, -9876543, 0, 18628, 1_640_995_200_000_000, 1_700_000_000_123_456_789, "2023-12-31T23:59:59.999Z"),
    (5, 10000, 1, 19000, 1_700_000_000_123_456, -1_000_000_000, "2024-02-29T00:00:00Z"),
]


def every_type_row(i: int, amount: int, delta: int, days: int, micros: int, nanos: int, zoned: str) -> tuple[dict, dict]:
    """The `after` row Debezium sends and the document Tributary must store."""
    huge = 12345678901234567890123456789 * (-1 if i % 2 else 1)
    vsd_unscaled, vsd_scale = 31415926535 * i, 10
    ms_of_day = (i * 3_723_456) % 86_400_000
    polygon = [(10.5, 20.25), (11.0, 20.25), (11.0, 21.125), (10.5, 21.125), (10.5, 20.25)]
    after = {
        "id": i, "i8": -i, "i16": 300 * i, "i64": 9_007_199_254_740_993 + i, "f32": 1.5 * i, "f64": 2.0 ** -i,
        "flag": i % 2 == 0, "txt": f"row {i} text", "raw": base64.b64encode(bytes([0, i, 255])).decode(),
        "amount": unscaled(amount), "delta": unscaled(delta), "huge": unscaled(huge),
        "vsd": {"scale": vsd_scale, "value": unscaled(vsd_unscaled)},
        "d": days, "t": ms_of_day, "mt": ms_of_day * 1000 + i, "nt": ms_of_day * 1_000_000 + 7 * i,
        "ts": micros // 1000, "mts": micros, "nts": nanos, "zts": zoned, "zt": f"0{i}:15:30.5Z",
        "yr": 2000 + i, "dur": 93_784_000_005 * i,
        "cdate": days + 1, "ctime": ms_of_day, "cts": micros // 1000 - 1,
        "doc": json.dumps({"tags": ["x", "y"], "b": {"c": None, "n": i}, "w": 2.5}),
        "uid": f"6f9619ff-8b86-d011-b42d-00c04fc964f{i}", "mood": "happy" if i % 2 else "sad",
        "colors": "red,blue" if i % 2 else "", "mask": bits_le(0xA05 + i, 12),
        "xml": f"<r n=\"{i}\"/>",
        "pt": {"x": 13.4 + i, "y": 52.5, "wkb": wkb_point(13.4 + i, 52.5), "srid": None},
        "area": {"wkb": wkb_polygon(polygon), "srid": 4326},
        "nums": [i, None, -i], "days": [days, days + 1],
        "addr": {"street": f"Main {i}", "fee": unscaled(1230 * i), "since": days - 1},
    }
    expected = {
        "id": i, "i8": -i, "i16": 300 * i, "i64": 9_007_199_254_740_993 + i, "f32": Decimal(repr(1.5 * i)),
        "f64": Decimal(repr(2.0 ** -i)), "flag": i % 2 == 0, "txt": f"row {i} text", "raw": after["raw"],
        "amount": expect_decimal(amount, 2), "delta": expect_decimal(delta, 3), "huge": expect_decimal(huge, 0),
        "vsd": expect_decimal(vsd_unscaled, vsd_scale),
        "d": expect_date(days), "t": expect_time(ms_of_day, 1000, 6), "mt": expect_time(ms_of_day * 1000 + i, 10 ** 6, 6),
        "nt": expect_time(ms_of_day * 1_000_000 + 7 * i, 10 ** 9, 9),
        "ts": expect_timestamp(micros // 1000, 1000), "mts": expect_timestamp(micros, 10 ** 6),
        "nts": expect_timestamp(nanos, 10 ** 9), "zts": zoned, "zt": f"0{i}:15:30.5Z",
        "yr": 2000 + i, "dur": expect_duration(93_784_000_005 * i),
        "cdate": expect_date(days + 1), "ctime": expect_time(ms_of_day, 1000, 6), "cts": expect_timestamp(micros // 1000 - 1, 1000),
        "doc": {"tags": ["x", "y"], "b": {"c": None, "n": i}, "w": Decimal("2.5")},
        "uid": after["uid"], "mood": after["mood"], "colors": ["red", "blue"] if i % 2 else [],
        "mask": 0xA05 + i, "xml": after["xml"],
        "pt": {"type": "Point", "coordinates": [Decimal(repr(13.4 + i)), Decimal("52.5")]},
        "area": {"type": "Polygon", "coordinates": [[[Decimal(repr(x)), Decimal(repr(y))] for x, y in polygon]]},
        "nums": [i, None, -i], "days": [expect_date(days), expect_date(days + 1)],
        "addr": {"street": f"Main {i}", "fee": expect_decimal(1230 * i, 2), "since": expect_date(days - 1)},
    }
    return after, expected


TEXT = {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}}
KEYWORD = {"type": "keyword"}
TIMESTAMP = {"type": "date", "ignore_malformed": True}
DATE = {"type": "date", "format": "strict_date", "ignore_malformed": True}
EXPECTED_MAPPING = {
    "id": {"type": "integer"}, "i8": {"type": "byte"}, "i16": {"type": "short"}, "i64": {"type": "long"},
    "f32": {"type": "float"}, "f64": {"type": "double"}, "flag": {"type": "boolean"}, "txt": TEXT, "raw": {"type": "binary"},
    "amount": {"type": "scaled_float", "scaling_factor": 100}, "delta": {"type": "scaled_float", "scaling_factor": 1000},
    "huge": {"type": "double"}, "vsd": {"type": "double"},
    "d": DATE, "t": KEYWORD, "mt": KEYWORD, "nt": KEYWORD, "ts": TIMESTAMP, "mts": TIMESTAMP,
    "nts": {"type": "date_nanos", "ignore_malformed": True}, "zts": TIMESTAMP, "zt": KEYWORD, "yr": {"type": "integer"},
    "dur": KEYWORD, "cdate": DATE, "ctime": KEYWORD, "cts": TIMESTAMP, "doc": {"type": "object"}, "uid": KEYWORD,
    "mood": KEYWORD, "colors": KEYWORD, "mask": {"type": "long"}, "xml": TEXT,
    "pt": {"type": "geo_shape", "ignore_malformed": True}, "area": {"type": "geo_shape", "ignore_malformed": True},
    "nums": {"type": "integer"}, "days": DATE,
    "addr": {"properties": {"street": TEXT, "fee": {"type": "scaled_float", "scaling_factor": 100}, "since": DATE}},
}
DECIMAL_FIELDS = ("amount", "delta", "huge", "vsd")


# --- OpenSearch reads that keep number literals exact ---------------------------------------------

def exact(opensearch, method: str, path: str, body=None):
    """A request whose JSON answer keeps every number exact (Decimal), as osmem stores `_source` verbatim."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(opensearch.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read(), parse_float=Decimal)


def search_ids(opensearch, index: str, query: dict) -> set[str]:
    hits = exact(opensearch, "POST", f"/{index}/_search", {"size": 100, "query": query})["hits"]["hits"]
    return {hit["_id"] for hit in hits}


def committed(kafka, name: str, topic: str, timeout: float = 30) -> None:
    wait_until(lambda: kafka.fully_committed(f"tributary-{name}", topic), timeout, f"{name}: every offset committed")


def stop(worker) -> str:
    assert worker.stop() == 0, worker.output()[-3000:]
    return worker.output()


# --- a. Every logical type, derived mappings, exact _source, ranges -------------------------------

def test_every_logical_type_exact_with_derived_mappings(kafka, opensearch, tmp_path):
    topic, dlq = "fid.public.every_type", "fid-every-dlq"
    kafka.control(f"topic {topic} 2")
    kafka.control(f"topic {dlq} 1")
    expected = {}
    records = []
    for lsn, row in enumerate(ROWS, start=100):
        after, doc = every_type_row(*row)
        expected[str(row[0])] = doc
        records.append({"key": key_record(row[0]), "value": change("every_type", EVERY_TYPE_FIELDS, "c", after, lsn)})
    kafka.produce(topic, records)

    name = "fid-every"
    worker = Worker(connector(name, kafka, opensearch, topic, **{
        "index.mappings": "derived", "errors.deadletterqueue.topic.name": dlq}), tmp_path).start()
    try:
        committed(kafka, name, topic)
    finally:
        log = stop(worker)
    assert "index created with derived mappings" in log
    assert kafka.consume(dlq) == []

    # The derived mapping, as OpenSearch reports it.
    properties = exact(opensearch, "GET", "/every_type/_mapping")["every_type"]["mappings"]["properties"]
    json_column = properties.pop("doc")  # an object: its sub-fields were mapped dynamically since
    assert json_column.get("type", "object") == "object" and "properties" in json_column, json_column
    assert properties == {k: v for k, v in EXPECTED_MAPPING.items() if k != "doc"}

    # The stored _source equals the independently computed values; decimals keep their scale exactly.
    exact(opensearch, "POST", "/every_type/_refresh")
    hits = exact(opensearch, "POST", "/every_type/_search", {"size": 100, "version": True})["hits"]["hits"]
    stored = {hit["_id"]: hit["_source"] for hit in hits}
    assert set(stored) == set(expected)
    for i, doc in expected.items():
        assert stored[i] == doc, {k: (stored[i].get(k), v) for k, v in doc.items() if stored[i].get(k) != v}
        for name in DECIMAL_FIELDS:
            assert str(stored[i][name]) == str(doc[name]), (i, name, stored[i][name], doc[name])
    assert {hit["_id"]: hit["_version"] for hit in hits} == {str(r[0]): lsn for lsn, r in enumerate(ROWS, start=100)}

    # Range queries on the typed fields pick exactly the rows whose values are in range.
    def ids(predicate) -> set[str]:
        chosen = {i for i, doc in expected.items() if predicate(doc)}
        assert chosen and chosen != set(expected), "a range that does not discriminate proves nothing"
        return chosen

    def at(text: str) -> datetime:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    ranges = [
        ({"amount": {"gte": "-1.00", "lte": "100.00"}}, lambda d: Decimal("-1.00") <= d["amount"] <= Decimal("100.00")),
        ({"amount": {"lt": 0}}, lambda d: d["amount"] < 0),
        ({"delta": {"gt": "-0.001", "lte": "0.999"}}, lambda d: Decimal("-0.001") < d["delta"] <= Decimal("0.999")),
        ({"d": {"gte": "2020-01-01", "lte": "2020-12-31"}}, lambda d: "2020-01-01" <= d["d"] <= "2020-12-31"),
        ({"d": {"lt": "1970-01-01"}}, lambda d: d["d"] < "1970-01-01"),
        ({"mts": {"gte": "2021-06-01T00:00:00Z", "lt": "2022-01-01T00:00:00Z"}},
         lambda d: at("2021-06-01T00:00:00Z") <= at(d["mts"]) < at("2022-01-01T00:00:00Z")),
        ({"ts": {"lt": "1970-01-01T00:00:00Z"}}, lambda d: at(d["ts"]) < at("1970-01-01T00:00:00Z")),
        ({"zts": {"gt": "2021-06-15T12:30:00.5Z", "lte": "2023-12-31T23:59:59.999Z"}},
         lambda d: at("2021-06-15T12:30:00.5Z") < at(d["zts"]) <= at("2023-12-31T23:59:59.999Z")),
        # date_nanos tells rows apart by one nanosecond; the pre-1970 NanoTimestamp (row 5) is kept
        # in _source but not indexed there (ignore_malformed), so no range finds it.
        ({"nts": {"gt": "2001-09-09T01:46:40.000000001Z", "lt": "2010-01-01T00:00:00Z"}},
         lambda d: "2001-09-09T01:46:40.000000001Z" < d["nts"] < "2010-01-01T00:00:00Z"),
        ({"addr.fee": {"gte": "24.60"}}, lambda d: d["addr"]["fee"] >= Decimal("24.60")),
    ]
    for query, predicate in ranges:
        assert search_ids(opensearch, "every_type", {"range": query}) == ids(predicate), query
    assert search_ids(opensearch, "every_type", {"exists": {"field": "nts"}}) == {"1", "2", "3", "4"}
    assert search_ids(opensearch, "every_type", {"term": {"colors": "blue"}}) == {"1", "3", "5"}


def test_existing_index_is_never_touched(kafka, opensearch, tmp_path):
    """index.mappings=derived leaves an index that already exists exactly as it is."""
    topic = "fid.public.kept"
    kafka.control(f"topic {topic} 1")
    opensearch.request("PUT", "/kept", {"mappings": {"properties": {"amount": {"type": "keyword"}}}})
    fields = [{"type": "int32", "optional": False, "field": "id"}, decimal_col("amount", 2, 10)]
    kafka.produce(topic, [{"key": key_record(1), "value": change("kept", fields, "c", {"id": 1, "amount": unscaled(1999)}, 10)}])
    worker = Worker(connector("fid-kept", kafka, opensearch, topic, **{"index.mappings": "derived"}), tmp_path).start()
    try:
        committed(kafka, "fid-kept", topic)
    finally:
        log = stop(worker)
    assert "index exists" in log
    properties = opensearch.request("GET", "/kept/_mapping")["kept"]["mappings"]["properties"]
    assert properties["amount"] == {"type": "keyword"}
    assert "id" not in properties or properties["id"] != {"type": "integer"}, "a derived mapping must not be merged in"
    assert exact(opensearch, "GET", "/kept/_doc/1")["_source"] == {"id": 1, "amount": Decimal("19.99")}


def test_index_creation_waits_through_an_outage(kafka, opensearch, tmp_path):
    """The first write waits while PUT /<index> cannot reach the cluster (connection refused, retried
    with backoff), then the index is created with the derived mappings and nothing is dead-lettered."""
    topic, dlq = "fid.public.patient", "fid-patient-dlq"
    kafka.control(f"topic {topic} 1")
    kafka.control(f"topic {dlq} 1")
    fields = [{"type": "int32", "optional": False, "field": "id"}, decimal_col("amount", 2, 10)]
    kafka.produce(topic, [{"key": key_record(i), "value": change("patient", fields, "c", {"id": i, "amount": unscaled(i * 101)}, 10 + i)}
                          for i in range(1, 4)])
    proxy = FaultProxy(opensearch.url).start()
    proxy.down_for(4)
    config = connector("fid-patient", kafka, opensearch, topic, **{
        "index.mappings": "derived", "errors.deadletterqueue.topic.name": dlq,
        "retry.backoff.ms": 200, "retry.backoff.max.ms": 1000})
    config["config"]["connection.url"] = proxy.url
    worker = Worker(config, tmp_path).start()
    try:
        committed(kafka, "fid-patient", topic)
    finally:
        log = stop(worker)
        proxy.stop()
    assert "index creation failed; retrying" in log and "index created with derived mappings" in log
    assert kafka.consume(dlq) == []
    properties = opensearch.request("GET", "/patient/_mapping")["patient"]["mappings"]["properties"]
    assert properties == {"id": {"type": "integer"}, "amount": {"type": "scaled_float", "scaling_factor": 100}}
    assert {i: doc for i, (_, doc) in opensearch.documents("patient").items()} == {
        str(i): {"id": i, "amount": i * 101 / 100} for i in range(1, 4)}


# --- b. TOAST: the placeholder never overwrites the stored value ----------------------------------

TOAST_FIELDS = [{"type": "int32", "optional": False, "field": "id"}, col("body", "string"), col("n", "int32")]
PLACEHOLDER = "__debezium_unavailable_value"


def toast_records(table: str) -> list[dict]:
    return [
        {"key": key_record(1), "value": change(table, TOAST_FIELDS, "c", {"id": 1, "body": "the real long text", "n": 1}, 100)},
        {"key": key_record(1), "value": change(table, TOAST_FIELDS, "u", {"id": 1, "body": PLACEHOLDER, "n": 2}, 200)},
    ]


def test_toast_update_mode_keeps_the_stored_value(kafka, opensearch, tmp_path):
    topic = "fid.public.toasty"
    kafka.control(f"topic {topic} 1")
    kafka.produce(topic, toast_records("toasty"))
    worker = Worker(connector("fid-toast-update", kafka, opensearch, topic, **{"toast.mode": "update"}), tmp_path).start()
    try:
        committed(kafka, "fid-toast-update", topic)
    finally:
        stop(worker)
    source = opensearch.request("GET", "/toasty/_doc/1")["_source"]
    assert source == {"id": 1, "body": "the real long text", "n": 2}


def test_toast_script_mode_dead_letters_on_osmem_instead_of_corrupting(kafka, opensearch, tmp_path):
    """osmem runs no painless: the default guarded script update is refused (400) and dead-lettered;
    the document keeps its real value rather than the placeholder."""
    topic, dlq = "fid.public.toastier", "fid-toast-dlq"
    kafka.control(f"topic {topic} 1")
    kafka.control(f"topic {dlq} 1")
    kafka.produce(topic, toast_records("toastier"))
    worker = Worker(connector("fid-toast-script", kafka, opensearch, topic,
                              **{"errors.deadletterqueue.topic.name": dlq}), tmp_path).start()
    try:
        committed(kafka, "fid-toast-script", topic)
    finally:
        stop(worker)
    document = opensearch.request("GET", "/toastier/_doc/1")
    assert document["_source"] == {"id": 1, "body": "the real long text", "n": 1}
    assert document["_version"] == 100
    dead = kafka.consume(dlq)
    assert len(dead) == 1
    assert dead[0]["headers"]["__tributary.errors.opensearch.status"] == "400"
    assert PLACEHOLDER in dead[0]["value"]


# --- c. Soft deletes survive a replay after index.gc_deletes; hard deletes do not -----------------

def test_soft_delete_survives_replay_after_gc_deletes_and_hard_delete_resurrects(kafka, opensearch, tmp_path):
    """Insert (lsn 10), delete (lsn 20), wait past index.gc_deletes (1 s), replay the insert. The control
    table hard_recent keeps the default gc_deletes (60 s), so it shows that the resurrection under
    delete.mode=hard comes from OpenSearch forgetting the delete, not from anything else."""
    fields = [{"type": "int32", "optional": False, "field": "id"}, col("name", "string")]
    tables = {"soft_rows": "soft", "hard_rows": "hard", "hard_recent": "hard"}
    old_insert = {}
    for table in tables:
        topic = f"fid.public.{table}"
        kafka.control(f"topic {topic} 1")
        settings = {} if table == "hard_recent" else {"settings": {"index": {"gc_deletes": "1s"}}}
        opensearch.request("PUT", f"/{table}", settings)
        old_insert[table] = {"key": key_record(1), "value": change(table, fields, "c", {"id": 1, "name": "first"}, 10)}
        kafka.produce(topic, [
            old_insert[table],
            {"key": key_record(2), "value": change(table, fields, "c", {"id": 2, "name": "second"}, 11)},
            {"key": key_record(1), "value": change(table, fields, "d", None, 20, before={"id": 1, "name": None})},
            {"key": key_record(1), "value": None},
        ])
    topics = {mode: ",".join(f"fid.public.{t}" for t, m in tables.items() if m == mode) for mode in ("soft", "hard")}
    workers = {mode: Worker(connector(f"fid-{mode}", kafka, opensearch, topics[mode], **{"delete.mode": mode}), tmp_path).start()
               for mode in topics}

    def all_committed() -> None:
        for table, mode in tables.items():
            committed(kafka, f"fid-{mode}", f"fid.public.{table}")

    try:
        all_committed()
        deleted_at = time.monotonic()
        assert opensearch.documents("soft_rows") == {
            "1": (20, {"id": 1, "__deleted": True}), "2": (11, {"id": 2, "name": "second", "__deleted": False})}
        assert set(opensearch.documents("hard_rows")) == set(opensearch.documents("hard_recent")) == {"2"}

        # Past gc_deletes OpenSearch has forgotten the hard delete's version; then the old insert is replayed.
        time.sleep(max(0.0, deleted_at + 2.5 - time.monotonic()))
        for table in tables:
            kafka.produce(f"fid.public.{table}", [old_insert[table]])
        all_committed()
    finally:
        for worker in workers.values():
            stop(worker)

    # Soft: the tombstone's version 20 refuses the replayed insert (409, stale); the row stays deleted,
    # and a filtered alias shows only live rows.
    assert opensearch.documents("soft_rows")["1"] == (20, {"id": 1, "__deleted": True})
    opensearch.request("POST", "/_aliases", {"actions": [{"add": {
        "index": "soft_rows", "alias": "soft_rows_live", "filter": {"bool": {"must_not": {"term": {"__deleted": True}}}}}}]})
    assert search_ids(opensearch, "soft_rows_live", {"match_all": {}}) == {"2"}
    # Hard: the same replay resurrects the deleted row once gc_deletes has passed: the hazard soft mode prevents.
    assert opensearch.documents("hard_rows")["1"] == (10, {"id": 1, "name": "first"})
    # Within gc_deletes the delete's version still wins (stale), as it does for ever under soft.
    assert set(opensearch.documents("hard_recent")) == {"2"}


# --- d. Source TRUNCATE ----------------------------------------------------------------------------

def truncate_event(table: str, lsn: int) -> dict:
    """A PostgreSQL TRUNCATE as Debezium sends it (see the postgres-customers-truncate-docs fixture)."""
    return {"source": {"version": "2.5.4.Final", "connector": "postgresql", "name": "fid", "ts_ms": 1_700_000_000_000 + lsn,
                       "snapshot": "false", "db": "fid", "schema": "public", "table": table, "txId": 556, "lsn": lsn,
                       "xmin": None},
            "op": "t", "ts_ms": 1_700_000_000_100 + lsn}


def test_truncate_delete_all_and_ignore(kafka, opensearch, tmp_path):
    topic = "fid.public.customers"
    kafka.control(f"topic {topic} 1")

    def row(i: int, label: str) -> dict:
        return {"id": i, "name": f"{label} {i}", "stock": i, "price": "1.00"}

    records = [{"partition": 0, "key": key(i, True), "value": envelope("c", None, row(i, "before"), 100 + i, "customers", True)}
               for i in range(1, 5)]
    records.append({"partition": 0, "key": None, "value": truncate_event("customers", 200)})
    after = {1: row(1, "after"), 5: row(5, "after"), 6: row(6, "after")}
    records += [{"partition": 0, "key": key(i, True), "value": envelope("c", None, r, 300 + i, "customers", True)}
                for i, r in after.items()]
    kafka.produce(topic, records)

    # Two connectors read the same topic into two indexes: one applies the truncate, one ignores it (the default).
    names = {"delete_all": "fid-trunc-all", "ignore": "fid-trunc-ignore"}
    workers = [Worker(connector(name, kafka, opensearch, topic, **{
        "topic.index.map": f"{topic}:trunc_{mode}", **({"truncate.mode": mode} if mode == "delete_all" else {})}), tmp_path).start()
        for mode, name in names.items()]
    try:
        for name in names.values():
            committed(kafka, name, topic)
    finally:
        logs = [stop(worker) for worker in workers]
    assert "source table truncated" in logs[0]

    assert {i: doc for i, (_, doc) in opensearch.documents("trunc_delete_all").items()} == {str(i): r for i, r in after.items()}
    kept = {str(i): row(i, "before") for i in range(2, 5)} | {str(i): r for i, r in after.items()}
    assert {i: doc for i, (_, doc) in opensearch.documents("trunc_ignore").items()} == kept
