#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the tests (Debian's postgresql package), on loopback,
# and print its SQLAlchemy URL. Used by .ci/run; safe to run again (reuses a running server).
#   usage: scripts/start_postgres.sh [DIR] [PORT]
set -euo pipefail
DIR="${1:-/tmp/atlas-pg}"
PORT="${2:-54329}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$BIN" ]; then
  echo "PostgreSQL server not installed (apt-get install postgresql)" >&2
  exit 1
fi
run() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ ! -f "$DIR/PG_VERSION" ]; then
  mkdir -p "$DIR"
  [ "$(id -u)" = "0" ] && chown postgres "$DIR"
  run "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! run "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  run "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k /tmp" start >/dev/null
fi
run "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
  "SELECT 1 FROM pg_roles WHERE rolname='atlas'" | grep -q 1 \
  || run "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE ROLE atlas LOGIN PASSWORD 'atlas' CREATEDB"
echo "postgresql+psycopg://atlas:atlas@127.0.0.1:$PORT/postgres"
