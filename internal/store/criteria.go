package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"taotai"
)

// criterionColumns are read by scanCriterion.
const criterionColumns = `id, industry_key, standard, article, text, active, in_force_from, in_force_to, verified`

func scanCriterion(row interface{ Scan(...any) error }) (*taotai.Criterion, error) {
	c := &taotai.Criterion{}
	var from, to string
	err := row.Scan(&c.ID, &c.IndustryKey, &c.Standard, &c.Article, &c.Text, &c.Active, &from, &to, &c.Verified)
	c.InForceFrom, c.InForceTo = dateOf(from), dateOf(to)
	return c, err
}

func queryCriteria(ctx context.Context, q queryer, query string, args ...any) ([]*taotai.Criterion, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("criteria: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Criterion
	for rows.Next() {
		c, err := scanCriterion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AllCriteria returns every major-hazard criterion, active or not, for the
// administrators' page.
func (s *DB) AllCriteria(ctx context.Context) ([]*taotai.Criterion, error) {
	return queryCriteria(ctx, s.db, `SELECT `+criterionColumns+` FROM major_hazard_criteria ORDER BY sort, id`)
}

// Criteria returns the active major-hazard criteria that apply to an
// industry (its own and, for non-coal industries, the general 工贸 ones)
// and are in force today, on the store's clock.
func (s *DB) Criteria(ctx context.Context, industryID int64) ([]*taotai.Criterion, error) {
	return s.criteriaOf(ctx, industryID, s.clock.Now())
}

// CriteriaOn returns the active criteria that apply to an industry and are
// in force on day: those an inspection of that day is offered.
func (s *DB) CriteriaOn(ctx context.Context, industryID int64, day time.Time) ([]*taotai.Criterion, error) {
	if day.IsZero() {
		return nil, taotai.Errorf(taotai.EINVALID, "请填写检查日期。")
	}
	return s.criteriaOf(ctx, industryID, day)
}

func (s *DB) criteriaOf(ctx context.Context, industryID int64, day time.Time) ([]*taotai.Criterion, error) {
	ind, err := findIndustry(ctx, s.db, industryID)
	if err != nil {
		return nil, err
	}
	trade := ""
	if ind.Sector == taotai.SectorNonCoal {
		trade = "trade"
	}
	q := `SELECT ` + criterionColumns + ` FROM major_hazard_criteria WHERE active AND (industry_key = $1 OR industry_key = $2)`
	args := []any{ind.Key, trade}
	if !day.IsZero() {
		q += ` AND (in_force_from = '' OR in_force_from <= $3) AND (in_force_to = '' OR in_force_to >= $3)`
		args = append(args, dateString(day))
	}
	return queryCriteria(ctx, s.db, q+` ORDER BY in_force_from, sort, id`, args...)
}

// criterionRecord is what the audit trail keeps of a criterion.
func criterionRecord(c *taotai.Criterion) map[string]any {
	return map[string]any{"ID": c.ID, "IndustryKey": c.IndustryKey, "Standard": c.Standard, "Article": c.Article, "Text": c.Text,
		"Active": c.Active, "InForceFrom": dateString(c.InForceFrom), "InForceTo": dateString(c.InForceTo), "Verified": c.Verified}
}

// SaveCriterion adds a criterion (ID 0) or corrects one; administrators
// only. A criterion already used by a hazard keeps its id, so the hazard
// keeps pointing at it; retire it with Active = false. What the
// administrator saves counts as checked (verified) when c.Verified is set.
func (s *DB) SaveCriterion(ctx context.Context, c *taotai.Criterion) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if !a.Can(taotai.ActManageCriteria) || a.RegionCode != taotai.ProvinceCode {
		return taotai.Errorf(taotai.EFORBIDDEN, "只有省级系统管理员可以维护重大事故隐患判定标准：这是全省的设置。")
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
	from, to := dateString(c.InForceFrom), dateString(c.InForceTo)
	return s.Transact(ctx, func(tx *sql.Tx) error {
		if c.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO major_hazard_criteria (industry_key, standard, article, text, verified, active, sort,
				in_force_from, in_force_to) VALUES ($1, $2, $3, $4, $5, $6, 10000, $7, $8) RETURNING id`,
				c.IndustryKey, c.Standard, c.Article, c.Text, c.Verified, c.Active, from, to).Scan(&c.ID)
			if isUniqueViolation(err) {
				return taotai.Errorf(taotai.ECONFLICT, "该行业已有“%s”条款。", c.Article)
			} else if err != nil {
				return err
			}
			return s.record(ctx, tx, change{Action: taotai.AuditCreate, Entity: "criterion", EntityID: c.ID, After: criterionRecord(c)})
		}
		before, err := scanCriterion(tx.QueryRowContext(ctx, `SELECT `+criterionColumns+` FROM major_hazard_criteria WHERE id = $1`, c.ID))
		if isNoRows(err) {
			return taotai.Errorf(taotai.ENOTFOUND, "判定标准条款不存在。")
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE major_hazard_criteria SET industry_key = $1, standard = $2, article = $3, text = $4,
			active = $5, verified = $6, in_force_from = $7, in_force_to = $8 WHERE id = $9`,
			c.IndustryKey, c.Standard, c.Article, c.Text, c.Active, c.Verified, from, to, c.ID); err != nil {
			if isUniqueViolation(err) {
				return taotai.Errorf(taotai.ECONFLICT, "该行业已有“%s”条款。", c.Article)
			}
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "criterion", EntityID: c.ID, Before: criterionRecord(before), After: criterionRecord(c)})
	})
}
