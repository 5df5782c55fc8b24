package store

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"

	"taotai"
)

// TestMigrateOutOfOrder: a database migrated while a migration had not yet
// landed (00027 before 00026, as happened) is given the missing one by the
// next Migrate, not refused.
func TestMigrateOutOfOrder(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"), taotai.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all, err := fs.Sub(migrations, "migrations/"+db.dialect)
	if err != nil {
		t.Fatal(err)
	}
	without := fstest.MapFS{}
	entries, err := fs.ReadDir(all, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "00026_") {
			continue
		}
		b, err := fs.ReadFile(all, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		without[e.Name()] = &fstest.MapFile{Data: b}
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db.db.DB, without)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'acceptances'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("acceptances before: %d %v", n, err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate with 00026 missing below later ones: %v", err)
	}
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'acceptances'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("acceptances after: %d %v", n, err)
	}
}

// TestAnalyzeKeepsNoSamples: after Analyze, and after opening a database
// that an older taotai analyzed, SQLite keeps its per-index averages but
// no sample statistics (sqlite_stat4), which would have every prepared
// statement planned again each time a value is bound to it.
func TestAnalyzeKeepsNoSamples(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := Open(ctx, path, taotai.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	tables := func() (stat1, stat4 int) {
		t.Helper()
		if err := db.db.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'),
			(SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat4')`).Scan(&stat1, &stat4); err != nil {
			t.Fatal(err)
		}
		return stat1, stat4
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	if s1, s4 := tables(); s1 != 1 || s4 != 0 {
		t.Fatalf("after Analyze: sqlite_stat1 %d, sqlite_stat4 %d tables; want 1 and 0", s1, s4)
	}
	// An older taotai left the samples of a plain ANALYZE.
	if _, err := db.db.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	if _, s4 := tables(); s4 != 1 {
		t.Fatalf("a plain ANALYZE left %d sqlite_stat4 tables; the test needs one", s4)
	}
	db.Close()
	if db, err = Open(ctx, path, taotai.SystemClock{}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if s1, s4 := tables(); s1 != 1 || s4 != 0 {
		t.Fatalf("after opening again: sqlite_stat1 %d, sqlite_stat4 %d tables; want 1 and 0", s1, s4)
	}
}

// TestTuning: the pool and SQLite's page cache and mapping follow the
// Tuning given, the defaults otherwise, and a negative size is refused.
func TestTuning(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		tuning              Tuning
		conns, cache, mmapM int
	}{
		{Tuning{}, DefaultSQLiteConns, DefaultCacheMiB, DefaultMmapMiB},
		{Tuning{Conns: 3, CacheMiB: 16, MmapMiB: 64}, 3, 16, 64},
	} {
		db, err := OpenTuned(ctx, filepath.Join(t.TempDir(), "t.db"), taotai.SystemClock{}, tc.tuning)
		if err != nil {
			t.Fatal(err)
		}
		if got := db.db.Stats().MaxOpenConnections; got != tc.conns {
			t.Errorf("%+v: %d connections at most, want %d", tc.tuning, got, tc.conns)
		}
		var cache, mmap int64
		if err := db.db.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
			t.Fatal(err)
		}
		if err := db.db.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&mmap); err != nil {
			t.Fatal(err)
		}
		if cache != -int64(tc.cache)*1024 || mmap != int64(tc.mmapM)<<20 {
			t.Errorf("%+v: cache_size %d, mmap_size %d; want %d KiB and %d MiB", tc.tuning, cache, mmap, tc.cache*1024, tc.mmapM)
		}
		db.Close()
	}
	if _, err := OpenTuned(ctx, filepath.Join(t.TempDir(), "t.db"), nil, Tuning{CacheMiB: -1}); taotai.ErrorCode(err) != taotai.EINVALID {
		t.Errorf("a negative cache: %v, want EINVALID", err)
	}
}
