package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"taotai"
	"taotai/internal/forms"
)

// Period is the span of a report: the first report (inspections up to
// the first-report deadline, 11 May in 2020), a month (June–September:
// that month's inspections only), or the whole year.
type Period struct {
	Key      string // "2020-05", "2020-06" … "2020-09", "2020"
	Year     int
	From, To time.Time // dates, both inclusive
	Label    string    // for 附件2's title: "5月", "6月" … "年度"
}

// ParsePeriod reads a period key against the campaign year's deadlines.
func (s *DB) ParsePeriod(ctx context.Context, key string) (Period, error) {
	bad := taotai.Errorf(taotai.EINVALID, "报送期间“%s”不正确，应为如2020-05（首次报送）、2020-06至2020-09（月报）或2020（年度）。", key)
	yearPart, monthPart, monthly := strings.Cut(key, "-")
	year, err := strconv.Atoi(yearPart)
	if err != nil {
		return Period{}, bad
	}
	c, err := s.FindCampaignYear(ctx, year)
	if err != nil {
		return Period{}, err
	}
	p := Period{Key: key, Year: year, From: time.Date(year, 1, 1, 0, 0, 0, 0, taotai.Shanghai), To: time.Date(year, 12, 31, 0, 0, 0, 0, taotai.Shanghai), Label: "年度"}
	if !monthly {
		return p, nil
	}
	m, err := strconv.Atoi(monthPart)
	if err != nil || m < 5 || m > 9 {
		return Period{}, bad
	}
	if m == 5 {
		p.To, p.Label = time.Date(year, 5, 11, 0, 0, 0, 0, taotai.Shanghai), "5月"
		for _, d := range c.Deadlines {
			if d.Key == "first_report" {
				p.To = d.Due
			}
		}
		return p, nil
	}
	p.From = time.Date(year, time.Month(m), 1, 0, 0, 0, 0, taotai.Shanghai)
	p.To, p.Label = p.From.AddDate(0, 1, -1), strconv.Itoa(m)+"月"
	return p, nil
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
			return nil, taotai.Errorf(taotai.EINVALID, "行业类别应为coal（煤矿）或noncoal（非煤）。")
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
	w, err := s.formScope(ctx, "e", regionCode, sector)
	if err != nil {
		return nil, err
	}
	w.add("k.year = ?", year)
	rows, err := s.db.QueryContext(ctx, `SELECT e.name, e.address, i.name, k.note, e.production_state, COALESCE(e.credit_code, '')
		FROM key_list k JOIN enterprises e ON e.id = k.enterprise_id JOIN industries i ON i.id = e.industry_id`+w.String()+
		` ORDER BY e.region_path, e.id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 1: %w", err)
	}
	defer rows.Close()
	var out []forms.Row1
	for rows.Next() {
		var r forms.Row1
		var state string
		if err := rows.Scan(&r.Name, &r.Address, &r.Industry, &r.Note, &state, &r.CreditCode); err != nil {
			return nil, err
		}
		if _, ok := taotai.ParseProductionState(r.Note); !ok {
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
	w, err := s.formScope(ctx, "n", regionCode, sector)
	if err != nil {
		return nil, err
	}
	counted, err := form2Counts(ctx, s.db, w, p)
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
		} else {
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
	out := make([]forms.Row2, len(list))
	for i, r := range list {
		out[i] = r.Row2
	}
	return out, nil
}

// form2Row is one enterprise's row of 附件2, with what orders it.
type form2Row struct {
	forms.Row2
	id   int64
	path string
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

// form2Counts counts 附件2 from the records: w holds the lane and region
// conditions on inspections aliased n.
func form2Counts(ctx context.Context, q queryer, scope *where, p Period) (map[int64]*form2Row, error) {
	w := &where{conds: append([]string(nil), scope.conds...), args: append([]any(nil), scope.args...)}
	w.add("n.date >= ? AND n.date <= ?", dateString(p.From), dateString(p.To))
	byID := map[int64]*form2Row{}
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.name, e.address, e.region_path, COUNT(*), SUM(n.inspector_count), SUM(n.expert_count)
		FROM inspections n JOIN enterprises e ON e.id = n.enterprise_id`+w.String()+` GROUP BY e.id, e.name, e.address, e.region_path`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 2: %w", err)
	}
	for rows.Next() {
		r := &form2Row{}
		if err := rows.Scan(&r.id, &r.Name, &r.Address, &r.path, &r.Inspections, &r.InspectorTimes, &r.ExpertTimes); err != nil {
			rows.Close()
			return nil, err
		}
		byID[r.id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hz, err := q.QueryContext(ctx, `SELECT n.enterprise_id, COUNT(*), COALESCE(SUM(CASE WHEN h.level = 'major' THEN 1 ELSE 0 END), 0)
		FROM hazards h JOIN inspections n ON n.id = h.inspection_id`+w.String()+` GROUP BY n.enterprise_id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 2 hazards: %w", err)
	}
	for hz.Next() {
		var id int64
		var all, major int
		if err := hz.Scan(&id, &all, &major); err != nil {
			hz.Close()
			return nil, err
		}
		if r := byID[id]; r != nil {
			r.Hazards, r.MajorHazards = all, major
		}
	}
	hz.Close()
	if err := hz.Err(); err != nil {
		return nil, err
	}
	docs, err := q.QueryContext(ctx, `SELECT n.enterprise_id, d.kind, COUNT(*), COALESCE(SUM(d.fine), 0)
		FROM documents d JOIN inspections n ON n.id = d.inspection_id`+w.String()+` GROUP BY n.enterprise_id, d.kind`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 2 documents: %w", err)
	}
	for docs.Next() {
		var id, fines int64
		var kind string
		var n int
		if err := docs.Scan(&id, &kind, &n, &fines); err != nil {
			docs.Close()
			return nil, err
		}
		r := byID[id]
		if r == nil {
			continue
		}
		switch kind {
		case taotai.DocRectOrder:
			r.Orders = n
		case taotai.DocPenalty:
			r.Penalties = n
		}
		r.Fines += taotai.Yuan(fines)
	}
	docs.Close()
	if err := docs.Err(); err != nil {
		return nil, err
	}
	major, err := q.QueryContext(ctx, `SELECT n.enterprise_id, h.description, h.deadline FROM hazards h
		JOIN inspections n ON n.id = h.inspection_id`+w.String()+` AND h.level = 'major' ORDER BY h.id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 2 notes: %w", err)
	}
	notes := map[int64][]string{}
	for major.Next() {
		var id int64
		var desc, deadline string
		if err := major.Scan(&id, &desc, &deadline); err != nil {
			major.Close()
			return nil, err
		}
		notes[id] = append(notes[id], fmt.Sprintf("重大隐患：%s，责令整改期限%s", desc, dateOf(deadline).Format("2006年1月2日")))
	}
	major.Close()
	if err := major.Err(); err != nil {
		return nil, err
	}
	for id, r := range byID {
		r.Note = strings.Join(notes[id], "；")
	}
	return byID, nil
}

// reportedForm2 reads the imported 附件2 rows of a period in the scope (on
// reported_form2 aliased r). For the year, an enterprise's annual row
// stands for the year; without one, its monthly rows are added up.
func reportedForm2(ctx context.Context, q queryer, scope *where, p Period) (map[int64]*form2Row, error) {
	w := &where{conds: append([]string(nil), scope.conds...), args: append([]any(nil), scope.args...)}
	annual := p.Key == strconv.Itoa(p.Year)
	if annual {
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
			list = append(list, r)
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		return list[i].path < list[j].path || list[i].path == list[j].path && list[i].id < list[j].id
	})
	res := make([]forms.Row3, len(list))
	for i, r := range list {
		res[i] = r.Row3
	}
	return res, nil
}

// form3Row is one enterprise's row of 附件3, with what orders it.
type form3Row struct {
	forms.Row3
	id           int64 // the enterprise
	path, sector string
}

// form3Cards reads 附件3's rows from the cards: scope holds the lane and
// region conditions on cards aliased c.
func form3Cards(ctx context.Context, q queryer, scope *where, p Period) ([]*form3Row, error) {
	w := &where{conds: append([]string(nil), scope.conds...), args: append([]any(nil), scope.args...)}
	w.add("c.year = ?", p.Year)
	end := p.To.AddDate(0, 0, 1).UTC() // the events' instants before the next day in Shanghai
	w.add("EXISTS (SELECT 1 FROM card_events v WHERE v.card_id = c.id AND v.at >= ? AND v.at < ?)", p.From.UTC(), end)
	rows, err := q.QueryContext(ctx, `SELECT e.id, r.name, COALESCE(pr.name, ''), e.name, e.address, i.name, c.rectify, c.rectified_in_time,
		c.closure_basis, c.region_path,
		(SELECT v.to_state FROM card_events v WHERE v.card_id = c.id AND v.at < `+w.next(end)+` ORDER BY v.at DESC, v.id DESC LIMIT 1)
		FROM cards c JOIN enterprises e ON e.id = c.enterprise_id JOIN industries i ON i.id = e.industry_id
		JOIN regions r ON r.code = e.region_code LEFT JOIN regions pr ON pr.code = r.parent`+w.String()+` ORDER BY c.region_path, e.id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("form 3: %w", err)
	}
	defer rows.Close()
	var out []*form3Row
	for rows.Next() {
		var county, city, state string
		var inTime bool
		r := &form3Row{}
		if err := rows.Scan(&r.id, &county, &city, &r.Name, &r.Address, &r.Industry, &r.Rectify, &inTime, &r.Basis, &r.path, &state); err != nil {
			return nil, err
		}
		r.Region = city + county
		if city == "辽宁省" {
			r.Region = county
		}
		r.Card = "黄牌"
		switch state {
		case taotai.CardRed, taotai.CardProposed, taotai.CardClosed, taotai.CardAccepted:
			r.Card = "红牌"
		}
		r.RectifiedInTime = map[bool]string{true: "是", false: "否"}[inTime]
		r.Closed = map[bool]string{true: "是", false: "否"}[state == taotai.CardClosed || state == taotai.CardAccepted]
		if state == taotai.CardYellow || state == taotai.CardCleared {
			r.Basis = ""
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// reportedForm3 reads the imported 附件3 rows of a period in the scope (on
// reported_form3 aliased r). For the year, an enterprise's annual row
// stands; without one, its latest monthly row.
func reportedForm3(ctx context.Context, q queryer, scope *where, p Period) (map[int64]*form3Row, error) {
	w := &where{conds: append([]string(nil), scope.conds...), args: append([]any(nil), scope.args...)}
	if p.Key == strconv.Itoa(p.Year) {
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
