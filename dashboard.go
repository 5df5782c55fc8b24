package taotai

import "time"

// The dashboard (数据看板) of a campaign year, seen from a region in a lane:
// the figures of each child unit (the province's cities, a city's
// counties), their total, and the year month by month. What each figure
// counts:
//
//   - coverage: the year's key-list enterprises, and those of them inspected
//     at least once from the campaign's start to the coverage deadline (30
//     September in 2020) — the /coverage page's definition;
//   - inspections, and the hazards they found, by the inspection's date in
//     the calendar year; of those hazards, the ones passed at re-check
//     (复查合格), the ones not (unresolved) and, of these, the ones whose
//     deadline day has ended (overdue, as of the store's clock);
//   - major hazards (重大事故隐患): every one is put under listed supervision
//     (挂牌督办) when recorded, which ends with a passed re-check (销号), so
//     "under supervision" is a major hazard not yet passed;
//   - cards: the year's cards by their current state;
//   - documents by the day they were issued, by kind, and the fines of the
//     penalty decisions.

// DashboardFigures are the counts of one unit, or of a total.
type DashboardFigures struct {
	Listed    int // key-list enterprises of the year
	Inspected int // of them, inspected by the coverage deadline

	Inspections int

	Hazards           int // found in the year
	HazardsPassed     int // of them, 复查合格
	HazardsUnresolved int // of them, not (yet) passed
	HazardsOverdue    int // of the unresolved, past their deadline

	Major           int // major hazards found in the year
	MajorPassed     int // of them, passed (销号)
	MajorSupervised int // of them, under listed supervision: not passed
	MajorOverdue    int // of those, past their deadline

	Cards map[string]int // the year's cards by current state (CardYellow …)

	Documents map[string]int // documents issued in the year, by kind (DocRectOrder …)
	Fines     Yuan           // the fines of the year's penalty decisions
}

// Uninspected is the number of key-list enterprises not inspected by the
// deadline.
func (f DashboardFigures) Uninspected() int { return f.Listed - f.Inspected }

// Coverage is the share of the key list inspected, in percent with one
// decimal, rounded as a spreadsheet rounds (11 of 12 is 91.7%).
func (f DashboardFigures) Coverage() float64 { return CoverageShare(f.Inspected, f.Listed) }

// CoverageShare is inspected ÷ listed in percent, one decimal, rounded
// half away from zero as Excel's ROUND does; 0 with nothing listed. The
// coverage page and the dashboard both use it.
func CoverageShare(inspected, listed int) float64 {
	return float64(Permille(inspected, listed)) / 10
}

// Permille is n ÷ d in tenths of a percent, rounded half away from zero as
// a spreadsheet rounds (11 ÷ 12 is 917, that is 91.7%), computed on
// integers so that no binary fraction tips a half; 0 when d is not
// positive. n and d are counts, not negative.
func Permille(n, d int) int {
	if d <= 0 || n < 0 {
		return 0
	}
	return (2000*n + d) / (2 * d)
}

// AllDocuments is the number of documents of every kind.
func (f DashboardFigures) AllDocuments() int {
	n := 0
	for _, v := range f.Documents {
		n += v
	}
	return n
}

// Add adds g's counts to f; it reports false, leaving the fines as they
// were, when the fines' sum would overflow.
func (f *DashboardFigures) Add(g DashboardFigures) bool {
	f.Listed += g.Listed
	f.Inspected += g.Inspected
	f.Inspections += g.Inspections
	f.Hazards += g.Hazards
	f.HazardsPassed += g.HazardsPassed
	f.HazardsUnresolved += g.HazardsUnresolved
	f.HazardsOverdue += g.HazardsOverdue
	f.Major += g.Major
	f.MajorPassed += g.MajorPassed
	f.MajorSupervised += g.MajorSupervised
	f.MajorOverdue += g.MajorOverdue
	f.Cards = addCounts(f.Cards, g.Cards)
	f.Documents = addCounts(f.Documents, g.Documents)
	sum, ok := f.Fines.Plus(g.Fines)
	f.Fines = sum
	return ok
}

func addCounts(to, from map[string]int) map[string]int {
	if to == nil {
		to = map[string]int{}
	}
	for k, v := range from {
		to[k] += v
	}
	return to
}

// DashboardUnit is one child unit's row: a city of the province, a county
// of a city (or the region itself when it has none).
type DashboardUnit struct {
	Region *Region
	DashboardFigures
}

// DashboardMonth is one month of the year's trend.
type DashboardMonth struct {
	Month       time.Month
	Inspections int
	Hazards     int // found, by the inspection's date
	Documents   int // of every kind, by the day issued
}

// DashboardChannel is the reporting timeliness of one channel (coal or
// non-coal) for the units of the view that report up it.
type DashboardChannel struct {
	Sector string
	Units  []ReportUnit
	Rates  []ReportRates // by unit
	Total  ReportRates
}

// Dashboard is the whole board of a year, a region and a sector ("" both).
type Dashboard struct {
	Year     int
	Region   *Region
	Sector   string
	AsOf     time.Time // the store's now: what "overdue" is measured against
	Deadline time.Time // the coverage deadline
	Units    []DashboardUnit
	Total    DashboardFigures
	Months   []DashboardMonth // January to December
	Channels []DashboardChannel
}

// YearRange is the first and last day of a calendar year, in Asia/Shanghai.
func YearRange(year int) (from, to time.Time) {
	return time.Date(year, 1, 1, 0, 0, 0, 0, Shanghai), time.Date(year, 12, 31, 0, 0, 0, 0, Shanghai)
}

// MonthRange is the first and last day of a month, in Asia/Shanghai.
func MonthRange(year int, m time.Month) (from, to time.Time) {
	from = time.Date(year, m, 1, 0, 0, 0, 0, Shanghai)
	return from, from.AddDate(0, 1, -1)
}
