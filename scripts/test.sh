#!/usr/bin/env bash
# Runs every test: go vet, golangci-lint, the whole suite on SQLite and PostgreSQL (store,
# web and end-to-end tests), the browser journeys, and a short pass of each
# fuzz test.
#
# PostgreSQL: uses TAOTAI_TEST_POSTGRES if set; otherwise starts a throwaway
# cluster from the Debian binaries (/usr/lib/postgresql/*/bin) and stops it
# at the end. Without them the PostgreSQL tests skip — unless CI=true, when
# a skipped PostgreSQL, browser or PDF test is a failure (the PDF test
# prints the forms with LibreOffice: soffice, pdftotext and the Carlito
# font).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${CI:-}" = "true" ]; then
  export TAOTAI_REQUIRE_POSTGRES=1 TAOTAI_REQUIRE_BROWSER=1 TAOTAI_REQUIRE_PDF=1
fi

pgdir=""
stop_pg() {
  if [ -n "$pgdir" ]; then
    as_pg "$pgbin/pg_ctl -D $pgdir/data -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
}
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }

if [ -z "${TAOTAI_TEST_POSTGRES:-}" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ]; then
    pgdir=$(mktemp -d /tmp/taotai-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$pgdir"
    port=$(( 20000 + RANDOM % 20000 ))
    trap stop_pg EXIT
    as_pg "$pgbin/initdb -D $pgdir/data -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null"
    as_pg "$pgbin/pg_ctl -D $pgdir/data -l $pgdir/log -w -o '-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' start" >/dev/null
    export TAOTAI_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
    echo "test.sh: throwaway PostgreSQL on port $port"
  else
    echo "test.sh: no PostgreSQL found; its tests will skip" >&2
  fi
fi

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi
go vet ./...

# The linter, at a pinned version, built once from the Go module proxy into
# a cache outside the repository (.golangci.yml says what it checks and why
# each exclusion is there). Any finding fails the run.
lint_version=v2.15.0
lint_dir=${XDG_CACHE_HOME:-$HOME/.cache}/taotai-tools/golangci-lint-$lint_version
if [ ! -x "$lint_dir/golangci-lint" ]; then
  echo "test.sh: building golangci-lint $lint_version (once)"
  GOBIN="$lint_dir" GOFLAGS= go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$lint_version"
fi
"$lint_dir/golangci-lint" run ./...
go test -count=1 -timeout 15m ./...

# A short pass of every fuzz test (each package's Fuzz* functions). The budget
# is a count of runs, not a duration: with a duration Go 1.26's coordinator
# can report its own deadline as a failure ("context deadline exceeded", no
# crasher; golang/go#75804, fixed in Go 1.27), which a loaded machine hits.
fuzztime=${TAOTAI_FUZZTIME:-1000x}
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for fz in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
    echo "fuzz $pkg $fz ($fuzztime)"
    if ! out=$(go test -run='^$' -fuzz="^$fz\$" -fuzztime="$fuzztime" -fuzzminimizetime=10x "$pkg" 2>&1); then
      echo "$out" | grep -v 'INFO migration applied' | tail -60
      exit 1
    fi
  done
done
echo "all tests passed"
