package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"taotai"
	"taotai/internal/forms"
)

// A 附件2 or 附件3 that a city filled offline holds what the system has no
// records of. Its rows are kept per enterprise and period beside the
// records, and the forms show both. A row that says what the forms already
// show changes nothing; a row for an enterprise whose inspections (附件2)
// or card (附件3) the system holds for the period must be corrected in the
// system, not overwritten by a spreadsheet. The file stands for the whole
// region, channel (coal or non-coal) and period: an earlier import's row of
// that channel that it no longer has is removed.

// reportScope is the lane, region subtree and channel of an import on a
// table aliased t.
func reportScope(a *taotai.Actor, rep *ImportReport, t string) *where {
	w := &where{}
	w.lane(a, t)
	w.subtree(t, rep.Region.Path)
	w.add(t+".sector = ?", rep.Sector)
	return w
}

// matchReported finds a row's enterprise for 附件2/3, or records why not.
func matchReported(rep *ImportReport, byName map[string][]*importEnterprise, seen map[int64]int, n int, name, col, field string) *importEnterprise {
	ie, other, msg := matchName(byName, name, rep.Sector)
	switch {
	case msg != "":
	case other != nil:
		msg = otherChannel(name, other.Sector, rep.Sector)
	case ie == nil:
		msg = fmt.Sprintf("%s的重点淘汰行业企业中没有“%s”，请先导入附件1或登记该企业", rep.Region.Name, name)
	case seen[ie.ID] != 0:
		msg = fmt.Sprintf("与第%d行是同一家企业，请删去重复的行", seen[ie.ID])
	}
	if msg != "" {
		rep.Errors = append(rep.Errors, rowErr(n, col, field, msg))
		return nil
	}
	seen[ie.ID] = n
	return ie
}

func (s *DB) import2(ctx context.Context, tx *sql.Tx, a *taotai.Actor, opt ImportOptions, res *forms.Result2, rep *ImportReport) error {
	rep.Errors = append(rep.Errors, res.Errors...)
	p := rep.Period
	byName, _, err := laneEnterprises(ctx, tx, a, rep.Region, opt.Year)
	if err != nil {
		return err
	}
	counted, err := form2Counts(ctx, tx, func(t string) (*where, error) { return reportScope(a, rep, t), nil }, p, false)
	if err != nil {
		return err
	}
	// What the forms show for the period: the records' counts and the rows
	// imported (for the year, an enterprise's annual row, else its months
	// added up), as Form2Rows adds them. A row saying just that changes
	// nothing, whichever file it comes from.
	reported, err := reportedForm2(ctx, tx, reportScope(a, rep, "r"), p)
	if err != nil {
		return err
	}
	old, err := reportedExact2(ctx, tx, reportScope(a, rep, "r"), p)
	if err != nil {
		return err
	}
	plan := &reportedPlan{form: forms.Form2, table: "reported_form2", what: "本期填报数", seen: map[int64]int{}, old: map[int64]reportedOld{},
		columns: "inspections, inspector_times, expert_times, hazards, major_hazards, orders, penalties, fines, note"}
	for id, r := range old {
		plan.old[id] = reportedOld{r.path, r.sector, r.Row2}
	}
	var (
		inspectedIDs map[int64]bool
		inspectedErr error
	)
	inspected := func(id int64) bool { // read once, when a row needs it
		if inspectedIDs == nil && inspectedErr == nil {
			inspectedIDs, inspectedErr = s.inspectedBy(ctx, tx, a, rep, p)
		}
		return inspectedIDs[id]
	}
	colName := res.Cols[forms.Columns2[1]]
	for i, row := range res.Rows {
		n := res.RowNumbers[i]
		if hasRowError(rep.Errors, n) {
			continue
		}
		ie := matchReported(rep, byName, plan.seen, n, row.Name, colName, forms.Columns2[1])
		if ie == nil {
			continue
		}
		var shown forms.Row2
		if c := counted[ie.ID]; c != nil {
			shown = c.Row2
		}
		if r := reported[ie.ID]; r != nil {
			shown = combine2(shown, r.Row2)
		}
		switch {
		case same2(shown, row):
			rep.Rows = append(rep.Rows, ImportRow{Row: n, Name: row.Name, Action: ImportUnchanged})
			rep.Unchanged++
		case counted[ie.ID] != nil:
			when, hint := p.Label, ""
			if p.Annual() {
				when, hint = "本年度", "；线下填报的月份请导入当月的附件2"
			}
			rep.Errors = append(rep.Errors, rowErr(n, colName, forms.Columns2[1], fmt.Sprintf(
				"该企业%s在系统中已记录检查%d次，附件2由检查记录生成；请在系统中更正检查记录，不能用导入覆盖%s", when, counted[ie.ID].Inspections, hint)))
		case row.Inspections == 0 && row.Orders+row.Penalties > 0 && !inspected(ie.ID):
			// Documents are counted by their issue date: an order of June
			// may follow an inspection of May, but not none at all.
			why := fmt.Sprintf("检查企业次数为0，且该企业本年截至%s在系统中没有检查记录，此前导入的附件2中也没有检查", p.To.Format("1月2日"))
			if row.Orders > 0 {
				rep.Errors = append(rep.Errors, rowErr(n, res.Cols[forms.Columns2[8]], forms.Columns2[8], fmt.Sprintf("%s，不能有%d份整改指令书", why, row.Orders)))
			}
			if row.Penalties > 0 {
				rep.Errors = append(rep.Errors, rowErr(n, res.Cols[forms.Columns2[9]], forms.Columns2[9], fmt.Sprintf("%s，不能有%d份行政处罚文书", why, row.Penalties)))
			}
		default:
			plan.write(rep, n, ie, row.Name, row, row.Inspections, row.InspectorTimes, row.ExpertTimes, row.Hazards, row.MajorHazards,
				row.Orders, row.Penalties, int64(row.Fines), row.Note)
		}
	}
	if err := inspectedErr; err != nil {
		return err
	}
	return s.finishReported(ctx, tx, opt, rep, byName, plan)
}

// inspectedBy returns the enterprises of the import's scope inspected
// between the campaign's start and the end of period p: recorded in the system, or
// reported with inspections in an imported 附件2 row of a period that
// ended by then (not p itself, whose rows the file replaces).
func (s *DB) inspectedBy(ctx context.Context, tx *sql.Tx, a *taotai.Actor, rep *ImportReport, p Period) (map[int64]bool, error) {
	ps, err := s.yearPeriods(ctx, p.Year)
	if err != nil {
		return nil, err
	}
	w := reportScope(a, rep, "n")
	w.add("n.date >= ? AND n.date <= ?", dateString(ps[len(ps)-1].From), dateString(p.To)) // the year's period starts with the campaign
	out, err := inspectedIDs(ctx, tx, w)
	if err != nil {
		return nil, err
	}
	w = reportScope(a, rep, "r")
	w.add("r.year = ? AND r.inspections > 0 AND r.period <> ?", p.Year, p.Key)
	byPeriod, err := reportedInspectedIDs(ctx, tx, w)
	if err != nil {
		return nil, err
	}
	for key, ids := range byPeriod {
		q, err := s.ParsePeriod(ctx, key)
		if err != nil || q.To.After(p.To) {
			continue // a later period's, or one no longer configured
		}
		for _, id := range ids {
			out[id] = true
		}
	}
	return out, nil
}

// inspectedIDs returns the enterprises of the inspections of w (aliased n).
func inspectedIDs(ctx context.Context, tx *sql.Tx, w *where) (map[int64]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT n.enterprise_id FROM inspections n`+w.String(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// reportedInspectedIDs returns, per period, the enterprises of the imported
// 附件2 rows of w (aliased r).
func reportedInspectedIDs(ctx context.Context, tx *sql.Tx, w *where) (map[string][]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT r.enterprise_id, r.period FROM reported_form2 r`+w.String(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byPeriod := map[string][]int64{}
	for rows.Next() {
		var id int64
		var period string
		if err := rows.Scan(&id, &period); err != nil {
			return nil, err
		}
		byPeriod[period] = append(byPeriod[period], id)
	}
	return byPeriod, rows.Err()
}

// reportedPlan is what an import of 附件2 or 附件3 does to its table of
// reported rows for the region and period.
type reportedPlan struct {
	form    int
	table   string                // reported_form2, reported_form3
	columns string                // the value columns, after enterprise_id, period, year, region_path, sector
	what    string                // the rows' name for people: 本期填报数
	seen    map[int64]int         // enterprise → the file's row that names it
	old     map[int64]reportedOld // the rows imported before for the period
	writes  []reportedWrite
}

// reportedOld is a row imported before, with its lane.
type reportedOld struct {
	path, sector string
	row          any
}

// reportedWrite is a row to write.
type reportedWrite struct {
	ie     *importEnterprise
	row    any   // for the audit trail
	values []any // of the value columns
}

// write plans a row of the file that changes the period's rows.
func (p *reportedPlan) write(rep *ImportReport, n int, ie *importEnterprise, name string, row any, values ...any) {
	detail := "新增" + p.what
	if _, ok := p.old[ie.ID]; ok {
		detail = "更新" + p.what
	}
	p.writes = append(p.writes, reportedWrite{ie, row, values})
	rep.Rows = append(rep.Rows, ImportRow{Row: n, Name: name, Action: ImportUpdate, Detail: detail})
	rep.Updated++
}

// finishReported adds to the report the rows imported before that the file
// no longer has, and, when the import is to be written, replaces the
// period's rows and records each change and the import.
func (s *DB) finishReported(ctx context.Context, tx *sql.Tx, opt ImportOptions, rep *ImportReport, byName map[string][]*importEnterprise, plan *reportedPlan) error {
	var gone []int64
	for id := range plan.old {
		if plan.seen[id] == 0 {
			gone = append(gone, id)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i] < gone[j] })
	names := enterpriseNames(byName)
	for _, id := range gone {
		rep.Rows = append(rep.Rows, ImportRow{Name: names[id], Action: ImportRemove, Detail: "文件中已没有该企业，删除此前导入的" + plan.what})
		rep.Removed++
	}
	if rep.HasErrors() || rep.Changes() == 0 || opt.DryRun {
		return nil
	}
	p := rep.Period
	note := fmt.Sprintf("导入附件%d：%s", plan.form, opt.FileName)
	entityID := func(id int64) string { return fmt.Sprintf("%s/%d", p.Key, id) }
	remove := `DELETE FROM ` + plan.table + ` WHERE enterprise_id = $1 AND period = $2`
	var cs []change
	for _, id := range gone {
		if _, err := tx.ExecContext(ctx, remove, id, p.Key); err != nil {
			return err
		}
		cs = append(cs, change{Action: taotai.AuditDelete, Entity: plan.table, EntityID: entityID(id),
			RegionPath: plan.old[id].path, Sector: plan.old[id].sector, Before: plan.old[id].row, Note: note})
	}
	now := s.clock.Now().UTC()
	n := strings.Count(plan.columns, ",") + 1
	marks := make([]string, 6+n)
	for i := range marks {
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	insert := `INSERT INTO ` + plan.table + ` (enterprise_id, period, year, region_path, sector, ` + plan.columns +
		`, imported_at) VALUES (` + strings.Join(marks, ", ") + `)`
	for _, w := range plan.writes {
		if _, err := tx.ExecContext(ctx, remove, w.ie.ID, p.Key); err != nil {
			return err
		}
		args := append([]any{w.ie.ID, p.Key, p.Year, w.ie.RegionPath, w.ie.Sector}, w.values...)
		if _, err := tx.ExecContext(ctx, insert, append(args, now)...); err != nil {
			return err
		}
		c := change{Action: taotai.AuditCreate, Entity: plan.table, EntityID: entityID(w.ie.ID), RegionPath: w.ie.RegionPath, Sector: w.ie.Sector, After: w.row, Note: note}
		if prev, ok := plan.old[w.ie.ID]; ok {
			c.Action, c.Before = taotai.AuditUpdate, prev.row
		}
		cs = append(cs, c)
	}
	cs = append(cs, change{Action: taotai.AuditImport, Entity: "form", EntityID: int64(plan.form), RegionPath: rep.Region.Path, Sector: rep.Sector,
		Note: fmt.Sprintf("附件%d，%s，%s，%s，%s：更新%d家，删除%d家，无变化%d家", plan.form, rep.Region.Name, taotai.SectorName(rep.Sector), p.Key, opt.FileName,
			rep.Updated, rep.Removed, rep.Unchanged)})
	return s.recordAll(ctx, tx, cs)
}

// same2 reports whether a row of 附件2 says what the forms show.
func same2(cur, row forms.Row2) bool {
	cur.Name, cur.Address, row.Name, row.Address = "", "", "", ""
	return cur == row
}

// reportedPrev2 is an imported row as it stands, with its lane.
type reportedPrev2 struct {
	forms.Row2
	path, sector string
}

// reportedExact2 reads the imported 附件2 rows of exactly the period.
func reportedExact2(ctx context.Context, tx *sql.Tx, w *where, p Period) (map[int64]*reportedPrev2, error) {
	w.add("r.period = ?", p.Key)
	rows, err := tx.QueryContext(ctx, `SELECT r.enterprise_id, r.region_path, r.sector, r.inspections, r.inspector_times, r.expert_times, r.hazards,
		r.major_hazards, r.orders, r.penalties, r.fines, r.note FROM reported_form2 r`+w.String(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*reportedPrev2{}
	for rows.Next() {
		var id int64
		r := &reportedPrev2{}
		if err := rows.Scan(&id, &r.path, &r.sector, &r.Inspections, &r.InspectorTimes, &r.ExpertTimes, &r.Hazards, &r.MajorHazards,
			&r.Orders, &r.Penalties, &r.Fines, &r.Note); err != nil {
			return nil, err
		}
		out[id] = r
	}
	return out, rows.Err()
}

// enterpriseNames gives the names of the enterprises by id.
func enterpriseNames(byName map[string][]*importEnterprise) map[int64]string {
	m := map[int64]string{}
	for _, list := range byName {
		for _, ie := range list {
			m[ie.ID] = ie.Name
		}
	}
	return m
}

func (s *DB) import3(ctx context.Context, tx *sql.Tx, a *taotai.Actor, opt ImportOptions, res *forms.Result3, rep *ImportReport) error {
	rep.Errors = append(rep.Errors, res.Errors...)
	p := rep.Period
	byName, _, err := laneEnterprises(ctx, tx, a, rep.Region, opt.Year)
	if err != nil {
		return err
	}
	labels, err := regionLabels(ctx, tx, rep.Region)
	if err != nil {
		return err
	}
	industries, err := readImportIndustries(ctx, tx)
	if err != nil {
		return err
	}
	cardRows, err := form3Cards(ctx, tx, reportScope(a, rep, "c"), p)
	if err != nil {
		return err
	}
	system := map[int64]*form3Row{}
	for _, r := range cardRows {
		system[r.id] = r
	}
	carded, err := enterprisesWithCards(ctx, tx, reportScope(a, rep, "c"), p.Year)
	if err != nil {
		return err
	}
	// The rows imported that the forms show for the period (for the year,
	// an enterprise's annual row, else its latest month's), as Form3Rows
	// shows them: a row saying just that changes nothing.
	reported, err := reportedForm3(ctx, tx, reportScope(a, rep, "r"), p)
	if err != nil {
		return err
	}
	old, err := reportedExact3(ctx, tx, reportScope(a, rep, "r"), p)
	if err != nil {
		return err
	}
	plan := &reportedPlan{form: forms.Form3, table: "reported_form3", what: "本期填报的黄/红牌情况", seen: map[int64]int{}, old: map[int64]reportedOld{},
		columns: "region_text, industry_text, rectify, rectified_in_time, card, basis, closed"}
	for id, r := range old {
		plan.old[id] = reportedOld{r.path, r.sector, r.Row3}
	}
	colName, colRegion := res.Cols[forms.Columns3[2]], res.Cols[forms.Columns3[1]]
	for i, row := range res.Rows {
		n := res.RowNumbers[i]
		if row.Region != "" && !labels[nameKey(row.Region)] {
			rep.Errors = append(rep.Errors, rowErr(n, colRegion, forms.Columns3[1], fmt.Sprintf("“%s”不是%s的地区", row.Region, rep.Region.Name)))
		}
		if hasRowError(rep.Errors, n) {
			continue
		}
		ie := matchReported(rep, byName, plan.seen, n, row.Name, colName, forms.Columns3[2])
		if ie == nil {
			continue
		}
		if ind := industries.lookup(row.Industry); ind != nil && ind.Sector != rep.Sector {
			rep.Errors = append(rep.Errors, rowErr(n, res.Cols[forms.Columns3[4]], forms.Columns3[4], otherIndustry(ind, rep.Sector)))
			continue
		}
		shown := reported[ie.ID]
		switch sys := system[ie.ID]; {
		case sys != nil && sameCard(sys.Row3, row), sys == nil && shown != nil && same3(shown.Row3, row):
			rep.Rows = append(rep.Rows, ImportRow{Row: n, Name: row.Name, Action: ImportUnchanged})
			rep.Unchanged++
		case sys != nil || carded[ie.ID]:
			rep.Errors = append(rep.Errors, rowErr(n, colName, forms.Columns3[2],
				"该企业的黄/红牌在系统中办理，与本行不一致；请在系统中更正，不能用导入覆盖"))
		default:
			plan.write(rep, n, ie, row.Name, row, row.Region, row.Industry, row.Rectify, row.RectifiedInTime, row.Card, row.Basis, row.Closed)
		}
	}
	return s.finishReported(ctx, tx, opt, rep, byName, plan)
}

// sameCard reports whether a row of 附件3 says what the system's card
// says (the region and industry may be written differently).
func sameCard(sys, row forms.Row3) bool {
	return sys.Rectify == row.Rectify && sys.RectifiedInTime == row.RectifiedInTime && sys.Card == row.Card &&
		sys.Basis == row.Basis && sys.Closed == row.Closed
}

// same3 reports whether a row of 附件3 says what an imported row says.
func same3(prev, row forms.Row3) bool {
	prev.Name, prev.Address, row.Name, row.Address = "", "", "", ""
	return prev == row
}

// reportedExact3 reads the imported 附件3 rows of exactly the period.
func reportedExact3(ctx context.Context, tx *sql.Tx, w *where, p Period) (map[int64]*form3Row, error) {
	w.add("r.period = ?", p.Key)
	rows, err := tx.QueryContext(ctx, `SELECT r.enterprise_id, r.region_path, r.sector, r.region_text, r.industry_text, r.rectify,
		r.rectified_in_time, r.card, r.basis, r.closed FROM reported_form3 r`+w.String(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*form3Row{}
	for rows.Next() {
		r := &form3Row{}
		if err := rows.Scan(&r.id, &r.path, &r.sector, &r.Region, &r.Industry, &r.Rectify, &r.RectifiedInTime, &r.Card, &r.Basis, &r.Closed); err != nil {
			return nil, err
		}
		out[r.id] = r
	}
	return out, rows.Err()
}

// enterprisesWithCards reads which enterprises of the scope (cards aliased
// c) hold a card of the year in the system.
func enterprisesWithCards(ctx context.Context, tx *sql.Tx, w *where, year int) (map[int64]bool, error) {
	w.add("c.year = ?", year)
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT c.enterprise_id FROM cards c`+w.String(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		m[id] = true
	}
	return m, rows.Err()
}

// regionLabels gives the ways 附件3's 地区 may name a region of the
// subtree, as name keys: "铁东区", "鞍山市铁东区", "鞍山市".
func regionLabels(ctx context.Context, tx *sql.Tx, region *taotai.Region) (map[string]bool, error) {
	regions, err := subtreeRegions(ctx, tx, region)
	if err != nil {
		return nil, err
	}
	m := make(map[string]bool, 2*len(regions))
	for _, r := range regions {
		m[nameKey(r.Name)], m[nameKey(r.parent+r.Name)] = true, true
	}
	return m, nil
}
