#!/usr/bin/env bash
# Start the services the test suite talks to when they are down, then wait until they answer.
# PostgreSQL is the only one: nothing in crampwise uses another service.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null || [ ! -d /etc/postgresql ]; then
    echo "ensure-services: PostgreSQL is down and no Debian cluster is installed to start" >&2
    return 1
  fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  echo "ensure-services: starting PostgreSQL $version"
  # A cluster that is already starting refuses a second start; the wait below decides.
  pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
    echo "ensure-services: pg_ctlcluster start failed; waiting for the server anyway" >&2
}

wait_until() {
  local what="$1" check="$2"
  for _ in $(seq 1 30); do
    if "$check"; then
      echo "ensure-services: $what is up"
      return 0
    fi
    sleep 1
  done
  echo "ensure-services: $what is not reachable after 30 s" >&2
  return 1
}

pg_up || start_postgres
wait_until "PostgreSQL at $PG_HOST:$PG_PORT" pg_up
