#!/usr/bin/env bash
# Several taotai processes on one database (issue 14 item 6, docs/scaling.md).
#
#   scripts/instances.sh DSN N PATH
#   scripts/instances.sh 'postgres://postgres@127.0.0.1:55432/taotai_s100?sslmode=disable' 3 /enterprises
#
# Builds taotai, starts N `taotai serve` on loopback ports 41001… against the
# database DSN (one prepared beforehand, e.g. by `taotai demo --scale 100
# --db DSN`), nine pool connections shared among them, signs the province's
# reviewer in on the first, and drives PATH on every process at once with wrk
# (10 s, 9/N connections each) using that one session. Prints each process's
# requests per second, p50 and p99.
set -euo pipefail
dsn=$1 n=$2 p=$3
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
dir=$(mktemp -d)
conns=$((9 / n)); pids=()
trap 'kill ${pids[@]} 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
go build -o "$dir/taotai" ./cmd/taotai
for i in $(seq "$n"); do
  "$dir/taotai" serve --db "$dsn" --addr 127.0.0.1:$((41000 + i)) --db-conns "$conns" >"$dir/serve-$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq "$n"); do until curl -sf http://127.0.0.1:$((41000 + i))/healthz >/dev/null; do sleep 0.3; done; done
base=http://127.0.0.1:41001 jar="$dir/jar"
token=$(curl -s -c "$jar" -b "$jar" $base/login | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -s -o /dev/null -c "$jar" -b "$jar" -H "Origin: $base" --data-urlencode "csrf_token=$token" \
  --data-urlencode "username=prov_reviewer" --data-urlencode "password=Taotai@2020demo" $base/login
c=$(awk '$6 == "taotai_session" {print $7}' "$jar")
for i in $(seq "$n"); do curl -s -o /dev/null -H "Cookie: taotai_session=$c" "http://127.0.0.1:$((41000 + i))$p"; done
w=()
for i in $(seq "$n"); do
  wrk -t 1 -c "$conns" -d 10s --latency -H "Cookie: taotai_session=$c" "http://127.0.0.1:$((41000 + i))$p" >"$dir/wrk-$i.txt" &
  w+=($!)
done
wait "${w[@]}"
for i in $(seq "$n"); do
  awk -v i="$i" '/Requests\/sec/ {r=$2} / 50%/ {m=$2} / 99%/ {q=$2} /Non-2xx/ {e=$0} END {printf "process %d: %s req/s p50 %s p99 %s %s\n", i, r, m, q, e}' "$dir/wrk-$i.txt"
done
