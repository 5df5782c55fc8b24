package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"taotai"
	"taotai/internal/forms"
)

// Period is the span of days a report counts (taotai.ReportPeriod): the
// first report from the campaign's start to its cut-off, each monthly
// report from the day after the previous cut-off, the year from the start.
type Period = taotai.ReportPeriod

// ParsePeriod reads a period key ("2020-05" the first report, "2020-06" …
// "2020-09", "2020" the year) against the campaign year's configuration.
func (s *DB) ParsePeriod(ctx context.Context, key string) (Period, error) {
	yearPart, _, _ := strings.Cut(key, "-")
	year, err := strconv.Atoi(yearPart)
	if err != nil || year < 2000 || year > 2100 {
		return Period{}, taotai.Errorf(taotai.EINVALID, "报送期间“%s”不正确，应为如2020-05（首次报送）、2020-06至2020-09（月报）或2020（年度）。", truncateRunes(key, 20))
	}
	c, err := s.FindCampaignYear(ctx, year)
	if err != nil {
		return Period{}, err
	}
	return taotai.FindReportPeriod(c, key)
}

// Periods returns a campaign year's reporting periods in order.
func (s *DB) Periods(ctx context.Context, year int) ([]Period, error) {
	c, err := s.FindCampaignYear(ctx, year)
	if err != nil {
		return nil, err
	}
	return taotai.ReportPeriods(c)
}

// FormUnit returns the 填报单位 of a form of the region and channel in a
// year: the province's receiving unit of the channel as the year names it
// (辽宁省应急管理厅, 辽宁煤矿安全监察局), or the city's or county's bureau of
// the channel.
func (s *DB) FormUnit(ctx context.Context, year int, r *taotai.Region, sector string) (string, error) {
	if r.Level != taotai.LevelProvince {
		return DefaultAgencyName(r, sector), nil
	}
	c, err := s.FindCampaignYear(ctx, year)
	if err != nil {
		return "", err
	}
	if u := c.ProvinceUnit(sector); u != "" {
		return u, nil
	}
	return DefaultAgencyName(r, sector), nil
}

// formScope is the lane, region subtree and sector of a form.
func (s *DB) formScope(ctx context.Context, alias, regionCode, sector string) (*where, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.lane(a, alias)
	if regionCode != "" {
		r, err := findRegion(ctx, s.db, regionCode)
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(r.Path, a.RegionPath) {
			return nil, taotai.Errorf(taotai.ENOTFOUND, "“%s”不在您的管辖范围内。", r.Name)
		}
		w.subtree(alias, r.Path)
	}
	if sector != "" {
		if !taotai.ValidSector(sector) {
			return nil, taotai.Errorf(taotai.EINVALID, taotai.MsgBadSector)
		}
		w.add(alias+".sector = ?", sector)
	}
	return w, nil
}

// FormRows returns the rows of 附件1, 2 or 3 for the period and scope as the
// forms package writes them ([]forms.Row1, []forms.Row2 or []forms.Row3),
// and how many there are.
func (s *DB) FormRows(ctx context.Context, form int, p Period, regionCode, sector string) (any, int, error) {
	switch form {
	case forms.Form1:
		rows, err := s.Form1Rows(ctx, p.Year, regionCode, sector)
		return rows, len(rows), err
	case forms.Form2:
		rows, err := s.Form2Rows(ctx, p, regionCode, sector)
		return rows, len(rows), err
	case forms.Form3:
		rows, err := s.Form3Rows(ctx, p, regionCode, sector)
		return rows, len(rows), err
	}
	return nil, 0, taotai.Errorf(taotai.EINVALID, "附件应为1、2或3。")
}

// Form1Rows returns 附件1: the year's key list in the scope.
func (s *DB) Form1Rows(ctx context.Context, year int, regionCode, sector string) ([]forms.Row1, error) {
	lines, err := s.Form1Lines(ctx, year, regionCode, sector)
	if err != nil {
		return nil, err
	}
	out := make([]forms.Row1, len(lines))
	for i, l := range lines {
		out[i] = l.Row1
	}
	return out, nil
}

// Form1Line is a row of 附件1 with its enterprise.
type Form1Line struct {
	forms.Row1
	EnterpriseID int64
}

// Form1Lines returns 附件1's rows with their enterprises.
func (s *DB) Form1Lines(ctx context.Context, year int, regionCode, sector string) ([]Form1Line, error) {
	w, err := s.formScope(ctx, "e", regionCode, sector)
	if err != nil {
		return nil, err
	}
	w.add("k.year = ?", year)
	// A stop-production order in force outweighs the note typed at listing.
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, e.name, e.address, i.name, k.note, e.production_state, COALESCE(e.credit_code, ''),
		COALESCE((SELECT MAX(s.state) FROM production_stops s WHERE s.enterprise_id = e.id AND s.lifted_on = ''), '')
		FROM key_list k JOIN enterprises e ON e.id = k.enterprise_id JOIN industries i ON i.id = e.industry_id`+w.String()+
		` ORDER BY e.region_path, e.id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 1: %w", err)
	}
	defer rows.Close()
	var out []Form1Line
	for rows.Next() {
		var r Form1Line
		var state, stopped string
		if err := rows.Scan(&r.EnterpriseID, &r.Name, &r.Address, &r.Industry, &r.Note, &state, &r.CreditCode, &stopped); err != nil {
			return nil, err
		}
		if stopped != "" {
			r.Note = taotai.ProductionStateName(stopped) // 'stopped' > 'partial': a whole stop outweighs a partial one
		} else if _, ok := taotai.ParseProductionState(r.Note); !ok {
			r.Note = taotai.ProductionStateName(state) // 备注 is the production state
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Form2Rows returns 附件2 for a period: per enterprise inspected in it,
// the counts of its inspections, hazards, documents and fines, and in 备注
// its major hazards with their rectification deadlines; to which are added
// the rows a city that worked offline imported for the period.
func (s *DB) Form2Rows(ctx context.Context, p Period, regionCode, sector string) ([]forms.Row2, error) {
	return s.form2Rows(ctx, p, regionCode, sector, true)
}

func (s *DB) form2Rows(ctx context.Context, p Period, regionCode, sector string, parallel bool) ([]forms.Row2, error) {
	list, err := s.form2ListWith(ctx, p, regionCode, sector, parallel)
	if err != nil {
		return nil, err
	}
	out := make([]forms.Row2, len(list))
	for i, r := range list {
		out[i] = r.Row2
	}
	return out, nil
}

// form2List is Form2Rows with each row's enterprise, in the form's order.
func (s *DB) form2List(ctx context.Context, p Period, regionCode, sector string) ([]*form2Row, error) {
	return s.form2ListWith(ctx, p, regionCode, sector, true)
}

// form2ListWith is form2List with its reads at once (parallel) or one
// after the other.
func (s *DB) form2ListWith(ctx context.Context, p Period, regionCode, sector string, parallel bool) ([]*form2Row, error) {
	scope := func(alias string) (*where, error) { return s.formScope(ctx, alias, regionCode, sector) }
	counted, err := form2Counts(ctx, s.db, scope, p, parallel)
	if err != nil {
		return nil, err
	}
	rw, err := s.formScope(ctx, "r", regionCode, sector)
	if err != nil {
		return nil, err
	}
	reported, err := reportedForm2(ctx, s.db, rw, p)
	if err != nil {
		return nil, err
	}
	for id, r := range reported {
		if c := counted[id]; c != nil {
			c.Row2 = combine2(c.Row2, r.Row2)
			c.reported, c.hasReported = r.Row2, true
		} else {
			r.reported, r.hasReported = r.Row2, true
			counted[id] = r
		}
	}
	list := make([]*form2Row, 0, len(counted))
	for _, r := range counted {
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool {
		return list[i].path < list[j].path || list[i].path == list[j].path && list[i].id < list[j].id
	})
	return list, nil
}

// form2Row is one enterprise's row of 附件2, with what orders it.
type form2Row struct {
	forms.Row2
	id          int64
	path        string
	listed      bool       // on the year's key list
	reported    forms.Row2 // what an imported form reported, added in
	hasReported bool
}

// combine2 adds a reported row to a counted one.
func combine2(counted, reported forms.Row2) forms.Row2 {
	counted.Add(reported)
	switch {
	case counted.Note == "":
		counted.Note = reported.Note
	case reported.Note != "":
		counted.Note += "；" + reported.Note
	}
	return counted
}

// form2Counts counts 附件2 from the records, each fact on its own day:
// inspections and the hazards they found by the inspection's date,
// documents and their fines by the day they were issued. scope gives the
// lane and region conditions on a table alias. With parallel (q is the
// pool, not a transaction) the four reads run at once, each on its own
// connection: the province's annual form reads ~500,000 records, and on
// a busy server one request's one goroutine gets a small share of the
// cores (issue 14: the export under load).
func form2Counts(ctx context.Context, q queryer, scope func(alias string) (*where, error), p Period, parallel bool) (map[int64]*form2Row, error) {
	n, err := scope("n")
	if err != nil {
		return nil, err
	}
	n.add("n.date >= ? AND n.date <= ?", dateString(p.From), dateString(p.To))
	h, err := scope("h")
	if err != nil {
		return nil, err
	}
	h.add("h.found_on >= ? AND h.found_on <= ?", dateString(p.From), dateString(p.To))
	d, err := scope("d")
	if err != nil {
		return nil, err
	}
	d.add("d.issued_on >= ? AND d.issued_on <= ?", dateString(p.From), dateString(p.To))

	var inspections, hazards, documents []form2Count
	var notes map[int64][]string
	reads := []func() error{
		func() (err error) { inspections, err = countInspections(ctx, q, n); return err },
		func() (err error) { hazards, err = countHazards(ctx, q, h); return err },
		func() (err error) { documents, err = countDocuments(ctx, q, d); return err },
		func() (err error) { notes, err = majorHazardNotes(ctx, q, h, p); return err },
	}
	// In parallel the enterprises are described meanwhile, the whole
	// scope's (a record's lane is its enterprise's, migration 00010),
	// not knowing yet which were inspected; one after the other, only
	// those counted.
	var described map[int64]enterpriseLine
	if parallel {
		e, err := scope("e")
		if err != nil {
			return nil, err
		}
		reads = append(reads, func() (err error) { described, err = enterpriseLines(ctx, q, e, p.Year); return err })
	}
	if err := runAll(reads, parallel); err != nil {
		return nil, err
	}

	byID := make(map[int64]*form2Row, len(inspections))
	row := func(id int64) *form2Row {
		r := byID[id]
		if r == nil {
			r = &form2Row{id: id}
			byID[id] = r
		}
		return r
	}
	for _, c := range inspections {
		r := row(c.id)
		r.Inspections, r.InspectorTimes, r.ExpertTimes = int(c.a), int(c.b), int(c.c)
	}
	for _, c := range hazards {
		r := row(c.id)
		r.Hazards, r.MajorHazards = int(c.a), int(c.b)
	}
	for _, c := range documents {
		r := row(c.id)
		r.Orders, r.Penalties, r.Fines = int(c.a), int(c.b), taotai.Yuan(c.c)
	}
	undescribed := byID
	if described != nil {
		describe(byID, described)
		undescribed = map[int64]*form2Row{}
		for id, r := range byID {
			if _, ok := described[id]; !ok {
				undescribed[id] = r
			}
		}
	}
	if err := describeRows(ctx, q, undescribed, p.Year); err != nil {
		return nil, err
	}
	for id, r := range byID {
		if !r.listed {
			notes[id] = append(notes[id], "未列入重点名单")
		}
		r.Note = strings.Join(notes[id], "；")
	}
	return byID, nil
}

// runAll runs fs one after the other, or with parallel all at once, and
// returns the first error.
func runAll(fs []func() error, parallel bool) error {
	if !parallel {
		for _, f := range fs {
			if err := f(); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, len(fs))
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Go(func() { errs[i] = f() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// form2Count is one enterprise's figures from one of 附件2's counts; what
// a, b and c are depends on the count.
type form2Count struct {
	id      int64
	a, b, c int64
}

// scanCounts reads rows of an enterprise id and up to three figures.
func scanCounts(rows *sql.Rows, err error, what string) ([]form2Count, error) {
	if err != nil {
		return nil, fmt.Errorf("form 2 %s: %w", what, err)
	}
	defer rows.Close()
	var out []form2Count
	for rows.Next() {
		var c form2Count
		if err := rows.Scan(&c.id, &c.a, &c.b, &c.c); err != nil {
			return nil, fmt.Errorf("form 2 %s: %w", what, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// countInspections counts the inspections of w (on inspections aliased n)
// per enterprise, with their inspectors and experts (person-times): a, b
// and c.
func countInspections(ctx context.Context, q queryer, w *where) ([]form2Count, error) {
	// Grouped by enterprise_id + 0 here and in the next two counts: given
	// the bare column, SQLite walks every inspection (document) of the
	// province in enterprise order, row by row, to spare itself a sort,
	// instead of reading the lane's covering index (migration 00019): 4×
	// slower for a city's annual form, 2× for the province's.
	rows, err := q.QueryContext(ctx, `SELECT n.enterprise_id + 0, COUNT(*), SUM(n.inspector_count), SUM(n.expert_count)
		FROM inspections n`+w.String()+` GROUP BY n.enterprise_id + 0`, w.args...)
	return scanCounts(rows, err, "inspections")
}

// countHazards counts the hazards of w (on hazards aliased h: a hazard
// carries its inspection's enterprise, lane and date, found_on), through
// the lane's covering index (migration 00037) without a join: all (a) and
// major (b).
func countHazards(ctx context.Context, q queryer, w *where) ([]form2Count, error) {
	rows, err := q.QueryContext(ctx, `SELECT h.enterprise_id + 0, COUNT(*), COALESCE(SUM(CASE WHEN h.level = 'major' THEN 1 ELSE 0 END), 0), 0
		FROM hazards h`+w.String()+` GROUP BY h.enterprise_id + 0`, w.args...)
	return scanCounts(rows, err, "hazards")
}

// countDocuments counts the rectification orders (a) and penalty
// decisions (b) of w (on documents aliased d) and the penalties' fines
// (c).
func countDocuments(ctx context.Context, q queryer, w *where) ([]form2Count, error) {
	w = w.clone()
	// The kinds through an expression: given them, SQLite reads the two
	// kinds' documents of the whole province by date (documents_kinded)
	// and then each row, where the lane's covering index (documents_lane)
	// answers alone — 5× faster for a city's annual form, 4× for the
	// province's.
	rect, penalty := w.next(taotai.DocRectOrder), w.next(taotai.DocPenalty)
	w.add("(d.kind || '') IN (" + rect + ", " + penalty + ")")
	rows, err := q.QueryContext(ctx, `SELECT d.enterprise_id + 0, COALESCE(SUM(CASE WHEN d.kind = `+rect+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN d.kind = `+penalty+` THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN d.kind = `+penalty+` THEN d.fine ELSE 0 END), 0)
		FROM documents d`+w.String()+` GROUP BY d.enterprise_id + 0`, w.args...)
	return scanCounts(rows, err, "documents")
}

// majorHazardNotes says, per enterprise, what each major hazard of w (on
// hazards aliased h) is and its rectification deadline as it stood at the
// period's end (an extension granted later is not yet known).
func majorHazardNotes(ctx context.Context, q queryer, w *where, p Period) (map[int64][]string, error) {
	end := p.To.AddDate(0, 0, 1).UTC()
	w = &where{conds: append([]string(nil), w.conds...), args: append([]any(nil), w.args...)}
	w.add("h.level = 'major'")
	rows, err := q.QueryContext(ctx, `SELECT h.enterprise_id, h.description,
		COALESCE((SELECT x.old_deadline FROM hazard_extensions x WHERE x.hazard_id = h.id AND x.at >= `+w.next(end)+`
			ORDER BY x.at, x.id LIMIT 1), h.deadline)
		FROM hazards h`+w.String()+` ORDER BY h.id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 2 notes: %w", err)
	}
	defer rows.Close()
	notes := map[int64][]string{}
	for rows.Next() {
		var id int64
		var desc, deadline string
		if err := rows.Scan(&id, &desc, &deadline); err != nil {
			return nil, err
		}
		notes[id] = append(notes[id], fmt.Sprintf("重大隐患：%s，责令整改期限%s", desc, dateOf(deadline).Format("2006年1月2日")))
	}
	return notes, rows.Err()
}

// describeRows fills each row's enterprise name, address and place in the
// tree, and whether it is on the year's key list (附件1), reading them by
// id, 500 at a time.
func describeRows(ctx context.Context, q queryer, byID map[int64]*form2Row, year int) error {
	ids := make([]any, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].(int64) < ids[j].(int64) })
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		w := &where{}
		w.add("e.id IN ("+strings.Repeat("?, ", len(chunk)-1)+"?)", chunk...)
		lines, err := enterpriseLines(ctx, q, w, year)
		if err != nil {
			return err
		}
		describe(byID, lines)
	}
	return nil
}

// enterpriseLine is what a form's row says of its enterprise.
type enterpriseLine struct {
	name, address, path string
	listed              bool // on the year's key list
}

// enterpriseLines reads the name, address, place in the tree and key-list
// standing of the enterprises of w (on enterprises aliased e).
func enterpriseLines(ctx context.Context, q queryer, w *where, year int) (map[int64]enterpriseLine, error) {
	w = w.clone()
	k := w.next(year)
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.name, e.address, e.region_path, k.enterprise_id IS NOT NULL
		FROM enterprises e LEFT JOIN key_list k ON k.enterprise_id = e.id AND k.year = `+k+w.String(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 2 enterprises: %w", err)
	}
	defer rows.Close()
	out := map[int64]enterpriseLine{}
	for rows.Next() {
		var id int64
		var e enterpriseLine
		if err := rows.Scan(&id, &e.name, &e.address, &e.path, &e.listed); err != nil {
			return nil, fmt.Errorf("form 2 enterprises: %w", err)
		}
		out[id] = e
	}
	return out, rows.Err()
}

// describe sets the rows of byID from their enterprises' lines.
func describe(byID map[int64]*form2Row, lines map[int64]enterpriseLine) {
	for id, e := range lines {
		if r := byID[id]; r != nil {
			r.Name, r.Address, r.path, r.listed = e.name, e.address, e.path, e.listed
		}
	}
}

// reportedForm2 reads the imported 附件2 rows of a period in the scope (on
// reported_form2 aliased r). For the year, an enterprise's annual row
// stands for the year; without one, its monthly rows are added up.
func reportedForm2(ctx context.Context, q queryer, scope *where, p Period) (map[int64]*form2Row, error) {
	w := &where{conds: append([]string(nil), scope.conds...), args: append([]any(nil), scope.args...)}
	if p.Annual() {
		w.add("r.year = ?", p.Year)
	} else {
		w.add("r.period = ?", p.Key)
	}
	rows, err := q.QueryContext(ctx, `SELECT r.enterprise_id, e.name, e.address, e.region_path, r.period, r.inspections, r.inspector_times,
		r.expert_times, r.hazards, r.major_hazards, r.orders, r.penalties, r.fines, r.note
		FROM reported_form2 r JOIN enterprises e ON e.id = r.enterprise_id`+w.String()+` ORDER BY r.enterprise_id, r.period`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 2 reported: %w", err)
	}
	defer rows.Close()
	out := map[int64]*form2Row{}
	whole := map[int64]bool{} // the enterprise has an annual row
	for rows.Next() {
		r := &form2Row{}
		var period string
		if err := rows.Scan(&r.id, &r.Name, &r.Address, &r.path, &period, &r.Inspections, &r.InspectorTimes, &r.ExpertTimes,
			&r.Hazards, &r.MajorHazards, &r.Orders, &r.Penalties, &r.Fines, &r.Note); err != nil {
			return nil, err
		}
		switch cur := out[r.id]; {
		case whole[r.id]:
		case cur == nil || period == p.Key:
			out[r.id], whole[r.id] = r, period == p.Key
		default:
			cur.Row2 = combine2(cur.Row2, r.Row2)
		}
	}
	return out, rows.Err()
}

// Form3Rows returns 附件3 for a period: the enterprises whose card changed
// in it, each with its state at the period's end and the card's columns;
// and the rows a city that worked offline imported for enterprises whose
// cards the system does not hold.
func (s *DB) Form3Rows(ctx context.Context, p Period, regionCode, sector string) ([]forms.Row3, error) {
	list, err := s.form3List(ctx, p, regionCode, sector)
	if err != nil {
		return nil, err
	}
	res := make([]forms.Row3, len(list))
	for i, r := range list {
		res[i] = r.Row3
	}
	return res, nil
}

// form3List is Form3Rows with each row's enterprise, in the form's order.
func (s *DB) form3List(ctx context.Context, p Period, regionCode, sector string) ([]*form3Row, error) {
	w, err := s.formScope(ctx, "c", regionCode, sector)
	if err != nil {
		return nil, err
	}
	list, err := form3Cards(ctx, s.db, w, p)
	if err != nil {
		return nil, err
	}
	rw, err := s.formScope(ctx, "r", regionCode, sector)
	if err != nil {
		return nil, err
	}
	reported, err := reportedForm3(ctx, s.db, rw, p)
	if err != nil {
		return nil, err
	}
	have := make(map[int64]bool, len(list))
	for _, r := range list {
		have[r.id] = true
	}
	for _, r := range reported {
		if !have[r.id] {
			r.reported = true
			list = append(list, r)
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		return list[i].path < list[j].path || list[i].path == list[j].path && list[i].id < list[j].id
	})
	return list, nil
}

// form3Row is one enterprise's row of 附件3, with what orders it.
type form3Row struct {
	forms.Row3
	id           int64 // the enterprise
	path, sector string
	reported     bool // imported, not read from a card
}

// form3Cards reads 附件3's rows from the cards that changed in the period:
// scope holds the lane and region conditions on cards aliased c. Every
// column states the card as its history made it by the period's end (a
// card cleared or closed later is not yet so).
func form3Cards(ctx context.Context, q queryer, scope *where, p Period) ([]*form3Row, error) {
	w := &where{conds: append([]string(nil), scope.conds...), args: append([]any(nil), scope.args...)}
	w.add("c.year = ?", p.Year)
	end := p.To.AddDate(0, 0, 1).UTC() // the events' instants before the next day in Shanghai
	w.add("EXISTS (SELECT 1 FROM card_events v WHERE v.card_id = c.id AND v.at >= ? AND v.at < ?)", p.From.UTC(), end)
	list, byCard, err := form3CardRows(ctx, q, w)
	if err != nil {
		return nil, err
	}
	history, err := cardHistories(ctx, q, w, end)
	if err != nil {
		return nil, err
	}
	for id, r := range byCard {
		c := taotai.ReplayCard(taotai.Card{Year: p.Year}, history[id])
		r.Rectify = c.Rectify
		r.Card, r.RectifiedInTime, r.Basis, r.Closed = taotai.Form3State(c, p.To)
	}
	return list, nil
}

// form3CardRows reads the enterprise columns of the cards of w.
func form3CardRows(ctx context.Context, q queryer, w *where) ([]*form3Row, map[int64]*form3Row, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, e.id, r.name, COALESCE(pr.name, ''), e.name, e.address, i.name, c.region_path
		FROM cards c JOIN enterprises e ON e.id = c.enterprise_id JOIN industries i ON i.id = e.industry_id
		JOIN regions r ON r.code = e.region_code LEFT JOIN regions pr ON pr.code = r.parent`+w.String()+` ORDER BY c.region_path, e.id`, w.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("form 3: %w", err)
	}
	defer rows.Close()
	var out []*form3Row
	byCard := map[int64]*form3Row{}
	for rows.Next() {
		var cardID int64
		var county, city string
		r := &form3Row{}
		if err := rows.Scan(&cardID, &r.id, &county, &city, &r.Name, &r.Address, &r.Industry, &r.path); err != nil {
			return nil, nil, err
		}
		r.Region = city + county
		if city == "辽宁省" {
			r.Region = county
		}
		out = append(out, r)
		byCard[cardID] = r
	}
	return out, byCard, rows.Err()
}

// cardHistories reads the transitions of the cards of w made before end,
// in order, per card.
func cardHistories(ctx context.Context, q queryer, w *where, end time.Time) (map[int64][]taotai.CardTransition, error) {
	w = &where{conds: append([]string(nil), w.conds...), args: append([]any(nil), w.args...)}
	w.add("v.at < ?", end)
	rows, err := q.QueryContext(ctx, `SELECT v.card_id, v.to_state, v.reason, v.data FROM card_events v JOIN cards c ON c.id = v.card_id`+
		w.String()+` ORDER BY v.card_id, v.at, v.id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 3 history: %w", err)
	}
	defer rows.Close()
	out := map[int64][]taotai.CardTransition{}
	for rows.Next() {
		var id int64
		var to, reason, data string
		if err := rows.Scan(&id, &to, &reason, &data); err != nil {
			return nil, err
		}
		var t taotai.CardTransition
		if data != "" {
			if err := json.Unmarshal([]byte(data), &t); err != nil {
				return nil, fmt.Errorf("card %d's history: %w", id, err)
			}
		}
		t.To, t.Reason = to, reason
		out[id] = append(out[id], t)
	}
	return out, rows.Err()
}

// reportedForm3 reads the imported 附件3 rows of a period in the scope (on
// reported_form3 aliased r). For the year, an enterprise's annual row
// stands; without one, its latest monthly row.
func reportedForm3(ctx context.Context, q queryer, scope *where, p Period) (map[int64]*form3Row, error) {
	w := &where{conds: append([]string(nil), scope.conds...), args: append([]any(nil), scope.args...)}
	if p.Annual() {
		w.add("r.year = ?", p.Year)
	} else {
		w.add("r.period = ?", p.Key)
	}
	rows, err := q.QueryContext(ctx, `SELECT r.enterprise_id, e.name, e.address, e.region_path, r.period, r.region_text, r.industry_text,
		r.rectify, r.rectified_in_time, r.card, r.basis, r.closed
		FROM reported_form3 r JOIN enterprises e ON e.id = r.enterprise_id`+w.String()+` ORDER BY r.enterprise_id, r.period`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 3 reported: %w", err)
	}
	defer rows.Close()
	out := map[int64]*form3Row{}
	annual := map[int64]bool{}
	for rows.Next() {
		r := &form3Row{}
		var period string
		if err := rows.Scan(&r.id, &r.Name, &r.Address, &r.path, &period, &r.Region, &r.Industry, &r.Rectify, &r.RectifiedInTime,
			&r.Card, &r.Basis, &r.Closed); err != nil {
			return nil, err
		}
		// "2020" sorts before "2020-05": an annual row comes first and
		// stands; otherwise the latest month's row is kept.
		if !annual[r.id] {
			out[r.id], annual[r.id] = r, period == p.Key && len(period) == 4
		}
	}
	return out, rows.Err()
}

// Form2Line is a row of 附件2 with its enterprise and the part of its
// figures that an imported form reported (reported_form2): those have no
// records to open. The rest was counted from the records.
type Form2Line struct {
	forms.Row2
	EnterpriseID int64
	Reported     forms.Row2 // the imported part; zero when none
	HasReported  bool
}

// Form2Lines returns 附件2's rows (Form2Rows) with their enterprises and
// the imported part of their figures.
func (s *DB) Form2Lines(ctx context.Context, p Period, regionCode, sector string) ([]Form2Line, error) {
	list, err := s.form2List(ctx, p, regionCode, sector)
	if err != nil {
		return nil, err
	}
	out := make([]Form2Line, len(list))
	for i, r := range list {
		out[i] = Form2Line{Row2: r.Row2, EnterpriseID: r.id, Reported: r.reported, HasReported: r.hasReported}
	}
	return out, nil
}

// Form3Line is a row of 附件3 with its enterprise, and whether it was
// imported (reported_form3) rather than read from the system's card.
type Form3Line struct {
	forms.Row3
	EnterpriseID int64
	Reported     bool
}

// Form3Lines returns 附件3's rows (Form3Rows) with their enterprises.
func (s *DB) Form3Lines(ctx context.Context, p Period, regionCode, sector string) ([]Form3Line, error) {
	list, err := s.form3List(ctx, p, regionCode, sector)
	if err != nil {
		return nil, err
	}
	res := make([]Form3Line, len(list))
	for i, r := range list {
		res[i] = Form3Line{Row3: r.Row3, EnterpriseID: r.id, Reported: r.reported}
	}
	return res, nil
}
