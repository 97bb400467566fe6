#!/usr/bin/env python3
"""Tributary end to end on embedded servers, in about a minute.

Starts librdkafka's mock Kafka cluster and osmem-server on loopback, produces
Debezium PostgreSQL change events (a snapshot, inserts, updates, a delete and
its tombstone, one malformed message), runs `tributary run`, and shows the
documents in OpenSearch, the dead-letter queue and the committed offsets.
"""
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))

from harness import Kafka, OpenSearch, Worker, connector, wait_until  # noqa: E402
from workload import envelope, key  # noqa: E402

TOPIC = "dbserver1.inventory.products"
DLQ = "tributary-demo-dlq"


def main() -> int:
    kafka = Kafka(brokers=3).start([(TOPIC, 3), (DLQ, 1)])
    opensearch = OpenSearch().start()
    work = Path(tempfile.mkdtemp(prefix="tributary-demo-"))
    print(f"Kafka (librdkafka mock cluster): {kafka.bootstrap}")
    print(f"OpenSearch (osmem-server):       {opensearch.url}")
    try:
        lsn = 1000
        records = []

        def change(op, row_id, before, after):
            nonlocal lsn
            lsn += 16
            records.append({"partition": row_id % 3, "key": key(row_id, True),
                            "value": envelope(op, before, after, lsn, "products", True, snapshot=op == "r")})

        for i in range(1, 6):
            change("r", i, None, {"id": i, "name": f"widget {i}", "stock": 10 * i, "price": f"{i}.99"})
        change("c", 6, None, {"id": 6, "name": "gizmo", "stock": 1, "price": "49.00"})
        change("u", 2, None, {"id": 2, "name": "widget 2 (blue)", "stock": 19, "price": "2.49"})
        change("u", 2, None, {"id": 2, "name": "widget 2 (blue)", "stock": 18, "price": "2.49"})
        change("d", 3, {"id": 3, "name": "", "stock": 0, "price": ""}, None)
        records.append({"partition": 0, "key": key(3, True), "value": None})  # the tombstone
        records.append({"partition": 1, "key": key(99, False), "value_raw": "{not json"})  # a poison pill
        kafka.produce(TOPIC, records)
        print(f"Produced {len(records)} Debezium records to {TOPIC} (3 partitions)\n")

        config = connector("demo", kafka, opensearch, TOPIC, **{"errors.deadletterqueue.topic.name": DLQ})
        worker = Worker(config, work).start()
        print(f"Running: tributary run --config {worker.path}")
        wait_until(lambda: kafka.fully_committed("tributary-demo", TOPIC), 60, "offsets committed")
        worker.stop()

        print("\nDocuments in index 'products' (id, external version = source.lsn, document):")
        for doc_id, (version, source) in sorted(opensearch.documents("products").items(), key=lambda kv: int(kv[0])):
            print(f"  {doc_id:>3}  v{version}  {json.dumps(source)}")
        print("\nDead-letter queue:")
        for message in kafka.consume(DLQ):
            h = message["headers"]
            print(f"  {h['__connect.errors.topic']}[{h['__connect.errors.partition']}]@{h['__connect.errors.offset']}: "
                  f"{h['__connect.errors.exception.class.name']}: {h['__connect.errors.exception.message']}")
        print("\nCommitted offsets of group tributary-demo:")
        for p in kafka.offsets("tributary-demo", TOPIC):
            print(f"  partition {p['partition']}: committed {p['committed']} of {p['high']}")
        print(f"\nWorker log: {worker.log}")
        return 0
    finally:
        opensearch.stop()
        kafka.stop()


if __name__ == "__main__":
    sys.exit(main())
