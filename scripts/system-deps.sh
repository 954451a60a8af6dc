#!/usr/bin/env bash
# Installs the Debian packages the project drives for real: Chromium for the browser tests,
# poppler-utils (pdftoppm) for the clinician report's screenshot, wrk for the API benchmark. Safe to run repeatedly; does nothing when both are there.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "crampwise: missing Debian packages: ${missing[*]} (browser tests skip without chromium;" \
       "the API benchmark falls back to its Python client without wrk)." >&2
  exit 0
fi
echo "crampwise: installing ${missing[*]}…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
