#!/usr/bin/env python3
"""The reference sink: Debezium JSON → OpenSearch as a competent Python user
would write it, for the benchmark's comparison.

confluent-kafka consumer (enable.auto.commit=false, earliest), batches of up
to --batch records; each value's JsonConverter envelope is parsed, the row's
logical types are decoded from the schema (Decimal → exact decimal string,
io.debezium.time.MicroTimestamp → ISO-8601 UTC, io.debezium.time.Date →
ISO date, io.debezium.data.Json → embedded object), c/r/u become `index` and d
becomes `delete` with `version=source.lsn, version_type=external`, tombstones
are skipped; opensearch-py `helpers.bulk` writes the batch (a 409 means a newer
version is already stored, a delete's 404 that the row is gone: both are done), then the consumer commits
synchronously. Runs until SIGTERM/SIGINT; prints one JSON line of counters.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import decimal
import json
import signal
import sys

from confluent_kafka import Consumer, KafkaError
from opensearchpy import OpenSearch, helpers

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
EPOCH_DATE = dt.date(1970, 1, 1)


def decode_decimal(text: str, scale: int) -> str:
    unscaled = int.from_bytes(base64.b64decode(text), "big", signed=True)
    return str(decimal.Decimal(unscaled).scaleb(-scale))


def micro_timestamp(us: int) -> str:
    return (EPOCH + dt.timedelta(microseconds=us)).isoformat().replace("+00:00", "Z")


def date(days: int) -> str:
    return (EPOCH_DATE + dt.timedelta(days=days)).isoformat()


class RowDecoder:
    """Per-column converters built once from a row schema."""

    def __init__(self, row_schema: dict) -> None:
        self.converters = {}
        for f in row_schema.get("fields", []):
            name = f.get("name")
            if name == "org.apache.kafka.connect.data.Decimal":
                scale = int(f.get("parameters", {}).get("scale", 0))
                self.converters[f["field"]] = lambda v, s=scale: decode_decimal(v, s)
            elif name == "io.debezium.time.MicroTimestamp":
                self.converters[f["field"]] = micro_timestamp
            elif name == "io.debezium.time.Date":
                self.converters[f["field"]] = date
            elif name == "io.debezium.data.Json":
                self.converters[f["field"]] = json.loads

    def __call__(self, row: dict) -> dict:
        for column, convert in self.converters.items():
            value = row.get(column)
            if value is not None:
                row[column] = convert(value)
        return row


class Sink:
    def __init__(self, args) -> None:
        self.args = args
        config = {
            "bootstrap.servers": args.bootstrap,
            "group.id": args.group,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
        }
        if args.fetch_wait_ms is not None:
            config["fetch.wait.max.ms"] = args.fetch_wait_ms
        self.consumer = Consumer(config)
        self.client = OpenSearch(args.url, http_compress=False, timeout=120)
        self.decoders: dict[tuple, RowDecoder] = {}
        self.counts = {"records": 0, "tombstones": 0, "indexed": 0, "deleted": 0, "stale": 0, "bulks": 0}
        self.stopping = False

    def decoder(self, envelope_schema: dict | None) -> RowDecoder | None:
        if not envelope_schema or self.args.no_logical:
            return None
        key = (envelope_schema.get("name"), envelope_schema.get("version"))
        found = self.decoders.get(key)
        if found is None:
            after = next(f for f in envelope_schema["fields"] if f["field"] == "after")
            found = self.decoders[key] = RowDecoder(after)
        return found

    def action(self, msg) -> dict | None:
        value = msg.value()
        if value is None:
            self.counts["tombstones"] += 1
            return None
        event = json.loads(value)
        payload = event["payload"] if "payload" in event else event
        key = json.loads(msg.key())
        key = key.get("payload", key)
        doc_id = str(key["id"]) if len(key) == 1 else json.dumps(key, sort_keys=True)
        source = payload["source"]
        base = {"_index": source["table"], "_id": doc_id, "version": source["lsn"], "version_type": "external"}
        if payload["op"] == "d":
            return {"_op_type": "delete", **base}
        row = payload["after"]
        decode = self.decoder(event.get("schema"))
        return {"_op_type": "index", **base, "_source": decode(row) if decode else row}

    def write(self, actions: list[dict]) -> None:
        while True:
            _, errors = helpers.bulk(self.client, actions, chunk_size=len(actions), max_retries=5,
                                     raise_on_error=False, raise_on_exception=True)
            self.counts["bulks"] += 1
            retry = []
            for error in errors:
                op, result = next(iter(error.items()))
                if result.get("status") == 409:
                    self.counts["stale"] += 1
                elif op == "delete" and result.get("status") == 404:
                    pass  # already gone: the delete is done
                elif result.get("status") in (429, 500, 502, 503, 504):
                    retry.append(result)
                else:
                    raise RuntimeError(f"bulk item failed: {error}")
            if not retry:
                return
            raise RuntimeError(f"{len(retry)} items failed with retryable errors; a real sink would back off")

    def run(self) -> None:
        self.consumer.subscribe([self.args.topic])
        try:
            while not self.stopping:
                messages = self.consumer.consume(num_messages=self.args.batch, timeout=self.args.poll_timeout)
                if not messages:
                    continue
                actions = []
                for msg in messages:
                    if msg.error():
                        if msg.error().code() == KafkaError._PARTITION_EOF:
                            continue
                        raise RuntimeError(f"consume failed: {msg.error()}")
                    self.counts["records"] += 1
                    action = self.action(msg)
                    if action is not None:
                        actions.append(action)
                        self.counts["deleted" if action["_op_type"] == "delete" else "indexed"] += 1
                if actions:
                    self.write(actions)
                self.consumer.commit(asynchronous=False)
        finally:
            self.consumer.close()
            print(json.dumps(self.counts), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--poll-timeout", type=float, default=0.1)
    ap.add_argument("--fetch-wait-ms", type=int, help="librdkafka fetch.wait.max.ms (default: librdkafka's)")
    ap.add_argument("--no-logical", action="store_true", help="write rows as they are (no logical-type decoding)")
    args = ap.parse_args()
    sink = Sink(args)

    def stop(*_):
        sink.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sink.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
