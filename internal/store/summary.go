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
	"taotai/internal/forms"
)

// The annual summary (工作总结): the SQL that reads each enterprise's
// figures of the year, the units' accepted annual reports, their work
// summaries and the province's own. Where each figure comes from is
// taotai.BuildAnnualSummary's rule.

// AnnualSummary returns the work summary of a campaign year within the
// actor's lane: a city its own unit's part, a province reviewer their
// channel's, an administrator both; the province's own summary only for
// province users. ENOTFOUND for a year not configured.
func (s *DB) AnnualSummary(ctx context.Context, year int) (*taotai.AnnualSummary, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := findCampaignYear(ctx, s.db, year)
	if err != nil {
		return nil, err
	}
	ps, err := taotai.ReportPeriods(c)
	if err != nil {
		return nil, err
	}
	annual := ps[len(ps)-1]
	cal, err := s.ReportCalendar(ctx, year)
	if err != nil {
		return nil, err
	}
	var dues []taotai.DueReport
	for _, d := range cal {
		if d.Period.Key == annual.Key {
			dues = append(dues, d)
		}
	}
	coverageDue := c.DeadlineDue("coverage")
	if coverageDue.IsZero() {
		coverageDue = annual.To
	}
	records, err := s.enterpriseYears(ctx, a, ps, coverageDue)
	if err != nil {
		return nil, err
	}
	accepted, err := acceptedAnnuals(ctx, s.db, a, annual.Key)
	if err != nil {
		return nil, err
	}
	inds, err := s.Industries(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(inds))
	for i, ind := range inds {
		names[i] = ind.Name
	}
	sum := taotai.BuildAnnualSummary(year, dues, records, accepted, names)
	sum.CoverageDue = coverageDue
	if sum.Texts, err = unitSummaries(ctx, s.db, a, annual.Key); err != nil {
		return nil, err
	}
	if a.RegionCode == taotai.ProvinceCode {
		if sum.Province, err = provinceSummaries(ctx, s.db, a, year); err != nil {
			return nil, err
		}
	}
	return sum, nil
}

// enterpriseYears reads each enterprise's figures of the year in the
// lane: 附件2's counts and 附件3's card as the annual forms give them, the
// hazards found in the year and rectified, and whether it is on the key
// list and was inspected by until.
func (s *DB) enterpriseYears(ctx context.Context, a *taotai.Actor, ps []Period, until time.Time) ([]taotai.EnterpriseYear, error) {
	annual := ps[len(ps)-1]
	figures := map[int64]*taotai.YearFigures{}
	fig := func(id int64) *taotai.YearFigures {
		if figures[id] == nil {
			figures[id] = &taotai.YearFigures{}
		}
		return figures[id]
	}
	rows2, err := s.form2List(ctx, annual, "", "")
	if err != nil {
		return nil, err
	}
	for _, r := range rows2 {
		f := fig(r.id)
		*f = f.WithForms(figuresOf2(r.Row2))
	}
	rows3, err := s.form3List(ctx, annual, "", "")
	if err != nil {
		return nil, err
	}
	for _, r := range rows3 {
		f := fig(r.id)
		c := forms.ConsolidatedUnit3{Rows: []forms.Row3{r.Row3}}.Count()
		f.Yellow, f.Red, f.Closed = c.Yellow, c.Red, c.Closed
	}
	if err := s.rectifiedHazards(ctx, a, annual, fig); err != nil {
		return nil, err
	}
	return s.describeYears(ctx, a, ps, until, figures)
}

// figuresOf2 are the figures of 附件2 rows added up.
func figuresOf2(r forms.Row2) taotai.YearFigures {
	return taotai.YearFigures{Inspections: r.Inspections, InspectorTimes: r.InspectorTimes, ExpertTimes: r.ExpertTimes,
		Hazards: r.Hazards, MajorHazards: r.MajorHazards, Orders: r.Orders, Penalties: r.Penalties, Fines: r.Fines}
}

// rectifiedHazards counts, per enterprise of the lane, the hazards found
// by the year's inspections whose rectification passed its re-check.
func (s *DB) rectifiedHazards(ctx context.Context, a *taotai.Actor, p Period, fig func(int64) *taotai.YearFigures) error {
	w := &where{}
	w.lane(a, "n")
	w.add("n.date >= ? AND n.date <= ? AND h.status = ?", dateString(p.From), dateString(p.To), taotai.HazardPassed)
	rows, err := s.db.QueryContext(ctx, `SELECT n.enterprise_id, COUNT(*) FROM hazards h JOIN inspections n ON n.id = h.inspection_id`+
		w.String()+` GROUP BY n.enterprise_id`, w.args...)
	if err != nil {
		return fmt.Errorf("summary rectified: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		fig(id).Rectified = n
	}
	return rows.Err()
}

// describeYears reads every enterprise of the lane with figures or on the
// key list — its unit, channel and industry, listed and covered — and
// returns them with their figures.
func (s *DB) describeYears(ctx context.Context, a *taotai.Actor, ps []Period, until time.Time, figures map[int64]*taotai.YearFigures) ([]taotai.EnterpriseYear, error) {
	w := &where{}
	w.lane(a, "e")
	year := w.next(ps[len(ps)-1].Year)
	inspected, reported := inspectedSQL(w, ps, until)
	if reported != "" {
		inspected = "(" + inspected + " OR " + reported + ")"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, e.region_path, e.sector, i.name, k.enterprise_id IS NOT NULL,
		CASE WHEN k.enterprise_id IS NOT NULL AND `+inspected+` THEN 1 ELSE 0 END
		FROM enterprises e JOIN industries i ON i.id = e.industry_id
		LEFT JOIN key_list k ON k.enterprise_id = e.id AND k.year = `+year+w.String(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("summary enterprises: %w", err)
	}
	defer rows.Close()
	var out []taotai.EnterpriseYear
	for rows.Next() {
		var id int64
		var path string
		var listed bool
		var covered int
		ey := taotai.EnterpriseYear{}
		if err := rows.Scan(&id, &path, &ey.Sector, &ey.Industry, &listed, &covered); err != nil {
			return nil, err
		}
		f := figures[id]
		if f == nil && !listed {
			continue
		}
		if f != nil {
			ey.Figures = *f
		}
		if listed {
			ey.Figures.Listed, ey.Figures.Covered = 1, covered
		}
		ey.UnitCode = unitOfPath(path)
		out = append(out, ey)
	}
	return out, rows.Err()
}

// unitOfPath is the reporting unit (the city-level region) of a region
// path: /210000/210300/210302/ is 鞍山's, 210300.
func unitOfPath(path string) string {
	parts := strings.SplitN(path, "/", 4)
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}

// acceptedAnnuals reads each unit's latest accepted annual report in the
// lane: the figures of its 年度附件2 and 年度附件3.
func acceptedAnnuals(ctx context.Context, q queryer, a *taotai.Actor, periodKey string) ([]taotai.AcceptedAnnual, error) {
	var out []taotai.AcceptedAnnual
	for _, sector := range []string{taotai.SectorNonCoal, taotai.SectorCoal} {
		if !a.SectorVisible(sector) {
			continue
		}
		f2, err := acceptedForms(ctx, q, a, periodKey, sector, forms.Form2)
		if err != nil {
			return nil, err
		}
		f3, err := acceptedForms(ctx, q, a, periodKey, sector, forms.Form3)
		if err != nil {
			return nil, err
		}
		for unit, f := range f2 {
			var rows2 []forms.Row2
			var rows3 []forms.Row3
			if err := json.Unmarshal(f.json, &rows2); err != nil {
				return nil, fmt.Errorf("accepted annual 附件2 of %s v%d: %w", unit, f.version, err)
			}
			if g, ok := f3[unit]; ok {
				if err := json.Unmarshal(g.json, &rows3); err != nil {
					return nil, fmt.Errorf("accepted annual 附件3 of %s v%d: %w", unit, g.version, err)
				}
			}
			fig := figuresOf2(forms.ConsolidatedUnit2{Rows: rows2}.Sum())
			c := forms.ConsolidatedUnit3{Rows: rows3}.Count()
			fig.Yellow, fig.Red, fig.Closed = c.Yellow, c.Red, c.Closed
			out = append(out, taotai.AcceptedAnnual{UnitCode: unit, Sector: sector, SubmissionID: f.id, Version: f.version, Figures: fig})
		}
	}
	return out, nil
}

// unitSummaries returns each unit's work summary of the year as sent, in
// the lane: its latest accepted version, else its latest submitted one
// (never a version only prepared), with the names of its files.
func unitSummaries(ctx context.Context, q queryer, a *taotai.Actor, periodKey string) ([]*taotai.Submission, error) {
	w := &where{}
	w.add("s.period_key = ? AND s.state <> ?", periodKey, taotai.SubmissionPrepared)
	w.lane(a, "s")
	rows, err := q.QueryContext(ctx, `SELECT `+submissionColumns+` FROM report_submissions s JOIN regions r ON r.code = s.region_code`+
		w.String()+` ORDER BY r.sort, s.region_code, s.sector DESC, s.version`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("unit summaries: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Submission
	at := map[string]int{}
	for rows.Next() {
		sub, err := scanSubmission(rows)
		if err != nil {
			return nil, err
		}
		k := sub.RegionCode + "/" + sub.Sector
		i, seen := at[k]
		switch {
		case !seen:
			at[k] = len(out)
			out = append(out, sub)
		case sub.State == taotai.SubmissionAccepted || out[i].State != taotai.SubmissionAccepted:
			out[i] = sub // the versions come in order: a later one, or the latest accepted
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, sub := range out {
		if err := submissionFileNames(ctx, q, sub); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// submissionFileNames reads the names and hashes of a version's files,
// without their bytes.
func submissionFileNames(ctx context.Context, q queryer, sub *taotai.Submission) error {
	rows, err := q.QueryContext(ctx, `SELECT name, sha256 FROM report_submission_files WHERE submission_id = $1 ORDER BY seq`, sub.ID)
	if err != nil {
		return fmt.Errorf("submission files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f taotai.SubmittedFile
		if err := rows.Scan(&f.Name, &f.SHA256); err != nil {
			return err
		}
		sub.Files = append(sub.Files, f)
	}
	return rows.Err()
}

// provinceSummaries reads the province's own summaries of the year, for
// the channels of the lane.
func provinceSummaries(ctx context.Context, q queryer, a *taotai.Actor, year int) ([]taotai.ProvinceSummary, error) {
	rows, err := q.QueryContext(ctx, `SELECT sector, text, updated_by, updated_at FROM province_summaries WHERE year = $1
		ORDER BY sector DESC`, year)
	if err != nil {
		return nil, fmt.Errorf("province summaries: %w", err)
	}
	defer rows.Close()
	var out []taotai.ProvinceSummary
	for rows.Next() {
		p := taotai.ProvinceSummary{Year: year}
		var at string
		if err := rows.Scan(&p.Sector, &p.Text, &p.UpdatedBy, &at); err != nil {
			return nil, err
		}
		p.UpdatedAt = timeOf(at)
		if a.SectorVisible(p.Sector) {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// SaveProvinceSummary keeps the province's own work summary of a
// channel's year, with its audit entry; the same text again changes
// nothing. A province reviewer of the channel or an administrator writes
// it. Refused: ENOTFOUND for a user below the province or of the other
// channel, or a year not configured; EFORBIDDEN for a province role that
// does not review; EINVALID for an empty, too long or unreadable text.
func (s *DB) SaveProvinceSummary(ctx context.Context, p *taotai.ProvinceSummary) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	switch {
	case a.RegionCode != taotai.ProvinceCode:
		return taotai.Errorf(taotai.ENOTFOUND, "省级工作总结由省里填写，您不能查看或修改。")
	case taotai.ValidSector(p.Sector) && !a.SectorVisible(p.Sector):
		return taotai.Errorf(taotai.ENOTFOUND, "您只负责%s的工作，不能填写%s的省级工作总结。", taotai.SectorName(a.Sector), taotai.SectorName(p.Sector))
	case !a.Can(taotai.ActProvinceSummary):
		return taotai.Errorf(taotai.EFORBIDDEN, "您的角色（%s）不能填写省级工作总结，请由该渠道的省级审核人员填写。", taotai.RoleName(a.Role))
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.Transact(ctx, func(tx *sql.Tx) error {
		if _, err := findCampaignYear(ctx, tx, p.Year); err != nil {
			return err
		}
		var before string
		err := tx.QueryRowContext(ctx, `SELECT text FROM province_summaries WHERE year = $1 AND sector = $2`, p.Year, p.Sector).Scan(&before)
		found := err == nil
		if err != nil && !isNoRows(err) {
			return fmt.Errorf("province summary: %w", err)
		}
		if found && before == p.Text {
			return nil
		}
		now := s.clock.Now()
		p.UpdatedBy, p.UpdatedAt = a.Username, now
		if _, err := tx.ExecContext(ctx, `INSERT INTO province_summaries (year, sector, text, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (year, sector) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			p.Year, p.Sector, p.Text, a.Username, timeText(now)); err != nil {
			return fmt.Errorf("save province summary: %w", err)
		}
		c := change{Action: taotai.AuditCreate, Entity: "province_summary", EntityID: strconv.Itoa(p.Year) + "/" + p.Sector,
			RegionPath: a.RegionPath, Sector: p.Sector, After: map[string]string{"text": p.Text}, Note: "省级工作总结"}
		if found {
			c.Action, c.Before = taotai.AuditUpdate, map[string]string{"text": before}
		}
		return s.record(ctx, tx, c)
	})
}
