package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"taotai"
)

// Industries returns every industry in display order.
func (s *DB) Industries(ctx context.Context) ([]*taotai.Industry, error) {
	return industries(ctx, s.db)
}

// industries reads every industry in display order.
func industries(ctx context.Context, q queryer) ([]*taotai.Industry, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, key, name, sector, gb_codes, sort FROM industries ORDER BY sort, id`)
	if err != nil {
		return nil, fmt.Errorf("industries: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Industry
	for rows.Next() {
		i := &taotai.Industry{}
		if err := rows.Scan(&i.ID, &i.Key, &i.Name, &i.Sector, &i.GBCodes, &i.Sort); err != nil {
			return nil, fmt.Errorf("scan industry: %w", err)
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// CreateIndustry adds an industry; administrators only.
func (s *DB) CreateIndustry(ctx context.Context, ind *taotai.Industry) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if !a.Can(taotai.ActManageIndustry) || a.RegionCode != taotai.ProvinceCode {
		return taotai.Errorf(taotai.EFORBIDDEN, "只有省级系统管理员可以增加重点行业：这是全省的设置。")
	}
	ind.Key = strings.TrimSpace(ind.Key)
	ind.Name = strings.TrimSpace(ind.Name)
	f := taotai.FieldErrors{}
	switch {
	case ind.Key == "":
		f.Add("key", "请填写行业标识。")
	case !taotai.ValidText(ind.Key, false):
		f.Add("key", taotai.BadTextMessage("行业标识"))
	}
	switch {
	case ind.Name == "":
		f.Add("name", "请填写行业名称。")
	case !taotai.ValidText(ind.Name, false):
		f.Add("name", taotai.BadTextMessage("行业名称"))
	}
	if !taotai.ValidSector(ind.Sector) {
		f.Add("sector", "请选择煤矿或非煤。")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO industries (key, name, sector, gb_codes, sort)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, ind.Key, ind.Name, ind.Sector, ind.GBCodes, ind.Sort).Scan(&ind.ID)
		if isUniqueViolation(err) {
			return taotai.Errorf(taotai.ECONFLICT, "行业“%s”已存在。", ind.Name)
		} else if err != nil {
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditCreate, Entity: "industry", EntityID: ind.ID, After: ind})
	})
}

func findIndustry(ctx context.Context, q queryer, id int64) (*taotai.Industry, error) {
	i := &taotai.Industry{}
	err := q.QueryRowContext(ctx, `SELECT id, key, name, sector, gb_codes, sort FROM industries WHERE id = $1`, id).
		Scan(&i.ID, &i.Key, &i.Name, &i.Sector, &i.GBCodes, &i.Sort)
	if isNoRows(err) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "所属行业不存在。")
	}
	return i, err
}
