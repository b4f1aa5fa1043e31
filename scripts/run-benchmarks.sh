#!/usr/bin/env bash
# Runs the programs of bench/ on the bundled sample and on a synthetic RetailRocket-sized log,
# a few times each (this machine's timings vary run to run), plus the pandas reference.
# Usage: scripts/run-benchmarks.sh BUILD_DIR [RUNS]. Output goes to stdout; the figures in
# docs/PERFORMANCE.md come from it.
set -euo pipefail
build=$1
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
data="$build/bench-data"
mkdir -p "$data"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "threads: 1 unless a section says AISLE_THREADS=2; OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

[[ -f "$data/online-retail.csv" ]] || zstd -qdc "$root/data/sample/online-retail.csv.zst" > "$data/online-retail.csv"
[[ -f "$data/rr/events.csv" ]] || "$build/aisle" synth --users 1407580 --items 235061 --events 2756101 --seed 1 --out "$data/rr" >/dev/null

section() { printf '\n== %s\n' "$*"; }
repeat() { for ((i = 1; i <= runs; i++)); do "$@"; done; }

section "parse + map + aggregate: Online Retail, plain CSV"
repeat "$build/bench/bench_ingest" online-retail "$data/online-retail.csv"
section "parse + map + aggregate: Online Retail, zstd-compressed (as bundled)"
repeat "$build/bench/bench_ingest" online-retail "$root/data/sample/online-retail.csv.zst"
section "parse + map + aggregate: Online Retail, zstd-compressed, AISLE_THREADS=2 (read-ahead thread)"
AISLE_THREADS=2 repeat "$build/bench/bench_ingest" online-retail "$root/data/sample/online-retail.csv.zst"
section "parse + map + aggregate: synthetic RetailRocket-sized log (2.76M events, 1.4M users, 235k items)"
repeat "$build/bench/bench_ingest" retailrocket "$data/rr/events.csv"

section "pandas reference: Online Retail, plain CSV"
repeat /usr/bin/python3 "$root/bench/pandas_online_retail.py" "$data/online-retail.csv"

section "store load: SQLite"
for ((i = 1; i <= 3; i++)); do
  rm -f "$data/bench.db"*
  "$build/bench/bench_store" "sqlite:$data/bench.db" online-retail "$data/online-retail.csv"
  rm -f "$data/bench.db"*
  "$build/bench/bench_store" "sqlite:$data/bench.db" retailrocket "$data/rr/events.csv"
done
rm -f "$data/bench.db"*

section "store load: PostgreSQL (COPY), throwaway local server"
"$root/scripts/with-postgres.sh" bash -c '
  for i in 1 2 3; do
    for spec in "online-retail '"$data"'/online-retail.csv" "retailrocket '"$data"'/rr/events.csv"; do
      db=bench_$RANDOM$RANDOM
      psql -q "$AISLE_TEST_POSTGRES_URL" -c "CREATE DATABASE $db"
      "'"$build"'/bench/bench_store" "${AISLE_TEST_POSTGRES_URL%/*}/$db" $spec
      psql -q "$AISLE_TEST_POSTGRES_URL" -c "DROP DATABASE $db"
    done
  done'

section "append (live feedback): SQLite, 1M events preloaded, one writer thread"
for ((i = 1; i <= 3; i++)); do
  rm -f "$data/append.db"*
  "$build/bench/bench_append" "sqlite:$data/append.db" 5 1000000 1,10,100,1000
done
rm -f "$data/append.db"*

section "append (live feedback): PostgreSQL with fsync on (commits reach the disk), 1M events preloaded"
AISLE_PG_FSYNC=on "$root/scripts/with-postgres.sh" bash -c '
  for i in 1 2 3; do
    db=bench_$RANDOM$RANDOM
    psql -q "$AISLE_TEST_POSTGRES_URL" -c "CREATE DATABASE $db"
    "'"$build"'/bench/bench_append" "${AISLE_TEST_POSTGRES_URL%/*}/$db" 5 1000000 1,10,100,1000
    psql -q "$AISLE_TEST_POSTGRES_URL" -c "DROP DATABASE $db"
  done'

section "models: fit and batch top-10, 100k users x 50k items x ~4.9M nonzeros, AISLE_THREADS=2"
[[ -f "$data/m1/events.csv" ]] || "$build/aisle" synth --users 100000 --items 50000 --events 8300000 --seed 1 --out "$data/m1" >/dev/null
AISLE_THREADS=2 "$build/bench/bench_models" retailrocket "$data/m1/events.csv"  # 2x/4x shapes: docs/PERFORMANCE.md

section "approximate index (hnswlib) against the exact top 10: 1x shape, als:factors=64, queries on 1 thread"
"$build/bench/bench_ann" --data "$data/m1" --users 100000 --items 50000 --events 8300000 --seed 1 --ef 50,100,200

section "evaluation: every model at its defaults on the Online Retail reference split (../shared/splits), AISLE_THREADS=2"
splits="$root/../shared/splits/online-retail-uci"
if [[ -f "$splits/train.csv.zst" ]]; then
  for ((i = 1; i <= 3; i++)); do AISLE_THREADS=2 "$build/bench/bench_evaluate" "$splits/train.csv.zst" "$splits/test.csv.zst"; done
else
  echo "skipped: $splits not found"
fi
