#!/usr/bin/env bash
# `mpirun -np N aisle train --distributed` against `aisle train` on the same file and seed: rank 0
# writes a model whose recommendations equal the one-process model's, score for score.
# Usage: train_distributed.sh MPIRUN AISLE EVENTS RANKS
set -euo pipefail
mpirun=$1 aisle=$2 events=$3 ranks=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
spec="als:factors=16,iterations=3"
"$mpirun" --allow-run-as-root --oversubscribe -np "$ranks" --mca btl self,tcp --mca btl_tcp_if_include lo \
  --mca oob_tcp_if_include lo "$aisle" train --distributed --model "$spec" --events "$events" --threads 1 \
  --seed 5 --out "$dir/ranks.model" > "$dir/ranks.log"
"$aisle" train --model "$spec" --events "$events" --threads 1 --seed 5 --out "$dir/one.model" > /dev/null
grep -q "distributed fit: Open MPI.*$ranks ranks" "$dir/ranks.log" || { cat "$dir/ranks.log"; exit 1; }
if [[ $(grep -c "^fitted als" "$dir/ranks.log") -ne 1 ]]; then
  echo "expected one 'fitted' line (rank 0 alone prints)"; cat "$dir/ranks.log"; exit 1
fi
users=$(zstdcat -f "$events" | awk -F, 'NR > 1 && NR < 400 {print $1}' | sort -u | head -20)
for u in $users; do
  a=$("$aisle" recommend --model "$dir/ranks.model" --user "$u" --k 10 --json)
  b=$("$aisle" recommend --model "$dir/one.model" --user "$u" --k 10 --json)
  if [[ "$a" != "$b" ]]; then
    echo "user $u: the distributed model recommends differently"; echo "$a"; echo "$b"; exit 1
  fi
done
# A model other than als is refused before MPI starts.
if "$aisle" train --distributed --model ease --events "$events" --out "$dir/x.model" 2> "$dir/err"; then
  echo "--distributed accepted ease"; exit 1
fi
grep -q "only als fits across ranks" "$dir/err" || { cat "$dir/err"; exit 1; }
echo "ok: $(wc -w <<< "$users") users' lists equal with $ranks ranks"
