"""A seeded Debezium PostgreSQL workload and the index state it must produce."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

TOPIC_PREFIX = "pg.inventory"

VALUE_SCHEMA_FIELDS = [
    {"type": "int32", "optional": False, "field": "id"},
    {"type": "string", "optional": True, "field": "name"},
    {"type": "int64", "optional": True, "field": "stock"},
    {"type": "string", "optional": True, "field": "price"},
]


def envelope(op: str, before: dict | None, after: dict | None, lsn: int, table: str, with_schema: bool,
             snapshot: bool = False) -> dict:
    payload = {
        "before": before,
        "after": after,
        "source": {"version": "2.5.4.Final", "connector": "postgresql", "name": "pg", "ts_ms": 1700000000000 + lsn,
                   "snapshot": "true" if snapshot else "false", "db": "inventory", "schema": "public", "table": table,
                   "txId": 1000 + lsn, "lsn": lsn, "xmin": None},
        "op": op,
        "ts_ms": 1700000000100 + lsn,
        "transaction": None,
    }
    if not with_schema:
        return payload
    row = {"type": "struct", "fields": VALUE_SCHEMA_FIELDS, "optional": True, "name": f"pg.public.{table}.Value"}
    schema = {"type": "struct", "name": f"pg.public.{table}.Envelope", "optional": False, "fields": [
        {**row, "field": "before"}, {**row, "field": "after"},
        {"type": "struct", "optional": False, "name": "io.debezium.connector.postgresql.Source", "field": "source",
         "fields": [{"type": "int64", "optional": True, "field": "lsn"}, {"type": "string", "field": "table"}]},
        {"type": "string", "optional": False, "field": "op"},
        {"type": "int64", "optional": True, "field": "ts_ms"}]}
    return {"schema": schema, "payload": payload}


def key(i: int, with_schema: bool) -> dict:
    if not with_schema:
        return {"id": i}
    return {"schema": {"type": "struct", "fields": [{"type": "int32", "optional": False, "field": "id"}],
                       "optional": False, "name": "pg.public.products.Key"}, "payload": {"id": i}}


@dataclass
class Workload:
    """Records to produce, partitioned by id, and the expected final documents."""
    table: str
    partitions: int
    records: list[dict] = field(default_factory=list)
    expected: dict[str, tuple[int, dict]] = field(default_factory=dict)  # id -> (version, doc)

    @property
    def topic(self) -> str:
        return f"{TOPIC_PREFIX}.{self.table}"


def generate(seed: int, ids: int, changes: int, partitions: int = 6, table: str = "products") -> Workload:
    """Snapshot reads of `ids` rows, then `changes` random inserts/updates/deletes
    (every delete followed by its tombstone). LSNs grow strictly in commit order."""
    rng = random.Random(seed)
    w = Workload(table=table, partitions=partitions)
    lsn = 10_000
    rows: dict[int, dict] = {}

    def emit(i: int, op: str, before, after, snapshot=False):
        nonlocal lsn
        lsn += rng.randint(8, 400)
        with_schema = i % 2 == 0  # half the rows use the JsonConverter schema wrapper
        w.records.append({"partition": i % partitions, "key": key(i, with_schema),
                          "value": envelope(op, before, after, lsn, table, with_schema, snapshot)})
        if op == "d":
            w.records.append({"partition": i % partitions, "key": key(i, with_schema), "value": None})
            w.expected.pop(str(i), None)
        else:
            w.expected[str(i)] = (lsn, after)

    for i in range(1, ids + 1):
        row = {"id": i, "name": f"product {i}", "stock": rng.randint(0, 1000), "price": f"{rng.randint(1, 99999) / 100:.2f}"}
        rows[i] = row
        emit(i, "r", None, row, snapshot=True)
    next_id = ids + 1
    deleted: list[int] = []
    for _ in range(changes):
        roll = rng.random()
        if roll < 0.03 and deleted:
            i = deleted.pop(rng.randrange(len(deleted)))  # re-insert a deleted key
            row = {"id": i, "name": f"reborn product {i}", "stock": 1, "price": "2.50"}
            rows[i] = row
            emit(i, "c", None, row)
        elif roll < 0.15 or not rows:
            i = next_id
            next_id += 1
            row = {"id": i, "name": f"new product {i}", "stock": rng.randint(0, 1000), "price": "1.00"}
            rows[i] = row
            emit(i, "c", None, row)
        elif roll < 0.25:
            i = rng.choice(list(rows))
            before = {"id": i, "name": "", "stock": 0, "price": ""}  # REPLICA IDENTITY DEFAULT fillers
            del rows[i]
            deleted.append(i)
            emit(i, "d", before, None)
        else:
            i = rng.choice(list(rows))
            row = dict(rows[i])
            row["stock"] = rng.randint(0, 1000)
            row["name"] = f"product {i} v{lsn}"
            rows[i] = row
            emit(i, "u", None, row)
    return w
