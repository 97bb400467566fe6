import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from harness import Kafka, OpenSearch  # noqa: E402


@pytest.fixture
def opensearch():
    server = OpenSearch().start()
    yield server
    server.stop()


@pytest.fixture
def kafka():
    cluster = Kafka(brokers=3).start()
    yield cluster
    cluster.stop()
