#!/usr/bin/env bash
# Load on the pages people open every day (issue 14): starts
# `taotai demo --scale SCALE` on loopback, on SQLite (a fresh file) or on
# PostgreSQL (a fresh database on the server TAOTAI_LOAD_POSTGRES names),
# signs in as the province's non-coal reviewer and as 鞍山's non-coal clerk,
# and drives each page with wrk for SECONDS on CONNECTIONS connections (after
# two seconds unmeasured, to warm the pool's connections). Right
# after each page, a bare net/http handler (scripts/bare) serving the same
# bytes is driven the same way: the ratio says what the page costs beyond
# the network and HTTP themselves, whatever else the machine is doing.
# Loopback only; every run is bounded by SECONDS per page.
#
#   scripts/load.sh [SCALE] [SECONDS] [CONNECTIONS] [sqlite|postgres] [PAGE-FILTER]
#   (PAGE-FILTER: the pages whose path contains it, or =PATH for that path only)
#   TAOTAI_LOAD_POSTGRES=postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable scripts/load.sh 100 15 8 postgres
#   TAOTAI_LOAD_POSTGRES='postgres://postgres@/postgres?host=/tmp/devpg&port=55432' …  (the server's socket)
#
# Prints one Markdown table row per page: requests/s, p50, p99, timeouts and
# errors of the page, requests/s of the bare handler, their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-100} secs=${2:-15} conns=${3:-8} dialect=${4:-sqlite} filter=${5:-}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
dir=$(mktemp -d)
pid= bare= pgdb=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  [ -n "$bare" ] && kill "$bare" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ -n "$pgdb" ]; then psql -q "$TAOTAI_LOAD_POSTGRES" -c "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
go build -o "$dir/taotai" ./cmd/taotai
go build -o "$dir/bare" ./scripts/bare
# Below the ephemeral range (32768–60999 here), where a client's socket
# once held the bare handler's port.
port=$(( 20000 + RANDOM % 10000 ))
bport=$(( port + 1 ))
base="http://127.0.0.1:$port"
case $dialect in
  sqlite) dsn="$dir/demo.db" ;;
  postgres)
    [ -n "${TAOTAI_LOAD_POSTGRES:-}" ] || { echo "TAOTAI_LOAD_POSTGRES names the PostgreSQL server" >&2; exit 1; }
    pgdb="taotai_load_$$"
    psql -q "$TAOTAI_LOAD_POSTGRES" -c "CREATE DATABASE $pgdb" >/dev/null
    dsn=$(printf '%s' "$TAOTAI_LOAD_POSTGRES" | sed -E "s#/[^/?]*(\?|$)#/$pgdb\1#")
    ;;
  *) echo "database: sqlite or postgres" >&2; exit 1 ;;
esac
started=$(date +%s)
"$dir/taotai" demo --scale "$scale" --addr "127.0.0.1:$port" --db "$dsn" >/dev/null 2>"$dir/log" &
pid=$!
until curl -sf "$base/healthz" >/dev/null; do kill -0 $pid || { tail "$dir/log" >&2; exit 1; }; sleep 1; done
echo "demo at scale $scale on $dialect ready in $(( $(date +%s) - started )) s" >&2
# The demo has just written its database (800 MB at scale 100): flushed
# first, so that the system's writeback of it does not run during the first
# pages measured.
sync
# On PostgreSQL, autovacuum takes up the freshly loaded tables (a million
# inspections) in the minutes after the demo: waited for (5 min at most),
# so that the pages are measured in the steady state, not beside it.
if [ "$dialect" = postgres ]; then
  waited=0
  while [ $waited -lt 300 ] && [ "$(psql -qtA "$TAOTAI_LOAD_POSTGRES" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = '$pgdb'")" != 0 ]; do
    sleep 5; waited=$((waited + 5))
  done
  echo "autovacuum of the fresh database waited for: $waited s" >&2
fi

# login USER prints the session cookie of a fresh sign-in.
login() {
  local jar="$dir/jar-$1" token
  token=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
  curl -s -o /dev/null -c "$jar" -b "$jar" -H "Origin: $base" --data-urlencode "csrf_token=$token" \
    --data-urlencode "username=$1" --data-urlencode "password=Taotai@2020demo" "$base/login"
  awk '$6 == "taotai_session" {print $7}' "$jar"
}
province=$(login prov_reviewer)
city=$(login ansh_clerk)
[ -n "$province" ] && [ -n "$city" ] || { echo "sign-in failed" >&2; exit 1; }

# An enterprise of 鞍山 (both can read it) and two characters of its name,
# as people type them.
ent=$(curl -s -H "Cookie: taotai_session=$city" "$base/enterprises" | grep -o 'href="/enterprises/[0-9]*"' | head -1 | grep -o '[0-9]*')
name=$(curl -s -H "Cookie: taotai_session=$city" "$base/enterprises/$ent" | grep -o '<h1[^>]*>[^<]*' | head -1 | sed 's/<h1[^>]*>//')
two=$(printf '%s' "$name" | sed -E 's/^(鞍山市|鞍山|[^市]*市)//' | cut -c1-6)   # two characters after the place name (UTF-8: 3 bytes each)
q=$(printf '%s' "$two" | od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g')

# who|path|label
pages="province|/|首页（待办）
province|/enterprises|重点企业台账
province|/enterprises?q=$q|按名称查找（$two）
province|/enterprises?region=210300&state=normal|台账筛选
province|/keylist/2020|重点企业名单
province|/coverage|检查覆盖
province|/dashboard|统计看板
province|/reports|报送情况
province|/inspections|检查记录
province|/hazards?status=open|隐患
province|/enterprises/$ent|企业页
city|/|首页（待办）
city|/enterprises|重点企业台账
city|/coverage|检查覆盖
city|/reports|报送情况
city|/enterprises/$ent|企业页"

# field NAME FILE prints a figure of wrk's report.
rps() { awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
errs() { awk '/Socket errors/ {gsub(",", ""); print $6 + $8 + $10 "/" $12; f=1} END {if (!f) print "0/0"}' "$1"; }
non2xx() { awk '/Non-2xx/ {print $NF}' "$1"; }

echo "| who | page | req/s | p50 | p99 | errors | non-2xx | bare req/s | bare/page |"
echo "|---|---|---|---|---|---|---|---|---|"
while IFS='|' read -r who path label; do
  case $filter in
    "") ;;
    =*) [ "$path" = "${filter#=}" ] || continue ;; # =PATH: that page only
    *) [[ "$path" == *"$filter"* ]] || continue ;;
  esac
  cookie=$province; [ "$who" = city ] && cookie=$city
  code=$(curl -s -o "$dir/body" -w '%{http_code}' -H "Cookie: taotai_session=$cookie" "$base$path")
  [ "$code" = 200 ] || { echo "$who $path: $code" >&2; continue; }
  # Two seconds unmeasured first: the pool's connections open and each
  # prepares the page's statements on its first use (on PostgreSQL the
  # first requests of a page took up to 0.8 s so, a 1% tail of a 10 s run).
  wrk -t 2 -c "$conns" -d 2s --timeout 5s -H "Cookie: taotai_session=$cookie" "$base$path" > /dev/null
  wrk -t 2 -c "$conns" -d "${secs}s" --timeout 5s --latency -H "Cookie: taotai_session=$cookie" "$base$path" > "$dir/page.txt"
  "$dir/bare" -addr "127.0.0.1:$bport" -body "$dir/body" &
  bare=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$bport/"; do kill -0 $bare || exit 1; sleep 0.1; done
  wrk -t 2 -c "$conns" -d "${secs}s" --latency "http://127.0.0.1:$bport$path" > "$dir/bare.txt"
  kill $bare; wait $bare 2>/dev/null || true; bare=
  p=$(rps "$dir/page.txt") b=$(rps "$dir/bare.txt")
  echo "| $who | $label \`$path\` | $p | $(pct "$dir/page.txt" 50%) | $(pct "$dir/page.txt" 99%) | $(errs "$dir/page.txt") | $(non2xx "$dir/page.txt") | $b | $(( b / (p > 0 ? p : 1) )) |"
done <<< "$pages"
