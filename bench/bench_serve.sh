#!/usr/bin/env bash
# Load test of `aisle serve` with wrk on this machine (loopback only; bounded: each run lasts
# DURATION seconds). Prints requests/s and latency percentiles for GET /api/recommendations of
# random known users, and acknowledged feedback events/s (single events and batches of 100),
# with the server's memory.
#   bench/bench_serve.sh BUILD_DIR [retail|synth|feedback|experiment|all] [RUNS]
# retail: the bundled Online Retail sample, default recommender; synth: `aisle synth` 100k users
# x 50k items, 8.4M events (about 5M user-item pairs) with als:factors=64; feedback: SQLite (and PostgreSQL when
# AISLE_BENCH_POSTGRES_URL is set) on the retail store; experiment: the retail recommendations with
# every visitor in a two-arm A/B experiment (each answer logged as an impression before it is sent)
# and without, alternated run by run.
set -euo pipefail
build=$(cd "$1" && pwd)
what=${2:-all}
runs=${3:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
aisle="$build/aisle"
data="$build/bench-data/serve"
mkdir -p "$data"
duration=${DURATION:-10}
connections=${CONNECTIONS:-16}
port=${PORT:-18080}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

echo "machine: $(getconf _NPROCESSORS_ONLN) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "wrk: 2 threads, $connections connections, ${duration} s per run, on the same machine as the server"

server_pid=
start_server() {  # STORE MODEL [extra flags]
  "$aisle" serve --store "$1" --model "$2" --listen "127.0.0.1:$port" "${@:3}" 2>"$data/serve.log" &
  server_pid=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  # The top-list cache is built after the model is in service: wait for it (cache_depth > 0).
  for _ in $(seq 1 600); do
    [[ "$(curl -sf "http://127.0.0.1:$port/api/model" | grep -o '"cache_depth":[0-9]*' | cut -d: -f2)" != "0" ]] && break
    sleep 0.2
  done
}
stop_server() {
  echo "server memory: $(grep -E 'VmRSS|VmHWM' /proc/$server_pid/status | tr -s ' \t' ' ' | tr '\n' ' ')"
  kill -TERM "$server_pid"; wait "$server_pid" || true
}
trap '[[ -n "$server_pid" ]] && kill -TERM $server_pid 2>/dev/null || true' EXIT

run_wrk() {  # SCRIPT
  for ((i = 1; i <= runs; i++)); do
    wrk -t2 -c"$connections" -d"${duration}s" -s "$root/bench/wrk/$1" "http://127.0.0.1:$port" | tail -1
  done
}

users_of() {  # STORE OUT: known user ids (at most 100,000)
  "$aisle" export --store "$1" --out "$data/pairs.csv" >/dev/null
  tail -n +2 "$data/pairs.csv" | cut -d, -f1 | sort -u | head -100000 > "$2"
}

if [[ $what == retail || $what == all || $what == feedback || $what == experiment ]]; then
  if [[ ! -f "$data/retail.aislemodel" ]]; then
    rm -f "$data/retail.db"*
    "$aisle" ingest online-retail "$root/data/sample/online-retail.csv.zst" --store "sqlite:$data/retail.db" >/dev/null
    "$aisle" train --store "sqlite:$data/retail.db" --out "$data/retail.aislemodel" --threads 2 >/dev/null
    users_of "sqlite:$data/retail.db" "$data/retail-users.txt"
    tail -n +2 "$data/pairs.csv" | cut -d, -f2 | sort -u > "$data/retail-items.txt"
  fi
fi

if [[ $what == retail || $what == all ]]; then
  start_server "sqlite:$data/retail.db" "$data/retail.aislemodel"
  printf '\n== GET /api/recommendations, Online Retail sample, default recommender (%s)\n' \
    "$(curl -sf "http://127.0.0.1:$port/api/model" | grep -o '"spec":"[^"]*"')"
  USERS_FILE="$data/retail-users.txt" run_wrk recommend.lua
  stop_server
fi

if [[ $what == synth || $what == all ]]; then
  if [[ ! -f "$data/synth.aislemodel" ]]; then
    "$aisle" synth --users 100000 --items 50000 --events 8400000 --seed 1 --out "$data/synth" >/dev/null
    rm -f "$data/synth.db"*
    "$aisle" ingest retailrocket "$data/synth/events.csv" --store "sqlite:$data/synth.db" >/dev/null
    "$aisle" train --store "sqlite:$data/synth.db" --model als:factors=64 --out "$data/synth.aislemodel" --threads 2 >/dev/null
    users_of "sqlite:$data/synth.db" "$data/synth-users.txt"
  fi
  start_server "sqlite:$data/synth.db" "$data/synth.aislemodel"
  printf '\n== GET /api/recommendations, synth 100k users x 50k items, 8.4M events, als:factors=64 (%s)\n' \
    "$(curl -sf "http://127.0.0.1:$port/api/model" | grep -o '"training_pairs":[0-9]*')"
  USERS_FILE="$data/synth-users.txt" run_wrk recommend.lua
  stop_server
  printf '\n== the same without the top-list cache (exact full-catalog path for every request)\n'
  printf '[serve]\ncache_depth = 0\n' > "$data/nocache.toml"
  start_server "sqlite:$data/synth.db" "$data/synth.aislemodel" --config "$data/nocache.toml"
  USERS_FILE="$data/synth-users.txt" run_wrk recommend.lua
  stop_server
fi

if [[ $what == experiment || $what == all ]]; then
  # Arms: the serving model and popularity; traffic 1, so every known user is in the experiment.
  printf '[experiments.bench]\n[[experiments.bench.arms]]\nname = "control"\nmodel = "serving"\n' > "$data/experiment.toml"
  printf '[[experiments.bench.arms]]\nname = "pop"\nmodel = "popularity:by=users"\n' >> "$data/experiment.toml"
  printf '\n== GET /api/recommendations, Online Retail sample: without an experiment (a) and every request in a\n'
  printf '   two-arm experiment, its impression committed to SQLite before the answer (b); runs alternated\n'
  for ((r = 1; r <= runs; r++)); do
    rm -f "$data/experiment.db"*; cp "$data/retail.db" "$data/experiment.db"
    start_server "sqlite:$data/experiment.db" "$data/retail.aislemodel"
    printf 'a: '; USERS_FILE="$data/retail-users.txt" runs=1 run_wrk recommend.lua
    stop_server
    rm -f "$data/experiment.db"*; cp "$data/retail.db" "$data/experiment.db"
    start_server "sqlite:$data/experiment.db" "$data/retail.aislemodel" --config "$data/experiment.toml"
    printf 'b: '; USERS_FILE="$data/retail-users.txt" runs=1 run_wrk recommend.lua
    echo "impressions logged: $(curl -sf "http://127.0.0.1:$port/api/experiments/bench" | grep -o '"impressions":[0-9]*' | head -1)"
    stop_server
  done
fi

if [[ $what == feedback || $what == all ]]; then
  stores=("sqlite:$data/feedback.db")
  [[ -n "${AISLE_BENCH_POSTGRES_URL:-}" ]] && stores+=("$AISLE_BENCH_POSTGRES_URL")
  for store in "${stores[@]}"; do
    [[ $store == sqlite:* ]] && { rm -f "$data/feedback.db"*; cp "$data/retail.db" "$data/feedback.db"; }
    [[ $store == postgresql:* ]] && "$aisle" ingest online-retail "$root/data/sample/online-retail.csv.zst" --store "$store" >/dev/null
    for batch in 1 100; do
      printf '\n== POST /api/feedback, %s events per request, %s\n' "$batch" "${store%%:*}"
      start_server "$store" "$data/retail.aislemodel"
      BATCH=$batch USERS_FILE="$data/retail-users.txt" ITEMS_FILE="$data/retail-items.txt" run_wrk feedback.lua
      stop_server
    done
  done
fi
