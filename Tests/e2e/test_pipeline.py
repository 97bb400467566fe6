"""End to end: the worker process against the mock Kafka cluster and osmem-server."""
import random
import re
import time

import pytest

from harness import Worker, connector, wait_until
from workload import generate

GROUP = "tributary-{}"


def expected_docs(workload):
    return {i: (version, doc) for i, (version, doc) in workload.expected.items()}


def assert_index_exact(opensearch, workload):
    actual = opensearch.documents(workload.table)
    expected = expected_docs(workload)
    missing = sorted(set(expected) - set(actual), key=int)[:10]
    extra = sorted(set(actual) - set(expected), key=int)[:10]
    assert not missing and not extra, f"missing ids {missing}, unexpected ids {extra}"
    wrong = [(i, actual[i], expected[i]) for i in expected if actual[i] != expected[i]][:5]
    assert not wrong, f"documents differ (id, actual, expected): {wrong}"


def load(kafka, workload):
    kafka.control(f"topic {workload.topic} {workload.partitions}")
    kafka.produce(workload.topic, workload.records)


def test_six_partitions_end_state_is_exact(kafka, opensearch, tmp_path):
    """Thousands of snapshot reads, inserts, updates of the same ids, deletes
    with tombstones: the index equals the final table state (ids, versions,
    fields) and the committed offsets equal the end offsets."""
    workload = generate(seed=1, ids=1500, changes=3500)
    load(kafka, workload)
    worker = Worker(connector("e2e-exact", kafka, opensearch, workload.topic), tmp_path).start()
    try:
        wait_until(lambda: kafka.fully_committed(GROUP.format("e2e-exact"), workload.topic), 120,
                   "all offsets committed")
        assert_index_exact(opensearch, workload)
    finally:
        code = worker.stop()
    assert code == 0, worker.output()[-3000:]
    assert "connector stopped" in worker.output()


def test_killed_repeatedly_mid_stream_still_exact(kafka, opensearch, tmp_path):
    """SIGKILL several times mid-stream and restart: the index is still exact."""
    workload = generate(seed=2, ids=1500, changes=4500)
    load(kafka, workload)
    config = connector("e2e-crash", kafka, opensearch, workload.topic, **{"batch.size": 200, "max.in.flight.requests": 2})
    worker = Worker(config, tmp_path)
    rng = random.Random(7)
    kills = 0
    for _ in range(4):
        worker.start()
        time.sleep(rng.uniform(1.0, 2.5))
        if kafka.fully_committed(GROUP.format("e2e-crash"), workload.topic):
            break
        worker.kill()
        kills += 1
    assert kills >= 2, "the workload finished before the worker could be killed twice; make it larger"
    worker.start()
    try:
        wait_until(lambda: kafka.fully_committed(GROUP.format("e2e-crash"), workload.topic), 180, "all offsets committed")
        assert_index_exact(opensearch, workload)
    finally:
        assert worker.stop() == 0, worker.output()[-3000:]


def test_replay_from_the_beginning_changes_nothing(kafka, opensearch, tmp_path):
    """Everything consumed again from offset 0: versions make every write a
    no-op (409 = stale, counted as success), nothing reaches the DLQ."""
    workload = generate(seed=3, ids=800, changes=1200)
    load(kafka, workload)
    kafka.control("topic e2e-replay-dlq 1")
    first = Worker(connector("e2e-replay-1", kafka, opensearch, workload.topic,
                             **{"errors.deadletterqueue.topic.name": "e2e-replay-dlq"}), tmp_path).start()
    wait_until(lambda: kafka.fully_committed(GROUP.format("e2e-replay-1"), workload.topic), 120, "first pass committed")
    assert first.stop() == 0
    before = opensearch.documents(workload.table)
    assert_index_exact(opensearch, workload)

    # A new consumer group starts at the beginning: a full replay.
    second = Worker(connector("e2e-replay-2", kafka, opensearch, workload.topic,
                              **{"errors.deadletterqueue.topic.name": "e2e-replay-dlq"}), tmp_path).start()
    wait_until(lambda: kafka.fully_committed(GROUP.format("e2e-replay-2"), workload.topic), 120, "replay committed")
    assert second.stop() == 0
    assert opensearch.documents(workload.table) == before
    assert kafka.consume("e2e-replay-dlq") == []
    final = progress_counters(second.output())
    assert final["indexed"] == 0, final
    assert final["stale"] > 0, final
    assert final["dlq"] == 0, final


def progress_counters(log: str) -> dict:
    """The counters of the last `progress` summary line of a worker log."""
    lines = [line for line in log.splitlines() if " progress" in line and "consumed=" in line]
    assert lines, "no progress line in the log"
    counters = {}
    for token in lines[-1].split():
        if "=" in token:
            k, _, v = token.partition("=")
            if v.isdigit():
                counters[k] = int(v)
    return counters


def last_summary(output):
    """The counters of the worker's last progress line."""
    line = [line for line in output.splitlines() if "bulks=" in line][-1]
    return {key: int(value) for key, value in re.findall(r"\b(bulks|indexed|deleted|stale)=(\d+)", line)}


@pytest.mark.parametrize("limits, per_bulk", [({"batch.size": 7}, 7), ({"batch.max.bytes": 2048}, 20)])
def test_bulks_cut_by_count_and_by_bytes_stay_exact(kafka, opensearch, tmp_path, limits, per_bulk):
    """Bulks cut by `batch.size` or by `batch.max.bytes` (2 KB holds well under
    20 items of this workload): every document lands, exactly, and the number
    of bulk requests shows the limit held."""
    name = "e2e-cut-" + "-".join(k.replace(".", "") for k in limits)
    workload = generate(seed=5, ids=300, changes=700)
    load(kafka, workload)
    worker = Worker(connector(name, kafka, opensearch, workload.topic, **limits), tmp_path).start()
    try:
        wait_until(lambda: kafka.fully_committed(GROUP.format(name), workload.topic), 120, "all offsets committed")
        assert_index_exact(opensearch, workload)
    finally:
        code = worker.stop()
    assert code == 0, worker.output()[-3000:]
    counts = last_summary(worker.output())
    written = counts["indexed"] + counts["deleted"] + counts["stale"]
    assert counts["bulks"] * per_bulk >= written, counts
