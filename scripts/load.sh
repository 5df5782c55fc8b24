#!/usr/bin/env bash
# Load on the registry: starts `taotai demo --scale SCALE` on loopback, signs
# in as the province's non-coal reviewer (the widest lane), and drives the
# registry's list and search pages with wrk (Debian package) for a bounded
# time. Loopback only.
#   scripts/load.sh [SCALE] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-100} secs=${2:-20} conns=${3:-8}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
go build -o "$dir/taotai" ./cmd/taotai
port=$(( 30000 + RANDOM % 10000 ))
base="http://127.0.0.1:$port"
"$dir/taotai" demo --scale "$scale" --addr "127.0.0.1:$port" --db "$dir/demo.db" >/dev/null 2>"$dir/log" &
pid=$!
until curl -sf "$base/healthz" >/dev/null; do kill -0 $pid || exit 1; sleep 0.2; done
jar="$dir/cookies"
token=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -s -o /dev/null -c "$jar" -b "$jar" -H "Origin: $base" --data-urlencode "csrf_token=$token" \
  --data-urlencode "username=prov_reviewer" --data-urlencode "password=Taotai@2020demo" "$base/login"
cookie=$(awk '$6 == "taotai_session" {print $7}' "$jar")
[ -n "$cookie" ] || { echo "login failed" >&2; exit 1; }
cat > "$dir/paths.lua" <<'LUA'
local paths = {
  "/enterprises",
  "/enterprises?q=%E9%92%A2%E9%93%81",          -- 钢铁
  "/enterprises?q=%E5%AE%8F%E8%BE%BE",          -- 宏达
  "/enterprises?region=210300&state=normal",
  "/enterprises?year=2020&page=50",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
echo "scale $scale, $conns connections, ${secs}s, mixed registry pages:"
wrk -t 2 -c "$conns" -d "${secs}s" --latency -H "Cookie: taotai_session=$cookie" -s "$dir/paths.lua" "$base"
