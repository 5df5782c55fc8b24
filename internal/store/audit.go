package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"taotai"
)

// auditLockKey is the PostgreSQL advisory lock that serialises appends to
// the chain across every instance sharing the database.
const auditLockKey = 7020_0325

// change is one write to record: the caller fills what it changed.
type change struct {
	Action     string
	Entity     string
	EntityID   any // int64 or string
	RegionPath string
	Sector     string // "" = both sectors of the region
	Before     any    // marshalled to JSON; nil for none
	After      any
	Note       string
}

// record appends one entry for a write, inside the write's transaction, so
// that the write and its record commit or fail together.
func (s *DB) record(ctx context.Context, tx *sql.Tx, c change) error {
	return s.recordAll(ctx, tx, []change{c})
}

// recordAll appends entries in order with one look at the chain's head.
func (s *DB) recordAll(ctx context.Context, tx *sql.Tx, cs []change) error {
	if len(cs) == 0 || s.noAudit {
		return nil
	}
	if s.dialect == Postgres {
		switch {
		case len(cs) == 1:
			return s.appendOne(ctx, tx, cs[0])
		case len(cs) <= 1000:
			return s.appendBatch(ctx, tx, cs)
		}
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, auditLockKey); err != nil {
			return fmt.Errorf("audit lock: %w", err)
		}
	}
	var seq int64
	prev := taotai.GenesisHash
	head, err := s.stmt(ctx, tx, auditHeadSQL)
	if err != nil {
		return err
	}
	defer head.Close()
	err = head.QueryRowContext(ctx).Scan(&seq, &prev)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("audit head: %w", err)
	}
	who := taotai.ActorFromContext(ctx)
	if who == nil {
		who = &taotai.Actor{Username: "anonymous", Role: ""}
	}
	addr := taotai.ClientAddr(ctx)
	now := s.clock.Now().UTC().Truncate(time.Microsecond)
	entries := make([]*taotai.AuditEntry, len(cs))
	for i, c := range cs {
		seq++
		e := &taotai.AuditEntry{Seq: seq, At: now, UserID: who.UserID, Username: who.Username, Role: who.Role, Addr: addr,
			Action: c.Action, Entity: c.Entity, EntityID: fmt.Sprint(c.EntityID), RegionPath: c.RegionPath, Sector: c.Sector,
			Before: jsonOf(c.Before), After: jsonOf(c.After), Note: c.Note, PrevHash: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		entries[i] = e
	}
	if len(entries) <= 20 {
		// The common case, on a statement prepared once per connection:
		// cheaper than parsing a multi-row INSERT each time.
		ins, err := s.stmt(ctx, tx, auditInsertOneSQL)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, e := range entries {
			if _, err := ins.ExecContext(ctx, auditArgs(e)...); err != nil {
				return fmt.Errorf("audit insert: %w", err)
			}
		}
		return nil
	}
	for start := 0; start < len(entries); start += 200 {
		if err := s.insertAudit(ctx, tx, entries[start:min(start+200, len(entries))]); err != nil {
			return err
		}
	}
	return nil
}

// appendOne appends one entry on PostgreSQL in a single round trip, through
// the audit_append function (migration 00004), which hashes it as
// taotai.AuditEntry.ComputeHash does; VerifyAudit checks that they agree.
func (s *DB) appendOne(ctx context.Context, tx *sql.Tx, c change) error {
	who := taotai.ActorFromContext(ctx)
	if who == nil {
		who = &taotai.Actor{Username: "anonymous"}
	}
	var uid any
	if who.UserID != 0 {
		uid = who.UserID
	}
	st, err := s.stmt(ctx, tx, auditAppendSQL)
	if err != nil {
		return err
	}
	defer st.Close()
	var seq int64
	err = st.QueryRowContext(ctx, s.clock.Now().UTC().Format(taotai.AuditTimeFormat), uid, who.Username, who.Role,
		taotai.ClientAddr(ctx), c.Action, c.Entity, fmt.Sprint(c.EntityID), c.RegionPath, c.Sector, jsonOf(c.Before), jsonOf(c.After), c.Note).Scan(&seq)
	if err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	return nil
}

// appendBatch appends entries on PostgreSQL in one round trip through
// audit_append_batch (migration 00006).
func (s *DB) appendBatch(ctx context.Context, tx *sql.Tx, cs []change) error {
	who := taotai.ActorFromContext(ctx)
	if who == nil {
		who = &taotai.Actor{Username: "anonymous"}
	}
	var uid any
	if who.UserID != 0 {
		uid = who.UserID
	}
	n := len(cs)
	actions, entities, ids, paths, sectors, befores, afters, notes := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, c := range cs {
		actions[i], entities[i], ids[i], paths[i], sectors[i] = c.Action, c.Entity, fmt.Sprint(c.EntityID), c.RegionPath, c.Sector
		befores[i], afters[i], notes[i] = jsonOf(c.Before), jsonOf(c.After), c.Note
	}
	st, err := s.stmt(ctx, tx, auditAppendBatchSQL)
	if err != nil {
		return err
	}
	defer st.Close()
	var seq int64
	if err := st.QueryRowContext(ctx, s.clock.Now().UTC().Format(taotai.AuditTimeFormat), uid, who.Username, who.Role,
		taotai.ClientAddr(ctx), actions, entities, ids, paths, sectors, befores, afters, notes).Scan(&seq); err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	return nil
}

const (
	auditAppendBatchSQL = `SELECT audit_append_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	auditInsertSQL      = `INSERT INTO audit_log (seq, at, user_id, username, role, addr, action, entity, entity_id,
		region_path, sector, before, after, note, prev_hash, hash) VALUES `
	auditInsertOneSQL = auditInsertSQL + `($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`
	auditHeadSQL      = `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`
	auditAppendSQL    = `SELECT audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	auditColumnCount  = 16
)

func auditArgs(e *taotai.AuditEntry) []any {
	var uid any
	if e.UserID != 0 {
		uid = e.UserID
	}
	return []any{e.Seq, e.At.Format(taotai.AuditTimeFormat), uid, e.Username, e.Role, e.Addr, e.Action,
		e.Entity, e.EntityID, e.RegionPath, e.Sector, e.Before, e.After, e.Note, e.PrevHash, e.Hash}
}

func (s *DB) insertAudit(ctx context.Context, tx *sql.Tx, es []*taotai.AuditEntry) error {
	var b strings.Builder
	b.WriteString(auditInsertSQL)
	args := make([]any, 0, auditColumnCount*len(es))
	for i, e := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for j := 1; j <= auditColumnCount; j++ {
			if j > 1 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(len(args)+j))
		}
		b.WriteString(")")
		args = append(args, auditArgs(e)...)
	}
	query, args := s.positional(b.String(), args)
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	return nil
}

func jsonOf(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

// RecordEvent appends an entry for something that is not a database write
// of its own: a login, a failed login, a logout, an export. It belongs to
// the acting user's lane (none for an anonymous caller: the province's).
func (s *DB) RecordEvent(ctx context.Context, action, entity string, entityID any, note string) error {
	c := change{Action: action, Entity: entity, EntityID: entityID, Note: note}
	if a := taotai.ActorFromContext(ctx); a != nil {
		c.RegionPath, c.Sector = a.RegionPath, a.Sector
	}
	return s.Transact(ctx, func(tx *sql.Tx) error { return s.record(ctx, tx, c) })
}

const auditColumns = `seq, at, COALESCE(user_id, 0), username, role, addr, action, entity, entity_id, region_path, sector,
	before, after, note, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }) (*taotai.AuditEntry, error) {
	e := &taotai.AuditEntry{}
	var at string
	err := row.Scan(&e.Seq, &at, &e.UserID, &e.Username, &e.Role, &e.Addr, &e.Action, &e.Entity, &e.EntityID,
		&e.RegionPath, &e.Sector, &e.Before, &e.After, &e.Note, &e.PrevHash, &e.Hash)
	if err != nil {
		return nil, err
	}
	e.At, err = time.Parse(taotai.AuditTimeFormat, at)
	if err != nil {
		// A malformed time is kept visible (the chain check reports it).
		e.At = time.Time{}
	}
	return e, nil
}

// FindAudit returns a page of the audit trail, newest first, and the total.
// Administrators and auditors only.
func (s *DB) FindAudit(ctx context.Context, f taotai.AuditFilter) ([]*taotai.AuditEntry, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !a.Can(taotai.ActReadAudit) {
		return nil, 0, taotai.Errorf(taotai.EFORBIDDEN, "只有系统管理员和审计管理员可以查看操作日志。")
	}
	w := &where{}
	auditLane(w, a)
	if f.Username != "" {
		w.add("username = ?", f.Username)
	}
	if f.Entity != "" {
		w.add("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		w.add("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		w.add("at >= ?", f.From.UTC().Format(taotai.AuditTimeFormat))
	}
	if !f.To.IsZero() {
		w.add("at < ?", f.To.UTC().Format(taotai.AuditTimeFormat))
	}
	// Planned for their values on PostgreSQL (valuePlanned): the lane's
	// share of the trail runs from all of it (the province: walk the
	// newest entries) to a handful (a county: its entries by lane), and a
	// generic plan, knowing neither, sorted the province's 700,000
	// entries for a page of 50 (0.8 s instead of 0.2).
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`+w.String(), s.valuePlanned(w.args)...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	query := `SELECT ` + auditColumns + ` FROM audit_log` + w.String() +
		` ORDER BY seq DESC LIMIT ` + w.next(limit) + ` OFFSET ` + w.next(max(f.Offset, 0))
	rows, err := s.db.QueryContext(ctx, query, s.valuePlanned(w.args)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit: %w", err)
	}
	defer rows.Close()
	var out []*taotai.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// auditLane scopes the audit trail to the actor's lane: entries whose
// region lies in the actor's subtree and whose sector is the actor's or
// both. Entries without a region (system settings, sign-in attempts with
// an unknown name) are the province's: only a province-wide actor sees
// them.
func auditLane(w *where, a *taotai.Actor) {
	if isProvinceWide(a.RegionPath) {
		w.add("(region_path = '' OR (region_path >= ? AND region_path < ?))", a.RegionPath, a.RegionPath[:len(a.RegionPath)-1]+"0")
	} else {
		w.subtree("audit_log", a.RegionPath)
	}
	if a.Sector != "" {
		w.add("sector IN ('', ?)", a.Sector)
	}
}

// isProvinceWide reports whether a lane's path is the root of the tree
// ("/210000/").
func isProvinceWide(path string) bool { return strings.Count(path, "/") <= 2 }

// VerifyAudit walks the whole chain in order and returns how many entries
// it checked and the first broken link, or nil when the chain holds.
func (s *DB) VerifyAudit(ctx context.Context) (int64, *taotai.AuditBreak, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, nil, fmt.Errorf("read audit: %w", err)
	}
	defer rows.Close()
	var n int64
	prev := taotai.GenesisHash
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return n, nil, err
		}
		n++
		switch {
		case e.Seq != n:
			return n, &taotai.AuditBreak{Seq: e.Seq, Reason: fmt.Sprintf("序号不连续：应为%d，实为%d（有记录被删除或插入）。", n, e.Seq)}, nil
		case e.PrevHash != prev:
			return n, &taotai.AuditBreak{Seq: e.Seq, Reason: "前一条记录的哈希值与本条记载的不符（前一条被修改或删除）。"}, nil
		case e.ComputeHash() != e.Hash:
			return n, &taotai.AuditBreak{Seq: e.Seq, Reason: "本条记录的内容与其哈希值不符（记录被修改）。"}, nil
		}
		prev = e.Hash
	}
	return n, nil, rows.Err()
}
