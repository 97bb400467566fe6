"""The benchmark workload: schema-enabled Debezium PostgreSQL change events of
a ten-column `products` row, about 4 KB each, as the JsonConverter writes them.

Columns: id int32 (the key), name, description (text), price Decimal(10,2)
(base64 of the unscaled two's-complement integer, scale in the schema),
weight float64, quantity int32, release_date io.debezium.time.Date (days since
the epoch), updated_at io.debezium.time.MicroTimestamp (µs since the epoch),
attributes io.debezium.data.Json (a JSON document as a string) and sku
io.debezium.data.Uuid.

Mix: 6 % deletes (each followed by a tombstone), 14 % inserts, 80 % updates
of an existing row, keys {"id":N} with their schema, partition = id % P,
LSNs strictly increasing. Everything comes from one seeded RNG, so a seed
gives the same bytes on every machine.
"""
from __future__ import annotations

import base64
import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

TABLE = "products"
TOPIC = "pg.public.products"
SENT_US = "__SENT_US__"   # placeholders the rate producer fills at send time
SENT_MS = "__SENT_MS__"
BASE_TS_MS = 1_700_000_000_000


def _col(type_: str, field: str, name: str | None = None, optional: bool = True, **params) -> dict:
    col = {"type": type_, "optional": optional}
    if name:
        col["name"] = name
        col["version"] = 1
    if params:
        col["parameters"] = {k: str(v) for k, v in params.items()}
    col["field"] = field
    return col


ROW_FIELDS = [
    _col("int32", "id", optional=False, default=0),
    _col("string", "name"),
    _col("string", "description"),
    {"type": "bytes", "optional": True, "name": "org.apache.kafka.connect.data.Decimal", "version": 1,
     "parameters": {"scale": "2", "connect.decimal.precision": "10"}, "field": "price"},
    _col("double", "weight"),
    _col("int32", "quantity"),
    _col("int32", "release_date", "io.debezium.time.Date"),
    _col("int64", "updated_at", "io.debezium.time.MicroTimestamp"),
    _col("string", "attributes", "io.debezium.data.Json"),
    _col("string", "sku", "io.debezium.data.Uuid"),
]
for f in ROW_FIELDS:  # Debezium puts "default" inside the column schema, not parameters
    if f.get("parameters", {}).get("default") is not None:
        f["default"] = int(f["parameters"].pop("default"))
        if not f["parameters"]:
            del f["parameters"]

SOURCE_FIELDS = [
    _col("string", "version", optional=False), _col("string", "connector", optional=False),
    _col("string", "name", optional=False), _col("int64", "ts_ms", optional=False),
    {"type": "string", "optional": True, "name": "io.debezium.data.Enum", "version": 1,
     "parameters": {"allowed": "true,last,false,incremental"}, "default": "false", "field": "snapshot"},
    _col("string", "db", optional=False), _col("string", "sequence"), _col("string", "schema", optional=False),
    _col("string", "table", optional=False), _col("int64", "txId"), _col("int64", "lsn"), _col("int64", "xmin"),
]

ROW_SCHEMA = {"type": "struct", "fields": ROW_FIELDS, "optional": True, "name": "pg.public.products.Value"}
VALUE_SCHEMA = {
    "type": "struct", "optional": False, "name": "pg.public.products.Envelope", "version": 1,
    "fields": [
        {**ROW_SCHEMA, "field": "before"},
        {**ROW_SCHEMA, "field": "after"},
        {"type": "struct", "fields": SOURCE_FIELDS, "optional": False,
         "name": "io.debezium.connector.postgresql.Source", "field": "source"},
        _col("string", "op", optional=False),
        _col("int64", "ts_ms"),
        {"type": "struct", "fields": [_col("string", "id", optional=False),
                                      _col("int64", "total_order", optional=False),
                                      _col("int64", "data_collection_order", optional=False)],
         "optional": True, "name": "event.block", "version": 1, "field": "transaction"},
    ],
}
KEY_SCHEMA = {"type": "struct", "fields": [_col("int32", "id", optional=False, default=0)],
              "optional": False, "name": "pg.public.products.Key"}
for f in KEY_SCHEMA["fields"]:
    if "parameters" in f:
        f["default"] = int(f["parameters"].pop("default"))
        del f["parameters"]


def _dump(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


VALUE_PREFIX = '{"schema":' + _dump(VALUE_SCHEMA) + ',"payload":'
KEY_PREFIX = '{"schema":' + _dump(KEY_SCHEMA) + ',"payload":'

WORDS = ("steel oak linen walnut cobalt matte brushed modular compact ergonomic quiet rapid solar "
         "carbon fleece bamboo copper vintage portable wireless heavy-duty premium recycled").split()


def decimal_base64(unscaled: int) -> str:
    length = max(1, (unscaled.bit_length() + 8) // 8)
    return base64.b64encode(unscaled.to_bytes(length, "big", signed=True)).decode()


@dataclass
class Record:
    partition: int
    key: bytes
    value: bytes | None      # None = tombstone
    item: bool               # produces a bulk item (not a tombstone)


class Generator:
    """Produces records one by one; deterministic for a seed."""

    def __init__(self, seed: int, partitions: int = 24, initial_ids: int = 2000, description_chars: int = 200,
                 schema: bool = True):
        self.rng = random.Random(seed)
        self.partitions = partitions
        self.live: list[int] = list(range(1, initial_ids + 1))
        self.next_id = initial_ids + 1
        self.lsn = 24_000_000
        self.tx = 500
        self.n = 0
        self.description_chars = description_chars
        self.schema = schema  # False: the bare envelope and key of schemas.enable=false

    def _row(self, i: int, sent_placeholder: bool) -> dict:
        r = self.rng
        words = r.choices(WORDS, k=self.description_chars // 7)
        description = " ".join(words)[: self.description_chars]
        attributes = {"color": r.choice(WORDS), "tags": r.sample(WORDS, 4),
                      "dimensions": {"w": r.randint(1, 200), "h": r.randint(1, 200), "d": r.randint(1, 200)},
                      "warehouse": {"bin": f"B{r.randint(1, 9999):04d}", "aisle": r.randint(1, 40)},
                      "notes": " ".join(r.choices(WORDS, k=40))}
        return {
            "id": i,
            "name": f"{r.choice(WORDS)} {r.choice(WORDS)} product {i}",
            "description": description,
            "price": decimal_base64(r.randint(1, 9_999_999)),
            "weight": round(r.uniform(0.05, 80.0), 3),
            "quantity": r.randint(0, 5000),
            "release_date": r.randint(16_000, 19_800),
            "updated_at": SENT_US if sent_placeholder else (BASE_TS_MS + self.n) * 1000 + r.randint(0, 999),
            "attributes": _dump(attributes),
            "sku": str(uuid.UUID(int=r.getrandbits(128), version=4)),
        }

    def _envelope(self, op: str, before, after, sent_placeholder: bool) -> str:
        self.lsn += self.rng.randint(16, 600)
        self.tx += 1
        ts = SENT_MS if sent_placeholder else BASE_TS_MS + self.n
        source = {"version": "2.5.4.Final", "connector": "postgresql", "name": "pg", "ts_ms": ts,
                  "snapshot": "false", "db": "inventory", "sequence": f'["{self.lsn - 8}","{self.lsn}"]',
                  "schema": "public", "table": TABLE, "txId": self.tx, "lsn": self.lsn, "xmin": None}
        payload = {"before": before, "after": after, "source": source, "op": op, "ts_ms": ts, "transaction": None}
        text = VALUE_PREFIX + _dump(payload) + "}" if self.schema else _dump(payload)
        if sent_placeholder:  # placeholders must be JSON numbers once filled
            text = text.replace(f'"{SENT_US}"', SENT_US).replace(f'"{SENT_MS}"', SENT_MS)
        return text

    def key(self, i: int) -> bytes:
        if not self.schema:
            return ('{"id":' + str(i) + "}").encode()
        return (KEY_PREFIX + '{"id":' + str(i) + "}}").encode()

    def next(self, sent_placeholder: bool = False) -> list[Record]:
        """The records of the next change: one, or a delete and its tombstone."""
        self.n += 1
        roll = self.rng.random()
        if roll < 0.06 and len(self.live) > 100:
            i = self.live.pop(self.rng.randrange(len(self.live)))
            before = {f["field"]: None for f in ROW_FIELDS}
            before["id"] = i
            value = self._envelope("d", before, None, sent_placeholder)
            key = self.key(i)
            p = i % self.partitions
            return [Record(p, key, value.encode(), True), Record(p, key, None, False)]
        if roll < 0.20:
            i = self.next_id
            self.next_id += 1
            self.live.append(i)
            op = "c"
        else:
            i = self.live[self.rng.randrange(len(self.live))]
            op = "u"
        value = self._envelope(op, None, self._row(i, sent_placeholder), sent_placeholder)
        return [Record(i % self.partitions, self.key(i), value.encode(), True)]


def stream(seed: int, events: int, partitions: int = 24, schema: bool = True) -> Iterator[Record]:
    """Exactly `events` records, one by one (a delete's tombstone may end one
    short of a pair)."""
    g = Generator(seed, partitions, schema=schema)
    produced = 0
    while produced < events:
        for rec in g.next()[: events - produced]:
            produced += 1
            yield rec


def generate(seed: int, events: int, partitions: int = 24, schema: bool = True) -> list[Record]:
    """`stream` as a list."""
    return list(stream(seed, events, partitions, schema))


def write_lines(records: list[Record], path: str) -> None:
    """The records as `tributary-dev produce` lines (base64 key and value;
    a tombstone's value is null), for `tributary-dev route-bench`."""
    with open(path, "w") as out:
        for r in records:
            value = base64.b64encode(r.value).decode() if r.value is not None else None
            out.write(json.dumps({"partition": r.partition, "key_base64": base64.b64encode(r.key).decode(),
                                  "value_base64": value}) + "\n")


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description="Print a sample of the workload, or write it as produce lines.")
    ap.add_argument("--events", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-schema", action="store_true")
    ap.add_argument("--out", help="write the records as `tributary-dev produce` lines to this file")
    args = ap.parse_args()
    recs = generate(args.seed, args.events, schema=not args.no_schema)
    if args.out:
        write_lines(recs, args.out)
    sizes = [len(r.key) + len(r.value or b"") for r in recs]
    print(f"{len(recs)} records, mean {sum(sizes) / len(sizes):.0f} B, "
          f"tombstones {sum(1 for r in recs if r.value is None)}")
    if not args.out:
        print("value sample:", recs[0].value.decode()[:600], "...")
