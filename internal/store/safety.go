package store

import (
	"context"
	"database/sql"
	"fmt"

	"taotai"
)

// An enterprise's 安全生产标准化 grade and 双重预防机制 (taotai.SafetyRecord),
// read and written through the enterprise, in its lane.

// FindSafety returns an enterprise's record in the actor's lane (Version
// 0 when never recorded), or ENOTFOUND.
func (s *DB) FindSafety(ctx context.Context, enterpriseID int64) (*taotai.SafetyRecord, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := findEnterprise(ctx, s.db, a, enterpriseID); err != nil {
		return nil, err
	}
	return findSafety(ctx, s.db, enterpriseID)
}

func findSafety(ctx context.Context, q queryer, enterpriseID int64) (*taotai.SafetyRecord, error) {
	r := &taotai.SafetyRecord{EnterpriseID: enterpriseID}
	if err := runRead(ctx, q, safetyRead(r)); err != nil {
		return nil, fmt.Errorf("find safety: %w", err)
	}
	return r, nil
}

// safetyRead reads the record of r.EnterpriseID into r (left at version 0
// when there is none).
func safetyRead(r *taotai.SafetyRecord) read {
	return read{query: `SELECT grade, graded_on, dual_prevention, dual_built_on, version, updated_at, updated_by
		FROM enterprise_safety WHERE enterprise_id = $1`, args: []any{r.EnterpriseID}, row: func(row rowScanner) error {
		var graded, built, updated string
		if err := row.Scan(&r.Grade, &graded, &r.DualPrevention, &built, &r.Version, &updated, &r.UpdatedBy); err != nil {
			return err
		}
		r.GradedOn, r.DualBuiltOn, r.UpdatedAt = dateOf(graded), dateOf(built), timeOf(updated)
		return nil
	}}
}

// SaveSafety records an enterprise's grade and dual prevention mechanism,
// if r.Version is still the current one (ECONFLICT otherwise): those who
// may edit the enterprise (taotai.ActWriteRegistry) may.
func (s *DB) SaveSafety(ctx context.Context, r *taotai.SafetyRecord) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.Transact(ctx, func(tx *sql.Tx) error {
		e, err := findEnterprise(ctx, tx, a, r.EnterpriseID)
		if err != nil {
			return err
		}
		if !a.Can(taotai.ActWriteRegistry) {
			return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能修改企业信息。", taotai.RoleName(a.Role))
		}
		if err := r.Validate(now); err != nil {
			return err
		}
		old, err := findSafety(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if old.Version != r.Version {
			return taotai.Errorf(taotai.ECONFLICT, "该企业的安全生产标准化和双重预防机制信息已被他人修改，请刷新后重新填写。")
		}
		args := []any{r.Grade, dateString(r.GradedOn), r.DualPrevention, dateString(r.DualBuiltOn), timeText(now), a.Username, e.ID}
		if old.Version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO enterprise_safety (grade, graded_on, dual_prevention, dual_built_on, updated_at, updated_by,
				enterprise_id, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 1)`, args...)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE enterprise_safety SET grade = $1, graded_on = $2, dual_prevention = $3, dual_built_on = $4,
				updated_at = $5, updated_by = $6, version = version + 1 WHERE enterprise_id = $7`, args...)
		}
		if err != nil {
			return fmt.Errorf("save safety: %w", mapError(err))
		}
		r.Version = old.Version + 1
		var before any
		if old.Version != 0 {
			before = safetyRecord(old)
		}
		return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "enterprise_safety", EntityID: e.ID,
			RegionPath: e.RegionPath, Sector: e.Sector, Before: before, After: safetyRecord(r)})
	})
}

func safetyRecord(r *taotai.SafetyRecord) map[string]any {
	return map[string]any{"grade": r.Grade, "graded_on": dateString(r.GradedOn), "dual_prevention": r.DualPrevention,
		"dual_built_on": dateString(r.DualBuiltOn)}
}
