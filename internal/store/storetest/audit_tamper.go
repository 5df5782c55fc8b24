package storetest

import (
	"database/sql"
	"testing"
	"time"

	"taotai"
	"taotai/internal/store"
)

// The attacks on the audit trail that tests show to be caught, done as
// someone with the database owner's rights would: straight in SQL.

// DropAuditGuard drops the triggers that keep audit_log append-only.
func DropAuditGuard(tb testing.TB, db *sql.DB, dialect string) {
	tb.Helper()
	q := `DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete`
	if dialect == store.Postgres {
		q = `DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log; DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log`
	}
	if _, err := db.Exec(q); err != nil {
		tb.Fatalf("drop the audit guard: %v", err)
	}
}

// auditEntries reads the whole trail, in order, without the hashes.
func auditEntries(db *sql.DB) ([]*taotai.AuditEntry, error) {
	rows, err := db.Query(`SELECT seq, at, COALESCE(user_id, 0), username, role, addr, action, entity, entity_id,
		region_path, sector, before, after, note FROM audit_log ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var entries []*taotai.AuditEntry
	for rows.Next() {
		e := &taotai.AuditEntry{}
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.UserID, &e.Username, &e.Role, &e.Addr, &e.Action, &e.Entity, &e.EntityID,
			&e.RegionPath, &e.Sector, &e.Before, &e.After, &e.Note); err != nil {
			return nil, err
		}
		if e.At, err = time.Parse(taotai.AuditTimeFormat, at); err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, rows.Err()
}

// RechainAudit recomputes every entry's previous hash and hash from the
// first on, after the guard is dropped, so that the chain of a changed
// trail verifies again.
func RechainAudit(tb testing.TB, db *sql.DB, dialect string) {
	tb.Helper()
	entries, err := auditEntries(db)
	if err != nil {
		tb.Fatal(err)
	}
	update := `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?`
	if dialect == store.Postgres {
		update = `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3`
	}
	prev := taotai.GenesisHash
	for _, e := range entries {
		e.PrevHash = prev
		e.Hash = e.ComputeHash()
		if _, err := db.Exec(update, e.PrevHash, e.Hash, e.Seq); err != nil {
			tb.Fatalf("rechain entry %d: %v", e.Seq, err)
		}
		prev = e.Hash
	}
}
