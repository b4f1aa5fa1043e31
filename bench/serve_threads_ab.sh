#!/usr/bin/env bash
# Alternates `serve.http_threads` A and B (default 32 and 16) on the synth serving data that
# bench/bench_serve.sh BUILD synth prepares (run that first), one wrk run of DURATION seconds
# each, ROUNDS rounds. Loopback only; every run is bounded.
#   bench/serve_threads_ab.sh BUILD_DIR [A] [B] [ROUNDS]
set -euo pipefail
build=$(cd "$1" && pwd)
a=${2:-32}
b=${3:-16}
rounds=${4:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
data="$build/bench-data/serve"
port=${PORT:-18090}
duration=${DURATION:-8}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
[[ -f "$data/synth.aislemodel" ]] || { echo "run bench/bench_serve.sh $1 synth first" >&2; exit 2; }
pid=
trap '[[ -n "$pid" ]] && kill -TERM $pid 2>/dev/null || true' EXIT
for ((r = 1; r <= rounds; r++)); do
  for t in "$a" "$b"; do
    printf '[serve]\nhttp_threads = %s\n' "$t" > "$data/threads-$t.toml"
    "$build/aisle" serve --store "sqlite:$data/synth.db" --model "$data/synth.aislemodel" \
      --listen "127.0.0.1:$port" --config "$data/threads-$t.toml" 2>"$data/serve.log" &
    pid=$!
    for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
    for _ in $(seq 1 600); do
      [[ "$(curl -sf "http://127.0.0.1:$port/api/model" | grep -o '"cache_depth":[0-9]*' | cut -d: -f2)" != "0" ]] && break
      sleep 0.2
    done
    printf 'http_threads=%s  ' "$t"
    USERS_FILE="$data/synth-users.txt" wrk -t2 -c16 -d"${duration}s" -s "$root/bench/wrk/recommend.lua" \
      "http://127.0.0.1:$port" | tail -1
    kill -TERM "$pid"; wait "$pid" || true; pid=
  done
done
