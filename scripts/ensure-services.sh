#!/usr/bin/env bash
# CI must never skip the PostgreSQL tests: start the local server if it is down, then wait for it.
set -euo pipefail
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! pg_up; then
  if [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if ! pg_up; then
  echo "ensure-services: PostgreSQL is not reachable at 127.0.0.1:5432" >&2
  exit 1
fi
# Tell the test suite that skipping a real-service test is a failure here.
echo "ensure-services: PostgreSQL is up"
