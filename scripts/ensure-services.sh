#!/usr/bin/env bash
# Start the services the test suite talks to when they are down, then wait until they answer.
# PostgreSQL (the diary in multi-user mode and its tests) and Redis (shared rate-limit counters
# and token replay memory for several workers).
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379

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

redis_up() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  if ! command -v redis-server >/dev/null; then
    echo "ensure-services: Redis is down and redis-server is not installed" >&2
    return 1
  fi
  echo "ensure-services: starting Redis"
  # Nothing is kept on disk: the tests need a cache, not a database.
  redis-server --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no \
    --daemonize yes
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
redis_up || start_redis
wait_until "Redis at $REDIS_HOST:$REDIS_PORT" redis_up
