#!/usr/bin/env bash
# Checks that `aisle evaluate`'s report.html fits a 1280-px-wide window without sideways
# scrolling for ten models of similar long specs at two cut-offs, in headless Chromium, and that
# it stays self-contained (no script, no link out). Builds nothing: give it the binary.
# Usage: scripts/check-report-width.sh AISLE_BINARY [OUT_DIR]
# OUT_DIR (default: a new temporary folder) receives the report, the measured copy, Chromium's
# log and report.png, a screenshot for a person to look at. Exit 0: fits; 1: too wide or broken;
# 77: Chromium is not installed (scripts/deps.sh installs it; ctest reports the test skipped).
set -euo pipefail
if [[ $# -lt 1 ]]; then
  echo "usage: $0 AISLE_BINARY [OUT_DIR]" >&2
  exit 1
fi
aisle=$1
out=${2:-$(mktemp -d /tmp/aisle-report-width.XXXXXX)}
root=$(cd "$(dirname "$0")/.." && pwd)
window=1280
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$chromium" ]]; then
  echo "check-report-width: chromium is not installed (scripts/deps.sh); skipped" >&2
  exit 77
fi
mkdir -p "$out"
rm -rf "$out/report"
profile=$(mktemp -d /tmp/aisle-chromium.XXXXXX)
trap 'rm -rf "$profile"' EXIT

# Ten models whose canonical specs are long and alike: three differ only in als's last parameter
# or in a middle one, two in item_knn's last, two in ease's.
models=(
  popularity
  als:factors=32,iterations=5
  als:factors=32,iterations=5,transform=none
  als:factors=32,iterations=5,regularization=0.5
  als:factors=32,iterations=5,regularization=5,alpha=10,cg_steps=4
  item_knn:neighbors=50,shrink=10,weighting=bm25
  item_knn:neighbors=50,shrink=10,weighting=tfidf
  ease:regularization=100,recency=0
  ease:regularization=100,recency=4,transform=log1p
  bpr:factors=16,epochs=10,learning_rate=0.02,regularization=0.01
)
spec_list=$(IFS=,; echo "${models[*]}")
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$aisle" evaluate \
  --train "$root/tests/fixtures/eval/or-train.csv.zst" --test "$root/tests/fixtures/eval/or-test.csv.zst" \
  --models "$spec_list" --k 10,20 --threads 1 --resamples 100 --out "$out/report" > "$out/evaluate.txt" 2>&1 || {
  cat "$out/evaluate.txt" >&2
  echo "check-report-width: aisle evaluate failed" >&2
  exit 1
}
report="$out/report/report.html"

status=0
if grep -qi '<script' "$report"; then
  echo "check-report-width: report.html holds a <script>" >&2
  status=1
fi
if grep -Eqi "(href|src)=" "$report"; then
  echo "check-report-width: report.html links to something outside itself" >&2
  status=1
fi

# A copy that writes its measurements into its title: the document's scroll width, and the right
# edge of the widest element (which also catches content scrolling inside a box of its own).
measured="$out/measured.html"
cp "$report" "$measured"
cat >> "$measured" <<'EOF'
<script>
addEventListener('load', () => {
  let right = 0, widest = 'none';
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect().right + scrollX;
    if (r > right) { right = r; widest = e.tagName.toLowerCase(); }
  }
  document.title = 'measured ' + document.documentElement.scrollWidth + ' ' + Math.ceil(right) + ' ' +
                   document.documentElement.scrollHeight + ' ' + widest;
});
</script>
EOF

run_chromium() {
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
    --hide-scrollbars --virtual-time-budget=3000 "$@" 2>> "$out/chromium.log"
}
title=$(run_chromium --window-size=$window,900 --dump-dom "file://$measured" | sed -n 's:.*<title>measured \([^<]*\)</title>.*:\1:p')
if [[ -z "$title" ]]; then
  echo "check-report-width: Chromium gave no measurement (see $out/chromium.log)" >&2
  exit 1
fi
read -r scroll_width right_edge height widest <<< "$title"

# The whole page in one picture (at most 12000 px tall), for a person to look at.
shot_height=$((height < 12000 ? height : 12000))
run_chromium --window-size=$window,$shot_height --screenshot="$out/report.png" "file://$report" > /dev/null || true

echo "check-report-width: window $window px; page scroll width $scroll_width px, widest element ($widest) ends at $right_edge px; height $height px"
echo "check-report-width: report and screenshot in $out"
if ((scroll_width > window || right_edge > window)); then
  echo "check-report-width: the report is wider than a $window-px window" >&2
  status=1
fi
exit $status
