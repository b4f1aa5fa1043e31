#!/usr/bin/env bash
# Serving replicas behind HAProxy, on loopback only (docs/SCALE.md, "Serving replicas"):
#   1. ingests the Online Retail sample into a fresh PostgreSQL database, trains item_knn and
#      publishes it to the store (aisle publish);
#   2. starts REPLICAS `aisle serve` processes on free 127.0.0.1 ports, each loading the newest
#      published model (--model-source store), and HAProxy in front of them (roundrobin, health
#      checks on /healthz every 200 ms, retries with redispatch on connection failures);
#   3. feedback POSTed through HAProxy reaches every replica (p50/max seconds over 20 tries; over
#      1 s fails);
#   4. wrk reads through HAProxy and straight to one replica (requests/s, 5 s each);
#   5. a bounded load (3 recommendation GETs per feedback POST) runs through HAProxy twice: once
#      as it is (requests/s), once with one replica killed by SIGKILL mid-load (the error rate
#      during the kill is printed); every feedback event acknowledged with a 2xx is then in the
#      store, queried with psql.
# Needs AISLE_TEST_POSTGRES_URL (scripts/with-postgres.sh); without it, exits 77 (ctest: skipped).
# Usage: tests/serve/replicas.sh AISLE_BINARY SAMPLE_FILE WORK_DIR
set -euo pipefail

AISLE=$1
SAMPLE=$2
WORK=$3
HERE=$(cd "$(dirname "$0")" && pwd)
REPLICAS=${AISLE_REPLICAS:-3}
REQUESTS=${AISLE_REPLICA_REQUESTS:-6000}
THREADS=${AISLE_REPLICA_CLIENTS:-8}

if [[ -z "${AISLE_TEST_POSTGRES_URL:-}" ]]; then
  echo "replicas: AISLE_TEST_POSTGRES_URL not set (run under scripts/with-postgres.sh); skipped" >&2
  exit 77
fi
command -v haproxy >/dev/null || { echo "replicas: haproxy is not installed (scripts/deps.sh)" >&2; exit 1; }
command -v psql >/dev/null || { echo "replicas: psql is not installed (scripts/deps.sh)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "replicas: wrk is not installed (scripts/deps.sh)" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK"
ADMIN=$AISLE_TEST_POSTGRES_URL
DB=aisle_replicas_$$
URL=${ADMIN%/*}/$DB
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$ADMIN" -qXc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
psql "$ADMIN" -qXc "CREATE DATABASE $DB" >/dev/null
sql() { psql "$URL" -qXAtc "$1"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Waits up to 60 s for URL to answer 200.
wait_ok() {
  for _ in $(seq 600); do
    if curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "replicas: $1 did not answer 200 within 60 s" >&2
  return 1
}

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
"$AISLE" ingest online-retail "$SAMPLE" --store "$URL" >"$WORK/ingest.log" 2>&1
"$AISLE" train --store "$URL" --model item_knn --out "$WORK/model.aislemodel" --threads 1 >"$WORK/train.log" 2>&1
version=$("$AISLE" publish "$WORK/model.aislemodel" --store "$URL" 2>>"$WORK/train.log")
echo "replicas: model published as version $version"

ports=()
for i in $(seq 0 $((REPLICAS - 1))); do
  port=$(free_port)
  "$AISLE" serve --store "$URL" --model-source store --listen "127.0.0.1:$port" --threads 1 \
    2>"$WORK/replica$i.log" &
  pids+=($!)
  ports+=("$port")
done
for port in "${ports[@]}"; do wait_ok "http://127.0.0.1:$port/readyz"; done

HAPORT=$(free_port)
{
  cat <<CFG
global
  maxconn 4000
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  retries 3
  option redispatch
  retry-on conn-failure
frontend aisle
  bind 127.0.0.1:$HAPORT
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /healthz
CFG
  for i in "${!ports[@]}"; do
    echo "  server r$i 127.0.0.1:${ports[$i]} check inter 200ms fall 2 rise 2"
  done
} >"$WORK/haproxy.cfg"
haproxy -c -f "$WORK/haproxy.cfg" >/dev/null
haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
pids+=($!)
wait_ok "http://127.0.0.1:$HAPORT/healthz"
echo "replicas: $REPLICAS replicas on ports ${ports[*]}, haproxy on $HAPORT"

sql "SELECT external_id FROM users ORDER BY idx LIMIT 500" >"$WORK/users.txt"
sql "SELECT external_id FROM items ORDER BY idx LIMIT 500" >"$WORK/items.txt"
item=$(head -1 "$WORK/items.txt")

ports_csv=$(IFS=,; echo "${ports[*]}")
echo "replicas: feedback through haproxy until every replica has it (20 tries):"
python3 "$HERE/replicas_load.py" propagation "$HAPORT" "$ports_csv" 20 "$item"

# Read throughput with a client that is not the bottleneck: wrk (bench/wrk/recommend.lua), 5 s
# through haproxy to the replicas, then 5 s straight to one of them.
for target in "haproxy:$HAPORT" "replica 0:${ports[0]}"; do
  echo "replicas: wrk -t2 -c16 -d5s, recommendations of random known users, through ${target%:*}:"
  USERS_FILE="$WORK/users.txt" wrk -t2 -c16 -d5s -s "$HERE/../../bench/wrk/recommend.lua" \
    "http://127.0.0.1:${target##*:}" | tail -1
done

echo "replicas: $REQUESTS requests through haproxy, $THREADS clients:"
python3 "$HERE/replicas_load.py" load "$HAPORT" "$REQUESTS" "$THREADS" "$WORK/users.txt" "$WORK/items.txt" \
  "$WORK/acked-warm.txt"

victim=${pids[1]}
echo "replicas: $REQUESTS requests again, replica 1 (pid $victim) killed with SIGKILL after $((REQUESTS * 2 / 5)):"
python3 "$HERE/replicas_load.py" load "$HAPORT" "$REQUESTS" "$THREADS" "$WORK/users.txt" "$WORK/items.txt" \
  "$WORK/acked.txt" "$victim" $((REQUESTS * 2 / 5)) | tee "$WORK/kill.json"
if kill -0 "$victim" 2>/dev/null; then echo "replicas: the replica was not killed" >&2; exit 1; fi

# Every acknowledged event is in the store, once.
cat "$WORK/acked-warm.txt" "$WORK/acked.txt" | sort >"$WORK/acked-all.txt"
sql "SELECT u.external_id FROM events e JOIN users u ON u.idx = e.user_idx WHERE u.external_id LIKE 'load-%'" |
  sort >"$WORK/stored.txt"
missing=$(comm -23 "$WORK/acked-all.txt" <(sort -u "$WORK/stored.txt") | wc -l)
duplicates=$(uniq -d "$WORK/stored.txt" | wc -l)
acked=$(wc -l <"$WORK/acked-all.txt")
echo "replicas: $acked feedback events acknowledged, $missing of them missing from the store, $duplicates stored twice"
[[ "$missing" -eq 0 ]] || { echo "replicas: acknowledged feedback was lost" >&2; exit 1; }
[[ "$duplicates" -eq 0 ]] || { echo "replicas: feedback was stored twice" >&2; exit 1; }
[[ "$acked" -gt 0 ]] || { echo "replicas: no feedback was acknowledged" >&2; exit 1; }
# The surviving replicas still answer through haproxy.
wait_ok "http://127.0.0.1:$HAPORT/readyz"
echo "replicas: ok"
