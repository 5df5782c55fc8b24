package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"taotai/internal/demo"
	"taotai/internal/store"
)

// crashScale is the demo size of TestDemoKilledMidLoad: 20,000 enterprises,
// written in one transaction that lasts a second or two.
const crashScale = 40

// demoCounts are the rows a demo load leaves.
type demoCounts struct{ users, enterprises, keyList int }

// TestDemoKilledMidLoad kills a real `taotai demo` process with SIGKILL
// while it writes its enterprises, at four moments, and checks that each
// time the database is as before the write (no enterprises) or as after it
// (all of them), never in between, and passes integrity_check. Three
// moments are set by the growth of the -wal file once the demo accounts
// exist: the one big transaction spills its pages there before it
// commits; at least one of these kills must land inside the transaction.
// The fourth comes as soon as another connection sees any enterprise: a
// load split into several transactions would be caught half done there.
func TestDemoKilledMidLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs four demo loads of 20,000 enterprises; skipped with -short")
	}
	// What a complete load leaves, loaded here while the binary builds.
	refPath := filepath.Join(t.TempDir(), "reference.db")
	var want demoCounts
	var refErr error
	var ref sync.WaitGroup
	ref.Go(func() { want, refErr = referenceLoad(refPath) })
	defer ref.Wait() // also when the build fails
	bin := buildTaotai(t)
	if ref.Wait(); refErr != nil {
		t.Fatalf("reference load: %v", refErr)
	}
	t.Logf("a complete load: %+v", want)
	midTransaction := 0
	for _, when := range []killAt{{walGrowth: 256 << 10}, {walGrowth: 2 << 20}, {walGrowth: 5 << 20}, {firstVisible: true}} {
		t.Run(when.String(), func(t *testing.T) {
			if killAndCheck(t, bin, when, want) {
				midTransaction++
			}
		})
	}
	if midTransaction == 0 && !t.Failed() {
		t.Fatal("no kill landed inside the bulk transaction: every load had committed first " +
			"(does the transaction still spill pages to the -wal file before it commits?)")
	}
}

// killAndCheck kills a demo load at the moment when and checks that the
// database holds none of it or all of it. It reports whether the kill
// landed inside the bulk transaction: the -wal file had grown, the process
// had not finished, and nothing of the load is there.
func killAndCheck(t *testing.T, bin string, when killAt, want demoCounts) (midTransaction bool) {
	path := filepath.Join(t.TempDir(), "demo.db")
	r := killDemo(t, bin, path, want.users, when)
	got := countRows(t, path)
	t.Logf("killed after %v, -wal grown by %d KiB, %d enterprises visible, URL printed: %v; found %+v",
		r.after.Round(time.Millisecond), r.grown>>10, r.visible, r.printed, got)
	switch {
	case got.users != want.users:
		t.Fatalf("%d users, want the %d demo accounts committed before the kill", got.users, want.users)
	case got.enterprises == 0 && got.keyList == 0:
		return when.walGrowth > 0 && r.grown >= when.walGrowth && !r.printed
	case got != want:
		t.Fatalf("a partial load survived the kill: %+v, want none or %+v", got, want)
	}
	return false
}

// referenceLoad loads the demo (the same scale and seed) in this process
// into a new database at path and counts what a complete load leaves.
func referenceLoad(path string) (demoCounts, error) {
	ctx := context.Background()
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		return demoCounts{}, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return demoCounts{}, err
	}
	if _, err := demo.Load(ctx, db, demo.Options{Scale: crashScale, Seed: 2020}); err != nil {
		return demoCounts{}, err
	}
	return countIn(db.SQL())
}

// killAt is the moment of a kill, once the demo accounts exist: when the
// -wal file has grown by walGrowth bytes, or when firstVisible, as soon
// as another connection sees an enterprise. In any case no later than the
// process printing its URL.
type killAt struct {
	walGrowth    int64
	firstVisible bool
}

func (k killAt) String() string {
	if k.firstVisible {
		return "first-enterprise-visible"
	}
	return fmt.Sprintf("wal+%dKiB", k.walGrowth>>10)
}

// killed says when and how a demo process was killed.
type killed struct {
	after   time.Duration // since the start
	grown   int64         // growth of the -wal file past its size once the accounts existed
	visible int           // enterprises another connection saw last (firstVisible only)
	printed bool          // the process had printed its URL: the load was over
}

// killDemo runs `taotai demo --scale 40` on a new database at path, waits
// until the demo accounts exist, kills the process with SIGKILL at the
// moment when, and waits for its end.
func killDemo(t *testing.T, bin, path string, users int, when killAt) killed {
	t.Helper()
	var stdout, stderr procOutput
	cmd := exec.Command(bin, "demo", "--scale", fmt.Sprint(crashScale), "--db", path, "--addr", "127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	defer func() {
		cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("taotai demo output:\n%s%s", stdout.String(), stderr.String())
		}
	}()
	printed := func() bool { return strings.Contains(stdout.String(), "http://") }
	exited := func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	}
	reader := openReader(t, path, exited)
	defer reader.Close()
	base := walSizeOnceAccounts(t, reader, path, users, exited)
	var size int64
	var visible int
	for deadline := start.Add(60 * time.Second); ; time.Sleep(time.Millisecond) {
		size = fileSize(path + "-wal")
		if when.firstVisible {
			if err := reader.QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&visible); err != nil {
				t.Fatal(err)
			}
		}
		if (when.walGrowth > 0 && size-base >= when.walGrowth) || visible > 0 || printed() {
			break
		}
		if exited() {
			t.Fatal("taotai demo exited before it was killed")
		}
		if time.Now().After(deadline) {
			t.Fatal("taotai demo neither wrote nor started within 60 s")
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	after := time.Since(start)
	<-done
	return killed{after: after, grown: size - base, visible: visible, printed: printed()}
}

// openReader opens the database at path read-only, once the process has
// created it in WAL mode. Read-only, it neither creates the file nor
// writes to it, not even a checkpoint when it closes after the kill.
func openReader(t *testing.T, path string, exited func() bool) *sql.DB {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); fileSize(path+"-shm") == 0; time.Sleep(time.Millisecond) {
		if exited() || time.Now().After(deadline) {
			t.Fatal("taotai demo created no database")
		}
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	return db
}

// walSizeOnceAccounts waits until the database holds the demo accounts,
// which the demo creates before its enterprises, and returns the size of
// the -wal file then.
func walSizeOnceAccounts(t *testing.T, db *sql.DB, path string, users int, exited func() bool) int64 {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		// Before the migration has run, the table is missing: wait.
		if err := db.QueryRow(`SELECT COUNT(*) FROM users`).Scan(&n); err == nil && n >= users {
			return fileSize(path + "-wal")
		}
		if exited() || time.Now().After(deadline) {
			t.Fatalf("the demo accounts did not appear (%d of %d users)", n, users)
		}
		time.Sleep(time.Millisecond)
	}
}

// countRows opens the database as the server would after the crash (store
// recovery, migrations), checks its integrity and counts the demo's rows.
func countRows(t *testing.T, path string) demoCounts {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate after the crash: %v", err)
	}
	var check string
	if err := db.SQL().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check after the crash: %q, %v", check, err)
	}
	var orphans int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM key_list k LEFT JOIN enterprises e ON e.id = k.enterprise_id
		WHERE e.id IS NULL`).Scan(&orphans); err != nil || orphans != 0 {
		t.Fatalf("key-list entries without an enterprise: %d, %v", orphans, err)
	}
	c, err := countIn(db.SQL())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func countIn(db *sql.DB) (demoCounts, error) {
	var c demoCounts
	err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM enterprises), (SELECT COUNT(*) FROM key_list)`).
		Scan(&c.users, &c.enterprises, &c.keyList)
	return c, err
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
