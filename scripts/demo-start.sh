#!/usr/bin/env bash
# Measures how long `taotai demo` takes to answer /healthz from a cold start
# (fresh SQLite database, demo data loaded), three times.
#   scripts/demo-start.sh [SCALE]
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1}
bin=$(mktemp -d)/taotai
go build -o "$bin" ./cmd/taotai
port=$(( 30000 + RANDOM % 10000 ))
for i in 1 2 3; do
  start=$(date +%s%N)
  "$bin" demo --scale "$scale" --addr "127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "demo exited" >&2; exit 1; }
    sleep 0.05
  done
  echo "scale $scale: answering after $(( ($(date +%s%N) - start) / 1000000 )) ms"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
