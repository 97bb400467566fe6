#!/usr/bin/env bash
# Sets up a fresh machine (packages, osmem-server), builds, and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build
TRIBUTARY_BIN=.build/debug python3 scripts/demo.py
