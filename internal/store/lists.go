package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"taotai"
)

// The lists of records that the dashboard's and the forms' figures open
// to. Each counts exactly as 附件2 does (form2Counts): inspections and the
// hazards they found by the inspection's date, documents and their fines by
// the day they were issued; 下达整改指令书 are the rect_order documents,
// 下达行政处罚文书 the penalty ones. Like FindEnterprises, the count and the
// page are two queries, and the page picks its ids before joining names.
//
// A count over a region, an industry and days (no enterprise) reads the
// day tables (migration 00016: per day, lane and industry, how many
// records), which hold the same columns under the same names as the
// records, so that one WHERE clause serves both; a few thousand rows a
// month instead of a million records a year. The others read covering
// indexes.

// byDay reports whether f's count can be read from a day table: the day
// tables know the lane, the industry and the day, not the enterprise.
func byDay(f taotai.RecordFilter) bool { return f.EnterpriseID == 0 }

// byMonth reports whether a list's count can read the month tables
// (migration 00017): no enterprise or industry (which they do not know),
// and dates that are whole months or none. It returns the months' bounds
// ("2020-06"; "" for none).
func byMonth(f taotai.RecordFilter) (from, to string, ok bool) {
	if f.EnterpriseID != 0 || f.IndustryID != 0 {
		return "", "", false
	}
	if !f.From.IsZero() {
		if f.From.Day() != 1 {
			return "", "", false
		}
		from = f.From.Format("2006-01")
	}
	if !f.To.IsZero() {
		if f.To.AddDate(0, 0, 1).Day() != 1 {
			return "", "", false
		}
		to = f.To.Format("2006-01")
	}
	return from, to, true
}

// months adds "col lies between the months from and to" for the bounds
// given.
func (w *where) months(col, from, to string) {
	if from != "" {
		w.add(col+" >= ?", from)
	}
	if to != "" {
		w.add(col+" <= ?", to)
	}
}

// listLimit bounds a page of a list.
func listLimit(n int) int {
	if n <= 0 || n > 500 {
		return 20
	}
	return n
}

// scopes are the conditions of a list: on the count (or its day table)
// and on the page, which are the same but for how the page writes the
// region's range (where.unindexed) and the industry.
type scopes struct{ count, page *where }

// add adds a condition to both.
func (sc scopes) add(cond string, args ...any) {
	sc.count.add(cond, args...)
	sc.page.add(cond, args...)
}

// dates adds "col lies between from and to" to both.
func (sc scopes) dates(col string, from, to time.Time) {
	sc.count.dates(col, from, to)
	sc.page.dates(col, from, to)
}

// recordScope returns the lane of a on the table aliased t (a table with
// region_path, sector and enterprise_id), narrowed by the criteria of f
// other than the dates. none is true when f's region does not exist:
// nothing matches. A region or an enterprise outside the lane matches
// nothing, as the lane clause is kept. days says whether the count reads a
// day table, which holds the industry itself.
func recordScope(ctx context.Context, q queryer, a *taotai.Actor, t string, f taotai.RecordFilter, days bool) (sc scopes, none bool, err error) {
	return laneScope(ctx, q, a, t, f.RegionCode, f.Sector, f.IndustryID, f.EnterpriseID, days)
}

func laneScope(ctx context.Context, q queryer, a *taotai.Actor, t, regionCode, sector string, industryID, enterpriseID int64, days bool) (scopes, bool, error) {
	sc := scopes{count: &where{}, page: &where{unindexed: true}}
	for _, w := range []*where{sc.count, sc.page} {
		w.lane(a, t)
	}
	if regionCode != "" {
		r, err := findRegion(ctx, q, regionCode)
		if taotai.ErrorCode(err) == taotai.ENOTFOUND {
			return sc, true, nil
		} else if err != nil {
			return sc, false, err
		}
		sc.count.subtree(t, r.Path)
		sc.page.subtree(t, r.Path)
	}
	if sector != "" {
		if !taotai.ValidSector(sector) {
			return sc, false, taotai.Errorf(taotai.EINVALID, taotai.MsgBadSector)
		}
		sc.add(t+".sector = ?", sector)
	}
	if enterpriseID != 0 {
		sc.add(t+".enterprise_id = ?", enterpriseID)
	}
	if industryID != 0 {
		// The page checks the industry as it walks its order ("+ 0" keeps
		// the planner from gathering and sorting the industry's records).
		if days {
			sc.count.add(t+".industry_id = ?", industryID)
		} else {
			sc.count.add(t+".enterprise_id IN (SELECT ie.id FROM enterprises ie WHERE ie.industry_id = ?)", industryID)
		}
		sc.page.add(t+".enterprise_id + 0 IN (SELECT ie.id FROM enterprises ie WHERE ie.industry_id = ?)", industryID)
	}
	return sc, false, nil
}

// dates adds "col lies between from and to" for the bounds given.
func (w *where) dates(col string, from, to time.Time) {
	if !from.IsZero() {
		w.add(col+" >= ?", dateString(from))
	}
	if !to.IsZero() {
		w.add(col+" <= ?", dateString(to))
	}
}

// withExtra scans a row's columns into a record's scanner's destinations
// followed by extra ones: the columns a list adds to a record's select.
type withExtra struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (x withExtra) Scan(dest ...any) error { return x.row.Scan(append(dest, x.extra...)...) }

// ListInspections returns a page of the inspections in the actor's lane
// that f selects, newest first, and the totals over all of them: how many,
// and their inspectors' and experts' person-times (附件2).
func (s *DB) ListInspections(ctx context.Context, f taotai.InspectionFilter) ([]*taotai.Inspection, taotai.RecordTotals, error) {
	var tot taotai.RecordTotals
	a, err := actor(ctx)
	if err != nil {
		return nil, tot, err
	}
	sc, none, err := recordScope(ctx, s.db, a, "n", f.RecordFilter, byDay(f.RecordFilter))
	if err != nil || none {
		return nil, tot, err
	}
	count := `SELECT COUNT(*), COALESCE(SUM(n.inspector_count), 0), COALESCE(SUM(n.expert_count), 0) FROM inspections n`
	if mfrom, mto, ok := byMonth(f.RecordFilter); ok {
		count = `SELECT COALESCE(SUM(n.n), 0), COALESCE(SUM(n.inspectors), 0), COALESCE(SUM(n.experts), 0) FROM inspection_months n`
		sc.count.months("n.month", mfrom, mto)
		sc.page.dates("n.date", f.From, f.To)
	} else {
		sc.dates("n.date", f.From, f.To)
		if byDay(f.RecordFilter) {
			count = `SELECT COALESCE(SUM(n.n), 0), COALESCE(SUM(n.inspectors), 0), COALESCE(SUM(n.experts), 0) FROM inspection_days n`
		}
	}
	if err := s.db.QueryRowContext(ctx, count+sc.count.String(), sc.count.args...).Scan(&tot.Count, &tot.InspectorTimes, &tot.ExpertTimes); err != nil {
		return nil, tot, fmt.Errorf("count inspections: %w", err)
	}
	if tot.Count == 0 || f.Offset >= tot.Count {
		return nil, tot, nil
	}
	w := sc.page
	rows, err := s.db.QueryContext(ctx, inspectionSelect+` WHERE n.id IN (SELECT n.id FROM inspections n`+w.String()+
		` ORDER BY n.date DESC, n.id DESC LIMIT `+w.next(listLimit(f.Limit))+` OFFSET `+w.next(max(f.Offset, 0))+`)
		ORDER BY n.date DESC, n.id DESC`, w.args...)
	if err != nil {
		return nil, tot, fmt.Errorf("list inspections: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Inspection
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			return nil, tot, fmt.Errorf("scan inspection: %w", err)
		}
		out = append(out, in)
	}
	return out, tot, rows.Err()
}

// HazardItem is a hazard in a list, with the day it was found (its
// inspection's date).
type HazardItem struct {
	*taotai.Hazard
	Found time.Time
}

// ListHazards returns a page of the hazards in the actor's lane that f
// selects and how many there are. The dates are those of the inspections
// that found them (found_on, kept equal to the inspection's date); overdue
// is judged on the store's clock, as the worklist judges it. Overdue
// hazards come most overdue first, the others newest found first.
func (s *DB) ListHazards(ctx context.Context, f taotai.HazardFilter) ([]HazardItem, int, error) {
	p, err := s.hazardList(ctx, f)
	if err != nil || p == nil {
		return nil, 0, err
	}
	return p.run(ctx, s)
}

// hazardList is ListHazards' count and page as reads; nil when f selects
// nothing without reading.
func (s *DB) hazardList(ctx context.Context, f taotai.HazardFilter) (*paged[HazardItem], error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	days := byDay(f.RecordFilter) && !f.ByDeadline() // the day tables know no deadlines
	sc, none, err := recordScope(ctx, s.db, a, "h", f.RecordFilter, days)
	if err != nil || none {
		return nil, err
	}
	// Levels, statuses and kinds are written into the statement, checked
	// against their lists first: SQLite uses a partial index (the major
	// hazards', the pending ones') only for a condition it can read.
	switch f.Level {
	case "":
	case taotai.HazardGeneral, taotai.HazardMajor:
		sc.add("h.level = '" + f.Level + "'")
	default:
		return nil, taotai.Errorf(taotai.EINVALID, "隐患级别应为一般隐患或重大事故隐患。")
	}
	// Overdue hazards of whole months (the worklist's year) are counted
	// from their month counts (overdueByUnit), on the lane, region, sector
	// and level conditions so far.
	_, _, monthly := byMonth(f.RecordFilter)
	var overdueScope *where
	if f.Overdue && !f.DueSoon && !f.NoGuarantees && !f.NoStopOrder && f.Status == "" && monthly {
		overdueScope = sc.count.clone()
	}
	switch f.Status {
	case "":
	case taotai.HazardUnresolved:
		sc.add("h.status <> 'passed'")
	case taotai.HazardOpen, taotai.HazardRectifying, taotai.HazardFailed:
		// The page walks the pending hazards newest first (its partial
		// index, 00034), the status read in passing: "|| ''" keeps SQLite
		// from picking the status index and sorting all its matches.
		sc.count.add("h.status <> 'passed' AND h.status = '" + f.Status + "'")
		sc.page.add("h.status <> 'passed' AND (h.status || '') = '" + f.Status + "'")
	case taotai.HazardPassed:
		sc.add("h.status = 'passed'")
	default:
		return nil, taotai.Errorf(taotai.EINVALID, "隐患状态不正确。")
	}
	order := "h.found_on DESC, h.id DESC"
	today := taotai.Today(s.clock.Now())
	if f.Overdue {
		sc.add("h.status <> 'passed' AND h.deadline <> '' AND h.deadline < ?", dateString(today))
	}
	if f.DueSoon {
		sc.add("h.status <> 'passed' AND h.deadline >= ? AND h.deadline <= ?", dateString(today),
			dateString(today.AddDate(0, 0, taotai.DueSoonDays)))
	}
	if f.NoGuarantees {
		sc.add(`h.level = 'major' AND h.status <> 'passed' AND (h.g_responsible = '' OR h.g_measures = ''
			OR h.g_funds = 0 OR h.g_deadline = '' OR h.g_plan = '')`)
	}
	if f.NoStopOrder {
		// stop_ordered: the hazard's inspection issued a stop order (kept
		// by migration 00033's triggers; its partial index holds the rest).
		sc.add(`h.level = 'major' AND h.status <> 'passed' AND h.stop_ordered = 0`)
	}
	found := "h.found_on" // the page's date condition
	if f.ByDeadline() {
		// The page walks the pending hazards by deadline (hazards_pending)
		// and reads the day found in passing, rather than gathering the
		// year's hazards by the day found and sorting them.
		order = "h.deadline, h.id"
		found = "(h.found_on || '')"
	}
	count := `SELECT COUNT(*) FROM hazards h`
	if mfrom, mto, ok := byMonth(f.RecordFilter); ok && days && !f.NoGuarantees && !f.NoStopOrder {
		// A few rows a month and county, not one a day and industry.
		count = `SELECT COALESCE(SUM(h.n), 0) FROM hazard_months h`
		sc.count.months("h.month", mfrom, mto)
		sc.page.dates(found, f.From, f.To)
	} else {
		sc.count.dates("h.found_on", f.From, f.To)
		sc.page.dates(found, f.From, f.To)
		if days {
			count = `SELECT COALESCE(SUM(h.n), 0) FROM hazard_days h`
		}
	}
	p := &paged[HazardItem]{offset: f.Offset}
	if overdueScope != nil {
		from, to := "", ""
		if !f.From.IsZero() {
			from = dateString(f.From)
		}
		if !f.To.IsZero() {
			to = dateString(f.To)
		}
		months := "hazard_pending_months"
		if f.RegionCode == "" && len(a.RegionPath) <= cityWidth {
			// A lane of the province or a city: its sums by city (00036)
			// hold it, a few hundred rows instead of thousands.
			months = "hazard_pending_city_months"
		}
		byUnit := map[string][2]int{}
		p.counts = overdueReads(months, overdueScope, 0, from, to, today, byUnit)
		p.tally = func() int { return byUnit[""][0] }
	} else {
		cw := sc.count
		if f.DueSoon {
			// A few days of deadlines (hazards_pending), not the lane's
			// hazards by region or the year's by the day found.
			cw = cw.unindexedCols("h", "region_path", "found_on")
		}
		p.counts = []read{countRead(count+cw.String(), cw.args, &p.total)}
	}
	w := sc.page
	p.page = readInto(&p.items, func(row rowScanner) (HazardItem, error) {
		var found string
		h, err := scanHazard(withExtra{row, []any{&found}})
		if err != nil {
			return HazardItem{}, fmt.Errorf("scan hazard: %w", err)
		}
		return HazardItem{Hazard: h, Found: dateOf(found)}, nil
	}, withColumns(hazardSelect, "h.found_on")+` WHERE h.id IN (SELECT h.id FROM hazards h`+
		w.String()+` ORDER BY `+order+` LIMIT `+w.next(listLimit(f.Limit))+` OFFSET `+w.next(max(f.Offset, 0))+`) ORDER BY `+order, w.args...)
	return p, nil
}

// withColumns adds columns to the end of a select's column list: before
// its first FROM, which must be the select's own.
func withColumns(sel, cols string) string {
	i := strings.Index(sel, "FROM ")
	return sel[:i] + ", " + cols + " " + sel[i:]
}

// DocumentItem is an enforcement document in a list, with its
// enterprise's name.
type DocumentItem struct {
	*taotai.Document
	EnterpriseName string
}

// ListDocuments returns a page of the documents in the actor's lane that
// f selects, latest issued first, and the totals over all of them: how
// many, and their fines.
func (s *DB) ListDocuments(ctx context.Context, f taotai.DocumentFilter) ([]DocumentItem, taotai.RecordTotals, error) {
	var tot taotai.RecordTotals
	a, err := actor(ctx)
	if err != nil {
		return nil, tot, err
	}
	sc, none, err := recordScope(ctx, s.db, a, "d", f.RecordFilter, byDay(f.RecordFilter))
	if err != nil || none {
		return nil, tot, err
	}
	if f.Kind != "" {
		if taotai.DocMark(f.Kind) == "" {
			return nil, tot, taotai.Errorf(taotai.EINVALID, "文书种类不正确。")
		}
		sc.add("d.kind = '" + f.Kind + "'") // one of DocKinds: see ListHazards
	}
	// A day (or month) table knows how many documents carry a fine, not
	// which.
	count, cw, w := `SELECT COUNT(*), COALESCE(SUM(d.fine), 0) FROM documents d`, sc.count, sc.page
	mfrom, mto, monthly := byMonth(f.RecordFilter)
	table := "document_days"
	if monthly {
		table = "document_months"
		cw.months("d.month", mfrom, mto)
		w.dates("d.issued_on", f.From, f.To)
	} else {
		sc.dates("d.issued_on", f.From, f.To)
	}
	switch {
	case byDay(f.RecordFilter) && f.Fined:
		count = `SELECT COALESCE(SUM(d.fined), 0), COALESCE(SUM(d.fines), 0) FROM ` + table + ` d`
		cw.add("d.kind = 'penalty'")
	case byDay(f.RecordFilter):
		count = `SELECT COALESCE(SUM(d.n), 0), COALESCE(SUM(d.fines), 0) FROM ` + table + ` d`
	case f.Fined:
		cw.add("d.kind = 'penalty' AND d.fine > 0")
	}
	if f.Fined {
		w.add("d.kind = 'penalty' AND d.fine > 0")
	}
	var fines int64
	if err := s.db.QueryRowContext(ctx, count+cw.String(), cw.args...).Scan(&tot.Count, &fines); err != nil {
		return nil, tot, fmt.Errorf("count documents: %w", err)
	}
	tot.Fines = taotai.Yuan(fines)
	if tot.Count == 0 || f.Offset >= tot.Count {
		return nil, tot, nil
	}
	rows, err := s.db.QueryContext(ctx, withColumns(documentSelect, "e.name")+` JOIN enterprises e ON e.id = d.enterprise_id`+
		` WHERE d.id IN (SELECT d.id FROM documents d`+w.String()+` ORDER BY d.issued_on DESC, d.id DESC LIMIT `+
		w.next(listLimit(f.Limit))+` OFFSET `+w.next(max(f.Offset, 0))+`) ORDER BY d.issued_on DESC, d.id DESC`,
		w.args...)
	if err != nil {
		return nil, tot, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var out []DocumentItem
	for rows.Next() {
		var name string
		d, err := scanDocument(withExtra{rows, []any{&name}})
		if err != nil {
			return nil, tot, fmt.Errorf("scan document: %w", err)
		}
		out = append(out, DocumentItem{Document: d, EnterpriseName: name})
	}
	return out, tot, rows.Err()
}

// CardItem is a card in a list, with its enterprise's place and industry.
type CardItem struct {
	*taotai.Card
	Region   string // 地区: the city and county, as 附件3 writes it
	Industry string
}

// ListCards returns a page of the cards in the actor's lane that f
// selects, in the order of the regions, and how many there are. A card
// never given (state none) is not listed.
func (s *DB) ListCards(ctx context.Context, f taotai.CardFilter) ([]CardItem, int, error) {
	p, err := s.cardList(ctx, f)
	if err != nil || p == nil {
		return nil, 0, err
	}
	return p.run(ctx, s)
}

// cardList is ListCards' count and page as reads; nil when f selects
// nothing without reading.
func (s *DB) cardList(ctx context.Context, f taotai.CardFilter) (*paged[CardItem], error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	sc, none, err := laneScope(ctx, s.db, a, "c", f.RegionCode, f.Sector, f.IndustryID, f.EnterpriseID, false)
	if err != nil || none {
		return nil, err
	}
	w := sc.count // few cards: the page may use the lane's index too
	if f.Year != 0 {
		w.add("c.year = ?", f.Year)
	}
	switch {
	case f.State == "":
		w.add("c.state <> 'none'")
	case taotai.CardColor(f.State) != "":
		w.add("c.state = ?", f.State)
	default:
		return nil, taotai.Errorf(taotai.EINVALID, "黄/红牌状态不正确。")
	}
	order := "c.region_path, c.enterprise_id, c.year DESC"
	if f.Overdue {
		w.add("c.state = 'yellow' AND c.deadline <> '' AND c.deadline < ?", dateString(taotai.Today(s.clock.Now())))
		order = "c.deadline, c.id"
		if f.Year != 0 {
			// The year's yellow cards by deadline (cards_due, 00035), the
			// lane read in the index, not the lane's cards by region.
			w = w.unindexedCols("c", "region_path")
		}
	}
	p := &paged[CardItem]{offset: f.Offset}
	p.counts = []read{countRead(`SELECT COUNT(*) FROM cards c`+w.String(), w.args, &p.total)}
	p.page = readInto(&p.items, func(row rowScanner) (CardItem, error) {
		var it CardItem
		var county, city string
		var err error
		if it.Card, err = scanCard(withExtra{row, []any{&county, &city, &it.Industry}}); err != nil {
			return it, fmt.Errorf("scan card: %w", err)
		}
		it.Region = city + county
		if city == "辽宁省" || city == "" {
			it.Region = county
		}
		return it, nil
	}, cardListSelect+` WHERE c.id IN (SELECT c.id FROM cards c`+w.String()+` ORDER BY `+order+
		` LIMIT `+w.next(listLimit(f.Limit))+` OFFSET `+w.next(max(f.Offset, 0))+`) ORDER BY `+order, w.args...)
	return p, nil
}

// cardListSelect is cardSelect with the enterprise's county, city and
// industry.
var cardListSelect = withColumns(cardSelect, "r.name, COALESCE(pr.name, ''), i.name") + ` JOIN industries i ON i.id = e.industry_id
	JOIN regions r ON r.code = e.region_code LEFT JOIN regions pr ON pr.code = r.parent`
