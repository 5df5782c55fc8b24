#!/usr/bin/env bash
# Two builds of taotai compared on one page (docs/benchmarks.md, ninth pass):
# both serve the same database at once (loopback ports 18080 and 18081), and
# wrk drives PATH on each in turn, 2 s at a time on 8 connections, ROUNDS
# times; prints each build's requests per second over all its bursts. Single
# runs on this kind of machine move ±15% with the minute; alternating bursts
# share the minute's speed, and two identical builds come out within ~4%.
#
#   scripts/alternate.sh OLD-BINARY NEW-BINARY DSN PATH [ROUNDS]
#   git stash; go build -o /tmp/old ./cmd/taotai; git stash pop; go build -o /tmp/new ./cmd/taotai
#   scripts/alternate.sh /tmp/old /tmp/new 'postgres://postgres@127.0.0.1:55432/taotai_s100?sslmode=disable' /enterprises/54 10
#
# The database is one prepared beforehand (taotai demo --scale 100 --db DSN);
# the province's non-coal reviewer signs in (password of the demo).
set -euo pipefail
a=$1 b=$2 dsn=$3 path=$4 rounds=${5:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
"$a" serve --addr 127.0.0.1:18080 --db "$dsn" >/dev/null 2>&1 & pids+=($!)
"$b" serve --addr 127.0.0.1:18081 --db "$dsn" >/dev/null 2>&1 & pids+=($!)
for port in 18080 18081; do
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
done
base=http://127.0.0.1:18080 jar=$(mktemp)
token=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -s -o /dev/null -c "$jar" -b "$jar" -H "Origin: $base" --data-urlencode "csrf_token=$token" \
  --data-urlencode "username=prov_reviewer" --data-urlencode "password=Taotai@2020demo" "$base/login"
cookie=$(awk '$6 == "taotai_session" {print $7}' "$jar"); rm -f "$jar"
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
burst() { wrk -t 2 -c 8 -d 2s -H "Cookie: taotai_session=$cookie" "http://127.0.0.1:$1$path" | awk '/requests in/ {print $1}'; }
burst 18080 >/dev/null; burst 18081 >/dev/null # warm: connections opened, statements prepared
na=0 nb=0
for _ in $(seq "$rounds"); do
  na=$((na + $(burst 18080))); nb=$((nb + $(burst 18081)))
done
echo "$a: $((na / (2 * rounds))) req/s"
echo "$b: $((nb / (2 * rounds))) req/s"
