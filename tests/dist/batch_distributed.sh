#!/usr/bin/env bash
# `mpirun -np N aisle batch --distributed` against `aisle batch` in one process, same model and
# k: the stored recommendations tables hold the same rows (user, position, item; scores within
# 1e-6 relative: which users share a scoring block moves a score by an ulp), on SQLite, and on
# PostgreSQL when AISLE_TEST_POSTGRES_URL is set (make test starts a server).
# Usage: batch_distributed.sh MPIRUN AISLE EVENTS RANKS
set -euo pipefail
mpirun=$1 aisle=$2 events=$3 ranks=$4
dir=$(mktemp -d)
pg_db=""
cleanup() {
  if [[ -n "$pg_db" ]]; then psql -q "$AISLE_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"; fi
  rm -rf "$dir"
}
trap cleanup EXIT
"$aisle" train --model als:factors=16,iterations=3 --events "$events" --threads 1 --seed 5 \
  --out "$dir/m.model" > /dev/null

# Writes batch "one" in one process and batch "ranks" across the ranks into store $1.
run_both() {
  local store=$1
  "$aisle" ingest csv "$events" --store "$store" > /dev/null
  "$aisle" batch --model "$dir/m.model" --store "$store" --k 10 --batch-version one --threads 1 > "$dir/one.log"
  "$mpirun" --allow-run-as-root --oversubscribe -np "$ranks" --mca btl self,tcp --mca btl_tcp_if_include lo \
    --mca oob_tcp_if_include lo "$aisle" batch --distributed --model "$dir/m.model" --store "$store" --k 10 \
    --batch-version ranks --threads 1 > "$dir/ranks.log"
  grep -q "distributed batch: Open MPI.*$ranks ranks" "$dir/ranks.log" || { cat "$dir/ranks.log"; exit 1; }
  if [[ $(grep -c "^batch ranks:" "$dir/ranks.log") -ne 1 ]]; then
    echo "expected one 'batch' line (rank 0 alone prints)"; cat "$dir/ranks.log"; exit 1
  fi
}
# Rows of files $1 and $2 (user|position|item|score) are the same, scores within 1e-6 relative.
same_rows() {
  [[ $(wc -l < "$1") -eq $(wc -l < "$2") ]] || return 1
  paste -d'|' "$1" "$2" | awk -F'|' '{
    d = $4 - $8; if (d < 0) d = -d; m = $4 < 0 ? -$4 : $4
    if ($1 != $5 || $2 != $6 || $3 != $7 || d > 1e-6 * m) { print "differs at line " NR ": " $0; bad = 1; exit }
  } END { exit bad }'
}
rows="SELECT user_id, position, item_id, score FROM recommendations WHERE version = '%s' ORDER BY user_id, position"
batches="SELECT version, k, users, row_count, completed_at IS NOT NULL FROM recommendation_batches ORDER BY version"

db="$dir/s.db"
run_both "sqlite:$db"
sqlite3 "$db" "$(printf "$rows" one)" > "$dir/one.rows"
sqlite3 "$db" "$(printf "$rows" ranks)" > "$dir/ranks.rows"
sqlite3 "$db" "$batches" > "$dir/batches"
[[ -s "$dir/one.rows" ]] || { echo "batch 'one' wrote no rows"; exit 1; }
same_rows "$dir/one.rows" "$dir/ranks.rows" || { echo "sqlite: the $ranks ranks stored other rows"; exit 1; }
users=$(cut -d'|' -f1 "$dir/one.rows" | sort -u | wc -l)
expected="one|10|$users|$(wc -l < "$dir/one.rows")|1
ranks|10|$users|$(wc -l < "$dir/one.rows")|1"
[[ "$(cat "$dir/batches")" == "$expected" ]] || { echo "batches:"; cat "$dir/batches"; echo "expected:"; echo "$expected"; exit 1; }
echo "ok: sqlite, $users users' lists equal with $ranks ranks"

if [[ -n "${AISLE_TEST_POSTGRES_URL:-}" ]]; then
  pg_db="aisle_batch_${ranks}_$$"
  psql -q "$AISLE_TEST_POSTGRES_URL" -c "CREATE DATABASE $pg_db"
  url="${AISLE_TEST_POSTGRES_URL%/*}/$pg_db"
  run_both "$url"
  psql -qAt -F'|' "$url" -c "SET extra_float_digits = 3; $(printf "$rows" one)" > "$dir/pg-one.rows"
  psql -qAt -F'|' "$url" -c "SET extra_float_digits = 3; $(printf "$rows" ranks)" > "$dir/pg-ranks.rows"
  same_rows "$dir/pg-one.rows" "$dir/pg-ranks.rows" || { echo "postgresql: the $ranks ranks stored other rows"; exit 1; }
  same_rows "$dir/pg-one.rows" "$dir/one.rows" ||
    { echo "postgresql and sqlite store other lists"; exit 1; }
  echo "ok: postgresql, the same lists with $ranks ranks"
fi
