package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"taotai"
)

// Worklist is what needs the user in one campaign year: the system
// proposes, a person decides. Each group holds its first WorklistShown
// records and, in its All field, how many there are: the count of the
// record list its link opens (/hazards, /cards, /coverage/gaps), counted
// by the same code.
type Worklist struct {
	Year int
	// From and To are the year's days (1 January to 31 December): the
	// hazards of the year are those found on them.
	From, To time.Time
	// CoverageDeadline is the day by which every listed enterprise is to be
	// inspected; Uninspected are those not inspected by then.
	CoverageDeadline time.Time

	Overdue         []*taotai.Hazard // past their deadline, not passed
	DueSoon         []*taotai.Hazard // due within 7 days
	RedCandidates   []*taotai.Card   // yellow cards past their deadline
	NoGuarantees    []*taotai.Hazard // major hazards whose rectification lacks any of the 五落实
	NoStopOrder     []*taotai.Hazard // major hazards without a stop-production order
	Uninspected     []*taotai.Enterprise
	OverdueAll      int
	DueSoonAll      int
	RedAll          int
	NoGuaranteesAll int
	NoStopOrderAll  int
	UninspectedAll  int // how many listed enterprises are not inspected by the coverage deadline
	// MissingCodes counts the enterprises registered without a credit code
	// (by a form import), to be completed; Enterprises, all the lane's.
	MissingCodes int
	Enterprises  int
	// PlanOverdue: enterprises of the approved inspection plans whose
	// planned month ended without an inspection (plans_progress.go).
	PlanOverdue    []PlanOverdueItem
	PlanOverdueAll int
}

// WorklistShown is how many records of each group the worklist holds.
const WorklistShown = 10

// Worklist returns the actor's worklist on the day of now (Asia/Shanghai)
// for the campaign year open then (taotai.OpenCampaignYear).
func (s *DB) Worklist(ctx context.Context, now time.Time) (*Worklist, error) {
	return s.WorklistFor(ctx, now, 0)
}

// WorklistFor returns the actor's worklist of a campaign year (0: the one
// open on the day of now), judged on the day of now: ENOTFOUND for a year
// not configured. With no year configured, it is the calendar year of now.
// A worklist is kept until the next write, for a few seconds at most
// (figures.go): the caller must not change it.
func (s *DB) WorklistFor(ctx context.Context, now time.Time, year int) (*Worklist, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	// The lists depend on the lane (where.lane, laneScope), the year and
	// the day of now (deadlines, the plans' months passed).
	key := laneKey("worklist", a, now, strconv.Itoa(year))
	return keptRead(ctx, s, key, func() (*Worklist, error) { return s.worklistFor(ctx, a, now, year) })
}

// worklistFor is WorklistFor read afresh.
func (s *DB) worklistFor(ctx context.Context, a *taotai.Actor, now time.Time, year int) (*Worklist, error) {
	cy, err := s.worklistYear(ctx, now, year)
	if err != nil {
		return nil, err
	}
	v := s.WithClock(&taotai.FixedClock{T: now}) // the lists judge deadlines on their store's clock
	wl := &Worklist{Year: cy.Year, CoverageDeadline: cy.CoverageDeadline(),
		From: time.Date(cy.Year, time.January, 1, 0, 0, 0, 0, taotai.Shanghai),
		To:   time.Date(cy.Year, time.December, 31, 0, 0, 0, 0, taotai.Shanghai)}
	// The hazard lists, the red candidates and the lane's enterprises are
	// read in one batch (readAll): each list's count and first rows.
	var batch []read
	var lists []*paged[HazardItem]
	for _, f := range []taotai.HazardFilter{{Overdue: true}, {DueSoon: true}, {NoGuarantees: true}, {NoStopOrder: true}} {
		f.From, f.To, f.Limit = wl.From, wl.To, WorklistShown
		p, err := v.hazardList(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("worklist: %w", err)
		}
		lists = append(lists, p)
		batch = append(batch, p.reads()...)
	}
	cards, err := v.cardList(ctx, taotai.CardFilter{Year: cy.Year, State: taotai.CardYellow, Overdue: true, Limit: WorklistShown})
	if err != nil {
		return nil, fmt.Errorf("worklist: %w", err)
	}
	batch = append(batch, cards.reads()...)
	w := &where{}
	w.lane(a, "e")
	batch = append(batch, read{query: `SELECT COALESCE(SUM(e.n), 0), COALESCE(SUM(e.missing_codes), 0) FROM enterprise_counts e` + w.String(),
		args: w.args, row: func(r rowScanner) error { return r.Scan(&wl.Enterprises, &wl.MissingCodes) }})
	if err := s.readAll(ctx, batch...); err != nil {
		return nil, fmt.Errorf("worklist: %w", err)
	}
	for i, out := range []struct {
		list  *[]*taotai.Hazard
		total *int
	}{{&wl.Overdue, &wl.OverdueAll}, {&wl.DueSoon, &wl.DueSoonAll}, {&wl.NoGuarantees, &wl.NoGuaranteesAll}, {&wl.NoStopOrder, &wl.NoStopOrderAll}} {
		items, n := lists[i].result()
		*out.total = n
		for _, it := range items {
			*out.list = append(*out.list, it.Hazard)
		}
	}
	items, n := cards.result()
	wl.RedAll = n
	for _, c := range items {
		wl.RedCandidates = append(wl.RedCandidates, c.Card)
	}
	wl.Uninspected, wl.UninspectedAll, err = s.uninspected(ctx, a, cy.Year, "", "", 0, WorklistShown, wl.CoverageDeadline)
	if err != nil {
		return nil, err
	}
	if wl.PlanOverdue, wl.PlanOverdueAll, err = s.planOverdue(ctx, a, wl.Year, now, WorklistShown); err != nil {
		return nil, err
	}
	return wl, nil
}

// worklistYear finds the campaign year of a worklist: year, or when 0 the
// one open on the day of now, or with none configured the calendar year.
func (s *DB) worklistYear(ctx context.Context, now time.Time, year int) (*taotai.CampaignYear, error) {
	if year != 0 {
		return s.FindCampaignYear(ctx, year)
	}
	years, err := s.CampaignYears(ctx)
	if err != nil {
		return nil, err
	}
	if y := taotai.OpenCampaignYear(years, now); y != nil {
		return y, nil
	}
	return &taotai.CampaignYear{Year: taotai.Today(now).Year()}, nil
}

// uninspected returns key-list enterprises of the year in the lane (and
// the region and sector, when set) with no inspection from the campaign's
// start to until, and how many there are. The key list keeps each
// enterprise's lane and first inspection of the year (migration 00028):
// the count is read from coverage_counts when until is the year's
// full-coverage deadline, else from the key list's coverage index; the
// page walks that index.
func (s *DB) uninspected(ctx context.Context, a *taotai.Actor, year int, regionCode, sector string, offset, limit int, until time.Time) ([]*taotai.Enterprise, int, error) {
	path := a.RegionPath
	if regionCode != "" {
		r, err := findRegion(ctx, s.db, regionCode)
		if err != nil {
			return nil, 0, err
		}
		path = r.Path
	}
	cov, err := s.coverage(ctx, a, year, path, sector, len(path), until)
	if err != nil {
		return nil, 0, err
	}
	total := 0
	for _, c := range cov {
		total += c.Listed - c.Inspected
	}
	if total == 0 || offset >= total {
		return nil, total, nil
	}
	w := keyListScope(a, year, path, sector)
	w.add("(k.first_inspected IS NULL OR k.first_inspected > ?)", dateString(until))
	ps, err := s.yearPeriods(ctx, year)
	if err != nil {
		return nil, 0, err
	}
	if reported := reportedSQL(w, ps, until, "k.enterprise_id"); reported != "" {
		w.add("NOT " + reported)
	}
	rows, err := s.db.QueryContext(ctx, enterpriseSelect+enterpriseFrom+` JOIN key_list k ON k.enterprise_id = e.id`+w.String()+
		` ORDER BY k.region_path, k.enterprise_id LIMIT `+w.next(limit)+` OFFSET `+w.next(max(offset, 0)), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("uninspected: %w", err)
	}
	defer rows.Close()
	var out []*taotai.Enterprise
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// coverage counts, per unit of the region at path (a path's first width
// bytes: the region's children, or the region itself), the key-list
// enterprises of the year in a's lane (and sector, when set) and how many
// of them were inspected from the campaign's start to until — recorded,
// or reported by a city that worked offline (inspectedSQL). At the year's
// full-coverage deadline the counts are coverage_counts' (kept by the
// key list's triggers, migration 00028), else the key list's coverage
// index alone answers; the enterprises only reported are added, found
// from the reported rows (few: the imports of cities that worked offline).
func (s *DB) coverage(ctx context.Context, a *taotai.Actor, year int, path, sector string, width int, until time.Time) (map[string]*CoverageRow, error) {
	cy, err := s.FindCampaignYear(ctx, year)
	if err != nil && taotai.ErrorCode(err) != taotai.ENOTFOUND {
		return nil, err
	}
	deadline := time.Date(year, time.September, 30, 0, 0, 0, 0, taotai.Shanghai)
	if cy != nil {
		deadline = cy.CoverageDeadline()
	}
	base := keyListScope(a, year, path, sector)
	w := base.clone()
	child := `substr(k.region_path, 1, ` + w.next(width) + `)`
	q := `SELECT ` + child + `, COALESCE(SUM(k.listed), 0), COALESCE(SUM(k.covered), 0) FROM coverage_counts k` + w.String() +
		` GROUP BY 1 HAVING SUM(k.listed) > 0`
	if !taotai.DateOf(until).Equal(taotai.DateOf(deadline)) { // a day the counts do not know
		q = `SELECT ` + child + `, COUNT(*), COALESCE(SUM(CASE WHEN k.first_inspected <= ` + w.next(dateString(until)) +
			` THEN 1 ELSE 0 END), 0) FROM key_list k` + w.String() + ` GROUP BY 1`
	}
	out := map[string]*CoverageRow{}
	if err := s.coverageRows(ctx, q, w.args, func(unit string, listed, inspected int) {
		out[unit] = &CoverageRow{Listed: listed, Inspected: inspected}
	}); err != nil {
		return nil, err
	}
	ps, err := s.yearPeriods(ctx, year)
	if err != nil {
		return nil, err
	}
	rw := base.clone()
	rchild := `substr(k.region_path, 1, ` + rw.next(width) + `)`
	rw.add("(k.first_inspected IS NULL OR k.first_inspected > ?)", dateString(until))
	reported := reportedSQL(rw, ps, until, "k.enterprise_id")
	if reported == "" {
		return out, nil
	}
	var any int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM reported_form2 rf WHERE rf.year = $1 AND rf.inspections > 0 LIMIT 1) x`,
		year).Scan(&any); err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	if any == 0 {
		return out, nil
	}
	rw.add(reported)
	return out, s.coverageRows(ctx, `SELECT `+rchild+`, COUNT(*), COUNT(*) FROM key_list k`+rw.String()+` GROUP BY 1`, rw.args,
		func(unit string, _, inspected int) {
			if row := out[unit]; row != nil {
				row.Inspected += inspected
			}
		})
}

// keyListScope is the key list of a year (aliased k, or its counts) in
// a's lane, under path and, when set, in one sector.
func keyListScope(a *taotai.Actor, year int, path, sector string) *where {
	w := &where{}
	w.add("k.year = ?", year)
	w.lane(a, "k")
	w.subtree("k", path)
	if sector != "" {
		w.add("k.sector = ?", sector)
	}
	return w
}

// coverageRows runs a query of (unit, listed, inspected) rows.
func (s *DB) coverageRows(ctx context.Context, q string, args []any, each func(unit string, listed, inspected int)) error {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("coverage: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit string
		var listed, inspected int
		if err := rows.Scan(&unit, &listed, &inspected); err != nil {
			return err
		}
		each(unit, listed, inspected)
	}
	return rows.Err()
}

// inspectedSQL gives the conditions "enterprise e was inspected between the
// campaign's start and until": recorded, an inspection in the system;
// reported, as reportedSQL gives it. Their arguments are added to w.
func inspectedSQL(w *where, ps []Period, until time.Time) (recorded, reported string) {
	year := ps[len(ps)-1] // the year: from the campaign's start
	recorded = "EXISTS (SELECT 1 FROM inspections n WHERE n.enterprise_id = e.id AND n.date >= " +
		w.next(dateString(year.From)) + " AND n.date <= " + w.next(dateString(until)) + ")"
	return recorded, reportedSQL(w, ps, until, "e.id")
}

// reportedSQL gives the condition "the enterprise whose id is the column
// id has a row with inspections in a 附件2 that a city which worked offline
// imported for one of the year's periods ps that had ended by until" (the
// annual table once the year has), or "" when none had. Its arguments are
// added to w.
func reportedSQL(w *where, ps []Period, until time.Time, id string) string {
	var keys []string
	for _, p := range ps {
		if !until.Before(p.To) {
			keys = append(keys, w.next(p.Key))
		}
	}
	if len(keys) == 0 {
		return ""
	}
	return "EXISTS (SELECT 1 FROM reported_form2 rf WHERE rf.enterprise_id = " + id + " AND rf.inspections > 0 AND rf.period IN (" +
		strings.Join(keys, ", ") + "))"
}

// yearPeriods returns a year's reporting periods, or, for a year not
// configured, the calendar year alone.
func (s *DB) yearPeriods(ctx context.Context, year int) ([]Period, error) {
	ps, err := s.Periods(ctx, year)
	if taotai.ErrorCode(err) == taotai.ENOTFOUND {
		return taotai.ReportPeriods(&taotai.CampaignYear{Year: year})
	}
	return ps, err
}

// CoverageRow is one region's full-coverage figures.
type CoverageRow struct {
	RegionCode, RegionName string
	Listed, Inspected      int
}

// Percent is the share inspected, 0–100, with one decimal.
func (r CoverageRow) Percent() float64 { return taotai.CoverageShare(r.Inspected, r.Listed) }

// Coverage returns, for each sub-region of regionCode (the actor's own by
// default), how many key-list enterprises of the year were inspected at
// least once by the coverage deadline (30 September in 2020).
func (s *DB) Coverage(ctx context.Context, year int, regionCode string, deadline time.Time) ([]CoverageRow, error) {
	return s.SectorCoverage(ctx, year, regionCode, "", deadline)
}

// SectorCoverage is Coverage within one sector of the lane ("" = all the
// lane's): a sector outside it is ENOTFOUND, one not coal or noncoal
// EINVALID.
func (s *DB) SectorCoverage(ctx context.Context, year int, regionCode, sector string, deadline time.Time) ([]CoverageRow, error) {
	a, r, width, err := s.coverageView(ctx, regionCode, sector)
	if err != nil {
		return nil, err
	}
	byPath, err := s.coverage(ctx, a, year, r.Path, sector, width, deadline)
	if err != nil {
		return nil, err
	}
	regions, err := s.Regions(ctx)
	if err != nil {
		return nil, err
	}
	var out []CoverageRow
	for _, rg := range regions {
		if row, ok := byPath[rg.Path]; ok {
			row.RegionCode, row.RegionName = rg.Code, rg.Name
			out = append(out, *row)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].RegionCode < out[j].RegionCode })
	return out, nil
}

// CoverageGaps lists the key-list enterprises of the year in a region that
// were not inspected by the coverage deadline.
func (s *DB) CoverageGaps(ctx context.Context, year int, regionCode string, deadline time.Time) ([]*taotai.Enterprise, int, error) {
	return s.SectorCoverageGaps(ctx, year, regionCode, "", deadline)
}

// SectorCoverageGaps is CoverageGaps within one sector of the lane ("" =
// all the lane's), checked as SectorCoverage checks it: its first 500.
func (s *DB) SectorCoverageGaps(ctx context.Context, year int, regionCode, sector string, deadline time.Time) ([]*taotai.Enterprise, int, error) {
	return s.CoverageGapsPage(ctx, year, regionCode, sector, deadline, 0, 500)
}

// CoverageGapsPage is a page of SectorCoverageGaps: limit enterprises from
// offset, in the order of the regions, and how many there are in all.
func (s *DB) CoverageGapsPage(ctx context.Context, year int, regionCode, sector string, deadline time.Time, offset, limit int) ([]*taotai.Enterprise, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if err := checkSector(a, sector); err != nil {
		return nil, 0, err
	}
	if regionCode != "" {
		r, err := findRegion(ctx, s.db, regionCode)
		if err != nil {
			return nil, 0, err
		}
		if !strings.HasPrefix(r.Path, a.RegionPath) {
			return nil, 0, taotai.Errorf(taotai.ENOTFOUND, "“%s”不在您的管辖范围内。", r.Name)
		}
	}
	return s.uninspected(ctx, a, year, regionCode, sector, offset, limit, deadline)
}

// checkSector checks a sector asked for within a's lane: "" (all the
// lane's), or coal or noncoal when the lane holds it.
func checkSector(a *taotai.Actor, sector string) error {
	switch {
	case sector == "":
		return nil
	case !taotai.ValidSector(sector):
		return taotai.Errorf(taotai.EINVALID, taotai.MsgBadSector)
	case !a.SectorVisible(sector):
		return taotai.Errorf(taotai.ENOTFOUND, "您只负责%s的数据。", taotai.SectorName(a.Sector))
	}
	return nil
}

// coverageView checks a coverage view for the actor (a sector of the lane,
// a region within it: the actor's own when empty) and returns the actor,
// the region and the width of its child units' paths (the region's own
// path when it has no children).
func (s *DB) coverageView(ctx context.Context, regionCode, sector string) (*taotai.Actor, *taotai.Region, int, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	if err := checkSector(a, sector); err != nil {
		return nil, nil, 0, err
	}
	if regionCode == "" {
		regionCode = a.RegionCode
	}
	r, err := findRegion(ctx, s.db, regionCode)
	if err != nil {
		return nil, nil, 0, err
	}
	if !strings.HasPrefix(r.Path, a.RegionPath) {
		return nil, nil, 0, taotai.Errorf(taotai.ENOTFOUND, "“%s”不在您的管辖范围内。", r.Name)
	}
	kids, err := regionHasChildren(ctx, s.db, r.Code)
	if err != nil {
		return nil, nil, 0, err
	}
	width := len(r.Path)
	if kids {
		width += 7 // a child's code and its slash
	}
	return a, r, width, nil
}
