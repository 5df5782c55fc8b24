package main

import (
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"taotai/internal/demo"
)

// TestAuditVerifyCommand: `taotai audit verify` passes on a demo database
// full of audited writes, and names the entry a test then altered.
func TestAuditVerifyCommand(t *testing.T) {
	bin := buildTaotai(t)
	dsn := filepath.Join(t.TempDir(), "demo.db")
	// The demo's load audits every enterprise and key-list row.
	st, err := openStore(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), st, demo.Options{Scale: 1, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out, err := exec.Command(bin, "audit", "verify", "--db", dsn).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "操作日志哈希链完整") {
		t.Fatalf("verify on the demo database: %v\n%s", err, out)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	var seq int64
	if err := db.QueryRow(`SELECT MIN(seq) FROM audit_log WHERE entity = 'key_list' AND after LIKE '%正常生产%'`).Scan(&seq); err != nil || seq == 0 {
		t.Fatalf("no key-list entry to alter: %v", err)
	}
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`,
		fmt.Sprintf(`UPDATE audit_log SET after = replace(after, '正常生产', '停产') WHERE seq = %d`, seq)} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	out, err = exec.Command(bin, "audit", "verify", "--db", dsn).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "断开") {
		t.Fatalf("verify after tampering: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), fmt.Sprintf("第%d条", seq)) {
		t.Fatalf("the altered entry %d is not named: %s", seq, out)
	}
}
