package store

import (
	"context"
	"fmt"
	"time"

	"taotai"
)

// AuditCheckpoint returns an unsigned checkpoint of the chain's head: its
// sequence number, hash and time (seq 0 and the genesis hash on an empty
// trail), taken now by the store's clock.
func (s *DB) AuditCheckpoint(ctx context.Context) (*taotai.AuditCheckpoint, error) {
	c := &taotai.AuditCheckpoint{Hash: taotai.GenesisHash, TakenAt: s.clock.Now().UTC().Truncate(time.Microsecond)}
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&c.Seq, &c.Hash, &at)
	if isNoRows(err) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit head: %w", err)
	}
	if c.EntryAt, err = time.Parse(taotai.AuditTimeFormat, at); err != nil {
		return nil, fmt.Errorf("audit head %d: time %q: %w", c.Seq, at, err)
	}
	return c, nil
}

// CheckAuditCheckpoint compares a checkpoint (whose signature the caller
// has verified) with the chain as it is: it returns nil when the chain
// still holds the entry the checkpoint names, with the same hash, and
// otherwise what changed. Together with VerifyAudit (the chain unbroken
// from the first entry to the head) this shows that every entry up to the
// checkpoint is the one that was there when it was taken.
func (s *DB) CheckAuditCheckpoint(ctx context.Context, c *taotai.AuditCheckpoint) (*taotai.AuditBreak, error) {
	if c.Seq == 0 {
		return nil, nil // an empty trail: every chain grew from it
	}
	var head int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM audit_log`).Scan(&head); err != nil {
		return nil, fmt.Errorf("audit head: %w", err)
	}
	var hash string
	query, args := s.positional(`SELECT hash FROM audit_log WHERE seq = $1`, []any{c.Seq})
	err := s.db.QueryRowContext(ctx, query, args...).Scan(&hash)
	switch {
	case isNoRows(err) && head < c.Seq:
		return &taotai.AuditBreak{Seq: c.Seq, Reason: fmt.Sprintf(
			"操作日志现只到第%d条，检查点记载已有第%d条（末尾的记录被删除）。", head, c.Seq)}, nil
	case isNoRows(err):
		return &taotai.AuditBreak{Seq: c.Seq, Reason: fmt.Sprintf("第%d条记录已不存在（记录被删除）。", c.Seq)}, nil
	case err != nil:
		return nil, fmt.Errorf("audit entry %d: %w", c.Seq, err)
	case hash != c.Hash:
		return &taotai.AuditBreak{Seq: c.Seq, Reason: fmt.Sprintf(
			"第%d条记录的哈希值与检查点记载的不符（哈希链被重新计算或改写）：现为%.16s…，检查点为%.16s…。", c.Seq, hash, c.Hash)}, nil
	}
	return nil, nil
}
