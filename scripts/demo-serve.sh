#!/usr/bin/env bash
# The end of `make demo`: starts `aisle serve` on the demo store and model in the background, with
# companion models for the session demo (session_knn, popularity and a small sasrec, which says
# it failed where the torch plugin is not built) and the evaluation reports of REPORTS_DIR for the
# Models page; calls each endpoint once with curl (printing the answers), checks that the
# dashboard is served at /, and stops it with SIGTERM.
# Usage: scripts/demo-serve.sh AISLE STORE_URL MODEL_FILE [PORT] [REPORTS_DIR]
set -euo pipefail
aisle=$1 store=$2 model=$3 port=${4:-8080} reports=${5:-}
base="http://127.0.0.1:$port"
log=$(mktemp)
config=$(mktemp --suffix=.toml)
cat > "$config" <<TOML
[serve]
companions = { session_knn = "session_knn", popularity = "popularity:by=users", sasrec = "sasrec:epochs=2,hidden=32,max_length=20,windows=last,loss=sampled,negatives=64" }
reports = "$reports"
TOML

"$aisle" serve --config "$config" --store "$store" --model "$model" --listen "127.0.0.1:$port" 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log" "$config"' EXIT
for _ in $(seq 1 100); do
  curl -sf "$base/readyz" >/dev/null 2>&1 && break
  if ! kill -0 $pid 2>/dev/null; then cat "$log"; echo "demo: aisle serve did not start" >&2; exit 1; fi
  sleep 0.1
done

call() {  # METHOD PATH [BODY]
  echo "\$ curl -X $1 $base$2${3:+ -d '$3'}"
  if [[ $# -ge 3 ]]; then
    curl -sS -X "$1" "$base$2" -H 'Content-Type: application/json' -d "$3" | head -c 600
  else
    curl -sS -X "$1" "$base$2" | head -c 600
  fi
  echo
}
call GET "/api/recommendations?user_id=17850&k=3"
call POST /recommend '{"user_id": "17850", "num_recommendations": 3}'
call POST /api/recommend '{"requests": [{"user_id": "17850", "k": 2}, {"items": ["85123A"], "k": 2}]}'
call POST /api/session/recommend '{"items": ["85123A", "71053"], "k": 3}'
call GET /api/items/85123A
call GET "/api/items/85123A/similar?k=3"
call GET /api/users/17850/history
call GET "/api/popular?k=3"
call GET "/api/trending?k=3"
call POST /api/feedback '{"user_id": "17850", "item_id": "22752", "event": "purchase"}'
call GET "/api/recommendations?user_id=17850&k=3"
call GET "/api/recommendations?user_id=new-visitor&k=3"
call GET /api/model
# The companion models train in the background: wait for them (a minute at most), then ask each
# for the same session.
for _ in $(seq 1 600); do
  curl -sS "$base/api/models" | grep -q '"status":"loading"' || break
  sleep 0.1
done
curl -sS "$base/api/models" | grep -o '"companions":\[[^]]*\]' | grep -o '"name":"[^"]*","model":"[^"]*","status":"[^"]*"' || true
for name in serving session_knn popularity sasrec; do
  call POST /api/session/recommend "{\"items\": [\"85123A\", \"71053\"], \"k\": 3, \"model\": \"$name\"}"
done
call GET "/api/items/85123A/bought-with?k=3"
call GET /api/reports
call GET /api/stats
call GET /healthz
call GET /readyz
# The dashboard (the bundle embedded in the binary): its page and the script it loads.
page=$(curl -sS "$base/")
script=$(grep -o '/assets/app-[^"]*\.js' <<< "$page" || true)
if [[ -z "$script" ]] || ! curl -sf -o /dev/null "$base$script"; then
  echo "demo: the dashboard is not served at $base/ (a build without node/npm?)" >&2
else
  echo "demo: the dashboard is served at $base/ ($(wc -c <<< "$page") bytes of index.html, script $script)"
fi
echo "\$ curl $base/metrics | grep aisle_http_requests_total"
curl -sS "$base/metrics" | grep '^aisle_http_requests_total' | head -20

kill -TERM $pid
wait $pid
trap 'rm -f "$log" "$config"' EXIT
echo "demo: aisle serve stopped cleanly (SIGTERM)"
