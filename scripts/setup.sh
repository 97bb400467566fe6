#!/usr/bin/env bash
# Installs what building and testing Tributary needs on Debian (run as root,
# or with sudo available). Idempotent.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq librdkafka-dev libcurl4-openssl-dev kcat pkg-config openssl gcc >/dev/null
python3 -m pip install -q --disable-pip-version-check osmem-server pytest confluent-kafka opensearch-py
