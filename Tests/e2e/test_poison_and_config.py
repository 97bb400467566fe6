"""Poison pills reach the DLQ with their context; bad config fails naming the key."""
import subprocess

from harness import BIN, Worker, connector, wait_until
from test_pipeline import progress_counters
from workload import envelope, key


def test_poison_pills_go_to_the_dlq_and_do_not_stall(kafka, opensearch, tmp_path):
    topic, dlq = "pg.inventory.gadgets", "gadgets-dlq"
    kafka.control(f"topic {topic} 3")
    kafka.control(f"topic {dlq} 1")
    # The index exists with a mapping that rejects a non-numeric weight.
    opensearch.request("PUT", "/gadgets", {"mappings": {"properties": {"weight": {"type": "float"}}}})
    records, good = [], {}
    lsn = 5000
    for i in range(1, 301):
        lsn += 10
        row = {"id": i, "name": f"gadget {i}", "weight": i / 10}
        if i % 50 == 0:
            row["weight"] = "heavy"  # the mapping rejects this document
        else:
            good[str(i)] = row
        records.append({"partition": i % 3, "key": key(i, False), "value": envelope("c", None, row, lsn, "gadgets", False)})
        if i % 60 == 0:
            records.append({"partition": i % 3, "key": key(9000 + i, False), "value_raw": '{"payload": {"op": "c", "after": {'})
    kafka.produce(topic, records)

    worker = Worker(connector("e2e-poison", kafka, opensearch, topic,
                              **{"errors.deadletterqueue.topic.name": dlq}), tmp_path).start()
    try:
        wait_until(lambda: kafka.fully_committed("tributary-e2e-poison", topic), 120, "all offsets committed")
    finally:
        assert worker.stop() == 0, worker.output()[-3000:]

    docs = opensearch.documents("gadgets")
    assert set(docs) == set(good)
    assert all(docs[i][1] == good[i] for i in good)

    dead = kafka.consume(dlq)
    assert len(dead) == 6 + 5, [d["headers"].get("__connect.errors.exception.message") for d in dead]
    mapping = [d for d in dead if d["headers"].get("__tributary.errors.opensearch.status") == "400"]
    malformed = [d for d in dead if "malformed-value" in d["headers"].get("__connect.errors.exception.class.name", "")]
    assert len(mapping) == 6 and len(malformed) == 5
    for d in dead:
        h = d["headers"]
        assert h["__connect.errors.topic"] == topic
        assert int(h["__connect.errors.partition"]) in (0, 1, 2)
        assert h["__connect.errors.offset"].isdigit()
        assert h["__connect.errors.exception.message"]
    # The original bytes are kept.
    assert any(d["value"] == '{"payload": {"op": "c", "after": {' for d in malformed)
    assert all('"heavy"' in d["value"] for d in mapping)
    assert progress_counters(worker.output())["dlq"] == 11


def test_poison_without_dlq_stops_with_a_clear_error(kafka, opensearch, tmp_path):
    topic = "pg.inventory.broken"
    kafka.control(f"topic {topic} 1")
    kafka.produce(topic, [{"partition": 0, "key": key(1, False), "value_raw": "not json"}])
    worker = Worker(connector("e2e-nodlq", kafka, opensearch, topic), tmp_path).start()
    code = worker.proc.wait(60)
    assert code != 0
    out = worker.output()
    assert "can never be indexed" in out and "errors.deadletterqueue.topic.name" in out
    parts = kafka.offsets("tributary-e2e-nodlq", topic)
    assert parts[0]["committed"] in (None, 0), "nothing past the poison pill is committed"


def run_cli(*args, env=None):
    return subprocess.run([str(BIN / "tributary"), *args], capture_output=True, text=True, timeout=30, env=env)


def test_config_mistakes_fail_at_start_naming_the_key(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "bad", "config": {"topics": "t", "kafka.bootstrap.servers": "127.0.0.1:1",'
                   ' "connection.url": "http://127.0.0.1:1", "batch.size": "many"}}')
    for command in ("validate", "run"):
        result = run_cli(command, "--config", str(bad))
        assert result.returncode == 2, result
        assert "'batch.size'" in result.stderr and "expected an integer" in result.stderr, result.stderr

    typo = tmp_path / "typo.json"
    typo.write_text('{"name": "typo", "config": {"topics": "t", "kafka.bootstrap.servers": "127.0.0.1:1",'
                    ' "connection.url": "http://127.0.0.1:1", "behavior.on.null.value": "ignore"}}')
    result = run_cli("validate", "--config", str(typo))
    assert result.returncode == 2 and "'behavior.on.null.value'" in result.stderr and "unknown key" in result.stderr

    # kafka.* keys are checked by librdkafka itself at start (no connection made).
    rd = tmp_path / "rd.json"
    rd.write_text('{"name": "rd", "config": {"topics": "t", "kafka.bootstrap.servers": "127.0.0.1:1",'
                  ' "connection.url": "http://127.0.0.1:1", "kafka.security.protocol": "SASL_PLAINTXT"}}')
    result = run_cli("validate", "--config", str(rd))
    assert result.returncode == 2 and "'kafka.security.protocol'" in result.stderr, result.stderr


def test_validate_masks_secrets(tmp_path):
    good = tmp_path / "good.json"
    good.write_text('{"name": "good", "config": {"topics": "t", "kafka.bootstrap.servers": "127.0.0.1:1",'
                    ' "connection.url": "http://127.0.0.1:1", "connection.username": "admin",'
                    ' "connection.password": "${env:TRIBUTARY_TEST_SECRET}"}}')
    import os
    env = dict(os.environ, TRIBUTARY_TEST_SECRET="hunter2-very-secret")
    result = run_cli("validate", "--config", str(good), env=env)
    assert result.returncode == 0, result.stderr
    assert "hunter2-very-secret" not in result.stdout + result.stderr
    assert "connection.password = ********" in result.stdout
    assert "consumer group: tributary-good" in result.stdout
