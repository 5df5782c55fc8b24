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
