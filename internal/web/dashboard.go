package web

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"taotai"
	"taotai/internal/store"
)

// The dashboard (数据看板): the year's figures of a region, one row per
// child unit, as tables (the source of truth, for print and screen
// readers) that the charts of static/dashboard.js decorate from a JSON
// island. Every figure links to the records it counts (drill.link).

// dashboardPage is the board of a year, a region and a sector.
type dashboardPage struct {
	Page
	Years    []*taotai.CampaignYear
	Year     int
	Sectors  []sectorOption // the sector choice, when the lane holds both
	Sector   string
	D        *taotai.Dashboard
	Up       *taotai.Region // the board one level up, within the lane
	Map      bool           // the view's units are the province's cities
	Rows     []dashRow
	Total    dashRow
	Months   []dashMonth
	Channels []dashChannel
	Cards    []string // the card states shown, in order
	Docs     []string // the document kinds shown, in order
	Data     dashData // the JSON island
}

// sectorOption is one choice of the sector selector.
type sectorOption struct{ Value, Name string }

// cell is a figure as shown, with the address of the records it counts.
type cell struct{ Text, Href string }

// HTML writes the figure, as a link to its records when it has them. The
// province's board has some 400 figures: written through html/template's
// escapers one attribute at a time they took a fifth of the page's CPU.
// Both parts are escaped here; the address is always one of drill.link's
// (a path of this server and encoded parameters).
func (c cell) HTML() template.HTML {
	if c.Href == "" {
		return template.HTML(html.EscapeString(c.Text)) //nolint:gosec // escaped
	}
	return template.HTML(`<a href="` + html.EscapeString(c.Href) + `">` + html.EscapeString(c.Text) + `</a>`) //nolint:gosec // escaped; a drill.link address
}

// dashRow is one unit's (or the total's) row of figures.
type dashRow struct {
	Name, Board                              string // the unit, and its own board ("" when none)
	Listed, Inspected, Uninspected, Coverage cell
	Inspections                              cell
	Hazards, Passed, Unresolved, Overdue     cell
	Major, MajorPassed, MajorSupervised      cell
	MajorOverdue                             cell
	Cards                                    []cell // by dashboardCardStates
	Docs                                     []cell // by taotai.DocKinds order of dashboardDocKinds
	Fines                                    cell
}

// dashMonth is one month's row of the trend.
type dashMonth struct {
	Name                            string
	Inspections, Hazards, Documents cell
}

// dashChannel is one channel's timeliness, by reporting unit.
type dashChannel struct {
	Sector, Name string
	Grid         string // the /reports grid of the channel
	Rows         []dashRateRow
	Total        dashRateRow
}

// dashRateRow is one unit's reporting rates.
type dashRateRow struct {
	Name                               string
	Expected, Actual, OnTime, Accepted int
	Completeness, OnTimeRate           string
	completenessValue, onTimeRateValue float64
}

// dashboardCardStates are the card states the board counts, in the order
// of their life.
var dashboardCardStates = []string{taotai.CardYellow, taotai.CardCleared, taotai.CardRed, taotai.CardProposed, taotai.CardClosed, taotai.CardAccepted}

// dashboardDocKinds are the document kinds, in the order of the work.
var dashboardDocKinds = []string{taotai.DocSiteRecord, taotai.DocRectOrder, taotai.DocStopOrder, taotai.DocRecheck, taotai.DocPenalty}

// drill names the records a figure counts, in the terms of the list pages.
type drill struct {
	list           string // inspections, hazards, documents, cards, coverage, coverage/gaps, reports, dashboard
	year           int
	region, sector string
	from, to       time.Time // inspections, hazards (the day found), documents (the day issued)
	level, status  string    // hazards: major|general; open|rectifying|passed|failed|unresolved
	overdue        bool      // hazards: not passed, deadline day ended (as of today)
	kind           string    // documents: rect_order|penalty|stop_order|recheck|site_record
	fined          bool      // documents: with a fine
	state          string    // cards: the card's current state
}

// link writes the address of d's records: the one place that knows the
// list pages' parameters (all of them take region and sector).
func (d drill) link() string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	switch d.list {
	case "cards", "coverage", "coverage/gaps", "reports", "dashboard":
		set("year", strconv.Itoa(d.year))
	}
	if d.list != "reports" {
		set("region", d.region)
	}
	set("sector", d.sector)
	if !d.from.IsZero() {
		set("from", d.from.Format("2006-01-02"))
	}
	if !d.to.IsZero() {
		set("to", d.to.Format("2006-01-02"))
	}
	set("level", d.level)
	set("status", d.status)
	if d.overdue {
		v.Set("overdue", "1")
	}
	set("kind", d.kind)
	if d.fined {
		v.Set("fined", "1")
	}
	set("state", d.state)
	return "/" + d.list + "?" + v.Encode()
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := taotai.ActorFromContext(ctx)
	y, years, deadline, err := s.coverageYear(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	sector := q.Get("sector")
	if a.Sector != "" && sector == "" {
		sector = a.Sector
	}
	d, err := s.store.Dashboard(ctx, store.DashboardQuery{Year: y.Year, RegionCode: q.Get("region"), Sector: sector, Deadline: deadline})
	if err != nil {
		return err
	}
	p := &dashboardPage{Page: s.page(r, "数据看板"), Years: years, Year: y.Year, Sector: sector, D: d,
		Map: d.Region.Level == taotai.LevelProvince, Cards: dashboardCardStates, Docs: dashboardDocKinds}
	if a.Sector == "" {
		p.Sectors = []sectorOption{{"", "全部"}, {taotai.SectorNonCoal, "非煤"}, {taotai.SectorCoal, "煤矿"}}
	}
	if d.Region.Code != a.RegionCode && d.Region.Parent != "" {
		if p.Up, err = s.store.FindRegion(ctx, d.Region.Parent); err != nil {
			return err
		}
	}
	p.build()
	s.render(w, r, http.StatusOK, "dashboard", p)
	return nil
}

// build lays the dashboard out as rows of linked figures and as the
// charts' data.
func (p *dashboardPage) build() {
	d := p.D
	hasKids := len(d.Units) > 1 || d.Units[0].Region.Code != d.Region.Code
	for _, u := range d.Units {
		row := p.row(u.Region.Name, u.Region.Code, u.DashboardFigures)
		if hasKids && u.Region.Level != taotai.LevelCounty {
			row.Board = p.drill("dashboard", u.Region.Code).link()
		}
		p.Rows = append(p.Rows, row)
	}
	p.Total = p.row("合计", d.Region.Code, d.Total)
	for _, m := range d.Months {
		from, to := taotai.MonthRange(d.Year, m.Month)
		at := func(list string) drill {
			x := p.drill(list, d.Region.Code)
			x.from, x.to = from, to
			return x
		}
		p.Months = append(p.Months, dashMonth{Name: strconv.Itoa(int(m.Month)) + "月",
			Inspections: cell{strconv.Itoa(m.Inspections), at("inspections").link()},
			Hazards:     cell{strconv.Itoa(m.Hazards), at("hazards").link()},
			Documents:   cell{strconv.Itoa(m.Documents), at("documents").link()}})
	}
	for _, ch := range d.Channels {
		c := dashChannel{Sector: ch.Sector, Name: taotai.ChannelName(ch.Sector),
			Grid: drill{list: "reports", year: d.Year, sector: ch.Sector}.link()}
		for i, u := range ch.Units {
			c.Rows = append(c.Rows, rateRow(u.Name, ch.Rates[i]))
		}
		c.Total = rateRow("合计", ch.Total)
		p.Channels = append(p.Channels, c)
	}
	p.Data = p.chartData()
}

// drill starts the address of records of the board's year and sector in a
// region.
func (p *dashboardPage) drill(list, region string) drill {
	from, to := taotai.YearRange(p.Year)
	x := drill{list: list, year: p.Year, region: region, sector: p.Sector}
	switch list {
	case "inspections", "hazards", "documents":
		x.from, x.to = from, to
	}
	return x
}

// row writes one unit's figures, each with the address of its records.
func (p *dashboardPage) row(name, code string, f taotai.DashboardFigures) dashRow {
	n := func(v int, x drill) cell { return cell{strconv.Itoa(v), x.link()} }
	hz := func(level, status string, overdue bool) drill {
		x := p.drill("hazards", code)
		x.level, x.status, x.overdue = level, status, overdue
		return x
	}
	doc := func(kind string, fined bool) drill {
		x := p.drill("documents", code)
		x.kind, x.fined = kind, fined
		return x
	}
	cov := p.drill("coverage", code)
	row := dashRow{Name: name,
		Listed:          n(f.Listed, cov),
		Inspected:       n(f.Inspected, cov),
		Uninspected:     n(f.Uninspected(), p.drill("coverage/gaps", code)),
		Coverage:        cell{fmt.Sprintf("%.1f%%", f.Coverage()), cov.link()},
		Inspections:     n(f.Inspections, p.drill("inspections", code)),
		Hazards:         n(f.Hazards, hz("", "", false)),
		Passed:          n(f.HazardsPassed, hz("", taotai.HazardPassed, false)),
		Unresolved:      n(f.HazardsUnresolved, hz("", "unresolved", false)),
		Overdue:         n(f.HazardsOverdue, hz("", "unresolved", true)),
		Major:           n(f.Major, hz(taotai.HazardMajor, "", false)),
		MajorPassed:     n(f.MajorPassed, hz(taotai.HazardMajor, taotai.HazardPassed, false)),
		MajorSupervised: n(f.MajorSupervised, hz(taotai.HazardMajor, "unresolved", false)),
		MajorOverdue:    n(f.MajorOverdue, hz(taotai.HazardMajor, "unresolved", true)),
		Fines:           cell{f.Fines.Wan(), doc(taotai.DocPenalty, true).link()},
	}
	for _, st := range dashboardCardStates {
		x := p.drill("cards", code)
		x.state = st
		row.Cards = append(row.Cards, n(f.Cards[st], x))
	}
	for _, k := range dashboardDocKinds {
		row.Docs = append(row.Docs, n(f.Documents[k], doc(k, false)))
	}
	return row
}

// rateRow writes a unit's reporting rates.
func rateRow(name string, r taotai.ReportRates) dashRateRow {
	return dashRateRow{Name: name, Expected: r.Expected, Actual: r.Actual, OnTime: r.OnTime, Accepted: r.Accepted,
		Completeness: pct(r.Completeness()), OnTimeRate: pct(r.OnTimeRate()),
		completenessValue: r.Completeness(), onTimeRateValue: r.OnTimeRate()}
}
