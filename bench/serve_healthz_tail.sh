#!/usr/bin/env bash
# Where the serving tail comes from: alternates wrk runs of GET /api/recommendations (cached, the
# synth data of bench/bench_serve.sh BUILD synth) and GET /healthz (no model work at all) against
# one server. Loopback only; ROUNDS x 2 runs of DURATION seconds.
#   bench/serve_healthz_tail.sh BUILD_DIR [ROUNDS]
set -euo pipefail
build=$(cd "$1" && pwd)
rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
data="$build/bench-data/serve"
port=${PORT:-18091}
duration=${DURATION:-8}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
[[ -f "$data/synth.aislemodel" ]] || { echo "run bench/bench_serve.sh $1 synth first" >&2; exit 2; }
"$build/aisle" serve --store "sqlite:$data/synth.db" --model "$data/synth.aislemodel" --listen "127.0.0.1:$port" \
  2>"$data/serve.log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
for _ in $(seq 1 600); do
  [[ "$(curl -sf "http://127.0.0.1:$port/api/model" | grep -o '"cache_depth":[0-9]*' | cut -d: -f2)" != "0" ]] && break
  sleep 0.2
done
for ((r = 1; r <= rounds; r++)); do
  printf 'recommend  '
  USERS_FILE="$data/synth-users.txt" wrk -t2 -c16 -d"${duration}s" -s "$root/bench/wrk/recommend.lua" \
    "http://127.0.0.1:$port" | tail -1
  printf 'healthz    '
  wrk -t2 -c16 -d"${duration}s" --latency "http://127.0.0.1:$port/healthz" | grep -E "Requests/sec| 99%" | tr -s ' \n' ' '
  echo
done
