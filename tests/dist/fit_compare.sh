# shellcheck shell=bash disable=SC2154
# What train_parts.sh and train_store.sh share: the two fits and the comparison of their model
# files. Sourced; expects mpirun, aisle, ranks and spec to be set.

ranks_train() {  # ranks_train OUT ARGS...: the distributed fit, its log in OUT.log
  local out=$1
  shift
  "$mpirun" --allow-run-as-root --oversubscribe -np "$ranks" --mca btl self,tcp --mca btl_tcp_if_include lo \
    --mca oob_tcp_if_include lo "$aisle" train --distributed --model "$spec" --threads 1 --seed 5 --out "$out" \
    "$@" > "$out.log" 2> "$out.err"
}
one_train() {  # one_train OUT ARGS...
  local out=$1
  shift
  "$aisle" train --model "$spec" --threads 1 --seed 5 --out "$out" "$@" > "$out.log" 2> "$out.err"
}
# The bytes of a model file with its provenance times zeroed and without the checksum: magic (8),
# format (4), kind and params (each a u64 length and the text), then the two int64 times.
normalized() {
  local file=$1 kind_len params_len at
  kind_len=$(od -An -t u8 -j 12 -N 8 "$file" | tr -d ' ')
  params_len=$(od -An -t u8 -j $((20 + kind_len)) -N 8 "$file" | tr -d ' ')
  at=$((28 + kind_len + params_len))
  head -c "$at" "$file"
  head -c 16 /dev/zero
  tail -c +$((at + 17)) "$file" | head -c -4
}
same_model() {
  if ! cmp <(normalized "$1") <(normalized "$2"); then
    echo "$3: the model files differ"; exit 1
  fi
}
