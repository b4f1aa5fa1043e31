#!/usr/bin/env bash
# Runs every fuzz target of a fuzz build for a bounded time on a copy of its seed corpus.
# Usage: scripts/run-fuzzers.sh BUILD_DIR SECONDS. Fails on the first crash (the reproducer is
# kept under fuzz/artifacts/).
set -euo pipefail
build=$1
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/aisle-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$root/fuzz/artifacts"

shared="$root/../shared/data"
for target in "$build"/fuzz/fuzz_*; do
  name=$(basename "$target")
  format=${name#fuzz_}
  corpus="$work/$format"
  mkdir -p "$corpus"
  cp "$root/fuzz/corpus/$format/"* "$corpus/"
  if [[ "$format" == movielens && -d "$shared" ]]; then
    # head closes the pipe early: zstd's SIGPIPE is expected, not a failure.
    (zstd -dc "$shared/movielens-100k/u.data.zst" | head -40 > "$corpus/shared-u.data") || true
    (zstd -dc "$shared/movielens-100k/u.item.zst" | head -20 > "$corpus/shared-u.item") || true
    (zstd -dc "$shared/movielens-1m-PARTIAL/movies.dat.zst" | sed -n '70,90p' > "$corpus/shared-movies.dat") || true
  fi
  echo "fuzz: $name for ${seconds}s"
  "$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$root/fuzz/artifacts/$name-" -print_final_stats=1 2>&1 | grep -E "^(stat::number_of_executed_units|INFO: Done|==[0-9]+==ERROR|SUMMARY)" || true
  if ls "$root/fuzz/artifacts/$name-"* >/dev/null 2>&1; then
    echo "fuzz: $name found a crash: $(ls "$root/fuzz/artifacts/$name-"*)" >&2
    exit 1
  fi
done
echo "fuzz: no crashes"
