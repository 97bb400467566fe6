"""`tributary dlq replay`: after the cause is fixed, dead-lettered records go
back to their source topic and end up indexed; a dry run changes nothing."""
import subprocess

from harness import BIN, Worker, connector, wait_until
from workload import envelope, key


def replay(worker, *args):
    return subprocess.run([str(BIN / "tributary"), "dlq", "replay", "--config", str(worker.path), *args],
                          capture_output=True, text=True, timeout=60)


def test_replay_after_fixing_the_mapping(kafka, opensearch, tmp_path):
    topic, dlq = "pg.inventory.widgets", "widgets-dlq"
    kafka.control(f"topic {topic} 2")
    kafka.control(f"topic {dlq} 1")
    opensearch.request("PUT", "/widgets", {"mappings": {"dynamic": "strict", "properties": {
        "id": {"type": "integer"}, "name": {"type": "keyword"}}}})
    records, expected = [], {}
    for i in range(1, 41):
        row = {"id": i, "name": f"w{i}"}
        if i % 10 == 0:
            row["color"] = "red"  # a column the strict mapping does not know yet
        expected[str(i)] = row
        records.append({"partition": i % 2, "key": key(i, False), "value": envelope("c", None, row, 100 + i, "widgets", False),
                        "headers": {"trace-id": f"t{i}"}})
    kafka.produce(topic, records)
    config = connector("e2e-replay-dlq", kafka, opensearch, topic, **{"errors.deadletterqueue.topic.name": dlq})
    worker = Worker(config, tmp_path).start()
    group = "tributary-e2e-replay-dlq"
    wait_until(lambda: kafka.fully_committed(group, topic), 60, "first pass committed")
    assert len(kafka.consume(dlq)) == 4
    assert len(opensearch.documents("widgets")) == 36

    dry = replay(worker, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.count("would send") == 4 and "strict_dynamic_mapping_exception" in dry.stdout
    assert f"-> {topic}[0]" in dry.stdout
    assert kafka.offsets(group + "-dlq-replay", dlq)[0]["committed"] is None, "a dry run commits nothing"

    # The fix: the mapping learns the new column. Then replay while the worker runs.
    opensearch.request("PUT", "/widgets/_mapping", {"properties": {"color": {"type": "keyword"}}})
    done = replay(worker)
    assert done.returncode == 0, done.stderr
    assert "replayed 4 records" in done.stdout
    wait_until(lambda: len(opensearch.documents("widgets")) == 40, 60, "replayed records indexed")
    wait_until(lambda: kafka.fully_committed(group, topic), 60, "replayed records committed")
    assert {i: d[1] for i, d in opensearch.documents("widgets").items()} == expected
    # Original headers travel back; error context does not.
    replayed = [m for m in kafka.consume(topic) if m["offset"] >= 20]
    assert len(replayed) == 4
    assert all(m["headers"].get("trace-id") and not any(h.startswith("__connect") for h in m["headers"]) for m in replayed)
    # A second replay finds nothing new.
    again = replay(worker)
    assert again.returncode == 0 and "replayed 0 records" in again.stdout
    assert worker.stop() == 0, worker.output()[-3000:]
