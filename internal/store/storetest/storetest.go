// Package storetest opens fresh, migrated databases for tests: SQLite in a
// temporary file always, and PostgreSQL when TAOTAI_TEST_POSTGRES names a
// server (a postgres:// URL whose user may create databases). When
// TAOTAI_REQUIRE_POSTGRES=1 (CI sets it), a missing PostgreSQL fails the
// test instead of skipping it.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
)

// Dialects lists the databases a test runs on.
var Dialects = []string{store.SQLite, store.Postgres}

// Each runs fn once per database, as subtests named "sqlite" and "postgres",
// each with a fresh migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh migrated database of the dialect, closed at the end
// of the test, with a fixed clock at 2020-05-10 10:00 in Asia/Shanghai.
func Open(tb testing.TB, dialect string) *store.DB {
	tb.Helper()
	dsn := DSN(tb, dialect)
	clock := &taotai.FixedClock{T: time.Date(2020, 5, 10, 10, 0, 0, 0, taotai.Shanghai)}
	db, err := store.Open(context.Background(), dsn, clock)
	if err != nil {
		tb.Fatalf("open %s: %v", dialect, err)
	}
	tb.Cleanup(func() { db.Close() })
	// PostgreSQL's copy of the template is migrated already; Migrate then
	// only checks and prepares, as at every start.
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	// After the test (before the database closes): every copy of a lane
	// must equal its enterprise's, whatever the test did.
	tb.Cleanup(func() { CheckLanes(tb, db) })
	return db
}

// CheckLanes fails the test when a row's copy of its enterprise's lane
// (region_path, sector) differs from the enterprise's, or an enterprise's
// from its region and industry.
func CheckLanes(tb testing.TB, db *store.DB) {
	tb.Helper()
	bad, err := db.LaneMismatches(context.Background())
	if err != nil && strings.Contains(err.Error(), "database is closed") {
		return // the test closed it itself (a health check's failure)
	}
	if err != nil {
		tb.Errorf("check lanes: %v", err)
		return
	}
	for i, b := range bad {
		if i == 10 {
			tb.Errorf("… and %d more rows out of their enterprise's lane", len(bad)-i)
			break
		}
		tb.Errorf("lane invariant broken: %s", b)
	}
}

// DSN returns the address of a fresh migrated database (PostgreSQL) or of a
// new file (SQLite, not yet migrated) for the dialect. Processes under test
// (a real taotai serve) can be pointed at it.
func DSN(tb testing.TB, dialect string) string {
	tb.Helper()
	if dialect == store.SQLite {
		return filepath.Join(tb.TempDir(), "taotai.db")
	}
	base := os.Getenv("TAOTAI_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("TAOTAI_REQUIRE_POSTGRES") == "1" {
			tb.Fatal("TAOTAI_REQUIRE_POSTGRES=1 but TAOTAI_TEST_POSTGRES is not set")
		}
		tb.Skip("PostgreSQL not configured (set TAOTAI_TEST_POSTGRES)")
	}
	tmpl, err := template(base)
	if err != nil {
		tb.Fatalf("postgres template: %v", err)
	}
	name := fmt.Sprintf("taotai_t%d_%d", os.Getpid(), counter.Add(1))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + tmpl); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err == nil {
			admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			admin.Close()
		}
	})
	return withDatabase(base, name)
}

var (
	counter   atomic.Int64
	tmplOnce  sync.Once
	tmplName  string
	tmplError error
)

// template migrates one database per test process, which each test's
// database copies (CREATE DATABASE … TEMPLATE), far faster than migrating.
func template(base string) (string, error) {
	tmplOnce.Do(func() {
		tmplName = fmt.Sprintf("taotai_tmpl_%d", os.Getpid())
		admin, err := sql.Open("pgx", base)
		if err != nil {
			tmplError = err
			return
		}
		defer admin.Close()
		dropOrphans(admin)
		admin.Exec(`DROP DATABASE IF EXISTS ` + tmplName + ` WITH (FORCE)`)
		if _, err := admin.Exec(`CREATE DATABASE ` + tmplName); err != nil {
			tmplError = err
			return
		}
		db, err := store.Open(context.Background(), withDatabase(base, tmplName), nil)
		if err != nil {
			tmplError = err
			return
		}
		tmplError = db.Migrate(context.Background())
		db.Close()
	})
	return tmplName, tmplError
}

// testDatabases names the databases that test processes made.
func testDatabases(admin *sql.DB) ([]string, error) {
	rows, err := admin.Query(`SELECT datname FROM pg_database WHERE datname LIKE 'taotai\_t%'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, rows.Err()
}

// dropOrphans drops the test databases of test processes that are gone
// (killed, or ended before their cleanup): taotai_tmpl_<pid> and
// taotai_t<pid>_<n>, when no process <pid> runs on this machine.
func dropOrphans(admin *sql.DB) {
	names, err := testDatabases(admin)
	if err != nil {
		return // best effort: the orphans wait for the next run
	}
	for _, name := range names {
		rest := strings.TrimPrefix(strings.TrimPrefix(name, "taotai_tmpl_"), "taotai_t")
		pid, err := strconv.Atoi(strings.SplitN(rest, "_", 2)[0])
		if err != nil || pid == os.Getpid() || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue
		}
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	}
}

func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

// ActorContext returns a context acting as a user of the role in the
// region's subtree and sector ("" = both).
func ActorContext(db *store.DB, role, regionCode, sector string) context.Context {
	r, err := db.FindRegion(context.Background(), regionCode)
	if err != nil {
		panic(err)
	}
	return taotai.NewContextWithActor(context.Background(), &taotai.Actor{
		Username: role + "@" + regionCode, Role: role, RegionCode: regionCode, RegionPath: r.Path, Sector: sector,
	})
}

// Penalty issues a 行政处罚决定书 the lawful way, for tests whose subject
// is what follows a penalty (forms, lists, figures), not its procedure: a
// 行政处罚告知书 of the same fine on the decision's day in the same
// inspection, which the enterprise waives in writing, then the decision;
// both by the system actor. d is filled as IssueDocument fills it.
func Penalty(db *store.DB, d *taotai.Document) error {
	sys := taotai.NewContextWithActor(context.Background(), taotai.System)
	n := &taotai.PenaltyNotice{InspectionID: d.InspectionID, IssuedOn: d.IssuedOn, Fine: d.Fine, StopState: d.StopState, Waived: true}
	if n.Fine == 0 && n.StopState == "" {
		n.Fine = 1 // a notice proposes a penalty; the decision may be lighter
	}
	if err := db.IssuePenaltyNotice(sys, n); err != nil {
		return err
	}
	d.Kind, d.NoticeID = taotai.DocPenalty, n.ID
	return db.IssueDocument(sys, d)
}
