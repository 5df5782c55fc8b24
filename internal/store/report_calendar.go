package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"taotai"
)

// The reporting year's calendar, extensions, locks and timeliness grid:
// only their SQL lives here; the rules are taotai.ReportCalendar and
// taotai.BuildReportGrid.

// reportUnits returns the units that report to the province: the
// city-level regions under it (the cities and 沈抚新区), in the tree's order.
func reportUnits(ctx context.Context, q queryer) ([]taotai.ReportUnit, error) {
	if t, err := memoRegions(ctx, q); err != nil {
		return nil, err
	} else if t != nil {
		var out []taotai.ReportUnit
		for _, r := range t.children[taotai.ProvinceCode] {
			if r.Level == taotai.LevelCity {
				out = append(out, taotai.ReportUnit{Code: r.Code, Name: r.Name, Path: r.Path, CoalProducing: r.CoalProducing})
			}
		}
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT code, name, path, coal_producing FROM regions
		WHERE level = $1 AND parent = $2 ORDER BY sort, code`, taotai.LevelCity, taotai.ProvinceCode)
	if err != nil {
		return nil, fmt.Errorf("report units: %w", err)
	}
	defer rows.Close()
	var out []taotai.ReportUnit
	for rows.Next() {
		var u taotai.ReportUnit
		if err := rows.Scan(&u.Code, &u.Name, &u.Path, &u.CoalProducing); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// reportExtensions returns the extended due times of a year's reports.
func reportExtensions(ctx context.Context, q queryer, year int) ([]taotai.ReportExtension, error) {
	y := strconv.Itoa(year)
	rows, err := q.QueryContext(ctx, `SELECT period_key, region_code, sector, due_at, reason, by_user, at FROM report_extensions
		WHERE period_key = $1 OR period_key LIKE $2`, y, y+"-%")
	if err != nil {
		return nil, fmt.Errorf("report extensions: %w", err)
	}
	defer rows.Close()
	var out []taotai.ReportExtension
	for rows.Next() {
		var e taotai.ReportExtension
		var due, at string
		if err := rows.Scan(&e.PeriodKey, &e.RegionCode, &e.Sector, &due, &e.Reason, &e.By, &at); err != nil {
			return nil, err
		}
		e.DueAt, e.At = timeOf(due), timeOf(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// calendar returns every report due in the year, for all units.
func calendar(ctx context.Context, q queryer, year int) ([]taotai.DueReport, error) {
	c, err := findCampaignYear(ctx, q, year)
	if err != nil {
		return nil, err
	}
	units, err := reportUnits(ctx, q)
	if err != nil {
		return nil, err
	}
	exts, err := reportExtensions(ctx, q, year)
	if err != nil {
		return nil, err
	}
	return taotai.ReportCalendar(c, units, exts)
}

// inReportLane reports whether a due report lies in the actor's lane: the
// unit within the actor's region subtree, the channel within their sector.
func inReportLane(a *taotai.Actor, d taotai.DueReport) bool {
	return strings.HasPrefix(d.Unit.Path, a.RegionPath) && a.SectorVisible(d.Sector)
}

// ReportCalendar returns the year's due reports within the actor's lane,
// by period, unit and channel.
func (s *DB) ReportCalendar(ctx context.Context, year int) ([]taotai.DueReport, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := calendar(ctx, s.db, year)
	if err != nil {
		return nil, err
	}
	var out []taotai.DueReport
	for _, d := range cal {
		if inReportLane(a, d) {
			out = append(out, d)
		}
	}
	return out, nil
}

// dueReport returns the due report of a period, unit and channel within
// the actor's lane: ENOTFOUND for a unit or channel outside it, EINVALID
// for a channel the unit does not report up or a period that is none.
func dueReport(ctx context.Context, q queryer, a *taotai.Actor, periodKey, regionCode, sector string) (taotai.DueReport, error) {
	if !taotai.ValidSector(sector) {
		return taotai.DueReport{}, taotai.Errorf(taotai.EINVALID, taotai.MsgBadChannel)
	}
	r, err := findRegion(ctx, q, regionCode)
	if err != nil {
		return taotai.DueReport{}, err
	}
	if !strings.HasPrefix(r.Path, a.RegionPath) {
		return taotai.DueReport{}, taotai.Errorf(taotai.ENOTFOUND, "“%s”不在您的管辖范围内，不能查看或报送其报告。", r.Name)
	}
	if !a.SectorVisible(sector) {
		return taotai.DueReport{}, taotai.Errorf(taotai.ENOTFOUND, "您只负责%s的报告，不能查看或报送%s的报告。",
			taotai.SectorName(a.Sector), taotai.SectorName(sector))
	}
	yearPart, _, _ := strings.Cut(periodKey, "-")
	year, err := strconv.Atoi(yearPart)
	if err != nil {
		return taotai.DueReport{}, taotai.Errorf(taotai.EINVALID, "报送期间“%s”不正确。", truncateRunes(periodKey, 20))
	}
	cal, err := calendar(ctx, q, year)
	if err != nil {
		return taotai.DueReport{}, err
	}
	return taotai.FindDueReport(cal, periodKey, regionCode, sector)
}

// ExtendReport gives one unit's report of a period up a channel a later
// due time, with the reason; administrators only. A second extension
// replaces the first (the audit trail keeps both).
func (s *DB) ExtendReport(ctx context.Context, e *taotai.ReportExtension) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if !a.Can(taotai.ActExtendReport) {
		return taotai.Errorf(taotai.EFORBIDDEN, "只有系统管理员可以延长报送期限。")
	}
	e.Reason = strings.TrimSpace(e.Reason)
	switch {
	case e.Reason == "":
		return taotai.Errorf(taotai.EINVALID, "请填写延期理由。")
	case !taotai.ValidText(e.Reason, true):
		return taotai.Errorf(taotai.EINVALID, "%s", taotai.BadTextMessage("延期理由"))
	case utf8.RuneCountInString(e.Reason) > taotai.MaxNoteLen:
		return taotai.Errorf(taotai.EINVALID, "延期理由不能超过%d个字。", taotai.MaxNoteLen)
	case e.DueAt.IsZero() || !taotai.DateInRange(e.DueAt):
		return taotai.Errorf(taotai.EINVALID, "%s", taotai.DateRangeMessage("新的截止时间"))
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		d, err := dueReport(ctx, tx, a, e.PeriodKey, e.RegionCode, e.Sector)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		e.By, e.At = a.Username, now
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_extensions (period_key, region_code, sector, region_path, due_at, reason, by_user, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (period_key, region_code, sector)
			DO UPDATE SET due_at = excluded.due_at, reason = excluded.reason, by_user = excluded.by_user, at = excluded.at`,
			e.PeriodKey, e.RegionCode, e.Sector, d.Unit.Path, timeText(e.DueAt), e.Reason, e.By, timeText(now)); err != nil {
			return fmt.Errorf("extend report: %w", err)
		}
		return s.record(ctx, tx, change{Action: taotai.AuditUpdate, Entity: "report_due", EntityID: d.Key(),
			RegionPath: d.Unit.Path, Sector: d.Sector, Before: map[string]any{"due_at": d.DueAt},
			After: map[string]any{"due_at": e.DueAt}, Note: e.Reason})
	})
}

// heldLock returns the lock held on a unit's report of a period up a
// channel, or nil.
func heldLock(ctx context.Context, q queryer, periodKey, regionCode, sector string) (*taotai.ReportLock, error) {
	l := &taotai.ReportLock{}
	var at string
	err := q.QueryRowContext(ctx, `SELECT l.id, l.period_key, l.region_code, l.sector, l.submission_id, s.version, l.locked_by, l.locked_at
		FROM report_locks l JOIN report_submissions s ON s.id = l.submission_id
		WHERE l.period_key = $1 AND l.region_code = $2 AND l.sector = $3 AND l.unlocked_at = ''`, periodKey, regionCode, sector).
		Scan(&l.ID, &l.PeriodKey, &l.RegionCode, &l.Sector, &l.SubmissionID, &l.Version, &l.By, &at)
	if isNoRows(err) {
		return nil, nil //nolint:nilnil // no lock is no error
	} else if err != nil {
		return nil, fmt.Errorf("report lock: %w", err)
	}
	l.At = timeOf(at)
	return l, nil
}

// ReportLock returns the lock held on a unit's report of a period up a
// channel within the lane, or ENOTFOUND when it is not locked.
func (s *DB) ReportLock(ctx context.Context, periodKey, regionCode, sector string) (*taotai.ReportLock, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := dueReport(ctx, s.db, a, periodKey, regionCode, sector); err != nil {
		return nil, err
	}
	l, err := heldLock(ctx, s.db, periodKey, regionCode, sector)
	if err != nil {
		return nil, err
	} else if l == nil {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "该期报告未锁定。")
	}
	return l, nil
}

// UnlockReport lifts the lock of an accepted report, with the reason, so
// that the unit can submit a new version: the province's act
// (administrators, or province reviewers of the channel).
func (s *DB) UnlockReport(ctx context.Context, periodKey, regionCode, sector, reason string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case !a.Can(taotai.ActUnlockReport) || !isProvinceWide(a.RegionPath):
		return taotai.Errorf(taotai.EFORBIDDEN, "只有系统管理员或该渠道的省级审核人员可以解锁。")
	case reason == "":
		return taotai.Errorf(taotai.EINVALID, "请填写解锁理由。")
	case !taotai.ValidText(reason, true) || utf8.RuneCountInString(reason) > taotai.MaxNoteLen:
		return taotai.Errorf(taotai.EINVALID, "解锁理由应为不超过%d个字的文字。", taotai.MaxNoteLen)
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		d, err := dueReport(ctx, tx, a, periodKey, regionCode, sector)
		if err != nil {
			return err
		}
		l, err := heldLock(ctx, tx, periodKey, regionCode, sector)
		if err != nil {
			return err
		} else if l == nil {
			return taotai.Errorf(taotai.ECONFLICT, "该期报告未锁定，无需解锁。")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE report_locks SET unlocked_by = $1, unlocked_at = $2, unlock_reason = $3 WHERE id = $4`,
			a.Username, timeText(s.clock.Now()), reason, l.ID); err != nil {
			return fmt.Errorf("unlock report: %w", err)
		}
		return s.record(ctx, tx, change{Action: taotai.AuditRevoke, Entity: "report_lock", EntityID: l.ID,
			RegionPath: d.Unit.Path, Sector: sector, Before: l, Note: reason})
	})
}

// ReportGrid returns the timeliness of a channel's reports of the year at
// the store's now, unit × period, within the lane: a city sees its own
// row; a reviewer of the other channel, nothing (ENOTFOUND). A grid is
// kept until the next write, for a few seconds at most (figures.go): the
// caller must not change it.
func (s *DB) ReportGrid(ctx context.Context, year int, sector string) (*taotai.ReportGrid, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !taotai.ValidSector(sector) {
		return nil, taotai.Errorf(taotai.EINVALID, taotai.MsgBadChannel)
	}
	if !a.SectorVisible(sector) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "您只负责%s的报告。", taotai.SectorName(a.Sector))
	}
	// The grid depends on the lane, the year, the channel and the day (a
	// report is due at 24:00 of its day; late days are counted in days).
	now := s.clock.Now()
	key := laneKey("reportgrid", a, now, strconv.Itoa(year), sector)
	return keptRead(ctx, s, key, func() (*taotai.ReportGrid, error) { return s.reportGrid(ctx, a, year, sector, now) })
}

// reportGrid is ReportGrid read afresh at now.
func (s *DB) reportGrid(ctx context.Context, a *taotai.Actor, year int, sector string, now time.Time) (*taotai.ReportGrid, error) {
	cal, err := s.ReportCalendar(ctx, year)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.lane(a, "s")
	w.add("s.year = ? AND s.sector = ? AND s.state <> ?", year, sector, taotai.SubmissionPrepared)
	rows, err := s.db.QueryContext(ctx, `SELECT s.period_key, s.region_code, s.version, s.state, s.submitted_at
		FROM report_submissions s`+w.String(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("report grid: %w", err)
	}
	defer rows.Close()
	marks := map[string][]taotai.SubmissionMark{}
	for rows.Next() {
		var period, region, at string
		var m taotai.SubmissionMark
		if err := rows.Scan(&period, &region, &m.Version, &m.State, &at); err != nil {
			return nil, err
		}
		m.SubmittedAt = timeOf(at)
		key := period + "/" + region + "/" + sector
		marks[key] = append(marks[key], m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return taotai.BuildReportGrid(year, sector, cal, marks, now), nil
}

// timeText writes an instant as the reporting tables keep it: UTC text.
func timeText(t time.Time) string { return t.UTC().Format(taotai.AuditTimeFormat) }

// timeOf reads an instant written by timeText; "" is the zero time.
func timeOf(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(taotai.AuditTimeFormat, s)
	if err != nil {
		return time.Time{}
	}
	return t.In(taotai.Shanghai)
}
