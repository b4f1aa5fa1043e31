#!/usr/bin/env bash
# `mpirun -np N aisle train --distributed --store URL`, each rank querying its part of the store
# (EventStore::read_part; app/distributed_data.h), against `aisle train --store URL` on one
# process, same seed: the model files are equal byte for byte but for the two times of their
# provenance and the checksum over them. The store holds three loads (the second repeats pairs of
# the first at later times, with weights whose sum depends on the order of summing; the third
# a repeated event and a new user). On SQLite, and on PostgreSQL when AISLE_TEST_POSTGRES_URL is set (make test starts a
# server). Also: a store that is not there fails with the one-process message.
# Usage: train_store.sh MPIRUN AISLE EVENTS(.zst) RANKS
set -euo pipefail
mpirun=$1 aisle=$2 events=$3 ranks=$4
dir=$(mktemp -d)
pg_db=""
cleanup() {
  if [[ -n "$pg_db" ]]; then psql -q "$AISLE_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"; fi
  rm -rf "$dir"
}
trap cleanup EXIT
spec="als:factors=16,iterations=3"
zstdcat -f "$events" > "$dir/events.csv"
# Every third row again on each of the next three days, with weights of other magnitudes and
# non-terminating binary fractions: the pair's sum then depends on the order of its terms.
awk -F, -v OFS=, 'NR == 1 {print; next} NR % 3 == 0 {
  t = $4; $3 = 0.1 * (NR % 7 + 1); $4 = t + 86400; print
  $3 = 3.3e-3 * NR; $4 = t + 2 * 86400; print
  $3 = 1e4 / 3; $4 = t + 3 * 86400; print }' "$dir/events.csv" > "$dir/later.csv"
# A repeated event of a known pair and a new user.
printf 'user,item,weight,timestamp\n12346,23166,2,1295344860\nnew-user,16008,1,1302172980\n' > "$dir/more.csv"

# shellcheck source=tests/dist/fit_compare.sh
source "$(dirname "$0")/fit_compare.sh"

# Fills store $1, fits it both ways and compares; $2 names the backend in messages.
check_store() {
  local store=$1 name=$2
  "$aisle" ingest csv "$dir/events.csv" --store "$store" > /dev/null
  "$aisle" ingest csv "$dir/later.csv" --store "$store" > /dev/null
  "$aisle" ingest csv "$dir/more.csv" --store "$store" > /dev/null
  ranks_train "$dir/$name-ranks.model" --store "$store" ||
    { cat "$dir/$name-ranks.model.log" "$dir/$name-ranks.model.err"; exit 1; }
  one_train "$dir/$name-one.model" --store "$store" || { cat "$dir/$name-one.model.err"; exit 1; }
  grep -q "distributed fit: Open MPI.*$ranks ranks" "$dir/$name-ranks.model.log" ||
    { cat "$dir/$name-ranks.model.log"; exit 1; }
  if grep -q "^note:" "$dir/$name-ranks.model.log"; then
    echo "$name: the store was not queried in parts"; cat "$dir/$name-ranks.model.log"; exit 1
  fi
  same_model "$dir/$name-ranks.model" "$dir/$name-one.model" "$name, $ranks ranks"
  echo "ok: $name, the store read in $ranks parts gives the one-process model"
}

check_store "sqlite:$dir/s.db" sqlite

# A store that is not there: every rank fails, with the one-process message.
if ranks_train "$dir/missing.model" --store "sqlite:$dir/missing.db"; then
  echo "a distributed fit of a missing store succeeded"; exit 1
fi
one_train "$dir/missing-one.model" --store "sqlite:$dir/missing.db" && exit 1
message=$(grep -m1 "missing.db" "$dir/missing-one.model.err")
[[ -n "$message" ]] || { cat "$dir/missing-one.model.err"; exit 1; }
# (Each rank raises it, but mpirun may end the others before they print.)
grep -qF "$message" "$dir/missing.model.err" || { echo "expected '$message'"; cat "$dir/missing.model.err"; exit 1; }

if [[ -n "${AISLE_TEST_POSTGRES_URL:-}" ]]; then
  pg_db="aisle_train_store_${ranks}_$$"
  psql -q "$AISLE_TEST_POSTGRES_URL" -c "CREATE DATABASE $pg_db"
  check_store "${AISLE_TEST_POSTGRES_URL%/*}/$pg_db" postgresql
fi
