#!/usr/bin/env python3
"""Produces the benchmark workload (workload.py) with confluent-kafka.

  produce.py load       --bootstrap B --events N [--seed S] [--no-schema] [--runs-of R]
      the N records as fast as possible; waits for every delivery.
  produce.py rate       --bootstrap B --rate R --seconds T [--seed S]
      R changes/s for T seconds, `source.ts_ms` and `updated_at` set to the
      real send time (ms and µs), for the freshness measurement.
  produce.py continuous --bootstrap B --events N --endpoint URL --max-lag L
      N records from a pool of pre-generated ones (LSNs shifted on every pass so
      versions keep growing), as fast as the sink drains: production pauses while
      more than L bulk items are not yet at the endpoint (the mock cluster keeps
      only a few MB per partition, so the backlog cannot be larger).

librdkafka's mock broker answers a Fetch with one message set per partition,
so `load` and `continuous` use large batches (linger.ms 200/100, batch.size
1 MB); otherwise every consumer would be capped by the producer's batching.

Prints one JSON line of totals on stdout.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from confluent_kafka import Producer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workload  # noqa: E402


def make_producer(bootstrap: str, linger_ms: int) -> Producer:
    return Producer({
        "bootstrap.servers": bootstrap,
        "acks": "all",
        "linger.ms": linger_ms,
        "batch.size": 1_000_000,
        "queue.buffering.max.kbytes": 256 * 1024,
        "queue.buffering.max.messages": 200_000,
        "message.timeout.ms": 120_000,
    })


class Counter:
    def __init__(self) -> None:
        self.failed = 0
        self.first_error = None

    def __call__(self, err, msg) -> None:
        if err is not None:
            self.failed += 1
            self.first_error = self.first_error or str(err)


def send(producer: Producer, topic: str, rec: workload.Record, value: bytes | None, on_delivery) -> None:
    while True:
        try:
            producer.produce(topic, value=value, key=rec.key, partition=rec.partition, on_delivery=on_delivery)
            return
        except BufferError:
            producer.poll(0.05)


def finish(producer: Producer, counter: Counter, totals: dict) -> int:
    remaining = producer.flush(120)
    totals.update(failed=counter.failed + remaining, first_error=counter.first_error)
    print(json.dumps(totals), flush=True)
    return 1 if totals["failed"] else 0


def load(args) -> int:
    # Streamed: a million-record backlog would not fit in memory as a list.
    records = workload.stream(args.seed, args.events, args.partitions, schema=not args.no_schema)
    if args.runs_of:
        records = in_runs(records, args.runs_of * args.partitions)
    # Large batches: librdkafka's mock broker returns one message set per
    # partition per Fetch, so small producer batches would cap every consumer.
    producer, counter = make_producer(args.bootstrap, 200), Counter()
    started = time.monotonic()
    totals = {"records": 0, "items": 0, "tombstones": 0, "bytes": 0}
    for i, rec in enumerate(records):
        send(producer, args.topic, rec, rec.value, counter)
        if i % 1000 == 0:
            producer.poll(0)
        totals["records"] += 1
        totals["items"] += rec.item
        totals["tombstones"] += rec.value is None
        totals["bytes"] += len(rec.key) + len(rec.value or b"")
    code = finish(producer, counter, totals)
    totals["seconds"] = time.monotonic() - started
    return code


def in_runs(records: Iterator[workload.Record], chunk: int) -> Iterator[workload.Record]:
    """`records` in chunks of `chunk`, each sorted by partition (stable, so a
    partition's records keep their order): with many partitions, records
    taken in their generated order reach each partition one or two at a time,
    and the mock broker, which answers a Fetch with one message set per
    partition, would then hand out a few records per partition per Fetch."""
    batch: list[workload.Record] = []
    for rec in records:
        batch.append(rec)
        if len(batch) == chunk:
            yield from sorted(batch, key=lambda r: r.partition)
            batch = []
    yield from sorted(batch, key=lambda r: r.partition)


def rate(args) -> int:
    gen = workload.Generator(args.seed, args.partitions)
    producer, counter = make_producer(args.bootstrap, args.linger_ms), Counter()
    total = int(args.rate * args.seconds)
    pending = [gen.next(sent_placeholder=True) for _ in range(total)]
    us_token, ms_token = workload.SENT_US.encode(), workload.SENT_MS.encode()
    records = items = size = 0
    started = time.time()
    late_max = 0.0
    for n, change in enumerate(pending):
        due = started + n / args.rate
        now = time.time()
        if due > now:
            time.sleep(due - now)
        else:
            late_max = max(late_max, now - due)
        now_us = time.time_ns() // 1000
        for rec in change:
            value = rec.value
            if value is not None:
                value = value.replace(us_token, str(now_us).encode()).replace(ms_token, str(now_us // 1000).encode())
            send(producer, args.topic, rec, value, counter)
            records += 1
            items += rec.item
            size += len(rec.key) + len(value or b"")
        producer.poll(0)
    totals = {"records": records, "items": items, "bytes": size, "changes": total,
              "seconds": time.time() - started, "max_behind_schedule_s": round(late_max, 4)}
    return finish(producer, counter, totals)


def endpoint_items(url: str) -> int:
    with urllib.request.urlopen(url + "/_bench/stats", timeout=10) as resp:
        return json.loads(resp.read())["items"]


def continuous(args) -> int:
    pool = workload.generate(args.seed, args.pool, args.partitions)
    lsn_re = re.compile(rb'"lsn":(\d+)')
    # Split each value around its LSN once, so a pass only formats a number.
    parts = []
    for rec in pool:
        if rec.value is None:
            parts.append(None)
            continue
        m = lsn_re.search(rec.value)
        parts.append((rec.value[:m.start(1)], int(m.group(1)), rec.value[m.end(1):]))
    producer, counter = make_producer(args.bootstrap, 100), Counter()
    records = items = size = 0
    paused_s = 0.0
    started = time.monotonic()
    base_items = endpoint_items(args.endpoint)
    shift = 0
    while records < args.events:
        for rec, split in zip(pool, parts):
            if records >= args.events:
                break
            value = None if split is None else split[0] + str(split[1] + shift).encode() + split[2]
            send(producer, args.topic, rec, value, counter)
            records += 1
            items += rec.item
            size += len(rec.key) + len(value or b"")
            if records % 500 == 0:
                producer.poll(0)
                while items - (endpoint_items(args.endpoint) - base_items) > args.max_lag:
                    t = time.monotonic()
                    time.sleep(0.02)
                    paused_s += time.monotonic() - t
        shift += 10_000_000_000
    totals = {"records": records, "items": items, "bytes": size, "seconds": time.monotonic() - started,
              "paused_s": round(paused_s, 2)}
    return finish(producer, counter, totals)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["load", "rate", "continuous"])
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", default=workload.TOPIC)
    ap.add_argument("--partitions", type=int, default=24)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--rate", type=float, default=5000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--linger-ms", type=int, default=5)
    ap.add_argument("--no-schema", action="store_true", help="load: the same changes without the JsonConverter schema")
    ap.add_argument("--endpoint")
    ap.add_argument("--max-lag", type=int, default=15_000)
    ap.add_argument("--pool", type=int, default=20_000)
    ap.add_argument("--runs-of", type=int, default=0,
                    help="load: produce about this many records per partition at a time (see in_runs)")
    args = ap.parse_args()
    return {"load": load, "rate": rate, "continuous": continuous}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
