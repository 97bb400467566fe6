#!/usr/bin/env bash
# Runs scripts/setup.sh when anything the build or the tests need is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if pkg-config --exists rdkafka libcurl 2>/dev/null && command -v kcat >/dev/null && command -v openssl >/dev/null && command -v gcc >/dev/null \
   && python3 -c 'import osmem_server, pytest, confluent_kafka, opensearchpy' 2>/dev/null; then
  exit 0
fi
exec scripts/setup.sh
