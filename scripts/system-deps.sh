#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real: Chromium for the browser tests.
# Safe to run repeatedly; does nothing when everything is already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "crampwise: Chromium is missing; install the Debian package 'chromium' (browser tests will skip)." >&2
  exit 0
fi
echo "crampwise: installing Debian's chromium for the browser tests…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
