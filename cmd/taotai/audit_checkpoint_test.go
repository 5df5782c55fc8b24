package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"taotai"
	"taotai/internal/store"
	"taotai/internal/store/storetest"
)

// runTaotai runs the binary with args and extra environment (none of the
// caller's TAOTAI_AUDIT_* variables) and returns its output and exit code.
func runTaotai(t *testing.T, bin string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append(os.Environ(), "TAOTAI_AUDIT_KEY=", "TAOTAI_AUDIT_PUBKEY="), env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return string(out), 0
}

// auditTrail returns a fresh database of the dialect with n audit entries,
// and the store to add more or to tamper with it through SQL.
func auditTrail(t *testing.T, dialect string, n int) (string, *store.DB) {
	t.Helper()
	dsn := storetest.DSN(t, dialect)
	db, err := openStore(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	addEntries(t, db, n)
	return dsn, db
}

func addEntries(t *testing.T, db *store.DB, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if err := db.RecordEvent(operatorContext(context.Background()), taotai.AuditExport, "test", i, fmt.Sprintf("事件%d", i)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAuditCheckpointCommands: through the real binary, on both databases,
// a checkpoint kept outside the database catches what `audit verify` alone
// cannot — the last entries deleted, the chain recomputed after a change —
// and a checkpoint forged without the key, while an honest trail grown past
// its checkpoints passes.
func TestAuditCheckpointCommands(t *testing.T) {
	bin := buildTaotai(t)
	dir := t.TempDir()
	key, pub := filepath.Join(dir, "audit.key"), filepath.Join(dir, "audit.key.pub")
	if out, code := runTaotai(t, bin, nil, "audit", "keygen", "-o", key); code != 0 || !strings.Contains(out, "ed25519:") {
		t.Fatalf("keygen: %d %s", code, out)
	}
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key file: %v %v", fi.Mode(), err)
	}
	before, _ := os.ReadFile(key)
	if out, code := runTaotai(t, bin, nil, "audit", "keygen", "-o", key); code != 1 || !strings.Contains(out, "已存在") {
		t.Fatalf("keygen over an existing key: %d %s", code, out)
	}
	if after, _ := os.ReadFile(key); string(after) != string(before) {
		t.Fatal("keygen overwrote the private key")
	}
	checkpoint := func(t *testing.T, dsn, name string, env []string, args ...string) string {
		t.Helper()
		file := filepath.Join(t.TempDir(), name)
		out, code := runTaotai(t, bin, env, append([]string{"audit", "checkpoint", "--db", dsn, "-o", file}, args...)...)
		if code != 0 {
			t.Fatalf("checkpoint: %d %s", code, out)
		}
		if text, _ := os.ReadFile(file); string(text) != out {
			t.Fatalf("printed checkpoint %q, written %q", out, text)
		}
		return file
	}
	verify := func(t *testing.T, dsn string, args ...string) (string, int) {
		t.Helper()
		return runTaotai(t, bin, nil, append([]string{"audit", "verify", "--db", dsn}, args...)...)
	}
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Run("honest trail grown past its checkpoints", func(t *testing.T) {
				dsn, db := auditTrail(t, dialect, 5)
				cp1 := checkpoint(t, dsn, "cp1", []string{"TAOTAI_AUDIT_KEY=" + key})
				if text, _ := os.ReadFile(cp1); !strings.Contains(string(text), "\nseq: 5\n") {
					t.Fatalf("checkpoint of 5 entries:\n%s", text)
				}
				if out, code := runTaotai(t, bin, []string{"TAOTAI_AUDIT_KEY=" + key}, "audit", "checkpoint", "--db", dsn, "-o", cp1); code != 1 || !strings.Contains(out, "已存在") {
					t.Fatalf("checkpoint over an existing file: %d %s", code, out)
				}
				addEntries(t, db, 3)
				cp2 := checkpoint(t, dsn, "cp2", nil, "--key", key)
				addEntries(t, db, 1)
				out, code := verify(t, dsn, "--checkpoint", cp1, cp2, "--pubkey", pub)
				if code != 0 || !strings.Contains(out, "共9条") || strings.Count(out, "相符") != 2 {
					t.Fatalf("verify an honest trail: %d %s", code, out)
				}
				out, code = runTaotai(t, bin, []string{"TAOTAI_AUDIT_PUBKEY=" + pub}, "audit", "verify", "--db", dsn, "--checkpoint", cp1)
				if code != 0 || !strings.Contains(out, "第5条）：相符") {
					t.Fatalf("verify with the public key from the environment: %d %s", code, out)
				}
			})
			t.Run("last entries deleted", func(t *testing.T) {
				dsn, db := auditTrail(t, dialect, 5)
				cp := checkpoint(t, dsn, "kept", nil, "--key", key)
				addEntries(t, db, 2)
				storetest.DropAuditGuard(t, db.SQL(), db.Dialect())
				if _, err := db.SQL().Exec(`DELETE FROM audit_log WHERE seq >= 4`); err != nil {
					t.Fatal(err)
				}
				if out, code := verify(t, dsn); code != 0 {
					t.Fatalf("the chain alone still verifies: %d %s", code, out)
				}
				out, code := verify(t, dsn, "--checkpoint", cp, "--pubkey", pub)
				if code != 1 || !strings.Contains(out, "检查点 "+cp) || !strings.Contains(out, "现只到第3条") || !strings.Contains(out, "被删除") {
					t.Fatalf("verify after deleting the last entries: %d %s", code, out)
				}
			})
			t.Run("entry changed and chain recomputed", func(t *testing.T) {
				dsn, db := auditTrail(t, dialect, 5)
				cp := checkpoint(t, dsn, "kept", nil, "--key", key)
				addEntries(t, db, 2)
				storetest.DropAuditGuard(t, db.SQL(), db.Dialect())
				if _, err := db.SQL().Exec(`UPDATE audit_log SET note = '事件被改' WHERE seq = 2`); err != nil {
					t.Fatal(err)
				}
				if out, code := verify(t, dsn); code != 1 || !strings.Contains(out, "第2条") {
					t.Fatalf("the change alone breaks the chain: %d %s", code, out)
				}
				storetest.RechainAudit(t, db.SQL(), db.Dialect())
				if out, code := verify(t, dsn); code != 0 {
					t.Fatalf("the recomputed chain alone verifies: %d %s", code, out)
				}
				out, code := verify(t, dsn, "--checkpoint", cp, "--pubkey", pub)
				if code != 1 || !strings.Contains(out, "检查点 "+cp) || !strings.Contains(out, "第5条记录的哈希值与检查点记载的不符") {
					t.Fatalf("verify after recomputing the chain: %d %s", code, out)
				}
			})
			t.Run("checkpoint forged without the key", func(t *testing.T) {
				dsn, db := auditTrail(t, dialect, 5)
				kept := checkpoint(t, dsn, "kept", nil, "--key", key)
				storetest.DropAuditGuard(t, db.SQL(), db.Dialect())
				if _, err := db.SQL().Exec(`DELETE FROM audit_log WHERE seq >= 4`); err != nil {
					t.Fatal(err)
				}
				// A checkpoint of what is left, signed with a key of the attacker's own…
				evil := filepath.Join(t.TempDir(), "evil.key")
				if out, code := runTaotai(t, bin, nil, "audit", "keygen", "-o", evil); code != 0 {
					t.Fatalf("keygen: %s", out)
				}
				forged := checkpoint(t, dsn, "forged", nil, "--key", evil)
				// …and the kept checkpoint edited down to what is left.
				keptText, _ := os.ReadFile(kept)
				forgedText, _ := os.ReadFile(forged)
				edited := string(keptText)
				for _, field := range []string{"seq", "hash", "entry_at"} {
					re := regexp.MustCompile(`(?m)^` + field + `: .*$`)
					edited = re.ReplaceAllString(edited, re.FindString(string(forgedText)))
				}
				editedFile := filepath.Join(t.TempDir(), "edited")
				if err := os.WriteFile(editedFile, []byte(edited), 0o644); err != nil {
					t.Fatal(err)
				}
				out, code := verify(t, dsn, "--checkpoint", forged, "--checkpoint", editedFile, "--pubkey", pub)
				if code != 1 || !strings.Contains(out, "检查点 "+forged+"：签名无效") || !strings.Contains(out, "另一把密钥") ||
					!strings.Contains(out, "检查点 "+editedFile+"：签名无效") {
					t.Fatalf("verify forged checkpoints: %d %s", code, out)
				}
			})
		})
	}
}
