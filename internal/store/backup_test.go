package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// TestBackupWhileWriting backs up a database while writers keep adding
// enterprises (one at a time, and in batches with key-list entries), then
// restores the backup into a new file. The restored database passes
// integrity_check, holds every enterprise that existed before the backup
// began with identical fields, and is one moment of the live database:
// exactly its rows up to some id (ids ascend in commit order, as SQLite
// has one writer at a time), with their key-list entries and no dangling
// ones.
func TestBackupWhileWriting(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
	// A registry of some size, so that the copy takes a while.
	initial := bulkList(t, db, 5000)
	listed := map[*taotai.Enterprise]bool{}
	for i, e := range initial {
		listed[e] = i%2 == 0
	}
	half := func(e *taotai.Enterprise) (string, bool) { return "备份前", listed[e] }
	if err := db.BulkCreateEnterprises(admin, initial, 2020, half); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, db, tiedong, "steel")
	mustCreate(t, db, haizhou, "coal")
	before := registry(t, admin, db)

	w := startWriters(t, admin, db, 3)
	w.waitFor(t, 30)
	atStart := w.committed.Load()
	backup := filepath.Join(t.TempDir(), "backup.db")
	began := time.Now()
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatalf("backup: %v", err)
	}
	took := time.Since(began)
	atEnd := w.committed.Load()
	w.waitFor(t, atEnd+30) // the writers carry on after it, too
	w.stop(t)
	t.Logf("backup of %d enterprises took %v; writers committed %d rows before it, %d while it ran, %d in all",
		len(before), took.Round(time.Millisecond), atStart, atEnd-atStart, w.committed.Load())

	target := filepath.Join(t.TempDir(), "restored.db")
	aside, err := store.Restore(ctx, backup, target)
	if err != nil || aside != "" {
		t.Fatalf("restore into a new file: moved aside %q, %v", aside, err)
	}
	rdb := openFile(t, target)
	if got := integrityCheck(t, rdb); got != "ok" {
		t.Fatalf("restored database: integrity_check %q", got)
	}
	restored := registry(t, admin, rdb)
	for id, e := range before {
		if got := restored[id]; !reflect.DeepEqual(got, e) {
			t.Fatalf("enterprise %d before the backup:\n%+v\nrestored:\n%+v", id, e, got)
		}
	}

	// One moment of the live database: its rows up to the restored
	// maximum id, no more and no fewer, each identical.
	live := registry(t, admin, db)
	maxID := slices.Max(slices.Collect(mapsKeys(restored)))
	want := 0
	for id, e := range live {
		if id > maxID {
			continue
		}
		want++
		if got := restored[id]; !reflect.DeepEqual(got, e) {
			t.Fatalf("enterprise %d live:\n%+v\nrestored:\n%+v", id, e, got)
		}
	}
	if len(restored) != want {
		t.Fatalf("restored %d enterprises; the live database had %d up to id %d", len(restored), want, maxID)
	}
	if least := len(before) + int(atStart); len(restored) < least {
		t.Fatalf("restored %d enterprises, but %d were committed before the backup began", len(restored), least)
	}
	if len(restored) >= len(live) {
		t.Fatalf("restored %d of %d enterprises: the writes after the backup should be missing", len(restored), len(live))
	}
	if got, want := keyList(t, rdb, maxID), keyList(t, db, maxID); !reflect.DeepEqual(got, want) {
		t.Fatalf("restored key list has %d entries, the live one %d up to id %d", len(got), len(want), maxID)
	}
	var dangling int
	if err := rdb.SQL().QueryRow(`SELECT COUNT(*) FROM key_list k LEFT JOIN enterprises e ON e.id = k.enterprise_id
		WHERE e.id IS NULL`).Scan(&dangling); err != nil || dangling != 0 {
		t.Fatalf("key-list entries without an enterprise: %d (%v)", dangling, err)
	}
}

// writers add enterprises until stopped: one at a time, and every fifth
// round 25 in one transaction, all on the key list.
type writers struct {
	committed atomic.Int64 // rows committed
	done      atomic.Bool
	wg        sync.WaitGroup
	errs      chan error
}

var writerCodes atomic.Int64

// writerCode returns a fresh valid credit code, safe across goroutines
// (newCode is not), in a range newCode does not use.
func writerCode() string {
	first := fmt.Sprintf("912104%011d", writerCodes.Add(1))
	return first + string(taotai.USCCCheckDigit(first))
}

func startWriters(t *testing.T, admin context.Context, db *store.DB, n int) *writers {
	t.Helper()
	steel := industryID(t, db, "steel")
	w := &writers{errs: make(chan error, n)}
	newEnterprise := func(g, i int) *taotai.Enterprise {
		return &taotai.Enterprise{Name: fmt.Sprintf("写入者%d企业%05d有限公司", g, i), CreditCode: writerCode(),
			Address: fmt.Sprintf("和平路%d号", i+1), RegionCode: tiedong, IndustryID: steel,
			ProductionState: taotai.StateNormal, LegalRep: "李四"}
	}
	listed := func(*taotai.Enterprise) (string, bool) { return "备份时写入", true }
	for g := range n {
		w.wg.Go(func() {
			for i := 0; !w.done.Load(); i++ {
				if i%5 == 4 {
					batch := make([]*taotai.Enterprise, 25)
					for j := range batch {
						batch[j] = newEnterprise(g, i*100+j)
					}
					if err := db.BulkCreateEnterprises(admin, batch, 2020, listed); err != nil {
						w.errs <- fmt.Errorf("writer %d: bulk: %w", g, err)
						return
					}
					w.committed.Add(int64(len(batch)))
					continue
				}
				if err := db.CreateEnterprise(admin, newEnterprise(g, i*100), false); err != nil {
					w.errs <- fmt.Errorf("writer %d: %w", g, err)
					return
				}
				w.committed.Add(1)
			}
		})
	}
	t.Cleanup(func() { w.done.Store(true); w.wg.Wait() })
	return w
}

// waitFor waits until the writers have committed n rows.
func (w *writers) waitFor(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for w.committed.Load() < n {
		select {
		case err := <-w.errs:
			t.Fatal(err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("writers committed %d rows in 20 s, want %d", w.committed.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func (w *writers) stop(t *testing.T) {
	t.Helper()
	w.done.Store(true)
	w.wg.Wait()
	close(w.errs)
	for err := range w.errs {
		t.Error(err)
	}
}

// registry reads every enterprise, by id.
func registry(t *testing.T, ctx context.Context, db *store.DB) map[int64]*taotai.Enterprise {
	t.Helper()
	out := map[int64]*taotai.Enterprise{}
	for {
		page, total, err := db.FindEnterprises(ctx, taotai.EnterpriseFilter{Offset: len(out), Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page {
			out[e.ID] = e
		}
		if len(page) == 0 || len(out) >= total {
			return out
		}
	}
}

func mapsKeys[K comparable, V any](m map[K]V) func(yield func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// keyList returns the key-list entries of enterprises up to maxID.
func keyList(t *testing.T, db *store.DB, maxID int64) map[int64]string {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT enterprise_id, note FROM key_list WHERE year = 2020 AND enterprise_id <= $1`, maxID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var note string
		if err := rows.Scan(&id, &note); err != nil {
			t.Fatal(err)
		}
		out[id] = note
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func integrityCheck(t *testing.T, db *store.DB) string {
	t.Helper()
	var got string
	if err := db.SQL().QueryRow(`PRAGMA integrity_check`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	return got
}

// openFile opens and migrates the SQLite database at path, closed at the
// end of the test.
func openFile(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// savedDatabase makes an SQLite database at path with n enterprises and
// closes it, as a stopped server leaves it.
func savedDatabase(t *testing.T, path string, n int) {
	t.Helper()
	db, err := store.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	admin := storetest.ActorContext(db, taotai.RoleAdmin, taotai.ProvinceCode, "")
	if err := db.BulkCreateEnterprises(admin, bulkList(t, db, n), 0, nil); err != nil {
		t.Fatal(err)
	}
}

func countEnterprises(t *testing.T, path string) int {
	t.Helper()
	var n int
	if err := openFile(t, path).SQL().QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// snapshot returns the names and contents of the files in dir.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for name, content := range a {
		if other, ok := b[name]; !ok || !bytes.Equal(content, other) {
			return false
		}
	}
	return true
}

func names(files map[string][]byte) []string {
	var out []string
	for name := range files {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// TestBackupRefusesExistingFile: a backup never overwrites a file, and a
// refused one leaves nothing behind.
func TestBackupRefusesExistingFile(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(path, []byte("昨天的备份"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	err := db.Backup(context.Background(), path)
	if taotai.ErrorCode(err) != taotai.ECONFLICT {
		t.Fatalf("backup to an existing file: %v", err)
	}
	if after := snapshot(t, dir); !sameFiles(before, after) {
		t.Fatalf("a refused backup changed the directory: %v", names(after))
	}
	// Into a new name it works, and leaves only that file.
	if err := db.Backup(context.Background(), filepath.Join(dir, "new.db")); err != nil {
		t.Fatal(err)
	}
	if got := names(snapshot(t, dir)); !slices.Equal(got, []string{"backup.db", "new.db"}) {
		t.Fatalf("files after a backup: %v", got)
	}
}

// TestRestoreRefusesBadBackup: a file that is no sound taotai database of
// a known version is refused, and the target stays exactly as it was.
func TestRestoreRefusesBadBackup(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	good := filepath.Join(src, "good.db")
	db := storetest.Open(t, store.SQLite)
	if err := db.Backup(ctx, good); err != nil {
		t.Fatal(err)
	}
	content, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// alter returns a copy of the good backup changed by the statement.
	alter := func(name, stmt string) string {
		p := write(name, content)
		raw, err := sql.Open("sqlite", p)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(err)
		}
		return p
	}
	foreign := filepath.Join(src, "foreign.db")
	if raw, err := sql.Open("sqlite", foreign); err != nil {
		t.Fatal(err)
	} else if _, err := raw.Exec(`CREATE TABLE notes (body TEXT)`); err != nil {
		t.Fatal(err)
	} else {
		raw.Close()
	}
	tests := []struct{ name, path string }{
		{"text file", write("notes.txt", bytes.Repeat([]byte("这不是数据库。\n"), 400))},
		{"missing file", filepath.Join(src, "absent.db")},
		{"another program's database", foreign},
		{"truncated backup", write("half.db", content[:len(content)/2])},
		{"damaged page", write("damaged.db", damage(content))},
		{"newer schema", alter("newer.db", `INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)`)},
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "taotai.db")
	savedDatabase(t, target, 20)
	before := snapshot(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			aside, err := store.Restore(ctx, tt.path, target)
			if taotai.ErrorCode(err) != taotai.EINVALID || aside != "" {
				t.Fatalf("restore: moved aside %q, %v", aside, err)
			}
			t.Logf("refused: %s", taotai.ErrorMessage(err))
			if after := snapshot(t, dir); !sameFiles(before, after) {
				t.Fatalf("a refused restore changed the target's directory: %v, was %v", names(after), names(before))
			}
		})
	}
	if n := countEnterprises(t, target); n != 20 {
		t.Fatalf("target holds %d enterprises after the refusals, want 20", n)
	}
}

// damage overwrites the last page of an SQLite file.
func damage(content []byte) []byte {
	b := slices.Clone(content)
	for i := len(b) - 4096; i < len(b); i++ {
		b[i] = 0xA5
	}
	return b
}

// TestRestoreReplacesDatabase: the old database is moved aside whole, not
// deleted, and the target holds the backup.
func TestRestoreReplacesDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	target := filepath.Join(dir, "taotai.db")
	savedDatabase(t, target, 7)
	backup := filepath.Join(t.TempDir(), "backup.db")
	src := filepath.Join(t.TempDir(), "other.db")
	savedDatabase(t, src, 12)
	srcDB, err := store.Open(ctx, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := srcDB.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	srcDB.Close()

	aside, err := store.Restore(ctx, backup, target)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(aside) != dir || !strings.HasPrefix(filepath.Base(aside), "taotai.db.before-restore-") {
		t.Fatalf("moved aside to %q", aside)
	}
	if got := names(snapshot(t, dir)); len(got) != 2 || got[0] != "taotai.db" || got[1] != filepath.Base(aside) {
		t.Fatalf("files after the restore: %v", got)
	}
	if n := countEnterprises(t, target); n != 12 {
		t.Fatalf("restored database holds %d enterprises, want 12", n)
	}
	if n := countEnterprises(t, aside); n != 7 {
		t.Fatalf("the old database, moved aside, holds %d enterprises, want 7", n)
	}
}

// TestRestoreRefusesOpenDatabase: while a connection holds the target open
// (a running server), restore refuses and changes nothing.
func TestRestoreRefusesOpenDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	target := filepath.Join(dir, "taotai.db")
	live := openFile(t, target)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := live.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	// Only the names: opening and closing the database file here would
	// drop this process's POSIX locks on it.
	before := listDir(t, dir)
	aside, err := store.Restore(ctx, backup, target)
	if taotai.ErrorCode(err) != taotai.EINVALID || aside != "" {
		t.Fatalf("restore over an open database: moved aside %q, %v", aside, err)
	}
	if after := listDir(t, dir); !slices.Equal(before, after) {
		t.Fatalf("files %v, were %v", after, before)
	}
	if err := live.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestBackupPostgres: on PostgreSQL, backup and restore point to pg_dump.
func TestBackupPostgres(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	if err := db.Backup(context.Background(), filepath.Join(t.TempDir(), "x.db")); taotai.ErrorCode(err) != taotai.EINVALID {
		t.Fatalf("backup on PostgreSQL: %v", err)
	}
	if _, err := store.Restore(context.Background(), "x.db", "postgres://u@h/db"); taotai.ErrorCode(err) != taotai.EINVALID {
		t.Fatalf("restore to PostgreSQL: %v", err)
	}
}
