package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"taotai"
)

// The dashboard's aggregates: one query per family of figures (coverage,
// inspections, hazards, documents, cards), each grouped by region path and
// month. Inspections, hazards and documents read the month tables
// (migration 00017), which triggers keep equal to the records in the same
// transaction as each write (LaneMismatches recounts them after every
// test), so a province's year is a few thousand rows however many records
// there are; only the overdue hazards, which depend on today, are counted,
// on an index that holds the hazards not passed. The outer GROUP BY folds
// counties into child units; a board of cities (the province's) reads the
// inspections, hazards, documents and pending hazards from their sums by
// city (migration 00036), a few hundred rows instead of ~12,000 at scale
// 100, and every board reads the cards from their counts by year, lane
// and state (card_counts, 00036, or their sums by city), not the cards.
// The families run one after the other: side by side (each on its own
// connection) they took longer on SQLite (the connections contend inside
// the driver). What each figure means is taotai.DashboardFigures'.

// DashboardQuery chooses a board: the campaign year, the region (the
// actor's own when empty), the sector ("" = every sector of the lane) and
// the coverage deadline of the year.
type DashboardQuery struct {
	Year       int
	RegionCode string
	Sector     string
	Deadline   time.Time
}

// Dashboard returns the figures of the year for each child unit of the
// region within the actor's lane, their total, the year month by month and
// the reporting timeliness of the units of the view, as of the store's
// now. A region or sector outside the lane is ENOTFOUND. A board is kept
// until the next write, for a few seconds at most (figures.go): its AsOf
// says when it was read, and the caller must not change it.
func (s *DB) Dashboard(ctx context.Context, q DashboardQuery) (*taotai.Dashboard, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	// The board depends on the lane (region and sector: where.lane,
	// SectorVisible), the query and the day (overdue hazards, late reports).
	key := laneKey("dashboard", a, s.clock.Now(), strconv.Itoa(q.Year), q.RegionCode, q.Sector, dateString(q.Deadline))
	return keptRead(ctx, s, key, func() (*taotai.Dashboard, error) { return s.dashboard(ctx, q, false) })
}

// dashboard is Dashboard; with counties, a board of cities reads the
// county tables too (to compare both, export_test.go).
func (s *DB) dashboard(ctx context.Context, q DashboardQuery, counties bool) (*taotai.Dashboard, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkSector(a, q.Sector); err != nil {
		return nil, err
	}
	if q.RegionCode == "" {
		q.RegionCode = a.RegionCode
	}
	view, err := findRegion(ctx, s.db, q.RegionCode)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(view.Path, a.RegionPath) {
		return nil, taotai.Errorf(taotai.ENOTFOUND, "“%s”不在您的管辖范围内。", view.Name)
	}
	d := &taotai.Dashboard{Year: q.Year, Region: view, Sector: q.Sector, AsOf: s.clock.Now(), Deadline: q.Deadline,
		Months: make([]taotai.DashboardMonth, 12)}
	for i := range d.Months {
		d.Months[i].Month = time.Month(i + 1)
	}
	b := &board{d: d, byPath: map[string]*taotai.DashboardUnit{}}
	if err := s.dashboardUnits(ctx, b); err != nil {
		return nil, err
	}
	b.cities = b.width <= cityWidth && !counties
	scope := func(t string) *where {
		w := &where{}
		w.lane(a, t)
		w.subtree(t, view.Path)
		if q.Sector != "" {
			w.add(t+".sector = ?", q.Sector)
		}
		return w
	}
	if err := s.dashboardCoverage(ctx, b, q); err != nil {
		return nil, err
	}
	// The figures of the month tables, and the overdue hazards, in one
	// batch (readAll).
	late := map[string][2]int{}
	var reads []read
	reads = append(reads, dashboardInspections(b, scope("n")))
	reads = append(reads, dashboardHazards(b, scope("h"), late)...)
	reads = append(reads, dashboardDocuments(b, scope("d")), dashboardCards(b, scope("c")))
	if err := s.readAll(ctx, reads...); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	for path, c := range late {
		if u := b.unit(path); u != nil {
			u.HazardsOverdue += c[0]
			u.MajorOverdue += c[1]
		}
	}
	if err := s.dashboardChannels(ctx, b, a); err != nil {
		return nil, err
	}
	for _, u := range d.Units {
		if !d.Total.Add(u.DashboardFigures) {
			return nil, taotai.Errorf(taotai.EINTERNAL, "罚款合计超出可表示的范围。")
		}
	}
	return d, nil
}

// board is a dashboard being filled: its units by region path, the width
// of a unit's path, whether it reads the sums by city, and the year's
// first and last day.
type board struct {
	d        *taotai.Dashboard
	byPath   map[string]*taotai.DashboardUnit
	width    int
	cities   bool
	from, to string
}

// cityWidth is the length of a city's path ("/210000/210100/"). A board
// whose units are no longer (the province's: its cities) has no path in
// its conditions longer either (the view's and the lane's are its units'
// ancestors), so the sums by city (migration 00036) give its figures.
const cityWidth = 15

// table returns the table a family's figures are read from: its sums by
// city for a board of cities, else by county.
func (b *board) table(county, city string) string {
	if b.cities {
		return city
	}
	return county
}

// unit returns the unit of a (truncated) region path, or nil for a path
// that is no unit of the view.
func (b *board) unit(path string) *taotai.DashboardUnit { return b.byPath[path] }

// month returns the trend's month of a "2020-06" key, or nil outside the
// year. (It runs for every row of the month tables read: strconv, not
// fmt.Sscanf, which took 3% of the province's request.)
func (b *board) month(key string) *taotai.DashboardMonth {
	if len(key) != 7 || key[4] != '-' {
		return nil
	}
	y, err1 := strconv.Atoi(key[:4])
	m, err2 := strconv.Atoi(key[5:])
	if err1 != nil || err2 != nil || y != b.d.Year || m < 1 || m > 12 {
		return nil
	}
	return &b.d.Months[m-1]
}

// dashboardUnits lays out the view's child units: its sub-regions in the
// tree's order, or the region itself when it has none.
func (s *DB) dashboardUnits(ctx context.Context, b *board) error {
	view := b.d.Region
	kids, err := childRegions(ctx, s.db, view.Code)
	if err != nil {
		return err
	}
	for _, r := range kids {
		b.d.Units = append(b.d.Units, taotai.DashboardUnit{Region: r})
	}
	if len(b.d.Units) == 0 {
		b.d.Units = []taotai.DashboardUnit{{Region: view}}
	}
	b.width = len(b.d.Units[0].Region.Path)
	for i := range b.d.Units {
		u := &b.d.Units[i]
		u.Cards, u.Documents = map[string]int{}, map[string]int{}
		b.byPath[u.Region.Path] = u
	}
	from, to := taotai.YearRange(b.d.Year)
	b.from, b.to = dateString(from), dateString(to)
	return nil
}

// dashboardCoverage reads the coverage table itself (SectorCoverage), so
// that the dashboard and /coverage never disagree.
func (s *DB) dashboardCoverage(ctx context.Context, b *board, q DashboardQuery) error {
	rows, err := s.SectorCoverage(ctx, q.Year, b.d.Region.Code, q.Sector, q.Deadline)
	if err != nil {
		return err
	}
	byCode := map[string]*taotai.DashboardUnit{}
	for _, u := range b.byPath {
		byCode[u.Region.Code] = u
	}
	for _, r := range rows {
		if u := byCode[r.RegionCode]; u != nil {
			u.Listed, u.Inspected = r.Listed, r.Inspected
		}
	}
	return nil
}

// dashboardInspections counts the year's inspections by unit and by
// month, from the month tables (migration 00017), two groupings in one
// statement as dashboardDocuments does.
func dashboardInspections(b *board, w *where) read {
	w.add("n.month >= ? AND n.month <= ?", b.from[:7], b.to[:7])
	width := w.next(b.width)
	from := ` FROM ` + b.table("inspection_months", "inspection_city_months") + ` n` + w.String()
	return read{query: `SELECT substr(n.region_path, 1, ` + width + `) AS unit, '' AS month, SUM(n.n)` + from + ` GROUP BY unit
		UNION ALL SELECT '', n.month, SUM(n.n)` + from + ` AND length(n.region_path) >= ` + width + ` GROUP BY n.month`, args: w.args,
		row: func(row rowScanner) error {
			var path, month string
			var n int
			if err := row.Scan(&path, &month, &n); err != nil {
				return err
			}
			if path == "" {
				if m := b.month(month); m != nil {
					m.Inspections += n
				}
			} else if u := b.unit(path); u != nil {
				u.Inspections += n
			}
			return nil
		}}
}

// dashboardHazards counts the hazards found in the year (by their
// inspection's date, kept as found_on) by unit and month, with their state
// and level, from the month tables; then those overdue against the
// store's today, which no table can keep, on the index of the hazards not
// passed.
func dashboardHazards(b *board, w *where, late map[string][2]int) []read {
	overdue := *w
	overdue.conds, overdue.args = slices.Clone(w.conds), slices.Clone(w.args)
	w.add("h.month >= ? AND h.month <= ?", b.from[:7], b.to[:7])
	const rectified, isMajor = `h.status = 'passed'`, `h.level = 'major'`
	count := func(cond string) string { return `SUM(CASE WHEN ` + cond + ` THEN h.n ELSE 0 END)` }
	counts := `SUM(h.n), ` + count(rectified) + `, ` + count(isMajor) + `, ` + count(isMajor+` AND `+rectified)
	if b.cities { // the city table keeps the four counts as columns
		counts = `SUM(h.n), SUM(h.passed), SUM(h.major), SUM(h.major_passed)`
	}
	width := w.next(b.width)
	from := ` FROM ` + b.table("hazard_months", "hazard_city_months") + ` h` + w.String()
	// By unit, and by month (dashboardDocuments).
	byUnit := read{query: `SELECT substr(h.region_path, 1, ` + width + `) AS unit, '' AS month, ` + counts + from + ` GROUP BY unit
		UNION ALL SELECT '', h.month, SUM(h.n), 0, 0, 0` + from + ` AND length(h.region_path) >= ` + width + ` GROUP BY h.month`, args: w.args,
		row: func(row rowScanner) error {
			var path, month string
			var found, ok, maj, majOK int
			if err := row.Scan(&path, &month, &found, &ok, &maj, &majOK); err != nil {
				return err
			}
			if path == "" {
				if m := b.month(month); m != nil {
					m.Hazards += found
				}
				return nil
			}
			u := b.unit(path)
			if u == nil {
				return nil
			}
			u.Hazards += found
			u.HazardsPassed += ok
			u.HazardsUnresolved += found - ok
			u.Major += maj
			u.MajorPassed += majOK
			u.MajorSupervised += maj - majOK
			return nil
		}}
	// Overdue against the store's today: the month counts of pending
	// hazards and, for today's month, the index of pending hazards, into
	// late by unit.
	return append([]read{byUnit}, overdueReads(b.table("hazard_pending_months", "hazard_pending_city_months"), &overdue, b.width, b.from, b.to, b.d.AsOf, late)...)
}

// dashboardDocuments counts the documents issued in the year by unit and
// kind, with the fines of the penalty decisions, and by month, from the
// month tables: two groupings in one statement, a hundred rows where one
// row by unit, month and kind were ~500 (each row read costs more in the
// driver than in the grouping). A month counts the documents of the
// view's units only (a path as long as a unit's: not the view's own).
func dashboardDocuments(b *board, w *where) read {
	w.add("d.month >= ? AND d.month <= ?", b.from[:7], b.to[:7])
	width := w.next(b.width)
	from := ` FROM ` + b.table("document_months", "document_city_months") + ` d` + w.String()
	return read{query: `SELECT substr(d.region_path, 1, ` + width + `) AS unit, '' AS month, d.kind, SUM(d.n), SUM(d.fines)` +
		from + ` GROUP BY unit, d.kind
		UNION ALL SELECT '', d.month, '', SUM(d.n), 0` + from + ` AND length(d.region_path) >= ` + width + ` GROUP BY d.month`, args: w.args,
		row: func(row rowScanner) error {
			var path, month, kind string
			var n int
			var fines int64
			if err := row.Scan(&path, &month, &kind, &n, &fines); err != nil {
				return err
			}
			if path == "" {
				if m := b.month(month); m != nil {
					m.Documents += n
				}
				return nil
			}
			u := b.unit(path)
			if u == nil {
				return nil
			}
			u.Documents[kind] += n
			sum, ok := u.Fines.Plus(taotai.Yuan(fines))
			if !ok {
				return taotai.Errorf(taotai.EINTERNAL, "罚款合计超出可表示的范围。")
			}
			u.Fines = sum
			return nil
		}}
}

// dashboardCards counts the year's cards by unit and current state, from
// their counts by year, lane and state (card_counts, migration 00036), or
// by year, city and state for a board of cities: ~80 rows a province's
// year, where its cards were ~4,000. A state counted 0 (its cards all
// moved on) is left out, as with no cards.
func dashboardCards(b *board, w *where) read {
	w.add("c.year = ?", b.d.Year)
	w.add("c.n <> 0")
	unit := w.next(b.width)
	return read{query: `SELECT substr(c.region_path, 1, ` + unit + `) AS unit, c.state, SUM(c.n)
		FROM ` + b.table("card_counts", "card_city_counts") + ` c` + w.String() + ` GROUP BY unit, c.state`, args: w.args,
		row: func(row rowScanner) error {
			var path, state string
			var n int
			if err := row.Scan(&path, &state, &n); err != nil {
				return err
			}
			if u := b.unit(path); u != nil {
				u.Cards[state] += n
			}
			return nil
		}}
}

// dashboardChannels takes the reporting timeliness of each channel of the
// board from the report grid (ReportGrid, the /reports page's): the rows
// of the reporting units within the view, and their total. A channel with
// no such unit (coal, for a city that produces none) is left out.
func (s *DB) dashboardChannels(ctx context.Context, b *board, a *taotai.Actor) error {
	sectors := []string{taotai.SectorNonCoal, taotai.SectorCoal}
	if b.d.Sector != "" {
		sectors = []string{b.d.Sector}
	}
	for _, sector := range sectors {
		if !a.SectorVisible(sector) {
			continue
		}
		g, err := s.ReportGrid(ctx, b.d.Year, sector)
		if err != nil {
			return err
		}
		ch := taotai.DashboardChannel{Sector: sector}
		for i, u := range g.Units {
			if !strings.HasPrefix(u.Path, b.d.Region.Path) {
				continue
			}
			var r taotai.ReportRates
			for _, st := range g.Cells[i] {
				r.Add(st)
				ch.Total.Add(st)
			}
			ch.Units = append(ch.Units, u)
			ch.Rates = append(ch.Rates, r)
		}
		if len(ch.Units) > 0 {
			b.d.Channels = append(b.d.Channels, ch)
		}
	}
	return nil
}
