#!/usr/bin/env bash
# Reproduces docs/RESULTS.md: every model at its defaults on each reference split of
# ../shared/splits and on the shared data aisle splits itself, then `aisle tune` of the tunable
# models on each reference split's training file and an evaluation of the tuned specs.
# Usage: scripts/results.sh BUILD_DIR OUT_DIR [TRIALS]. Raw outputs go to OUT_DIR. One thread
# throughout, so that every number (BPR's Hogwild SGD included) is the same on every run.
set -euo pipefail
build=$1
out=$2
trials=${3:-40}
root=$(cd "$(dirname "$0")/.." && pwd)
splits="$root/../shared/splits"
data="$root/../shared/data"
aisle="$build/aisle"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
mkdir -p "$out"
all=popularity,trending,item_knn,category_cf,content,als,bpr,mf,ease

for s in online-retail-uci ml-1m-partial retailrocket-caserec; do
  "$aisle" evaluate --train "$splits/$s/train.csv.zst" --test "$splits/$s/test.csv.zst" --models $all \
    --k 10,20 --threads 1 --out "$out/$s-defaults" > "$out/$s-defaults.txt"
done
"$aisle" evaluate --events "$data/movielens-100k/u.data.zst" "$data/movielens-100k/u.item.zst" --format movielens --models $all --k 10,20 \
  --threads 1 --out "$out/ml-100k-defaults" > "$out/ml-100k-defaults.txt"
printf '[ingest]\nmap = "user=SessionId,item=ItemId,time=Time"\nseparator = "\\t"\n' > "$out/yoochoose.toml"
"$aisle" --config "$out/yoochoose.toml" evaluate \
  --events "$data/yoochoose-rsc15-100k-prepared/yoochoose-clicks-100k_train_full.txt.zst" --models $all --k 10,20 --threads 1 --out "$out/yoochoose-defaults" \
  > "$out/yoochoose-defaults.txt"

for s in online-retail-uci ml-1m-partial retailrocket-caserec; do
  tuned=()
  for m in als bpr item_knn ease; do
    rm -f "$out/$s-tune-$m.jsonl"
    "$aisle" tune --model $m --train "$splits/$s/train.csv.zst" --trials "$trials" --threads 1 \
      --study "$out/$s-tune-$m.jsonl" > "$out/$s-tune-$m.txt"
    tuned+=("$(sed -n 's/^best: \([^ ]*\).*/\1/p' "$out/$s-tune-$m.txt")")
  done
  "$aisle" evaluate --train "$splits/$s/train.csv.zst" --test "$splits/$s/test.csv.zst" \
    --models "popularity,ease,$(IFS=,; echo "${tuned[*]}")" --k 10,20 --threads 1 --out "$out/$s-tuned" \
    > "$out/$s-tuned.txt"
done
