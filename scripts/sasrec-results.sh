#!/usr/bin/env bash
# Evidence for sasrec (issue 12): settings and epochs chosen on validation data only, then one
# run on each test split against the default recommender (paired test) and popularity.
#   curves   `aisle train --early-stop ndcg@10` on each reference training file (and YooChoose's
#            train_full): the per-epoch NDCG@10 on a leave-last-out validation split of that file,
#            and the best epoch (the architecture, ARCH below, was chosen on ML-1M's curves:
#            docs/RESULTS.md, "SASRec")
#   test     the test splits, with ARCH and each data set's best epoch written below
# Usage: scripts/sasrec-results.sh BUILD_DIR_OR_BINARY OUT_DIR curves|test
# Two threads (--threads 2; libtorch's pool takes them, OpenBLAS stays on one). Set
# AISLE_BENCH_LOCK=/path/to/lockfile to run every command under `flock` on that file.
set -euo pipefail
bin=$1
[[ -d $bin ]] && bin=$bin/aisle
out=$2
phase=$3
root=$(cd "$(dirname "$0")/.." && pwd)
splits="$root/../shared/splits"
yc="$root/../shared/data/yoochoose-rsc15-100k-prepared/yoochoose-clicks-100k"
mkdir -p "$out"

aisle() {
  if [[ -n ${AISLE_BENCH_LOCK:-} ]]; then flock "$AISLE_BENCH_LOCK" "$bin" "$@"; else "$bin" "$@"; fi
}

# ---- chosen on the curves (docs/RESULTS.md, "SASRec") ----
ARCH='sasrec:max_length=50,windows=all,dropout=0.5'
declare -A EPOCHS=([ml-1m-partial]=17 [online-retail-uci]=12 [retailrocket-caserec]=28 [yoochoose]=29)
DEFAULT_SPEC='route:min_history=2(known=ease; few=blend(0.8*ease; 0.2*popularity); session=session_knn:variant=vstan,neighbors=2000,sample_size=2500,lambda_spw=8,lambda_snh=10,lambda_inh=8,lambda_ipw=0.5,lambda_idf=2; fallback=popularity:by=users)'

curves() {
  for s in ${CURVES:-ml-1m-partial online-retail-uci retailrocket-caserec}; do
    aisle train --events "$splits/$s/train.csv.zst" --model "$ARCH,epochs=200" --early-stop ndcg@10 --patience 5 \
      --threads 2 --out "$out/curve-$s.aislemodel" > "$out/curve-$s.txt"
  done
  # YooChoose: each session a user (the sessions reader), its last click the validation target.
  if [[ -n ${CURVES:-} ]]; then return; fi
  aisle train --events "${yc}_train_full.txt.zst" --format sessions --model "$ARCH,epochs=200" --early-stop ndcg@10 \
    --patience 5 --threads 2 --out "$out/curve-yoochoose.aislemodel" > "$out/curve-yoochoose.txt"
}

test_phase() {
  for s in ${TESTS:-ml-1m-partial online-retail-uci retailrocket-caserec}; do
    aisle evaluate --train "$splits/$s/train.csv.zst" --test "$splits/$s/test.csv.zst" --threads 2 \
      --models "popularity,$DEFAULT_SPEC,$ARCH,epochs=${EPOCHS[$s]}" --baseline "$DEFAULT_SPEC" \
      --out "$out/test-$s" > "$out/test-$s.txt"
  done
  if [[ -n ${TESTS:-} ]]; then return; fi
  aisle evaluate --protocol next-item --format sessions --k 10,20 --threads 2 \
    --train "${yc}_train_full.txt.zst" --test "${yc}_test.txt.zst" \
    --models "popularity,$DEFAULT_SPEC,$ARCH,epochs=${EPOCHS[yoochoose]}" --baseline "$DEFAULT_SPEC" \
    --out "$out/test-yoochoose" > "$out/test-yoochoose.txt"
}

case $phase in
  curves) curves ;;
  test) test_phase ;;
  *) echo "phase: curves or test" >&2; exit 2 ;;
esac
