#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on a free loopback port, exported to it as
# AISLE_TEST_POSTGRES_URL; the server and its data folder are removed afterwards, whatever
# the command's outcome. Usage: scripts/with-postgres.sh COMMAND [ARGS...]
# The server runs with fsync=off (tests need no durability) unless AISLE_PG_FSYNC=on
# (benchmarks of commit latency: bench_append).
set -euo pipefail

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$PGBIN" ]]; then
  echo "with-postgres: no PostgreSQL server binaries in /usr/lib/postgresql (run scripts/deps.sh)" >&2
  exit 1
fi
PGDATA=$(mktemp -d /tmp/aisle-pg.XXXXXX)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres:postgres "$PGDATA"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
}
trap cleanup EXIT

"${as_pg[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --no-sync >/dev/null
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 start \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=${AISLE_PG_FSYNC:-off}" >/dev/null
export AISLE_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
echo "with-postgres: server on 127.0.0.1:$PGPORT" >&2
"$@"
