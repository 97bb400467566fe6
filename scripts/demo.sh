#!/usr/bin/env bash
# Sets up a fresh machine (packages, osmem-server), builds, and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! pkg-config --exists rdkafka libcurl 2>/dev/null || ! python3 -c 'import osmem_server' 2>/dev/null; then
  scripts/setup.sh
fi
swift build
TRIBUTARY_BIN=.build/debug python3 scripts/demo.py
