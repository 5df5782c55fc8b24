package store

import (
	"context"
	"database/sql"
	"fmt"

	"taotai"
)

// AllCriteria returns every major-hazard criterion, active or not, for the
// administrators' page.
func (s *DB) AllCriteria(ctx context.Context) ([]*taotai.Criterion, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, industry_key, standard, article, text, active FROM major_hazard_criteria ORDER BY sort, id`)
	if err != nil {
		return nil, fmt.Errorf("criteria: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Criterion
	for rows.Next() {
		c := &taotai.Criterion{}
		if err := rows.Scan(&c.ID, &c.IndustryKey, &c.Standard, &c.Article, &c.Text, &c.Active); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveCriterion adds a criterion (ID 0) or corrects one; administrators
// only. A criterion already used by a hazard keeps its id, so the hazard
// keeps pointing at it; retire it with Active = false.
func (s *DB) SaveCriterion(ctx context.Context, c *taotai.Criterion) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if !a.Can(taotai.ActManageCriteria) {
		return taotai.Errorf(taotai.EFORBIDDEN, "只有系统管理员可以维护重大事故隐患判定标准。")
	}
	f := c.Validate()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM industries WHERE key = $1`, c.IndustryKey).Scan(&n); err != nil {
		return err
	}
	if n == 0 && c.IndustryKey != "trade" {
		f.Add("industry", "请选择适用行业。")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		if c.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO major_hazard_criteria (industry_key, standard, article, text, verified, active, sort)
				VALUES ($1, $2, $3, $4, TRUE, $5, 10000) RETURNING id`, c.IndustryKey, c.Standard, c.Article, c.Text, c.Active).Scan(&c.ID)
			if isUniqueViolation(err) {
				return taotai.Errorf(taotai.ECONFLICT, "该行业已有“%s”条款。", c.Article)
			} else if err != nil {
				return err
			}
			return s.record(ctx, tx, change{Action: taotai.AuditCreate, Entity: "criterion", EntityID: c.ID, After: c})
		}
		var before taotai.Criterion
		err := tx.QueryRowContext(ctx, `SELECT id, industry_key, standard, article, text, active FROM major_hazard_criteria WHERE id = $1`, c.ID).
			Scan(&before.ID, &before.IndustryKey, &before.Standard, &before.Article, &before.Text, &before.Active)
		if isNoRows(err) {
			return taotai.Errorf(taotai.ENOTFOUND, "判定标准条款不存在。")
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE major_hazard_criteria SET industry_key = $1, standard = $2, article = $3, text = $4,
			active = $5, verified = TRUE WHERE id = $6`, c.IndustryKey, c.Standard, c.Article, c.Text, c.Active, c.ID); err != nil {
			if isUniqueViolation(err) {
				return taotai.Errorf(taotai.ECONFLICT, "该行业已有“%s”条款。", c.Article)
			}
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "criterion", EntityID: c.ID, Before: before, After: c})
	})
}
