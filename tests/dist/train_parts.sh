#!/usr/bin/env bash
# `mpirun -np N aisle train --distributed` with each rank reading its byte range of a plain file
# (app/distributed_data.h) against `aisle train` on one process, same file and seed: the model
# files are equal byte for byte but for the two times of their provenance (when fitted, when
# read) and the checksum over them. Also: a malformed row in the last rank's part fails with the
# file's own line number; a file of fewer rows than ranks; a compressed file (rank 0 reads it
# whole, with a note).
# Usage: train_parts.sh MPIRUN AISLE EVENTS(.zst) RANKS
set -euo pipefail
mpirun=$1 aisle=$2 events=$3 ranks=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
spec="als:factors=16,iterations=3"
zstdcat -f "$events" > "$dir/events.csv"

# shellcheck source=tests/dist/fit_compare.sh
source "$(dirname "$0")/fit_compare.sh"

# 1. A plain file read in parts equals the one-process fit.
ranks_train "$dir/parts.model" --events "$dir/events.csv" || { cat "$dir/parts.model.log" "$dir/parts.model.err"; exit 1; }
one_train "$dir/one.model" --events "$dir/events.csv"
grep -q "distributed fit: Open MPI.*$ranks ranks" "$dir/parts.model.log" || { cat "$dir/parts.model.log"; exit 1; }
grep -q "input read in parts, MB per rank: rank 0 " "$dir/parts.model.log" || { cat "$dir/parts.model.log"; exit 1; }
if grep -q "^note:" "$dir/parts.model.log"; then echo "a plain file was not read in parts"; cat "$dir/parts.model.log"; exit 1; fi
same_model "$dir/parts.model" "$dir/one.model" "plain file, $ranks ranks"

# 2. A compressed file: rank 0 reads it whole, says so, and the model is the same.
ranks_train "$dir/zst.model" --events "$events"
grep -q "^note: .*compressed, so rank 0 reads it whole" "$dir/zst.model.log" || { cat "$dir/zst.model.log"; exit 1; }
same_model "$dir/zst.model" "$dir/one.model" "compressed file, $ranks ranks"

# 3. Fewer rows than ranks: some parts are empty.
printf 'user,item,weight,timestamp\na,x,1,1295344860\nb,y,2,1295344861\n' > "$dir/small.csv"
ranks_train "$dir/small-parts.model" --events "$dir/small.csv" || { cat "$dir/small-parts.model.err"; exit 1; }
one_train "$dir/small-one.model" --events "$dir/small.csv"
same_model "$dir/small-parts.model" "$dir/small-one.model" "a file of 2 rows, $ranks ranks"

# 4. A malformed row in the last rank's part: under ingest.strict the error names the file's own
# line, as on one process.
lines=$(wc -l < "$dir/events.csv")
bad_line=$((lines - 3))
awk -v bad="$bad_line" 'NR == bad {print "12346,23166,heavy,1295344860"; next} {print}' "$dir/events.csv" > "$dir/bad.csv"
printf '[ingest]\nstrict = true\n' > "$dir/strict.toml"
if ranks_train "$dir/bad.model" --config "$dir/strict.toml" --events "$dir/bad.csv"; then
  echo "a strict distributed load accepted a malformed row"; exit 1
fi
grep -q "bad.csv:$bad_line: column 'weight'" "$dir/bad.model.err" || { echo "expected bad.csv:$bad_line"; cat "$dir/bad.model.err"; exit 1; }
if one_train "$dir/bad-one.model" --config "$dir/strict.toml" --events "$dir/bad.csv"; then exit 1; fi
grep -q "bad.csv:$bad_line: column 'weight'" "$dir/bad-one.model.err" || { cat "$dir/bad-one.model.err"; exit 1; }
echo "ok: parts, a compressed file and a 2-row file equal one process with $ranks ranks; bad row at line $bad_line named"
