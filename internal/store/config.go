package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"taotai"
)

// requireAdmin returns the actor if it is an administrator.
func requireAdmin(ctx context.Context, what string) (*taotai.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role != taotai.RoleAdmin {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "只有系统管理员可以%s。", what)
	}
	return a, nil
}

// requireProvinceAdmin returns the actor if it is an administrator of the
// whole province: the province-wide settings are the province's, not a
// city administrator's.
func requireProvinceAdmin(ctx context.Context, what string) (*taotai.Actor, error) {
	a, err := requireAdmin(ctx, what)
	if err != nil {
		return nil, err
	}
	if a.RegionCode != taotai.ProvinceCode {
		return nil, taotai.Errorf(taotai.EFORBIDDEN, "只有省级系统管理员可以%s：这是全省的设置。", what)
	}
	return a, nil
}

// SetCoalProducing marks a city as coal-producing (产煤市) or not.
func (s *DB) SetCoalProducing(ctx context.Context, code string, coal bool) error {
	if _, err := requireProvinceAdmin(ctx, "设置产煤市"); err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		r, err := findRegion(ctx, tx, code)
		if err != nil {
			return err
		}
		if r.Level != taotai.LevelCity {
			return taotai.Errorf(taotai.EINVALID, "只有市级单位可以设为产煤市，“%s”不是。", r.Name)
		}
		if _, err = tx.ExecContext(ctx, `UPDATE regions SET coal_producing = $1 WHERE code = $2`, coal, code); err != nil {
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "region", EntityID: code, RegionPath: r.Path,
			Before: map[string]bool{"coal_producing": r.CoalProducing}, After: map[string]bool{"coal_producing": coal}})
	})
}

// UpdateDeadline changes the dates of a deadline of a campaign year. start
// may be zero (a single-day deadline); due may not, nor come before start.
// was is the due date the editor saw ("yyyy-mm-dd"; "" skips the check):
// if someone changed it meanwhile, the edit is refused (ECONFLICT).
func (s *DB) UpdateDeadline(ctx context.Context, year int, key string, start, due, cutoff time.Time, was string) error {
	if _, err := requireProvinceAdmin(ctx, "修改时间节点"); err != nil {
		return err
	}
	if err := (taotai.Deadline{Start: start, Due: due}).ValidateDates(); err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		var oldStart, oldDue, oldCutoff string
		err := tx.QueryRowContext(ctx, `SELECT start_date, due_date, cutoff_date FROM campaign_deadlines WHERE year = $1 AND key = $2`,
			year, key).Scan(&oldStart, &oldDue, &oldCutoff)
		if isNoRows(err) {
			return taotai.Errorf(taotai.ENOTFOUND, "%d年度没有该时间节点。", year)
		} else if err != nil {
			return err
		}
		if was != "" && was != oldDue {
			return taotai.Errorf(taotai.ECONFLICT, "该时间节点已被他人改为%s，请刷新后在最新内容上修改。", oldDue)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaign_deadlines SET start_date = $1, due_date = $2, cutoff_date = $3
			WHERE year = $4 AND key = $5`, dateString(start), dateString(due), dateString(cutoff), year, key); err != nil {
			return err
		}
		// The reporting periods must still follow one another without a gap.
		c, err := findCampaignYear(ctx, tx, year)
		if err != nil {
			return err
		}
		if _, err := taotai.ReportPeriods(c); err != nil {
			return err
		}
		return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "deadline", EntityID: fmt.Sprintf("%d/%s", year, key),
			Before: map[string]string{"start": oldStart, "due": oldDue, "cutoff": oldCutoff},
			After:  map[string]string{"start": dateString(start), "due": dateString(due), "cutoff": dateString(cutoff)}})
	})
}

// CreateCampaignYear configures a new year by copying the deadlines of an
// existing one, moved by the difference in years; administrators then
// adjust the dates.
func (s *DB) CreateCampaignYear(ctx context.Context, year, from int, title string) error {
	if _, err := requireProvinceAdmin(ctx, "新建年度工作"); err != nil {
		return err
	}
	if year < 2000 || year > 2100 {
		return taotai.Errorf(taotai.EINVALID, "年度应为2000至2100之间的年份。")
	}
	src, err := s.FindCampaignYear(ctx, from)
	if err != nil {
		return err
	}
	title = strings.TrimSpace(title)
	if !taotai.ValidText(title, false) {
		return taotai.Errorf(taotai.EINVALID, "%s", taotai.BadTextMessage("年度工作名称"))
	}
	if title == "" {
		title = strings.Replace(src.Title, fmt.Sprint(from), fmt.Sprint(year), 1)
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		shift := func(t time.Time) time.Time {
			if t.IsZero() {
				return t
			}
			return t.AddDate(year-from, 0, 0)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO campaign_years (year, title, start_date, unit_noncoal, unit_coal)
			VALUES ($1, $2, $3, $4, $5)`, year, title, dateString(shift(src.Start)), src.UnitNonCoal, src.UnitCoal)
		if isUniqueViolation(err) {
			return taotai.Errorf(taotai.ECONFLICT, "%d年度工作已存在。", year)
		} else if err != nil {
			return err
		}
		for i, d := range src.Deadlines {
			if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_deadlines (year, key, label, start_date, due_date, cutoff_date, note, sort)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, year, d.Key, d.Label, dateString(shift(d.Start)), dateString(shift(d.Due)),
				dateString(shift(d.Cutoff)), d.Note, (i+1)*10); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, change{Action: taotai.AuditCreate, Entity: "campaign_year", EntityID: year,
			After: map[string]any{"year": year, "title": title, "copied_from": from}})
	})
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
