#!/usr/bin/env bash
# The province's annual 附件2 under load (issue 14 goal 5, docs/benchmarks.md).
#
#   scripts/export-load.sh DB [serve flags…]
#   scripts/export-load.sh /tmp/s100.db
#   scripts/export-load.sh 'postgres://postgres@127.0.0.1:55432/taotai_s100?sslmode=disable'
#   scripts/export-load.sh /tmp/s100.db --sqlite-mmap 1
#
# Builds taotai, serves DB (a copy you can spare: the server migrates it) on
# loopback, signs the province's reviewer in, downloads the annual 附件2
# (2020, non-coal) twice alone, then three times while wrk drives the
# province's home page on 8 connections for 25 s. Prints each download's
# time, the home page's requests per second, the Go heap taken from the OS
# and the process's peak resident size.
set -euo pipefail
db=$1; shift
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
dir=$(mktemp -d)
port=$((40000 + RANDOM % 10000)); mport=$((port + 1)); base=http://127.0.0.1:$port
go build -o "$dir/taotai" ./cmd/taotai
"$dir/taotai" serve "$@" --db "$db" --addr 127.0.0.1:$port --metrics-addr 127.0.0.1:$mport >"$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 600); do curl -sf $base/healthz >/dev/null && break; kill -0 $pid 2>/dev/null || { cat "$dir/serve.log" >&2; exit 1; }; sleep 0.5; done
jar="$dir/jar"
token=$(curl -s -c "$jar" -b "$jar" $base/login | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -s -o /dev/null -c "$jar" -b "$jar" -H "Origin: $base" --data-urlencode "csrf_token=$token" \
  --data-urlencode "username=prov_reviewer" --data-urlencode "password=Taotai@2020demo" $base/login
c=$(awk '$6 == "taotai_session" {print $7}' "$jar")
u="$base/forms/download?form=2&period=2020&sector=noncoal"
for _ in 1 2; do curl -s -o /dev/null -w 'alone: HTTP %{http_code}, %{time_total} s, %{size_download} bytes\n' -H "Cookie: taotai_session=$c" "$u"; done
wrk -t 2 -c 8 -d 25s -H "Cookie: taotai_session=$c" "$base/" >"$dir/wrk.txt" &
w=$!
sleep 3
for _ in 1 2 3; do curl -s -o /dev/null -w 'under load: HTTP %{http_code}, %{time_total} s\n' -H "Cookie: taotai_session=$c" "$u"; sleep 1; done
wait $w
grep 'Requests/sec' "$dir/wrk.txt" | sed 's/^/home page meanwhile: /'
curl -s "http://127.0.0.1:$mport/metrics" | grep -E '^go_memstats_heap_sys_bytes'
grep VmHWM /proc/$pid/status
